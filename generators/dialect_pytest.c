/* dialect_pytest.c: pytest's --junitxml layout (xunit1 family, with file and
 * line): one <testsuite name="pytest"> under <testsuites>. */
#include "dialect.h"

#include "keynames.h"
#include "messages.h"
#include "naming.h"

static void begin(struct xmlout *w, const struct file_info *fi)
{
    char iso[20];
    naming_iso(fi->started, iso);
    xo_lit(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<testsuites><testsuite name=\"pytest\"");
    dialect_attr_u64(w, "errors", fi->totals.errors);
    dialect_attr_u64(w, "failures", fi->totals.failures);
    dialect_attr_u64(w, "skipped", fi->totals.skipped);
    dialect_attr_u64(w, "tests", fi->totals.tests);
    dialect_attr_ms(w, "time", fi->totals.time_ms);
    xo_lit(w, " timestamp=\"");
    xo_str(w, iso);
    xo_lit(w, ".000000\"");
    dialect_attr(w, "hostname", fi->hostname, strlen(fi->hostname));
    xo_lit(w, ">\n");
}

static void problem(struct xmlout *w, const struct file_info *fi, const struct msg_ctx *m,
                    enum outcome o)
{
    if (o == OUTCOME_FAILED)
        xo_lit(w, "<failure message=\"");
    else if (o == OUTCOME_ERROR)
        xo_lit(w, "<error message=\"");
    else
        xo_lit(w, "<skipped type=\"pytest.skip\" message=\"");
    msg_headline(w, m, o);
    xo_lit(w, "\">");
    msg_body(w, m, o, fi->message_bytes, MSG_TEXT);
    if (o == OUTCOME_FAILED)
        xo_lit(w, "</failure>");
    else if (o == OUTCOME_ERROR)
        xo_lit(w, "</error>");
    else
        xo_lit(w, "</skipped>");
}

static void group(struct xmlout *w, const struct file_info *fi, const struct case_group *g,
                  uint64_t index)
{
    struct key_names kn;
    (void)index;
    key_names_group(JUNITGEN_PYTEST, fi->module, g->group, &kn);
    for (unsigned i = 0; i < g->n; i++) {
        const struct gen_case *c = &g->cases[i];
        key_names_key(JUNITGEN_PYTEST, c->key, &kn);
        xo_lit(w, "<testcase");
        dialect_attr(w, "classname", kn.classname, kn.classname_len);
        dialect_attr(w, "name", kn.name, kn.name_len);
        dialect_attr(w, "file", kn.file, kn.file_len);
        dialect_attr_u64(w, "line", kn.line);
        dialect_attr_ms(w, "time", c->time_ms);
        if (c->outcome == OUTCOME_PASSED) {
            xo_lit(w, " />\n");
            continue;
        }
        struct msg_ctx m = {JUNITGEN_PYTEST, &kn, fi->topology, c->salt};
        xo_lit(w, ">");
        problem(w, fi, &m, (enum outcome)c->outcome);
        xo_lit(w, "</testcase>\n");
    }
}

static void end(struct xmlout *w, const struct file_info *fi)
{
    (void)fi;
    xo_lit(w, "</testsuite></testsuites>\n");
}

const struct dialect_ops dialect_pytest = {begin, group, end};
