/* spawn.c: background processes for the crash and concurrency tests. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

void spawn_start(struct spawned *p, const char *dir, const char *tag, char *const argv[])
{
    snprintf(p->out, sizeof p->out, "%s/%s.out", dir, tag);
    snprintf(p->err, sizeof p->err, "%s/%s.err", dir, tag);
    fflush(NULL);
    p->pid = fork();
    assert_true(p->pid >= 0);
    if (p->pid == 0) {
        int out = open(p->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(p->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        if (out < 0 || err < 0 || in < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0 ||
            dup2(in, 0) < 0)
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
}

double spawn_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void spawn_sleep(double seconds)
{
    struct timespec ts;
    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int spawn_wait(struct spawned *p, int timeout_ms)
{
    double deadline = spawn_now() + timeout_ms / 1000.0;
    int st;
    for (;;) {
        pid_t r = waitpid(p->pid, &st, WNOHANG);
        if (r == p->pid)
            break;
        assert_true(r == 0);
        if (spawn_now() > deadline) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &st, 0);
            fail_msg("pid %d still running after %d ms: killed", (int)p->pid, timeout_ms);
        }
        spawn_sleep(0.005);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

char *spawn_stderr(const struct spawned *p)
{
    char *s = read_whole_file(p->err, NULL);
    assert_non_null(s);
    return s;
}
