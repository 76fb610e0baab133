/*
 * Experiment: a long-lived tiny spawner process. For each line "spawn" read
 * on stdin it makes three pipes, posix_spawns `sleep 1000` in a new session
 * and answers "<pid>\n". The pipes are closed again: handing them to node
 * would need SCM_RIGHTS, which node cannot receive without an addon, so this
 * measures the helper's best case.
 *
 *   cc -O2 spawner-helper.c -o /tmp/spawner-helper
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(void) {
  signal(SIGCHLD, SIG_IGN); /* reap automatically: the experiment kills its children by pid */
  char line[64];
  char *argv[] = {"sleep", "1000", NULL};
  const char *program = getenv("PROGRAM") ? getenv("PROGRAM") : "/bin/sleep";
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "spawn", 5) != 0) continue;
    int fds[6];
    for (int i = 0; i < 3; i++) pipe2(fds + 2 * i, O_CLOEXEC);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
    posix_spawn_file_actions_adddup2(&actions, fds[3], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[5], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    pid_t pid = -1;
    if (posix_spawn(&pid, program, &actions, &attr, argv, environ) != 0) pid = -1;
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    for (int i = 0; i < 6; i++) close(fds[i]);
    printf("%d\n", (int)pid);
  }
  return 0;
}
