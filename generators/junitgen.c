/* junitgen.c: placeholder; the generator lands with the foundation work. */
#include "junitgen.h"

#include <stdlib.h>

int junitgen_parse_count(const char *text, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text)
        return -1;
    if (*end == 'k' || *end == 'K') { v *= 1000; end++; }
    else if (*end == 'M') { v *= 1000000; end++; }
    if (*end != '\0')
        return -1;
    *out = v;
    return 0;
}
