/*
 * Moving child output out of pipes without node's stream machinery.
 *
 * node's pipe streams read 64 KiB at a time into a fresh allocation each, so
 * a fast writer costs the daemon an allocation (with its page faults and
 * garbage), a 'data' event and a log write per 64 KiB. Here JS is told once
 * per wakeup that a pipe is readable and empties it with a few readInto
 * calls into one buffer it reuses.
 *
 *   watchReadable(fd, onReadable) → id     onReadable() once per readiness (level-triggered)
 *   unwatch(id) → boolean                  stop; the fd is closed once libuv lets go of it
 *   readInto(fd, buffer) → n | -errno      one read(2); 0 = end of file, -EAGAIN = empty for now
 */
#define _GNU_SOURCE
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <uv.h>

struct pipe_watch {
  uv_poll_t poll;
  napi_env env;
  napi_ref on_readable;
  napi_async_context async_context;
  int32_t id;
  int fd;
  struct pipe_watch *next;
};

/* Per node environment: its active watches, so teardown can stop them. */
struct output_state {
  struct pipe_watch *watches;
  int32_t next_id;
};

static napi_value number(napi_env env, int64_t value) {
  napi_value result;
  napi_create_int64(env, value, &result);
  return result;
}

static napi_value throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
  return NULL;
}

static struct output_state *state_from(napi_env env, napi_callback_info info, size_t *argc, napi_value *args) {
  void *data = NULL;
  napi_get_cb_info(env, info, argc, args, NULL, &data);
  return data;
}

static void on_watch_closed(uv_handle_t *handle) {
  struct pipe_watch *watch = (struct pipe_watch *)handle;
  close(watch->fd);
  free(watch);
}

/* Unlink, stop and close; JS is never called again for this watch. */
static void release(struct output_state *state, struct pipe_watch *watch, int call_js_cleanup) {
  for (struct pipe_watch **p = &state->watches; *p; p = &(*p)->next) {
    if (*p == watch) {
      *p = watch->next;
      break;
    }
  }
  uv_poll_stop(&watch->poll);
  if (call_js_cleanup) {
    napi_async_destroy(watch->env, watch->async_context);
    napi_delete_reference(watch->env, watch->on_readable);
  }
  uv_close((uv_handle_t *)&watch->poll, on_watch_closed);
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  (void)status;
  (void)events;
  /* Errors and hang-ups are reported as readable too: the read that follows tells which. */
  struct pipe_watch *watch = (struct pipe_watch *)poll;
  napi_env env = watch->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value callback, resource, result;
  napi_get_reference_value(env, watch->on_readable, &callback);
  napi_get_global(env, &resource);
  if (napi_make_callback(env, watch->async_context, resource, callback, 0, NULL, &result) == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
  napi_close_handle_scope(env, scope);
}

/* watchReadable(fd, onReadable) → id. The watch owns fd from here on (unwatch closes it). */
static napi_value watch_readable(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  struct output_state *state = state_from(env, info, &argc, args);
  int32_t fd;
  napi_valuetype type;
  if (argc < 2 || napi_get_value_int32(env, args[0], &fd) != napi_ok || fd < 0 ||
      napi_typeof(env, args[1], &type) != napi_ok || type != napi_function) {
    return throw_type(env, "watchReadable(fd, onReadable)");
  }
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  struct pipe_watch *watch = calloc(1, sizeof *watch);
  if (!watch) return throw_type(env, "out of memory");
  watch->env = env;
  watch->fd = fd;
  /* uv_poll_init makes the fd non-blocking, which readInto relies on (-EAGAIN instead of blocking). */
  int rc = uv_poll_init(loop, &watch->poll, fd);
  if (rc == 0) rc = uv_poll_start(&watch->poll, UV_READABLE, on_readable);
  if (rc != 0) {
    free(watch);
    napi_throw_error(env, uv_err_name(rc), "uv_poll_start failed");
    return NULL;
  }
  napi_value resource_name;
  napi_create_string_utf8(env, "FleetvisorChildOutput", NAPI_AUTO_LENGTH, &resource_name);
  napi_async_init(env, NULL, resource_name, &watch->async_context);
  napi_create_reference(env, args[1], 1, &watch->on_readable);
  watch->id = ++state->next_id;
  watch->next = state->watches;
  state->watches = watch;
  return number(env, watch->id);
}

/* unwatch(id) → true when the watch existed. */
static napi_value unwatch(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value args[1];
  struct output_state *state = state_from(env, info, &argc, args);
  int32_t id;
  if (argc < 1 || napi_get_value_int32(env, args[0], &id) != napi_ok) return throw_type(env, "unwatch(id)");
  for (struct pipe_watch *watch = state->watches; watch; watch = watch->next) {
    if (watch->id == id) {
      release(state, watch, 1);
      napi_value yes;
      napi_get_boolean(env, true, &yes);
      return yes;
    }
  }
  napi_value no;
  napi_get_boolean(env, false, &no);
  return no;
}

/* readInto(fd, buffer) → bytes read, 0 at end of file, or -errno (-EAGAIN: empty for now). */
static napi_value read_into(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  state_from(env, info, &argc, args);
  int32_t fd;
  void *data;
  size_t length;
  if (argc < 2 || napi_get_value_int32(env, args[0], &fd) != napi_ok ||
      napi_get_buffer_info(env, args[1], &data, &length) != napi_ok) {
    return throw_type(env, "readInto(fd, buffer)");
  }
  ssize_t n;
  do n = read(fd, data, length);
  while (n < 0 && errno == EINTR);
  return number(env, n < 0 ? -errno : n);
}

/* The environment goes away: stop watching without calling into JS (it is gone too). */
static void stop_all(void *data) {
  struct output_state *state = data;
  while (state->watches) release(state, state->watches, 0);
  free(state);
}

void output_init(napi_env env, napi_value exports) {
  struct output_state *state = calloc(1, sizeof *state);
  if (!state) return;
  napi_add_env_cleanup_hook(env, stop_all, state);
  napi_property_descriptor methods[] = {
      {"watchReadable", NULL, watch_readable, NULL, NULL, NULL, napi_enumerable, state},
      {"unwatch", NULL, unwatch, NULL, NULL, NULL, napi_enumerable, state},
      {"readInto", NULL, read_into, NULL, NULL, NULL, napi_enumerable, state},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
}
