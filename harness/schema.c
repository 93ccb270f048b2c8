/* schema.c: the modelled application's tables in three index profiles, and the
 * writes around an import that are not a strategy's business: creating or
 * checking the schema, get-or-create of release, module and job, the job's
 * statistics, metadata priorities, and seeding earlier jobs. The digest of a
 * job and the snapshot of everything else are in schema_digest.c. */
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "schema_sql.h"

static const char *const profile_names[] = {"seed", "app", "keyed"};

/* The columns as the reference document lists them; types as the application's
 * ORM declares them. Foreign keys are declared but, as in the application,
 * not enforced (SQLite's default). */
static const char common_ddl[] =
    "CREATE TABLE importbench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE releases ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name VARCHAR(100) NOT NULL UNIQUE,"
    " is_active BOOLEAN NOT NULL DEFAULT 1,"
    " jenkins_job_url TEXT,"
    " created_at DATETIME DEFAULT CURRENT_TIMESTAMP,"
    " updated_at DATETIME DEFAULT CURRENT_TIMESTAMP);"
    "CREATE TABLE modules ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,"
    " name VARCHAR(100) NOT NULL,"
    " created_at DATETIME DEFAULT CURRENT_TIMESTAMP,"
    " updated_at DATETIME DEFAULT CURRENT_TIMESTAMP);"
    "CREATE UNIQUE INDEX idx_release_module ON modules (release_id, name);"
    "CREATE TABLE jobs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " module_id INTEGER NOT NULL REFERENCES modules (id) ON DELETE CASCADE,"
    " job_id TEXT NOT NULL,"
    " parent_job_id TEXT,"
    " total INTEGER NOT NULL DEFAULT 0,"
    " passed INTEGER NOT NULL DEFAULT 0,"
    " failed INTEGER NOT NULL DEFAULT 0,"
    " skipped INTEGER NOT NULL DEFAULT 0,"
    " pass_rate REAL NOT NULL DEFAULT 0.0,"
    " jenkins_url TEXT,"
    " version TEXT,"
    " created_at DATETIME DEFAULT CURRENT_TIMESTAMP,"
    " downloaded_at DATETIME,"
    " executed_at DATETIME);"
    "CREATE UNIQUE INDEX idx_module_job ON jobs (module_id, job_id);"
    "CREATE INDEX ix_jobs_created_at ON jobs (created_at);"
    "CREATE TABLE test_results ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
    " file_path TEXT NOT NULL,"
    " class_name VARCHAR(200) NOT NULL,"
    " test_name VARCHAR(200) NOT NULL,"
    " status VARCHAR(7) NOT NULL,"
    " setup_ip VARCHAR(50),"
    " jenkins_topology VARCHAR(100),"
    " order_index INTEGER,"
    " was_rerun BOOLEAN NOT NULL DEFAULT 0,"
    " rerun_still_failed BOOLEAN NOT NULL DEFAULT 0,"
    " failure_message TEXT,"
    " priority VARCHAR(2),"
    " topology_metadata TEXT,"
    " testcase_module VARCHAR(100),"
    " created_at DATETIME DEFAULT CURRENT_TIMESTAMP);"
    "CREATE TABLE testcase_metadata ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " testcase_name VARCHAR(200) NOT NULL UNIQUE,"
    " priority VARCHAR(2),"
    " topology VARCHAR(100),"
    " module VARCHAR(100),"
    " created_at DATETIME DEFAULT CURRENT_TIMESTAMP);";

/* The indexes, the same SQL on both engines. The seed document knows of one
 * index on test_results. */
static const char seed_ddl[] =
    "CREATE INDEX ix_test_results_job_id ON test_results (job_id);";

/* The application's index set at the time of the fix (reference document). */
static const char app_ddl[] =
    "CREATE INDEX ix_test_results_status ON test_results (status);"
    "CREATE INDEX ix_test_results_jenkins_topology ON test_results (jenkins_topology);"
    "CREATE INDEX ix_test_results_priority ON test_results (priority);"
    "CREATE INDEX ix_test_results_topology_metadata ON test_results (topology_metadata);"
    "CREATE INDEX ix_test_results_testcase_module ON test_results (testcase_module);"
    "CREATE INDEX idx_test_key ON test_results (file_path, class_name, test_name);"
    "CREATE INDEX idx_job_status ON test_results (job_id, status);"
    "CREATE INDEX idx_job_topology ON test_results (job_id, jenkins_topology);"
    "CREATE INDEX idx_test_name_priority ON test_results (test_name, priority);";

static const char keyed_ddl[] =
    "CREATE UNIQUE INDEX uq_test_results_job_key"
    " ON test_results (job_id, file_path, class_name, test_name);";

static const struct schema_sql sqlite_sql = {
    .common_ddl = common_ddl,
    .count_meta = "SELECT count(*) FROM sqlite_master WHERE name = 'importbench_meta'",
    .count_tables = "SELECT count(*) FROM sqlite_master",
};

static const struct schema_sql *sql_of(struct db *db)
{
    return db_backend_of(db) == DB_BACKEND_POSTGRES ? &schema_sql_pg : &sqlite_sql;
}

int schema_profile_parse(const char *name, enum schema_profile *out)
{
    for (int p = PROFILE_SEED; p <= PROFILE_KEYED; p++)
        if (!strcmp(name, profile_names[p])) {
            *out = (enum schema_profile)p;
            return IB_OK;
        }
    return IB_EUSAGE;
}

const char *schema_profile_name(enum schema_profile p)
{
    return p <= PROFILE_KEYED ? profile_names[p] : "?";
}

/* Prepares sql and binds `parent` (when >= 0) then `text` (when non-NULL). */
static int prepare_bound(struct db *db, const char *sql, int64_t parent, const char *text,
                         struct db_stmt **st, struct ib_error *err)
{
    if (db_prepare(db, sql, DB_ROLE_PLAIN, st, err) != IB_OK)
        return IB_ERR;
    int idx = 1;
    if (parent >= 0)
        db_bind_int64(*st, idx++, parent);
    if (text)
        db_bind_text(*st, idx, text);
    return IB_OK;
}

/* Runs sql, bound as prepare_bound does, and reads the first column of the
 * first row as an integer. *found says whether there was a row. */
static int select_int(struct db *db, const char *sql, int64_t parent, const char *text,
                      int64_t *value, int *found, struct ib_error *err)
{
    struct db_stmt *st;
    if (prepare_bound(db, sql, parent, text, &st, err) != IB_OK)
        return IB_ERR;
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        *value = db_column_int64(st, 0);
    db_stmt_done(st);
    if (rc < 0)
        return IB_ERR;
    *found = rc == DB_ROW;
    return IB_OK;
}

static int run_write(struct db *db, const char *sql, int64_t parent, const char *text,
                     struct ib_error *err)
{
    struct db_stmt *st;
    if (prepare_bound(db, sql, parent, text, &st, err) != IB_OK)
        return IB_ERR;
    int rc = db_step(st, err);
    db_stmt_done(st);
    return rc < 0 ? IB_ERR : IB_OK;
}

static int create_schema(struct db *db, enum schema_profile p, struct ib_error *err)
{
    const struct schema_sql *sql = sql_of(db);
    if (db_exec(db, sql->common_ddl, err) != IB_OK)
        return IB_ERR;
    if (db_exec(db, p == PROFILE_SEED ? seed_ddl : app_ddl, err) != IB_OK)
        return IB_ERR;
    if (p == PROFILE_KEYED && db_exec(db, keyed_ddl, err) != IB_OK)
        return IB_ERR;
    return run_write(db, "INSERT INTO importbench_meta (key, value) VALUES ('profile', ?)", -1,
                     profile_names[p], err);
}

/* Inside the caller's transaction: create, or compare the recorded profile. */
static int ensure_in_txn(struct db *db, enum schema_profile p, struct ib_error *err)
{
    int64_t n;
    int found;
    if (select_int(db, sql_of(db)->count_meta, -1, NULL, &n, &found, err) != IB_OK)
        return IB_ERR;
    if (n == 0) {
        if (select_int(db, sql_of(db)->count_tables, -1, NULL, &n, &found, err) != IB_OK)
            return IB_ERR;
        if (n != 0)
            return ib_fail(err, IB_EUSAGE, "%s: not an importbench database", db_path(db));
        return create_schema(db, p, err);
    }
    struct db_stmt *st;
    if (db_prepare(db, "SELECT value FROM importbench_meta WHERE key = 'profile'", DB_ROLE_PLAIN,
                   &st, err) != IB_OK)
        return IB_ERR;
    int rc = db_step(st, err);
    int status = IB_OK;
    if (rc < 0)
        status = IB_ERR;
    else if (rc != DB_ROW)
        status = ib_fail(err, IB_EUSAGE, "%s: no profile recorded", db_path(db));
    else if (strcmp(db_column_text(st, 0), profile_names[p]) != 0)
        status = ib_fail(err, IB_EUSAGE, "%s: made with profile '%s', not '%s'", db_path(db),
                         db_column_text(st, 0), profile_names[p]);
    db_stmt_done(st);
    return status;
}

int schema_ensure(struct db *db, enum schema_profile p, struct ib_error *err)
{
    if (db_begin(db, err) != IB_OK)
        return IB_ERR;
    int status = ensure_in_txn(db, p, err);
    if (status == IB_OK)
        status = db_commit(db, err);
    if (status != IB_OK)
        db_rollback(db);
    return status;
}

/* The module's row id, creating it and its release where missing. */
static int get_or_create_module(struct db *db, const char *release, const char *module,
                                int64_t *module_row, struct ib_error *err)
{
    int64_t release_row;
    int found;
    if (select_int(db, "SELECT id FROM releases WHERE name = ?", -1, release, &release_row,
                   &found, err) != IB_OK)
        return IB_ERR;
    /* INSERT ... RETURNING: the new id in the same round trip, on any engine */
    if (!found && select_int(db, "INSERT INTO releases (name) VALUES (?) RETURNING id", -1,
                             release, &release_row, &found, err) != IB_OK)
        return IB_ERR;
    if (select_int(db, "SELECT id FROM modules WHERE release_id = ? AND name = ?", release_row,
                   module, module_row, &found, err) != IB_OK)
        return IB_ERR;
    if (!found && select_int(db, "INSERT INTO modules (release_id, name) VALUES (?, ?)"
                                 " RETURNING id", release_row, module, module_row, &found,
                             err) != IB_OK)
        return IB_ERR;
    return IB_OK;
}

int schema_get_or_create_job(struct db *db, const char *release, const char *module,
                             const char *job_id, int64_t *job_row, int *job_was_empty,
                             struct ib_error *err)
{
    int64_t module_row, any;
    int found;
    if (get_or_create_module(db, release, module, &module_row, err) != IB_OK ||
        select_int(db, "SELECT id FROM jobs WHERE module_id = ? AND job_id = ?", module_row,
                   job_id, job_row, &found, err) != IB_OK)
        return IB_ERR;
    if (!found) {
        *job_was_empty = 1;
        return select_int(db, "INSERT INTO jobs (module_id, job_id) VALUES (?, ?) RETURNING id",
                          module_row, job_id, job_row, &found, err);
    }
    if (select_int(db, "SELECT EXISTS (SELECT 1 FROM test_results WHERE job_id = ?)", *job_row,
                   NULL, &any, &found, err) != IB_OK)
        return IB_ERR;
    *job_was_empty = !any;
    return IB_OK;
}

int schema_write_job_stats(struct db *db, int64_t job_row, const struct job_stats *st,
                           struct ib_error *err)
{
    struct db_stmt *s;
    if (db_prepare(db, "UPDATE jobs SET total = ?, passed = ?, failed = ?, skipped = ?,"
                       " pass_rate = ? WHERE id = ?", DB_ROLE_PLAIN, &s, err) != IB_OK)
        return IB_ERR;
    db_bind_int64(s, 1, st->total);
    db_bind_int64(s, 2, st->passed);
    db_bind_int64(s, 3, st->failed);
    db_bind_int64(s, 4, st->skipped);
    db_bind_double(s, 5, st->pass_rate);
    db_bind_int64(s, 6, job_row);
    int rc = db_step(s, err);
    db_stmt_done(s);
    return rc < 0 ? IB_ERR : IB_OK;
}

/* A result's name for testcase_metadata: the test name itself unless
 * normalising changes it, then a copy in the arena. */
static const char *normalised_name(struct arena *a, const char *test_name)
{
    size_t len = strlen(test_name);
    char small[256];
    char *buf = len < sizeof small ? small : arena_alloc(a, len + 1);
    if (!buf)
        return NULL;
    job_normalised_name(test_name, buf, len + 1);
    if (!strcmp(buf, test_name))
        return test_name;
    return buf == small ? arena_strndup(a, buf, strlen(buf)) : buf;
}

struct named {
    const char *name;
    size_t idx;         /* the result's index */
};

static int named_order(const void *a, const void *b)
{
    return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

static int name_order(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The few distinct priority values, shared rather than copied per result. */
static const char *intern(struct arena *a, const char **seen, size_t *nseen, size_t cap,
                          const char *text)
{
    for (size_t i = 0; i < *nseen; i++)
        if (!strcmp(seen[i], text))
            return seen[i];
    const char *copy = arena_strndup(a, text, strlen(text));
    if (copy && *nseen < cap)
        seen[(*nseen)++] = copy;
    return copy;
}

/* One IN query over distinct[0..n): their priorities into prio[0..n). */
static int priorities_chunk(struct db *db, struct arena *a, const char **distinct, size_t n,
                            const char **prio, const char **seen, size_t *nseen,
                            struct ib_error *err)
{
    static const char head[] =
        "SELECT testcase_name, priority FROM testcase_metadata WHERE testcase_name IN (";
    char *sql = malloc(sizeof head + 2 * n + 2);
    if (!sql)
        return ib_fail(err, IB_ERR, "%s: out of memory", db_path(db));
    char *p = sql + sizeof head - 1;
    memcpy(sql, head, sizeof head - 1);
    for (size_t i = 0; i < n; i++) {
        *p++ = i ? ',' : '?';
        if (i)
            *p++ = '?';
    }
    strcpy(p, ")");
    struct db_stmt *st;
    int status = db_prepare(db, sql, DB_ROLE_PLAIN, &st, err);
    free(sql);
    if (status != IB_OK)
        return IB_ERR;
    for (size_t i = 0; i < n; i++)
        db_bind_text(st, (int)i + 1, distinct[i]);
    int rc;
    status = IB_OK;
    while (status == IB_OK && (rc = db_step(st, err)) == DB_ROW) {
        const char *name = db_column_text(st, 0), *value = db_column_text(st, 1);
        const char **hit = bsearch(&name, distinct, n, sizeof *distinct, name_order);
        if (hit && value && !(prio[hit - distinct] = intern(a, seen, nseen, 16, value)))
            status = ib_fail(err, IB_ERR, "%s: out of memory", db_path(db));
    }
    db_stmt_done(st);
    return status == IB_OK && rc < 0 ? IB_ERR : status;
}

int schema_lookup_priorities(struct db *db, struct job *job, const char **out,
                             struct ib_error *err)
{
    for (size_t i = 0; i < job->count; i++)
        out[i] = NULL;
    if (job->count == 0)
        return IB_OK;
    struct named *names = malloc(job->count * sizeof *names);
    const char **distinct = malloc(job->count * sizeof *distinct);
    const char **prio = calloc(job->count, sizeof *prio);
    int status = names && distinct && prio ? IB_OK
                                           : ib_fail(err, IB_ERR, "%s: out of memory",
                                                     db_path(db));
    for (size_t i = 0; status == IB_OK && i < job->count; i++) {
        names[i].idx = i;
        if (!(names[i].name = normalised_name(job->arena, job->results[i].test_name)))
            status = ib_fail(err, IB_ERR, "%s: out of memory", db_path(db));
    }
    size_t ndistinct = 0;
    if (status == IB_OK) {
        qsort(names, job->count, sizeof *names, named_order);
        for (size_t i = 0; i < job->count; i++)
            if (!ndistinct || strcmp(distinct[ndistinct - 1], names[i].name))
                distinct[ndistinct++] = names[i].name;
    }
    const char *seen[16];
    size_t nseen = 0, chunk = (size_t)db_max_variables(db);
    for (size_t at = 0; status == IB_OK && at < ndistinct; at += chunk) {
        size_t n = ndistinct - at < chunk ? ndistinct - at : chunk;
        status = priorities_chunk(db, job->arena, distinct + at, n, prio + at, seen, &nseen,
                                  err);
    }
    /* names and distinct are both in name order: walk them together */
    for (size_t i = 0, d = 0; status == IB_OK && i < job->count; i++) {
        if (strcmp(distinct[d], names[i].name))
            d++;
        out[names[i].idx] = prio[d];
    }
    free(names);
    free(distinct);
    free(prio);
    return status;
}

int schema_insert_results(struct db *db, const struct schema_rows *rows, struct ib_error *err)
{
    static const char sql[] =
        "INSERT INTO test_results (job_id, file_path, class_name, test_name, status,"
        " setup_ip, jenkins_topology, order_index, was_rerun, rerun_still_failed,"
        " failure_message, priority, topology_metadata, testcase_module, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    for (size_t i = 0; i < rows->count; i++) {
        const struct job_result *r = &rows->results[i];
        struct db_stmt *st;
        if (db_prepare(db, sql, DB_ROLE_PLAIN, &st, err) != IB_OK)
            return IB_ERR;
        db_bind_int64(st, 1, rows->job_row);
        db_bind_text(st, 2, r->file_path);
        db_bind_text(st, 3, r->class_name);
        db_bind_text(st, 4, r->test_name);
        db_bind_text(st, 5, result_status_name(r->status));
        db_bind_text(st, 6, rows->setup_ip);
        db_bind_text(st, 7, r->jenkins_topology);
        db_bind_int64(st, 8, r->order_index);
        db_bind_int64(st, 9, r->was_rerun);
        db_bind_int64(st, 10, r->rerun_still_failed);
        db_bind_text(st, 11, r->failure_message);
        db_bind_text(st, 12, rows->priorities ? rows->priorities[i] : NULL);
        db_bind_text(st, 13, rows->topology_metadata);
        db_bind_text(st, 14, r->testcase_module);
        db_bind_text(st, 15, rows->created_at);
        int rc = db_step(st, err);
        db_stmt_done(st);
        if (rc < 0)
            return IB_ERR;
    }
    return IB_OK;
}

/* The priority testcase_metadata gets for a name in seeded databases: about
 * seven names in ten have one, spread over P0..P3, decided by the name alone. */
static const char *seeded_priority(const char *name)
{
    static const char *const levels[] = {"P0", "P1", "P2", "P3"};
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % 10 < 7 ? levels[(h / 10) % 4] : NULL;
}

static int seed_metadata(struct db *db, const struct job *job, const char *module,
                         const char **prio, struct ib_error *err)
{
    for (size_t i = 0; i < job->count; i++) {
        const char *name = normalised_name(job->arena, job->results[i].test_name);
        if (!name)
            return ib_fail(err, IB_ERR, "%s: out of memory", db_path(db));
        if (!(prio[i] = seeded_priority(name)))
            continue;
        struct db_stmt *st;
        if (db_prepare(db, "INSERT INTO testcase_metadata (testcase_name, priority, topology,"
                           " module) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", DB_ROLE_PLAIN, &st,
                       err) != IB_OK)
            return IB_ERR;
        db_bind_text(st, 1, name);
        db_bind_text(st, 2, prio[i]);
        db_bind_text(st, 3, job->results[i].jenkins_topology);
        db_bind_text(st, 4, module);
        int rc = db_step(st, err);
        db_stmt_done(st);
        if (rc < 0)
            return IB_ERR;
    }
    return IB_OK;
}

static int seed_in_txn(struct db *db, const struct job *job, const char *release,
                       const char *module, int history, const char **prio,
                       struct ib_error *err)
{
    if (seed_metadata(db, job, module, prio, err) != IB_OK)
        return IB_ERR;
    struct schema_rows rows = {.results = job->results, .count = job->count,
                               .priorities = prio, .created_at = SCHEMA_SEED_TIME};
    int64_t module_row;
    int empty;
    /* the release and module exist even without history */
    if (get_or_create_module(db, release, module, &module_row, err) != IB_OK)
        return IB_ERR;
    for (int h = 1; h <= history; h++) {
        char name[32];
        snprintf(name, sizeof name, "h%d", h);
        if (schema_get_or_create_job(db, release, module, name, &rows.job_row, &empty, err) !=
                IB_OK ||
            schema_insert_results(db, &rows, err) != IB_OK ||
            schema_write_job_stats(db, rows.job_row, &job->stats, err) != IB_OK)
            return IB_ERR;
    }
    return IB_OK;
}

int schema_seed_history(struct db *db, const struct job *job, const char *release,
                        const char *module, int history, struct ib_error *err)
{
    const char **prio = calloc(job->count ? job->count : 1, sizeof *prio);
    if (!prio)
        return ib_fail(err, IB_ERR, "%s: out of memory", db_path(db));
    int status = db_begin(db, err);
    if (status == IB_OK)
        status = seed_in_txn(db, job, release, module, history, prio, err);
    if (status == IB_OK)
        status = db_commit(db, err);
    if (status != IB_OK)
        db_rollback(db);
    free(prio);
    return status;
}
