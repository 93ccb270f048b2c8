/* report_build.c: the report's sections that describe the run as a whole: its
 * title and warnings, the headline (documented against measured speedups),
 * the environment and configuration, the history sweep, and skipped cells.
 * Each group's own sections are in report_group.c; the comparison with a
 * baseline and hyperfine's figures in report_extra.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static const char *yes_no(int v)
{
    return v ? "yes" : "no";
}

/* Returns the index of a paragraph left empty for what report_write finds
 * later (plots it could not draw). */
static size_t build_title(struct rdoc *d, const struct results_doc *doc)
{
    const struct ib_environment *e = &doc->env;
    rdoc_heading(d, 1, "importbench report");
    rdoc_para(d, TONE_PLAIN, "Run of %s, importbench commit %.12s%s, %zu cells measured, %zu "
              "skipped.", doc->generated_at, e->git_commit[0] ? e->git_commit : "unknown",
              e->git_dirty == 1 ? " (with uncommitted changes)" : "", doc->ncells,
              doc->nskipped);
    if (!doc->complete)
        rdoc_para(d, TONE_WARN, "This run was interrupted: the report shows what was "
                  "measured before it stopped.");
    if (e->sanitized)
        rdoc_para(d, TONE_WARN, "This importbench was built with AddressSanitizer: its "
                  "times mean little.");
    else if (!e->optimized)
        rdoc_para(d, TONE_WARN, "This importbench was built without optimisation: its "
                  "times mean little.");
    return rdoc_placeholder(d);
}

static enum rtone verdict_tone(enum results_verdict v)
{
    return v == VERDICT_REPRODUCED ? TONE_GOOD : v == VERDICT_NOT_REPRODUCED ? TONE_BAD
                                                                             : TONE_WARN;
}

static void headline_row(struct rdoc *d, struct rtable *t,
                         const struct results_headline_row *r, int modelled)
{
    rtable_cell(d, t, TONE_PLAIN, "%s", fcount(r->doc.n).s);
    rtable_cell(d, t, TONE_PLAIN, "%s", fdocumented(r->doc.speedup).s);
    rtable_cell(d, t, TONE_PLAIN, "%s", fratio(r->measured).s);
    if (isnan(r->measured_low))
        rtable_cell(d, t, TONE_PLAIN, "n/a");
    else
        rtable_cell(d, t, TONE_PLAIN, "%s – %s", fratio(r->measured_low).s,
                    fratio(r->measured_high).s);
    if (modelled)
        rtable_cell(d, t, TONE_PLAIN, "%s", fratio(r->modelled).s);
    if (r->reproduced < 0)
        rtable_cell(d, t, TONE_WARN, "not measured");
    else
        rtable_cell(d, t, r->reproduced ? TONE_GOOD : TONE_BAD, "%s", yes_no(r->reproduced));
    rtable_cell(d, t, TONE_PLAIN, "%s", r->doc.decisive ? "yes" : "no: too noisy alone");
}

/* What the documents say next to what was measured, in time. */
static void headline_times(struct rdoc *d, const struct results_doc *doc)
{
    const struct results_headline *h = &doc->headline;
    rdoc_para(d, TONE_PLAIN, "Times per import on %s/%s with %d earlier jobs, next to the "
              "seed document's (production, about) and the application's own code as the "
              "reference document measured it (empty database; 20 earlier jobs).",
              h->profile, h->scenario, h->history);
    struct rtable *t = rdoc_table(d, "rrrrrrrrr", "N", "n1", "batch", "documented before",
                                  "documented after", "app before", "app after",
                                  "app before, 20 jobs", "app after, 20 jobs");
    for (int i = 0; i < RESULTS_HEADLINE_ROWS; i++) {
        const struct results_documented *r = &h->rows[i].doc;
        const struct results_cell *n1 =
            results_find_cell(doc, h->profile, h->scenario, "n1", r->n, h->history);
        const struct results_cell *batch =
            results_find_cell(doc, h->profile, h->scenario, "batch", r->n, h->history);
        rtable_cell(d, t, TONE_PLAIN, "%s", fcount(r->n).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(n1 ? n1->summary.median : NAN).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(batch ? batch->summary.median : NAN).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(r->before_s).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(r->after_s).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(r->app_before_s).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(r->app_after_s).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(r->app_h20_before_s).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(r->app_h20_after_s).s);
    }
}

static void build_headline(struct rdoc *d, const struct results_doc *doc)
{
    const struct results_headline *h = &doc->headline;
    int modelled = doc->config.rtt_us > 0;
    rdoc_heading(d, 2, "Documented and measured speedups");
    rdoc_para(d, verdict_tone(h->verdict), "Verdict: %s. %s.",
              results_verdict_name(h->verdict), h->reason[0] ? h->reason : "no reason given");
    rdoc_para(d, TONE_PLAIN, "n1 over batch on %s/%s with %d earlier jobs: reproduced where "
              "the measured speedup is at least the documented one at 5,000 and at 10,000 "
              "and grows from 5,000 to 10,000. The interval holds every ratio of two values "
              "within the medians' confidence intervals.", h->profile, h->scenario,
              h->history);
    struct rtable *t;
    if (modelled)
        t = rdoc_table(d, "rrrrrll", "N", "documented", "measured n1/batch", "interval",
                       "modelled n1/batch", "reproduced", "decides");
    else
        t = rdoc_table(d, "rrrrll", "N", "documented", "measured n1/batch", "interval",
                       "reproduced", "decides");
    for (int i = 0; i < RESULTS_HEADLINE_ROWS; i++)
        headline_row(d, t, &h->rows[i], modelled);
    if (modelled)
        rdoc_para(d, TONE_PLAIN, "Modelled: the measured median plus %g µs for every "
                  "statement sent (--rtt-us), standing for a client-server round trip or an "
                  "ORM's overhead per statement. Computed, not measured.",
                  doc->config.rtt_us);
    headline_times(d, doc);
}

static void fact(struct rdoc *d, struct rtable *t, const char *name, const char *value)
{
    rtable_cell(d, t, TONE_PLAIN, "%s", name);
    rtable_cell(d, t, TONE_PLAIN, "%s", value && value[0] ? value : "unknown");
}

static void build_environment(struct rdoc *d, const struct results_doc *doc)
{
    const struct ib_environment *e = &doc->env;
    char buf[512];
    rdoc_heading(d, 2, "Environment");
    struct rtable *t = rdoc_table(d, "ll", "", "");
    fact(d, t, "CPU", e->cpu_model);
    snprintf(buf, sizeof buf, "%d", e->cores);
    fact(d, t, "cores", buf);
    snprintf(buf, sizeof buf, "%.1f GiB", (double)e->memory_bytes / 1073741824.0);
    fact(d, t, "memory", e->memory_bytes ? buf : "");
    fact(d, t, "operating system", e->os);
    fact(d, t, "kernel", e->kernel);
    fact(d, t, "filesystem of the databases", e->filesystem);
    snprintf(buf, sizeof buf, "%s, flags %s%s%s", e->compiler, e->cflags,
             e->optimized ? "" : " (not optimised)", e->sanitized ? " (AddressSanitizer)" : "");
    fact(d, t, "compiler", buf);
    snprintf(buf, sizeof buf, "SQLite %s, libxml2 %s, jansson %s", e->sqlite_version,
             e->libxml2_version, e->jansson_version);
    fact(d, t, "libraries", buf);
    snprintf(buf, sizeof buf, "journal_mode %s, synchronous %s, page_size %lld, cache_size %lld",
             e->sqlite.journal_mode[0] ? e->sqlite.journal_mode : "unknown",
             e->sqlite.synchronous[0] ? e->sqlite.synchronous : "unknown",
             (long long)e->sqlite.page_size, (long long)e->sqlite.cache_size);
    fact(d, t, "SQLite settings", buf);
    snprintf(buf, sizeof buf, "%s%s", e->git_commit[0] ? e->git_commit : "unknown",
             e->git_dirty == 1 ? " (with uncommitted changes)" : "");
    fact(d, t, "importbench commit", buf);
}

static void list_names(char *buf, size_t len, const char names[][RESULTS_NAME_MAX], int n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "", names[i]);
}

static void list_sizes(char *buf, size_t len, const uint64_t *v, int n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? ", " : "", fcount(v[i]).s);
}

static void build_config(struct rdoc *d, const struct results_doc *doc)
{
    const struct results_config *c = &doc->config;
    const struct results_generator *g = &c->generator;
    char buf[512];
    rdoc_heading(d, 2, "Configuration");
    struct rtable *t = rdoc_table(d, "ll", "", "");
    list_sizes(buf, sizeof buf, c->sizes, c->nsizes);
    fact(d, t, "sizes (N)", buf);
    list_names(buf, sizeof buf, c->strategies, c->nstrategies);
    fact(d, t, "strategies", buf);
    list_names(buf, sizeof buf, c->profiles, c->nprofiles);
    fact(d, t, "profiles", buf);
    list_names(buf, sizeof buf, c->scenarios, c->nscenarios);
    fact(d, t, "scenarios", buf);
    snprintf(buf, sizeof buf, "%d", c->history);
    fact(d, t, "earlier jobs in the database", buf);
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < c->nhistory_sweep && k < sizeof buf; i++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%d", i ? ", " : "",
                              c->history_sweep[i]);
    fact(d, t, "history sweep", c->nhistory_sweep ? buf : "not run");
    snprintf(buf, sizeof buf, "at least %d runs and %g s per cell, %d warm-up run%s%s",
             c->min_runs, c->min_time_s, c->warmup, c->warmup == 1 ? "" : "s",
             c->quick ? " (--quick)" : "");
    fact(d, t, "runs", buf);
    snprintf(buf, sizeof buf, "%g µs per statement (figures labelled modelled)", c->rtt_us);
    fact(d, t, "cost model", c->rtt_us > 0 ? buf : "none");
    snprintf(buf, sizeof buf,
             "%s, module %s, %u files, seed %llu; fail %g, error %g, skip %g, rerun %g, "
             "dup %g; messages about %llu bytes",
             g->dialect, g->module, c->files, (unsigned long long)c->seed, g->fail_rate,
             g->error_rate, g->skip_rate, g->rerun_rate, g->dup_rate,
             (unsigned long long)g->message_bytes);
    fact(d, t, "generated input", buf);
}

/* Cells measured at another depth of history than the configured one. */
static void build_sweep(struct rdoc *d, const struct results_doc *doc)
{
    struct rtable *t = NULL;
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct results_cell *c = &doc->cells[i];
        if (c->history == doc->config.history)
            continue;
        if (!t) {
            rdoc_heading(d, 2, "History sweep");
            rdoc_para(d, TONE_PLAIN, "Cells measured with another number of earlier jobs "
                      "in the database than the %d of the sections above.",
                      doc->config.history);
            t = rdoc_table(d, "lllrrrr", "profile", "scenario", "strategy", "N",
                           "earlier jobs", "median", "95% CI of the median");
        }
        rtable_cell(d, t, TONE_PLAIN, "%s", c->profile);
        rtable_cell(d, t, TONE_PLAIN, "%s", c->scenario);
        rtable_cell(d, t, TONE_PLAIN, "%s", c->strategy);
        rtable_cell(d, t, TONE_PLAIN, "%s", fcount(c->n).s);
        rtable_cell(d, t, TONE_PLAIN, "%d", c->history);
        rtable_cell(d, t, TONE_PLAIN, "%s", fsec(c->summary.median).s);
        rtable_cell(d, t, TONE_PLAIN, "%s – %s", fsec(c->summary.ci_low).s,
                    fsec(c->summary.ci_high).s);
    }
}

static void build_skipped(struct rdoc *d, const struct results_doc *doc)
{
    if (!doc->nskipped)
        return;
    rdoc_heading(d, 2, "Cells not run");
    struct rtable *t = rdoc_table(d, "lllrrl", "profile", "scenario", "strategy", "N",
                                  "earlier jobs", "why");
    for (size_t i = 0; i < doc->nskipped; i++) {
        const struct results_skip *s = &doc->skipped[i];
        rtable_cell(d, t, TONE_PLAIN, "%s", s->profile);
        rtable_cell(d, t, TONE_PLAIN, "%s", s->scenario);
        rtable_cell(d, t, TONE_PLAIN, "%s", s->strategy);
        rtable_cell(d, t, TONE_PLAIN, "%s", fcount(s->n).s);
        rtable_cell(d, t, TONE_PLAIN, "%d", s->history);
        rtable_cell(d, t, TONE_PLAIN, "%s", s->reason);
    }
}

static void build_footer(struct rdoc *d)
{
    rdoc_heading(d, 2, "Reading this report");
    rdoc_para(d, TONE_PLAIN, "Times are per import (parse, import and commit of one job), in "
              "seconds, with three significant digits in the unit that puts them between 1 "
              "and 1000; ratios likewise, counts in full. The confidence interval of a "
              "median is distribution-free (order statistics of the runs); its level is "
              "exact and falls below 95%% with fewer than six runs. Statement counts, "
              "lookups and VM steps are those of one import and do not depend on the "
              "machine.");
}

size_t report_build(struct rdoc *d, const struct report_inputs *in, double threshold)
{
    const struct results_doc *doc = in->current;
    size_t placeholder = build_title(d, doc);
    build_headline(d, doc);
    if (in->baseline)
        report_build_compare(d, in, threshold);
    struct rgroup *groups = NULL;
    size_t ngroups = 0;
    if (report_groups(doc, &groups, &ngroups)) {
        d->oom = 1;
        return placeholder;
    }
    for (size_t i = 0; i < ngroups; i++)
        report_build_group(d, doc, &groups[i]);
    free(groups);
    build_sweep(d, doc);
    if (in->hyperfine)
        report_build_hyperfine(d, in);
    build_skipped(d, doc);
    build_environment(d, doc);
    build_config(d, doc);
    build_footer(d);
    return placeholder;
}
