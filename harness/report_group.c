/* report_group.c: the sections of one (profile, scenario, history): its plots,
 * and the tables of times, speedups, growth with N, statements by kind and
 * lookup plans. */
#include <math.h>
#include <string.h>

#include "report_int.h"

static const struct results_cell *cell_at(const struct results_doc *doc, const struct rgroup *g,
                                          const char *strategy, uint64_t n)
{
    return results_find_cell(doc, g->profile, g->scenario, strategy, n, g->history);
}

static int in_group(const struct rgroup *g, const char *profile, const char *scenario,
                    int history)
{
    return history == g->history && !strcmp(profile, g->profile) &&
           !strcmp(scenario, g->scenario);
}

static int has_speedup_over_n1(const struct results_doc *doc, const struct rgroup *g)
{
    for (size_t i = 0; i < doc->nspeedups; i++) {
        const struct results_speedup *s = &doc->speedups[i];
        if (in_group(g, s->profile, s->scenario, s->history) && !strcmp(s->slower, "n1"))
            return 1;
    }
    return 0;
}

static void build_plots(struct rdoc *d, const struct results_doc *doc, const struct rgroup *g)
{
    char title[160], modelled[160] = "";
    report_group_title(g, title, sizeof title);
    if (doc->config.rtt_us > 0)
        snprintf(modelled, sizeof modelled, " Dashed lines: modelled, the median plus %g µs "
                 "for every statement sent (computed, not measured).", doc->config.rtt_us);
    struct rplot *p = rdoc_plot(d, PLOT_TIME, g);
    if (p) {
        snprintf(p->title, sizeof p->title, "Median time per import over N, %s", title);
        snprintf(p->caption, sizeof p->caption, "Both axes logarithmic: a slope of 1 is "
                 "linear growth, 2 quadratic. Error bars: the confidence interval of each "
                 "median.%s", modelled);
    }
    if (has_speedup_over_n1(doc, g)) {
        p = rdoc_plot(d, PLOT_SPEEDUP, g);
        if (p) {
            snprintf(p->title, sizeof p->title, "Speedup over n1, %s", title);
            snprintf(p->caption, sizeof p->caption, "Median of n1 over the median of each "
                     "strategy; error bars: every ratio within the two medians' confidence "
                     "intervals. Circles: the seed document's speedups of batch over n1 "
                     "(15× at 1,000, 37× at 5,000, 60× at 10,000).%s", modelled);
        }
    } else {
        rdoc_para(d, TONE_PLAIN, "No speedup plot: n1 was not measured here.");
    }
    p = rdoc_plot(d, PLOT_PHASES, g);
    if (p) {
        snprintf(p->title, sizeof p->title, "Phase times at N = %s, %s",
                 fcount(report_group_phase_n(doc, g)).s, title);
        snprintf(p->caption, sizeof p->caption, "Left: the median time of each phase, "
                 "stacked; right: each phase's share of the import. At the largest N at "
                 "which most strategies ran.");
    }
}

static void build_times(struct rdoc *d, const struct results_doc *doc, const struct rgroup *g)
{
    int modelled = doc->config.rtt_us > 0;
    rdoc_heading(d, 3, "Times");
    struct rtable *t;
    if (modelled)
        t = rdoc_table(d, "lrrrrrrrrrr", "strategy", "N", "runs", "median",
                       "95% CI of the median", "CI level", "min", "max", "MAD", "outliers",
                       "modelled median");
    else
        t = rdoc_table(d, "lrrrrrrrrr", "strategy", "N", "runs", "median",
                       "95% CI of the median", "CI level", "min", "max", "MAD", "outliers");
    for (int s = 0; s < g->nstrategies; s++)
        for (int k = 0; k < g->nsizes; k++) {
            const struct results_cell *c = cell_at(doc, g, g->strategies[s], g->sizes[k]);
            if (!c)
                continue;
            const struct stats_summary *m = &c->summary;
            rtable_cell(d, t, TONE_PLAIN, "%s", c->strategy);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(c->n).s);
            rtable_cell(d, t, TONE_PLAIN, "%zu", c->ntimes);
            rtable_cell(d, t, TONE_PLAIN, "%s", fsec(m->median).s);
            rtable_cell(d, t, TONE_PLAIN, "%s – %s", fsec(m->ci_low).s, fsec(m->ci_high).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", flevel(m->ci_level).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fsec(m->min).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fsec(m->max).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fsec(m->mad).s);
            rtable_cell(d, t, m->outliers ? TONE_WARN : TONE_PLAIN, "%zu", m->outliers);
            if (modelled)
                rtable_cell(d, t, TONE_PLAIN, "%s", fsec(c->modelled_median_s).s);
        }
}

static void build_speedups(struct rdoc *d, const struct results_doc *doc,
                           const struct rgroup *g)
{
    int modelled = doc->config.rtt_us > 0;
    struct rtable *t = NULL;
    for (int k = 0; k < g->nsizes; k++)
        for (size_t i = 0; i < doc->nspeedups; i++) {
            const struct results_speedup *s = &doc->speedups[i];
            if (s->n != g->sizes[k] || !in_group(g, s->profile, s->scenario, s->history))
                continue;
            if (!t) {
                rdoc_heading(d, 3, "Speedups");
                rdoc_para(d, TONE_PLAIN, "How many times faster a strategy ran than the "
                          "one it is compared with: median over median, and every such "
                          "ratio within the two medians' confidence intervals.");
                if (modelled)
                    t = rdoc_table(d, "rllrrrr", "N", "strategy", "over", "speedup",
                                   "interval", "documented", "modelled speedup");
                else
                    t = rdoc_table(d, "rllrrr", "N", "strategy", "over", "speedup",
                                   "interval", "documented");
            }
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(s->n).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", s->faster);
            rtable_cell(d, t, TONE_PLAIN, "%s", s->slower);
            rtable_cell(d, t, s->ratio < 1 ? TONE_WARN : TONE_PLAIN, "%s", fratio(s->ratio).s);
            rtable_cell(d, t, TONE_PLAIN, "%s – %s", fratio(s->ratio_low).s,
                        fratio(s->ratio_high).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", isnan(s->documented) ? "" : fdocumented(s->documented).s);
            if (modelled)
                rtable_cell(d, t, TONE_PLAIN, "%s", fratio(s->modelled_ratio).s);
        }
}

static void fmt_slope(double v, char *buf, size_t len)
{
    if (isnan(v))
        snprintf(buf, len, "n/a");
    else
        snprintf(buf, len, "%.2f", v);
}

static void build_slopes(struct rdoc *d, const struct results_doc *doc, const struct rgroup *g)
{
    struct rtable *t = NULL;
    for (int k = 0; k < g->nstrategies; k++)
        for (size_t i = 0; i < doc->nslopes; i++) {
            const struct results_slope *s = &doc->slopes[i];
            if (strcmp(s->strategy, g->strategies[k]) ||
                !in_group(g, s->profile, s->scenario, s->history))
                continue;
            if (!t) {
                rdoc_heading(d, 3, "Growth with N");
                rdoc_para(d, TONE_PLAIN, "Slope of log(median) over log(N): 1 is linear, "
                          "2 quadratic. The range holds the slope of any fit through values "
                          "within the medians' confidence intervals.");
                t = rdoc_table(d, "lrrrl", "strategy", "slope", "range", "r²", "sizes");
            }
            char slope[32], lo[32], hi[32], r2[32], sizes[256];
            fmt_slope(s->slope, slope, sizeof slope);
            fmt_slope(s->slope_min, lo, sizeof lo);
            fmt_slope(s->slope_max, hi, sizeof hi);
            if (isnan(s->r2))
                snprintf(r2, sizeof r2, "n/a");
            else
                snprintf(r2, sizeof r2, "%.3f", s->r2);
            size_t n = 0;
            sizes[0] = '\0';
            for (int j = 0; j < s->nsizes && n < sizeof sizes; j++)
                n += (size_t)snprintf(sizes + n, sizeof sizes - n, "%s%s", j ? ", " : "",
                                      fcount(s->sizes[j]).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", s->strategy);
            rtable_cell(d, t, TONE_PLAIN, "%s", slope);
            rtable_cell(d, t, TONE_PLAIN, "%s – %s", lo, hi);
            rtable_cell(d, t, TONE_PLAIN, "%s", r2);
            rtable_cell(d, t, TONE_PLAIN, "%s", sizes);
        }
}

static void build_statements(struct rdoc *d, const struct results_doc *doc,
                             const struct rgroup *g)
{
    rdoc_heading(d, 3, "Statements by kind");
    rdoc_para(d, TONE_PLAIN, "What one import executed: statements by kind, the lookups "
              "among the SELECTs, SQLite's virtual machine steps, rows written, and the "
              "bytes of the in-memory lookup map.");
    struct rtable *t = rdoc_table(d, "lrrrrrrrrrrr", "strategy", "N", "select", "insert",
                                  "update", "other", "lookups", "VM steps", "full-scan steps",
                                  "inserted", "updated", "map bytes");
    for (int s = 0; s < g->nstrategies; s++)
        for (int k = 0; k < g->nsizes; k++) {
            const struct results_cell *c = cell_at(doc, g, g->strategies[s], g->sizes[k]);
            if (!c)
                continue;
            const struct probe_counts *p = &c->counts;
            rtable_cell(d, t, TONE_PLAIN, "%s", c->strategy);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(c->n).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(p->select).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(p->insert).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(p->update).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(p->other).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(p->lookups).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(p->vm_steps).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(p->fullscan_steps).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(c->inserted).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(c->updated).s);
            rtable_cell(d, t, TONE_PLAIN, "%s", fcount(c->lookup_map_bytes).s);
        }
}

/* Each strategy's lookup plan at its largest N (plans do not change with N
 * unless the planner's statistics do). */
static void build_plans(struct rdoc *d, const struct results_doc *doc, const struct rgroup *g)
{
    struct rtable *t = NULL;
    for (int s = 0; s < g->nstrategies; s++) {
        const struct results_cell *c = NULL;
        for (int k = g->nsizes - 1; k >= 0 && !c; k--)
            c = cell_at(doc, g, g->strategies[s], g->sizes[k]);
        if (!c)
            continue;
        if (!t) {
            rdoc_heading(d, 3, "Lookup plans");
            t = rdoc_table(d, "lrl", "strategy", "N", "EXPLAIN QUERY PLAN of the lookup");
        }
        rtable_cell(d, t, TONE_PLAIN, "%s", c->strategy);
        rtable_cell(d, t, TONE_PLAIN, "%s", fcount(c->n).s);
        rtable_cell(d, t, TONE_PLAIN, "%s", c->lookup_plan[0] ? c->lookup_plan : "no lookup");
    }
}

void report_build_group(struct rdoc *d, const struct results_doc *doc, const struct rgroup *g)
{
    char title[160];
    report_group_title(g, title, sizeof title);
    rdoc_heading(d, 2, "%s", title);
    if (g->truncated)
        rdoc_para(d, TONE_WARN, "More than %d strategies or sizes: the report shows the "
                  "first %d of each.", GROUP_MAX, GROUP_MAX);
    build_plots(d, doc, g);
    build_times(d, doc, g);
    build_speedups(d, doc, g);
    build_slopes(d, doc, g);
    build_statements(d, doc, g);
    build_plans(d, doc, g);
}
