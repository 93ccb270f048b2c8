/* arena.c: a bump allocator over a list of chunks.
 *
 * Allocations are carved from the newest chunk; when it is full a new one is
 * taken, twice the size of the last (up to a cap), so that a million small
 * strings cost a few dozen mallocs. A request larger than a quarter of the
 * normal chunk size gets a chunk of its own, which keeps the waste at the end
 * of a chunk small. Nothing is freed until arena_free. */
#include "arena.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_FIRST_CHUNK ((size_t)16 * 1024)
#define ARENA_MAX_CHUNK ((size_t)4 * 1024 * 1024)
#define ARENA_ALIGN (alignof(max_align_t))

struct chunk {
    struct chunk *prev;
    size_t size;                  /* usable bytes after the header */
    alignas(max_align_t) unsigned char data[];
};

struct arena {
    struct chunk *head;           /* the chunk being filled */
    size_t used;                  /* bytes used in head */
    size_t next_size;             /* usable size of the next normal chunk */
    size_t bytes;                 /* everything obtained from malloc */
};

struct arena *arena_new(void)
{
    struct arena *a = calloc(1, sizeof *a);
    if (a) {
        a->next_size = ARENA_FIRST_CHUNK;
        a->bytes = sizeof *a;
    }
    return a;
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    struct chunk *c = a->head;
    while (c) {
        struct chunk *prev = c->prev;
        free(c);
        c = prev;
    }
    free(a);
}

static struct chunk *chunk_new(struct arena *a, size_t size)
{
    if (size > SIZE_MAX - sizeof(struct chunk))
        return NULL;
    struct chunk *c = malloc(sizeof *c + size);
    if (!c)
        return NULL;
    c->size = size;
    a->bytes += sizeof *c + size;
    return c;
}

/* align is a power of two no larger than ARENA_ALIGN. */
static void *arena_alloc_aligned(struct arena *a, size_t size, size_t align)
{
    if (size == 0)
        size = 1;
    size_t start = (a->used + align - 1) & ~(align - 1);
    if (a->head && start <= a->head->size && size <= a->head->size - start) {
        a->used = start + size;
        return a->head->data + start;
    }
    if (size > a->next_size / 4) {
        /* A big block goes behind the current chunk, which stays open. */
        struct chunk *c = chunk_new(a, size);
        if (!c)
            return NULL;
        if (a->head) {
            c->prev = a->head->prev;
            a->head->prev = c;
        } else {
            c->prev = NULL;
            a->head = c;
            a->used = size;
        }
        return c->data;
    }
    struct chunk *c = chunk_new(a, a->next_size);
    if (!c)
        return NULL;
    c->prev = a->head;
    a->head = c;
    a->used = size;
    if (a->next_size < ARENA_MAX_CHUNK)
        a->next_size *= 2;
    return c->data;
}

void *arena_alloc(struct arena *a, size_t size)
{
    return arena_alloc_aligned(a, size, ARENA_ALIGN);
}

/* Strings need no alignment: packing them saves several bytes a string. */
void *arena_alloc_bytes(struct arena *a, size_t size)
{
    return arena_alloc_aligned(a, size, 1);
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = arena_alloc_bytes(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

size_t arena_bytes(const struct arena *a)
{
    return a ? a->bytes : 0;
}
