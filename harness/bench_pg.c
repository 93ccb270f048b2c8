/* bench_pg.c: the bench runner's databases on a PostgreSQL server. */
#include "bench_pg.h"

#include <stdio.h>
#include <unistd.h>

#include "db.h"
#include "job.h"

static struct db_config on_server(const struct bench_options *o, const char *name)
{
    return (struct db_config){.path = name, .backend = DB_BACKEND_POSTGRES, .dsn = o->pg_dsn};
}

void bench_pg_names(char *tpl, size_t tpl_len, char *run, size_t run_len)
{
    snprintf(tpl, tpl_len, "ibb%ld_template", (long)getpid());
    snprintf(run, run_len, "ibb%ld_run", (long)getpid());
}

int bench_pg_template(const struct bench_options *o, const char *tpl, const char *job_dir,
                      enum schema_profile p, enum scenario s, int history,
                      struct ib_error *err)
{
    struct db_config cfg = on_server(o, tpl);
    if (db_database_remove(&cfg, err) != IB_OK)
        return IB_ERR;
    struct job job = {0};
    int status = job_load_dir(&job, job_dir, err);
    if (status == IB_OK)
        status = scenario_build_db_on(&cfg, p, s, &job, history, err);
    job_free(&job);
    return status;
}

int bench_pg_fresh_copy(const struct bench_options *o, const char *tpl, const char *run,
                        struct ib_error *err)
{
    struct db_config from = on_server(o, tpl), to = on_server(o, run);
    if (db_database_remove(&to, err) != IB_OK)
        return IB_ERR;
    return db_database_clone(&from, run, err);
}

void bench_pg_remove(const struct bench_options *o, const char *name)
{
    struct db_config cfg = on_server(o, name);
    struct ib_error ignored;
    db_database_remove(&cfg, &ignored);
}

void bench_pg_write_costs(FILE *out, const struct results_doc *doc)
{
    double rtt = doc->config.rtt_us_measured;
    fprintf(out, "\nRound trips on %s (trivial statement measured at connect: %.1f us)\n",
            doc->config.backend, rtt);
    fprintf(out, "| profile | scenario | strategy | n | median s | round trips |"
                 " us per round trip | x trivial | at 1 ms | at 5 ms |\n");
    fprintf(out, "|---|---|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < doc->ncells; i++) {
        const struct results_cell *c = &doc->cells[i];
        double trips = (double)c->counts.round_trips, median = c->summary.median;
        double per = trips > 0 ? median * 1e6 / trips : 0;
        /* a slower network adds its round trip less the one already paid */
        double at1 = median + trips * (1000.0 - rtt) * 1e-6;
        double at5 = median + trips * (5000.0 - rtt) * 1e-6;
        fprintf(out, "| %s | %s | %s | %llu | %.4f | %llu | %.1f | %.1f | %.2f | %.2f |\n",
                c->profile, c->scenario, c->strategy, (unsigned long long)c->n, median,
                (unsigned long long)c->counts.round_trips, per, rtt > 0 ? per / rtt : 0, at1,
                at5);
    }
    fprintf(out, "\nA round trip costs the trivial statement's time only when the server has\n"
                 "nothing to do: \"x trivial\" above 1 is the server's own work per statement\n"
                 "(bind, execute, index and WAL writes), which a model of statements times the\n"
                 "round trip leaves out. The last two columns put each round trip at 1 ms and\n"
                 "5 ms, the seed document's \"network overhead\". VM steps are SQLite's: 0 here.\n");
}
