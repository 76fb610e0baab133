/*
 * Where does a vfork-style spawn spend its time? Times N clone(CLONE_VM|
 * CLONE_VFORK) children that (a) _exit at once, (b) execve a missing file,
 * (c) execve a static do-nothing binary, (d) execve /bin/sleep (dynamic),
 * and reports the parent's and the children's CPU time.
 *
 *   cc -O2 spawn-stages.c -o /tmp/spawn-stages && /tmp/spawn-stages 100
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static const char *target;
static char *argv_sleep[] = {"sleep", "1000", NULL};

static int child(void *arg) {
  (void)arg;
  if (target) execve(target, argv_sleep, environ);
  _exit(127);
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double cpu_ms(int who) {
  struct rusage u;
  getrusage(who, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

/* CPU time of a live child in ms, from /proc/<pid>/schedstat (ns on the CPU). */
static double live_cpu_ms(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  unsigned long long ns = 0;
  if (fscanf(f, "%llu", &ns) != 1) ns = 0;
  fclose(f);
  return ns / 1e6;
}

static void run(const char *label, const char *file, int n) {
  static char stack[64 * 1024] __attribute__((aligned(16)));
  pid_t *pids = calloc(n, sizeof *pids);
  target = file;
  double self0 = cpu_ms(RUSAGE_SELF), kids0 = cpu_ms(RUSAGE_CHILDREN), t0 = now_ms();
  for (int i = 0; i < n; i++) pids[i] = clone(child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
  double wall = now_ms() - t0, self = cpu_ms(RUSAGE_SELF) - self0;
  usleep(200 * 1000); /* let the children finish starting before they are killed */
  double started = 0;
  for (int i = 0; i < n; i++) started += live_cpu_ms(pids[i]);
  for (int i = 0; i < n; i++) kill(pids[i], SIGKILL);
  for (int i = 0; i < n; i++) waitpid(pids[i], NULL, 0);
  double kids = cpu_ms(RUSAGE_CHILDREN) - kids0;
  printf("%-22s wall %.2f ms/spawn  parent cpu %.2f  child cpu to start %.2f, in all %.2f ms/child\n", label, wall / n,
         self / n, started / n, kids / n);
  free(pids);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100;
  const char *tiny = argc > 2 ? argv[2] : NULL;
  run("_exit at once", NULL, n);
  run("execve missing file", "/nonexistent/x", n);
  if (tiny) run("execve static tiny", tiny, n);
  run("execve /bin/sleep", "/bin/sleep", n);
  return 0;
}
