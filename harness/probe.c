/* probe.c: the monotonic clock and small sums over probe counts. The counting
 * itself happens in the database layer, where the statements run. */
#include "probe.h"

#include <time.h>

double probe_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

uint64_t probe_statements(const struct probe_counts *c)
{
    return c->select + c->insert + c->update + c->other;
}
