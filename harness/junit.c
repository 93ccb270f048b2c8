/* junit.c: the streaming JUnit XML reader, on libxml2's SAX2 interface.
 *
 * Why SAX2: on one 3.3 MB file of 10k testcases (junitgen --results 10k
 * --files 1), this reader with its callbacks took a median 13.5 ms against
 * 24.2 ms for an xmlTextReader loop extracting the same fields (10.8 ms for
 * SAX2 with empty handlers), in the same run on a busy 2-core machine; about
 * 1.8x in every run. A testcase needs a few attributes and one message, which
 * callbacks deliver without building anything.
 *
 * Safety. The parser runs with XML_PARSE_NONET and without NOENT, DTDLOAD or
 * DTDATTR, and keeps libxml2's default size and depth limits (no
 * XML_PARSE_HUGE). A document type declaration of any kind is refused as soon
 * as its name is read, before any internal subset: a JUnit report needs none,
 * and so no entity can be declared, an entity bomb fails at its first line and
 * an external entity is never resolved. A reference to an undeclared entity
 * is then a fatal error of libxml2's own. Predefined entities and character
 * references are decoded as usual.
 *
 * Rules, which the tests pin down:
 * - The root must be <testsuites> or <testsuite> (namespace prefixes ignored);
 *   any other root is refused: "not a junit report: root element is <x>".
 * - Every <testcase> is reported, wherever it sits, including one nested in
 *   another testcase (directly or through a suite). Its status and message
 *   come from its own direct children only. A callback is made at the
 *   testcase's end tag, so a nested testcase is reported before its parent.
 * - file: the testcase's file attribute, else that of the nearest enclosing
 *   testsuite with a file or filepath attribute, else NULL; an empty
 *   attribute counts as none.
 * - Undeclared namespace prefixes are not an error (xmllint agrees); element
 *   and attribute names are matched without their prefix.
 * - Status: error, then failure, then skipped, else passed. Surefire's
 *   flakyFailure / flakyError (failed, then passed on a rerun) leave a test
 *   passed. rerunFailure / rerunError normally come beside a failure or error,
 *   which decides; alone, they count as failure / error: a failed run is on
 *   record and a passing one is not.
 * - Message: of the first child of the kind that decided the status; its
 *   message attribute, a blank line, its text (CDATA included), the whole
 *   trimmed; only one of them when the other is blank; NULL when both are.
 *   Limited to 10,000,000 bytes, libxml2's own limit for one text node.
 * - line: the line of the testcase's '<'.
 * Errors read "name:line:col: message", from libxml2's structured error or
 * from the rules above.
 *
 * This file drives libxml2 and keeps the rules; junit_text.c (through
 * junit_int.h) does the text work: the buffers frames keep their strings in,
 * attribute values and times, joining a message, and wording errors. */
#define _GNU_SOURCE   /* memrchr */
#include "junit.h"
#include "junit_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>

#define JUNIT_MAX_MESSAGE 10000000u

/* What an open element is, as far as the reader cares. */
enum elem_kind {
    ELEM_OTHER,
    ELEM_SUITE,
    ELEM_CASE,
    ELEM_SKIPPED,
    ELEM_RERUN_FAILURE,  /* from here on, the kinds rank upward: the highest decides */
    ELEM_RERUN_ERROR,
    ELEM_FAILURE,
    ELEM_ERROR
};

struct suite_frame {
    struct text_buf file;
    int has_file;
};

struct case_frame {
    struct text_buf file, classname, name, msg_attr, msg_text;
    int has_file, has_name, line, skipped;
    enum elem_kind result;           /* highest result child so far, or ELEM_OTHER */
    double time;
};

struct reader {
    xmlParserCtxtPtr ctxt;
    const char *name;
    junit_testcase_fn fn;
    void *fn_ctx;
    struct ib_error *err;
    int status;                      /* IB_OK until the first error */
    struct text_buf kinds;           /* one enum elem_kind per open element */
    struct suite_frame *suites;
    size_t nsuites, suites_cap;
    struct case_frame *cases;
    size_t ncases, cases_cap;
    size_t capture_depth;            /* depth of the element whose text is the message; 0: none */
    size_t capture_case;             /* index of the testcase that message belongs to */
    struct text_buf message;
};

/* Records the first error with the parser's position and stops the parse. */
__attribute__((format(printf, 2, 3)))
static void reader_fail(struct reader *r, const char *fmt, ...)
{
    if (r->status != IB_OK)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ib_fail(r->err, IB_ERR, "%s:%d:%d: %s", r->name, xmlSAX2GetLineNumber(r->ctxt),
            xmlSAX2GetColumnNumber(r->ctxt), msg);
    r->status = IB_ERR;
    xmlStopParser(r->ctxt);
}

/* Records the first error of libxml2's; returns 1 when it was recorded. */
static int record_xml_error(struct reader *r, xmlErrorPtr e)
{
    /* Undeclared namespace prefixes (xsi: without its xmlns) leave a document
     * well-formed XML, as xmllint also judges; names are matched locally. */
    if (e->level < XML_ERR_ERROR || e->domain == XML_FROM_NAMESPACE || r->status != IB_OK)
        return 0;
    char msg[512];
    junit_xml_error_text(e, msg, sizeof msg);
    int line = e->line > 0 ? e->line : xmlSAX2GetLineNumber(r->ctxt);
    int col = e->int2 > 0 ? e->int2 : xmlSAX2GetColumnNumber(r->ctxt);
    ib_fail(r->err, IB_ERR, "%s:%d:%d: %s", r->name, line, col, msg);
    r->status = IB_ERR;
    return 1;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    struct reader *r = ctx;
    if (record_xml_error(r, e))
        xmlStopParser(r->ctxt);
}

/* An encoding conversion error comes without a parser context, from inside
 * libxml2's input conversion: stopping the parser there would free the input
 * being converted. The parse ends by itself where the conversion stopped, and
 * this first error is the one reported, at the parser's position when the
 * conversion failed (input is converted ahead of the parse, so that position
 * can be before the offending bytes, which the message names). */
static void on_conversion_error(void *ctx, xmlErrorPtr e)
{
    record_xml_error(ctx, e);
}

static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
                               const xmlChar *system_id)
{
    (void)name, (void)external_id, (void)system_id;
    reader_fail(ctx, "doctype not allowed in a junit report");
}

static enum elem_kind kind_of(const char *name, enum elem_kind parent)
{
    static const struct { const char *name; enum elem_kind kind; } results[] = {
        {"failure", ELEM_FAILURE}, {"error", ELEM_ERROR}, {"skipped", ELEM_SKIPPED},
        {"rerunFailure", ELEM_RERUN_FAILURE}, {"rerunError", ELEM_RERUN_ERROR},
    };
    if (!strcmp(name, "testcase"))
        return ELEM_CASE;
    if (!strcmp(name, "testsuite"))
        return ELEM_SUITE;
    for (size_t i = 0; parent == ELEM_CASE && i < sizeof results / sizeof results[0]; i++)
        if (!strcmp(name, results[i].name))
            return results[i].kind;
    return ELEM_OTHER;   /* flakyFailure, flakyError, system-out, properties... */
}

/* SAX2 passes attributes as (localname, prefix, URI, value, end) quintuples. */
static const xmlChar **find_attr(int nb, const xmlChar **attrs, const char *name)
{
    for (int i = 0; i < nb; i++)
        if (!strcmp((const char *)attrs[i * 5], name))
            return attrs + i * 5;
    return NULL;
}

/* A file attribute that is empty names no file. */
static const xmlChar **find_file_attr(int nb, const xmlChar **attrs, const char *name)
{
    const xmlChar **a = find_attr(nb, attrs, name);
    return a && a[4] > a[3] ? a : NULL;
}

static int attr_copy(struct text_buf *b, const xmlChar **a)
{
    return junit_attr_value(b, (const char *)a[3], (size_t)(a[4] - a[3]));
}

/* The line of the start tag's '<': the parser stands just past its '>', and
 * the whole tag is still in the input buffer ('<' cannot occur inside it). */
static int start_tag_line(xmlParserCtxtPtr ctxt)
{
    int line = ctxt->input->line;
    const char *base = (const char *)ctxt->input->base;
    const char *cur = (const char *)ctxt->input->cur;
    const char *lt = memrchr(base, '<', (size_t)(cur - base));
    if (!lt)
        return line;
    for (const char *nl = lt; (nl = memchr(nl, '\n', (size_t)(cur - nl))) != NULL; nl++)
        line--;
    return line;
}

static void *grow_frames(void *frames, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return frames;
    size_t n = *cap ? *cap * 2 : 8;
    char *p = realloc(frames, n * size);
    if (!p)
        return NULL;
    memset(p + *cap * size, 0, (n - *cap) * size);
    *cap = n;
    return p;
}

static int open_suite(struct reader *r, int nb, const xmlChar **attrs)
{
    void *p = grow_frames(r->suites, &r->suites_cap, r->nsuites + 1, sizeof *r->suites);
    if (!p)
        return -1;
    r->suites = p;
    struct suite_frame *s = &r->suites[r->nsuites++];
    const xmlChar **a = find_file_attr(nb, attrs, "file");
    if (!a)
        a = find_file_attr(nb, attrs, "filepath");
    s->has_file = a != NULL;
    if (a)
        return attr_copy(&s->file, a);
    if (r->nsuites > 1 && s[-1].has_file) {
        s->has_file = 1;
        return junit_buf_set(&s->file, s[-1].file.data, s[-1].file.len);
    }
    return 0;
}

static int open_case(struct reader *r, int nb, const xmlChar **attrs)
{
    void *p = grow_frames(r->cases, &r->cases_cap, r->ncases + 1, sizeof *r->cases);
    if (!p)
        return -1;
    r->cases = p;
    struct case_frame *c = &r->cases[r->ncases++];
    c->line = start_tag_line(r->ctxt);
    c->result = ELEM_OTHER;
    c->skipped = c->has_file = c->has_name = 0;
    c->time = 0.0;
    c->msg_attr.len = c->msg_text.len = 0;
    int rc = junit_buf_set(&c->classname, "", 0);
    /* One pass over the attributes: this runs once per testcase. */
    for (int i = 0; i < nb && rc == 0; i++) {
        const xmlChar **a = attrs + i * 5;
        const char *name = (const char *)a[0];
        if (!strcmp(name, "name"))
            c->has_name = 1, rc = attr_copy(&c->name, a);
        else if (!strcmp(name, "classname"))
            rc = attr_copy(&c->classname, a);
        else if (!strcmp(name, "file") && a[4] > a[3])
            c->has_file = 1, rc = attr_copy(&c->file, a);
        else if (!strcmp(name, "time"))
            c->time = junit_parse_time((const char *)a[3], (size_t)(a[4] - a[3]));
    }
    return rc;
}

/* A result child of the innermost testcase; a higher kind takes over the message. */
static int open_result(struct reader *r, enum elem_kind kind, int nb, const xmlChar **attrs)
{
    struct case_frame *c = &r->cases[r->ncases - 1];
    if (kind == ELEM_SKIPPED) {
        c->skipped = 1;
        return 0;
    }
    if (kind <= c->result)
        return 0;
    c->result = kind;
    const xmlChar **a = find_attr(nb, attrs, "message");
    if (a ? attr_copy(&c->msg_attr, a) : junit_buf_set(&c->msg_attr, "", 0))
        return -1;
    c->msg_text.len = 0;
    r->capture_depth = r->kinds.len + 1;
    r->capture_case = r->ncases - 1;
    return 0;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    struct reader *r = ctx;
    if (r->status != IB_OK)
        return;
    const char *name = (const char *)localname;
    if (r->kinds.len == 0 && strcmp(name, "testsuites") && strcmp(name, "testsuite")) {
        reader_fail(r, "not a junit report: root element is <%s>", name);
        return;
    }
    enum elem_kind parent = r->kinds.len ? (enum elem_kind)r->kinds.data[r->kinds.len - 1]
                                         : ELEM_OTHER;
    enum elem_kind kind = kind_of(name, parent);
    int rc = 0;
    if (kind == ELEM_SUITE)
        rc = open_suite(r, nb_attributes, attrs);
    else if (kind == ELEM_CASE)
        rc = open_case(r, nb_attributes, attrs);
    else if (kind != ELEM_OTHER)
        rc = open_result(r, kind, nb_attributes, attrs);
    char k = (char)kind;
    if (rc || junit_buf_append(&r->kinds, &k, 1))
        reader_fail(r, "out of memory");
}

static const char *suite_file(const struct reader *r)
{
    return r->nsuites && r->suites[r->nsuites - 1].has_file ? r->suites[r->nsuites - 1].file.data
                                                            : NULL;
}

static void close_case(struct reader *r)
{
    struct case_frame *c = &r->cases[r->ncases - 1];
    struct junit_testcase tc;
    tc.file = c->has_file ? c->file.data : suite_file(r);
    tc.classname = c->classname.data;
    tc.name = c->has_name ? c->name.data : NULL;
    tc.time = c->time;
    tc.line = c->line;
    if (c->result == ELEM_ERROR || c->result == ELEM_RERUN_ERROR)
        tc.status = JUNIT_ERROR;
    else if (c->result != ELEM_OTHER)
        tc.status = JUNIT_FAILED;
    else
        tc.status = c->skipped ? JUNIT_SKIPPED : JUNIT_PASSED;
    tc.message = NULL;
    tc.message_len = 0;
    r->ncases--;
    if (c->result != ELEM_OTHER &&
        junit_join_message(&r->message, &c->msg_attr, &c->msg_text, &tc.message,
                           &tc.message_len)) {
        reader_fail(r, "out of memory");
        return;
    }
    int rc = r->fn(r->fn_ctx, &tc, r->err);
    if (rc != IB_OK) {
        r->status = rc;
        xmlStopParser(r->ctxt);
    }
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri)
{
    (void)localname, (void)prefix, (void)uri;
    struct reader *r = ctx;
    if (r->status != IB_OK || r->kinds.len == 0)
        return;
    if (r->capture_depth == r->kinds.len)
        r->capture_depth = 0;
    enum elem_kind kind = (enum elem_kind)r->kinds.data[--r->kinds.len];
    if (kind == ELEM_SUITE)
        r->nsuites--;
    else if (kind == ELEM_CASE)
        close_case(r);
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    struct reader *r = ctx;
    if (r->capture_depth == 0 || r->status != IB_OK)
        return;
    struct text_buf *t = &r->cases[r->capture_case].msg_text;
    if (t->len + (size_t)len > JUNIT_MAX_MESSAGE)
        reader_fail(r, "failure message longer than %u bytes", JUNIT_MAX_MESSAGE);
    else if (junit_buf_append(t, (const char *)ch, (size_t)len))
        reader_fail(r, "out of memory");
}

static void reader_release(struct reader *r)
{
    for (size_t i = 0; i < r->suites_cap; i++)
        free(r->suites[i].file.data);
    for (size_t i = 0; i < r->cases_cap; i++) {
        struct case_frame *c = &r->cases[i];
        free(c->file.data), free(c->classname.data), free(c->name.data);
        free(c->msg_attr.data), free(c->msg_text.data);
    }
    free(r->suites), free(r->cases), free(r->kinds.data), free(r->message.data);
}

struct source {
    FILE *fp;             /* a file, or */
    const char *buf;      /* a buffer */
    size_t len, pos;
    int read_errno;
};

static int source_read(void *ctx, char *out, int len)
{
    struct source *s = ctx;
    if (s->fp) {
        size_t n = fread(out, 1, (size_t)len, s->fp);
        if (n == 0 && ferror(s->fp)) {
            s->read_errno = errno ? errno : EIO;
            return -1;
        }
        return (int)n;
    }
    size_t n = s->len - s->pos < (size_t)len ? s->len - s->pos : (size_t)len;
    memcpy(out, s->buf + s->pos, n);
    s->pos += n;
    return (int)n;
}

static int parse_source(struct source *src, const char *name, junit_testcase_fn fn,
                        void *ctx, struct ib_error *err)
{
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.internalSubset = on_internal_subset;
    sax.serror = on_xml_error;

    struct reader r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.fn = fn;
    r.fn_ctx = ctx;
    r.err = err;
    xmlInitParser();
    r.ctxt = xmlCreateIOParserCtxt(&sax, &r, source_read, NULL, src, XML_CHAR_ENCODING_NONE);
    if (!r.ctxt)
        return ib_fail(err, IB_ERR, "%s: cannot create an xml parser", name);
    xmlCtxtUseOptions(r.ctxt, XML_PARSE_NONET);
    /* Encoding conversion errors are raised without a parser context, through
     * libxml2's (per-thread) structured handler, which by default prints them to
     * stderr; for this parse they come to the reader like any other error. */
    xmlStructuredErrorFunc saved_fn = xmlStructuredError;
    void *saved_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&r, on_conversion_error);
    xmlParseDocument(r.ctxt);
    xmlSetStructuredErrorFunc(saved_ctx, saved_fn);
    char text[128];
    /* A read error comes first: libxml2's own error after it ("document is
     * empty", "premature end of data") only describes the missing input. */
    if (src->read_errno)
        r.status = ib_fail(err, IB_ERR, "%s: read error: %s", name,
                           ib_errno_text(src->read_errno, "no such file", text, sizeof text));
    else if (r.status == IB_OK && !r.ctxt->wellFormed)
        reader_fail(&r, "malformed xml");
    xmlFreeParserCtxt(r.ctxt);
    reader_release(&r);
    return r.status;
}

int junit_parse_file(const char *path, junit_testcase_fn fn, void *ctx, struct ib_error *err)
{
    struct stat st;
    char text[128];
    if (stat(path, &st) != 0)
        return ib_fail(err, IB_ERR, "%s: %s", path,
                       ib_errno_text(errno, "no such file", text, sizeof text));
    if (S_ISDIR(st.st_mode))
        return ib_fail(err, IB_ERR, "%s: is a directory", path);
    struct source src = {0};
    src.fp = fopen(path, "rb");
    if (!src.fp)
        return ib_fail(err, IB_ERR, "%s: %s", path,
                       ib_errno_text(errno, "no such file", text, sizeof text));
    int rc = parse_source(&src, path, fn, ctx, err);
    fclose(src.fp);
    return rc;
}

int junit_parse_memory(const char *buf, size_t len, const char *name, junit_testcase_fn fn,
                       void *ctx, struct ib_error *err)
{
    struct source src = {0};
    src.buf = buf;
    src.len = len;
    return parse_source(&src, name, fn, ctx, err);
}

const char *junit_status_name(enum junit_status status)
{
    switch (status) {
    case JUNIT_PASSED: return "passed";
    case JUNIT_FAILED: return "failed";
    case JUNIT_ERROR: return "error";
    case JUNIT_SKIPPED: return "skipped";
    }
    return "unknown";
}
