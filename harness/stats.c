/* stats.c: the statistics of a benchmark, as declared in stats.h.
 *
 * Everything here is distribution-free where it can be: timings are skewed to
 * the right (a run can be slowed by anything, never sped up), so the centre is
 * the median, the spread is the MAD, and the CI of the median comes from order
 * statistics rather than from a normal model. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A sorted copy of x, or NULL when memory runs out. */
static double *sorted_copy(const double *x, size_t n)
{
    double *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return NULL;
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    return s;
}

static double sorted_quantile(const double *s, size_t n, double q)
{
    if (n == 0)
        return NAN;
    if (q <= 0)
        return s[0];
    if (q >= 1)
        return s[n - 1];
    double h = q * (double)(n - 1);
    size_t lo = (size_t)h;
    double frac = h - (double)lo;
    if (lo + 1 >= n)
        return s[n - 1];
    return s[lo] + frac * (s[lo + 1] - s[lo]);
}

double stats_quantile(const double *x, size_t n, double q)
{
    double *s = sorted_copy(x, n);
    if (!s)
        return NAN;
    double v = sorted_quantile(s, n, q);
    free(s);
    return v;
}

double stats_median(const double *x, size_t n)
{
    return stats_quantile(x, n, 0.5);
}

/* P(X <= k) for X ~ Binomial(n, 1/2), summed in logs so that large n cannot
 * overflow. */
static double binom_half_cdf(size_t n, size_t k)
{
    double sum = 0;
    for (size_t i = 0; i <= k && i <= n; i++)
        sum += exp(lgamma((double)n + 1) - lgamma((double)i + 1) -
                   lgamma((double)(n - i) + 1) - (double)n * log(2.0));
    return sum > 1 ? 1 : sum;
}

void stats_median_ci_rank(size_t n, size_t *k, double *level)
{
    /* [x_(k), x_(n+1-k)] (1-based) covers the median with probability
     * 1 - 2 P(X <= k-1). The widest k that still reaches 95% is taken; below
     * six samples even [min, max] falls short and its true level is reported. */
    size_t best = 1;
    for (size_t c = 2; 2 * c <= n + 1; c++) {
        if (1 - 2 * binom_half_cdf(n, c - 1) < 0.95)
            break;
        best = c;
    }
    *k = best;
    *level = n ? 1 - 2 * binom_half_cdf(n, best - 1) : 0;
    if (*level < 0)
        *level = 0;
}

void stats_modified_z(const double *x, size_t n, double *z)
{
    double *dev = malloc((n ? n : 1) * sizeof *dev);
    double med = stats_median(x, n);
    for (size_t i = 0; dev && i < n; i++)
        dev[i] = fabs(x[i] - med);
    double mad = dev ? stats_median(dev, n) : 0;
    for (size_t i = 0; i < n; i++)
        z[i] = mad > 0 ? 0.6745 * (x[i] - med) / mad : 0;
    free(dev);
}

void stats_summarise(const double *x, size_t n, struct stats_summary *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    double *s = sorted_copy(x, n);
    double *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (n == 0 || !s || !tmp) {
        free(s);
        free(tmp);
        out->min = out->max = out->mean = out->median = out->mad = NAN;
        out->ci_low = out->ci_high = out->stddev = NAN;
        return;
    }
    out->min = s[0];
    out->max = s[n - 1];
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    out->mean = sum / (double)n;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - out->mean) * (x[i] - out->mean);
    out->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
    out->median = sorted_quantile(s, n, 0.5);

    for (size_t i = 0; i < n; i++)
        tmp[i] = fabs(x[i] - out->median);
    out->mad = stats_median(tmp, n);

    size_t k;
    stats_median_ci_rank(n, &k, &out->ci_level);
    out->ci_low = s[k - 1];
    out->ci_high = s[n - k];

    stats_modified_z(x, n, tmp);
    for (size_t i = 0; i < n; i++)
        if (fabs(tmp[i]) > 3.5)
            out->outliers++;
    free(s);
    free(tmp);
}

struct ranked {
    double v;
    int from_a;
};

static int cmp_ranked(const void *a, const void *b)
{
    return cmp_double(&((const struct ranked *)a)->v, &((const struct ranked *)b)->v);
}

double stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb, double *u)
{
    size_t n = na + nb;
    struct ranked *r = malloc((n ? n : 1) * sizeof *r);
    if (!r || na == 0 || nb == 0) {
        free(r);
        if (u)
            *u = NAN;
        return NAN;
    }
    for (size_t i = 0; i < na; i++)
        r[i] = (struct ranked){a[i], 1};
    for (size_t i = 0; i < nb; i++)
        r[na + i] = (struct ranked){b[i], 0};
    qsort(r, n, sizeof *r, cmp_ranked);

    /* Tied values share the mean of their ranks; each run of t ties also
     * shrinks the variance by (t^3 - t) / (n (n - 1)). */
    double rank_sum_a = 0, tie_term = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && r[j + 1].v == r[i].v)
            j++;
        double t = (double)(j - i + 1);
        double mean_rank = ((double)i + (double)j) / 2 + 1;
        for (size_t k = i; k <= j; k++)
            if (r[k].from_a)
                rank_sum_a += mean_rank;
        tie_term += t * t * t - t;
        i = j + 1;
    }
    free(r);

    double ua = rank_sum_a - (double)na * ((double)na + 1) / 2;
    if (u)
        *u = ua;
    double nn = (double)n;
    double mu = (double)na * (double)nb / 2;
    double var = (double)na * (double)nb / 12 * ((nn + 1) - tie_term / (nn * (nn - 1)));
    if (!(var > 0))
        return 1;
    /* Continuity correction: U moves in steps of 1/2 at most. */
    double dist = fabs(ua - mu) - 0.5;
    if (dist < 0)
        dist = 0;
    double p = erfc(dist / sqrt(var) / sqrt(2.0));
    return p > 1 ? 1 : p;
}

/* Weights w_i with slope = sum w_i log y_i; 0 when the x are unusable. */
static int loglog_weights(const double *x, size_t n, double *w)
{
    if (n < 2)
        return 0;
    double mean = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] > 0))
            return 0;
        mean += log(x[i]);
    }
    mean /= (double)n;
    double sxx = 0;
    for (size_t i = 0; i < n; i++)
        sxx += (log(x[i]) - mean) * (log(x[i]) - mean);
    if (!(sxx > 0))
        return 0;
    for (size_t i = 0; i < n; i++)
        w[i] = (log(x[i]) - mean) / sxx;
    return 1;
}

double stats_loglog_slope(const double *x, const double *y, size_t n, double *r2)
{
    double *w = malloc((n ? n : 1) * sizeof *w);
    if (r2)
        *r2 = NAN;
    if (!w || !loglog_weights(x, n, w)) {
        free(w);
        return NAN;
    }
    double my = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(y[i] > 0)) {
            free(w);
            return NAN;
        }
        my += log(y[i]);
    }
    my /= (double)n;
    double slope = 0;
    for (size_t i = 0; i < n; i++)
        slope += w[i] * log(y[i]);
    free(w);

    double mx = 0;
    for (size_t i = 0; i < n; i++)
        mx += log(x[i]);
    mx /= (double)n;
    double ss_res = 0, ss_tot = 0;
    for (size_t i = 0; i < n; i++) {
        double fit = my + slope * (log(x[i]) - mx);
        ss_res += (log(y[i]) - fit) * (log(y[i]) - fit);
        ss_tot += (log(y[i]) - my) * (log(y[i]) - my);
    }
    if (r2)
        *r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : 1;
    return slope;
}

int stats_loglog_slope_range(const double *x, const double *ylo, const double *yhi, size_t n,
                             double *min, double *max)
{
    double *w = malloc((n ? n : 1) * sizeof *w);
    *min = *max = NAN;
    if (!w || !loglog_weights(x, n, w)) {
        free(w);
        return -1;
    }
    /* The slope is linear in each log y_i, so its extremes over the box of
     * intervals lie at the ends: low ends where the weight is positive for the
     * minimum, high ends there for the maximum. */
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(ylo[i] > 0) || !(yhi[i] >= ylo[i])) {
            free(w);
            return -1;
        }
        lo += w[i] * log(w[i] > 0 ? ylo[i] : yhi[i]);
        hi += w[i] * log(w[i] > 0 ? yhi[i] : ylo[i]);
    }
    free(w);
    *min = lo;
    *max = hi;
    return 0;
}
