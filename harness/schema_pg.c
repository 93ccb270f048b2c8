/* schema_pg.c: the modelled application's tables as its ORM creates them on
 * PostgreSQL: SERIAL keys, BOOLEAN, DOUBLE PRECISION and TIMESTAMP where
 * SQLite has INTEGER, REAL and DATETIME, and the same names, lengths and
 * indexes in every profile. Foreign keys are declared, as in the application;
 * PostgreSQL enforces them, which no import trips since every parent row is
 * written first. */
#include "schema_sql.h"

static const char pg_common_ddl[] =
    "CREATE TABLE importbench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE releases ("
    " id SERIAL PRIMARY KEY,"
    " name VARCHAR(100) NOT NULL UNIQUE,"
    " is_active BOOLEAN NOT NULL DEFAULT true,"
    " jenkins_job_url TEXT,"
    " created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,"
    " updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);"
    "CREATE TABLE modules ("
    " id SERIAL PRIMARY KEY,"
    " release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,"
    " name VARCHAR(100) NOT NULL,"
    " created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,"
    " updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);"
    "CREATE UNIQUE INDEX idx_release_module ON modules (release_id, name);"
    "CREATE TABLE jobs ("
    " id SERIAL PRIMARY KEY,"
    " module_id INTEGER NOT NULL REFERENCES modules (id) ON DELETE CASCADE,"
    " job_id TEXT NOT NULL,"
    " parent_job_id TEXT,"
    " total INTEGER NOT NULL DEFAULT 0,"
    " passed INTEGER NOT NULL DEFAULT 0,"
    " failed INTEGER NOT NULL DEFAULT 0,"
    " skipped INTEGER NOT NULL DEFAULT 0,"
    " pass_rate DOUBLE PRECISION NOT NULL DEFAULT 0.0,"
    " jenkins_url TEXT,"
    " version TEXT,"
    " created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,"
    " downloaded_at TIMESTAMP,"
    " executed_at TIMESTAMP);"
    "CREATE UNIQUE INDEX idx_module_job ON jobs (module_id, job_id);"
    "CREATE INDEX ix_jobs_created_at ON jobs (created_at);"
    "CREATE TABLE test_results ("
    " id SERIAL PRIMARY KEY,"
    " job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
    " file_path TEXT NOT NULL,"
    " class_name VARCHAR(200) NOT NULL,"
    " test_name VARCHAR(200) NOT NULL,"
    " status VARCHAR(7) NOT NULL,"
    " setup_ip VARCHAR(50),"
    " jenkins_topology VARCHAR(100),"
    " order_index INTEGER,"
    " was_rerun BOOLEAN NOT NULL DEFAULT false,"
    " rerun_still_failed BOOLEAN NOT NULL DEFAULT false,"
    " failure_message TEXT,"
    " priority VARCHAR(2),"
    " topology_metadata TEXT,"
    " testcase_module VARCHAR(100),"
    " created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);"
    "CREATE TABLE testcase_metadata ("
    " id SERIAL PRIMARY KEY,"
    " testcase_name VARCHAR(200) NOT NULL UNIQUE,"
    " priority VARCHAR(2),"
    " topology VARCHAR(100),"
    " module VARCHAR(100),"
    " created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);";

const struct schema_sql schema_sql_pg = {
    .common_ddl = pg_common_ddl,
    .count_meta = "SELECT count(*) FROM pg_catalog.pg_tables"
                  " WHERE schemaname = current_schema() AND tablename = 'importbench_meta'",
    .count_tables = "SELECT count(*) FROM pg_catalog.pg_class c"
                    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = current_schema()",
};
