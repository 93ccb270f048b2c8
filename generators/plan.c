/* plan.c: each key's fate, and the order in which a file's testcases come. */
#include "plan.h"

#include "prng.h"

/* Independent streams per key, so that changing one rate does not reshuffle
 * the draws made for another purpose. */
enum { STREAM_MAIN = 1, STREAM_RERUN = 2, STREAM_DUP = 3 };

/* floor(a * 2^53 / b) for a < b <= 2^53, by binary long division: exact in
 * 64-bit integers, where a double division might round differently on a
 * machine with extended precision. */
static uint64_t ratio53(uint64_t a, uint64_t b)
{
    uint64_t q = 0, r = a;
    for (int i = 0; i < 53; i++) {
        r <<= 1;
        q <<= 1;
        if (r >= b) {
            r -= b;
            q |= 1;
        }
    }
    return q;
}

void plan_init(struct plan *p, const struct junitgen_options *opt)
{
    uint64_t fail = prng_threshold(opt->fail_rate), error = prng_threshold(opt->error_rate);
    uint64_t skip = prng_threshold(opt->skip_rate), rerun = prng_threshold(opt->rerun_rate);
    uint64_t bad = fail + error;

    p->keys = opt->results;
    p->files = opt->files;
    p->seed = opt->seed;
    p->block_size = opt->results / opt->files;
    p->block_extra = opt->results % opt->files;
    p->up_to_fail = fail;
    p->up_to_error = bad;
    p->up_to_skip = bad + skip;
    /* Reruns go to failed and errored tests first; only when the rerun rate
     * exceeds their share are other tests rerun as well. */
    p->rerun_if_bad = rerun >= bad ? PRNG_ONE : ratio53(rerun, bad);
    p->rerun_if_good = rerun <= bad ? 0 : ratio53(rerun - bad, PRNG_ONE - bad);
    p->dup_chance = prng_threshold(opt->dup_rate);
    p->flaky_chance = opt->dialect == JUNITGEN_SUREFIRE ? prng_threshold(0.02) : 0;
}

uint64_t plan_block_start(const struct plan *p, unsigned t)
{
    uint64_t extra = t < p->block_extra ? t : p->block_extra;
    return (uint64_t)t * p->block_size + extra;
}

unsigned plan_block_of(const struct plan *p, uint64_t k)
{
    uint64_t big = p->block_extra * (p->block_size + 1);
    if (k < big)
        return (unsigned)(k / (p->block_size + 1));
    return (unsigned)(p->block_extra + (k - big) / p->block_size);
}

unsigned plan_dup_topology(const struct plan *p, unsigned t, uint64_t k)
{
    if (p->files == 1)
        return 0;
    return (unsigned)((t + 1 + k % (p->files - 1)) % p->files);
}

static enum outcome draw_outcome(const struct plan *p, struct prng *r)
{
    uint64_t u = prng_unit(r);
    if (u < p->up_to_fail)
        return OUTCOME_FAILED;
    if (u < p->up_to_error)
        return OUTCOME_ERROR;
    if (u < p->up_to_skip)
        return OUTCOME_SKIPPED;
    return OUTCOME_PASSED;
}

/* Mostly a second or so; now and then a slow integration test; failures often
 * run into a timeout. */
static uint32_t draw_time(struct prng *r, enum outcome o)
{
    if (o == OUTCOME_SKIPPED)
        return prng_below(r, 5);
    uint32_t ms = 20 + prng_below(r, 1500);
    if (prng_below(r, 16) == 0)
        ms += prng_below(r, 90000);
    if (o == OUTCOME_FAILED || o == OUTCOME_ERROR)
        ms += prng_below(r, 30000);
    return ms;
}

static void draw_case(const struct plan *p, struct prng *r, uint64_t k, enum outcome o,
                      struct gen_case *c)
{
    c->key = k;
    c->outcome = (unsigned char)o;
    c->time_ms = draw_time(r, o);
    c->salt = prng_next(r);
    c->flaky = o == OUTCOME_PASSED && prng_chance(r, p->flaky_chance);
}

static int is_bad(enum outcome o)
{
    return o == OUTCOME_FAILED || o == OUTCOME_ERROR;
}

static int dup_selected(const struct plan *p, uint64_t k, struct prng *r)
{
    prng_seed(r, p->seed, k, STREAM_DUP);
    return prng_chance(r, p->dup_chance);
}

void plan_fate(const struct plan *p, uint64_t k, struct key_fate *f)
{
    struct prng r;
    prng_seed(&r, p->seed, k, STREAM_MAIN);
    enum outcome main = draw_outcome(p, &r);
    draw_case(p, &r, k, main, &f->main);
    f->rerun = prng_chance(&r, is_bad(main) ? p->rerun_if_bad : p->rerun_if_good);
    if (f->rerun) {
        /* A rerun passes about half the time; otherwise it fails as before. */
        prng_seed(&r, p->seed, k, STREAM_RERUN);
        enum outcome again = prng_below(&r, 2) == 0 ? OUTCOME_PASSED
                             : is_bad(main)         ? main
                                                    : OUTCOME_FAILED;
        draw_case(p, &r, k, again, &f->rerun_case);
        f->rerun_case.flaky = 0;
    }
    f->dup = dup_selected(p, k, &r);
    if (f->dup) {
        draw_case(p, &r, k, draw_outcome(p, &r), &f->dup_case);
        f->dup_topology = plan_dup_topology(p, plan_block_of(p, k), k);
    }
}

void outcome_count(struct outcome_counts *c, const struct gen_case *gc)
{
    c->tests++;
    c->time_ms += gc->time_ms;
    switch ((enum outcome)gc->outcome) {
    case OUTCOME_FAILED: c->failures++; break;
    case OUTCOME_ERROR: c->errors++; break;
    case OUTCOME_SKIPPED: c->skipped++; break;
    case OUTCOME_PASSED: break;
    }
}

void cursor_start(struct case_cursor *c, const struct plan *p, unsigned topology,
                  enum run_kind kind, struct merged_tally *tally)
{
    c->plan = p;
    c->topology = topology;
    c->kind = kind;
    c->tally = tally;
    c->copies = 0;
    c->source = 0;
    c->next = plan_block_start(p, topology);
    c->end = plan_block_start(p, topology + 1);
    c->stride = 1;
    c->has_pending = 0;
}

/* The key's outcome in the merged job, as the last occurrence decides it. */
static void tally_key(struct case_cursor *c, const struct key_fate *f)
{
    struct merged_tally *m = c->tally;
    enum outcome final = (enum outcome)f->main.outcome;
    if (f->rerun) {
        final = (enum outcome)f->rerun_case.outcome;
        m->reruns++;
        m->rerun_still_failed += final != OUTCOME_PASSED;
    } else if (f->dup && (c->plan->files == 1 || f->dup_topology > c->topology)) {
        final = (enum outcome)f->dup_case.outcome;
    }
    m->dups += f->dup != 0;
    switch (final) {
    case OUTCOME_PASSED: m->passed++; break;
    case OUTCOME_FAILED: m->failed++; break;
    case OUTCOME_ERROR: m->errors++; break;
    case OUTCOME_SKIPPED: m->skipped++; break;
    }
}

/* Points the cursor at the next block whose copies land in this topology:
 * in block t those are the keys k with k mod (F - 1) == (u - t - 1) mod F. */
static int next_source(struct case_cursor *c)
{
    const struct plan *p = c->plan;
    while (c->source < p->files) {
        unsigned t = c->source++;
        if (t == c->topology && p->files > 1)
            continue;
        c->next = plan_block_start(p, t);
        c->end = plan_block_start(p, t + 1);
        if (p->files == 1) {
            c->stride = 1;
            return 1;
        }
        uint64_t m = p->files - 1;
        uint64_t want = (c->topology + p->files - t - 1) % p->files;
        c->stride = m;
        c->next += (want + m - c->next % m) % m;
        return 1;
    }
    c->next = c->end = 0;      /* exhausted, for good */
    return 0;
}

static int next_own_case(struct case_cursor *c, struct gen_case *out)
{
    struct key_fate f;
    while (c->next < c->end) {
        plan_fate(c->plan, c->next++, &f);
        if (c->kind == RUN_MAIN) {
            if (c->tally)
                tally_key(c, &f);
            *out = f.main;
            return 1;
        }
        if (f.rerun) {
            *out = f.rerun_case;
            return 1;
        }
    }
    return 0;
}

static int next_copy(struct case_cursor *c, struct gen_case *out)
{
    struct prng r;
    struct key_fate f;
    for (;;) {
        while (c->next >= c->end)
            if (!next_source(c))
                return 0;
        uint64_t k = c->next;
        c->next += c->stride;
        if (dup_selected(c->plan, k, &r)) {
            plan_fate(c->plan, k, &f);
            *out = f.dup_case;
            return 1;
        }
    }
}

static int next_case(struct case_cursor *c, struct gen_case *out)
{
    if (!c->copies) {
        if (next_own_case(c, out))
            return 1;
        if (c->kind != RUN_MAIN || c->plan->dup_chance == 0)
            return 0;
        c->copies = 1;
        c->end = 0;
    }
    return next_copy(c, out);
}

int cursor_next_group(struct case_cursor *c, struct case_group *g)
{
    if (!c->has_pending)
        c->has_pending = next_case(c, &c->pending);
    if (!c->has_pending)
        return 0;
    g->group = c->pending.key / PLAN_GROUP_KEYS;
    g->n = 0;
    g->counts = (struct outcome_counts){0};
    while (c->has_pending && c->pending.key / PLAN_GROUP_KEYS == g->group
           && g->n < PLAN_GROUP_KEYS) {
        g->cases[g->n++] = c->pending;
        outcome_count(&g->counts, &c->pending);
        c->has_pending = next_case(c, &c->pending);
    }
    return 1;
}
