/* report_doc.c: the report as a list of blocks, built by report_build*.c and
 * read by the renderers. Allocation failures set a sticky flag instead of
 * being checked at every call; report_write looks at it once. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static char *vformat(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int len = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (len < 0)
        return NULL;
    char *s = malloc((size_t)len + 1);
    if (s)
        vsnprintf(s, (size_t)len + 1, fmt, ap);
    return s;
}

static void table_free(struct rtable *t)
{
    if (!t)
        return;
    for (int i = 0; t->head && i < t->ncols; i++)
        free(t->head[i]);
    for (size_t i = 0; i < t->ncells; i++)
        free(t->cells[i]);
    free(t->head);
    free(t->cells);
    free(t->tones);
    free(t);
}

void rdoc_free(struct rdoc *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->blocks[i].text);
        table_free(d->blocks[i].table);
        free(d->blocks[i].plot);
    }
    free(d->blocks);
    memset(d, 0, sizeof *d);
}

static struct rblock *push(struct rdoc *d, enum rblock_kind kind)
{
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        struct rblock *p = realloc(d->blocks, cap * sizeof *p);
        if (!p) {
            d->oom = 1;
            return NULL;
        }
        d->blocks = p;
        d->cap = cap;
    }
    struct rblock *b = &d->blocks[d->count++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

void rdoc_heading(struct rdoc *d, int level, const char *fmt, ...)
{
    struct rblock *b = push(d, RB_HEADING);
    if (!b)
        return;
    va_list ap;
    va_start(ap, fmt);
    b->level = level;
    if (!(b->text = vformat(fmt, ap)))
        d->oom = 1;
    va_end(ap);
}

void rdoc_para(struct rdoc *d, enum rtone tone, const char *fmt, ...)
{
    struct rblock *b = push(d, RB_PARA);
    if (!b)
        return;
    va_list ap;
    va_start(ap, fmt);
    b->tone = tone;
    if (!(b->text = vformat(fmt, ap)))
        d->oom = 1;
    va_end(ap);
}

size_t rdoc_placeholder(struct rdoc *d)
{
    push(d, RB_PARA);
    return d->count - 1;
}

void rdoc_fill(struct rdoc *d, size_t index, enum rtone tone, const char *fmt, ...)
{
    if (index >= d->count || d->blocks[index].kind != RB_PARA)
        return;
    struct rblock *b = &d->blocks[index];
    va_list ap;
    va_start(ap, fmt);
    free(b->text);
    b->tone = tone;
    if (!(b->text = vformat(fmt, ap)))
        d->oom = 1;
    va_end(ap);
}

struct rtable *rdoc_table(struct rdoc *d, const char *align, ...)
{
    int ncols = (int)strlen(align);
    struct rblock *b = ncols > 0 && ncols <= GROUP_MAX ? push(d, RB_TABLE) : NULL;
    struct rtable *t = b ? calloc(1, sizeof *t) : NULL;
    if (t)
        t->head = calloc((size_t)ncols, sizeof *t->head);
    if (!t || !t->head) {
        free(t);
        d->oom = 1;
        return NULL;
    }
    t->ncols = ncols;
    memcpy(t->align, align, (size_t)ncols);
    b->table = t;
    va_list ap;
    va_start(ap, align);
    for (int i = 0; i < ncols; i++) {
        const char *h = va_arg(ap, const char *);
        if (!(t->head[i] = strdup(h ? h : "")))
            d->oom = 1;
    }
    va_end(ap);
    return t;
}

void rtable_cell(struct rdoc *d, struct rtable *t, enum rtone tone, const char *fmt, ...)
{
    if (!t)
        return;
    if (t->ncells == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : (size_t)t->ncols * 8;
        char **cells = realloc(t->cells, cap * sizeof *cells);
        if (cells)
            t->cells = cells;
        unsigned char *tones = realloc(t->tones, cap);
        if (tones)
            t->tones = tones;
        if (!cells || !tones) {
            d->oom = 1;
            return;
        }
        t->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    if (!s) {
        d->oom = 1;
        return;
    }
    t->tones[t->ncells] = (unsigned char)tone;
    t->cells[t->ncells++] = s;
}

size_t rtable_rows(const struct rtable *t)
{
    return t ? (t->ncells + (size_t)t->ncols - 1) / (size_t)t->ncols : 0;
}

static int name_taken(const struct rdoc *d, const struct rplot *p)
{
    for (size_t i = 0; i < d->count; i++) {
        const struct rplot *q = d->blocks[i].plot;
        if (q && q != p && !strcmp(q->name, p->name))
            return 1;
    }
    return 0;
}

struct rplot *rdoc_plot(struct rdoc *d, enum plot_kind kind, const struct rgroup *g)
{
    static const char *const suffix[] = {"time", "speedup", "phases"};
    struct rblock *b = push(d, RB_PLOT);
    struct rplot *p = b ? calloc(1, sizeof *p) : NULL;
    if (!p) {
        if (b)
            d->count--;
        d->oom = 1;
        return NULL;
    }
    b->plot = p;
    p->kind = kind;
    p->group = *g;
    char profile[RESULTS_NAME_MAX], scenario[RESULTS_NAME_MAX];
    report_safe_name(g->profile, profile, sizeof profile);
    report_safe_name(g->scenario, scenario, sizeof scenario);
    snprintf(p->name, sizeof p->name, "%s-%s-h%d-%s", profile, scenario, g->history,
             suffix[kind]);
    /* Names made safe can meet ("a/b" and "a_b"): each plot needs its own files. */
    char base[sizeof p->name];
    memcpy(base, p->name, sizeof base);
    for (int k = 2; name_taken(d, p); k++)
        snprintf(p->name, sizeof p->name, "%.140s-%d", base, k);
    return p;
}

void report_safe_name(const char *in, char *out, size_t len)
{
    size_t k = 0;
    for (; in[k] && k + 1 < len; k++) {
        char c = in[k];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        out[k] = ok ? c : '_';
    }
    if (len)
        out[k] = '\0';
}
