/* arena.h: a bump allocator for strings and small records that live exactly as
 * long as one parsed job. One free releases everything; no per-result malloc. */
#ifndef IB_ARENA_H
#define IB_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);

/* Memory aligned for any type; NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);

/* Memory with no alignment guarantee, packed tight: for character data. */
void *arena_alloc_bytes(struct arena *a, size_t size);

/* A NUL-terminated copy of s[0..len); NULL when out of memory. */
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* Bytes obtained from the system so far. */
size_t arena_bytes(const struct arena *a);

#endif
