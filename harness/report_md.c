/* report_md.c: the report as GitHub-flavoured Markdown, fit for a CI job
 * summary or a pull-request comment: the same tables as the HTML, the plots
 * as links to the SVG files written next to it. */
#include <string.h>

#include "report_int.h"

/* Text with Markdown's punctuation escaped, on one line. */
static void put_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r') {
            fputc(' ', f);
            continue;
        }
        if (strchr("\\`*_[]<>|#", *s))
            fputc('\\', f);
        fputc(*s, f);
    }
}

/* A link target: the path with bytes outside a safe set percent-encoded. */
static void put_link(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("._~/-", *p))
            fputc(*p, f);
        else
            fprintf(f, "%%%02X", *p);
    }
}

static void render_table(FILE *f, const struct rtable *t)
{
    fputc('|', f);
    for (int i = 0; i < t->ncols; i++) {
        fputc(' ', f);
        put_text(f, t->head[i]);
        fputs(" |", f);
    }
    fputs("\n|", f);
    for (int i = 0; i < t->ncols; i++)
        fputs(t->align[i] == 'r' ? " ---: |" : " --- |", f);
    fputc('\n', f);
    for (size_t i = 0; i < t->ncells; i++) {
        int col = (int)(i % (size_t)t->ncols);
        int strong = t->tones[i] == TONE_GOOD || t->tones[i] == TONE_BAD;
        fputs(col == 0 ? "| " : " ", f);
        fputs(strong ? "**" : "", f);
        put_text(f, t->cells[i]);
        fputs(strong ? "** |" : " |", f);
        if (col == t->ncols - 1 || i + 1 == t->ncells)
            fputc('\n', f);
    }
    fputc('\n', f);
}

static void render_plot(FILE *f, const struct rplot *p, const char *plots_link)
{
    if (!p->svg_path[0]) {
        fputs("*Plot not drawn: ", f);
        put_text(f, p->title);
        fputs(": ", f);
        put_text(f, p->missing);
        fputs(".*\n\n", f);
        return;
    }
    fputs("![", f);
    put_text(f, p->title);
    fputs("](", f);
    put_link(f, plots_link);
    fputc('/', f);
    put_link(f, p->name);
    fputs(".svg)\n\n", f);
    if (p->caption[0]) {
        fputc('*', f);
        put_text(f, p->caption);
        fputs("*\n\n", f);
    }
}

int report_render_md(FILE *f, const struct rdoc *d, const char *plots_link)
{
    for (size_t i = 0; i < d->count; i++) {
        const struct rblock *b = &d->blocks[i];
        switch (b->kind) {
        case RB_HEADING:
            for (int k = 0; k < b->level; k++)
                fputc('#', f);
            fputc(' ', f);
            put_text(f, b->text);
            fputs("\n\n", f);
            break;
        case RB_PARA:
            if (!b->text)
                break;
            if (b->tone == TONE_WARN || b->tone == TONE_BAD)
                fputs("> ", f);
            fputs(b->tone == TONE_PLAIN ? "" : "**", f);
            put_text(f, b->text);
            fputs(b->tone == TONE_PLAIN ? "\n\n" : "**\n\n", f);
            break;
        case RB_TABLE:
            render_table(f, b->table);
            break;
        case RB_PLOT:
            render_plot(f, b->plot, plots_link);
            break;
        }
    }
    return ferror(f) ? -1 : 0;
}
