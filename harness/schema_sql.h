/* schema_sql.h: the SQL of the schema that differs between backends: the
 * DDL of the tables, and the catalog queries that tell an empty database from
 * an importbench one. schema.c holds SQLite's; schema_pg.c PostgreSQL's. Each
 * profile's indexes are the same SQL on both engines, and only in schema.c. */
#ifndef IB_SCHEMA_SQL_H
#define IB_SCHEMA_SQL_H

struct schema_sql {
    const char *common_ddl;   /* importbench_meta and the application's tables */
    const char *count_meta;   /* SELECT count(*): 1 when importbench_meta exists */
    const char *count_tables; /* SELECT count(*): every table, index and view */
};

extern const struct schema_sql schema_sql_pg;

#endif
