/* fuzz_check.h: an assertion for the fuzz targets that NDEBUG cannot remove
 * and that names what failed before aborting, so libFuzzer keeps the input. */
#ifndef IB_FUZZ_CHECK_H
#define IB_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                        \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,    \
                    #cond);                                                     \
            abort();                                                            \
        }                                                                       \
    } while (0)

#endif
