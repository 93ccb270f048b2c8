/* report_fmt.c: the one rule by which the report prints figures (report.h),
 * and the grouping of a document's cells into the report's sections. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_int.h"

static double round_to(double v, int decimals)
{
    double scale = decimals == 2 ? 100 : decimals == 1 ? 10 : 1;
    return round(v * scale) / scale;
}

/* Decimals that give v (>= 0) three significant digits, after rounding:
 * 9.996 prints as "10.0", not "10.00". */
static int sig3_decimals(double v)
{
    int d = v < 10 ? 2 : v < 100 ? 1 : 0;
    if (d == 2 && round_to(v, 2) >= 10)
        d = 1;
    else if (d == 1 && round_to(v, 1) >= 100)
        d = 0;
    return d;
}

static int prints_below_1000(double v)
{
    return round_to(v, sig3_decimals(v)) < 1000;
}

void report_fmt_seconds(double s, char *buf, size_t len)
{
    if (isnan(s) || isinf(s) || s < 0) {
        snprintf(buf, len, "n/a");
        return;
    }
    if (s == 0) {
        snprintf(buf, len, "0 s");
        return;
    }
    double v;
    const char *unit;
    if (s < 1e-3 && prints_below_1000(s * 1e6)) {
        v = s * 1e6;
        unit = "µs";
    } else if (s < 1 && prints_below_1000(s * 1e3)) {
        v = s * 1e3;
        unit = "ms";
    } else if (prints_below_1000(s)) {
        v = s;
        unit = "s";
    } else {
        snprintf(buf, len, "%.0f s", s);
        return;
    }
    snprintf(buf, len, "%.*f %s", sig3_decimals(v), v, unit);
}

void report_fmt_ratio(double r, char *buf, size_t len)
{
    if (isnan(r) || isinf(r) || r < 0) {
        snprintf(buf, len, "n/a");
        return;
    }
    if (r >= 1000)
        snprintf(buf, len, "%.0f×", r);
    else
        snprintf(buf, len, "%.*f×", sig3_decimals(r), r);
}

void report_fmt_count(uint64_t v, char *buf, size_t len)
{
    char digits[32], out[48];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    snprintf(buf, len, "%s", out);
}

void report_fmt_change(double relative, char *buf, size_t len)
{
    if (isnan(relative) || isinf(relative))
        snprintf(buf, len, "n/a");
    else
        snprintf(buf, len, "%+.1f%%", relative * 100 + 0.0);
}

void report_fmt_level(double p, char *buf, size_t len)
{
    if (isnan(p) || isinf(p))
        snprintf(buf, len, "n/a");
    else
        snprintf(buf, len, "%.1f%%", p * 100);
}

int report_format_from_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return -1;
    if (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm"))
        return REPORT_HTML;
    if (!strcasecmp(dot, ".md") || !strcasecmp(dot, ".markdown"))
        return REPORT_MARKDOWN;
    return -1;
}

/* ---- groups ---------------------------------------------------------------- */

static int has_name(char names[][RESULTS_NAME_MAX], int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return 1;
    return 0;
}

static void add_size(struct rgroup *g, uint64_t n)
{
    int i = 0;
    while (i < g->nsizes && g->sizes[i] < n)
        i++;
    if (i < g->nsizes && g->sizes[i] == n)
        return;
    if (g->nsizes == GROUP_MAX) {
        g->truncated = 1;
        return;
    }
    memmove(&g->sizes[i + 1], &g->sizes[i], (size_t)(g->nsizes - i) * sizeof g->sizes[0]);
    g->sizes[i] = n;
    g->nsizes++;
}

static void add_strategy(struct rgroup *g, const char *name)
{
    if (has_name(g->strategies, g->nstrategies, name))
        return;
    if (g->nstrategies == GROUP_MAX) {
        g->truncated = 1;
        return;
    }
    snprintf(g->strategies[g->nstrategies++], RESULTS_NAME_MAX, "%s", name);
}

static struct rgroup *find_group(struct rgroup *v, size_t n, const struct results_cell *c)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].profile, c->profile) && !strcmp(v[i].scenario, c->scenario))
            return &v[i];
    return NULL;
}

int report_groups(const struct results_doc *doc, struct rgroup **out, size_t *count)
{
    struct rgroup *v = NULL;
    size_t n = 0;
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct results_cell *c = &doc->cells[i];
        if (c->history != doc->config.history || find_group(v, n, c))
            continue;
        struct rgroup *p = realloc(v, (n + 1) * sizeof *p);
        if (!p) {
            free(v);
            return -1;
        }
        v = p;
        memset(&v[n], 0, sizeof v[n]);
        memcpy(v[n].profile, c->profile, RESULTS_NAME_MAX);
        memcpy(v[n].scenario, c->scenario, RESULTS_NAME_MAX);
        v[n].history = c->history;
        n++;
    }
    for (size_t i = 0; i < n; i++) {
        struct rgroup *g = &v[i];
        int used[RESULTS_LIST_MAX] = {0};
        for (size_t j = 0; j < doc->ncells; j++) {
            const struct results_cell *c = &doc->cells[j];
            if (c->history != g->history || strcmp(c->profile, g->profile) ||
                strcmp(c->scenario, g->scenario))
                continue;
            add_size(g, c->n);
            for (int k = 0; k < doc->config.nstrategies; k++)
                used[k] |= !strcmp(doc->config.strategies[k], c->strategy);
        }
        for (int k = 0; k < doc->config.nstrategies; k++)
            if (used[k])
                add_strategy(g, doc->config.strategies[k]);
        for (size_t j = 0; j < doc->ncells; j++) {
            const struct results_cell *c = &doc->cells[j];
            if (c->history == g->history && !strcmp(c->profile, g->profile) &&
                !strcmp(c->scenario, g->scenario))
                add_strategy(g, c->strategy);
        }
    }
    *out = v;
    *count = n;
    return 0;
}

void report_group_title(const struct rgroup *g, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s, %d earlier job%s", g->profile, g->scenario, g->history,
             g->history == 1 ? "" : "s");
}

uint64_t report_group_phase_n(const struct results_doc *doc, const struct rgroup *g)
{
    uint64_t best = g->nsizes ? g->sizes[g->nsizes - 1] : 0;
    int most = 0;
    for (int k = g->nsizes - 1; k >= 0; k--) {
        int ran = 0;
        for (int s = 0; s < g->nstrategies; s++)
            ran += results_find_cell(doc, g->profile, g->scenario, g->strategies[s],
                                     g->sizes[k], g->history) != NULL;
        if (ran > most) {
            most = ran;
            best = g->sizes[k];
        }
    }
    return best;
}
