/* report.h: the report of a results document, as one self-contained HTML file
 * (inline CSS and SVG, well-formed XML) or as Markdown with its plots as SVG
 * files beside it. Plots are drawn by gnuplot from data files the report
 * writes; without gnuplot the report keeps its tables and names the plots it
 * could not draw, and why.
 *
 * Figures are formatted by one rule everywhere (tables of both formats):
 *   times    three significant digits in the unit (s, ms, µs) that puts the
 *            value in [1, 1000): "40.0 s", "20.0 ms", "1.25 ms", "400 µs";
 *            1000 s and more as whole seconds; "0 s" for zero
 *   ratios   three significant digits and "×": "1.25×", "20.0×", "200×"
 *   counts   whole numbers with "," between thousands: "10,005"
 *   changes  signed percent with one decimal: "+12.3%", "-0.5%"
 *   levels   percent with one decimal: "93.8%"
 * The seed document's speedups are shown as it gives them ("15×"); its times
 * follow the rule ("30.0 s"). Anything not known (NaN) prints as "n/a". */
#ifndef IB_REPORT_H
#define IB_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "results.h"

struct hyperfine_set;
struct gate_report;

enum report_format { REPORT_HTML, REPORT_MARKDOWN };

struct report_inputs {
    const struct results_doc *current;
    const struct results_doc *baseline;       /* NULL: no comparison */
    const struct hyperfine_set *hyperfine;    /* NULL: no whole-process figures */
    const struct gate_report *gate;           /* NULL: the gate did not run */
    const char *gate_note;                    /* why it did not, or NULL */
};

struct report_options {
    enum report_format format;
    const char *gnuplot;     /* the program; NULL: $IB_GNUPLOT, else "gnuplot" on PATH */
    double threshold;        /* comparison noise threshold, relative; 0: 0.05 */
};

/* What a written report holds, for the caller to tell the user. */
struct report_summary {
    int plots;               /* plots drawn */
    int plots_missing;       /* plots that could not be drawn */
    char missing_why[256];   /* the first reason, e.g. "gnuplot not found ('x')" */
    char plots_dir[4096];    /* Markdown: where the SVG files went; "" for HTML */
};

/* Writes the report to path atomically (a temporary file in the same
 * directory, then rename). Markdown puts its plots in <path's stem>-plots/
 * next to it, with the data and gnuplot script of each. IB_ERR when a file
 * cannot be written. */
int report_write(const struct report_inputs *in, const struct report_options *opt,
                 const char *path, struct report_summary *summary, struct ib_error *err);

/* REPORT_HTML for .html and .htm, REPORT_MARKDOWN for .md and .markdown;
 * -1 for anything else. */
int report_format_from_path(const char *path);

/* The formatting rule above; buf of at least 32 bytes. */
void report_fmt_seconds(double s, char *buf, size_t len);
void report_fmt_ratio(double r, char *buf, size_t len);
void report_fmt_count(uint64_t v, char *buf, size_t len);
void report_fmt_change(double relative, char *buf, size_t len);
void report_fmt_level(double p, char *buf, size_t len);

#endif
