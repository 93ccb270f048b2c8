/* strategy.h: one interface, several ways of writing a parsed job into the
 * database. Each lives in its own strategy_<name>.c. The importer does what is
 * common (transaction, get-or-create, metadata, statistics, commit); a strategy
 * does only the lookups and writes of results, and must leave the same rows as
 * every other strategy: one row per key, the job's other rows untouched. */
#ifndef IB_STRATEGY_H
#define IB_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "error.h"
#include "job.h"

struct import_ctx {
    struct db *db;
    const struct job *job;
    const char *const *priorities; /* per result, NULL where none */
    int64_t job_row;               /* jobs.id */
    int job_was_empty;
    size_t bulk_chunk;             /* rows per multi-row statement (bulk); 0: default */
    const char *created_at;        /* the import's timestamp, bound into new rows */
};

struct strategy_outcome {
    uint64_t inserted, updated;
    size_t lookup_map_bytes;       /* bytes held by an in-memory lookup map, 0 if none */
    double lookup_s, write_s;      /* phase times measured inside the strategy */
};

struct strategy {
    const char *name;              /* "n1", "n1-deferred", "n1-nocache", "batch", ... */
    const char *summary;           /* one line for --help and tables */
    const char *lookup_sql;        /* the lookup statement, for EXPLAIN; NULL if none */
    int needs_unique_key;          /* refuses profiles without the unique key (upsert) */
    int needs_empty_job;           /* refuses a job that already has rows (floor) */
    int stmt_cache;                /* 0: every statement re-prepared (n1-nocache) */
    int lookup_per_result;         /* lookups: one per result (n1), else one if lookup_sql */
    unsigned backends;             /* bit (1u << DB_BACKEND_x) per backend it runs on; 0: all */
    int (*import)(const struct import_ctx *ctx, struct strategy_outcome *out,
                  struct ib_error *err);
};

/* NULL when no strategy has that name. */
const struct strategy *strategy_find(const char *name);

/* All strategies, in a fixed order; *count set to their number. */
const struct strategy *const *strategy_all(size_t *count);

/* The row values shared by every INSERT of a result, bound from index `first`
 * on, in the column order of STRATEGY_RESULT_COLUMNS. Returns the next index. */
#define STRATEGY_RESULT_COLUMNS                                                  \
    "job_id, file_path, class_name, test_name, status, jenkins_topology, "       \
    "order_index, was_rerun, rerun_still_failed, failure_message, priority, "    \
    "testcase_module, created_at"
#define STRATEGY_RESULT_NCOLS 13
int strategy_bind_result(struct db_stmt *st, int first, const struct import_ctx *ctx,
                         size_t i);

/* The columns an import rewrites in a result row that exists: all but the key,
 * setup_ip and topology_metadata (which no import sets) and created_at. */
#define STRATEGY_UPDATE_COLUMNS                                                  \
    "status, jenkins_topology, order_index, was_rerun, rerun_still_failed, "     \
    "failure_message, priority, testcase_module"
#define STRATEGY_UPDATE_NCOLS 8
int strategy_bind_update(struct db_stmt *st, int first, const struct import_ctx *ctx,
                         size_t i);

/* Every column of a result row, as an ORM loading whole objects selects them. */
#define STRATEGY_ROW_COLUMNS                                                     \
    "id, job_id, file_path, class_name, test_name, status, setup_ip, "           \
    "jenkins_topology, order_index, was_rerun, rerun_still_failed, "             \
    "failure_message, priority, topology_metadata, testcase_module, created_at"

/* One INSERT of result i, and one UPDATE of row `id` with result i's values. */
int strategy_insert_one(const struct import_ctx *ctx, size_t i, struct ib_error *err);
int strategy_update_one(const struct import_ctx *ctx, size_t i, int64_t id,
                        struct ib_error *err);

/* The map from key to row id of the job's rows that sql (a DB_ROLE_LOOKUP
 * SELECT binding the job's row id) returns, with id in column 0 and the key in
 * columns key_col..key_col+2. The caller frees *out (even on error). */
struct keymap;
int strategy_load_keymap(const struct import_ctx *ctx, const char *sql, int key_col,
                         struct keymap **out, struct ib_error *err);

/* The rows per multi-row statement that bulk uses when not told otherwise. */
#define STRATEGY_BULK_CHUNK 2500

/* The strategies themselves, one file each. */
extern const struct strategy strategy_n1, strategy_n1_deferred, strategy_n1_nocache,
    strategy_batch, strategy_bulk, strategy_upsert, strategy_floor, strategy_copy,
    strategy_n1_pipelined;

/* Whether st runs on backend b. */
int strategy_runs_on(const struct strategy *st, enum db_backend b);

#endif
