/* jobscan.h: reads a generated job directory back for the generator's tests,
 * with libxml2's tree API (independent of the harness's own reader): every
 * testcase's key, status, file and merge position, by the rules of DESIGN.md
 * and the reference document. Header-only, as the tests are one file each. */
#ifndef JOBSCAN_H
#define JOBSCAN_H

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

enum scan_status { SCAN_PASSED, SCAN_FAILED, SCAN_ERROR, SCAN_SKIPPED };

struct occurrence {
    char *key;          /* file_path \x1f class_name \x1f test_name */
    int order;          /* position in merge order */
    int status;         /* enum scan_status */
    int rerun;          /* from a re_run_ file */
    char topology[64];  /* last '_'-separated part of the file's stem */
};

struct job_scan {
    struct occurrence *occ;
    size_t n, cap;
    uint64_t main_cases, rerun_cases;
    int files, main_files, rerun_files;
};

static int scan_is_rerun(const char *name)
{
    return strncmp(name, "re_run_", 7) == 0;
}

static int scan_xml_only(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0;
}

static int scan_by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* error, then failure, then skipped; flakyFailure alone leaves a pass. */
static int scan_status_of(xmlNode *tc)
{
    int st = SCAN_PASSED;
    for (xmlNode *c = tc->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrcmp(c->name, BAD_CAST "error") == 0)
            st = SCAN_ERROR;
        else if (xmlStrcmp(c->name, BAD_CAST "failure") == 0 && st != SCAN_ERROR)
            st = SCAN_FAILED;
        else if (xmlStrcmp(c->name, BAD_CAST "skipped") == 0 && st == SCAN_PASSED)
            st = SCAN_SKIPPED;
    }
    return st;
}

static char *scan_key_of(xmlNode *tc)
{
    char *file = (char *)xmlGetProp(tc, BAD_CAST "file");
    char *cls = (char *)xmlGetProp(tc, BAD_CAST "classname");
    char *name = (char *)xmlGetProp(tc, BAD_CAST "name");
    const char *classname = cls ? cls : "";
    const char *dot = strrchr(classname, '.');
    const char *class_name = dot ? dot + 1 : classname;
    char *path = strdup(file ? file : classname);
    if (!file)
        for (char *p = path; *p; p++)
            if (*p == '.')
                *p = '/';
    size_t len = strlen(path) + strlen(class_name) + strlen(name ? name : "") + 3;
    char *key = malloc(len);
    snprintf(key, len, "%s\x1f%s\x1f%s", path, class_name, name ? name : "");
    free(path);
    xmlFree(file);
    xmlFree(cls);
    xmlFree(name);
    return key;
}

static void scan_add(struct job_scan *s, xmlNode *tc, int rerun, const char *topology)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 1024;
        s->occ = realloc(s->occ, s->cap * sizeof *s->occ);
    }
    struct occurrence *o = &s->occ[s->n];
    o->key = scan_key_of(tc);
    o->order = (int)s->n;
    o->status = scan_status_of(tc);
    o->rerun = rerun;
    snprintf(o->topology, sizeof o->topology, "%s", topology);
    s->n++;
    if (rerun)
        s->rerun_cases++;
    else
        s->main_cases++;
}

static void scan_walk(struct job_scan *s, xmlNode *node, int rerun, const char *topology)
{
    for (xmlNode *n = node; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrcmp(n->name, BAD_CAST "testcase") == 0)
            scan_add(s, n, rerun, topology);
        else
            scan_walk(s, n->children, rerun, topology);
    }
}

/* 0, or -1 if a file did not parse. */
static int scan_file(struct job_scan *s, const char *dir, const char *name)
{
    char path[4096], topology[64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    const char *last = strrchr(name, '_');
    snprintf(topology, sizeof topology, "%s", last ? last + 1 : name);
    topology[strlen(topology) - 4] = '\0';      /* ".xml" */
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    if (!doc)
        return -1;
    scan_walk(s, xmlDocGetRootElement(doc), scan_is_rerun(name), topology);
    xmlFreeDoc(doc);
    s->files++;
    if (scan_is_rerun(name))
        s->rerun_files++;
    else
        s->main_files++;
    return 0;
}

/* Main runs in name order, then reruns in name order. */
static int scan_job(struct job_scan *s, const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, scan_xml_only, scan_by_name), rc = 0;
    memset(s, 0, sizeof *s);
    if (n < 0)
        return -1;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++)
            if (scan_is_rerun(names[i]->d_name) == pass && scan_file(s, dir, names[i]->d_name))
                rc = -1;
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static void scan_free(struct job_scan *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->occ[i].key);
    free(s->occ);
    memset(s, 0, sizeof *s);
}

static int scan_by_key_then_order(const void *a, const void *b)
{
    const struct occurrence *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->order - y->order;
}

/* Sorts by key (then merge order): occurrences of one key become adjacent. */
static void scan_sort(struct job_scan *s)
{
    qsort(s->occ, s->n, sizeof *s->occ, scan_by_key_then_order);
}

#endif
