/* verify.c: every strategy on every scenario and profile, from copies of the
 * same starting database, and the comparison of what must not differ. A
 * digest that differs is explained by the first row (in key order) where the
 * two databases part. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "verify.h"

#include <errno.h>
#include <stdarg.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "importer.h"
#include "scenario.h"

/* The first import of a scenario: what every other one must equal. */
struct reference {
    char digest[65];
    char db[4400];
    char label[96];          /* "strategy on profile" */
};

struct run_ctx {
    const struct verify_options *opt;
    struct verify_summary *sum;
    char work[4096];
};

/* The database at path (a file, or a PostgreSQL database's name). */
static struct db_config db_at(const struct verify_options *opt, const char *path)
{
    return (struct db_config){.path = path, .backend = opt->backend, .dsn = opt->pg_dsn};
}

/* Where one database of the run lives: a file in the scenario's directory; on
 * PostgreSQL a database named after this process, the scenario, the profile
 * and `what` (a strategy, or "start"). */
static void db_place(const struct verify_options *opt, const char *dir, enum scenario s,
                     enum schema_profile p, const char *what, char *out, size_t outlen)
{
    if (opt->backend == DB_BACKEND_SQLITE)
        snprintf(out, outlen, "%s/%s.%s.db", dir, schema_profile_name(p), what);
    else
        snprintf(out, outlen, "ibv%ld_%s_%s_%s", (long)getpid(), scenario_name(s),
                 schema_profile_name(p), what);
}

static void drop_db(const struct verify_options *opt, const char *path)
{
    struct db_config cfg = db_at(opt, path);
    struct ib_error ignored;
    db_database_remove(&cfg, &ignored);
}

/* One job's canonical rows, copied out of the database. */
struct rowset {
    char *(*rows)[SCHEMA_ROW_FIELDS];
    size_t n, cap;
};

static int keep_row(void *ctx, const char *const *fields)
{
    struct rowset *rs = ctx;
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 256;
        void *more = realloc(rs->rows, cap * sizeof *rs->rows);
        if (!more)
            return IB_ERR;
        rs->rows = more;
        rs->cap = cap;
    }
    for (int i = 0; i < SCHEMA_ROW_FIELDS; i++)
        rs->rows[rs->n][i] = fields[i] ? strdup(fields[i]) : NULL;
    rs->n++;
    return IB_OK;
}

static void rowset_free(struct rowset *rs)
{
    for (size_t r = 0; r < rs->n; r++)
        for (int i = 0; i < SCHEMA_ROW_FIELDS; i++)
            free(rs->rows[r][i]);
    free(rs->rows);
}

static int load_rows(const struct verify_options *opt, const char *path, struct rowset *rs,
                     struct ib_error *err)
{
    struct db_config cfg = db_at(opt, path);
    struct db *db;
    if (db_open(&db, &cfg, err) != IB_OK)
        return IB_ERR;
    int status = schema_each_job_row(db, SCENARIO_RELEASE, SCENARIO_MODULE, SCENARIO_JOB,
                                     keep_row, rs, err);
    db_close(db);
    return status == IB_OK ? IB_OK : ib_fail(err, IB_ERR, "%s: cannot list rows", path);
}

static int field_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static const char *shown(const char *s)
{
    return s ? s : "NULL";
}

/* Where the job in `path` first parts from the reference's, as text. */
static void first_difference(const struct verify_options *opt, const struct reference *ref,
                             const char *path, const char *label, char *out, size_t outlen)
{
    struct rowset a = {0}, b = {0};
    struct ib_error err;
    if (load_rows(opt, ref->db, &a, &err) != IB_OK || load_rows(opt, path, &b, &err) != IB_OK) {
        snprintf(out, outlen, "%s", err.msg);
        rowset_free(&a);
        rowset_free(&b);
        return;
    }
    snprintf(out, outlen, "the rows agree; the job's statistics differ");
    for (size_t i = 0; i < a.n || i < b.n; i++) {
        char *const *ra = i < a.n ? a.rows[i] : NULL, *const *rb = i < b.n ? b.rows[i] : NULL;
        int key = !ra ? 1 : !rb ? -1 : 0;
        for (int f = 0; f < 3 && key == 0; f++)
            key = field_cmp(ra[f], rb[f]);
        int f = 3;
        while (key == 0 && f < SCHEMA_ROW_FIELDS && !field_cmp(ra[f], rb[f]))
            f++;
        if (key == 0 && f == SCHEMA_ROW_FIELDS)
            continue;
        char *const *row = key <= 0 ? ra : rb;
        char what[1024];
        if (key < 0)
            snprintf(what, sizeof what, "missing in %s", label);
        else if (key > 0)
            snprintf(what, sizeof what, "only in %s", label);
        else
            snprintf(what, sizeof what, "%s '%s' in %s, '%s' in %s",
                     schema_row_field_names[f], shown(ra[f]), ref->label, shown(rb[f]), label);
        snprintf(out, outlen, "first differing row ('%s', '%s', '%s'): %s", row[0], row[1],
                 row[2], what);
        break;
    }
    rowset_free(&a);
    rowset_free(&b);
}

static int applies(const struct verify_options *opt, const struct strategy *st,
                   enum schema_profile p, enum scenario s)
{
    if (!strategy_runs_on(st, opt->backend))
        return 0;
    if (st->needs_unique_key && p != PROFILE_KEYED)
        return 0;
    return !st->needs_empty_job || s == SCENARIO_FRESH || s == SCENARIO_DUPS;
}

static void disagree(struct run_ctx *rc, const char *where, int *bad, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void disagree(struct run_ctx *rc, const char *where, int *bad, const char *fmt, ...)
{
    va_list ap;
    fprintf(rc->opt->diag, "importbench: verify: %s: ", where);
    va_start(ap, fmt);
    vfprintf(rc->opt->diag, fmt, ap);
    va_end(ap);
    fputc('\n', rc->opt->diag);
    *bad = 1;
}

/* The rules one import must keep; returns 1 when it broke any. */
static int check_run(struct run_ctx *rc, enum scenario s, const struct strategy *st,
                     const char *label, const char *path, const struct import_report *rep,
                     const struct schema_outside *before, struct reference *ref)
{
    char where[160];
    int bad = 0;
    uint64_t n = rc->opt->results;
    snprintf(where, sizeof where, "%s/%s", scenario_name(s), label);
    uint64_t existing = s == SCENARIO_REIMPORT ? n : s == SCENARIO_OVERLAP ? n - n / 2 : 0;
    uint64_t lookups = st->lookup_per_result ? n : st->lookup_sql ? 1 : 0;
    if (rep->results != n)
        disagree(rc, where, &bad, "the job holds %zu keys, expected %llu", rep->results,
                 (unsigned long long)n);
    if (s == SCENARIO_DUPS && (double)n * SCENARIO_DUP_RATE >= 1.0 &&
        rep->testcases_read <= rep->results)
        disagree(rc, where, &bad, "the input repeats no key (%zu testcases, %zu keys)",
                 rep->testcases_read, rep->results);
    if (rep->inserted != n - existing || rep->updated != existing)
        disagree(rc, where, &bad, "inserted %llu and updated %llu, expected %llu and %llu",
                 (unsigned long long)rep->inserted, (unsigned long long)rep->updated,
                 (unsigned long long)(n - existing), (unsigned long long)existing);
    if (rep->counts.lookups != lookups)
        disagree(rc, where, &bad, "%llu lookups, expected %llu",
                 (unsigned long long)rep->counts.lookups, (unsigned long long)lookups);
    struct schema_outside after;
    struct db_config cfg = db_at(rc->opt, path);
    struct db *db;
    struct ib_error err;
    memset(&after, 0, sizeof after);
    if (db_open(&db, &cfg, &err) != IB_OK ||
        schema_snapshot_outside(db, SCENARIO_RELEASE, SCENARIO_MODULE, SCENARIO_JOB, &after,
                                &err) != IB_OK)
        disagree(rc, where, &bad, "%s", err.msg);
    else if (memcmp(before, &after, sizeof after) != 0)
        disagree(rc, where, &bad, "rows outside the job changed");
    db_close(db);
    if (!ref->digest[0]) {
        memcpy(ref->digest, rep->digest, sizeof ref->digest);
        snprintf(ref->db, sizeof ref->db, "%s", path);
        snprintf(ref->label, sizeof ref->label, "%s", label);
    } else if (strcmp(ref->digest, rep->digest) != 0) {
        char why[2048];
        first_difference(rc->opt, ref, path, label, why, sizeof why);
        disagree(rc, where, &bad, "digest %.12s differs from %.12s of %s; %s", rep->digest,
                 ref->digest, ref->label, why);
    }
    return bad;
}

static void print_row(struct run_ctx *rc, enum scenario s, const char *profile,
                      const struct strategy *st, const struct import_report *r, int bad)
{
    const struct probe_counts *k = &r->counts;
    fprintf(rc->opt->out, "%-9s %-6s %-12s %8zu %8llu %8llu %8llu %7llu %7llu %7llu %12llu"
                          "  %.12s  %s\n",
            scenario_name(s), profile, st->name, r->results, (unsigned long long)r->inserted,
            (unsigned long long)r->updated, (unsigned long long)k->lookups,
            (unsigned long long)k->select, (unsigned long long)k->insert,
            (unsigned long long)k->update,
            (unsigned long long)(rc->opt->backend == DB_BACKEND_SQLITE ? k->vm_steps
                                                                       : k->round_trips),
            r->digest,
            bad ? "DIFFERS" : "ok");
}

/* Every applicable strategy on one profile's starting database. */
static int run_profile(struct run_ctx *rc, enum scenario s, enum schema_profile p,
                       const char *dir, const char *input, const struct job *job,
                       struct reference *ref, struct ib_error *err)
{
    const struct verify_options *opt = rc->opt;
    char start[4300];
    db_place(opt, dir, s, p, "start", start, sizeof start);
    struct db_config cfg = db_at(opt, start);
    if (scenario_build_db_on(&cfg, p, s, job, opt->history, err) != IB_OK)
        return IB_ERR;
    struct schema_outside before;
    struct db *db;
    memset(&before, 0, sizeof before);
    if (db_open(&db, &cfg, err) != IB_OK)
        return IB_ERR;
    int status = schema_snapshot_outside(db, SCENARIO_RELEASE, SCENARIO_MODULE, SCENARIO_JOB,
                                         &before, err);
    db_close(db);
    for (size_t k = 0; status == IB_OK && k < opt->nstrategies; k++) {
        const struct strategy *st = opt->strategies[k];
        if (!applies(opt, st, p, s))
            continue;
        char path[4400], label[96];
        db_place(opt, dir, s, p, st->name, path, sizeof path);
        snprintf(label, sizeof label, "%s on %s", st->name, schema_profile_name(p));
        if (db_database_clone(&cfg, path, err) != IB_OK)
            return IB_ERR;
        struct import_request req = {.db_path = path, .dir = input, .release = SCENARIO_RELEASE,
                                     .module = SCENARIO_MODULE, .job_id = SCENARIO_JOB,
                                     .strategy = st, .profile = p, .backend = opt->backend,
                                     .pg_dsn = opt->pg_dsn};
        struct import_report rep;
        if (importer_run(&req, &rep, err) != IB_OK) {
            if (!opt->keep_dir) {
                drop_db(opt, path);
                drop_db(opt, start);
            }
            return ib_wrap(err, "verify: %s/%s", scenario_name(s), label);
        }
        int bad = check_run(rc, s, st, label, path, &rep, &before, ref);
        rc->sum->runs++;
        rc->sum->disagreements += (unsigned)bad;
        print_row(rc, s, schema_profile_name(p), st, &rep, bad);
        if (!opt->keep_dir && strcmp(ref->db, path) != 0)
            drop_db(opt, path);
    }
    if (!opt->keep_dir)
        drop_db(opt, start);
    return status;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int run_scenario(struct run_ctx *rc, enum scenario s, struct ib_error *err)
{
    const struct verify_options *opt = rc->opt;
    char dir[4200], input[4300], gerr[1024];
    snprintf(dir, sizeof dir, "%s/%s", rc->work, scenario_name(s));
    snprintf(input, sizeof input, "%s/input", dir);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return ib_fail(err, IB_ERR, "%s: %s", dir, strerror(errno));
    struct junitgen_options gen;
    struct junitgen_summary gsum;
    scenario_generator_options(s, opt->results, opt->files, opt->seed, &gen);
    if (junitgen_write_job(&gen, input, &gsum, gerr, sizeof gerr) != 0)
        return ib_fail(err, IB_ERR, "%s", gerr);
    struct job job = {0};
    struct reference ref = {0};
    int status = job_load_dir(&job, input, err);
    for (int p = PROFILE_SEED; status == IB_OK && p <= PROFILE_KEYED; p++)
        if (opt->profiles & (1u << p))
            status = run_profile(rc, s, (enum schema_profile)p, dir, input, &job, &ref, err);
    job_free(&job);
    if (!opt->keep_dir && ref.db[0])
        drop_db(opt, ref.db);
    if (!opt->keep_dir)
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return status;
}

int verify_run(const struct verify_options *opt, struct verify_summary *sum,
               struct ib_error *err)
{
    struct verify_options o = *opt;
    if (!o.strategies)
        o.strategies = strategy_all(&o.nstrategies);
    struct run_ctx rc = {.opt = &o, .sum = sum};
    memset(sum, 0, sizeof *sum);
    if (o.keep_dir) {
        if (mkdir(o.keep_dir, 0777) != 0 && errno != EEXIST)
            return ib_fail(err, IB_ERR, "%s: %s", o.keep_dir, strerror(errno));
        snprintf(rc.work, sizeof rc.work, "%s", o.keep_dir);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(rc.work, sizeof rc.work, "%s/importbench-verify.XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(rc.work))
            return ib_fail(err, IB_ERR, "%s: %s", rc.work, strerror(errno));
    }
    fprintf(o.out, "%-9s %-6s %-12s %8s %8s %8s %8s %7s %7s %7s %12s  %-12s  %s\n", "scenario",
            "profile", "strategy", "results", "inserted", "updated", "lookups", "select",
            "insert", "update", o.backend == DB_BACKEND_SQLITE ? "vm_steps" : "round_trips",
            "digest", "verdict");
    int status = IB_OK;
    for (int s = 0; status == IB_OK && s < SCENARIO_COUNT; s++)
        status = run_scenario(&rc, (enum scenario)s, err);
    if (!o.keep_dir)
        nftw(rc.work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (status == IB_OK)
        fprintf(o.out, "%u imports, %u disagreeing\n", sum->runs, sum->disagreements);
    return status;
}
