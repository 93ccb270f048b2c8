/* hostile.c: the hostile-input catalogue; hostile.h says what it is for.
 *
 * The limits the cases pin down, as libxml2 2.9 applies them without
 * XML_PARSE_HUGE (which the reader never sets), and the reader's own:
 * - depth: 257 nested elements are read; the 258th is "excessive depth";
 * - a failure's text: up to 10,000,000 bytes, handed over and stored whole;
 *   one byte more is refused (the reader's limit, libxml2's for a text node);
 *   a CDATA section has the same limit (libxml2's);
 * - an attribute value: at most 10,000,000 bytes, and a start tag that reaches
 *   about that size is refused as a whole ("tag longer than 10000000 bytes");
 *   a message is the attribute, a blank line and the text, so a stored one can
 *   reach 20,000,002 bytes; 19,000,002 is tested;
 * - a name: 50,000 bytes;
 * - a document type declaration of any kind is refused at its name, before any
 *   entity is declared: no bomb is expanded and no external entity resolved. */
#include "hostile.h"

#include <stdlib.h>
#include <string.h>

#include "testutil.h"

void hostile_fill(FILE *f, char ch, size_t n)
{
    char block[65536];
    memset(block, ch, sizeof block);
    for (size_t left = n; left > 0;) {
        size_t k = left < sizeof block ? left : sizeof block;
        assert_int_equal(fwrite(block, 1, k, f), k);
        left -= k;
    }
}

#define CASE_HEAD "<testsuite><testcase name=\"t\" classname=\"c\">"
#define CASE_TAIL "</testcase></testsuite>"

/* Billion laughs: ten levels of ten references, 3 GB if expanded. */
static void gen_laughs(FILE *f, const char *dir)
{
    (void)dir;
    fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE testsuite [\n<!ENTITY l0 \"lol\">\n", f);
    for (int i = 1; i <= 9; i++) {
        fprintf(f, "<!ENTITY l%d \"", i);
        for (int k = 0; k < 10; k++)
            fprintf(f, "&l%d;", i - 1);
        fputs("\">\n", f);
    }
    fputs("]>\n" CASE_HEAD "<failure>&l9;</failure>" CASE_TAIL, f);
}

/* One 100 kB entity referenced 100,000 times: 10 GB if expanded. */
static void gen_quadratic(FILE *f, const char *dir)
{
    (void)dir;
    fputs("<!DOCTYPE testsuite [<!ENTITY x \"", f);
    hostile_fill(f, 'x', 100000);
    fputs("\">]>\n" CASE_HEAD "<failure>", f);
    for (int i = 0; i < 100000; i++)
        fputs("&x;", f);
    fputs("</failure>" CASE_TAIL, f);
}

/* An external entity naming the secret file by its absolute path. */
static void gen_xxe_absolute(FILE *f, const char *dir)
{
    fprintf(f, "<!DOCTYPE testsuite [<!ENTITY s SYSTEM \"file://%s/secret.txt\">]>\n"
            CASE_HEAD "<failure>&s;</failure>" CASE_TAIL, dir);
}

static void gen_nested(FILE *f, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("<testsuite>", f);
    for (int i = 0; i < depth; i++)
        fputs("</testsuite>", f);
}

static void gen_deep257(FILE *f, const char *dir)
{
    (void)dir;
    fputs("<testsuite>" CASE_HEAD "</testcase>", f);   /* one testcase, then 256 more levels */
    gen_nested(f, 255);
    fputs("</testsuite></testsuite>", f);
}

static void gen_deep258(FILE *f, const char *dir)
{
    (void)dir;
    gen_nested(f, 258);
}

/* Testcases nested 200 deep in one another: each is a testcase of its own. */
static void gen_cases200(FILE *f, const char *dir)
{
    (void)dir;
    fputs("<testsuite>", f);
    for (int i = 0; i < 200; i++)
        fprintf(f, "<testcase classname=\"n.C\" name=\"n%d\">", i);
    for (int i = 0; i < 200; i++)
        fputs("</testcase>", f);
    fputs("</testsuite>", f);
}

static void gen_attr12mb(FILE *f, const char *dir)
{
    (void)dir;
    fputs(CASE_HEAD "<failure message=\"", f);
    hostile_fill(f, 'a', 12u << 20);
    fputs("\"/>" CASE_TAIL, f);
}

static void gen_name12mb(FILE *f, const char *dir)
{
    (void)dir;
    fputs("<testsuite><testcase name=\"", f);
    hostile_fill(f, 'n', 12u << 20);
    fputs("\" classname=\"c\"/></testsuite>", f);
}

static void gen_attr10mb(FILE *f, const char *dir)
{
    (void)dir;
    fputs(CASE_HEAD "<failure message=\"", f);
    hostile_fill(f, 'a', 10000000);
    fputs("\"/>" CASE_TAIL, f);
}

static void gen_attr9mb(FILE *f, const char *dir)
{
    (void)dir;
    fputs(CASE_HEAD "<failure message=\"", f);
    hostile_fill(f, 'a', 9000000);
    fputs("\"/>" CASE_TAIL, f);
}

static void gen_element_name(FILE *f, const char *dir)
{
    (void)dir;
    fputs("<testsuite><", f);
    hostile_fill(f, 'e', 60000);
    fputs("/></testsuite>", f);
}

static void gen_text(FILE *f, size_t n)
{
    fputs(CASE_HEAD "<failure>", f);
    hostile_fill(f, 'x', n);
    fputs("</failure>" CASE_TAIL, f);
}

static void gen_text_at_limit(FILE *f, const char *dir)
{
    (void)dir;
    gen_text(f, 10000000);
}

static void gen_text_over_limit(FILE *f, const char *dir)
{
    (void)dir;
    gen_text(f, 10000001);
}

/* On many lines: the error names the line where the limit was crossed. */
static void gen_text_lines(FILE *f, const char *dir)
{
    (void)dir;
    fputs("<testsuite>\n<testcase name=\"t\">\n<failure>", f);
    for (int i = 0; i < 100001; i++) {
        hostile_fill(f, 'x', 99);
        fputc('\n', f);
    }
    fputs("</failure>" CASE_TAIL, f);
}

static void gen_cdata_over_limit(FILE *f, const char *dir)
{
    (void)dir;
    fputs(CASE_HEAD "<failure><![CDATA[", f);
    hostile_fill(f, 'x', 10000001);
    fputs("]]></failure>" CASE_TAIL, f);
}

/* The longest message tested: a 9 MB attribute, a blank line, 10 MB of text. */
static void gen_longest_message(FILE *f, const char *dir)
{
    (void)dir;
    fputs(CASE_HEAD "<failure message=\"", f);
    hostile_fill(f, 'm', 9000000);
    fputs("\">", f);
    hostile_fill(f, 't', 10000000);
    fputs("</failure>" CASE_TAIL, f);
}

#define FIXTURE(name, dir, error, n) {name, dir "/" name, NULL, error, n, -1}
#define GENERATED(name, fn, error, n, len) {name, NULL, fn, error, n, len}
#define DOCTYPE "doctype not allowed in a junit report"

const struct hostile_case hostile_cases[] = {
    FIXTURE("not_xml.xml", "junit/bad", "1:1: start tag expected, '<' not found", 0),
    FIXTURE("empty.xml", "junit/bad", "1:1: document is empty", 0),
    FIXTURE("truncated.xml", "junit/bad", "5:50: premature end of data in tag failure line 5",
            1),
    FIXTURE("invalid_utf8.xml", "junit/bad",
            "3:39: input is not proper utf-8 and declares no other encoding", 0),
    FIXTURE("undeclared_entity.xml", "junit/bad", "4:45: entity 'undeclared' not defined", 0),
    FIXTURE("entity_bomb.xml", "junit/bad", "2:21: " DOCTYPE, 0),
    FIXTURE("external_entity.xml", "junit/bad", "2:21: " DOCTYPE, 0),
    FIXTURE("external_dtd.xml", "junit/bad", "2:62: " DOCTYPE, 0),
    FIXTURE("wrong_root.xml", "junit/bad", "2:9: not a junit report: root element is <nothing>",
            0),
    FIXTURE("mismatched_tag.xml", "junit/bad",
            "5:16: opening and ending tag mismatch: testsuite line 3 and testsuites", 1),
    FIXTURE("trailing_garbage.xml", "junit/bad", "5:1: extra content at the end of the document",
            1),
    FIXTURE("bad_encoding_eucjp.xml", "hostile",
            "1:38: input conversion failed due to input error, bytes 0xFF 0xFF 0x62 0x22", 0),
    FIXTURE("bad_utf16_surrogate.xml", "hostile",
            "1:1: input conversion failed due to input error, bytes 0x00 0xD8 0x41 0x00", 0),
    FIXTURE("unknown_encoding.xml", "hostile", "1:50: unsupported encoding x-no-such-encoding",
            0),
    FIXTURE("nul_byte.xml", "hostile", "3:36: char 0x0 out of allowed range", 0),
    FIXTURE("nul_char_ref.xml", "hostile", "3:55: xmlParseCharRef: invalid xmlChar value 0", 0),
    FIXTURE("parameter_entity.xml", "hostile", "2:21: " DOCTYPE, 0),
    {"xinclude.xml", "hostile/xinclude.xml", NULL, NULL, 1, 8},   /* never processed */
    {"stylesheet_pi.xml", "hostile/stylesheet_pi.xml", NULL, NULL, 1, -1},
    GENERATED("laughs.xml", gen_laughs, "2:21: " DOCTYPE, 0, 0),
    GENERATED("quadratic.xml", gen_quadratic, "1:21: " DOCTYPE, 0, 0),
    GENERATED("xxe_absolute.xml", gen_xxe_absolute, "1:21: " DOCTYPE, 0, 0),
    GENERATED("deep257.xml", gen_deep257, NULL, 1, -1),
    GENERATED("deep258.xml", gen_deep258, "1:2828: excessive depth in document: 256", 0, 0),
    GENERATED("cases200.xml", gen_cases200, NULL, 200, -1),
    GENERATED("attr12mb.xml", gen_attr12mb, "1:10000064: attValue length too long", 0, 0),
    GENERATED("name12mb.xml", gen_name12mb, "1:10000029: attValue length too long", 0, 0),
    GENERATED("attr10mb.xml", gen_attr10mb, "1:10000002: tag longer than 10000000 bytes", 0, 0),
    GENERATED("attr9mb.xml", gen_attr9mb, NULL, 1, 9000000),
    GENERATED("element_name.xml", gen_element_name, "1:60013: name too long: NCName", 0, 0),
    GENERATED("text_at_limit.xml", gen_text_at_limit, NULL, 1, 10000000),
    GENERATED("text_over_limit.xml", gen_text_over_limit,
              "1:10000055: failure message longer than 10000000 bytes", 0, 0),
    GENERATED("text_lines.xml", gen_text_lines,
              "100004:1: failure message longer than 10000000 bytes", 0, 0),
    GENERATED("cdata_over_limit.xml", gen_cdata_over_limit,
              "1:10000066: cdata section longer than 10000000 bytes", 0, 0),
    GENERATED("longest_message.xml", gen_longest_message, NULL, 1, 19000002),
};
const size_t hostile_case_count = sizeof hostile_cases / sizeof hostile_cases[0];

void hostile_write(const struct hostile_case *c, const char *dir, char *out, size_t outlen)
{
    char secret[4200];
    snprintf(secret, sizeof secret, "%s/secret.txt", dir);
    assert_int_equal(write_whole_file(secret, HOSTILE_SECRET "\n",
                                      strlen(HOSTILE_SECRET) + 1), 0);
    snprintf(out, outlen, "%s/%s", dir, c->name);
    if (c->fixture) {
        char from[4200];
        size_t len;
        snprintf(from, sizeof from, "%s/%s", IB_FIXTURES_DIR, c->fixture);
        char *data = read_whole_file(from, &len);
        assert_non_null(data);
        assert_int_equal(write_whole_file(out, data, len), 0);
        free(data);
        return;
    }
    FILE *f = fopen(out, "wb");
    assert_non_null(f);
    c->generate(f, dir);
    assert_int_equal(fclose(f), 0);
}
