/* merge.c: runs of one build pooled into one results document (merge.h).
 *
 * Pooling is only sound for runs that measured the same thing: the same
 * inputs, the same executable on the same machine. What can be checked is
 * checked, and a mismatch is an error naming both files, never a silent mix:
 * a pooled cell that mixed two builds would make a time comparison meaningless. */
#include "merge.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

enum ekind { E_STR, E_INT, E_I64, E_U64 };

struct env_field {
    const char *name;
    enum ekind kind;
    size_t off;
};

#define EF(name, kind, member) {name, kind, offsetof(struct ib_environment, member)}

static const struct env_field machine_fields[] = {
    EF("cpu_model", E_STR, cpu_model), EF("cores", E_INT, cores),
    EF("memory_bytes", E_U64, memory_bytes), EF("os", E_STR, os),
    EF("kernel", E_STR, kernel), EF("filesystem", E_STR, filesystem),
};

static const struct env_field build_fields[] = {
    EF("compiler", E_STR, compiler),
    EF("cflags", E_STR, cflags),
    EF("optimized", E_INT, optimized),
    EF("sanitized", E_INT, sanitized),
    EF("sqlite_version", E_STR, sqlite_version),
    EF("libxml2_version", E_STR, libxml2_version),
    EF("jansson_version", E_STR, jansson_version),
    EF("sqlite_settings.journal_mode", E_STR, sqlite.journal_mode),
    EF("sqlite_settings.synchronous", E_STR, sqlite.synchronous),
    EF("sqlite_settings.page_size", E_I64, sqlite.page_size),
    EF("sqlite_settings.cache_size", E_I64, sqlite.cache_size),
    EF("git_commit", E_STR, git_commit),
};

/* The field's value as text, for comparing and for messages. */
static void env_value(const struct ib_environment *e, const struct env_field *f, char *buf,
                      size_t len)
{
    const char *p = (const char *)e + f->off;
    switch (f->kind) {
    case E_STR:
        snprintf(buf, len, "'%.100s'", p);
        break;
    case E_INT:
        snprintf(buf, len, "%d", *(const int *)(const void *)p);
        break;
    case E_I64:
        snprintf(buf, len, "%lld", (long long)*(const int64_t *)(const void *)p);
        break;
    case E_U64:
        snprintf(buf, len, "%llu", (unsigned long long)*(const uint64_t *)(const void *)p);
        break;
    }
}

static int fields_differ(const struct ib_environment *a, const struct ib_environment *b,
                         const struct env_field *f, size_t nf, char *why, size_t len)
{
    for (size_t i = 0; i < nf; i++) {
        char va[128], vb[128];
        env_value(a, &f[i], va, sizeof va);
        env_value(b, &f[i], vb, sizeof vb);
        if (strcmp(va, vb)) {
            snprintf(why, len, "environment.%s %s vs %s", f[i].name, va, vb);
            return 1;
        }
    }
    return 0;
}

int merge_machine_differs(const struct ib_environment *a, const struct ib_environment *b,
                          char *why, size_t len)
{
    return fields_differ(a, b, machine_fields, sizeof machine_fields / sizeof machine_fields[0],
                         why, len);
}

/* One cell's samples as they are gathered from the runs. */
struct pool {
    const struct results_cell *first;  /* the first run's cell: its facts */
    size_t first_run;
    double *times, *phases[4];         /* phases: one value per run */
    size_t ntimes, nruns;
};

struct merger {
    struct results_doc *const *runs;
    const char *const *names;
    size_t *order;                     /* runs by generated_at */
    struct pool *pools;
    size_t npools;
    struct ib_error *err;
};

static struct pool *pool_find(struct merger *m, const char *profile, const char *scenario,
                              const char *strategy, uint64_t n, int history)
{
    for (size_t i = 0; i < m->npools; i++) {
        const struct results_cell *c = m->pools[i].first;
        if (c->n == n && c->history == history && !strcmp(c->strategy, strategy) &&
            !strcmp(c->scenario, scenario) && !strcmp(c->profile, profile))
            return &m->pools[i];
    }
    return NULL;
}

/* IB_EUSAGE naming both runs when a deterministic fact of the cell differs. */
static int same_facts(struct merger *m, const struct pool *p, const struct results_cell *c,
                      size_t run)
{
    const struct results_cell *f = p->first;
    const struct {
        const char *name;
        uint64_t x, y;
    } nums[] = {
        {"statements.select", c->counts.select, f->counts.select},
        {"statements.insert", c->counts.insert, f->counts.insert},
        {"statements.update", c->counts.update, f->counts.update},
        {"statements.other", c->counts.other, f->counts.other},
        {"lookups", c->counts.lookups, f->counts.lookups},
        {"vm_steps", c->counts.vm_steps, f->counts.vm_steps},
        {"fullscan_steps", c->counts.fullscan_steps, f->counts.fullscan_steps},
        {"lookup_map_bytes", c->lookup_map_bytes, f->lookup_map_bytes},
        {"inserted", c->inserted, f->inserted},
        {"updated", c->updated, f->updated},
    };
    char what[200] = "", subject[160];
    for (size_t i = 0; i < sizeof nums / sizeof nums[0] && !what[0]; i++)
        if (nums[i].x != nums[i].y)
            snprintf(what, sizeof what, "%s %llu, %llu in", nums[i].name,
                     (unsigned long long)nums[i].x, (unsigned long long)nums[i].y);
    if (!what[0] && strcmp(c->lookup_plan, f->lookup_plan))
        snprintf(what, sizeof what, "lookup_plan differs from");
    if (!what[0] && strcmp(c->digest, f->digest))
        snprintf(what, sizeof what, "digest differs from");
    if (!what[0])
        return IB_OK;
    results_cell_name(c, subject, sizeof subject);
    return ib_fail(m->err, IB_EUSAGE, "%s: %s: %s %s: runs of one build must agree",
                   m->names[run], subject, what, m->names[p->first_run]);
}

static int grow(double **a, size_t need)
{
    double *p = realloc(*a, need * sizeof *p);
    if (!p)
        return -1;
    *a = p;
    return 0;
}

static int pool_take(struct merger *m, const struct results_cell *c, size_t run)
{
    struct pool *p = pool_find(m, c->profile, c->scenario, c->strategy, c->n, c->history);
    if (p && same_facts(m, p, c, run))
        return IB_EUSAGE;
    if (!p) {
        p = &m->pools[m->npools++];  /* room for every cell of every run was made */
        memset(p, 0, sizeof *p);
        p->first = c;
        p->first_run = run;
    }
    const double ph[4] = {c->phases.parse, c->phases.lookup, c->phases.write, c->phases.commit};
    if (grow(&p->times, p->ntimes + c->ntimes))
        return ib_fail(m->err, IB_ERR, "merge: out of memory");
    for (int k = 0; k < 4; k++)
        if (grow(&p->phases[k], p->nruns + 1))
            return ib_fail(m->err, IB_ERR, "merge: out of memory");
    memcpy(p->times + p->ntimes, c->times, c->ntimes * sizeof *c->times);
    p->ntimes += c->ntimes;
    for (int k = 0; k < 4; k++)
        p->phases[k][p->nruns] = ph[k];
    p->nruns++;
    return IB_OK;
}

/* The runs in order of generated_at; equal times keep the order given. */
static void sort_runs(struct merger *m, size_t nruns)
{
    for (size_t i = 0; i < nruns; i++) {
        size_t j = i, r = i;
        while (j > 0 && strcmp(m->runs[m->order[j - 1]]->generated_at,
                               m->runs[r]->generated_at) > 0) {
            m->order[j] = m->order[j - 1];
            j--;
        }
        m->order[j] = r;
    }
}

/* IB_EUSAGE when run r does not belong with the earliest run e. */
static int check_run(struct merger *m, size_t r, size_t e)
{
    const struct results_doc *d = m->runs[r], *first = m->runs[e];
    char why[300];
    if (!d->complete)
        return ib_fail(m->err, IB_EUSAGE, "%s: the run was interrupted (complete: false)",
                       m->names[r]);
    if (r == e)
        return IB_OK;
    if (results_generator_differs(&first->config, &d->config, why, sizeof why) ||
        merge_machine_differs(&first->env, &d->env, why, sizeof why) ||
        fields_differ(&first->env, &d->env, build_fields,
                      sizeof build_fields / sizeof build_fields[0], why, sizeof why))
        return ib_fail(m->err, IB_EUSAGE, "%s and %s: not runs of one build and one input "
                                          "(%s)", m->names[e], m->names[r], why);
    return IB_OK;
}

static int add_pooled(struct merger *m, struct results_doc *out)
{
    for (size_t i = 0; i < m->npools; i++) {
        struct pool *p = &m->pools[i];
        struct results_cell c = *p->first;
        c.times = p->times;
        c.ntimes = p->ntimes;
        c.phases.parse = stats_median(p->phases[0], p->nruns);
        c.phases.lookup = stats_median(p->phases[1], p->nruns);
        c.phases.write = stats_median(p->phases[2], p->nruns);
        c.phases.commit = stats_median(p->phases[3], p->nruns);
        int status = results_add_cell(out, &c, m->err);
        if (status != IB_OK)
            return status;
    }
    return IB_OK;
}

static int add_skips(struct merger *m, size_t nruns, struct results_doc *out)
{
    for (size_t i = 0; i < nruns; i++) {
        const struct results_doc *d = m->runs[m->order[i]];
        for (size_t k = 0; k < d->nskipped; k++) {
            const struct results_skip *s = &d->skipped[k];
            int known = results_find_cell(out, s->profile, s->scenario, s->strategy, s->n,
                                          s->history) != NULL;
            for (size_t j = 0; j < out->nskipped && !known; j++) {
                const struct results_skip *t = &out->skipped[j];
                known = t->n == s->n && t->history == s->history &&
                        !strcmp(t->strategy, s->strategy) && !strcmp(t->scenario, s->scenario) &&
                        !strcmp(t->profile, s->profile);
            }
            if (!known && results_add_skipped(out, s, m->err) != IB_OK)
                return IB_ERR;
        }
    }
    return IB_OK;
}

static int pool_all(struct merger *m, size_t nruns, struct results_doc **out)
{
    size_t e = m->order[0];
    for (size_t i = 0; i < nruns; i++)
        if (check_run(m, m->order[i], e))
            return IB_EUSAGE;
    for (size_t i = 0; i < nruns; i++) {
        size_t r = m->order[i];
        for (size_t k = 0; k < m->runs[r]->ncells; k++) {
            int status = pool_take(m, &m->runs[r]->cells[k], r);
            if (status != IB_OK)
                return status;
        }
    }
    struct results_doc *doc = results_doc_new();
    if (!doc)
        return ib_fail(m->err, IB_ERR, "merge: out of memory");
    *out = doc;
    const struct results_doc *first = m->runs[e];
    snprintf(doc->generated_at, sizeof doc->generated_at, "%s", first->generated_at);
    doc->complete = 1;
    doc->env = first->env;
    doc->config = first->config;
    for (size_t i = 1; i < nruns; i++) {
        const struct results_doc *d = m->runs[m->order[i]];
        doc->config.min_runs += d->config.min_runs;
        doc->config.min_time_s += d->config.min_time_s;
        if (d->env.git_dirty == 1 || (d->env.git_dirty < 0 && doc->env.git_dirty == 0))
            doc->env.git_dirty = d->env.git_dirty;
    }
    int status = add_pooled(m, doc);
    if (status == IB_OK)
        status = add_skips(m, nruns, doc);
    if (status == IB_OK)
        status = results_compute_derived(doc, m->err);
    return status;
}

int merge_runs(struct results_doc *const *runs, const char *const *names, size_t nruns,
               struct results_doc **out, struct ib_error *err)
{
    *out = NULL;
    if (nruns == 0)
        return ib_fail(err, IB_EUSAGE, "merge: no runs to merge");
    size_t cells = 0;
    for (size_t i = 0; i < nruns; i++)
        cells += runs[i]->ncells;
    struct merger m = {runs, names, malloc(nruns * sizeof(size_t)),
                       calloc(cells ? cells : 1, sizeof(struct pool)), 0, err};
    int status = m.order && m.pools ? IB_OK : ib_fail(err, IB_ERR, "merge: out of memory");
    if (status == IB_OK) {
        sort_runs(&m, nruns);
        status = pool_all(&m, nruns, out);
    }
    for (size_t i = 0; i < m.npools; i++) {
        free(m.pools[i].times);
        for (int k = 0; k < 4; k++)
            free(m.pools[i].phases[k]);
    }
    free(m.pools);
    free(m.order);
    if (status != IB_OK) {
        results_doc_free(*out);
        *out = NULL;
    }
    return status;
}
