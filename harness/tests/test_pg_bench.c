/* test_pg_bench.c: `importbench bench --backend postgres` on a small matrix:
 * the results file says which backend and what round trip was measured, every
 * cell counts its round trips, the round-trip table follows the summary, and
 * the file reads back. Skips where no server runs; the refusals need none. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pgtest.h"
#include "results.h"

#define BIN IB_IMPORTBENCH_BIN

static void test_small_matrix(void **state)
{
    (void)state;
    char tcp[PGTEST_DSN_MAX], unix_dsn[PGTEST_DSN_MAX];
    if (pgtest_dsn("test_pg_bench", tcp, unix_dsn) != 0)
        skip();
    char *dir = tmpdir_make();
    struct cmd_result r;
    run_cmd(&r, "cd '%s' && '%s' bench --backend postgres --pg-dsn '%s' --sizes 100"
            " --profiles app --scenarios fresh,reimport --strategies n1,bulk,copy --history 1"
            " --history-sweep none --min-runs 2 --min-time 0 --warmup 0 -o out.json"
            " --fixtures cache", dir, BIN, unix_dsn);
    if (r.exit_code != 0)
        fail_msg("bench: exit %d: %s", r.exit_code, r.err);
    assert_non_null(strstr(r.out, "\nRound trips on postgres (trivial statement measured at"
                                  " connect: "));
    assert_non_null(strstr(r.out, "| app | reimport | copy | 100 | "));
    cmd_result_free(&r);
    char path[4300];
    snprintf(path, sizeof path, "%s/out.json", dir);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    assert_non_null(doc);
    json_t *config = json_object_get(doc, "config");
    assert_string_equal(json_string_value(json_object_get(config, "backend")), "postgres");
    assert_true(json_real_value(json_object_get(config, "rtt_us_measured")) > 0.0);
    json_t *cells = json_object_get(doc, "cells");
    assert_int_equal(json_array_size(cells), 6);
    for (size_t i = 0; i < json_array_size(cells); i++) {
        json_t *c = json_array_get(cells, i);
        const char *strategy = json_string_value(json_object_get(c, "strategy"));
        long long trips = json_integer_value(json_object_get(c, "round_trips"));
        long long lookups = json_integer_value(json_object_get(c, "lookups"));
        assert_int_equal(lookups, strcmp(strategy, "n1") ? 1 : 100);
        assert_true(trips > (strcmp(strategy, "n1") ? 5 : 200));
    }
    json_decref(doc);
    /* and it reads back, round trips included */
    struct results_doc *back = NULL;
    struct ib_error err;
    assert_int_equal(results_load(path, &back, &err), IB_OK);
    assert_string_equal(back->config.backend, "postgres");
    assert_true(back->cells[0].counts.round_trips > 0);
    results_doc_free(back);
    tmpdir_remove(dir);
}

static void test_refusals(void **state)
{
    (void)state;
    struct cmd_result r;
    run_cmd(&r, "'%s' bench --strategies copy", BIN);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.err, "importbench: --strategies: copy does not run on the sqlite "
                               "backend\n");
    cmd_result_free(&r);
    run_cmd(&r, "env -u IMPORTBENCH_PG_DSN '%s' bench --backend postgres", BIN);
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.err, "importbench: --backend postgres: needs --pg-dsn or "
                               "$IMPORTBENCH_PG_DSN (scripts/pg-start prints one)\n");
    cmd_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_matrix),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
