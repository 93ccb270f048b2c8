/* environment.c: the machine, build and database facts of a results file, read
 * from /proc, uname, the libraries themselves and git. Every reader here falls
 * back to "unknown" rather than failing: a missing fact must not cost a run. */
#include "environment.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libxml/xmlversion.h>
#include <libxml/parser.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef IB_COMPILER
#define IB_COMPILER "unknown"
#endif
#ifndef IB_CFLAGS
#define IB_CFLAGS ""
#endif
#ifndef IB_SOURCE_DIR
#define IB_SOURCE_DIR ""
#endif

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    size_t lead = strspn(s, " \t");
    memmove(s, s + lead, n - lead + 1);
}

/* The value of the first line of path starting with key and then sep. */
static int read_keyed(const char *path, const char *key, char sep, char *out, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[512];
    size_t klen = strlen(key);
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen))
            continue;
        char *p = line + klen;
        p += strspn(p, " \t");
        if (*p != sep)
            continue;
        snprintf(out, len, "%s", p + 1);
        trim(out);
        found = out[0] != '\0';
    }
    fclose(f);
    return found;
}

static void cpu_model(char *out, size_t len)
{
    static const char *const keys[] = {"model name", "Hardware", "cpu model", "Processor"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (read_keyed("/proc/cpuinfo", keys[i], ':', out, len))
            return;
    snprintf(out, len, "unknown");
}

static void os_name(char *out, size_t len, const struct utsname *u)
{
    char v[256];
    if (read_keyed("/etc/os-release", "PRETTY_NAME", '=', v, sizeof v)) {
        size_t n = strlen(v);
        if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
            v[n - 1] = '\0';
            memmove(v, v + 1, n - 1);
        }
        snprintf(out, len, "%s", v);
    } else {
        snprintf(out, len, "%s", u ? u->sysname : "unknown");
    }
}

/* /proc/mounts writes space, tab, newline and backslash as \ooo. */
static void unescape_mount(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
            r[3] >= '0' && r[3] <= '7') {
            *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
            r += 3;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

static int under_mount(const char *path, const char *mnt)
{
    size_t n = strlen(mnt);
    if (!strcmp(mnt, "/"))
        return 1;
    return !strncmp(path, mnt, n) && (path[n] == '/' || path[n] == '\0');
}

/* The type of the mount with the longest mount point above dir (or above its
 * nearest existing parent, when dir does not exist yet). */
static void filesystem_of(const char *dir, char *out, size_t len)
{
    char probe[PATH_MAX], real[PATH_MAX];
    snprintf(out, len, "unknown");
    snprintf(probe, sizeof probe, "%s", dir && *dir ? dir : ".");
    while (!realpath(probe, real)) {
        char *slash = strrchr(probe, '/');
        if (!slash)
            snprintf(probe, sizeof probe, ".");
        else if (slash == probe)
            probe[1] = '\0';
        else
            *slash = '\0';
        if (!strcmp(probe, ".") && !realpath(probe, real))
            return;
    }
    FILE *f = fopen("/proc/self/mounts", "r");
    if (!f)
        return;
    char line[4096], dev[1024], mnt[PATH_MAX], type[32];
    size_t best = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%1023s %4095s %31s", dev, mnt, type) != 3)
            continue;
        unescape_mount(mnt);
        if (under_mount(real, mnt) && strlen(mnt) >= best) {
            best = strlen(mnt);
            snprintf(out, len, "%s", type);
        }
    }
    fclose(f);
}

/* Runs git with args in dir; its first line of output in out (may be empty).
 * Returns git's exit status, or -1 when it could not run. */
static int run_git(const char *dir, const char *const *args, char *out, size_t len)
{
    int fds[2];
    out[0] = '\0';
    if (pipe(fds))
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        char *argv[16] = {"git", "-C", (char *)dir};
        int k = 3;
        for (int i = 0; args[i] && k < 15; i++)
            argv[k++] = (char *)args[i];
        argv[k] = NULL;
        int devnull = open("/dev/null", O_RDWR);
        dup2(fds[1], 1);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 2);
        }
        close(fds[0]);
        /* A status must not take the index lock from a git the user runs. */
        setenv("GIT_OPTIONAL_LOCKS", "0", 1);
        execvp("git", argv);
        _exit(127);
    }
    close(fds[1]);
    size_t got = 0;
    ssize_t n;
    char buf[256];
    while ((n = read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        for (ssize_t i = 0; i < n; i++)
            if (got + 1 < len)
                out[got++] = buf[i];
    out[got] = '\0';
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    out[strcspn(out, "\n")] = '\0';
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void environment_git(const char *dir, char *commit, size_t len, int *dirty)
{
    static const char *const head[] = {"rev-parse", "--verify", "HEAD", NULL};
    static const char *const status[] = {"status", "--porcelain", "--untracked-files=no",
                                         NULL};
    char line[256];
    commit[0] = '\0';
    *dirty = -1;
    if (!dir || !*dir || run_git(dir, head, line, sizeof line) != 0 ||
        strspn(line, "0123456789abcdef") < 40)
        return;
    snprintf(commit, len, "%s", line);
    if (run_git(dir, status, line, sizeof line) == 0)
        *dirty = line[0] != '\0';
}

static void libxml2_version(char *out, size_t len)
{
    /* xmlParserVersion is the run-time library's, e.g. "20914" for 2.9.14. */
    long v = strtol(xmlParserVersion, NULL, 10);
    snprintf(out, len, "%ld.%ld.%ld", v / 10000, v / 100 % 100, v % 100);
}

void environment_collect(struct ib_environment *env, const char *results_dir)
{
    memset(env, 0, sizeof *env);
    cpu_model(env->cpu_model, sizeof env->cpu_model);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    env->cores = cores > 0 && cores < INT_MAX ? (int)cores : 0;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    env->memory_bytes = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
    struct utsname u;
    int have_uname = uname(&u) == 0;
    os_name(env->os, sizeof env->os, have_uname ? &u : NULL);
    if (have_uname)
        snprintf(env->kernel, sizeof env->kernel, "%.40s %.40s %.40s", u.sysname, u.release,
                 u.machine);
    else
        snprintf(env->kernel, sizeof env->kernel, "unknown");
    filesystem_of(results_dir, env->filesystem, sizeof env->filesystem);
    snprintf(env->compiler, sizeof env->compiler, "%s", IB_COMPILER);
    snprintf(env->cflags, sizeof env->cflags, "%s", IB_CFLAGS);
#ifdef __OPTIMIZE__
    env->optimized = 1;
#endif
#if defined(__SANITIZE_ADDRESS__)
    env->sanitized = 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    env->sanitized = 1;
#endif
#endif
    snprintf(env->sqlite_version, sizeof env->sqlite_version, "%s", sqlite3_libversion());
    libxml2_version(env->libxml2_version, sizeof env->libxml2_version);
    snprintf(env->jansson_version, sizeof env->jansson_version, "%s", jansson_version_str());
    environment_git(IB_SOURCE_DIR, env->git_commit, sizeof env->git_commit, &env->git_dirty);
}

static int pragma(sqlite3 *db, const char *sql, char *text, size_t len, int64_t *num,
                  struct ib_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return ib_fail(err, IB_ERR, "%s: %s", sql, sqlite3_errmsg(db));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (text)
            snprintf(text, len, "%s", (const char *)sqlite3_column_text(st, 0));
        if (num)
            *num = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return ib_fail(err, IB_ERR, "%s: %s", sql, sqlite3_errmsg(db));
    return IB_OK;
}

int environment_read_sqlite(struct sqlite3 *db, struct env_sqlite_settings *out,
                            struct ib_error *err)
{
    static const char *const sync_names[] = {"off", "normal", "full", "extra"};
    int64_t sync;
    memset(out, 0, sizeof *out);
    if (pragma(db, "PRAGMA journal_mode", out->journal_mode, sizeof out->journal_mode, NULL,
               err) ||
        pragma(db, "PRAGMA synchronous", NULL, 0, &sync, err) ||
        pragma(db, "PRAGMA page_size", NULL, 0, &out->page_size, err) ||
        pragma(db, "PRAGMA cache_size", NULL, 0, &out->cache_size, err))
        return IB_ERR;
    if (sync >= 0 && sync < 4)
        snprintf(out->synchronous, sizeof out->synchronous, "%s", sync_names[sync]);
    else
        snprintf(out->synchronous, sizeof out->synchronous, "%lld", (long long)sync);
    return IB_OK;
}
