/* bench_table.c: the summary of a bench run for people. Every figure comes
 * from the results document; sentences are only stated where the figures
 * they rest on are in it. */
#include "bench_table.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* "9.12 ms", "1.29 s", "850 us"; "-" for NaN. */
static const char *secs(double s, char *buf, size_t len)
{
    if (isnan(s))
        snprintf(buf, len, "-");
    else if (s < 1e-3)
        snprintf(buf, len, "%.3g us", s * 1e6);
    else if (s < 1)
        snprintf(buf, len, "%.3g ms", s * 1e3);
    else
        snprintf(buf, len, "%.3g s", s);
    return buf;
}

/* The documents' round figures: "~30 s", "~5 min". */
static const char *approx(double s, char *buf, size_t len)
{
    if (s >= 60)
        snprintf(buf, len, "~%g min", s / 60);
    else
        snprintf(buf, len, "~%g s", s);
    return buf;
}

static const char *ratio(double r, char *buf, size_t len)
{
    if (isnan(r))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.3gx", r);
    return buf;
}

static const char *bytes(uint64_t b, char *buf, size_t len)
{
    if (b == 0)
        snprintf(buf, len, "-");
    else if (b < 1024 * 1024)
        snprintf(buf, len, "%.1f KiB", b / 1024.0);
    else
        snprintf(buf, len, "%.2f MiB", b / (1024.0 * 1024.0));
    return buf;
}

static const struct results_cell *cell(const struct results_doc *d, const char *profile,
                                       const char *scenario, const char *strategy, uint64_t n,
                                       int history)
{
    return results_find_cell(d, profile, scenario, strategy, n, history);
}

static const struct results_slope *slope_of(const struct results_doc *d, const char *profile,
                                            const char *scenario, const char *strategy)
{
    for (size_t i = 0; i < d->nslopes; i++) {
        const struct results_slope *s = &d->slopes[i];
        if (s->history == d->config.history && !strcmp(s->profile, profile) &&
            !strcmp(s->scenario, scenario) && !strcmp(s->strategy, strategy))
            return s;
    }
    return NULL;
}

static void write_intro(FILE *out, const struct results_doc *d)
{
    const struct ib_environment *e = &d->env;
    const struct results_config *c = &d->config;
    fprintf(out, "# importbench: N+1 against its fixes\n\n");
    fprintf(out, "Run %s, commit %.12s%s; %s, %d cores, %s; SQLite %s (journal %s, "
            "synchronous %s)%s.\n", d->generated_at, e->git_commit[0] ? e->git_commit : "unknown",
            e->git_dirty == 1 ? " (dirty)" : "", e->cpu_model, e->cores, e->filesystem,
            e->sqlite_version, e->sqlite.journal_mode[0] ? e->sqlite.journal_mode : "?",
            e->sqlite.synchronous[0] ? e->sqlite.synchronous : "?",
            e->sanitized ? "; built with sanitizers: times mean little" : "");
    fprintf(out, "Matrix%s: sizes", c->quick ? " (quick)" : "");
    for (int i = 0; i < c->nsizes; i++)
        fprintf(out, "%s%llu", i ? ", " : " ", (unsigned long long)c->sizes[i]);
    fprintf(out, "; history %d; %d topology files; at least %d runs and %g s a cell after "
            "%d warm-up, unless the cell hit its cap (its runs are in its row); times are "
            "parse + import + commit, medians.\n",
            c->history, (int)c->files, c->min_runs, c->min_time_s, c->warmup);
    if (!d->complete)
        fprintf(out, "\n**Incomplete:** the run was interrupted; this is what was measured "
                "until then.\n");
    fputc('\n', out);
}

static void headline_row(FILE *out, const struct results_doc *d,
                         const struct results_headline_row *r)
{
    const struct results_headline *h = &d->headline;
    const struct results_documented *doc = &r->doc;
    char a[32], b[32], c[32], e[32], f[32], m[32], lo[32], hi[32];
    const struct results_cell *n1 = cell(d, h->profile, h->scenario, "n1", doc->n, h->history);
    const struct results_cell *bt = cell(d, h->profile, h->scenario, "batch", doc->n, h->history);
    fprintf(out, "| %llu | %s | %s | %s (%s to %s) |", (unsigned long long)doc->n,
            secs(n1 ? n1->summary.median : NAN, a, sizeof a),
            secs(bt ? bt->summary.median : NAN, b, sizeof b),
            ratio(r->measured, m, sizeof m), ratio(r->measured_low, lo, sizeof lo),
            ratio(r->measured_high, hi, sizeof hi));
    if (d->config.rtt_us > 0)
        fprintf(out, " %s |", ratio(r->modelled, c, sizeof c));
    fprintf(out, " %gx | %s / %s | %.3g s / %.3g s (%.2gx) | %.3g s / %.3g s (%.2gx) | %s%s |\n",
            doc->speedup, approx(doc->before_s, e, sizeof e), approx(doc->after_s, f, sizeof f),
            doc->app_before_s, doc->app_after_s, doc->app_before_s / doc->app_after_s,
            doc->app_h20_before_s, doc->app_h20_after_s,
            doc->app_h20_before_s / doc->app_h20_after_s,
            r->reproduced == 1 ? "yes" : r->reproduced == 0 ? "no" : "not measured",
            doc->decisive ? "" : " (not decisive)");
}

static void write_headline(FILE *out, const struct results_doc *d)
{
    const struct results_headline *h = &d->headline;
    fprintf(out, "## Headline: does the documented speedup reproduce?\n\n");
    fprintf(out, "Profile %s (test_results indexed on job_id only, as the seed document "
            "describes it), %s job, %d earlier jobs: n1 (one SELECT per result) over batch "
            "(one SELECT per job), next to the seed document's table and the reference "
            "document's measurements of the application's own code (empty database; 20 "
            "earlier jobs).\n\n", h->profile, h->scenario, h->history);
    fprintf(out, "| N | n1 | batch | n1/batch (CI) |%s documented | seed doc before / after "
            "| app's code, empty DB | app's code, 20 jobs | reproduced |\n",
            d->config.rtt_us > 0 ? " modelled n1/batch |" : "");
    fprintf(out, "|---|---|---|---|%s---|---|---|---|---|\n", d->config.rtt_us > 0 ? "---|" : "");
    for (int i = 0; i < RESULTS_HEADLINE_ROWS; i++)
        headline_row(out, d, &h->rows[i]);
    fprintf(out, "\n**Verdict: %s.** %s.\n", results_verdict_name(h->verdict), h->reason);
    fprintf(out, "Reproduced means at least the documented speedup at 5000 and at 10000, "
            "growing from 5000 to 10000; 1000 is shown but too noisy to decide alone.\n");
    if (d->config.rtt_us > 0)
        fprintf(out, "The modelled column adds %g us per statement (a client-server round "
                "trip or an ORM's overhead; the reference measured about 190 us for the "
                "app's ORM): modelled, not measured, and not the verdict's basis.\n",
                d->config.rtt_us);
    fputc('\n', out);
}

static void cell_row(FILE *out, const struct results_doc *d, const struct results_cell *c)
{
    const struct stats_summary *s = &c->summary;
    const struct probe_counts *k = &c->counts;
    char m[32], lo[32], hi[32], x[32], mb[32], mod[32], p[4][32];
    const struct results_cell *n1 =
        cell(d, c->profile, c->scenario, "n1", c->n, c->history);
    fprintf(out, "| %s | %llu | %s | %s to %s | %zu%s | %s |", c->strategy,
            (unsigned long long)c->n, secs(s->median, m, sizeof m), secs(s->ci_low, lo, sizeof lo),
            secs(s->ci_high, hi, sizeof hi), s->n, s->outliers ? "*" : "",
            ratio(n1 && n1 != c ? n1->summary.median / s->median : NAN, x, sizeof x));
    if (d->config.rtt_us > 0)
        fprintf(out, " %s |", secs(c->modelled_median_s, mod, sizeof mod));
    fprintf(out, " %llu / %llu / %llu / %llu | %llu | %llu / %llu | %s | %s / %s / %s / %s |\n",
            (unsigned long long)k->select, (unsigned long long)k->insert,
            (unsigned long long)k->update, (unsigned long long)k->other,
            (unsigned long long)k->lookups, (unsigned long long)c->inserted,
            (unsigned long long)c->updated, bytes(c->lookup_map_bytes, mb, sizeof mb),
            secs(c->phases.parse, p[0], 32), secs(c->phases.lookup, p[1], 32),
            secs(c->phases.write, p[2], 32), secs(c->phases.commit, p[3], 32));
}

/* The lookup plan of each strategy of the table, once (it does not change with n). */
static void write_plans(FILE *out, const struct results_doc *d, const char *profile,
                        const char *scenario)
{
    for (size_t i = 0; i < d->ncells; i++) {
        const struct results_cell *c = &d->cells[i];
        int seen = 0;
        if (c->history != d->config.history || strcmp(c->profile, profile) ||
            strcmp(c->scenario, scenario) || !c->lookup_plan[0])
            continue;
        for (size_t j = 0; j < i && !seen; j++)
            seen = d->cells[j].history == c->history && !strcmp(d->cells[j].profile, profile) &&
                   !strcmp(d->cells[j].scenario, scenario) &&
                   !strcmp(d->cells[j].strategy, c->strategy);
        if (!seen)
            fprintf(out, "- %s looks up with: `%s`\n", c->strategy, c->lookup_plan);
    }
}

static void write_profile_table(FILE *out, const struct results_doc *d, const char *profile,
                                const char *scenario)
{
    int rows = 0;
    for (size_t i = 0; i < d->ncells; i++)
        rows += d->cells[i].history == d->config.history &&
                !strcmp(d->cells[i].profile, profile) && !strcmp(d->cells[i].scenario, scenario);
    if (!rows)
        return;
    fprintf(out, "## %s / %s (history %d)\n\n", profile, scenario, d->config.history);
    fprintf(out, "| strategy | N | median | CI of the median | runs | speedup vs n1 |%s "
            "statements sel / ins / upd / other | lookups | inserted / updated | lookup map | "
            "parse / lookup / write / commit |\n",
            d->config.rtt_us > 0 ? " modelled median |" : "");
    fprintf(out, "|---|---|---|---|---|---|%s---|---|---|---|---|\n",
            d->config.rtt_us > 0 ? "---|" : "");
    for (int k = 0; k < d->config.nsizes; k++)
        for (size_t i = 0; i < d->ncells; i++) {
            const struct results_cell *c = &d->cells[i];
            if (c->n == d->config.sizes[k] && c->history == d->config.history &&
                !strcmp(c->profile, profile) && !strcmp(c->scenario, scenario))
                cell_row(out, d, c);
        }
    fprintf(out, "\n");
    write_plans(out, d, profile, scenario);
    fprintf(out, "\n");
}

static void write_slopes(FILE *out, const struct results_doc *d)
{
    int any = 0;
    for (size_t i = 0; i < d->nslopes; i++) {
        const struct results_slope *s = &d->slopes[i];
        if (!any++)
            fprintf(out, "## Growth with N\n\nLog-log slope of the median over N: 1 is "
                    "linear, 2 quadratic; the range is every slope the medians' CIs allow.\n\n"
                    "| profile | scenario | strategy | history | slope | range | r2 |\n"
                    "|---|---|---|---|---|---|---|\n");
        fprintf(out, "| %s | %s | %s | %d | %.2f | %.2f to %.2f | %.3f |\n", s->profile,
                s->scenario, s->strategy, s->history, s->slope, s->slope_min, s->slope_max,
                s->r2);
    }
    if (any)
        fputc('\n', out);
}

/* The lookup map's bytes at the largest size measured, next to the seed's claim. */
static void write_memory(FILE *out, const struct results_doc *d)
{
    const struct results_cell *big = NULL;
    char b[32];
    for (size_t i = 0; i < d->ncells; i++) {
        const struct results_cell *c = &d->cells[i];
        if (c->lookup_map_bytes &&
            (!big || c->n > big->n ||
             (c->n == big->n && c->lookup_map_bytes > big->lookup_map_bytes)))
            big = c;
    }
    if (!big)
        return;
    fprintf(out, "## The lookup map's memory\n\nThe largest in-memory lookup map measured: "
            "%s for %llu results (%s, %s/%s), %.0f bytes a result; the seed document calls "
            "it \"~5 MB, negligible\".\n\n", bytes(big->lookup_map_bytes, b, sizeof b),
            (unsigned long long)big->n, big->strategy, big->profile, big->scenario,
            (double)big->lookup_map_bytes / (double)big->n);
}

static void write_sweep(FILE *out, const struct results_doc *d)
{
    const struct results_config *c = &d->config;
    if (c->nhistory_sweep == 0)
        return;
    uint64_t n = c->sizes[0];
    char t[6][32];
    double lo_n1 = NAN, hi_n1 = NAN, lo_b = NAN, hi_b = NAN;
    fprintf(out, "## History sweep (app, fresh, %llu results)\n\n", (unsigned long long)n);
    fprintf(out, "| earlier jobs | n1 | n1 lookup phase | batch | batch lookup phase | "
            "n1/batch |\n|---|---|---|---|---|---|\n");
    for (int i = 0; i < c->nhistory_sweep; i++) {
        const struct results_cell *a = cell(d, "app", "fresh", "n1", n, c->history_sweep[i]);
        const struct results_cell *b = cell(d, "app", "fresh", "batch", n, c->history_sweep[i]);
        double la = a ? a->phases.lookup : NAN, lb = b ? b->phases.lookup : NAN;
        fprintf(out, "| %d | %s | %s | %s | %s | %s |\n", c->history_sweep[i],
                secs(a ? a->summary.median : NAN, t[0], 32), secs(la, t[1], 32),
                secs(b ? b->summary.median : NAN, t[2], 32), secs(lb, t[3], 32),
                ratio(a && b ? a->summary.median / b->summary.median : NAN, t[4], 32));
        if (i == 0)
            lo_n1 = la, lo_b = lb;
        hi_n1 = la, hi_b = lb;
    }
    if (!isnan(lo_n1) && !isnan(hi_n1) && !isnan(lo_b) && !isnan(hi_b) &&
        c->nhistory_sweep > 1)
        fprintf(out, "\nFrom %d to %d earlier jobs n1's lookup phase goes from %s to %s "
                "(%s) and batch's from %s to %s (%s): the app's per-result lookup uses the "
                "key index and then visits every earlier job's row with the same key, so its "
                "cost grows with history; batch reads the job's own rows once.\n",
                c->history_sweep[0], c->history_sweep[c->nhistory_sweep - 1],
                secs(lo_n1, t[0], 32), secs(hi_n1, t[1], 32), ratio(hi_n1 / lo_n1, t[4], 32),
                secs(lo_b, t[2], 32), secs(hi_b, t[3], 32), ratio(hi_b / lo_b, t[5], 32));
    fputc('\n', out);
}

static void write_deferred(FILE *out, const struct results_doc *d)
{
    const struct results_config *c = &d->config;
    static const char *const sc[] = {"fresh", "reimport"};
    char t[32];
    int any = 0;
    for (int k = 0; k < c->nsizes && !any; k++)
        any = cell(d, "seed", "fresh", "n1-deferred", c->sizes[k], c->history) ||
              cell(d, "seed", "reimport", "n1-deferred", c->sizes[k], c->history);
    if (!any)
        return;
    fprintf(out, "## n1-deferred beside n1 (seed)\n\n| N | n1 fresh | n1-deferred fresh | "
            "n1 reimport | n1-deferred reimport |\n|---|---|---|---|---|\n");
    for (int k = 0; k < c->nsizes; k++) {
        fprintf(out, "| %llu |", (unsigned long long)c->sizes[k]);
        for (int s = 0; s < 2; s++)
            for (int v = 0; v < 2; v++) {
                const struct results_cell *x =
                    cell(d, "seed", sc[s], v ? "n1-deferred" : "n1", c->sizes[k], c->history);
                fprintf(out, " %s |", secs(x ? x->summary.median : NAN, t, sizeof t));
            }
        fputc('\n', out);
    }
    const struct results_slope *nf = slope_of(d, "seed", "fresh", "n1");
    const struct results_slope *df = slope_of(d, "seed", "fresh", "n1-deferred");
    const struct results_slope *dr = slope_of(d, "seed", "reimport", "n1-deferred");
    fprintf(out, "\nn1-deferred is the real app: its session had autoflush off, so every "
            "lookup runs against the job as it was before the import.");
    if (nf && df)
        fprintf(out, " On a fresh job the job is empty, so its lookups find nothing to "
                "scan: slope %.2f against n1's %.2f, where each lookup scans the rows this "
                "import already wrote.", df->slope, nf->slope);
    if (dr)
        fprintf(out, " On a re-import the job's rows are all there, and n1-deferred is "
                "quadratic too: slope %.2f.", dr->slope);
    fprintf(out, "\n\n");
}

/* Why app's n1 differs from seed's, from the plans and the ratios measured. */
static void write_why_app(FILE *out, const struct results_doc *d)
{
    uint64_t n = d->config.sizes[d->config.nsizes - 1];
    const struct results_cell *a = cell(d, "app", "fresh", "n1", n, d->config.history);
    const struct results_cell *b = cell(d, "app", "fresh", "batch", n, d->config.history);
    const struct results_cell *s = cell(d, "seed", "fresh", "n1", n, d->config.history);
    const struct results_slope *sl = slope_of(d, "app", "fresh", "n1");
    if (!a || !b)
        return;
    fprintf(out, "## Why app differs\n\nOn app, n1 over batch is %.3gx at %llu. n1's lookup "
            "plan there is `%s`: the key index finds the result's few rows (one per earlier "
            "job) whatever N is", a->summary.median / b->summary.median,
            (unsigned long long)n, a->lookup_plan);
    if (sl)
        fprintf(out, ", so n1 grows linearly (slope %.2f)", sl->slope);
    fprintf(out, "; its %llu VM steps against batch's %llu are the price of %llu separate "
            "statements, not of scans.", (unsigned long long)a->counts.vm_steps,
            (unsigned long long)b->counts.vm_steps, (unsigned long long)a->counts.lookups);
    char t[3][32];
    fprintf(out, " Where the time goes: batch spends %s of its %s writing rows into the app "
            "profile's indexes, and n1's lookups take %s, so removing them cannot save much "
            "more than that.", secs(b->phases.write, t[0], 32), secs(b->summary.median, t[1], 32),
            secs(a->phases.lookup, t[2], 32));
    const struct results_documented *doc = results_documented_at(n);
    if (doc)
        fprintf(out, " The reference document measured the app's own code at %llu: %.2gx "
                "(empty database) and %.2gx (20 earlier jobs).", (unsigned long long)n,
                doc->app_before_s / doc->app_after_s,
                doc->app_h20_before_s / doc->app_h20_after_s);
    if (s && s->lookup_plan[0])
        fprintf(out, " On seed the plan is `%s`, and n1 runs %llu VM steps at the same size.",
                s->lookup_plan, (unsigned long long)s->counts.vm_steps);
    fprintf(out, "\n\n");
}

static int same_skip(const struct results_skip *a, const struct results_skip *b)
{
    return a->history == b->history && !strcmp(a->reason, b->reason) &&
           !strcmp(a->strategy, b->strategy) && !strcmp(a->scenario, b->scenario) &&
           !strcmp(a->profile, b->profile);
}

/* One line per (profile, scenario, strategy, history, reason), with its sizes. */
static void write_skipped(FILE *out, const struct results_doc *d)
{
    if (!d->nskipped)
        return;
    fprintf(out, "## Skipped\n\n");
    for (size_t i = 0; i < d->nskipped; i++) {
        const struct results_skip *s = &d->skipped[i];
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = same_skip(&d->skipped[j], s);
        if (seen)
            continue;
        fprintf(out, "- %s/%s/%s h=%d, n=", s->profile, s->scenario, s->strategy, s->history);
        for (size_t j = i, k = 0; j < d->nskipped; j++)
            if (same_skip(&d->skipped[j], s))
                fprintf(out, "%s%llu", k++ ? ", " : "", (unsigned long long)d->skipped[j].n);
        fprintf(out, ": %s\n", s->reason);
    }
    fputc('\n', out);
}

void bench_table_write(FILE *out, const struct results_doc *d)
{
    write_intro(out, d);
    write_headline(out, d);
    for (int p = 0; p < d->config.nprofiles; p++)
        for (int s = 0; s < d->config.nscenarios; s++)
            write_profile_table(out, d, d->config.profiles[p], d->config.scenarios[s]);
    fprintf(out, "Runs marked * hold outliers (modified z-score above 3.5), flagged and "
            "kept.\n\n");
    write_slopes(out, d);
    write_memory(out, d);
    write_sweep(out, d);
    write_deferred(out, d);
    write_why_app(out, d);
    write_skipped(out, d);
}

int bench_table_save(const char *path, const struct results_doc *doc, struct ib_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return ib_fail(err, IB_ERR, "%s: %s", tmp, strerror(errno));
    bench_table_write(f, doc);
    int bad = ferror(f) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        return ib_fail(err, IB_ERR, "%s: cannot write the summary", path);
    }
    return IB_OK;
}
