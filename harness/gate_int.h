/* gate_int.h: what the gate's own files share (gate.c, gate_compare.c); not
 * for other modules, which use gate.h. */
#ifndef IB_GATE_INT_H
#define IB_GATE_INT_H

#include <stddef.h>

#include "gate.h"

/* Adds a verdict; measured is a format. -1 when memory runs out. */
__attribute__((format(printf, 6, 7))) int
gate_add(struct gate_report *rep, enum gate_rule rule, enum gate_outcome outcome,
         const char *subject, const char *allowed, const char *fmt, ...);

/* Rules 1-5, as gate_run; the advisory time lines only when advise_times. */
int gate_judge(struct results_doc *baseline, struct results_doc *current,
               const struct gate_rules *rules, int advise_times, struct gate_report *report,
               struct ib_error *err);

/* "12.3 us", "4.56 ms", "1.234 s"; "?" when not finite. */
void gate_format_time(double s, char *buf, size_t len);

#endif
