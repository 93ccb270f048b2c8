/* junitgen.c: the generator's library entry points: options, and writing a
 * whole job directory file by file, each under a temporary name first. */
#include "junitgen.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dialect.h"
#include "naming.h"
#include "plan.h"
#include "prng.h"
#include "xmlout.h"

#define WRITE_BUFFER (1u << 20)

void junitgen_defaults(struct junitgen_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->files = 6;
    opt->seed = 1;
    opt->fail_rate = 0.07;
    opt->error_rate = 0.01;
    opt->skip_rate = 0.02;
    opt->rerun_rate = 0.01;
    opt->dup_rate = 0.0;
    opt->message_bytes = 1000;
    opt->dialect = JUNITGEN_PYTEST;
    opt->module = "high_availability";
}

int junitgen_parse_count(const char *text, uint64_t *out)
{
    uint64_t v = 0, unit = 1;
    const char *s = text;
    if (*s < '0' || *s > '9')
        return -1;
    for (; *s >= '0' && *s <= '9'; s++) {
        uint64_t digit = (uint64_t)(*s - '0');
        if (v > (UINT64_MAX - digit) / 10)
            return -1;
        v = v * 10 + digit;
    }
    if (*s == 'k' || *s == 'K')
        unit = 1000, s++;
    else if (*s == 'M')
        unit = 1000000, s++;
    if (*s != '\0' || v > UINT64_MAX / unit)
        return -1;
    *out = v * unit;
    return 0;
}

static const char *const dialect_names[] = {"pytest", "surefire", "gotest"};

int junitgen_dialect_parse(const char *name, enum junitgen_dialect *out)
{
    for (int d = JUNITGEN_PYTEST; d <= JUNITGEN_GOTEST; d++) {
        if (strcmp(name, dialect_names[d]) == 0) {
            *out = (enum junitgen_dialect)d;
            return 0;
        }
    }
    return -1;
}

const char *junitgen_dialect_name(enum junitgen_dialect d)
{
    return d <= JUNITGEN_GOTEST ? dialect_names[d] : "unknown";
}

int junitgen_module_valid(const char *m)
{
    size_t n = strlen(m);
    if (n == 0 || n > JUNITGEN_MAX_MODULE)
        return 0;
    if (!((m[0] >= 'a' && m[0] <= 'z') || (m[0] >= 'A' && m[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < n; i++) {
        char c = m[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '_'))
            return 0;
    }
    return 1;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int rate_ok(double p)
{
    return p >= 0.0 && p <= 1.0;    /* false for NaN too */
}

int junitgen_outcome_rates_fit(const struct junitgen_options *o)
{
    /* In the integers the plan uses, so that rates summing to 1 in decimal
     * (0.1 + 0.2 + 0.7) pass even where their doubles add up to a hair more. */
    return rate_ok(o->fail_rate) && rate_ok(o->error_rate) && rate_ok(o->skip_rate)
           && prng_threshold(o->fail_rate) + prng_threshold(o->error_rate)
                      + prng_threshold(o->skip_rate)
                  <= PRNG_ONE;
}

int junitgen_check_options(const struct junitgen_options *o, char *err, size_t errlen)
{
    if (o->results < 1 || o->results > JUNITGEN_MAX_RESULTS)
        return fail(err, errlen, "results must be from 1 to %u", JUNITGEN_MAX_RESULTS);
    if (o->files < 1 || o->files > JUNITGEN_MAX_FILES)
        return fail(err, errlen, "files must be from 1 to %u", JUNITGEN_MAX_FILES);
    const double rates[] = {o->fail_rate, o->error_rate, o->skip_rate, o->rerun_rate,
                            o->dup_rate};
    const char *names[] = {"fail_rate", "error_rate", "skip_rate", "rerun_rate", "dup_rate"};
    for (int i = 0; i < 5; i++)
        if (!rate_ok(rates[i]))
            return fail(err, errlen, "%s must be from 0 to 1", names[i]);
    if (!junitgen_outcome_rates_fit(o))
        return fail(err, errlen, "fail_rate + error_rate + skip_rate must not exceed 1");
    if (o->message_bytes > JUNITGEN_MAX_MESSAGE_BYTES)
        return fail(err, errlen, "message_bytes must be at most %u", JUNITGEN_MAX_MESSAGE_BYTES);
    if ((unsigned)o->dialect > JUNITGEN_GOTEST)
        return fail(err, errlen, "unknown dialect");
    if (!o->module || !junitgen_module_valid(o->module))
        return fail(err, errlen, "module must be a letter, then letters, digits or '_'");
    return 0;
}

int junitgen_file_name(const struct junitgen_options *opt, unsigned t, int rerun, char *buf,
                       size_t len)
{
    return naming_file(opt->seed, opt->module, t, rerun, buf, len);
}

/* --- writing a job ------------------------------------------------------- */

struct job_writer {
    const struct junitgen_options *opt;
    const char *dir;
    struct plan plan;
    struct xmlout out;
    struct merged_tally tally;
    struct junitgen_summary *summary;
    char *err;
    size_t errlen;
};

static const struct dialect_ops *ops_for(enum junitgen_dialect d)
{
    switch (d) {
    case JUNITGEN_SUREFIRE: return &dialect_surefire;
    case JUNITGEN_GOTEST: return &dialect_gotest;
    case JUNITGEN_PYTEST: break;
    }
    return &dialect_pytest;
}

/* strerror, lowercased to match the project's messages. */
static const char *reason(int e, char *buf, size_t len)
{
    snprintf(buf, len, "%s", strerror(e));
    if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
        buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}

static int fail_errno(struct job_writer *jw, const char *what, const char *name, int e)
{
    char why[128];
    fail(jw->err, jw->errlen, "%s: %s%s%s: %s", jw->dir, what, name ? " " : "", name ? name : "",
         reason(e, why, sizeof why));
    return -1;
}

static int has_xml_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

/* Creates dir if missing; refuses one that already holds a job. */
static int prepare_dir(struct job_writer *jw, int *created)
{
    struct stat sb;
    *created = 0;
    if (mkdir(jw->dir, 0777) == 0)
        *created = 1;
    else if (errno != EEXIST)
        return fail_errno(jw, "cannot create directory", NULL, errno);
    if (stat(jw->dir, &sb) != 0)
        return fail_errno(jw, "cannot read directory", NULL, errno);
    if (!S_ISDIR(sb.st_mode))
        return fail(jw->err, jw->errlen, "%s: not a directory", jw->dir);
    DIR *d = opendir(jw->dir);
    if (!d)
        return fail_errno(jw, "cannot read directory", NULL, errno);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL)
        if (has_xml_suffix(e->d_name))
            rc = fail(jw->err, jw->errlen,
                      "%s: already holds XML files (%s); give an empty or new directory",
                      jw->dir, e->d_name);
    closedir(d);
    return rc;
}

static int join(struct job_writer *jw, char *buf, size_t len, const char *prefix,
                const char *name, const char *suffix)
{
    int n = snprintf(buf, len, "%s/%s%s%s", jw->dir, prefix, name, suffix);
    if (n < 0 || (size_t)n >= len)
        return fail(jw->err, jw->errlen, "%s: path too long", jw->dir);
    return 0;
}

static void count_file(const struct plan *p, unsigned t, enum run_kind kind,
                       struct outcome_counts *totals)
{
    struct case_cursor c;
    struct case_group g;
    *totals = (struct outcome_counts){0};
    cursor_start(&c, p, t, kind, NULL);
    while (cursor_next_group(&c, &g)) {
        totals->tests += g.counts.tests;
        totals->failures += g.counts.failures;
        totals->errors += g.counts.errors;
        totals->skipped += g.counts.skipped;
        totals->time_ms += g.counts.time_ms;
    }
}

static void write_content(struct job_writer *jw, const struct file_info *fi, unsigned t,
                          enum run_kind kind)
{
    const struct dialect_ops *ops = ops_for(fi->dialect);
    struct case_cursor c;
    struct case_group g;
    uint64_t index = 0;
    ops->begin(&jw->out, fi);
    cursor_start(&c, &jw->plan, t, kind, kind == RUN_MAIN ? &jw->tally : NULL);
    while (cursor_next_group(&c, &g))
        ops->group(&jw->out, fi, &g, index++);
    ops->end(&jw->out, fi);
}

/* Writes topology t's main run or rerun (none when nothing was rerun). */
static int write_file(struct job_writer *jw, unsigned t, enum run_kind kind)
{
    char topology[32], hostname[48], name[256], tmp[4096], path[4096];
    struct file_info fi;
    count_file(&jw->plan, t, kind, &fi.totals);
    if (kind == RUN_RERUN && fi.totals.tests == 0)
        return 0;
    naming_topology(t, topology, sizeof topology);
    snprintf(hostname, sizeof hostname, "jenkins-agent-%02u",
             (unsigned)(prng_mix(jw->opt->seed ^ t) % 24 + 1));
    fi.dialect = jw->opt->dialect;
    fi.module = jw->opt->module;
    fi.topology = topology;
    fi.hostname = hostname;
    fi.rerun = kind == RUN_RERUN;
    fi.started = naming_run_start(jw->opt->seed, t, fi.rerun);
    fi.message_bytes = jw->opt->message_bytes;

    if (junitgen_file_name(jw->opt, t, fi.rerun, name, sizeof name) != 0)
        return fail(jw->err, jw->errlen, "%s: file name too long", jw->dir);
    if (join(jw, tmp, sizeof tmp, ".junitgen-", name, ".tmp") != 0
        || join(jw, path, sizeof path, "", name, "") != 0)
        return -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return fail_errno(jw, "cannot create", name, errno);
    xo_reset(&jw->out, fd);
    write_content(jw, &fi, t, kind);
    int e = xo_finish(&jw->out);
    if (close(fd) != 0 && e == 0)
        e = errno;
    if (e == 0 && rename(tmp, path) != 0)
        e = errno;
    if (e != 0) {
        unlink(tmp);
        return fail_errno(jw, "cannot write", name, e);
    }
    jw->summary->files++;
    jw->summary->testcases += fi.totals.tests;
    jw->summary->bytes += jw->out.bytes;
    return 0;
}

/* After a failure: every file this job may have renamed into place goes.
 * The directory held no XML file when we started, so all of them are ours. */
static void remove_written(struct job_writer *jw)
{
    char name[256], path[4096];
    for (unsigned t = 0; t < jw->opt->files; t++) {
        for (int rerun = 0; rerun <= 1; rerun++) {
            if (junitgen_file_name(jw->opt, t, rerun, name, sizeof name) == 0
                && snprintf(path, sizeof path, "%s/%s", jw->dir, name) < (int)sizeof path)
                unlink(path);
        }
    }
}

int junitgen_write_job(const struct junitgen_options *opt, const char *dir,
                       struct junitgen_summary *summary, char *err, size_t errlen)
{
    struct job_writer jw = {.opt = opt, .dir = dir, .summary = summary, .err = err,
                            .errlen = errlen};
    char why[256];
    int created;

    memset(summary, 0, sizeof *summary);
    if (junitgen_check_options(opt, why, sizeof why) != 0) {
        fail(err, errlen, "%s: %s", dir, why);
        return 2;
    }
    if (prepare_dir(&jw, &created) != 0)
        return 1;
    if (xo_open(&jw.out, -1, WRITE_BUFFER) != 0) {
        fail_errno(&jw, "cannot write", NULL, errno);
        if (created)
            rmdir(dir);
        return 1;
    }
    plan_init(&jw.plan, opt);
    int rc = 0;
    for (unsigned t = 0; t < opt->files && rc == 0; t++) {
        rc = write_file(&jw, t, RUN_MAIN);
        if (rc == 0)
            rc = write_file(&jw, t, RUN_RERUN);
    }
    xo_close(&jw.out);
    if (rc != 0) {
        remove_written(&jw);
        if (created)
            rmdir(dir);
        memset(summary, 0, sizeof *summary);
        return 1;
    }
    summary->keys = opt->results;
    summary->reruns = jw.tally.reruns;
    summary->dups = jw.tally.dups;
    summary->passed = jw.tally.passed;
    summary->failed = jw.tally.failed;
    summary->errors = jw.tally.errors;
    summary->skipped = jw.tally.skipped;
    summary->rerun_still_failed = jw.tally.rerun_still_failed;
    return 0;
}
