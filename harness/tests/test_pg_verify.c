/* test_pg_verify.c: `importbench verify --backend postgres`: every scenario
 * on the keyed profile (where every strategy applies) agrees on PostgreSQL,
 * and scenario by scenario with SQLite. Skips where no server runs. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgtest.h"

#define BIN IB_IMPORTBENCH_BIN

/* The rows of verify's table: scenario and digest, one line each, in order. */
static char *digest_column(const char *table)
{
    char *out = calloc(1, strlen(table) + 1);
    char scenario[32], profile[16], strategy[32], digest[32];
    for (const char *line = table; *line; line += strcspn(line, "\n") + 1) {
        if (sscanf(line, "%31s %15s %31s %*s %*s %*s %*s %*s %*s %*s %*s %31s", scenario,
                   profile, strategy, digest) == 4 && strcmp(scenario, "scenario") != 0) {
            strcat(out, scenario);
            strcat(out, " ");
            strcat(out, digest);
            strcat(out, "\n");
        }
        if (!line[strcspn(line, "\n")])
            break;
    }
    return out;
}

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Every scenario on the keyed profile (where every strategy applies): all
 * agree on postgres, and scenario by scenario with SQLite. */
static void test_verify(void **state)
{
    (void)state;
    char tcp[PGTEST_DSN_MAX], unix_dsn[PGTEST_DSN_MAX];
    if (pgtest_dsn("test_pg_verify", tcp, unix_dsn) != 0)
        skip();
    struct cmd_result pg, lite;
    run_cmd(&pg, "'%s' verify --backend postgres --pg-dsn '%s' --profiles keyed --results 40"
            " --history 1", BIN, tcp);
    if (pg.exit_code != 0)
        fail_msg("verify: exit %d: %s", pg.exit_code, pg.err);
    assert_non_null(strstr(pg.out, "\n34 imports, 0 disagreeing\n"));
    run_cmd(&lite, "'%s' verify --profiles keyed --results 40 --history 1", BIN);
    assert_int_equal(lite.exit_code, 0);
    assert_non_null(strstr(lite.out, "\n26 imports, 0 disagreeing\n"));
    char *a = digest_column(pg.out), *b = digest_column(lite.out);
    /* postgres has copy and n1-pipelined in each scenario: drop them and compare */
    char *filtered = calloc(1, strlen(pg.out) + 1);
    for (const char *line = pg.out; *line; line += strcspn(line, "\n") + 1) {
        size_t len = strcspn(line, "\n");
        char *copy = strstr(line, " copy "), *piped = strstr(line, " n1-pipelined ");
        if ((copy && copy < line + len) || (piped && piped < line + len))
            continue;
        strncat(filtered, line, strcspn(line, "\n") + 1);
        if (!line[strcspn(line, "\n")])
            break;
    }
    char *c = digest_column(filtered);
    assert_string_equal(c, b);
    assert_int_equal(lines(a), 34);
    assert_int_equal(lines(b), 26);
    free(a);
    free(b);
    free(c);
    free(filtered);
    cmd_result_free(&pg);
    cmd_result_free(&lite);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
