/* report_compare.h: one cell of a run against the same cell of an earlier run,
 * in the manner of criterion's change report.
 *
 * The change is the ratio of the medians, current over baseline. Its interval
 * holds every ratio of two values within the two medians' CIs:
 * [ci_low(current) / ci_high(baseline), ci_high(current) / ci_low(baseline)].
 * Significance is a two-sided Mann-Whitney U test of the two cells' runs.
 *
 *   no change     p >= 0.05: the runs do not tell the cells apart
 *   regressed     p < 0.05 and the whole interval above 1 + threshold
 *   improved      p < 0.05 and the whole interval below 1 - threshold
 *   within noise  p < 0.05, but the interval reaches into the threshold:
 *                 a difference, too small or too uncertain to call
 *
 * Medians from two runs share no clock: on a shared machine they differ by
 * tens of percent between runs. These verdicts are advisory; the gate decides
 * on machine-independent facts. */
#ifndef IB_REPORT_COMPARE_H
#define IB_REPORT_COMPARE_H

#include "results.h"

#define COMPARE_ALPHA 0.05
#define COMPARE_THRESHOLD 0.05  /* the default noise threshold */

enum compare_verdict {
    COMPARE_NO_CHANGE,
    COMPARE_WITHIN_NOISE,
    COMPARE_IMPROVED,
    COMPARE_REGRESSED
};
#define COMPARE_VERDICTS 4

struct compare_result {
    double ratio;                /* median(current) / median(baseline) */
    double ratio_low, ratio_high;
    double p_value;              /* Mann-Whitney, two-sided */
    enum compare_verdict verdict;
};

void compare_cells(const struct results_cell *baseline, const struct results_cell *current,
                   double threshold, struct compare_result *out);

const char *compare_verdict_name(enum compare_verdict v); /* "no change", ... */

#endif
