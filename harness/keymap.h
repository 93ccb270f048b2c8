/* keymap.h: a hash map from a result key (file_path, class_name, test_name) to a
 * 64-bit value: a row id for the strategies, an index for the job's
 * de-duplication. Open addressing; the caller supplies the key's hash
 * (job_key_hash), the map compares the strings in full. A NULL key part is
 * taken as "". Sized for `expected` keys, it grows by doubling. */
#ifndef IB_KEYMAP_H
#define IB_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

struct keymap;

/* expected: a sizing hint. copy_keys: 1 when the map must keep its own copies of
 * the key strings (they come from a transient source, such as a result row);
 * 0 when they outlive the map. NULL when out of memory. */
struct keymap *keymap_new(size_t expected, int copy_keys);
void keymap_free(struct keymap *m);

/* Inserts or replaces. 0, or -1 when out of memory. */
int keymap_put(struct keymap *m, uint64_t hash, const char *file_path,
               const char *class_name, const char *test_name, int64_t value);

/* 1 and *value when found, 0 when not. */
int keymap_get(const struct keymap *m, uint64_t hash, const char *file_path,
               const char *class_name, const char *test_name, int64_t *value);

/* Puts every key of src into dst, with src's value; 0, or -1 when out of memory.
 * dst must copy keys unless src's keys outlive it. */
int keymap_merge(struct keymap *dst, const struct keymap *src);

size_t keymap_count(const struct keymap *m);

/* Bytes the map holds: its table plus its copies of keys. */
size_t keymap_bytes(const struct keymap *m);

#endif
