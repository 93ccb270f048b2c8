/* test_junitgen.c: the generator's library: what it writes, read back with
 * libxml2, against what its summary claims and what the job model expects. */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "junitgen.h"
#include "jobscan.h"

static void generate(const char *dir, const struct junitgen_options *o,
                     struct junitgen_summary *s)
{
    char err[512] = "";
    int rc = junitgen_write_job(o, dir, s, err, sizeof err);
    if (rc != 0)
        fail_msg("junitgen_write_job: %s", err);
}

static struct junitgen_options options(uint64_t n, enum junitgen_dialect d)
{
    struct junitgen_options o;
    junitgen_defaults(&o);
    o.results = n;
    o.dialect = d;
    return o;
}

static char *subdir(const char *base, const char *name)
{
    size_t len = strlen(base) + strlen(name) + 2;
    char *p = malloc(len);
    snprintf(p, len, "%s/%s", base, name);
    return p;
}

/* "<testcase" tags in the raw text of every XML file, and their total size. */
static uint64_t count_tags(const char *dir, uint64_t *bytes)
{
    struct dirent **names;
    int n = scandir(dir, &names, scan_xml_only, scan_by_name);
    uint64_t count = 0;
    *bytes = 0;
    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
        char path[4096];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        char *text = read_whole_file(path, &len);
        assert_non_null(text);
        *bytes += len;
        for (const char *p = text; (p = strstr(p, "<testcase")) != NULL; p += 9)
            count += p[9] == ' ' || p[9] == '>';
        free(text);
        free(names[i]);
    }
    free(names);
    return count;
}

static void assert_xmllint_clean(const char *dir)
{
    struct cmd_result r;
    run_cmd(&r, "xmllint --noout '%s'/*.xml", dir);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    cmd_result_free(&r);
}

/* Everything the summary states, checked against the files; the merged
 * outcomes recomputed with the application's rule (last occurrence wins). */
static void check_job(const char *dir, const struct junitgen_options *o,
                      const struct junitgen_summary *s)
{
    struct job_scan js;
    uint64_t bytes;
    assert_int_equal(scan_job(&js, dir), 0);
    assert_int_equal(js.files, s->files);
    assert_int_equal(js.main_files, o->files);
    assert_int_equal(count_tags(dir, &bytes), s->testcases);
    assert_int_equal(bytes, s->bytes);
    assert_int_equal(js.n, s->testcases);
    assert_int_equal(js.main_cases, o->results + s->dups);
    assert_int_equal(js.rerun_cases, s->reruns);
    assert_int_equal(s->keys, o->results);

    scan_sort(&js);
    uint64_t keys = 0, counts[4] = {0}, still_failed = 0, twice = 0;
    for (size_t i = 0; i < js.n;) {
        size_t j = i, mains = 0;
        const struct occurrence *last = &js.occ[i], *rerun = NULL;
        for (; j < js.n && strcmp(js.occ[j].key, js.occ[i].key) == 0; j++) {
            last = &js.occ[j];
            if (js.occ[j].rerun) {
                assert_null(rerun);                  /* one rerun per key at most */
                rerun = &js.occ[j];
            } else {
                mains++;
            }
        }
        assert_true(mains >= 1 && mains <= 2);       /* reruns never bring new keys */
        if (mains == 2) {
            twice++;
            if (o->files > 1)                        /* a copy goes to another topology */
                assert_string_not_equal(js.occ[i].topology, js.occ[i + 1].topology);
        }
        if (rerun) {
            int found = 0;                           /* rerun of its own topology */
            for (size_t k = i; k < j; k++)
                found |= !js.occ[k].rerun && strcmp(js.occ[k].topology, rerun->topology) == 0;
            assert_true(found);
            still_failed += rerun->status != SCAN_PASSED;
        }
        counts[last->status]++;
        keys++;
        i = j;
    }
    assert_int_equal(keys, o->results);
    assert_int_equal(twice, s->dups);
    assert_int_equal(counts[SCAN_PASSED], s->passed);
    assert_int_equal(counts[SCAN_FAILED], s->failed);
    assert_int_equal(counts[SCAN_ERROR], s->errors);
    assert_int_equal(counts[SCAN_SKIPPED], s->skipped);
    assert_int_equal(still_failed, s->rerun_still_failed);
    scan_free(&js);
    assert_xmllint_clean(dir);
}

static void check_dialect(enum junitgen_dialect d, double dup_rate)
{
    char *tmp = tmpdir_make(), *dir = subdir(tmp, "job");
    struct junitgen_options o = options(3000, d);
    struct junitgen_summary s;
    o.dup_rate = dup_rate;
    o.rerun_rate = 0.05;
    o.message_bytes = 300;
    generate(dir, &o, &s);
    check_job(dir, &o, &s);
    assert_true(s.reruns > 0);
    assert_true(dup_rate == 0 ? s.dups == 0 : s.dups > 0);
    free(dir);
    tmpdir_remove(tmp);
}

static void test_pytest_job(void **state) { (void)state; check_dialect(JUNITGEN_PYTEST, 0); }
static void test_surefire_job(void **state) { (void)state; check_dialect(JUNITGEN_SUREFIRE, 0.1); }
static void test_gotest_job(void **state) { (void)state; check_dialect(JUNITGEN_GOTEST, 0.1); }

static void test_pytest_dups(void **state)
{
    (void)state;
    check_dialect(JUNITGEN_PYTEST, 0.25);
}

/* One topology: a copy is a second line in the same main run. */
static void test_one_topology(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), *dir = subdir(tmp, "job");
    struct junitgen_options o = options(500, JUNITGEN_GOTEST);
    struct junitgen_summary s;
    o.files = 1;
    o.dup_rate = 0.5;
    o.rerun_rate = 1.0;             /* every key rerun: failed ones and the rest */
    generate(dir, &o, &s);
    check_job(dir, &o, &s);
    assert_int_equal(s.files, 2);
    assert_int_equal(s.reruns, 500);
    free(dir);
    tmpdir_remove(tmp);
}

/* More topologies than keys: empty main runs are still written. */
static void test_more_topologies_than_keys(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), *dir = subdir(tmp, "job");
    struct junitgen_options o = options(3, JUNITGEN_SUREFIRE);
    struct junitgen_summary s;
    o.files = 9;
    o.dup_rate = 1.0;
    generate(dir, &o, &s);
    check_job(dir, &o, &s);
    assert_int_equal(s.dups, 3);
    assert_int_equal(s.testcases, 6 + s.reruns);
    free(dir);
    tmpdir_remove(tmp);
}

/* The defaults' shares, on a large enough job (the seed fixes the outcome). */
static void test_default_shares(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), *dir = subdir(tmp, "job");
    struct junitgen_options o = options(20000, JUNITGEN_PYTEST);
    struct junitgen_summary s;
    o.message_bytes = 0;
    generate(dir, &o, &s);
    assert_int_equal(s.files, 12);
    assert_int_equal(s.passed + s.failed + s.errors + s.skipped, 20000);
    assert_in_range(s.reruns, 150, 250);                     /* 1% */
    assert_in_range(s.dups, 0, 0);
    /* before reruns: 90 / 7 / 1 / 2 %; half the reruns turn a failure into a pass */
    assert_in_range(s.failed + s.errors + s.reruns - s.rerun_still_failed, 1500, 1700);
    assert_in_range(s.errors, 120, 260);
    assert_in_range(s.skipped, 330, 470);
    assert_in_range(s.rerun_still_failed, 60, 140);
    free(dir);
    tmpdir_remove(tmp);
}

static void digest_of(const char *tmp, const char *name, const struct junitgen_options *o,
                      char out[65])
{
    char *dir = subdir(tmp, name);
    struct junitgen_summary s;
    generate(dir, o, &s);
    digest_dir(dir, out);
    free(dir);
}

/* Same options, same bytes; another seed, other bytes; in every dialect. */
static void test_deterministic(void **state)
{
    (void)state;
    char *tmp = tmpdir_make();
    for (int d = JUNITGEN_PYTEST; d <= JUNITGEN_GOTEST; d++) {
        char a[65], b[65], c[65], name[32];
        struct junitgen_options o = options(2000, (enum junitgen_dialect)d);
        o.dup_rate = 0.05;
        snprintf(name, sizeof name, "%d-a", d);
        digest_of(tmp, name, &o, a);
        snprintf(name, sizeof name, "%d-b", d);
        digest_of(tmp, name, &o, b);
        o.seed = 2;
        snprintf(name, sizeof name, "%d-c", d);
        digest_of(tmp, name, &o, c);
        assert_string_equal(a, b);
        assert_string_not_equal(a, c);
    }
    tmpdir_remove(tmp);
}

/* The same bytes on any machine: a digest recorded once. Any change to what
 * the generator writes changes it; update it then, deliberately. */
static void test_recorded_digest(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), digest[65];
    struct junitgen_options o = options(1000, JUNITGEN_PYTEST);
    o.dup_rate = 0.1;
    digest_of(tmp, "job", &o, digest);
    assert_string_equal(digest, "16b32dab644f4ccaf15d68a486c8ebc3903f2da09bdc2db2b77e9dcd9216c91f");
    tmpdir_remove(tmp);
}

static int is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* <14 digits>_<module>_<topology>.xml and re_run_<module>_<topology>.xml,
 * topology without '_', nothing else in the directory. */
static void test_file_names(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), *dir = subdir(tmp, "job");
    struct junitgen_options o = options(2000, JUNITGEN_PYTEST);
    struct junitgen_summary s;
    o.files = 9;
    o.module = "ha_core";
    o.rerun_rate = 0.2;
    generate(dir, &o, &s);

    struct dirent **names;
    int n = scandir(dir, &names, NULL, scan_by_name), mains = 0, reruns = 0;
    char previous_stamp[15] = "";
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (strcmp(name, ".") && strcmp(name, "..")) {
            size_t len = strlen(name);
            assert_true(len > 4 && strcmp(name + len - 4, ".xml") == 0);
            const char *rest = scan_is_rerun(name) ? name + 7 : name + 15;
            if (scan_is_rerun(name)) {
                reruns++;
            } else {
                assert_true(is_digits(name, 14) && name[14] == '_');
                assert_true(strncmp(name, previous_stamp, 14) > 0);    /* topology order */
                memcpy(previous_stamp, name, 14);
                previous_stamp[14] = '\0';
                mains++;
            }
            assert_memory_equal(rest, "ha_core_", 8);
            const char *topology = rest + 8;
            assert_null(memchr(topology, '_', strlen(topology)));
            assert_true(strlen(topology) > 4);
        }
        free(names[i]);
    }
    free(names);
    assert_int_equal(mains, 9);
    assert_int_equal(reruns, 9);
    assert_int_equal(mains + reruns, s.files);

    char name[256];
    assert_int_equal(junitgen_file_name(&o, 0, 0, name, sizeof name), 0);
    assert_string_equal(name, "20260518031634_ha_core_ha-pair.xml");
    assert_int_equal(junitgen_file_name(&o, 8, 1, name, sizeof name), 0);
    assert_string_equal(name, "re_run_ha_core_cluster-9.xml");
    assert_int_equal(junitgen_file_name(&o, 0, 0, name, 20), -1);
    o.seed = 7;
    assert_int_equal(junitgen_file_name(&o, 0, 0, name, sizeof name), 0);
    assert_string_not_equal(name, "20260518031634_ha_core_ha-pair.xml");
    free(dir);
    tmpdir_remove(tmp);
}

static int entries(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, NULL), count = 0;
    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
        count += strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..");
        free(names[i]);
    }
    free(names);
    return count;
}

/* A failure in the middle of a job removes the files already written: here
 * topology 3's main run cannot be created (a directory holds its temp name). */
static void test_failure_leaves_nothing(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), name[256], blocker[4096], err[512];
    struct junitgen_options o = options(3000, JUNITGEN_PYTEST);
    struct junitgen_summary s;
    assert_int_equal(junitgen_file_name(&o, 3, 0, name, sizeof name), 0);
    snprintf(blocker, sizeof blocker, "%s/.junitgen-%s.tmp", tmp, name);
    assert_int_equal(mkdir(blocker, 0777), 0);

    assert_int_equal(junitgen_write_job(&o, tmp, &s, err, sizeof err), 1);
    char want[4500];
    snprintf(want, sizeof want, "%s: cannot create %s: is a directory", tmp, name);
    assert_string_equal(err, want);
    assert_int_equal(entries(tmp), 1);              /* the blocker alone */
    assert_int_equal(s.files, 0);
    tmpdir_remove(tmp);
}

static void test_refuses_directory_with_a_job(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), err[512], path[4096], want[4500];
    struct junitgen_options o = options(100, JUNITGEN_PYTEST);
    struct junitgen_summary s;
    snprintf(path, sizeof path, "%s/old.xml", tmp);
    assert_int_equal(write_whole_file(path, "<x/>", 4), 0);
    assert_int_equal(junitgen_write_job(&o, tmp, &s, err, sizeof err), 1);
    snprintf(want, sizeof want, "%s: already holds XML files (old.xml); give an empty or new directory", tmp);
    assert_string_equal(err, want);
    assert_int_equal(entries(tmp), 1);
    tmpdir_remove(tmp);
}

static void test_bad_directories(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), err[512], path[4096], want[4600];
    struct junitgen_options o = options(100, JUNITGEN_PYTEST);
    struct junitgen_summary s;

    snprintf(path, sizeof path, "%s/no/such", tmp);
    assert_int_equal(junitgen_write_job(&o, path, &s, err, sizeof err), 1);
    snprintf(want, sizeof want, "%s: cannot create directory: no such file or directory", path);
    assert_string_equal(err, want);

    snprintf(path, sizeof path, "%s/file", tmp);
    assert_int_equal(write_whole_file(path, "x", 1), 0);
    assert_int_equal(junitgen_write_job(&o, path, &s, err, sizeof err), 1);
    snprintf(want, sizeof want, "%s: not a directory", path);
    assert_string_equal(err, want);
    assert_int_equal(entries(tmp), 1);
    tmpdir_remove(tmp);
}

static void test_invalid_options(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), *dir = subdir(tmp, "job"), err[512], want[4200];
    struct junitgen_options o = options(100, JUNITGEN_PYTEST);
    struct junitgen_summary s;
    o.fail_rate = 0.5;
    o.skip_rate = 0.6;
    assert_int_equal(junitgen_write_job(&o, dir, &s, err, sizeof err), 2);
    snprintf(want, sizeof want, "%s: fail_rate + error_rate + skip_rate must not exceed 1", dir);
    assert_string_equal(err, want);
    o = options(0, JUNITGEN_PYTEST);
    assert_int_equal(junitgen_write_job(&o, dir, &s, err, sizeof err), 2);
    snprintf(want, sizeof want, "%s: results must be from 1 to 1000000000", dir);
    assert_string_equal(err, want);
    o = options(10, JUNITGEN_PYTEST);
    o.module = "high-availability";
    assert_int_equal(junitgen_write_job(&o, dir, &s, err, sizeof err), 2);
    o = options(10, JUNITGEN_PYTEST);
    o.dup_rate = -0.1;
    assert_int_equal(junitgen_write_job(&o, dir, &s, err, sizeof err), 2);
    snprintf(want, sizeof want, "%s: dup_rate must be from 0 to 1", dir);
    assert_string_equal(err, want);
    assert_int_equal(entries(tmp), 0);              /* nothing created */
    free(dir);
    tmpdir_remove(tmp);
}

/* In-process callers (verify, bench) rely on silence, on success and failure. */
static void test_prints_nothing(void **state)
{
    (void)state;
    char *tmp = tmpdir_make(), *dir = subdir(tmp, "job"), *log = subdir(tmp, "log"), err[512];
    struct junitgen_options o = options(500, JUNITGEN_SUREFIRE);
    struct junitgen_summary s;
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0 && saved_out >= 0 && saved_err >= 0);
    dup2(fd, 1);
    dup2(fd, 2);
    int ok = junitgen_write_job(&o, dir, &s, err, sizeof err);
    int refused = junitgen_write_job(&o, dir, &s, err, sizeof err);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(fd);
    close(saved_out);
    close(saved_err);
    assert_int_equal(ok, 0);
    assert_int_equal(refused, 1);
    struct stat sb;
    assert_int_equal(stat(log, &sb), 0);
    assert_int_equal(sb.st_size, 0);
    free(dir);
    free(log);
    tmpdir_remove(tmp);
}

static void test_parse_count(void **state)
{
    (void)state;
    struct { const char *text; uint64_t want; } good[] = {
        {"0", 0}, {"1000", 1000}, {"1k", 1000}, {"5k", 5000}, {"10k", 10000},
        {"1M", 1000000}, {"2K", 2000}, {"18446744073709551615", UINT64_MAX},
    };
    const char *bad[] = {"", "k", "-1", " 1", "1.5k", "1G", "1kk", "1m", "0x10",
                         "18446744073709551616", "18446744073709551615k", "1 "};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint64_t v = 7;
        assert_int_equal(junitgen_parse_count(good[i].text, &v), 0);
        assert_int_equal(v, good[i].want);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t v = 7;
        assert_int_equal(junitgen_parse_count(bad[i], &v), -1);
        assert_int_equal(v, 7);
    }
}

static void test_dialect_names(void **state)
{
    (void)state;
    enum junitgen_dialect d;
    for (int i = JUNITGEN_PYTEST; i <= JUNITGEN_GOTEST; i++) {
        assert_int_equal(junitgen_dialect_parse(junitgen_dialect_name((enum junitgen_dialect)i), &d), 0);
        assert_int_equal(d, i);
    }
    assert_int_equal(junitgen_dialect_parse("junit", &d), -1);
    assert_int_equal(junitgen_dialect_parse("", &d), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pytest_job),
        cmocka_unit_test(test_surefire_job),
        cmocka_unit_test(test_gotest_job),
        cmocka_unit_test(test_pytest_dups),
        cmocka_unit_test(test_one_topology),
        cmocka_unit_test(test_more_topologies_than_keys),
        cmocka_unit_test(test_default_shares),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_recorded_digest),
        cmocka_unit_test(test_file_names),
        cmocka_unit_test(test_failure_leaves_nothing),
        cmocka_unit_test(test_refuses_directory_with_a_job),
        cmocka_unit_test(test_bad_directories),
        cmocka_unit_test(test_invalid_options),
        cmocka_unit_test(test_prints_nothing),
        cmocka_unit_test(test_parse_count),
        cmocka_unit_test(test_dialect_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
