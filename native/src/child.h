#ifndef FLEETVISOR_CHILD_H
#define FLEETVISOR_CHILD_H

#include <sys/types.h>

enum session_mode { SESSION_NONE = 0, SESSION_NEW = 1, SESSION_GROUP = 2 };

/* Where the child stopped short of exec; reported back through shared memory. */
enum child_stage { STAGE_NONE = 0, STAGE_SETUID = 1, STAGE_CHDIR = 2, STAGE_EXEC = 3 };

/*
 * Everything the child needs, prepared by the parent before clone(). The child
 * shares the parent's memory (CLONE_VM) and only reads this, except for the
 * two failure fields, which the parent reads once clone() has returned.
 */
struct child_plan {
  const char *file;
  char *const *argv;
  char *const *envp;
  const char *cwd;        /* NULL: stay in the parent's directory */
  int stdin_fd;           /* child ends of the pipes; all O_CLOEXEC */
  int stdout_fd;
  int stderr_fd;          /* == stdout_fd when stderr is redirected */
  enum session_mode session;
  int set_umask;
  mode_t umask;
  int set_ids;            /* drop privileges to uid/gid with groups */
  uid_t uid;
  gid_t gid;
  size_t ngroups;
  const gid_t *groups;
  volatile int failed_stage;
  volatile int failed_errno;
};

/* The clone() entry point: only async-signal-safe calls, never returns. */
int child_main(void *plan);

#endif
