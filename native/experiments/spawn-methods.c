/*
 * How fast can one process start N children?  Compares fork+exec,
 * posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK)) and a raw
 * clone(CLONE_VM|CLONE_VFORK), optionally from a parent that holds a large
 * touched heap (node's ~50 MB), and from 1 or 2 threads at once.
 *
 *   cc -O2 -pthread spawn-methods.c -o /tmp/spawn-methods
 *   /tmp/spawn-methods METHOD N HEAP_MB THREADS
 *   METHOD: fork | posix_spawn | clone_vfork | clone_novfork
 *   clone_novfork: CLONE_VM without CLONE_VFORK, one stack per child: the
 *   parent does not wait for the exec (as supervisord's fork() does not).
 *   Only an experiment: the child would share memory and errno with a
 *   running parent.
 *   BOOST=-10 in the environment: spawner threads run at that nice value
 *   (root only) and each child resets itself to nice 0 before exec.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static char *child_argv[] = {"sleep", "1000", NULL};
static const char *program = "/bin/sleep"; /* PROGRAM in the environment overrides */
static const char *method;
static int per_thread;
static pid_t *pids;
static int boost;

static int exec_child(void *arg) {
  (void)arg;
  if (boost) setpriority(PRIO_PROCESS, 0, 0);
  setsid();
  execve(program, child_argv, environ);
  _exit(127);
}

static pid_t spawn_one(void) {
  pid_t pid = -1;
  if (strcmp(method, "fork") == 0) {
    pid = fork();
    if (pid == 0) exec_child(NULL);
  } else if (strcmp(method, "posix_spawn") == 0) {
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
    if (posix_spawn(&pid, program, NULL, &attr, child_argv, environ) != 0) pid = -1;
    posix_spawnattr_destroy(&attr);
  } else if (strcmp(method, "clone_novfork") == 0) {
    char *stack = malloc(64 * 1024); /* kept: the child may still run on it */
    pid = clone(exec_child, stack + 64 * 1024, CLONE_VM | SIGCHLD, NULL);
  } else {
    static __thread char *stack;
    if (!stack) stack = malloc(64 * 1024);
    pid = clone(exec_child, stack + 64 * 1024, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
  }
  return pid;
}

static void *worker(void *arg) {
  pid_t *out = arg;
  if (boost) setpriority(PRIO_PROCESS, 0, boost); /* this thread only, on Linux */
  for (int i = 0; i < per_thread; i++) out[i] = spawn_one();
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 5) { fprintf(stderr, "usage: METHOD N HEAP_MB THREADS\n"); return 2; }
  method = argv[1];
  if (getenv("PROGRAM")) program = getenv("PROGRAM");
  if (getenv("BOOST")) boost = atoi(getenv("BOOST"));
  int n = atoi(argv[2]), heap_mb = atoi(argv[3]), threads = atoi(argv[4]);
  size_t heap = (size_t)heap_mb << 20;
  char *ballast = heap ? malloc(heap) : NULL;
  if (ballast) memset(ballast, 1, heap);  /* touched pages: fork must copy their page tables */
  pids = calloc(n, sizeof *pids);
  per_thread = n / threads;

  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pthread_t tids[8];
  for (int t = 0; t < threads; t++) pthread_create(&tids[t], NULL, worker, pids + t * per_thread);
  for (int t = 0; t < threads; t++) pthread_join(tids[t], NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);

  double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
  int spawned = per_thread * threads;
  printf("%s%-12s heap=%3dMB threads=%d n=%d total=%.0f ms  %.2f ms/spawn\n", boost ? "boosted " : "", method, heap_mb, threads, spawned, ms, ms / spawned);
  for (int i = 0; i < spawned; i++) if (pids[i] > 0) kill(pids[i], SIGKILL);
  for (int i = 0; i < spawned; i++) if (pids[i] > 0) waitpid(pids[i], NULL, 0);
  (void)ballast[0];
  return 0;
}
