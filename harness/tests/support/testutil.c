/* testutil.c: process, file and directory helpers for the tests. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sha256.h"

static char *slurp_and_unlink(const char *path)
{
    char *s = read_whole_file(path, NULL);
    unlink(path);
    return s ? s : strdup("");
}

void run_cmd(struct cmd_result *res, const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);

    char *dir = tmpdir_make();
    char outp[4096], errp[4096];
    snprintf(outp, sizeof outp, "%s/out", dir);
    snprintf(errp, sizeof errp, "%s/err", dir);
    size_t linelen = strlen(cmd) + strlen(outp) + strlen(errp) + 32;
    char *line = malloc(linelen);
    assert_non_null(line);
    snprintf(line, linelen, "( %s ) >'%s' 2>'%s' </dev/null", cmd, outp, errp);
    int st = system(line);
    free(line);
    res->exit_code = (st != -1 && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
    res->out = slurp_and_unlink(outp);
    res->err = slurp_and_unlink(errp);
    rmdir(dir);
    free(dir);
}

void cmd_result_free(struct cmd_result *res)
{
    free(res->out);
    free(res->err);
    res->out = res->err = NULL;
}

char *tmpdir_make(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/ibtest.XXXXXX", base && *base ? base : "/tmp");
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    return strdup(dir);
}

void tmpdir_remove(char *dir)
{
    if (!dir)
        return;
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", dir);
    free(dir);
}

char *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int write_whole_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t put = fwrite(data, 1, len, f);
    return (fclose(f) == 0 && put == len) ? 0 : -1;
}

const char *shared_dir_or_skip(const char *what)
{
    struct stat sb;
    if (stat(IB_SHARED_DIR "/corpus", &sb) == 0 && S_ISDIR(sb.st_mode))
        return IB_SHARED_DIR;
    printf("skipped: %s needs %s, which is absent\n", what, IB_SHARED_DIR);
    return NULL;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

void digest_dir(const char *dir, char out[65])
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name);
    assert_true(n >= 0);
    struct sha256 h;
    sha256_init(&h);
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            size_t len;
            char *data = read_whole_file(path, &len);
            assert_non_null(data);
            sha256_update(&h, names[i]->d_name, strlen(names[i]->d_name) + 1);
            sha256_update(&h, data, len);
            free(data);
        }
        free(names[i]);
    }
    free(names);
    sha256_hex(&h, out);
}
