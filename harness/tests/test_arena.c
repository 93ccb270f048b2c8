/* test_arena.c: the bump allocator: alignment, content, big blocks, accounting. */
#include "testutil.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"

static void test_alloc_is_aligned_and_distinct(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    assert_non_null(a);
    unsigned char *prev = NULL;
    for (size_t i = 1; i < 5000; i++) {
        unsigned char *p = arena_alloc(a, i % 97 + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
        memset(p, (int)(i & 0xff), i % 97 + 1);
        if (prev)
            assert_ptr_not_equal(p, prev);
        prev = p;
    }
    arena_free(a);
}

static void test_strings_survive_later_allocations(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    enum { N = 20000 };
    char *strs[N];
    char buf[64];
    for (int i = 0; i < N; i++) {
        int len = snprintf(buf, sizeof buf, "test_%d[param-%d]", i, i % 7);
        strs[i] = arena_strndup(a, buf, (size_t)len);
        assert_non_null(strs[i]);
        if (i % 100 == 0)
            assert_non_null(arena_alloc(a, 40000)); /* a block of its own */
    }
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "test_%d[param-%d]", i, i % 7);
        assert_string_equal(strs[i], buf);
    }
    arena_free(a);
}

static void test_strndup_copies_exactly_len(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char *s = arena_strndup(a, "abcdef", 3);
    assert_string_equal(s, "abc");
    char *e = arena_strndup(a, "ignored", 0);
    assert_string_equal(e, "");
    char *nul = arena_strndup(a, "a\0b", 3);
    assert_memory_equal(nul, "a\0b\0", 4);
    /* Character data is packed: no padding between two byte blocks. */
    char *x = arena_alloc_bytes(a, 3), *y = arena_alloc_bytes(a, 5);
    assert_ptr_equal(y, x + 3);
    arena_free(a);
}

static void test_bytes_count_what_was_obtained(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    size_t empty = arena_bytes(a);
    assert_true(empty > 0);
    assert_non_null(arena_alloc(a, 10));
    size_t one_chunk = arena_bytes(a);
    assert_true(one_chunk >= empty + 16 * 1024);
    assert_non_null(arena_alloc(a, 10));
    assert_int_equal(arena_bytes(a), one_chunk); /* served from the same chunk */
    assert_non_null(arena_alloc(a, 1 << 20));
    assert_true(arena_bytes(a) >= one_chunk + (1 << 20));
    /* A small allocation after a big one still comes from the open chunk. */
    size_t after_big = arena_bytes(a);
    assert_non_null(arena_alloc(a, 10));
    assert_int_equal(arena_bytes(a), after_big);
    assert_int_equal(arena_bytes(NULL), 0);
    arena_free(a);
    arena_free(NULL);
}

static void test_zero_size_alloc_is_valid(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    void *p = arena_alloc(a, 0);
    void *q = arena_alloc(a, 0);
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_is_aligned_and_distinct),
        cmocka_unit_test(test_strings_survive_later_allocations),
        cmocka_unit_test(test_strndup_copies_exactly_len),
        cmocka_unit_test(test_bytes_count_what_was_obtained),
        cmocka_unit_test(test_zero_size_alloc_is_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
