/* report_plot.c: the report's plots, drawn by gnuplot. For each plot this
 * writes a data file and a gnuplot script into a directory, runs gnuplot
 * there, and checks that the SVG it wrote is well-formed XML. Nothing here
 * draws: a plot gnuplot could not draw is left with the reason. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "report_int.h"

#define PATH_LEN 4096

/* A gnuplot string literal: single quotes, a quote doubled. */
static void gp_string(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        if (*s != '\n' && *s != '\r')
            fputc(*s, f);
    }
    fputc('\'', f);
}

static void gp_head(FILE *f, const struct rplot *p, int width, int height)
{
    fprintf(f, "set encoding utf8\n"
               "set terminal svg size %d,%d noenhanced font 'Helvetica,14' "
               "background rgb 'white'\n", width, height);
    fprintf(f, "set output '%s.svg'\n", p->name);
    fputs("set title ", f);
    gp_string(f, p->title);
    fputs(" font ',15'\n"
          "set grid lc rgb '#dddddd'\n"
          "set border lc rgb '#555555'\n", f);
}

static const struct results_cell *cell_at(const struct results_doc *doc, const struct rgroup *g,
                                          const char *strategy, uint64_t n)
{
    return results_find_cell(doc, g->profile, g->scenario, strategy, n, g->history);
}

/* Tics at the measured sizes (and the documented ones where they are drawn):
 * on a log axis spanning less than a decade gnuplot would label only one. */
static void gp_size_tics(FILE *f, const struct rgroup *g, int documented)
{
    uint64_t v[GROUP_MAX + RESULTS_HEADLINE_ROWS];
    int n = 0;
    for (int k = 0; k < g->nsizes; k++)
        v[n++] = g->sizes[k];
    for (uint64_t m = 1000; documented && m <= 10000; m++)
        if (results_documented_at(m)) {
            int seen = 0;
            for (int k = 0; k < n; k++)
                seen |= v[k] == m;
            if (!seen)
                v[n++] = m;
        }
    fputs("set xtics (", f);
    for (int k = 0; k < n; k++)
        fprintf(f, "%s%llu", k ? ", " : "", (unsigned long long)v[k]);
    fputs(")\nset mxtics default\n", f);
}

/* ---- median time over N --------------------------------------------------- */

static int time_data(FILE *f, const struct results_doc *doc, const struct rgroup *g)
{
    int blocks = 0;
    for (int s = 0; s < g->nstrategies; s++) {
        fprintf(f, "# %s: n median ci_low ci_high modelled_median (seconds)\n",
                g->strategies[s]);
        for (int k = 0; k < g->nsizes; k++) {
            const struct results_cell *c = cell_at(doc, g, g->strategies[s], g->sizes[k]);
            if (c)
                fprintf(f, "%llu %.9g %.9g %.9g %.9g\n", (unsigned long long)c->n,
                        c->summary.median, c->summary.ci_low, c->summary.ci_high,
                        isnan(c->modelled_median_s) ? -1.0 : c->modelled_median_s);
        }
        fputs("\n\n", f);
        blocks++;
    }
    return blocks;
}

static void time_script(FILE *f, const struct rplot *p, const struct results_doc *doc)
{
    const struct rgroup *g = &p->group;
    gp_head(f, p, 960, 540);
    gp_size_tics(f, g, 0);
    fputs("set logscale xy 10\n"
          "set autoscale xfix\n"
          "set xlabel 'N: distinct results in the job (log scale)'\n"
          "set ylabel 'median time per import (log scale)'\n"
          "set format x '%.0s%c'\n"
          "set format y '%.0s %cs'\n"
          "set offsets graph 0.04, graph 0.04, 0, 0\n"
          "set key outside right top vertical Left reverse\n"
          "plot \\\n", f);
    for (int s = 0; s < g->nstrategies; s++) {
        char name[RESULTS_NAME_MAX];
        report_safe_name(g->strategies[s], name, sizeof name);
        fprintf(f, "  '%s.dat' index %d using 1:2:3:4 with yerrorlines lt %d lw 2 pt 7 "
                "ps 0.7 title '%s'%s\n", p->name, s, s + 1, name,
                s + 1 < g->nstrategies || doc->config.rtt_us > 0 ? ", \\" : "");
    }
    for (int s = 0; doc->config.rtt_us > 0 && s < g->nstrategies; s++) {
        char name[RESULTS_NAME_MAX];
        report_safe_name(g->strategies[s], name, sizeof name);
        fprintf(f, "  '%s.dat' index %d using 1:($5 > 0 ? $5 : NaN) with lines lt %d "
                "dt 2 lw 1.5 title '%s modelled'%s\n", p->name, s, s + 1, name,
                s + 1 < g->nstrategies ? ", \\" : "");
    }
}

/* ---- speedup over n1 ------------------------------------------------------ */

static const struct results_speedup *speedup_at(const struct results_doc *doc,
                                                const struct rgroup *g, const char *faster,
                                                uint64_t n)
{
    for (size_t i = 0; i < doc->nspeedups; i++) {
        const struct results_speedup *s = &doc->speedups[i];
        if (s->n == n && s->history == g->history && !strcmp(s->slower, "n1") &&
            !strcmp(s->faster, faster) && !strcmp(s->profile, g->profile) &&
            !strcmp(s->scenario, g->scenario))
            return s;
    }
    return NULL;
}

/* One block per strategy with speedups over n1 (its index in *which), then
 * the documented figures. Returns the number of strategy blocks. */
static int speedup_data(FILE *f, const struct results_doc *doc, const struct rgroup *g,
                        int *which)
{
    int blocks = 0;
    for (int s = 0; s < g->nstrategies; s++) {
        int any = 0;
        for (int k = 0; k < g->nsizes; k++) {
            const struct results_speedup *r = speedup_at(doc, g, g->strategies[s], g->sizes[k]);
            if (!r || isnan(r->ratio))
                continue;
            if (!any)
                fprintf(f, "# %s over n1: n ratio low high modelled\n", g->strategies[s]);
            any = 1;
            fprintf(f, "%llu %.9g %.9g %.9g %.9g\n", (unsigned long long)r->n, r->ratio,
                    isnan(r->ratio_low) ? r->ratio : r->ratio_low,
                    isnan(r->ratio_high) ? r->ratio : r->ratio_high,
                    isnan(r->modelled_ratio) ? -1.0 : r->modelled_ratio);
        }
        if (any) {
            fputs("\n\n", f);
            which[blocks++] = s;
        }
    }
    fputs("# documented: n speedup of batch over n1 (seed document)\n", f);
    for (uint64_t n = 1000; n <= 10000; n++) {
        const struct results_documented *d = results_documented_at(n);
        if (d)
            fprintf(f, "%llu %g\n", (unsigned long long)d->n, d->speedup);
    }
    return blocks;
}

static void speedup_script(FILE *f, const struct rplot *p, const struct results_doc *doc,
                           const int *which, int blocks)
{
    const struct rgroup *g = &p->group;
    gp_head(f, p, 960, 540);
    gp_size_tics(f, g, 1);
    fputs("set logscale xy 10\n"
          "set autoscale xfix\n"
          "set xlabel 'N: distinct results in the job (log scale)'\n"
          "set ylabel 'speedup over n1: times faster (log scale)'\n"
          "set format x '%.0s%c'\n"
          "set format y '%g×'\n"
          "set offsets graph 0.04, graph 0.04, 0, 0\n"
          "set key outside right top vertical Left reverse\n"
          "plot \\\n", f);
    for (int b = 0; b < blocks; b++) {
        char name[RESULTS_NAME_MAX];
        report_safe_name(g->strategies[which[b]], name, sizeof name);
        fprintf(f, "  '%s.dat' index %d using 1:2:3:4 with yerrorlines lt %d lw 2 pt 7 "
                "ps 0.7 title '%s', \\\n", p->name, b, which[b] + 1, name);
        if (doc->config.rtt_us > 0)
            fprintf(f, "  '%s.dat' index %d using 1:($5 > 0 ? $5 : NaN) with lines lt %d "
                    "dt 2 lw 1.5 title '%s modelled', \\\n", p->name, b, which[b] + 1, name);
    }
    fprintf(f, "  '%s.dat' index %d using 1:2 with points pt 6 ps 2 lw 2 lc rgb 'black' "
            "title 'documented: batch over n1 (seed document)'\n", p->name, blocks);
}

/* ---- phases at the largest N ---------------------------------------------- */

static int phases_data(FILE *f, const struct results_doc *doc, const struct rgroup *g,
                       double *scale, const char **unit)
{
    uint64_t n = report_group_phase_n(doc, g);
    double most = 0;
    for (int s = 0; s < g->nstrategies; s++) {
        const struct results_cell *c = cell_at(doc, g, g->strategies[s], n);
        if (c) {
            const struct phase_times *t = &c->phases;
            double sum = t->parse + t->lookup + t->write + t->commit;
            most = sum > most ? sum : most;
        }
    }
    *scale = most < 1e-3 ? 1e6 : most < 1 ? 1e3 : 1;
    *unit = most < 1e-3 ? "us" : most < 1 ? "ms" : "s";
    fprintf(f, "# N = %llu: strategy parse lookup write commit (%s) total\n",
            (unsigned long long)n, *unit);
    int rows = 0;
    for (int s = 0; s < g->nstrategies; s++) {
        const struct results_cell *c = cell_at(doc, g, g->strategies[s], n);
        if (!c)
            continue;
        char name[RESULTS_NAME_MAX];
        report_safe_name(c->strategy, name, sizeof name);
        const struct phase_times *t = &c->phases;
        fprintf(f, "%s %.9g %.9g %.9g %.9g \"%s\"\n", name, t->parse * *scale,
                t->lookup * *scale, t->write * *scale, t->commit * *scale,
                fsec(t->parse + t->lookup + t->write + t->commit).s);
        rows++;
    }
    return rows;
}

static void phases_script(FILE *f, const struct rplot *p, const char *unit)
{
    static const char *const phase[] = {"parse", "lookup", "write", "commit"};
    gp_head(f, p, 960, 500);
    fputs("unset title\n", f);
    fputs("set multiplot layout 1,2 title ", f);
    gp_string(f, p->title);
    fputs(" font ',15'\n"
          "set style data histograms\n"
          "set style histogram rowstacked\n"
          "set style fill solid 0.85 border rgb '#333333'\n"
          "set boxwidth 0.7\n"
          "set grid noxtics ytics\n"
          "set xlabel 'strategy'\n"
          "set key outside bottom center horizontal\n"
          "set yrange [0:*]\n", f);
    fprintf(f, "set ylabel 'median time per import (%s)'\n", unit);
    fputs("set offsets 0, 0, graph 0.08, 0\n"
          "plot \\\n", f);
    for (int i = 0; i < 4; i++)
        fprintf(f, "  '%s.dat' using %d%s lt %d title '%s', \\\n", p->name, i + 2,
                i == 0 ? ":xtic(1)" : "", i + 1, phase[i]);
    fprintf(f, "  '%s.dat' using 0:($2 + $3 + $4 + $5):6 with labels offset 0,0.7 "
            "notitle\n", p->name);
    fputs("set offsets 0, 0, 0, 0\n", f);
    fputs("set ylabel 'share of the import (%)'\n"
          "set yrange [0:100]\n"
          "plot \\\n", f);
    for (int i = 0; i < 4; i++)
        fprintf(f, "  '%s.dat' using (100 * $%d / ($2 + $3 + $4 + $5))%s lt %d title '%s'%s\n",
                p->name, i + 2, i == 0 ? ":xtic(1)" : "", i + 1, phase[i],
                i < 3 ? ", \\" : "");
    fputs("unset multiplot\n", f);
}

/* ---- running gnuplot ------------------------------------------------------ */

/* Runs `gnuplot NAME.gp` in dir, its output to NAME.log; 0, or -1 with why. */
static int run_gnuplot(const char *dir, const char *name, const char *gnuplot, char *why,
                       size_t len)
{
    char script[PATH_LEN], log[PATH_LEN];
    snprintf(script, sizeof script, "%s.gp", name);
    snprintf(log, sizeof log, "%s.log", name);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, len, "cannot start gnuplot: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = chdir(dir) == 0 ? open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
        if (in < 0 || out < 0)
            _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        execlp(gnuplot, gnuplot, script, (char *)NULL);
        dprintf(2, "exec: %s\n", strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            snprintf(why, len, "gnuplot: %s", strerror(errno));
            return -1;
        }
    char path[PATH_LEN + 8], first[160] = "";
    snprintf(path, sizeof path, "%s/%s", dir, log);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        unlink(path);
        return 0;
    }
    FILE *f = fopen(path, "r");
    while (f && fgets(first, sizeof first, f) && first[0] == '\n')
        ;
    if (f)
        fclose(f);
    first[strcspn(first, "\n")] = '\0';
    const char *sep = first[0] ? ": " : "";
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        snprintf(why, len, "gnuplot not found ('%s')", gnuplot);
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 126)
        snprintf(why, len, "cannot run gnuplot ('%s')%s%s", gnuplot, sep, first);
    else if (WIFEXITED(status))
        snprintf(why, len, "gnuplot ('%s') failed with exit status %d%s%s", gnuplot,
                 WEXITSTATUS(status), sep, first);
    else
        snprintf(why, len, "gnuplot ('%s') was killed by signal %d", gnuplot,
                 WTERMSIG(status));
    return -1;
}

static int svg_well_formed(const char *path)
{
    xmlDocPtr x = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                              XML_PARSE_NOWARNING);
    if (!x)
        return 0;
    xmlFreeDoc(x);
    return 1;
}

/* Writes NAME.dat and NAME.gp; 0, or -1 with why. */
static int write_inputs(struct rplot *p, const struct results_doc *doc, const char *dir)
{
    char dat[PATH_LEN + 200], gp[PATH_LEN + 200];
    snprintf(dat, sizeof dat, "%s/%s.dat", dir, p->name);
    snprintf(gp, sizeof gp, "%s/%s.gp", dir, p->name);
    FILE *fd = fopen(dat, "w"), *fg = fopen(gp, "w");
    int ok = fd && fg, rows = 0;
    if (ok) {
        const struct rgroup *g = &p->group;
        double scale;
        const char *unit;
        int which[GROUP_MAX];
        switch (p->kind) {
        case PLOT_TIME:
            rows = time_data(fd, doc, g);
            time_script(fg, p, doc);
            break;
        case PLOT_SPEEDUP:
            rows = speedup_data(fd, doc, g, which);
            speedup_script(fg, p, doc, which, rows);
            break;
        case PLOT_PHASES:
            rows = phases_data(fd, doc, g, &scale, &unit);
            phases_script(fg, p, unit);
            break;
        }
    }
    if (fd && fclose(fd))
        ok = 0;
    if (fg && fclose(fg))
        ok = 0;
    if (!ok) {
        snprintf(p->missing, sizeof p->missing, "cannot write its data in %s: %s", dir,
                 strerror(errno));
        return -1;
    }
    if (!rows) {
        snprintf(p->missing, sizeof p->missing, "no data to plot");
        return -1;
    }
    return 0;
}

void report_plot_draw(struct rplot *p, const struct results_doc *doc, const char *dir,
                      const char *gnuplot)
{
    char svg[sizeof p->svg_path];
    if ((size_t)snprintf(svg, sizeof svg, "%s/%s.svg", dir, p->name) >= sizeof svg) {
        snprintf(p->missing, sizeof p->missing, "the path of its directory is too long");
        return;
    }
    unlink(svg); /* a plot of an earlier report must not pass for this one's */
    if (write_inputs(p, doc, dir) != 0)
        return;
    if (run_gnuplot(dir, p->name, gnuplot, p->missing, sizeof p->missing) != 0)
        return;
    struct stat st;
    if (stat(svg, &st) != 0 || st.st_size == 0) {
        snprintf(p->missing, sizeof p->missing, "gnuplot ('%s') wrote no SVG", gnuplot);
        return;
    }
    if (!svg_well_formed(svg)) {
        snprintf(p->missing, sizeof p->missing,
                 "gnuplot ('%s') wrote an SVG that is not well-formed XML", gnuplot);
        return;
    }
    snprintf(p->svg_path, sizeof p->svg_path, "%s", svg);
}
