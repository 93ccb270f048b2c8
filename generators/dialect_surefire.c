/* dialect_surefire.c: Maven Surefire's report layout: a bare <testsuite> with
 * <properties>, Java classnames, no file attribute, captured output in
 * <system-out>, and now and then a passed test that carries a <flakyFailure>
 * (it failed once, then passed when Surefire reran it: still a pass). */
#include "dialect.h"

#include "keynames.h"
#include "messages.h"

static void property(struct xmlout *w, const char *name, const char *value)
{
    xo_lit(w, "    <property");
    dialect_attr(w, "name", name, strlen(name));
    dialect_attr(w, "value", value, strlen(value));
    xo_lit(w, "/>\n");
}

static void begin(struct xmlout *w, const struct file_info *fi)
{
    xo_lit(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<testsuite xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
              "xsi:noNamespaceSchemaLocation=\"https://maven.apache.org/surefire/"
              "maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd\" version=\"3.0.2\" "
              "name=\"com.acme.dataplane.");
    xo_attr_str(w, fi->module);
    xo_lit(w, ".");
    xo_attr_str(w, fi->topology);
    xo_lit(w, "\"");
    dialect_attr_ms(w, "time", fi->totals.time_ms);
    dialect_attr_u64(w, "tests", fi->totals.tests);
    dialect_attr_u64(w, "errors", fi->totals.errors);
    dialect_attr_u64(w, "skipped", fi->totals.skipped);
    dialect_attr_u64(w, "failures", fi->totals.failures);
    xo_lit(w, ">\n  <properties>\n");
    property(w, "java.version", "17.0.9");
    property(w, "java.vendor", "Eclipse Adoptium");
    property(w, "os.name", "Linux");
    property(w, "file.encoding", "UTF-8");
    property(w, "line.separator", "\n");
    property(w, "ha.topology", fi->topology);
    property(w, "ha.module", fi->module);
    property(w, "surefire.rerunFailingTestsCount", fi->rerun ? "0" : "1");
    property(w, "hostname", fi->hostname);
    xo_lit(w, "  </properties>\n");
}

static void system_out(struct xmlout *w, const struct msg_ctx *m, unsigned lines)
{
    xo_lit(w, "<system-out>");
    msg_log(w, m, lines);
    xo_lit(w, "</system-out>");
}

static void problem(struct xmlout *w, const struct file_info *fi, const struct msg_ctx *m,
                    enum outcome o)
{
    if (o == OUTCOME_SKIPPED) {
        xo_lit(w, "<skipped message=\"");
        msg_headline(w, m, o);
        xo_lit(w, "\"/>");
        return;
    }
    xo_str(w, o == OUTCOME_FAILED ? "<failure message=\"" : "<error message=\"");
    msg_headline(w, m, o);
    xo_str(w, o == OUTCOME_FAILED ? "\" type=\"java.lang.AssertionError\">"
                                  : "\" type=\"java.lang.IllegalStateException\">");
    msg_body(w, m, o, fi->message_bytes, MSG_TEXT);
    xo_str(w, o == OUTCOME_FAILED ? "</failure>" : "</error>");
    system_out(w, m, 3);
}

static void flaky(struct xmlout *w, const struct file_info *fi, const struct msg_ctx *m)
{
    xo_lit(w, "<flakyFailure message=\"");
    msg_headline(w, m, OUTCOME_FAILED);
    xo_lit(w, "\" type=\"java.lang.AssertionError\"><stackTrace>");
    msg_body(w, m, OUTCOME_FAILED, fi->message_bytes, MSG_TEXT);
    xo_lit(w, "</stackTrace>");
    system_out(w, m, 2);
    xo_lit(w, "</flakyFailure>");
}

static void group(struct xmlout *w, const struct file_info *fi, const struct case_group *g,
                  uint64_t index)
{
    struct key_names kn;
    (void)index;
    key_names_group(JUNITGEN_SUREFIRE, fi->module, g->group, &kn);
    for (unsigned i = 0; i < g->n; i++) {
        const struct gen_case *c = &g->cases[i];
        key_names_key(JUNITGEN_SUREFIRE, c->key, &kn);
        xo_lit(w, "  <testcase");
        dialect_attr(w, "name", kn.name, kn.name_len);
        dialect_attr(w, "classname", kn.classname, kn.classname_len);
        dialect_attr_ms(w, "time", c->time_ms);
        struct msg_ctx m = {JUNITGEN_SUREFIRE, &kn, fi->topology, c->salt};
        if (c->outcome != OUTCOME_PASSED) {
            xo_lit(w, ">");
            problem(w, fi, &m, (enum outcome)c->outcome);
            xo_lit(w, "</testcase>\n");
        } else if (c->flaky) {
            xo_lit(w, ">");
            flaky(w, fi, &m);
            xo_lit(w, "</testcase>\n");
        } else if (c->salt % 8 == 0) {
            xo_lit(w, ">");
            system_out(w, &m, 1 + (unsigned)(c->salt >> 8) % 3);
            xo_lit(w, "</testcase>\n");
        } else {
            xo_lit(w, "/>\n");
        }
    }
}

static void end(struct xmlout *w, const struct file_info *fi)
{
    (void)fi;
    xo_lit(w, "</testsuite>\n");
}

const struct dialect_ops dialect_surefire = {begin, group, end};
