/* report_compare.c: the change of one cell's median between two runs, and its
 * verdict (the rule is in report_compare.h). */
#include "report_compare.h"

#include <math.h>

#include "stats.h"

const char *compare_verdict_name(enum compare_verdict v)
{
    switch (v) {
    case COMPARE_WITHIN_NOISE:
        return "within noise";
    case COMPARE_IMPROVED:
        return "improved";
    case COMPARE_REGRESSED:
        return "regressed";
    case COMPARE_NO_CHANGE:
        break;
    }
    return "no change";
}

static double finite_or_nan(double x)
{
    return isfinite(x) ? x : NAN;
}

void compare_cells(const struct results_cell *baseline, const struct results_cell *current,
                   double threshold, struct compare_result *out)
{
    const struct stats_summary *b = &baseline->summary, *c = &current->summary;
    out->ratio = finite_or_nan(c->median / b->median);
    out->ratio_low = finite_or_nan(c->ci_low / b->ci_high);
    out->ratio_high = finite_or_nan(c->ci_high / b->ci_low);
    out->p_value = stats_mann_whitney(current->times, current->ntimes, baseline->times,
                                      baseline->ntimes, NULL);
    out->verdict = COMPARE_NO_CHANGE;
    if (isnan(out->ratio) || isnan(out->ratio_low) || isnan(out->ratio_high) ||
        !(out->p_value < COMPARE_ALPHA))
        return;
    if (out->ratio_low > 1 + threshold)
        out->verdict = COMPARE_REGRESSED;
    else if (out->ratio_high < 1 - threshold)
        out->verdict = COMPARE_IMPROVED;
    else
        out->verdict = COMPARE_WITHIN_NOISE;
}
