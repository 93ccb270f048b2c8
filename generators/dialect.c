/* dialect.c: what the dialects share: attributes written with escaping. */
#include "dialect.h"

void dialect_attr(struct xmlout *w, const char *name, const char *value, size_t len)
{
    xo_lit(w, " ");
    xo_str(w, name);
    xo_lit(w, "=\"");
    xo_attr(w, value, len);
    xo_lit(w, "\"");
}

void dialect_attr_u64(struct xmlout *w, const char *name, uint64_t v)
{
    xo_lit(w, " ");
    xo_str(w, name);
    xo_lit(w, "=\"");
    xo_u64(w, v);
    xo_lit(w, "\"");
}

void dialect_attr_ms(struct xmlout *w, const char *name, uint64_t ms)
{
    xo_lit(w, " ");
    xo_str(w, name);
    xo_lit(w, "=\"");
    xo_ms(w, ms);
    xo_lit(w, "\"");
}
