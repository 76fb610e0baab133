/*
 * The child half of a vfork-style spawn. It runs on its own small stack but
 * in the parent's memory, while the parent thread waits in clone(); other
 * threads of node keep running. So: no malloc, no locks, no glibc wrappers
 * that talk to other threads (setuid & co. broadcast to all threads of the
 * process in glibc, hence the raw syscalls), and signal handlers are reset
 * before the mask is opened, so node's handlers never run in here.
 * Order as in supervisord's child: session, fds, privileges, chdir, umask, exec.
 */
#define _GNU_SOURCE
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static size_t text_length(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

/* Append s to buf (capacity cap, always NUL-terminated); returns the new length. */
static size_t append(char *buf, size_t len, size_t cap, const char *s) {
  while (*s && len + 1 < cap) buf[len++] = *s++;
  buf[len] = '\0';
  return len;
}

static size_t append_number(char *buf, size_t len, size_t cap, unsigned long value) {
  char digits[24];
  size_t n = 0;
  do {
    digits[n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value && n < sizeof digits);
  while (n && len + 1 < cap) buf[len++] = digits[--n];
  buf[len] = '\0';
  return len;
}

static size_t append_errno_name(char *buf, size_t len, size_t cap, int err) {
  /* A lookup in a constant table: safe here. */
  const char *name = strerrorname_np(err);
  return name ? append(buf, len, cap, name) : append_number(buf, len, cap, (unsigned long)err);
}

static void write_all(int fd, const char *text) {
  size_t left = text_length(text);
  while (left > 0) {
    ssize_t n = write(fd, text, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text += n;
    left -= (size_t)n;
  }
}

/* supervisord's last words of a child that could not exec; fd 2 is the stderr pipe by now. */
static void give_up(struct child_plan *plan, int stage, int err, const char *first_line) {
  plan->failed_errno = err;
  plan->failed_stage = stage;
  if (first_line) write_all(2, first_line);
  write_all(2, "supervisor: child process was not spawned\n");
  _exit(127);
}

/*
 * Handlers become SIG_DFL (they are node's code, in memory the exec drops);
 * ignored signals stay ignored, as exec itself would keep them and as
 * supervisord's children see them (Python, like node, ignores SIGPIPE and
 * SIGXFSZ). The mask the parent set around clone() is cleared last.
 */
static void reset_signals(void) {
  struct sigaction dfl, old;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    if (sigaction(sig, &dfl, &old) < 0) continue; /* glibc's reserved signals */
    if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN) sigaction(sig, &old, NULL);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

static int move_fd(int from, int to) {
  if (from == to) return fcntl(to, F_SETFD, 0); /* keep it across exec */
  return dup2(from, to) < 0 ? -1 : 0;
}

int child_main(void *arg) {
  struct child_plan *plan = arg;
  char line[4096];
  size_t n;

  reset_signals();

  if (plan->session == SESSION_NEW) setsid();
  else if (plan->session == SESSION_GROUP) setpgid(0, 0);

  if (move_fd(plan->stdin_fd, 0) < 0 || move_fd(plan->stdout_fd, 1) < 0 || move_fd(plan->stderr_fd, 2) < 0) {
    give_up(plan, STAGE_EXEC, errno, NULL);
  }
  /* supervisord closes every other fd; marking them close-on-exec does that at exec. */
  syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);

  if (plan->set_ids) {
    if (syscall(SYS_setgroups, plan->ngroups, plan->groups) < 0) {
      give_up(plan, STAGE_SETUID, errno, NULL);
    }
    if (syscall(SYS_setgid, plan->gid) < 0) give_up(plan, STAGE_SETUID, errno, NULL);
    if (syscall(SYS_setuid, plan->uid) < 0) give_up(plan, STAGE_SETUID, errno, NULL);
  }

  if (plan->cwd && chdir(plan->cwd) < 0) {
    int err = errno;
    n = append(line, 0, sizeof line, "supervisor: couldn't chdir to ");
    n = append(line, n, sizeof line, plan->cwd);
    n = append(line, n, sizeof line, ": ");
    n = append_errno_name(line, n, sizeof line, err);
    append(line, n, sizeof line, "\n");
    give_up(plan, STAGE_CHDIR, err, line);
  }

  if (plan->set_umask) umask(plan->umask);

  execve(plan->file, plan->argv, plan->envp);

  int err = errno;
  n = append(line, 0, sizeof line, "supervisor: couldn't exec ");
  n = append(line, n, sizeof line, plan->argv[0] ? plan->argv[0] : plan->file);
  n = append(line, n, sizeof line, ": ");
  n = append_errno_name(line, n, sizeof line, err);
  append(line, n, sizeof line, "\n");
  give_up(plan, STAGE_EXEC, err, line);
  return 127;
}
