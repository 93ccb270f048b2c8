/* results.c: the results document in memory: building it cell by cell, and
 * what follows from the cells (speedups, slopes, the headline verdict). The
 * JSON side is in results_json.c. */
#include "results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The seed document's table, and the reference document's measurements of the
 * application's own code (median of 3 runs, import plus commit). */
static const struct results_documented documented[RESULTS_HEADLINE_ROWS] = {
    {1000, 15, 30, 2, 0.299, 0.125, 0.357, 0.147, 0},
    {5000, 37, 300, 8, 1.431, 0.576, 1.672, 0.720, 1},
    {10000, 60, 900, 15, 2.898, 1.002, 3.113, 1.331, 1},
};

const struct results_documented *results_documented_at(uint64_t n)
{
    for (size_t i = 0; i < RESULTS_HEADLINE_ROWS; i++)
        if (documented[i].n == n)
            return &documented[i];
    return NULL;
}

const char *results_verdict_name(enum results_verdict v)
{
    switch (v) {
    case VERDICT_REPRODUCED:
        return "reproduced";
    case VERDICT_NOT_REPRODUCED:
        return "not reproduced";
    case VERDICT_INCOMPLETE:
        break;
    }
    return "incomplete";
}

struct results_doc *results_doc_new(void)
{
    struct results_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return NULL;
    snprintf(doc->schema_version, sizeof doc->schema_version, "%s", RESULTS_SCHEMA_VERSION);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(doc->generated_at, sizeof doc->generated_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    doc->env.git_dirty = -1;
    doc->headline.verdict = VERDICT_INCOMPLETE;
    return doc;
}

void results_doc_free(struct results_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->ncells; i++)
        free(doc->cells[i].times);
    free(doc->cells);
    free(doc->skipped);
    free(doc->speedups);
    free(doc->slopes);
    free(doc);
}

void results_set_generator(struct results_config *cfg, const struct junitgen_options *opt,
                           const char *dialect)
{
    cfg->files = opt->files;
    cfg->seed = opt->seed;
    struct results_generator *g = &cfg->generator;
    g->fail_rate = opt->fail_rate;
    g->error_rate = opt->error_rate;
    g->skip_rate = opt->skip_rate;
    g->rerun_rate = opt->rerun_rate;
    g->dup_rate = opt->dup_rate;
    g->message_bytes = opt->message_bytes;
    snprintf(g->dialect, sizeof g->dialect, "%s", dialect ? dialect : "");
    snprintf(g->module, sizeof g->module, "%s", opt->module ? opt->module : "");
}

int results_generator_differs(const struct results_config *a, const struct results_config *b,
                              char *why, size_t len)
{
    const struct results_generator *ga = &a->generator, *gb = &b->generator;
    const struct {
        const char *name;
        double x, y;
    } num[] = {
        {"files", a->files, b->files},
        {"fail_rate", ga->fail_rate, gb->fail_rate},
        {"error_rate", ga->error_rate, gb->error_rate},
        {"skip_rate", ga->skip_rate, gb->skip_rate},
        {"rerun_rate", ga->rerun_rate, gb->rerun_rate},
        {"dup_rate", ga->dup_rate, gb->dup_rate},
        {"message_bytes", (double)ga->message_bytes, (double)gb->message_bytes},
    };
    for (size_t i = 0; i < sizeof num / sizeof num[0]; i++)
        if (num[i].x != num[i].y) {
            snprintf(why, len, "generator %s %g vs %g", num[i].name, num[i].x, num[i].y);
            return 1;
        }
    if (a->seed != b->seed) {
        snprintf(why, len, "generator seed %llu vs %llu", (unsigned long long)a->seed,
                 (unsigned long long)b->seed);
        return 1;
    }
    if (strcmp(ga->dialect, gb->dialect)) {
        snprintf(why, len, "generator dialect '%s' vs '%s'", ga->dialect, gb->dialect);
        return 1;
    }
    if (strcmp(ga->module, gb->module)) {
        snprintf(why, len, "generator module '%s' vs '%s'", ga->module, gb->module);
        return 1;
    }
    return 0;
}

void results_cell_name(const struct results_cell *c, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s/%s n=%llu h=%d", c->profile, c->scenario, c->strategy,
             (unsigned long long)c->n, c->history);
}

const struct results_cell *results_find_cell(const struct results_doc *doc,
                                             const char *profile, const char *scenario,
                                             const char *strategy, uint64_t n, int history)
{
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct results_cell *c = &doc->cells[i];
        if (c->n == n && c->history == history && !strcmp(c->strategy, strategy) &&
            !strcmp(c->scenario, scenario) && !strcmp(c->profile, profile))
            return c;
    }
    return NULL;
}

static int grow(void **items, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, ncap * size);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

static int names_ok(const char *profile, const char *scenario, const char *strategy)
{
    return profile[0] && scenario[0] && strategy[0] &&
           memchr(profile, 0, RESULTS_NAME_MAX) && memchr(scenario, 0, RESULTS_NAME_MAX) &&
           memchr(strategy, 0, RESULTS_NAME_MAX);
}

int results_add_cell(struct results_doc *doc, const struct results_cell *cell,
                     struct ib_error *err)
{
    if (!names_ok(cell->profile, cell->scenario, cell->strategy))
        return ib_fail(err, IB_EUSAGE, "results: a cell needs a profile, scenario and strategy");
    char name[160];
    results_cell_name(cell, name, sizeof name);
    if (cell->ntimes == 0 || !cell->times)
        return ib_fail(err, IB_EUSAGE, "results: %s: no samples", name);
    for (size_t i = 0; i < cell->ntimes; i++)
        if (!isfinite(cell->times[i]) || cell->times[i] < 0)
            return ib_fail(err, IB_EUSAGE, "results: %s: sample %zu is not a time", name, i);
    if (results_find_cell(doc, cell->profile, cell->scenario, cell->strategy, cell->n,
                          cell->history))
        return ib_fail(err, IB_EUSAGE, "results: %s: cell added twice", name);

    double *times = malloc(cell->ntimes * sizeof *times);
    if (!times || grow((void **)&doc->cells, &doc->cap_cells, doc->ncells, sizeof *doc->cells)) {
        free(times);
        return ib_fail(err, IB_ERR, "results: out of memory");
    }
    memcpy(times, cell->times, cell->ntimes * sizeof *times);
    struct results_cell *c = &doc->cells[doc->ncells++];
    *c = *cell;
    c->times = times;
    c->lookup_plan[RESULTS_PLAN_MAX - 1] = '\0';
    c->digest[64] = '\0';
    stats_summarise(times, c->ntimes, &c->summary);
    c->modelled_median_s = NAN;
    if (doc->config.rtt_us > 0)
        c->modelled_median_s =
            c->summary.median + doc->config.rtt_us * 1e-6 * (double)probe_statements(&c->counts);
    return IB_OK;
}

int results_add_skipped(struct results_doc *doc, const struct results_skip *skip,
                        struct ib_error *err)
{
    if (!names_ok(skip->profile, skip->scenario, skip->strategy) || !skip->reason[0])
        return ib_fail(err, IB_EUSAGE, "results: a skipped cell needs its names and a reason");
    if (grow((void **)&doc->skipped, &doc->cap_skipped, doc->nskipped, sizeof *doc->skipped))
        return ib_fail(err, IB_ERR, "results: out of memory");
    doc->skipped[doc->nskipped] = *skip;
    doc->skipped[doc->nskipped].reason[RESULTS_REASON_MAX - 1] = '\0';
    doc->nskipped++;
    return IB_OK;
}

/* ---- derived figures ---------------------------------------------------- */

static void ratio_of(const struct results_cell *faster, const struct results_cell *slower,
                     double *ratio, double *low, double *high, double *modelled)
{
    const struct stats_summary *f = &faster->summary, *s = &slower->summary;
    *ratio = s->median / f->median;
    *low = s->ci_low / f->ci_high;
    *high = s->ci_high / f->ci_low;
    *modelled = slower->modelled_median_s / faster->modelled_median_s;
    if (!isfinite(*ratio))
        *ratio = NAN;
    if (!isfinite(*low))
        *low = NAN;
    if (!isfinite(*high))
        *high = NAN;
    if (!isfinite(*modelled))
        *modelled = NAN;
}

static int push_speedup(struct results_doc *doc, size_t *cap, const struct results_cell *faster,
                        const struct results_cell *slower)
{
    if (grow((void **)&doc->speedups, cap, doc->nspeedups, sizeof *doc->speedups))
        return -1;
    struct results_speedup *s = &doc->speedups[doc->nspeedups++];
    memset(s, 0, sizeof *s);
    memcpy(s->profile, faster->profile, sizeof s->profile);
    memcpy(s->scenario, faster->scenario, sizeof s->scenario);
    s->n = faster->n;
    s->history = faster->history;
    memcpy(s->faster, faster->strategy, sizeof s->faster);
    memcpy(s->slower, slower->strategy, sizeof s->slower);
    ratio_of(faster, slower, &s->ratio, &s->ratio_low, &s->ratio_high, &s->modelled_ratio);
    s->documented = NAN;
    const struct results_documented *d = results_documented_at(s->n);
    if (d && !strcmp(s->profile, "seed") && !strcmp(s->scenario, "fresh") &&
        !strcmp(s->faster, "batch") && !strcmp(s->slower, "n1"))
        s->documented = d->speedup;
    return 0;
}

/* Every strategy against n1, and the strategies that claim to beat batch
 * (floor, bulk, upsert) against batch, within one (profile, scenario, n,
 * history). */
static int compute_speedups(struct results_doc *doc)
{
    static const char *const against_batch[] = {"floor", "bulk", "upsert"};
    size_t cap = 0;
    free(doc->speedups);
    doc->speedups = NULL;
    doc->nspeedups = 0;
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct results_cell *c = &doc->cells[i];
        const struct results_cell *n1 =
            results_find_cell(doc, c->profile, c->scenario, "n1", c->n, c->history);
        if (n1 && n1 != c && push_speedup(doc, &cap, c, n1))
            return -1;
        for (size_t k = 0; k < sizeof against_batch / sizeof against_batch[0]; k++) {
            if (strcmp(c->strategy, against_batch[k]))
                continue;
            const struct results_cell *batch =
                results_find_cell(doc, c->profile, c->scenario, "batch", c->n, c->history);
            if (batch && push_speedup(doc, &cap, c, batch))
                return -1;
        }
    }
    return 0;
}

static int same_series(const struct results_cell *a, const struct results_cell *b)
{
    return a->history == b->history && !strcmp(a->strategy, b->strategy) &&
           !strcmp(a->scenario, b->scenario) && !strcmp(a->profile, b->profile);
}

static int cmp_cell_n(const void *a, const void *b)
{
    const struct results_cell *x = *(const struct results_cell *const *)a;
    const struct results_cell *y = *(const struct results_cell *const *)b;
    return (x->n > y->n) - (x->n < y->n);
}

static void fit_series(struct results_slope *s, const struct results_cell **series, size_t m)
{
    double x[RESULTS_LIST_MAX], y[RESULTS_LIST_MAX], lo[RESULTS_LIST_MAX], hi[RESULTS_LIST_MAX];
    qsort(series, m, sizeof *series, cmp_cell_n);
    for (size_t k = 0; k < m; k++) {
        s->sizes[k] = series[k]->n;
        x[k] = (double)series[k]->n;
        y[k] = series[k]->summary.median;
        lo[k] = series[k]->summary.ci_low;
        hi[k] = series[k]->summary.ci_high;
    }
    s->nsizes = (int)m;
    s->slope = stats_loglog_slope(x, y, m, &s->r2);
    stats_loglog_slope_range(x, lo, hi, m, &s->slope_min, &s->slope_max);
}

/* One slope per (profile, scenario, strategy, history) measured at two sizes
 * or more, in the order the series first appear. */
static int compute_slopes(struct results_doc *doc)
{
    size_t cap = 0;
    free(doc->slopes);
    doc->slopes = NULL;
    doc->nslopes = 0;
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct results_cell *c = &doc->cells[i], *series[RESULTS_LIST_MAX];
        size_t m = 0, seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = same_series(&doc->cells[j], c);
        if (seen)
            continue;
        for (size_t j = i; j < doc->ncells && m < RESULTS_LIST_MAX; j++)
            if (same_series(&doc->cells[j], c))
                series[m++] = &doc->cells[j];
        if (m < 2)
            continue;
        if (grow((void **)&doc->slopes, &cap, doc->nslopes, sizeof *doc->slopes))
            return -1;
        struct results_slope *s = &doc->slopes[doc->nslopes++];
        memset(s, 0, sizeof *s);
        memcpy(s->profile, c->profile, sizeof s->profile);
        memcpy(s->scenario, c->scenario, sizeof s->scenario);
        memcpy(s->strategy, c->strategy, sizeof s->strategy);
        s->history = c->history;
        fit_series(s, series, m);
    }
    return 0;
}

/* Why a headline cell is missing: its skip reason when the runner gave one. */
static void missing_reason(const struct results_doc *doc, const char *strategy, uint64_t n,
                           char *buf, size_t len)
{
    const struct results_headline *h = &doc->headline;
    for (size_t i = 0; i < doc->nskipped; i++) {
        const struct results_skip *s = &doc->skipped[i];
        if (s->n == n && s->history == h->history && !strcmp(s->strategy, strategy) &&
            !strcmp(s->scenario, h->scenario) && !strcmp(s->profile, h->profile)) {
            snprintf(buf, len, "%s at %llu was skipped: %.180s", strategy, (unsigned long long)n,
                     s->reason);
            return;
        }
    }
    snprintf(buf, len, "no %s cell at %llu (%s/%s h=%d)", strategy, (unsigned long long)n,
             h->profile, h->scenario, h->history);
}

static void headline_row(const struct results_doc *doc, struct results_headline_row *row)
{
    const struct results_headline *h = &doc->headline;
    const struct results_cell *n1 =
        results_find_cell(doc, h->profile, h->scenario, "n1", row->doc.n, h->history);
    const struct results_cell *batch =
        results_find_cell(doc, h->profile, h->scenario, "batch", row->doc.n, h->history);
    row->measured = row->measured_low = row->measured_high = row->modelled = NAN;
    row->reproduced = -1;
    if (!n1 || !batch)
        return;
    ratio_of(batch, n1, &row->measured, &row->measured_low, &row->measured_high,
             &row->modelled);
    if (!isnan(row->measured))
        row->reproduced = row->measured >= row->doc.speedup;
}

/* Reproduced where n1/batch on seed, fresh, reaches the documented speedup at
 * 5k and at 10k and grows from 5k to 10k; 1k is shown but decides nothing. */
static void compute_headline(struct results_doc *doc)
{
    struct results_headline *h = &doc->headline;
    snprintf(h->profile, sizeof h->profile, "seed");
    snprintf(h->scenario, sizeof h->scenario, "fresh");
    h->history = doc->config.history;
    for (size_t i = 0; i < RESULTS_HEADLINE_ROWS; i++) {
        h->rows[i].doc = documented[i];
        headline_row(doc, &h->rows[i]);
    }
    const struct results_headline_row *r5 = &h->rows[1], *r10 = &h->rows[2];
    for (size_t i = 1; i < RESULTS_HEADLINE_ROWS; i++) {
        if (h->rows[i].reproduced >= 0)
            continue;
        uint64_t n = h->rows[i].doc.n;
        const char *which =
            !results_find_cell(doc, h->profile, h->scenario, "n1", n, h->history) ? "n1"
                                                                                    : "batch";
        h->verdict = VERDICT_INCOMPLETE;
        missing_reason(doc, which, n, h->reason, sizeof h->reason);
        return;
    }
    if (r5->reproduced && r10->reproduced && r10->measured > r5->measured) {
        h->verdict = VERDICT_REPRODUCED;
        snprintf(h->reason, sizeof h->reason,
                 "n1/batch is %.1fx at 5000 (documented %gx) and %.1fx at 10000 "
                 "(documented %gx), growing with N",
                 r5->measured, r5->doc.speedup, r10->measured, r10->doc.speedup);
        return;
    }
    h->verdict = VERDICT_NOT_REPRODUCED;
    const struct results_headline_row *low = !r5->reproduced ? r5 : !r10->reproduced ? r10 : NULL;
    if (low)
        snprintf(h->reason, sizeof h->reason,
                 "n1/batch is %.1fx at %llu, below the documented %gx", low->measured,
                 (unsigned long long)low->doc.n, low->doc.speedup);
    else
        snprintf(h->reason, sizeof h->reason,
                 "n1/batch does not grow with N: %.1fx at 5000, %.1fx at 10000", r5->measured,
                 r10->measured);
}

int results_compute_derived(struct results_doc *doc, struct ib_error *err)
{
    if (compute_speedups(doc) || compute_slopes(doc))
        return ib_fail(err, IB_ERR, "results: out of memory");
    compute_headline(doc);
    return IB_OK;
}

void results_run_file_name(const struct results_doc *doc, char *buf, size_t len)
{
    char stamp[32];
    size_t k = 0;
    for (const char *p = doc->generated_at; *p && k + 1 < sizeof stamp; p++)
        if (*p != '-' && *p != ':')
            stamp[k++] = *p;
    stamp[k] = '\0';
    const char *commit = doc->env.git_commit[0] ? doc->env.git_commit : "nogit";
    snprintf(buf, len, "%s-%.7s%s.json", stamp, commit, doc->env.git_dirty == 1 ? "-dirty" : "");
}
