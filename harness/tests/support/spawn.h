/* spawn.h: programs started in the background, for tests that race or kill
 * them: fork and exec with stdout and stderr sent to files, and a bounded wait. */
#ifndef IB_SPAWN_H
#define IB_SPAWN_H

#include <sys/types.h>

struct spawned {
    pid_t pid;
    char out[4200], err[4200];   /* where its stdout and stderr go */
};

/* Starts argv[0] with argv (NULL-terminated); output files under dir, named
 * after tag. Fails the test when the program cannot be started. */
void spawn_start(struct spawned *p, const char *dir, const char *tag, char *const argv[]);

/* Waits at most timeout_ms; past that the process is killed and the test fails.
 * Returns the exit code, or 128 + the signal that ended it. */
int spawn_wait(struct spawned *p, int timeout_ms);

/* Its captured stderr (malloc'd). */
char *spawn_stderr(const struct spawned *p);

/* Monotonic seconds, for spreading kills over an import's duration. */
double spawn_now(void);
void spawn_sleep(double seconds);

#endif
