/* job.h: one job as the application imports it.
 *
 * A job directory holds, per topology, a main run and optionally a rerun
 * (file naming in DESIGN.md). Loading it applies the application's rules in one
 * place, before any strategy runs: rerun merge, the key rule, de-duplication
 * (the last occurrence in merge order wins), status mapping (error stored as
 * FAILED), testcase_module, and the job's statistics. Every strategy therefore
 * sees exactly one result per key. */
#ifndef IB_JOB_H
#define IB_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum result_status {
    RESULT_PASSED,
    RESULT_FAILED,
    RESULT_SKIPPED
};

struct job_result {
    const char *file_path;        /* key, part 1 */
    const char *class_name;       /* key, part 2: last dot-separated part of classname */
    const char *test_name;        /* key, part 3 */
    const char *failure_message;  /* NULL when none */
    const char *jenkins_topology;
    const char *testcase_module;  /* derived from file_path */
    enum result_status status;
    int order_index;              /* execution order; a rerun keeps the main run's */
    int was_rerun;
    int rerun_still_failed;
    uint64_t key_hash;            /* job_key_hash() of the key */
};

struct job_stats {
    long total, passed, failed, skipped;
    double pass_rate;             /* round(100 * passed / total, 2); 0.0 when total is 0 */
};

struct job {
    struct job_result *results;   /* one per distinct key, in order of first occurrence */
    size_t count;
    struct job_stats stats;
    size_t testcases_read;        /* before merge and de-duplication */
    size_t files_read;
    struct arena *arena;          /* owns every string above */
};

/* Reads every *.xml of dir (main runs in name order, then reruns in name order)
 * into *job, which need not be initialised. A directory without XML files, a
 * testcase without a name, or any unreadable file is an error naming the file
 * (and line); the job is then left empty (job_free on it is harmless). The
 * rules are documented at the top of job.c. */
int job_load_dir(struct job *job, const char *dir, struct ib_error *err);

/* The same for an explicit list of files, taken in the order given. */
int job_load_files(struct job *job, const char *const *paths, size_t npaths,
                   struct ib_error *err);

void job_free(struct job *job);

/* The *.xml files of dir in the order job_load_dir reads them (main runs in name
 * order, then reruns in name order), as malloc'd "dir/name" paths; free them
 * with job_free_paths. A directory without XML files is an error. */
int job_list_dir(const char *dir, char ***paths, size_t *npaths, struct ib_error *err);
void job_free_paths(char **paths, size_t npaths);

/* The key rule, for a consumer that reads testcases itself (importbench parse).
 * file_path: file when non-NULL, else classname with '.' turned into '/',
 * written into *buf (grown with realloc; *cap its size; the caller frees it);
 * NULL when out of memory. class_name: the last '.'-separated part of
 * classname, a suffix of it. */
const char *job_file_path(const char *file, const char *classname, char **buf, size_t *cap);
const char *job_class_name(const char *classname);

/* "PASSED", "FAILED", "SKIPPED": the values stored in test_results.status. */
const char *result_status_name(enum result_status status);

/* A 64-bit hash of (file_path, class_name, test_name), unambiguous about where
 * one part ends and the next begins (each part's length is mixed in after it).
 * For use within one process: the value depends on the machine's byte order. */
uint64_t job_key_hash(const char *file_path, const char *class_name, const char *test_name);

/* Orders two results by key: file_path, then class_name, then test_name (bytewise). */
int job_key_compare(const struct job_result *a, const struct job_result *b);

/* The test name with any "[param]" suffix removed, into buf; the name used to look
 * up testcase_metadata. Returns buf. */
char *job_normalised_name(const char *test_name, char *buf, size_t buflen);

#endif
