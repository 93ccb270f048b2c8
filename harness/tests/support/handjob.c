/* handjob.c: hand-built jobs for the database tests. */
#include "handjob.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct job *handjob_new(void)
{
    struct job *job = calloc(1, sizeof *job);
    assert(job);
    job->arena = arena_new();
    assert(job->arena);
    return job;
}

void handjob_free(struct job *job)
{
    if (!job)
        return;
    arena_free(job->arena);
    free(job->results);
    free(job);
}

static const char *copy(struct job *job, const char *s)
{
    return s ? arena_strndup(job->arena, s, strlen(s)) : NULL;
}

static void recount(struct job *job)
{
    struct job_stats st = {0};
    for (size_t i = 0; i < job->count; i++) {
        st.total++;
        if (job->results[i].status == RESULT_PASSED)
            st.passed++;
        else if (job->results[i].status == RESULT_FAILED)
            st.failed++;
        else
            st.skipped++;
    }
    st.pass_rate = st.total ? round(10000.0 * (double)st.passed / (double)st.total) / 100.0 : 0.0;
    job->stats = st;
    job->testcases_read = job->count;
}

void handjob_add(struct job *job, const char *file_path, const char *class_name,
                 const char *test_name, enum result_status status, const char *topology,
                 const char *message)
{
    if ((job->count & (job->count - 1)) == 0) {
        size_t cap = job->count ? job->count * 2 : 1;
        job->results = realloc(job->results, cap * sizeof *job->results);
        assert(job->results);
    }
    struct job_result *r = &job->results[job->count];
    memset(r, 0, sizeof *r);
    r->file_path = copy(job, file_path);
    r->class_name = copy(job, class_name);
    r->test_name = copy(job, test_name);
    r->failure_message = copy(job, message);
    r->jenkins_topology = copy(job, topology);
    char module[256];
    snprintf(module, sizeof module, "%s", file_path);
    char *slash = strchr(module, '/');
    if (slash)
        *slash = '\0';
    r->testcase_module = copy(job, module);
    r->status = status;
    r->order_index = (int)job->count;
    r->key_hash = job_key_hash(r->file_path, r->class_name, r->test_name);
    job->count++;
    recount(job);
}

struct job *handjob_make(size_t n, unsigned variant)
{
    struct job *job = handjob_new();
    static const char *const topologies[] = {"ha_1", "ha_2", "ha_3", "ha_4", "ha_5", "ha_6"};
    for (size_t i = 0; i < n; i++) {
        char file[64], cls[64], test[64], msg[64];
        snprintf(file, sizeof file, "suite%zu/tests/test_file%zu.py", i % 3, i % 17);
        snprintf(cls, sizeof cls, "TestClass%zu", i % 5);
        if (i % 4 == 0)
            snprintf(test, sizeof test, "test_param[%zu]", i);
        else
            snprintf(test, sizeof test, "test_case_%zu", i);
        unsigned k = (unsigned)i + variant * 7;
        enum result_status st = k % 5 == 0 ? RESULT_FAILED : k % 11 == 0 ? RESULT_SKIPPED
                                                                         : RESULT_PASSED;
        snprintf(msg, sizeof msg, "assertion %u failed", k);
        handjob_add(job, file, cls, test, st, topologies[k % 6],
                    st == RESULT_FAILED ? msg : NULL);
        struct job_result *r = &job->results[job->count - 1];
        r->order_index = (int)(i + variant * 100000);
        r->was_rerun = st == RESULT_FAILED && k % 3 == 0;
        r->rerun_still_failed = r->was_rerun && k % 2 == 0;
    }
    return job;
}
