/* gate_junit.c: the gate's verdicts as JUnit XML, so that Jenkins and the like
 * show each rule and cell as a test: a testsuite per rule, a testcase per
 * verdict, <failure> for a regression, <skipped> for what could not be
 * compared, advisories as passing testcases with their figures in
 * <system-out>. Written with libxml2's xmlTextWriter, which escapes. */
#include "gate.h"

#include <errno.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define X(s) ((const xmlChar *)(s))

struct tally {
    size_t tests, failures, skipped;
};

static struct tally tally_of(const struct gate_report *rep, int rule)
{
    struct tally t = {0, 0, 0};
    for (size_t i = 0; i < rep->count; i++) {
        const struct gate_verdict *v = &rep->items[i];
        if (rule && (int)v->rule != rule)
            continue;
        t.tests++;
        t.failures += v->outcome == GATE_FAIL;
        t.skipped += v->outcome == GATE_SKIPPED;
    }
    return t;
}

/* Starts an element with name, tests, failures, skipped and errors. */
static int start_counted(xmlTextWriterPtr w, const char *element, const char *name,
                         struct tally t)
{
    return xmlTextWriterStartElement(w, X(element)) < 0 ||
           xmlTextWriterWriteAttribute(w, X("name"), X(name)) < 0 ||
           xmlTextWriterWriteFormatAttribute(w, X("tests"), "%zu", t.tests) < 0 ||
           xmlTextWriterWriteFormatAttribute(w, X("failures"), "%zu", t.failures) < 0 ||
           xmlTextWriterWriteAttribute(w, X("errors"), X("0")) < 0 ||
           xmlTextWriterWriteFormatAttribute(w, X("skipped"), "%zu", t.skipped) < 0;
}

static int write_case(xmlTextWriterPtr w, const struct gate_verdict *v)
{
    char classname[64], message[900];
    snprintf(classname, sizeof classname, "importbench.gate.%s", gate_rule_name(v->rule));
    snprintf(message, sizeof message, "%s; allowed: %s", v->measured, v->allowed);
    if (xmlTextWriterStartElement(w, X("testcase")) < 0 ||
        xmlTextWriterWriteAttribute(w, X("classname"), X(classname)) < 0 ||
        xmlTextWriterWriteAttribute(w, X("name"), X(v->subject)) < 0 ||
        xmlTextWriterWriteAttribute(w, X("time"), X("0")) < 0)
        return -1;
    int bad = 0;
    switch (v->outcome) {
    case GATE_FAIL:
        bad = xmlTextWriterStartElement(w, X("failure")) < 0 ||
              xmlTextWriterWriteAttribute(w, X("message"), X(message)) < 0 ||
              xmlTextWriterWriteAttribute(w, X("type"), X("regression")) < 0 ||
              xmlTextWriterWriteString(w, X(message)) < 0 || xmlTextWriterEndElement(w) < 0;
        break;
    case GATE_SKIPPED:
        bad = xmlTextWriterStartElement(w, X("skipped")) < 0 ||
              xmlTextWriterWriteAttribute(w, X("message"), X(message)) < 0 ||
              xmlTextWriterEndElement(w) < 0;
        break;
    case GATE_PASS:
    case GATE_ADVISORY:
        bad = xmlTextWriterWriteElement(w, X("system-out"), X(message)) < 0;
        break;
    }
    return bad || xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

static int write_document(xmlTextWriterPtr w, const struct gate_report *rep)
{
    if (xmlTextWriterSetIndent(w, 1) < 0 ||
        xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
        start_counted(w, "testsuites", "importbench gate", tally_of(rep, 0)))
        return -1;
    for (int rule = GATE_RULE_STATEMENTS; rule <= GATE_MATCH; rule++) {
        struct tally t = tally_of(rep, rule);
        if (!t.tests)
            continue;
        char name[64];
        snprintf(name, sizeof name, "importbench.gate.%s", gate_rule_name(rule));
        if (start_counted(w, "testsuite", name, t))
            return -1;
        for (size_t i = 0; i < rep->count; i++)
            if ((int)rep->items[i].rule == rule && write_case(w, &rep->items[i]))
                return -1;
        if (xmlTextWriterEndElement(w) < 0)
            return -1;
    }
    return xmlTextWriterEndDocument(w) < 0 ? -1 : 0;
}

int gate_write_junit(const struct gate_report *report, const char *path, struct ib_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s", strerror(errno));
        if (msg[0] >= 'A' && msg[0] <= 'Z')
            msg[0] = (char)(msg[0] - 'A' + 'a');
        return ib_fail(err, IB_ERR, "%s: %s", path, msg);
    }
    int mode_failed = fchmod(fd, 0644);
    close(fd);
    xmlTextWriterPtr w = xmlNewTextWriterFilename(tmp, 0);
    int bad = mode_failed || !w || write_document(w, report) || xmlTextWriterFlush(w) < 0;
    if (w)
        xmlFreeTextWriter(w);  /* flushes and closes the file */
    if (bad || rename(tmp, path)) {
        unlink(tmp);
        return ib_fail(err, IB_ERR, "%s: cannot write the JUnit XML file", path);
    }
    return IB_OK;
}
