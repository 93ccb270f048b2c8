/* probe.h: what an import did, in numbers that do not depend on the machine
 * (statements by kind, lookups, VM steps) and in phase times that do. */
#ifndef IB_PROBE_H
#define IB_PROBE_H

#include <stdint.h>

struct probe_counts {
    uint64_t select, insert, update, other;  /* statements executed, by kind (trace_v2) */
    uint64_t lookups;        /* runs of statements prepared with DB_ROLE_LOOKUP */
    uint64_t vm_steps;       /* SQLITE_STMTSTATUS_VM_STEP, summed in 64 bits */
    uint64_t fullscan_steps; /* SQLITE_STMTSTATUS_FULLSCAN_STEP, summed likewise */
    uint64_t round_trips;    /* calls that waited for a server (0 on SQLite, which has none);
                              * VM and full-scan steps are SQLite's and stay 0 elsewhere */
};

struct phase_times {
    double parse;   /* reading the job directory into a struct job */
    double lookup;  /* get-or-create, metadata, and looking for existing results */
    double write;   /* INSERT / UPDATE of results and the job row's statistics */
    double commit;
};

/* Seconds on a monotonic clock, for differences only. */
double probe_now(void);

uint64_t probe_statements(const struct probe_counts *c); /* select+insert+update+other */

#endif
