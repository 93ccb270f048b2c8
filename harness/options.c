/* options.c: range-checked option arguments and the CLI's one error voice. */
#include "options.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junitgen.h"

int cli_report(int status, const char *fmt, ...)
{
    va_list ap;
    fputs("importbench: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
}

int opt_long(const char *flag, const char *text, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < min || v > max)
        return cli_report(IB_EUSAGE, "%s: expected a whole number from %ld to %ld, got '%s'",
                          flag, min, max, text);
    *out = v;
    return IB_OK;
}

int opt_count(const char *flag, const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t v;
    if (junitgen_parse_count(text, &v) != 0 || v < min || v > max)
        return cli_report(IB_EUSAGE,
                          "%s: expected a count from %llu to %llu (1k = 1000, 1M = 1000000), got '%s'",
                          flag, (unsigned long long)min, (unsigned long long)max, text);
    *out = v;
    return IB_OK;
}

int opt_double(const char *flag, const char *text, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end != '\0' || isnan(v) || v < min || v > max)
        return cli_report(IB_EUSAGE, "%s: expected a number from %g to %g, got '%s'", flag,
                          min, max, text);
    *out = v;
    return IB_OK;
}

int opt_count_list(const char *flag, const char *text, uint64_t min, uint64_t max,
                   uint64_t *items, int max_items, int *nitems)
{
    char buf[1024];
    if (strlen(text) >= sizeof buf)
        return cli_report(IB_EUSAGE, "%s: list too long", flag);
    strcpy(buf, text);
    int n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (n == max_items)
            return cli_report(IB_EUSAGE, "%s: at most %d items", flag, max_items);
        if (opt_count(flag, tok, min, max, &items[n]) != IB_OK)
            return IB_EUSAGE;
        n++;
    }
    if (n == 0)
        return cli_report(IB_EUSAGE, "%s: expected a comma-separated list, got '%s'", flag, text);
    *nitems = n;
    return IB_OK;
}
