/* report_html.c: the report as one self-contained HTML file. It is written as
 * polyglot HTML5, well-formed XML as well as HTML (so that `xmllint --noout`
 * checks it): every element closed, every text escaped, the plots' SVG inlined
 * with its ids made unique per plot, nothing fetched from anywhere. */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
    "margin:2em auto;max-width:1180px;padding:0 1em;color:#1d1d1f;line-height:1.45}"
    "h1{font-size:1.7em;margin-bottom:.2em}"
    "h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #ccc;padding-bottom:.2em}"
    "h3{font-size:1.05em;margin-top:1.4em}"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.9em}"
    "th,td{border:1px solid #d0d0d0;padding:.25em .6em;vertical-align:top}"
    "th{background:#f2f2f2;text-align:left}"
    "td.r{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "tr:nth-child(even) td{background:#fafafa}"
    ".good{color:#0a6b2d;font-weight:600}"
    ".bad{color:#b00020;font-weight:600}"
    ".warn{color:#8a5a00}"
    "p.warn,p.bad,p.good{padding:.4em .7em;border-left:4px solid currentColor;background:#fbfbf6}"
    "nav p{font-size:.9em;color:#444}"
    "a{color:#0b57d0;text-decoration:none}"
    "figure{margin:1em 0}"
    "figure svg{max-width:100%;height:auto;border:1px solid #e4e4e4}"
    "figcaption{font-size:.85em;color:#555}"
    "p.missing{color:#8a5a00;font-style:italic}";

/* The length of the valid UTF-8 sequence at p that XML 1.0 allows, or 0. */
static size_t utf8_char(const unsigned char *p)
{
    if (p[0] < 0x80)
        return p[0] >= 0x20 || p[0] == '\t' || p[0] == '\n' ? 1 : 0;
    size_t n = p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
             : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
        (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
        return 0; /* overlong, a surrogate, or past U+10FFFF */
    if (p[0] == 0xef && p[1] == 0xbf && p[2] >= 0xbe)
        return 0; /* U+FFFE, U+FFFF */
    return n;
}

/* Text as XML character data: markup escaped, and whatever XML 1.0 does not
 * allow (controls, invalid UTF-8) replaced by U+FFFD. */
static void put_text(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_char(p);
        if (n == 0) {
            fputs("\xef\xbf\xbd", f);
            p++;
            continue;
        }
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fwrite(p, 1, n, f);
        }
        p += n;
    }
}

static void put_element(FILE *f, const char *tag, const char *cls, const char *text)
{
    if (cls)
        fprintf(f, "<%s class=\"%s\">", tag, cls);
    else
        fprintf(f, "<%s>", tag);
    put_text(f, text);
    fprintf(f, "</%s>\n", tag);
}

static const char *tone_class(int tone)
{
    switch (tone) {
    case TONE_GOOD: return "good";
    case TONE_BAD: return "bad";
    case TONE_WARN: return "warn";
    default: return NULL;
    }
}

static void render_table(FILE *f, const struct rtable *t)
{
    int any_head = 0;
    for (int i = 0; i < t->ncols; i++)
        any_head |= t->head[i][0] != '\0';
    fputs("<table>\n", f);
    if (any_head) {
        fputs("<thead><tr>", f);
        for (int i = 0; i < t->ncols; i++)
            put_element(f, "th", NULL, t->head[i]);
        fputs("</tr></thead>\n", f);
    }
    fputs("<tbody>\n", f);
    for (size_t i = 0; i < t->ncells; i++) {
        int col = (int)(i % (size_t)t->ncols);
        if (col == 0)
            fputs("<tr>", f);
        const char *tone = tone_class(t->tones[i]);
        char cls[32];
        snprintf(cls, sizeof cls, "%s%s%s", t->align[col] == 'r' ? "r" : "",
                 t->align[col] == 'r' && tone ? " " : "", tone ? tone : "");
        put_element(f, "td", cls[0] ? cls : NULL, t->cells[i]);
        if (col == t->ncols - 1 || i + 1 == t->ncells)
            fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* A list of links to the sections (h2), each of which gets the id "sN". */
static void render_contents(FILE *f, const struct rdoc *d)
{
    fputs("<nav><p>Contents:", f);
    int n = 0;
    for (size_t i = 0; i < d->count; i++) {
        const struct rblock *b = &d->blocks[i];
        if (b->kind != RB_HEADING || b->level != 2)
            continue;
        fprintf(f, "%s <a href=\"#s%d\">", n ? " ·" : "", n);
        put_text(f, b->text);
        fputs("</a>", f);
        n++;
    }
    fputs("</p></nav>\n", f);
}

static void render_plot(FILE *f, const struct rplot *p, int index)
{
    if (!p->svg_path[0]) {
        fputs("<p class=\"missing\">", f);
        put_text(f, "Plot not drawn: ");
        put_text(f, p->title);
        put_text(f, ": ");
        put_text(f, p->missing);
        fputs(".</p>\n", f);
        return;
    }
    char prefix[32];
    snprintf(prefix, sizeof prefix, "p%d-", index);
    char *svg = report_plot_inline_svg(p->svg_path, prefix);
    fputs("<figure>\n", f);
    if (svg)
        fputs(svg, f);
    else
        put_element(f, "p", "missing", "Plot not drawn: its SVG could not be read again.");
    put_element(f, "figcaption", NULL, p->caption[0] ? p->caption : p->title);
    fputs("</figure>\n", f);
    free(svg);
}

int report_render_html(FILE *f, const struct rdoc *d, const char *title)
{
    fputs("<!DOCTYPE html>\n"
          "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">\n"
          "<head>\n<meta charset=\"utf-8\"/>\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n", f);
    put_element(f, "title", NULL, title);
    fprintf(f, "<style>%s</style>\n</head>\n<body>\n", css);
    int plots = 0, sections = 0;
    for (size_t i = 0; i < d->count; i++) {
        const struct rblock *b = &d->blocks[i];
        switch (b->kind) {
        case RB_HEADING:
            if (b->level == 2) {
                if (!sections)
                    render_contents(f, d);
                fprintf(f, "<h2 id=\"s%d\">", sections++);
                put_text(f, b->text);
                fputs("</h2>\n", f);
            } else {
                put_element(f, b->level <= 1 ? "h1" : "h3", NULL, b->text);
            }
            break;
        case RB_PARA:
            if (b->text)
                put_element(f, "p", tone_class(b->tone), b->text);
            break;
        case RB_TABLE:
            render_table(f, b->table);
            break;
        case RB_PLOT:
            render_plot(f, b->plot, plots++);
            break;
        }
    }
    fputs("</body>\n</html>\n", f);
    return ferror(f) ? -1 : 0;
}

/* ---- inlining gnuplot's SVG ----------------------------------------------- */

struct buf {
    char *s;
    size_t len, cap;
    int oom;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* The length of a reference pattern at p (an id attribute, or a reference to
 * one), after which the prefix goes; 0 when none starts there. */
static size_t id_pattern(const char *start, const char *p)
{
    static const char *const patterns[] = {"id='", "id=\"", "href='#", "href=\"#", "url(#"};
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        size_t n = strlen(patterns[i]);
        if (strncmp(p, patterns[i], n))
            continue;
        char before = p > start ? p[-1] : ' ';
        if (i == 4 || before == ' ' || before == '\n' || before == '\t' || before == ':')
            return n;
    }
    return 0;
}

char *report_plot_inline_svg(const char *svg_path, const char *prefix)
{
    size_t len;
    FILE *f = fopen(svg_path, "rb");
    if (!f)
        return NULL;
    struct buf in = {0}, out = {0};
    char chunk[8192];
    while ((len = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&in, chunk, len);
    fclose(f);
    const char *svg = in.s ? strstr(in.s, "<svg") : NULL;
    if (!svg || in.oom) {
        free(in.s);
        return NULL;
    }
    static const char gnuplot_title[] = "<title>Gnuplot</title>";
    for (const char *p = svg; *p;) {
        size_t n = id_pattern(svg, p);
        if (n) {
            buf_add(&out, p, n);
            buf_add(&out, prefix, strlen(prefix));
            p += n;
        } else if (!strncmp(p, gnuplot_title, sizeof gnuplot_title - 1)) {
            p += sizeof gnuplot_title - 1; /* a tooltip saying "Gnuplot" everywhere */
        } else {
            buf_add(&out, p, 1);
            p++;
        }
    }
    buf_add(&out, "\n", 1);
    free(in.s);
    if (out.oom) {
        free(out.s);
        return NULL;
    }
    return out.s;
}
