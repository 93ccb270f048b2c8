/* report_int.h: what the report's own files share, and nothing outside them
 * uses. The report is built once as a list of blocks (headings, paragraphs,
 * tables of formatted strings, plots), so that the HTML and the Markdown show
 * the same tables; then the plots are drawn; then one renderer writes it. */
#ifndef IB_REPORT_INT_H
#define IB_REPORT_INT_H

#include <stdio.h>

#include "report.h"
#include "results.h"

/* ---- figures as strings, for use within one expression --------------------- */

struct rnum {
    char s[48];
};

static inline struct rnum fsec(double x)
{
    struct rnum r;
    report_fmt_seconds(x, r.s, sizeof r.s);
    return r;
}

static inline struct rnum fratio(double x)
{
    struct rnum r;
    report_fmt_ratio(x, r.s, sizeof r.s);
    return r;
}

/* A figure as a document gives it: "15×", "37×". */
static inline struct rnum fdocumented(double x)
{
    struct rnum r;
    snprintf(r.s, sizeof r.s, "%g×", x);
    return r;
}

static inline struct rnum fcount(uint64_t x)
{
    struct rnum r;
    report_fmt_count(x, r.s, sizeof r.s);
    return r;
}

static inline struct rnum fchange(double x)
{
    struct rnum r;
    report_fmt_change(x, r.s, sizeof r.s);
    return r;
}

static inline struct rnum flevel(double x)
{
    struct rnum r;
    report_fmt_level(x, r.s, sizeof r.s);
    return r;
}

/* ---- the cells of one (profile, scenario, history) -------------------------- */

#define GROUP_MAX 32

struct rgroup {
    char profile[RESULTS_NAME_MAX];
    char scenario[RESULTS_NAME_MAX];
    int history;
    char strategies[GROUP_MAX][RESULTS_NAME_MAX]; /* config order, then first seen */
    int nstrategies;
    uint64_t sizes[GROUP_MAX];                     /* ascending */
    int nsizes;
    int truncated;                                 /* more than GROUP_MAX of either */
};

/* The groups of cells at config.history, in order of first appearance; cells
 * at other depths (the history sweep) are not in any. *out is malloc'd. */
int report_groups(const struct results_doc *doc, struct rgroup **out, size_t *count);

/* The N the phases are shown at: the one at which most strategies ran, the
 * largest of those. */
uint64_t report_group_phase_n(const struct results_doc *doc, const struct rgroup *g);

/* "seed/fresh, 20 earlier jobs" */
void report_group_title(const struct rgroup *g, char *buf, size_t len);

/* ---- the document --------------------------------------------------------- */

enum rtone { TONE_PLAIN, TONE_GOOD, TONE_BAD, TONE_WARN };
enum rblock_kind { RB_HEADING, RB_PARA, RB_TABLE, RB_PLOT };
enum plot_kind { PLOT_TIME, PLOT_SPEEDUP, PLOT_PHASES };

struct rtable {
    int ncols;
    char align[GROUP_MAX];       /* 'l' or 'r' for each column */
    char **head;
    char **cells;                /* row-major */
    unsigned char *tones;
    size_t ncells, cap;
};

struct rplot {
    enum plot_kind kind;
    struct rgroup group;
    char name[160];              /* file stem: "seed-fresh-h20-time" */
    char title[256];
    char caption[512];           /* how to read it */
    char svg_path[4096];         /* set when drawn */
    char missing[256];           /* why it was not drawn */
};

struct rblock {
    enum rblock_kind kind;
    int level;                   /* headings: 1 to 3 */
    enum rtone tone;             /* paragraphs */
    char *text;                  /* headings and paragraphs; NULL: nothing to show */
    struct rtable *table;
    struct rplot *plot;
};

struct rdoc {
    struct rblock *blocks;
    size_t count, cap;
    int oom;                     /* sticky: an allocation failed */
};

void rdoc_free(struct rdoc *d);
void rdoc_heading(struct rdoc *d, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rdoc_para(struct rdoc *d, enum rtone tone, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An empty paragraph to fill in later with rdoc_fill; its index. */
size_t rdoc_placeholder(struct rdoc *d);
void rdoc_fill(struct rdoc *d, size_t index, enum rtone tone, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A table with one column per header (NULL-terminated), aligned by align
 * ("lrr"). NULL when out of memory: rtable_cell ignores a NULL table. */
struct rtable *rdoc_table(struct rdoc *d, const char *align, ...);
void rtable_cell(struct rdoc *d, struct rtable *t, enum rtone tone, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
size_t rtable_rows(const struct rtable *t);
struct rplot *rdoc_plot(struct rdoc *d, enum plot_kind kind, const struct rgroup *g);

/* ---- building, drawing, rendering ------------------------------------------ */

/* The whole report of in, into d. Returns the index of an empty paragraph
 * near the top, for report_write to say which plots are missing. */
size_t report_build(struct rdoc *d, const struct report_inputs *in, double threshold);
void report_build_group(struct rdoc *d, const struct results_doc *doc, const struct rgroup *g);
void report_build_compare(struct rdoc *d, const struct report_inputs *in, double threshold);
void report_build_hyperfine(struct rdoc *d, const struct report_inputs *in);

/* Draws p into dir/<name>.svg with gnuplot (data and script beside it);
 * sets p->svg_path, or p->missing to the reason. */
void report_plot_draw(struct rplot *p, const struct results_doc *doc, const char *dir,
                      const char *gnuplot);

/* The SVG of a drawn plot, ready to inline in an XHTML document: the XML
 * declaration gone and every id prefixed with prefix; NULL when unreadable. */
char *report_plot_inline_svg(const char *svg_path, const char *prefix);

/* Renderers: 0, or -1 when a write failed. plots_link is the directory the
 * Markdown links the SVG files under ("latest-plots"). */
int report_render_html(FILE *f, const struct rdoc *d, const char *title);
int report_render_md(FILE *f, const struct rdoc *d, const char *plots_link);

/* Names fit for file names and gnuplot strings: [A-Za-z0-9._-], others '_'. */
void report_safe_name(const char *in, char *out, size_t len);

#endif
