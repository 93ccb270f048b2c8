/* environment.h: the facts about the machine, the build and the database
 * settings that a results file records, so that two results files can be told
 * apart by more than their numbers. Collecting them is read-only and never
 * fails the run: a fact that cannot be found is recorded as unknown. */
#ifndef IB_ENVIRONMENT_H
#define IB_ENVIRONMENT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct sqlite3;

/* The connection settings that change what a commit costs. */
struct env_sqlite_settings {
    char journal_mode[16];   /* PRAGMA journal_mode: "delete", "wal", ...; "" unknown */
    char synchronous[16];    /* PRAGMA synchronous: "off", "normal", "full", "extra" */
    int64_t page_size;       /* bytes; 0 unknown */
    int64_t cache_size;      /* PRAGMA cache_size as set: pages when > 0, -KiB when < 0 */
};

struct ib_environment {
    char cpu_model[128];     /* "unknown" when /proc/cpuinfo does not say */
    int cores;               /* online processors */
    uint64_t memory_bytes;   /* physical memory; 0 unknown */
    char os[128];            /* PRETTY_NAME of /etc/os-release, else uname's system */
    char kernel[128];        /* uname: system, release and machine */
    char filesystem[32];     /* type of the filesystem holding the results directory */
    char compiler[128];      /* IB_COMPILER, e.g. "GNU 12.2.0" */
    char cflags[256];        /* IB_CFLAGS as CMake passed them */
    int optimized;           /* 1 when built with optimisation (__OPTIMIZE__) */
    int sanitized;           /* 1 when built with AddressSanitizer */
    char sqlite_version[32]; /* of the library linked at run time, e.g. "3.40.1" */
    char libxml2_version[32];
    char jansson_version[32];
    struct env_sqlite_settings sqlite;
    char git_commit[48];     /* HEAD of IB_SOURCE_DIR; "" unknown */
    int git_dirty;           /* 1 tracked files modified, 0 clean, -1 unknown */
};

/* Fills env with everything but env->sqlite (left zeroed, for the caller to
 * set or read with environment_read_sqlite). results_dir is where the results
 * go (need not exist yet: its nearest existing parent is used). */
void environment_collect(struct ib_environment *env, const char *results_dir);

/* Reads the settings of an open connection with PRAGMAs. */
int environment_read_sqlite(struct sqlite3 *db, struct env_sqlite_settings *out,
                            struct ib_error *err);

/* The git commit and dirty flag of a source tree (the macro IB_SOURCE_DIR for
 * importbench's own); commit "" and dirty -1 when git cannot tell. */
void environment_git(const char *dir, char *commit, size_t len, int *dirty);

#endif
