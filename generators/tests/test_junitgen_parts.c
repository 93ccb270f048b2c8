/* test_junitgen_parts.c: the generator's inner modules: the escaping writer,
 * dates and names, the plan's partition of keys, and key uniqueness. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "junitgen.h"
#include "keynames.h"
#include "naming.h"
#include "plan.h"
#include "xmlout.h"

/* Runs fn against a writer with a small buffer and returns what reached the file. */
static char *written(void (*fn)(struct xmlout *), size_t cap, uint64_t *bytes)
{
    char *tmp = tmpdir_make(), path[4096];
    snprintf(path, sizeof path, "%s/out", tmp);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    struct xmlout w;
    assert_int_equal(xo_open(&w, fd, cap), 0);
    fn(&w);
    assert_int_equal(xo_finish(&w), 0);
    *bytes = w.bytes;
    xo_close(&w);
    close(fd);
    char *text = read_whole_file(path, NULL);
    tmpdir_remove(tmp);
    return text;
}

static void write_escapes(struct xmlout *w)
{
    xo_attr_str(w, "a&b<c>d\"e'f\tg\nh\ri \xc3\x9c");
    xo_lit(w, "|");
    xo_text_str(w, "a&b<c>d\"e'\n\r\xe2\x9c\x93");
    xo_lit(w, "|");
    xo_cdata(w, "x]]>y]]>", 8);
    xo_lit(w, "|");
    xo_u64(w, 0);
    xo_lit(w, " ");
    xo_u64(w, UINT64_MAX);
    xo_lit(w, " ");
    xo_ms(w, 0);
    xo_lit(w, " ");
    xo_ms(w, 12034);
    xo_lit(w, " ");
    xo_ms(w, 999);
}

static void test_escaping(void **state)
{
    (void)state;
    uint64_t bytes;
    char *text = written(write_escapes, 1 << 16, &bytes);
    assert_string_equal(text,
        "a&amp;b&lt;c&gt;d&quot;e&apos;f&#9;g&#10;h&#13;i \xc3\x9c|"
        "a&amp;b&lt;c&gt;d\"e'\n&#13;\xe2\x9c\x93|"
        "x]]]]><![CDATA[>y]]]]><![CDATA[>|"
        "0 18446744073709551615 0.000 12.034 0.999");
    assert_int_equal(bytes, strlen(text));
    free(text);
}

/* Writes much larger than the buffer, in pieces of every size. */
static void write_long(struct xmlout *w)
{
    char chunk[300];
    for (int i = 0; i < 300; i++)
        chunk[i] = (char)('a' + i % 26);
    for (size_t n = 0; n <= 300; n += 7) {
        xo_raw(w, chunk, n);
        xo_attr(w, "&", 1);
    }
}

static void test_small_buffer(void **state)
{
    (void)state;
    uint64_t small, large;
    char *a = written(write_long, 64, &small), *b = written(write_long, 1 << 20, &large);
    assert_string_equal(a, b);
    assert_int_equal(small, strlen(a));
    assert_int_equal(large, strlen(b));
    assert_int_equal(strlen(a), 43 * 5 + (0 + 294) * 43 / 2);
    free(a);
    free(b);
}

static void test_write_error_is_kept(void **state)
{
    (void)state;
    int fd = open("/dev/null", O_RDONLY);
    struct xmlout w;
    assert_true(fd >= 0);
    assert_int_equal(xo_open(&w, fd, 64), 0);
    for (int i = 0; i < 100; i++)
        xo_lit(&w, "0123456789");
    assert_int_equal(w.err, EBADF);         /* remembered at the first flush */
    assert_int_equal(xo_finish(&w), EBADF);
    xo_close(&w);
    close(fd);
}

static void test_dates(void **state)
{
    (void)state;
    char d[15], iso[20];
    naming_digits(0, d);
    assert_string_equal(d, "19700101000000");
    naming_digits(951782400, d);                    /* a leap day */
    assert_string_equal(d, "20000229000000");
    naming_digits(951868800, d);
    assert_string_equal(d, "20000301000000");
    naming_digits(1767225600, d);
    assert_string_equal(d, "20260101000000");
    naming_digits(4107542399u, d);
    assert_string_equal(d, "21000228235959");     /* 2100 is not a leap year */
    naming_digits(4107542400u, d);
    assert_string_equal(d, "21000301000000");
    naming_iso(1770924993, iso);
    assert_string_equal(iso, "2026-02-12T19:36:33");
}

static void test_topologies_and_times(void **state)
{
    (void)state;
    char name[32];
    const char *first[] = {"ha-pair", "3-node", "single", "5-node", "dual-dc", "mesh", "cluster-7"};
    for (unsigned t = 0; t < 7; t++) {
        naming_topology(t, name, sizeof name);
        assert_string_equal(name, first[t]);
    }
    for (unsigned t = 0; t < JUNITGEN_MAX_FILES; t++) {
        naming_topology(t, name, sizeof name);
        assert_null(strchr(name, '_'));
    }
    for (uint64_t seed = 0; seed < 50; seed++) {
        uint64_t before = 0;
        for (unsigned t = 0; t < 20; t++) {
            uint64_t at = naming_run_start(seed, t, 0);
            assert_true(at > before);
            assert_true(naming_run_start(seed, t, 1) > at);
            before = at;
        }
    }
}

static void test_blocks_partition_keys(void **state)
{
    (void)state;
    const uint64_t ns[] = {1, 3, 7, 1000, 5003};
    const unsigned fs[] = {1, 2, 6, 9};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        for (size_t j = 0; j < sizeof fs / sizeof fs[0]; j++) {
            struct junitgen_options o;
            struct plan p;
            junitgen_defaults(&o);
            o.results = ns[i];
            o.files = fs[j];
            plan_init(&p, &o);
            assert_int_equal(plan_block_start(&p, 0), 0);
            assert_int_equal(plan_block_start(&p, fs[j]), ns[i]);
            for (unsigned t = 0; t < fs[j]; t++) {
                uint64_t a = plan_block_start(&p, t), b = plan_block_start(&p, t + 1);
                assert_true(b - a == ns[i] / fs[j] || b - a == ns[i] / fs[j] + 1);
                for (uint64_t k = a; k < b; k++) {
                    assert_int_equal(plan_block_of(&p, k), t);
                    unsigned u = plan_dup_topology(&p, t, k);
                    assert_true(u < fs[j]);
                    assert_true(fs[j] == 1 || u != t);
                }
            }
        }
    }
}

/* Every duplicated key is copied exactly once, and reruns stay in their block. */
static void test_cursor_copies_each_key_once(void **state)
{
    (void)state;
    struct junitgen_options o;
    struct plan p;
    junitgen_defaults(&o);
    o.results = 997;
    o.files = 7;
    o.dup_rate = 0.3;
    o.rerun_rate = 0.2;
    plan_init(&p, &o);
    unsigned char *copies = calloc(o.results, 1);
    uint64_t total = 0, selected = 0, reruns = 0, rerun_fates = 0;
    for (unsigned t = 0; t < o.files; t++) {
        struct case_cursor c;
        struct case_group g;
        struct merged_tally tally = {0};
        uint64_t a = plan_block_start(&p, t), b = plan_block_start(&p, t + 1), own = 0;
        cursor_start(&c, &p, t, RUN_MAIN, &tally);
        while (cursor_next_group(&c, &g)) {
            assert_true(g.n >= 1 && g.n <= PLAN_GROUP_KEYS);
            for (unsigned i = 0; i < g.n; i++) {
                uint64_t k = g.cases[i].key;
                assert_int_equal(k / PLAN_GROUP_KEYS, g.group);
                if (k >= a && k < b) {
                    assert_int_equal(k, a + own);   /* own keys first, in order */
                    own++;
                } else {
                    assert_int_equal(own, b - a);
                    assert_int_equal(plan_dup_topology(&p, plan_block_of(&p, k), k), t);
                    copies[k]++;
                    total++;
                }
            }
        }
        assert_int_equal(own, b - a);
        assert_false(cursor_next_group(&c, &g));    /* stays at its end */
        cursor_start(&c, &p, t, RUN_RERUN, NULL);
        while (cursor_next_group(&c, &g))
            for (unsigned i = 0; i < g.n; i++) {
                assert_true(g.cases[i].key >= a && g.cases[i].key < b);
                reruns++;
            }
    }
    for (uint64_t k = 0; k < o.results; k++) {
        struct key_fate f;
        plan_fate(&p, k, &f);
        assert_int_equal(copies[k], f.dup ? 1 : 0);
        selected += f.dup != 0;
        rerun_fates += f.rerun != 0;
    }
    assert_int_equal(total, selected);
    assert_int_equal(reruns, rerun_fates);
    assert_true(selected > 200 && selected < 400);
    free(copies);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keys by the application's rule (file, else classname with '/' for '.';
 * the class is the classname's last dot-part): all distinct, per dialect. */
static void test_keys_distinct(void **state)
{
    (void)state;
    enum { N = 40000 };
    char **keys = malloc(N * sizeof *keys);
    for (int d = JUNITGEN_PYTEST; d <= JUNITGEN_GOTEST; d++) {
        struct key_names kn;
        for (uint64_t k = 0; k < N; k++) {
            if (k % PLAN_GROUP_KEYS == 0)
                key_names_group((enum junitgen_dialect)d, "high_availability",
                                k / PLAN_GROUP_KEYS, &kn);
            key_names_key((enum junitgen_dialect)d, k, &kn);
            char path[256];
            snprintf(path, sizeof path, "%s", kn.file_len ? kn.file : kn.classname);
            if (!kn.file_len)
                for (char *p = path; *p; p++)
                    *p = *p == '.' ? '/' : *p;
            const char *dot = strrchr(kn.classname, '.');
            size_t len = strlen(path) + strlen(kn.classname) + strlen(kn.name) + 3;
            keys[k] = malloc(len);
            snprintf(keys[k], len, "%s|%s|%s", path, dot ? dot + 1 : kn.classname, kn.name);
        }
        qsort(keys, N, sizeof *keys, by_string);
        for (int i = 0; i < N; i++) {
            if (i > 0)
                assert_string_not_equal(keys[i - 1], keys[i]);
        }
        for (int i = 0; i < N; i++)
            free(keys[i]);
    }
    free(keys);
}

static void test_module_names(void **state)
{
    (void)state;
    assert_true(junitgen_module_valid("high_availability"));
    assert_true(junitgen_module_valid("A9_"));
    assert_false(junitgen_module_valid(""));
    assert_false(junitgen_module_valid("9lives"));
    assert_false(junitgen_module_valid("_x"));
    assert_false(junitgen_module_valid("high-availability"));
    assert_false(junitgen_module_valid("a/b"));
    assert_false(junitgen_module_valid("a.b"));
    char long_name[80];
    memset(long_name, 'a', sizeof long_name);
    long_name[64] = '\0';
    assert_true(junitgen_module_valid(long_name));
    long_name[64] = 'a';
    long_name[65] = '\0';
    assert_false(junitgen_module_valid(long_name));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_small_buffer),
        cmocka_unit_test(test_write_error_is_kept),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_topologies_and_times),
        cmocka_unit_test(test_blocks_partition_keys),
        cmocka_unit_test(test_cursor_copies_each_key_once),
        cmocka_unit_test(test_keys_distinct),
        cmocka_unit_test(test_module_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
