/* keymap.c: the result-key hash map.
 *
 * Open addressing with linear probing over a power-of-two table, kept at most
 * three quarters full. The caller's 64-bit hash is stored in each slot and
 * compared first, so the three string compares run only on a real match (or a
 * full 64-bit collision, which the compares then resolve). The slot index is
 * the hash multiplied by 2^64 / phi, top bits taken: a weak hash whose low bits
 * repeat still spreads over the table.
 *
 * With copy_keys the map keeps its own copy of each key, the three strings
 * packed into one arena block, so that keys from a transient source (a result
 * row) stay valid; keymap_bytes then counts the table and that arena. A NULL
 * key part is taken as "". */
#include "keymap.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct slot {
    uint64_t hash;
    const char *file_path;        /* NULL: the slot is empty */
    const char *class_name;
    const char *test_name;
    int64_t value;
};

struct keymap {
    struct slot *slots;
    size_t capacity;              /* a power of two */
    unsigned shift;               /* 64 - log2(capacity) */
    size_t count;
    struct arena *keys;           /* the copies, when copy_keys */
};

#define KEYMAP_MIN_CAPACITY 16

static size_t slot_index(const struct keymap *m, uint64_t hash)
{
    return (size_t)((hash * UINT64_C(0x9E3779B97F4A7C15)) >> m->shift);
}

static int table_init(struct keymap *m, size_t capacity)
{
    unsigned bits = 0;
    while (((size_t)1 << bits) < capacity)
        bits++;
    m->slots = calloc((size_t)1 << bits, sizeof *m->slots);
    if (!m->slots)
        return -1;
    m->capacity = (size_t)1 << bits;
    m->shift = 64 - bits;
    return 0;
}

/* The capacity that holds n keys at most three quarters full. */
static size_t capacity_for(size_t n)
{
    size_t cap = KEYMAP_MIN_CAPACITY;
    while (cap / 4 * 3 < n && cap < ((size_t)1 << (sizeof(size_t) * 8 - 2)))
        cap *= 2;
    return cap;
}

struct keymap *keymap_new(size_t expected, int copy_keys)
{
    struct keymap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    if (table_init(m, capacity_for(expected)) != 0 ||
        (copy_keys && !(m->keys = arena_new()))) {
        keymap_free(m);
        return NULL;
    }
    return m;
}

void keymap_free(struct keymap *m)
{
    if (!m)
        return;
    free(m->slots);
    arena_free(m->keys);
    free(m);
}

static int slot_matches(const struct slot *s, uint64_t hash, const char *file_path,
                        const char *class_name, const char *test_name)
{
    return s->hash == hash && strcmp(s->test_name, test_name) == 0 &&
           strcmp(s->class_name, class_name) == 0 && strcmp(s->file_path, file_path) == 0;
}

/* The slot holding the key, or the empty slot where it would go. */
static struct slot *find_slot(const struct keymap *m, uint64_t hash, const char *file_path,
                              const char *class_name, const char *test_name)
{
    size_t mask = m->capacity - 1;
    for (size_t i = slot_index(m, hash);; i = (i + 1) & mask) {
        struct slot *s = &m->slots[i];
        if (!s->file_path || slot_matches(s, hash, file_path, class_name, test_name))
            return s;
    }
}

static int grow(struct keymap *m)
{
    struct slot *old = m->slots;
    size_t old_capacity = m->capacity;
    if (table_init(m, old_capacity * 2) != 0) {
        m->slots = old;
        m->capacity = old_capacity;
        return -1;
    }
    size_t mask = m->capacity - 1;
    for (size_t j = 0; j < old_capacity; j++) {
        if (!old[j].file_path)
            continue;
        size_t i = slot_index(m, old[j].hash);
        while (m->slots[i].file_path)
            i = (i + 1) & mask;
        m->slots[i] = old[j];
    }
    free(old);
    return 0;
}

/* Points the slot's key at one arena block holding copies of all three parts. */
static int copy_key(struct keymap *m, struct slot *s, const char *file_path,
                    const char *class_name, const char *test_name)
{
    size_t lf = strlen(file_path), lc = strlen(class_name), lt = strlen(test_name);
    char *block = arena_alloc_bytes(m->keys, lf + 1 + lc + 1 + lt + 1);
    if (!block)
        return -1;
    memcpy(block, file_path, lf + 1);
    memcpy(block + lf + 1, class_name, lc + 1);
    memcpy(block + lf + 1 + lc + 1, test_name, lt + 1);
    s->file_path = block;
    s->class_name = block + lf + 1;
    s->test_name = block + lf + 1 + lc + 1;
    return 0;
}

int keymap_put(struct keymap *m, uint64_t hash, const char *file_path,
               const char *class_name, const char *test_name, int64_t value)
{
    file_path = file_path ? file_path : "";
    class_name = class_name ? class_name : "";
    test_name = test_name ? test_name : "";
    struct slot *s = find_slot(m, hash, file_path, class_name, test_name);
    if (s->file_path) {
        s->value = value;
        return 0;
    }
    if ((m->count + 1) > m->capacity / 4 * 3) {
        if (grow(m) != 0)
            return -1;
        s = find_slot(m, hash, file_path, class_name, test_name);
    }
    if (m->keys) {
        if (copy_key(m, s, file_path, class_name, test_name) != 0)
            return -1;
    } else {
        s->file_path = file_path;
        s->class_name = class_name;
        s->test_name = test_name;
    }
    s->hash = hash;
    s->value = value;
    m->count++;
    return 0;
}

int keymap_get(const struct keymap *m, uint64_t hash, const char *file_path,
               const char *class_name, const char *test_name, int64_t *value)
{
    const struct slot *s = find_slot(m, hash, file_path ? file_path : "",
                                     class_name ? class_name : "", test_name ? test_name : "");
    if (!s->file_path)
        return 0;
    if (value)
        *value = s->value;
    return 1;
}

int keymap_merge(struct keymap *dst, const struct keymap *src)
{
    for (size_t i = 0; i < src->capacity; i++) {
        const struct slot *s = &src->slots[i];
        if (s->file_path &&
            keymap_put(dst, s->hash, s->file_path, s->class_name, s->test_name, s->value) != 0)
            return -1;
    }
    return 0;
}

size_t keymap_count(const struct keymap *m)
{
    return m->count;
}

size_t keymap_bytes(const struct keymap *m)
{
    return sizeof *m + m->capacity * sizeof *m->slots + arena_bytes(m->keys);
}
