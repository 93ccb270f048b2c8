/* naming.c: topology names, seed-derived run times, and file names. */
#include "naming.h"

#include <stdio.h>

#include "prng.h"

static const char *const topologies[] = {
    "ha-pair", "3-node", "single", "5-node", "dual-dc", "mesh",
};
#define FIXED_TOPOLOGIES (sizeof topologies / sizeof topologies[0])

void naming_topology(unsigned t, char *buf, size_t len)
{
    if (t < FIXED_TOPOLOGIES)
        snprintf(buf, len, "%s", topologies[t]);
    else
        snprintf(buf, len, "cluster-%u", t + 1);
}

#define EPOCH_2026 UINT64_C(1767225600)   /* 2026-01-01T00:00:00Z */
#define DAY 86400u

/* The job starts some time in 2026; topologies follow each other at 30 to 90
 * minute intervals; a rerun starts two to four hours after its main run. */
uint64_t naming_run_start(uint64_t seed, unsigned t, int rerun)
{
    uint64_t at = EPOCH_2026 + prng_mix(seed ^ UINT64_C(0x5eed)) % (365u * DAY);
    for (unsigned i = 1; i <= t; i++)
        at += 1800 + prng_mix(seed + i) % 3600;
    if (rerun)
        at += 7200 + prng_mix(seed ^ ((uint64_t)t << 32)) % 7200;
    return at;
}

struct civil {
    unsigned year, month, day, hour, minute, second;
};

/* Days since 1970-01-01 to a proleptic Gregorian date, by 400-year eras
 * that start on March 1st (so that the leap day ends each year). */
static struct civil civil_from_epoch(uint64_t epoch)
{
    struct civil c;
    uint64_t days = epoch / DAY, secs = epoch % DAY;
    c.hour = (unsigned)(secs / 3600);
    c.minute = (unsigned)(secs / 60 % 60);
    c.second = (unsigned)(secs % 60);

    days += 719468;                      /* from 0000-03-01 */
    uint64_t era = days / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = (unsigned)(era * 400 + yoe) + (c.month <= 2);
    return c;
}

void naming_digits(uint64_t epoch, char out[15])
{
    struct civil c = civil_from_epoch(epoch);
    snprintf(out, 15, "%04u%02u%02u%02u%02u%02u", c.year % 10000, c.month, c.day, c.hour,
             c.minute, c.second);
}

void naming_iso(uint64_t epoch, char out[20])
{
    struct civil c = civil_from_epoch(epoch);
    snprintf(out, 20, "%04u-%02u-%02uT%02u:%02u:%02u", c.year % 10000, c.month, c.day, c.hour,
             c.minute, c.second);
}

int naming_file(uint64_t seed, const char *module, unsigned t, int rerun, char *buf,
                size_t len)
{
    char topology[32], stamp[15];
    naming_topology(t, topology, sizeof topology);
    int n;
    if (rerun) {
        n = snprintf(buf, len, "re_run_%s_%s.xml", module, topology);
    } else {
        naming_digits(naming_run_start(seed, t, 0), stamp);
        n = snprintf(buf, len, "%s_%s_%s.xml", stamp, module, topology);
    }
    return n < 0 || (size_t)n >= len ? -1 : 0;
}
