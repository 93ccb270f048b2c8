/* job.c: a job directory turned into one result per key, by the application's
 * rules, so that no strategy has to know them.
 *
 * Files. Every directory entry whose name ends in ".xml" (case-sensitive) and
 * that is not a directory. Names starting "re_run_" and of the form
 * re_run_<module>_<topology>.xml are reruns; <digits>_<module>_<topology>.xml
 * are main runs; the topology is the last '_'-separated part of the stem. Any
 * other *.xml is a main run whose topology is its whole stem. Main runs are
 * read in bytewise name order, then the reruns in name order. job_load_files
 * classifies each file by the same rule but takes the files as given.
 *
 * Key. file_path is the testcase's file (the reader falls back to its suite's),
 * else its classname with '.' turned into '/'; class_name is the last
 * '.'-separated part of the classname; test_name is the name. A testcase with
 * no name has no key: the load fails with "file:line: testcase has no name".
 *
 * Merge, in merge order (main runs, then reruns). order_index counts main-run
 * testcases job-wide (duplicates included). A key seen again replaces every
 * earlier value, keeping its first position in results: the last occurrence
 * wins. A rerun result replaces the outcome (status, failure_message), sets
 * was_rerun and, when the rerun failed or errored, rerun_still_failed; it keeps
 * the main run's order_index and jenkins_topology (the rerun file names the
 * same topology; the main run's is kept should two files disagree). A rerun key
 * that no main run had takes the next order_index and the rerun's topology.
 *
 * Status: error is stored as FAILED. testcase_module: the segment after the
 * first "tests" segment of file_path when that segment is a directory (not the
 * last one), else the first segment when file_path has more than one, else "".
 * Stats count the merged results; pass_rate = round(100 * passed / total, 2)
 * exactly as Python's round() does it (half to even on the double's exact
 * value, which glibc's "%.2f" also does), 0.0 when total is 0.
 *
 * Any error (no XML file, an unreadable or malformed file, a nameless
 * testcase) leaves the job empty. Strings live in the job's arena; results
 * grow geometrically; the key map borrows the arena's strings. */
#include "job.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "junit.h"
#include "keymap.h"

struct loader {
    struct job *job;
    struct keymap *keys;
    const char *path;              /* the file being read */
    const char *topology;          /* its topology, in the arena */
    int is_rerun;
    int next_order;
    size_t results_cap;
    char *file_path;               /* scratch for the key's file_path */
    size_t file_path_cap;
    const char *class_name;        /* points into the reader's classname */
};

static int is_digits(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Sets *is_rerun and *topology (a pointer into the stem, and its length). */
static void classify(const char *stem, size_t n, int *is_rerun, const char **topology,
                     size_t *topology_len)
{
    const char *last = NULL, *first = memchr(stem, '_', n);
    for (const char *p = stem; p < stem + n; p++)
        if (*p == '_')
            last = p;
    int rerun = n > 7 && !strncmp(stem, "re_run_", 7) && memchr(stem + 7, '_', n - 7);
    int main_run = first && first != last && is_digits(stem, (size_t)(first - stem));
    *is_rerun = rerun;
    if ((rerun || main_run) && last + 1 < stem + n) {
        *topology = last + 1;
        *topology_len = (size_t)(stem + n - (last + 1));
    } else {
        *topology = stem;
        *topology_len = n;
    }
}

/* The segment after the first "tests" directory, else the first directory. */
static const char *module_of(struct arena *a, const char *path)
{
    const char *first = NULL, *p = path;
    size_t first_len = 0;
    int after_tests = 0;
    while (*p) {
        size_t len = strcspn(p, "/");
        int is_dir = p[len] == '/';
        if (len > 0 && is_dir) {
            if (after_tests)
                return arena_strndup(a, p, len);
            if (!first)
                first = p, first_len = len;
            after_tests = len == 5 && !memcmp(p, "tests", 5);
        }
        p += len + is_dir;
    }
    return arena_strndup(a, first ? first : "", first_len);
}

const char *job_file_path(const char *file, const char *classname, char **buf, size_t *cap)
{
    const char *src = file ? file : classname;
    size_t n = strlen(src);
    if (n + 1 > *cap) {
        size_t c = *cap ? *cap : 256;
        while (c < n + 1)
            c *= 2;
        char *p = realloc(*buf, c);
        if (!p)
            return NULL;
        *buf = p;
        *cap = c;
    }
    memcpy(*buf, src, n + 1);
    if (!file)
        for (char *p = *buf; *p; p++)
            if (*p == '.')
                *p = '/';
    return *buf;
}

const char *job_class_name(const char *classname)
{
    const char *dot = strrchr(classname, '.');
    return dot ? dot + 1 : classname;
}

static struct job_result *new_result(struct loader *l, uint64_t hash, const char *test_name)
{
    struct job *job = l->job;
    struct arena *a = job->arena;
    if (job->count == l->results_cap) {
        size_t cap = l->results_cap ? l->results_cap * 2 : 1024;
        struct job_result *p = realloc(job->results, cap * sizeof *p);
        if (!p)
            return NULL;
        job->results = p;
        l->results_cap = cap;
    }
    struct job_result *r = &job->results[job->count];
    memset(r, 0, sizeof *r);
    r->file_path = arena_strndup(a, l->file_path, strlen(l->file_path));
    r->class_name = arena_strndup(a, l->class_name, strlen(l->class_name));
    r->test_name = arena_strndup(a, test_name, strlen(test_name));
    if (!r->file_path || !r->class_name || !r->test_name ||
        !(r->testcase_module = module_of(a, r->file_path)))
        return NULL;
    r->key_hash = hash;
    r->jenkins_topology = l->topology;
    if (keymap_put(l->keys, hash, r->file_path, r->class_name, r->test_name,
                   (int64_t)job->count) != 0)
        return NULL;
    job->count++;
    return r;
}

static int on_testcase(void *ctx, const struct junit_testcase *tc, struct ib_error *err)
{
    struct loader *l = ctx;
    l->job->testcases_read++;
    if (!tc->name)
        return ib_fail(err, IB_ERR, "%s:%d: testcase has no name", l->path, tc->line);
    if (!job_file_path(tc->file, tc->classname, &l->file_path, &l->file_path_cap))
        return ib_fail(err, IB_ERR, "%s: out of memory", l->path);
    l->class_name = job_class_name(tc->classname);
    uint64_t hash = job_key_hash(l->file_path, l->class_name, tc->name);
    int64_t index;
    struct job_result *r;
    int found = keymap_get(l->keys, hash, l->file_path, l->class_name, tc->name, &index);
    r = found ? &l->job->results[index] : new_result(l, hash, tc->name);
    if (!r)
        return ib_fail(err, IB_ERR, "%s: out of memory", l->path);
    r->status = tc->status == JUNIT_SKIPPED  ? RESULT_SKIPPED
                : tc->status == JUNIT_PASSED ? RESULT_PASSED
                                             : RESULT_FAILED;
    r->failure_message = NULL;
    if (tc->message &&
        !(r->failure_message = arena_strndup(l->job->arena, tc->message, tc->message_len)))
        return ib_fail(err, IB_ERR, "%s: out of memory", l->path);
    if (l->is_rerun) {
        r->was_rerun = 1;
        r->rerun_still_failed = r->status == RESULT_FAILED;
        if (!found)
            r->order_index = l->next_order++;
    } else {
        r->order_index = l->next_order++;
        r->jenkins_topology = l->topology;
        r->was_rerun = r->rerun_still_failed = 0;
    }
    return IB_OK;
}

static int read_file(struct loader *l, const char *path, struct ib_error *err)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t stem_len = strlen(base);
    if (stem_len > 4 && !strcmp(base + stem_len - 4, ".xml"))
        stem_len -= 4;
    const char *topology;
    size_t topology_len;
    classify(base, stem_len, &l->is_rerun, &topology, &topology_len);
    l->topology = arena_strndup(l->job->arena, topology, topology_len);
    if (!l->topology)
        return ib_fail(err, IB_ERR, "%s: out of memory", path);
    l->path = path;
    int rc = junit_parse_file(path, on_testcase, l, err);
    if (rc == IB_OK)
        l->job->files_read++;
    return rc;
}

static void compute_stats(struct job *job)
{
    struct job_stats *s = &job->stats;
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < job->count; i++) {
        enum result_status st = job->results[i].status;
        if (st == RESULT_PASSED)
            s->passed++;
        else if (st == RESULT_FAILED)
            s->failed++;
        else
            s->skipped++;
    }
    s->total = (long)job->count;
    if (s->total > 0) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.2f", 100.0 * (double)s->passed / (double)s->total);
        s->pass_rate = strtod(buf, NULL);
    }
}

void job_free(struct job *job)
{
    if (!job)
        return;
    free(job->results);
    arena_free(job->arena);
    memset(job, 0, sizeof *job);
}

/* Reads the files in the order given; reruns are told from main runs by name. */
static int load_ordered(struct job *job, const char *const *paths, size_t npaths,
                        struct ib_error *err)
{
    memset(job, 0, sizeof *job);
    struct loader l;
    memset(&l, 0, sizeof l);
    l.job = job;
    job->arena = arena_new();
    l.keys = keymap_new(1024, 0);
    int rc = IB_OK;
    if (!job->arena || !l.keys)
        rc = ib_fail(err, IB_ERR, "out of memory");
    for (size_t i = 0; i < npaths && rc == IB_OK; i++)
        rc = read_file(&l, paths[i], err);
    keymap_free(l.keys);
    free(l.file_path);
    if (rc != IB_OK) {
        job_free(job);
        return rc;
    }
    compute_stats(job);
    return IB_OK;
}

int job_load_files(struct job *job, const char *const *paths, size_t npaths,
                   struct ib_error *err)
{
    if (npaths == 0) {
        memset(job, 0, sizeof *job);
        return ib_fail(err, IB_ERR, "no xml files given");
    }
    return load_ordered(job, paths, npaths, err);
}

static int by_name(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int rx = !strncmp(x, "re_run_", 7), ry = !strncmp(y, "re_run_", 7);
    if (rx != ry)
        return rx - ry;   /* main runs first */
    return strcmp(x, y);
}

void job_free_paths(char **paths, size_t npaths)
{
    for (size_t i = 0; i < npaths; i++)
        free(paths[i]);
    free(paths);
}

static int is_directory(const char *dir, const char *name)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    struct stat st;
    int yes = 0;
    if (path) {
        sprintf(path, "%s/%s", dir, name);
        yes = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        free(path);
    }
    return yes;
}

/* The names of the directory's *.xml files, main runs then reruns, each in name order. */
static int list_xml(const char *dir, char ***out, size_t *count, struct ib_error *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        char text[128];
        return ib_fail(err, IB_ERR, "%s: %s", dir,
                       ib_errno_text(errno, "no such directory", text, sizeof text));
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = IB_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".xml") || is_directory(dir, e->d_name))
            continue;
        if (n == cap) {
            char **grown = realloc(names, (cap ? cap * 2 : 16) * sizeof *names);
            if (!grown) {
                rc = ib_fail(err, IB_ERR, "%s: out of memory", dir);
                break;
            }
            names = grown;
            cap = cap ? cap * 2 : 16;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = ib_fail(err, IB_ERR, "%s: out of memory", dir);
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == IB_OK && n == 0)
        rc = ib_fail(err, IB_ERR, "%s: no xml files", dir);
    if (rc != IB_OK) {
        job_free_paths(names, n);
        return rc;
    }
    qsort(names, n, sizeof *names, by_name);
    *out = names;
    *count = n;
    return IB_OK;
}

int job_list_dir(const char *dir, char ***paths, size_t *npaths, struct ib_error *err)
{
    char **names = NULL;
    size_t n = 0;
    int rc = list_xml(dir, &names, &n, err);
    for (size_t i = 0; i < n && rc == IB_OK; i++) {
        char *path = malloc(strlen(dir) + strlen(names[i]) + 2);
        if (!path) {
            rc = ib_fail(err, IB_ERR, "%s: out of memory", dir);
            break;
        }
        sprintf(path, "%s/%s", dir, names[i]);
        free(names[i]);
        names[i] = path;
    }
    if (rc != IB_OK) {
        job_free_paths(names, n);
        return rc;
    }
    *paths = names;
    *npaths = n;
    return IB_OK;
}

int job_load_dir(struct job *job, const char *dir, struct ib_error *err)
{
    char **paths = NULL;
    size_t n = 0;
    memset(job, 0, sizeof *job);
    int rc = job_list_dir(dir, &paths, &n, err);
    if (rc != IB_OK)
        return rc;
    rc = load_ordered(job, (const char *const *)paths, n, err);
    job_free_paths(paths, n);
    return rc;
}

const char *result_status_name(enum result_status status)
{
    switch (status) {
    case RESULT_PASSED: return "PASSED";
    case RESULT_FAILED: return "FAILED";
    case RESULT_SKIPPED: return "SKIPPED";
    }
    return "UNKNOWN";
}

/* Murmur-style mixing, eight bytes a step; each part's length is mixed in
 * after it, so ("ab", "c") and ("a", "bc") differ. For in-process use only:
 * the value depends on the machine's byte order. */
#define HASH_M1 UINT64_C(0x87c37b91114253d5)
#define HASH_M2 UINT64_C(0x4cf5ad432745937f)

static uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t hash_word(uint64_t h, uint64_t k)
{
    k *= HASH_M1;
    k = rotl64(k, 31);
    k *= HASH_M2;
    h ^= k;
    return rotl64(h, 27) * 5 + 0x52dce729;
}

static uint64_t hash_part(uint64_t h, const char *s)
{
    size_t n = strlen(s), i = 0;
    uint64_t w;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        h = hash_word(h, w);
    }
    w = 0;
    memcpy(&w, s + i, n - i);
    h = hash_word(h, w);
    return hash_word(h, (uint64_t)n);
}

uint64_t job_key_hash(const char *file_path, const char *class_name, const char *test_name)
{
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15);
    h = hash_part(h, file_path);
    h = hash_part(h, class_name);
    h = hash_part(h, test_name);
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return h;
}

int job_key_compare(const struct job_result *a, const struct job_result *b)
{
    int c = strcmp(a->file_path, b->file_path);
    if (c == 0)
        c = strcmp(a->class_name, b->class_name);
    if (c == 0)
        c = strcmp(a->test_name, b->test_name);
    return c;
}

char *job_normalised_name(const char *test_name, char *buf, size_t buflen)
{
    if (buflen == 0)
        return buf;
    size_t n = strlen(test_name);
    const char *open = strchr(test_name, '[');
    if (open && n > 0 && test_name[n - 1] == ']')
        n = (size_t)(open - test_name);
    if (n >= buflen)
        n = buflen - 1;
    memcpy(buf, test_name, n);
    buf[n] = '\0';
    return buf;
}
