/* dialect_gotest.c: go-junit-report's layout: one <testsuite> per Go package
 * (here: per group of keys) under <testsuites>, classname = package path,
 * subtest names "TestX/case", output in CDATA sections. */
#include "dialect.h"

#include "keynames.h"
#include "messages.h"
#include "naming.h"

static void begin(struct xmlout *w, const struct file_info *fi)
{
    xo_lit(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
    dialect_attr_u64(w, "tests", fi->totals.tests);
    dialect_attr_u64(w, "failures", fi->totals.failures);
    dialect_attr_u64(w, "errors", fi->totals.errors);
    dialect_attr_u64(w, "skipped", fi->totals.skipped);
    xo_lit(w, ">\n");
}

static void problem(struct xmlout *w, const struct file_info *fi, const struct msg_ctx *m,
                    enum outcome o)
{
    static const char *const open[] = {
        [OUTCOME_FAILED] = "\t\t\t<failure message=\"",
        [OUTCOME_ERROR] = "\t\t\t<error message=\"",
        [OUTCOME_SKIPPED] = "\t\t\t<skipped message=\"",
    };
    static const char *const close[] = {
        [OUTCOME_FAILED] = "]]></failure>\n",
        [OUTCOME_ERROR] = "]]></error>\n",
        [OUTCOME_SKIPPED] = "]]></skipped>\n",
    };
    xo_str(w, open[o]);
    msg_headline(w, m, o);
    xo_lit(w, "\"><![CDATA[");
    msg_body(w, m, o, fi->message_bytes, MSG_CDATA);
    xo_str(w, close[o]);
}

static void group(struct xmlout *w, const struct file_info *fi, const struct case_group *g,
                  uint64_t index)
{
    struct key_names kn;
    char iso[20];
    naming_iso(fi->started, iso);
    key_names_group(JUNITGEN_GOTEST, fi->module, g->group, &kn);

    xo_lit(w, "\t<testsuite");
    dialect_attr(w, "name", kn.classname, kn.classname_len);
    dialect_attr_u64(w, "tests", g->counts.tests);
    dialect_attr_u64(w, "failures", g->counts.failures);
    dialect_attr_u64(w, "errors", g->counts.errors);
    dialect_attr_u64(w, "id", index);
    dialect_attr(w, "hostname", fi->hostname, strlen(fi->hostname));
    dialect_attr_u64(w, "skipped", g->counts.skipped);
    dialect_attr_ms(w, "time", g->counts.time_ms);
    xo_lit(w, " timestamp=\"");
    xo_str(w, iso);
    xo_lit(w, "Z\">\n\t\t<properties>\n\t\t\t<property name=\"go.version\" "
              "value=\"go1.22.4 linux/amd64\"></property>\n\t\t</properties>\n");
    for (unsigned i = 0; i < g->n; i++) {
        const struct gen_case *c = &g->cases[i];
        key_names_key(JUNITGEN_GOTEST, c->key, &kn);
        xo_lit(w, "\t\t<testcase");
        dialect_attr(w, "name", kn.name, kn.name_len);
        dialect_attr(w, "classname", kn.classname, kn.classname_len);
        dialect_attr_ms(w, "time", c->time_ms);
        if (c->outcome == OUTCOME_PASSED) {
            xo_lit(w, "></testcase>\n");
            continue;
        }
        struct msg_ctx m = {JUNITGEN_GOTEST, &kn, fi->topology, c->salt};
        xo_lit(w, ">\n");
        problem(w, fi, &m, (enum outcome)c->outcome);
        xo_lit(w, "\t\t</testcase>\n");
    }
    xo_lit(w, "\t</testsuite>\n");
}

static void end(struct xmlout *w, const struct file_info *fi)
{
    (void)fi;
    xo_lit(w, "</testsuites>\n");
}

const struct dialect_ops dialect_gotest = {begin, group, end};
