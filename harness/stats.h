/* stats.h: the statistics of a benchmark: robust summaries of one cell's samples,
 * comparisons of two cells, and growth over N. Pure functions, no I/O. */
#ifndef IB_STATS_H
#define IB_STATS_H

#include <stddef.h>

struct stats_summary {
    size_t n;
    double min, max, mean, stddev, median;
    double mad;                  /* median absolute deviation (unscaled) */
    double ci_low, ci_high;      /* distribution-free ~95% CI of the median (order statistics) */
    double ci_level;             /* the CI's actual coverage, e.g. 0.961 */
    size_t outliers;             /* samples with |modified z| > 3.5 */
};

/* Summarises x[0..n) (n >= 1; n == 0 gives NaN figures); x is not modified.
 * stddev is the sample standard deviation (n - 1), 0 for a single sample. */
void stats_summarise(const double *x, size_t n, struct stats_summary *out);

double stats_median(const double *x, size_t n);

/* Quantile q in [0, 1] by linear interpolation between order statistics. */
double stats_quantile(const double *x, size_t n, double q);

/* Modified z-score of each sample (0.6745 * (x - median) / MAD); 0 when MAD is 0. */
void stats_modified_z(const double *x, size_t n, double *z);

/* Two-sided Mann-Whitney U test of a vs b (normal approximation with tie
 * correction). Returns the p-value; *u receives U of sample a. */
double stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                          double *u);

/* Least-squares fit of log(y) over log(x): the slope, and r^2 in *r2 (1 when
 * every y is equal). NaN when n < 2, the x are all equal, or a value is <= 0. */
double stats_loglog_slope(const double *x, const double *y, size_t n, double *r2);

/* The smallest and largest least-squares slope of log(y) over log(x) for any
 * y[i] within [ylo[i], yhi[i]] (e.g. each median's CI): a slope that noise
 * within the CIs could have produced lies in [*min, *max]. Returns 0, or -1
 * (and NaN) where stats_loglog_slope would give NaN or an interval is empty. */
int stats_loglog_slope_range(const double *x, const double *ylo, const double *yhi, size_t n,
                             double *min, double *max);

/* The order statistics of the median's CI for n samples: [x_(k), x_(n+1-k)],
 * 1-based in sorted order, the narrowest such interval with coverage >= 95%
 * (k = 1 below six samples), and its exact coverage under any continuous
 * distribution in *level. */
void stats_median_ci_rank(size_t n, size_t *k, double *level);

#endif
