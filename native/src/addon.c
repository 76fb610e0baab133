/*
 * fleetvisor_spawn: start children without copying node's page tables.
 *
 * spawn(spec, onExit) clones with CLONE_VM|CLONE_VFORK|CLONE_PIDFD (the way
 * posix_spawn does, but with the setup supervisord needs in the child), hands
 * back the parent ends of O_CLOEXEC pipes, and watches the pidfd with a
 * uv_poll_t so the exit arrives as onExit(code, signal) without SIGCHLD or
 * polling. kill(pid, signo, group) signals through the pidfd while the child
 * is unreaped, so a recycled pid is never hit.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

#include "child.h"
#include "output.h"

#define OUTPUT_PIPE_BYTES (1 << 20)

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define CHILD_STACK_SIZE (64 * 1024)
#define KERNEL_SIGSET_SIZE (_NSIG / 8)

/* One child we watch until it is reaped. */
struct watched_child {
  uv_poll_t poll;
  napi_env env;
  napi_ref on_exit;
  napi_async_context async_context;
  pid_t pid;
  int pidfd;
  struct watched_child *next;
};

/* Per node environment (main thread or a worker): its unreaped children. */
struct addon_state {
  struct watched_child *watched;
};

static struct addon_state *state_of(napi_env env) {
  void *data = NULL;
  napi_get_instance_data(env, &data);
  return data;
}

/* ---- errors ---- */

static napi_value throw_errno(napi_env env, int err, const char *syscall_name) {
  const char *code = strerrorname_np(err);
  char message[256];
  snprintf(message, sizeof message, "%s %s", syscall_name, code ? code : "EUNKNOWN");
  napi_value error, code_value, errno_value, syscall_value, message_value;
  napi_create_string_utf8(env, code ? code : "EUNKNOWN", NAPI_AUTO_LENGTH, &code_value);
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &message_value);
  napi_create_error(env, code_value, message_value, &error);
  napi_create_int32(env, -err, &errno_value);
  napi_create_string_utf8(env, syscall_name, NAPI_AUTO_LENGTH, &syscall_value);
  napi_set_named_property(env, error, "errno", errno_value);
  napi_set_named_property(env, error, "syscall", syscall_value);
  napi_throw(env, error);
  return NULL;
}

static napi_value throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
  return NULL;
}

/* ---- reading the spec ---- */

/* A property as a malloc'd UTF-8 string; NULL (and *present = 0) when absent/undefined. */
static char *read_string(napi_env env, napi_value value) {
  size_t length;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return NULL;
  char *text = malloc(length + 1);
  if (!text) return NULL;
  napi_get_value_string_utf8(env, value, text, length + 1, &length);
  return text;
}

static int property(napi_env env, napi_value object, const char *name, napi_value *out) {
  napi_valuetype type;
  if (napi_get_named_property(env, object, name, out) != napi_ok) return 0;
  napi_typeof(env, *out, &type);
  return type != napi_undefined && type != napi_null;
}

static int read_uint32(napi_env env, napi_value object, const char *name, uint32_t *out) {
  napi_value value;
  if (!property(env, object, name, &value)) return 0;
  return napi_get_value_uint32(env, value, out) == napi_ok;
}

static void free_string_array(char **items) {
  if (!items) return;
  for (char **p = items; *p; p++) free(*p);
  free(items);
}

/* A JS array of strings as a NULL-terminated char* array; NULL on a bad element. */
static char **read_string_array(napi_env env, napi_value array) {
  uint32_t count;
  if (napi_get_array_length(env, array, &count) != napi_ok) return NULL;
  char **items = calloc((size_t)count + 1, sizeof *items);
  if (!items) return NULL;
  for (uint32_t i = 0; i < count; i++) {
    napi_value element;
    napi_get_element(env, array, i, &element);
    items[i] = read_string(env, element);
    if (!items[i]) {
      free_string_array(items);
      return NULL;
    }
  }
  return items;
}

/* ---- exit watching ---- */

static void forget(struct watched_child *child) {
  for (struct watched_child **p = &state_of(child->env)->watched; *p; p = &(*p)->next) {
    if (*p == child) {
      *p = child->next;
      return;
    }
  }
}

static struct watched_child *find(napi_env env, pid_t pid) {
  for (struct watched_child *c = state_of(env)->watched; c; c = c->next) {
    if (c->pid == pid) return c;
  }
  return NULL;
}

static void on_poll_closed(uv_handle_t *handle) {
  struct watched_child *child = (struct watched_child *)handle;
  close(child->pidfd);
  free(child);
}

static void on_pidfd_ready(uv_poll_t *poll, int status, int events) {
  (void)events;
  struct watched_child *child = (struct watched_child *)poll;
  siginfo_t info;
  memset(&info, 0, sizeof info);
  if (status == 0 && syscall(SYS_waitid, P_PIDFD, child->pidfd, &info, WEXITED | WNOHANG, NULL) == 0 && info.si_pid == 0) {
    return; /* woken early: not exited yet */
  }

  napi_env env = child->env;
  forget(child);
  uv_poll_stop(poll);

  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value callback, resource, argv[2], result;
  napi_get_reference_value(env, child->on_exit, &callback);
  napi_get_global(env, &resource);
  if (info.si_code == CLD_EXITED) {
    napi_create_int32(env, info.si_status, &argv[0]);
    napi_get_null(env, &argv[1]);
  } else if (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED) {
    napi_get_null(env, &argv[0]);
    napi_create_int32(env, info.si_status, &argv[1]);
  } else {
    /* waitid failed (nothing to reap): report an unknown end rather than hang. */
    napi_get_null(env, &argv[0]);
    napi_get_null(env, &argv[1]);
  }
  if (napi_make_callback(env, child->async_context, resource, callback, 2, argv, &result) == napi_pending_exception) {
    /* A throwing exit listener is the program's bug: report it like any other uncaught exception. */
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
  napi_async_destroy(env, child->async_context);
  napi_delete_reference(env, child->on_exit);
  napi_close_handle_scope(env, scope);
  uv_close((uv_handle_t *)poll, on_poll_closed);
}

static int watch_exit(napi_env env, pid_t pid, int pidfd, napi_value on_exit) {
  uv_loop_t *loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return EINVAL;
  struct watched_child *child = calloc(1, sizeof *child);
  if (!child) return ENOMEM;
  child->env = env;
  child->pid = pid;
  child->pidfd = pidfd;
  int rc = uv_poll_init(loop, &child->poll, pidfd);
  if (rc == 0) rc = uv_poll_start(&child->poll, UV_READABLE, on_pidfd_ready);
  if (rc != 0) {
    free(child);
    return -rc;
  }
  napi_value resource_name;
  napi_create_string_utf8(env, "FleetvisorChild", NAPI_AUTO_LENGTH, &resource_name);
  napi_async_init(env, NULL, resource_name, &child->async_context);
  napi_create_reference(env, on_exit, 1, &child->on_exit);
  struct addon_state *state = state_of(env);
  child->next = state->watched;
  state->watched = child;
  return 0;
}

/* ---- spawn ---- */

struct spawn_request {
  char *file;
  char *cwd;
  char **argv;
  char **envp;
  gid_t *groups;
  struct child_plan plan;
  int merge_stderr;
};

static void free_request(struct spawn_request *req) {
  free(req->file);
  free(req->cwd);
  free_string_array(req->argv);
  free_string_array(req->envp);
  free(req->groups);
}

/* Fill req from the JS spec; returns an error message or NULL. */
static const char *read_request(napi_env env, napi_value spec, struct spawn_request *req) {
  napi_value value;
  memset(req, 0, sizeof *req);
  if (!property(env, spec, "file", &value) || !(req->file = read_string(env, value))) return "spec.file must be a string";
  if (!property(env, spec, "argv", &value) || !(req->argv = read_string_array(env, value)) || !req->argv[0]) {
    return "spec.argv must be a non-empty array of strings";
  }
  if (!property(env, spec, "env", &value) || !(req->envp = read_string_array(env, value))) {
    return "spec.env must be an array of 'NAME=value' strings";
  }
  if (property(env, spec, "cwd", &value) && !(req->cwd = read_string(env, value))) return "spec.cwd must be a string";

  struct child_plan *plan = &req->plan;
  uint32_t number;
  if (read_uint32(env, spec, "umask", &number)) {
    plan->set_umask = 1;
    plan->umask = (mode_t)number;
  }
  if (read_uint32(env, spec, "uid", &number)) {
    plan->set_ids = 1;
    plan->uid = (uid_t)number;
    plan->gid = read_uint32(env, spec, "gid", &number) ? (gid_t)number : (gid_t)getgid();
    if (property(env, spec, "groups", &value)) {
      uint32_t count;
      napi_get_array_length(env, value, &count);
      req->groups = calloc(count ? count : 1, sizeof *req->groups);
      if (!req->groups) return "out of memory";
      for (uint32_t i = 0; i < count; i++) {
        napi_value element;
        napi_get_element(env, value, i, &element);
        napi_get_value_uint32(env, element, &number);
        req->groups[i] = (gid_t)number;
      }
      plan->ngroups = count;
    } else {
      req->groups = calloc(1, sizeof *req->groups);
      if (!req->groups) return "out of memory";
      req->groups[0] = plan->gid;
      plan->ngroups = 1;
    }
    plan->groups = req->groups;
  }
  napi_valuetype type;
  plan->session = SESSION_NEW;
  if (napi_get_named_property(env, spec, "session", &value) == napi_ok && napi_typeof(env, value, &type) == napi_ok &&
      type == napi_number) {
    napi_get_value_uint32(env, value, &number);
    plan->session = (enum session_mode)number;
  }
  if (napi_get_named_property(env, spec, "mergeStderr", &value) == napi_ok) {
    bool merge = false;
    napi_get_value_bool(env, value, &merge);
    req->merge_stderr = merge;
  }
  plan->file = req->file;
  plan->argv = req->argv;
  plan->envp = req->envp;
  plan->cwd = req->cwd;
  return NULL;
}

static void close_fds(int *fds, int count) {
  for (int i = 0; i < count; i++) {
    if (fds[i] >= 0) close(fds[i]);
  }
}

static napi_value set_int(napi_env env, napi_value object, const char *name, int number) {
  napi_value value;
  napi_create_int32(env, number, &value);
  napi_set_named_property(env, object, name, value);
  return object;
}

static const char *stage_name(int stage) {
  switch (stage) {
    case STAGE_SETUID: return "setuid";
    case STAGE_CHDIR: return "chdir";
    case STAGE_EXEC: return "exec";
    default: return NULL;
  }
}

/* spawn(spec, onExit) → { pid, pidfd, stdinFd, stdoutFd, stderrFd (-1 when merged), failedStage?, failedCode? } */
static napi_value spawn_child(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  napi_valuetype type;
  if (argc < 2 || napi_typeof(env, args[1], &type) != napi_ok || type != napi_function) {
    return throw_type(env, "spawn(spec, onExit): onExit must be a function");
  }

  struct spawn_request req;
  const char *problem = read_request(env, args[0], &req);
  if (problem) {
    free_request(&req);
    return throw_type(env, problem);
  }

  /* [0..1] stdin, [2..3] stdout, [4..5] stderr: even = read end, odd = write end. */
  int fds[6] = {-1, -1, -1, -1, -1, -1};
  int pipes = req.merge_stderr ? 2 : 3;
  for (int i = 0; i < pipes; i++) {
    if (pipe2(fds + 2 * i, O_CLOEXEC) < 0) {
      int err = errno;
      close_fds(fds, 6);
      free_request(&req);
      return throw_errno(env, err, "pipe2");
    }
  }
  /* Bigger output pipes: a child writing at full speed wakes the daemon once per
     pipe-full, so 64 KiB pipes cost one event-loop turn per 64 KiB. Best effort:
     the kernel may refuse (pipe-max-size, per-user pipe limits). */
  for (int i = 1; i < pipes; i++) (void)fcntl(fds[2 * i], F_SETPIPE_SZ, OUTPUT_PIPE_BYTES);
  req.plan.stdin_fd = fds[0];
  req.plan.stdout_fd = fds[3];
  req.plan.stderr_fd = req.merge_stderr ? fds[3] : fds[5];

  char *stack = malloc(CHILD_STACK_SIZE);
  if (!stack) {
    close_fds(fds, 6);
    free_request(&req);
    return throw_errno(env, ENOMEM, "spawn");
  }

  /*
   * No signal may be handled by the child before it resets the handlers it
   * shares with us. The raw call blocks glibc's internal signals too, which
   * pthread_sigmask would leave open.
   */
  sigset_t all, previous;
  sigfillset(&all);
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &previous, KERNEL_SIGSET_SIZE);
  int pidfd = -1;
  pid_t pid = clone(child_main, stack + CHILD_STACK_SIZE, CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD, &req.plan,
                    &pidfd);
  int clone_errno = errno;
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &previous, NULL, KERNEL_SIGSET_SIZE);
  free(stack);

  /* The child ends now live in the child (or nowhere). */
  close(fds[0]);
  close(fds[3]);
  if (!req.merge_stderr) close(fds[5]);
  fds[0] = fds[3] = fds[5] = -1;

  if (pid < 0) {
    close_fds(fds, 6);
    free_request(&req);
    return throw_errno(env, clone_errno, "clone");
  }

  int failed_stage = req.plan.failed_stage;
  int failed_errno = req.plan.failed_errno;
  free_request(&req);

  int rc = watch_exit(env, pid, pidfd, args[1]);
  if (rc != 0) {
    /* Cannot watch it: do not leave a child we would never reap. */
    syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
    syscall(SYS_waitid, P_PIDFD, pidfd, NULL, WEXITED, NULL);
    close(pidfd);
    close_fds(fds, 6);
    return throw_errno(env, rc, "uv_poll");
  }

  napi_value result;
  napi_create_object(env, &result);
  set_int(env, result, "pid", pid);
  set_int(env, result, "pidfd", pidfd);
  set_int(env, result, "stdinFd", fds[1]);
  set_int(env, result, "stdoutFd", fds[2]);
  set_int(env, result, "stderrFd", fds[4]);
  if (failed_stage != STAGE_NONE) {
    napi_value stage, code;
    const char *name = strerrorname_np(failed_errno);
    napi_create_string_utf8(env, stage_name(failed_stage), NAPI_AUTO_LENGTH, &stage);
    napi_create_string_utf8(env, name ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code);
    napi_set_named_property(env, result, "failedStage", stage);
    napi_set_named_property(env, result, "failedCode", code);
  }
  return result;
}

/* kill(pid, signo, group) → 0 or an errno number (ESRCH once the child is reaped). */
static napi_value kill_child(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3], result;
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  int32_t pid = 0, signo = 0;
  bool group = false;
  if (argc < 3 || napi_get_value_int32(env, args[0], &pid) != napi_ok ||
      napi_get_value_int32(env, args[1], &signo) != napi_ok || napi_get_value_bool(env, args[2], &group) != napi_ok) {
    return throw_type(env, "kill(pid, signo, group)");
  }
  struct watched_child *child = find(env, pid);
  int rc = ESRCH;
  if (child) {
    long sent = group ? kill(-pid, signo) : syscall(SYS_pidfd_send_signal, child->pidfd, signo, NULL, 0);
    rc = sent == 0 ? 0 : errno;
  }
  napi_create_int32(env, rc, &result);
  return result;
}

/* The environment goes away (worker ends, process exits): stop watching, without calling into JS. */
static void stop_watching_all(void *data) {
  struct addon_state *state = data;
  while (state->watched) {
    struct watched_child *child = state->watched;
    state->watched = child->next;
    uv_poll_stop(&child->poll);
    uv_close((uv_handle_t *)&child->poll, on_poll_closed);
  }
}

static void free_state(napi_env env, void *data, void *hint) {
  free(data);
}

NAPI_MODULE_INIT() {
  struct addon_state *state = calloc(1, sizeof *state);
  if (!state || napi_set_instance_data(env, state, free_state, NULL) != napi_ok) return NULL;
  napi_add_env_cleanup_hook(env, stop_watching_all, state);
  napi_property_descriptor methods[] = {
      {"spawn", NULL, spawn_child, NULL, NULL, NULL, napi_enumerable, NULL},
      {"kill", NULL, kill_child, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
  output_init(env, exports);
  return exports;
}
