/* bench_fixture.c: the fixture cache (job directories named by a digest of the
 * generator options that made them), work directories, and flushed copies of
 * template databases. */
#include "bench_fixture.h"

#include <dirent.h>
#include <sqlite3.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"

/* Bump when the layout of a cached fixture or template changes. */
#define FIXTURE_FORMAT 1
#define TEMPLATE_FORMAT 1
#define PATH_MAX_LEN 4096

/* Every generator option, one per line: what the manifest must repeat for the
 * fixture to be reused. */
static void options_text(const struct junitgen_options *o, char *buf, size_t len)
{
    snprintf(buf, len,
             "importbench fixture %d\nresults %llu\nfiles %u\nseed %llu\nfail_rate %.17g\n"
             "error_rate %.17g\nskip_rate %.17g\nrerun_rate %.17g\ndup_rate %.17g\n"
             "message_bytes %zu\ndialect %s\nmodule %s\n",
             FIXTURE_FORMAT, (unsigned long long)o->results, o->files,
             (unsigned long long)o->seed, o->fail_rate, o->error_rate, o->skip_rate,
             o->rerun_rate, o->dup_rate, o->message_bytes, junitgen_dialect_name(o->dialect),
             o->module ? o->module : "");
}

/* "path: <strerror, lowercased>" for errno, as every message here reads. */
static int sys_fail(struct ib_error *err, const char *path)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s", errno == ENOENT ? "no such file" : strerror(errno));
    if (msg[0] >= 'A' && msg[0] <= 'Z')
        msg[0] = (char)(msg[0] - 'A' + 'a');
    return ib_fail(err, IB_ERR, "%s: %s", path, msg);
}

int fixture_make_dirs(const char *dir, struct ib_error *err)
{
    char path[PATH_MAX_LEN];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return ib_fail(err, IB_ERR, "%s: path too long", dir);
    for (char *p = path + 1;; p++) {
        char c = *p;
        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return sys_fail(err, path);
        *p = c;
        if (c == '\0')
            break;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return ib_fail(err, IB_ERR, "%s: not a directory", dir);
    return IB_OK;
}

int fixture_work_dir(const char *parent, char *out, size_t len, struct ib_error *err)
{
    if (fixture_make_dirs(parent, err) != IB_OK)
        return IB_ERR;
    if (snprintf(out, len, "%s/work-XXXXXX", parent) >= (int)len)
        return ib_fail(err, IB_ERR, "%s: path too long", parent);
    if (!mkdtemp(out))
        return sys_fail(err, out);
    return IB_OK;
}

int fixture_remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    int status = 0;
    if (!d)
        return errno == ENOENT ? 0 : -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[PATH_MAX_LEN];
        struct stat st;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path) {
            status = -1;
            continue;
        }
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            status |= fixture_remove_tree(path);
        else if (unlink(path) != 0)
            status = -1;
    }
    closedir(d);
    return rmdir(dir) == 0 ? status : -1;
}

void fixture_remove_db(const char *path)
{
    char side[PATH_MAX_LEN + 600];
    unlink(path);
    snprintf(side, sizeof side, "%s-journal", path);
    unlink(side);
}

static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

int fixture_copy_file(const char *src, const char *dst, struct ib_error *err)
{
    enum { CHUNK = 1 << 20 };
    char *buf = malloc(CHUNK);
    int in = open(src, O_RDONLY), out = -1, status = IB_OK;
    if (!buf)
        status = ib_fail(err, IB_ERR, "%s: out of memory", dst);
    else if (in < 0)
        status = sys_fail(err, src);
    else if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0)
        status = sys_fail(err, dst);
    while (status == IB_OK) {
        ssize_t r = read(in, buf, CHUNK);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            status = sys_fail(err, src);
        else if (r == 0)
            break;
        else if (write_all(out, buf, (size_t)r) != 0)
            status = sys_fail(err, dst);
    }
    if (status == IB_OK && fsync(out) != 0)
        status = sys_fail(err, dst);
    if (out >= 0 && close(out) != 0 && status == IB_OK)
        status = sys_fail(err, dst);
    if (in >= 0)
        close(in);
    free(buf);
    return status;
}

static ssize_t read_at(int fd, char *buf, size_t n, off_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, off + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static int write_at(int fd, const char *buf, size_t n, off_t off)
{
    while (n > 0) {
        ssize_t w = pwrite(fd, buf, n, off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
        off += w;
    }
    return 0;
}

/* The differing blocks of src written over dst, and dst's length set. */
static int patch_blocks(int in, int out, const char *src, const char *dst, char *a, char *b,
                        size_t block, struct ib_error *err)
{
    struct stat st;
    if (fstat(in, &st) != 0)
        return sys_fail(err, src);
    for (off_t off = 0; off < st.st_size; off += (off_t)block) {
        ssize_t na = read_at(in, a, block, off), nb;
        if (na < 0)
            return sys_fail(err, src);
        if ((nb = read_at(out, b, (size_t)na, off)) < 0)
            return sys_fail(err, dst);
        if ((nb != na || memcmp(a, b, (size_t)na)) && write_at(out, a, (size_t)na, off) != 0)
            return sys_fail(err, dst);
    }
    if (ftruncate(out, st.st_size) != 0 || fsync(out) != 0)
        return sys_fail(err, dst);
    return IB_OK;
}

int fixture_restore_file(const char *src, const char *dst, struct ib_error *err)
{
    enum { BLOCK = 1 << 16 };
    char journal[PATH_MAX_LEN + 16];
    snprintf(journal, sizeof journal, "%s-journal", dst);
    unlink(journal);
    int out = open(dst, O_RDWR);
    if (out < 0 && errno == ENOENT)
        return fixture_copy_file(src, dst, err);
    if (out < 0)
        return sys_fail(err, dst);
    int in = open(src, O_RDONLY), status;
    char *a = malloc(BLOCK), *b = malloc(BLOCK);
    if (in < 0)
        status = sys_fail(err, src);
    else if (!a || !b)
        status = ib_fail(err, IB_ERR, "%s: out of memory", dst);
    else
        status = patch_blocks(in, out, src, dst, a, b, BLOCK, err);
    if (close(out) != 0 && status == IB_OK)
        status = sys_fail(err, dst);
    if (in >= 0)
        close(in);
    free(a);
    free(b);
    return status;
}

static int count_xml(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        n += len > 4 && !strcmp(e->d_name + len - 4, ".xml");
    }
    closedir(d);
    return n;
}

/* Whether the manifest names these options and the XML files it counted are there. */
static int fixture_complete(const char *manifest, const char *want, const char *xml_dir)
{
    char text[2048];
    FILE *f = fopen(manifest, "r");
    if (!f)
        return 0;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    size_t wlen = strlen(want);
    const char *files;
    unsigned count;
    if (strncmp(text, want, wlen) || !(files = strstr(text + wlen, "files_written ")) ||
        sscanf(files, "files_written %u", &count) != 1)
        return 0;
    return count_xml(xml_dir) == (int)count;
}

static int write_manifest(const char *path, const char *options,
                          const struct junitgen_summary *s, struct ib_error *err)
{
    char tmp[PATH_MAX_LEN + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return sys_fail(err, tmp);
    fprintf(f, "%stestcases %llu\nbytes %llu\nfiles_written %u\n", options,
            (unsigned long long)s->testcases, (unsigned long long)s->bytes, s->files);
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        return ib_fail(err, IB_ERR, "%s: cannot write the manifest", path);
    }
    return IB_OK;
}

int fixture_job_dir(const char *cache_dir, const struct junitgen_options *opt, char *dir,
                    size_t len, int *generated, struct ib_error *err)
{
    char options[1024], hex[65], root[PATH_MAX_LEN], manifest[PATH_MAX_LEN + 16];
    struct sha256 h;
    options_text(opt, options, sizeof options);
    sha256_init(&h);
    sha256_update(&h, options, strlen(options));
    sha256_hex(&h, hex);
    *generated = 0;
    if (snprintf(root, sizeof root, "%s/job-%llu-%.12s", cache_dir,
                 (unsigned long long)opt->results, hex) >= (int)sizeof root ||
        snprintf(dir, len, "%s/xml", root) >= (int)len)
        return ib_fail(err, IB_ERR, "%s: path too long", cache_dir);
    snprintf(manifest, sizeof manifest, "%s/MANIFEST", root);
    if (fixture_complete(manifest, options, dir))
        return IB_OK;
    if (fixture_remove_tree(root) != 0)
        return ib_fail(err, IB_ERR, "%s: cannot remove an incomplete fixture", root);
    if (fixture_make_dirs(root, err) != IB_OK)
        return IB_ERR;
    struct junitgen_summary summary;
    char msg[512];
    if (junitgen_write_job(opt, dir, &summary, msg, sizeof msg) != 0)
        return ib_fail(err, IB_ERR, "%s", msg);
    *generated = 1;
    return write_manifest(manifest, options, &summary, err);
}

void fixture_fingerprint(char out[FIXTURE_FINGERPRINT_LEN + 1])
{
    enum { CHUNK = 1 << 16 };
    char head[64], hex[65];
    unsigned char *buf = malloc(CHUNK);
    int fd = open("/proc/self/exe", O_RDONLY);
    struct sha256 h;
    ssize_t r = 0;
    out[0] = '\0';
    if (buf && fd >= 0) {
        snprintf(head, sizeof head, "template %d sqlite %s\n", TEMPLATE_FORMAT,
                 sqlite3_libversion());
        sha256_init(&h);
        sha256_update(&h, head, strlen(head));
        while ((r = read(fd, buf, CHUNK)) > 0 || (r < 0 && errno == EINTR))
            if (r > 0)
                sha256_update(&h, buf, (size_t)r);
        if (r == 0) {
            sha256_hex(&h, hex);
            memcpy(out, hex, FIXTURE_FINGERPRINT_LEN);
            out[FIXTURE_FINGERPRINT_LEN] = '\0';
        }
    }
    if (fd >= 0)
        close(fd);
    free(buf);
}

void fixture_prune_templates(const char *cache_dir, const char *fingerprint)
{
    char dir[PATH_MAX_LEN], path[PATH_MAX_LEN + 256];
    snprintf(dir, sizeof dir, "%s/templates", cache_dir);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            strcmp(e->d_name, fingerprint)) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            fixture_remove_tree(path);
        }
    closedir(d);
}

/* "job-1000-0123456789ab" of ".../job-1000-0123456789ab/xml". */
static void job_key(const char *job_dir, char *out, size_t len)
{
    const char *end = job_dir + strlen(job_dir), *start;
    if (end - job_dir > 4 && !strcmp(end - 4, "/xml"))
        end -= 4;
    for (start = end; start > job_dir && start[-1] != '/'; start--)
        ;
    snprintf(out, len, "%.*s", (int)(end - start), start);
}

/* The template's directory and file name; -1 when too long. */
static int template_path(const char *cache_dir, const char *fingerprint, const char *tmp_dir,
                         const char *job_dir, enum schema_profile profile, enum scenario s,
                         int history, char *dir, size_t dirlen, char *path, size_t len)
{
    char key[256];
    if (fingerprint[0])
        snprintf(dir, dirlen, "%s/templates/%s", cache_dir, fingerprint);
    else
        snprintf(dir, dirlen, "%s", tmp_dir);
    job_key(job_dir, key, sizeof key);
    return snprintf(path, len, "%s/%s-%s-%s-h%d.db", dir, key, schema_profile_name(profile),
                    scenario_name(s), history) >= (int)len ? -1 : 0;
}

int fixture_template_cached(const char *cache_dir, const char *fingerprint, const char *job_dir,
                            enum schema_profile profile, enum scenario s, int history)
{
    char dir[PATH_MAX_LEN], path[PATH_MAX_LEN + 512];
    struct stat st;
    return fingerprint[0] &&
           template_path(cache_dir, fingerprint, "", job_dir, profile, s, history, dir,
                         sizeof dir, path, sizeof path) == 0 &&
           stat(path, &st) == 0;
}

int fixture_template(const char *cache_dir, const char *fingerprint, const char *tmp_dir,
                     const char *job_dir, enum schema_profile profile, enum scenario s,
                     int history, char *path, size_t len, int *built, struct ib_error *err)
{
    char dir[PATH_MAX_LEN], tmp[PATH_MAX_LEN + 64];
    struct stat st;
    *built = 0;
    if (template_path(cache_dir, fingerprint, tmp_dir, job_dir, profile, s, history, dir,
                      sizeof dir, path, len) != 0)
        return ib_fail(err, IB_ERR, "%s: path too long", dir);
    if (fixture_make_dirs(dir, err) != IB_OK)
        return IB_ERR;
    if (stat(path, &st) == 0)
        return IB_OK;
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    fixture_remove_db(tmp);
    if (scenario_build_db(tmp, profile, s, job_dir, history, err) != IB_OK) {
        fixture_remove_db(tmp);
        return ib_wrap(err, "%s", path);
    }
    if (rename(tmp, path) != 0) {
        fixture_remove_db(tmp);
        return sys_fail(err, path);
    }
    *built = 1;
    return IB_OK;
}
