/* report.c: writing a report: build its blocks, draw its plots (into a
 * temporary directory for HTML, which inlines them; next to the file for
 * Markdown, which links them), render, and replace the file atomically. */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_compare.h"
#include "report_int.h"

#define PATH_LEN 4096

/* path's directory ("." when none) and its file name without extension. */
static void split_path(const char *path, char *dir, size_t dlen, char *stem, size_t slen)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, dlen, ".");
    else if (slash == path)
        snprintf(dir, dlen, "/");
    else
        snprintf(dir, dlen, "%.*s", (int)(slash - path), path);
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    int n = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    snprintf(stem, slen, "%.*s", n, base);
}

static const char *gnuplot_program(const struct report_options *opt)
{
    if (opt->gnuplot)
        return opt->gnuplot;
    const char *env = getenv("IB_GNUPLOT");
    return env && env[0] ? env : "gnuplot";
}

/* The directory the plots are drawn in; 0, or -1 with the reason in why. */
static int plots_dir(const char *path, enum report_format format, char *dir, size_t len,
                     char *link, size_t link_len, char *why, size_t why_len)
{
    char e[128];
    if (format == REPORT_HTML) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, len, "%s/importbench-report-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
        if (mkdtemp(dir))
            return 0;
        snprintf(why, why_len, "cannot make a temporary directory in %s: %s",
                 tmp && tmp[0] ? tmp : "/tmp",
                 ib_errno_text(errno, "no such directory", e, sizeof e));
        return -1;
    }
    char parent[PATH_LEN], stem[256];
    split_path(path, parent, sizeof parent, stem, sizeof stem);
    snprintf(link, link_len, "%s-plots", stem);
    if ((size_t)snprintf(dir, len, "%s/%s", parent, link) >= len) {
        snprintf(why, why_len, "the path of its directory is too long");
        return -1;
    }
    if (mkdir(dir, 0777) == 0 || errno == EEXIST)
        return 0;
    snprintf(why, why_len, "cannot make %s: %s", dir,
             ib_errno_text(errno, "no such directory", e, sizeof e));
    return -1;
}

static void remove_plot_files(const struct rdoc *d, const char *dir)
{
    static const char *const ext[] = {"dat", "gp", "svg", "log"};
    for (size_t i = 0; i < d->count; i++) {
        if (d->blocks[i].kind != RB_PLOT)
            continue;
        for (size_t k = 0; k < sizeof ext / sizeof ext[0]; k++) {
            char file[PATH_LEN + 200];
            snprintf(file, sizeof file, "%s/%s.%s", dir, d->blocks[i].plot->name, ext[k]);
            unlink(file);
        }
    }
    rmdir(dir);
}

/* Draws every plot; the first reason a plot is missing into the summary, and
 * one line naming all missing plots into the placeholder paragraph. */
static void draw_plots(struct rdoc *d, size_t placeholder, const struct results_doc *doc,
                       const char *dir, const char *dir_why, const char *gnuplot,
                       struct report_summary *sum)
{
    char names[2048] = "";
    size_t k = 0;
    for (size_t i = 0; i < d->count; i++) {
        struct rplot *p = d->blocks[i].plot;
        if (d->blocks[i].kind != RB_PLOT)
            continue;
        if (dir)
            report_plot_draw(p, doc, dir, gnuplot);
        else
            snprintf(p->missing, sizeof p->missing, "%s", dir_why);
        if (p->svg_path[0]) {
            sum->plots++;
            continue;
        }
        if (!sum->plots_missing++)
            snprintf(sum->missing_why, sizeof sum->missing_why, "%s", p->missing);
        if (k < sizeof names)
            k += (size_t)snprintf(names + k, sizeof names - k, "%s%s", k ? ", " : "", p->name);
    }
    if (sum->plots_missing)
        rdoc_fill(d, placeholder, TONE_WARN,
                  "%d plot%s not drawn (%s): %s. The tables are complete.", sum->plots_missing,
                  sum->plots_missing == 1 ? "" : "s", names, sum->missing_why);
}

static int render_to(const char *path, const struct rdoc *d, enum report_format format,
                     const char *title, const char *link, struct ib_error *err)
{
    char tmp[PATH_LEN + 16], e[128];
    snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int saved = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        return ib_fail(err, IB_ERR, "%s: cannot write: %s", path,
                       ib_errno_text(saved, "no such directory", e, sizeof e));
    }
    fchmod(fd, 0644);
    int rc = format == REPORT_HTML ? report_render_html(f, d, title)
                                   : report_render_md(f, d, link);
    if (fflush(f) != 0 || fsync(fd) != 0)
        rc = -1;
    int saved = errno;
    if (fclose(f) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        return ib_fail(err, IB_ERR, "%s: cannot write: %s", path,
                       ib_errno_text(saved, "no such directory", e, sizeof e));
    }
    return IB_OK;
}

int report_write(const struct report_inputs *in, const struct report_options *opt,
                 const char *path, struct report_summary *summary, struct ib_error *err)
{
    memset(summary, 0, sizeof *summary);
    double threshold = opt->threshold > 0 ? opt->threshold : COMPARE_THRESHOLD;
    struct rdoc d = {0};
    size_t placeholder = report_build(&d, in, threshold);
    if (d.oom) {
        rdoc_free(&d);
        return ib_fail(err, IB_ERR, "%s: out of memory", path);
    }
    char dir[PATH_LEN], link[300] = "", why[PATH_LEN + 300] = "";
    int have_dir = plots_dir(path, opt->format, dir, sizeof dir, link, sizeof link, why,
                             sizeof why) == 0;
    draw_plots(&d, placeholder, in->current, have_dir ? dir : NULL, why, gnuplot_program(opt),
               summary);
    char title[128];
    snprintf(title, sizeof title, "importbench report, %s", in->current->generated_at);
    int rc = d.oom ? ib_fail(err, IB_ERR, "%s: out of memory", path)
                   : render_to(path, &d, opt->format, title, link, err);
    if (opt->format == REPORT_MARKDOWN && have_dir)
        snprintf(summary->plots_dir, sizeof summary->plots_dir, "%s", dir);
    if (opt->format == REPORT_HTML && have_dir)
        remove_plot_files(&d, dir);
    rdoc_free(&d);
    return rc;
}
