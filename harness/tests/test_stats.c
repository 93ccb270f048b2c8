/* test_stats.c: harness/stats against figures worked out by hand (the working
 * is in the comments, so a reader can check it without a computer). */
#include "testutil.h"

#include <math.h>

#include "stats.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void test_median_and_quantiles(void **state)
{
    (void)state;
    const double odd[] = {3, 1, 2};
    const double even[] = {4, 1, 3, 2};
    assert_float_equal(stats_median(odd, 3), 2, 0);
    assert_float_equal(stats_median(even, 4), 2.5, 0);
    assert_float_equal(stats_median(odd, 1), 3, 0);

    /* Sorted 1..5; h = q (n - 1): q = 0.1 -> h = 0.4 -> 1 + 0.4 (2 - 1) = 1.4;
     * q = 0.25 -> h = 1 -> 2; q = 0.9 -> h = 3.6 -> 4 + 0.6 = 4.6. */
    const double five[] = {5, 3, 1, 4, 2};
    assert_float_equal(stats_quantile(five, 5, 0.1), 1.4, 1e-12);
    assert_float_equal(stats_quantile(five, 5, 0.25), 2, 0);
    assert_float_equal(stats_quantile(five, 5, 0.9), 4.6, 1e-12);
    assert_float_equal(stats_quantile(five, 5, 0), 1, 0);
    assert_float_equal(stats_quantile(five, 5, 1), 5, 0);
    /* The input is left as it was. */
    assert_float_equal(five[0], 5, 0);
    assert_float_equal(five[4], 2, 0);
}

static void test_summary_of_a_skewed_sample(void **state)
{
    (void)state;
    /* mean 40/8 = 5; squares of deviations 9+1+1+1+0+0+4+16 = 32, sample
     * stddev sqrt(32/7); median (4+5)/2 = 4.5; |x - 4.5| = 2.5 .5 .5 .5 .5 .5
     * 2.5 4.5, whose median is 0.5 = MAD. Modified z of 9: 0.6745 * 4.5 / 0.5 =
     * 6.07 (an outlier); of 7 and 2: +-3.37 (not). n = 8: [x(2), x(7)] covers
     * 1 - 2 * 9/256 = 0.93 < 0.95, so the CI is [min, max] at 1 - 2/256. */
    const double x[] = {4, 9, 2, 4, 5, 4, 7, 5};
    struct stats_summary s;
    stats_summarise(x, N_OF(x), &s);
    assert_int_equal(s.n, 8);
    assert_float_equal(s.min, 2, 0);
    assert_float_equal(s.max, 9, 0);
    assert_float_equal(s.mean, 5, 1e-12);
    assert_float_equal(s.stddev, sqrt(32.0 / 7), 1e-12);
    assert_float_equal(s.median, 4.5, 0);
    assert_float_equal(s.mad, 0.5, 0);
    assert_float_equal(s.ci_low, 2, 0);
    assert_float_equal(s.ci_high, 9, 0);
    assert_float_equal(s.ci_level, 1 - 2.0 / 256, 1e-12);
    assert_int_equal(s.outliers, 1);
}

static void test_single_sample(void **state)
{
    (void)state;
    const double x[] = {0.25};
    struct stats_summary s;
    stats_summarise(x, 1, &s);
    assert_float_equal(s.median, 0.25, 0);
    assert_float_equal(s.stddev, 0, 0);
    assert_float_equal(s.mad, 0, 0);
    assert_float_equal(s.ci_low, 0.25, 0);
    assert_float_equal(s.ci_high, 0.25, 0);
    assert_float_equal(s.ci_level, 0, 1e-12);
    assert_int_equal(s.outliers, 0);
}

static void test_median_ci_ranks(void **state)
{
    (void)state;
    size_t k;
    double level;
    /* n = 5: even [min, max] covers only 1 - 2/32. */
    stats_median_ci_rank(5, &k, &level);
    assert_int_equal(k, 1);
    assert_float_equal(level, 0.9375, 1e-12);
    /* n = 9: P(X <= 1) = (1 + 9)/512; k = 2 covers 1 - 20/512 = 0.9609; k = 3
     * covers 1 - 2 * 46/512 = 0.82. */
    stats_median_ci_rank(9, &k, &level);
    assert_int_equal(k, 2);
    assert_float_equal(level, 1 - 20.0 / 512, 1e-12);
    /* n = 10: P(X <= 1) = 11/1024 -> 0.9785; P(X <= 2) = 56/1024 -> 0.89. */
    stats_median_ci_rank(10, &k, &level);
    assert_int_equal(k, 2);
    assert_float_equal(level, 1 - 22.0 / 1024, 1e-12);
    /* n = 20: P(X <= 5) = (1+20+190+1140+4845+15504)/2^20 = 21700/2^20 -> k = 6
     * covers 0.9586; P(X <= 6) adds 38760 -> 0.885. */
    stats_median_ci_rank(20, &k, &level);
    assert_int_equal(k, 6);
    assert_float_equal(level, 1 - 2 * 21700.0 / 1048576, 1e-12);

    const double ten[] = {10, 3, 7, 1, 9, 2, 8, 5, 6, 4};
    struct stats_summary s;
    stats_summarise(ten, 10, &s);
    assert_float_equal(s.ci_low, 2, 0);
    assert_float_equal(s.ci_high, 9, 0);
    assert_float_equal(s.median, 5.5, 0);
}

static void test_modified_z(void **state)
{
    (void)state;
    /* median 3, |x - 3| = 2 1 0 1 97 -> MAD 1; z = 0.6745 (x - 3). */
    const double x[] = {1, 2, 3, 4, 100};
    double z[5];
    stats_modified_z(x, 5, z);
    assert_float_equal(z[0], -1.349, 1e-12);
    assert_float_equal(z[2], 0, 0);
    assert_float_equal(z[4], 0.6745 * 97, 1e-9);
    /* MAD 0 (more than half the samples equal): no z at all, no outliers. */
    const double flat[] = {5, 5, 5, 9};
    stats_modified_z(flat, 4, z);
    assert_float_equal(z[3], 0, 0);
    struct stats_summary s;
    stats_summarise(flat, 4, &s);
    assert_int_equal(s.outliers, 0);
    stats_summarise(x, 5, &s);
    assert_int_equal(s.outliers, 1);
}

static void test_mann_whitney(void **state)
{
    (void)state;
    double u;
    /* a below b entirely: U_a = 0. mu = 3*3/2 = 4.5, var = 9/12 * 7 = 5.25;
     * z = (4.5 - 0.5)/sqrt(5.25) = 1.7457, two-sided p = 0.080856. */
    const double a[] = {1, 2, 3}, b[] = {4, 5, 6};
    double p = stats_mann_whitney(a, 3, b, 3, &u);
    assert_float_equal(u, 0, 0);
    assert_float_equal(p, 0.0808556, 1e-6);
    p = stats_mann_whitney(b, 3, a, 3, &u);
    assert_float_equal(u, 9, 0);
    assert_float_equal(p, 0.0808556, 1e-6);

    /* Interleaved: ranks of a are 1, 3, 5 -> R = 9, U = 9 - 6 = 3;
     * z = (1.5 - 0.5)/sqrt(5.25) = 0.4364, p = 0.66252. */
    const double c[] = {1, 3, 5}, d[] = {2, 4, 6};
    p = stats_mann_whitney(c, 3, d, 3, &u);
    assert_float_equal(u, 3, 0);
    assert_float_equal(p, 0.6625206, 1e-6);

    /* Ties: 1 2 2 | 2 3 4. The three 2s share rank (2+3+4)/3 = 3, so R_a =
     * 1 + 3 + 3 = 7, U = 1. Tie term 3^3 - 3 = 24; var = 9/12 (7 - 24/30) = 4.65;
     * z = (3.5 - 0.5)/sqrt(4.65) = 1.3912, p = 0.164160. */
    const double e[] = {1, 2, 2}, f[] = {2, 3, 4};
    p = stats_mann_whitney(e, 3, f, 3, &u);
    assert_float_equal(u, 1, 0);
    assert_float_equal(p, 0.1641597, 1e-6);

    /* All equal: no evidence at all. */
    const double g[] = {7, 7}, h[] = {7, 7, 7};
    p = stats_mann_whitney(g, 2, h, 3, &u);
    assert_float_equal(u, 3, 0);
    assert_float_equal(p, 1, 0);
}

static void test_loglog_slope(void **state)
{
    (void)state;
    double r2;
    /* y = x^2 / 10^6 exactly. */
    const double x[] = {1000, 2000, 4000}, y[] = {1, 4, 16};
    assert_float_equal(stats_loglog_slope(x, y, 3, &r2), 2, 1e-12);
    assert_float_equal(r2, 1, 1e-12);

    /* log x = 0 1 2, log y = 0 1 3: slope = ((-1)(-4/3) + (1)(5/3)) / 2 = 1.5;
     * fitted -1/6, 4/3, 17/6, residuals 1/6 -1/3 1/6: SSres = 1/6, SStot = 14/3,
     * r^2 = 1 - 1/28. */
    const double ex[] = {1, exp(1), exp(2)}, ey[] = {1, exp(1), exp(3)};
    assert_float_equal(stats_loglog_slope(ex, ey, 3, &r2), 1.5, 1e-12);
    assert_float_equal(r2, 27.0 / 28, 1e-12);

    /* Flat: slope 0, a perfect fit. */
    const double flat[] = {3, 3, 3};
    assert_float_equal(stats_loglog_slope(x, flat, 3, &r2), 0, 1e-12);
    assert_float_equal(r2, 1, 0);

    /* Unusable input: one point, equal x, a zero time. */
    assert_true(isnan(stats_loglog_slope(x, y, 1, &r2)));
    assert_true(isnan(r2));
    const double same[] = {5, 5};
    assert_true(isnan(stats_loglog_slope(same, y, 2, &r2)));
    const double zero[] = {0, 1, 2};
    assert_true(isnan(stats_loglog_slope(x, zero, 3, &r2)));
}

static void test_loglog_slope_range(void **state)
{
    (void)state;
    double lo, hi;
    /* log x = 0, 1: weights -1, +1. Lowest slope: high end at x = 1, low end
     * at x = e: log e - log e = 0; highest: log e^2 - log 1 = 2. */
    const double x[] = {1, exp(1)}, ylo[] = {1, exp(1)}, yhi[] = {exp(1), exp(2)};
    assert_int_equal(stats_loglog_slope_range(x, ylo, yhi, 2, &lo, &hi), 0);
    assert_float_equal(lo, 0, 1e-12);
    assert_float_equal(hi, 2, 1e-12);
    /* Degenerate intervals give the point slope. */
    const double px[] = {1000, 2000, 4000}, py[] = {1, 4, 16};
    assert_int_equal(stats_loglog_slope_range(px, py, py, 3, &lo, &hi), 0);
    assert_float_equal(lo, 2, 1e-12);
    assert_float_equal(hi, 2, 1e-12);
    /* An empty interval is refused. */
    assert_int_equal(stats_loglog_slope_range(x, yhi, ylo, 2, &lo, &hi), -1);
    assert_true(isnan(lo));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_median_and_quantiles),
        cmocka_unit_test(test_summary_of_a_skewed_sample),
        cmocka_unit_test(test_single_sample),
        cmocka_unit_test(test_median_ci_ranks),
        cmocka_unit_test(test_modified_z),
        cmocka_unit_test(test_mann_whitney),
        cmocka_unit_test(test_loglog_slope),
        cmocka_unit_test(test_loglog_slope_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
