/* test_keymap.c: the key map: insert, replace, growth, full-key compares under
 * colliding hashes, and keys copied when the map must own them. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"

/* The tests' own hash, so that the map is tested apart from job_key_hash. */
static uint64_t hash3(const char *a, const char *b, const char *c)
{
    uint64_t h = UINT64_C(1469598103934665603);
    const char *parts[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i];; p++) {
            h = (h ^ *p) * UINT64_C(1099511628211);
            if (!*p)
                break;
        }
    }
    return h;
}

static void key_of(int i, char f[64], char c[64], char t[64])
{
    snprintf(f, 64, "pkg/tests/mod%d/test_%d.py", i % 13, i % 101);
    snprintf(c, 64, "Test%d", i % 7);
    snprintf(t, 64, "test_%d[p-%d]", i, i % 3);
}

/* Keys handed over in stack buffers that are overwritten right after: the map
 * must have copied them. Starts tiny, so the table grows a dozen times. */
static void test_copied_keys(void **state)
{
    (void)state;
    enum { N = 50000 };
    struct keymap *m = keymap_new(0, 1);
    assert_non_null(m);
    char f[64], c[64], t[64];
    for (int i = 0; i < N; i++) {
        key_of(i, f, c, t);
        assert_int_equal(keymap_put(m, hash3(f, c, t), f, c, t, i), 0);
    }
    assert_int_equal(keymap_count(m), N);
    for (int i = 0; i < N; i++) {
        key_of(i, f, c, t);
        int64_t v = -1;
        assert_int_equal(keymap_get(m, hash3(f, c, t), f, c, t, &v), 1);
        assert_int_equal(v, i);
    }
    key_of(N, f, c, t);
    assert_int_equal(keymap_get(m, hash3(f, c, t), f, c, t, NULL), 0);
    keymap_free(m);
}

/* Borrowed keys: the strings live in one pool that outlives the map. */
static void test_borrowed_keys(void **state)
{
    (void)state;
    enum { N = 20000 };
    char (*pool)[3][64] = malloc(sizeof *pool * N);
    assert_non_null(pool);
    struct keymap *m = keymap_new(N, 0);
    size_t bytes_before = keymap_bytes(m);
    for (int i = 0; i < N; i++) {
        key_of(i, pool[i][0], pool[i][1], pool[i][2]);
        assert_int_equal(keymap_put(m, hash3(pool[i][0], pool[i][1], pool[i][2]),
                                    pool[i][0], pool[i][1], pool[i][2], i * 2), 0);
    }
    /* Sized for N up front: no growth, and no copies to count. */
    assert_int_equal(keymap_bytes(m), bytes_before);
    for (int i = 0; i < N; i++) {
        char f[64], c[64], t[64];
        key_of(i, f, c, t);
        int64_t v;
        assert_int_equal(keymap_get(m, hash3(f, c, t), f, c, t, &v), 1);
        assert_int_equal(v, i * 2);
    }
    keymap_free(m);
    free(pool);
}

static void test_replace_keeps_count(void **state)
{
    (void)state;
    struct keymap *m = keymap_new(4, 1);
    uint64_t h = hash3("a.py", "C", "t");
    assert_int_equal(keymap_put(m, h, "a.py", "C", "t", 1), 0);
    assert_int_equal(keymap_put(m, h, "a.py", "C", "t", 7), 0);
    assert_int_equal(keymap_count(m), 1);
    int64_t v = 0;
    assert_int_equal(keymap_get(m, h, "a.py", "C", "t", &v), 1);
    assert_int_equal(v, 7);
    keymap_free(m);
}

/* Every key on one hash: only the full compare tells them apart, including keys
 * whose concatenations are equal ("ab"+"c" and "a"+"bc"). */
static void test_colliding_hashes_compare_full_keys(void **state)
{
    (void)state;
    struct keymap *m = keymap_new(0, 0);
    const char *keys[][3] = {
        {"ab", "c", "d"}, {"a", "bc", "d"}, {"a", "b", "cd"}, {"", "abc", "d"},
        {"abcd", "", ""}, {"", "", "abcd"}, {"a", "b", "c"},
    };
    size_t n = sizeof keys / sizeof keys[0];
    for (size_t i = 0; i < n; i++)
        assert_int_equal(keymap_put(m, 42, keys[i][0], keys[i][1], keys[i][2], (int64_t)i), 0);
    assert_int_equal(keymap_count(m), n);
    for (size_t i = 0; i < n; i++) {
        int64_t v = -1;
        assert_int_equal(keymap_get(m, 42, keys[i][0], keys[i][1], keys[i][2], &v), 1);
        assert_int_equal(v, (int64_t)i);
    }
    assert_int_equal(keymap_get(m, 42, "a", "b", "d", NULL), 0);
    /* The same strings under another hash are another key. */
    assert_int_equal(keymap_get(m, 43, "a", "b", "c", NULL), 0);
    keymap_free(m);
}

static void test_null_parts_are_empty_strings(void **state)
{
    (void)state;
    struct keymap *m = keymap_new(0, 1);
    assert_int_equal(keymap_put(m, 5, NULL, "C", NULL, 3), 0);
    int64_t v = 0;
    assert_int_equal(keymap_get(m, 5, "", "C", "", &v), 1);
    assert_int_equal(v, 3);
    keymap_free(m);
}

static void test_bytes_count_table_and_copies(void **state)
{
    (void)state;
    struct keymap *borrowed = keymap_new(1000, 0);
    struct keymap *copied = keymap_new(1000, 1);
    char f[64], c[64], t[64];
    size_t key_bytes = 0;
    for (int i = 0; i < 1000; i++) {
        key_of(i, f, c, t);
        key_bytes += strlen(f) + strlen(c) + strlen(t) + 3;
        keymap_put(copied, hash3(f, c, t), f, c, t, i);
    }
    /* Table of 2048 slots of 40 bytes. */
    assert_true(keymap_bytes(borrowed) >= 2048 * 40);
    assert_true(keymap_bytes(borrowed) < 2048 * 40 + 1024);
    assert_true(keymap_bytes(copied) >= keymap_bytes(borrowed) + key_bytes);
    keymap_free(borrowed);
    keymap_free(copied);
}

/* Merging two maps that share some keys gives the union, src's values winning;
 * dst keeps its own copies after src is gone. */
static void test_merge(void **state)
{
    (void)state;
    struct keymap *dst = keymap_new(0, 1), *src = keymap_new(0, 1);
    char f[64], c[64], t[64];
    for (int i = 0; i < 300; i++) {
        key_of(i, f, c, t);
        keymap_put(dst, hash3(f, c, t), f, c, t, i);
    }
    for (int i = 200; i < 500; i++) {
        key_of(i, f, c, t);
        keymap_put(src, hash3(f, c, t), f, c, t, -i);
    }
    assert_int_equal(keymap_merge(dst, src), 0);
    keymap_free(src);
    assert_int_equal(keymap_count(dst), 500);
    for (int i = 0; i < 500; i++) {
        key_of(i, f, c, t);
        int64_t v;
        assert_int_equal(keymap_get(dst, hash3(f, c, t), f, c, t, &v), 1);
        assert_int_equal(v, i < 200 ? i : -i);
    }
    keymap_free(dst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copied_keys),
        cmocka_unit_test(test_borrowed_keys),
        cmocka_unit_test(test_replace_keeps_count),
        cmocka_unit_test(test_colliding_hashes_compare_full_keys),
        cmocka_unit_test(test_null_parts_are_empty_strings),
        cmocka_unit_test(test_bytes_count_table_and_copies),
        cmocka_unit_test(test_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
