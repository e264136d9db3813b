/*
 * The Node-API floor for `make bench`: the same Rust functions the koffi
 * binding calls, reached through a hand-written Node-API addon, i.e. what a
 * user of N-API or napi-rs would get. Only the benchmark builds and loads it.
 *
 * Every function is called directly, with the types of ffi_deep_dive.h.
 *
 * Argument checks are minimal (this is a floor, not an API): wrong types give
 * a JS exception from Node-API, never a crash, but none of the public API's
 * checks are made (no NUL or lone-surrogate check on strings, no intrinsic
 * type checks, no copies to protect against a caller changing its input).
 * The bench labels its rows as such: a floor, not a like-for-like API.
 *
 * Where the public API uses another algorithm than the obvious one, the addon
 * has both, so the bench can compare like with like: `concat` (the
 * allocating concat_strings on UTF-8 copies) and `concatUtf16Into`
 * (concat_strings_utf16_into a reused buffer of UTF-16 code units, as the
 * public concatStrings does); `countCharacters` (UTF-8 copy, count_characters)
 * and `countCharactersUtf16` (UTF-16 copy, count_characters_utf16, as the
 * public countCharacters does for a string).
 *
 * Async work (`sumOfEvenAsync`, `primesUpToAsync`) is the Node-API way
 * (napi_create_async_work on libuv's thread pool, completed through a
 * promise), what an AsyncWorker in node-addon-api does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <node_api.h>

#include "ffi_deep_dive.h"

#define CHECK(env, call)                                   \
  do {                                                     \
    if ((call) != napi_ok) {                               \
      napi_throw_error((env), NULL, "Node-API call failed: " #call); \
      return NULL;                                         \
    }                                                      \
  } while (0)

/* A UTF-8 copy of a JS string: on the stack when short (one Node-API call),
 * else on the heap (a second call for the length, a third for the copy). */
typedef struct Utf8Arg {
  char *text;
  char small[256];
} Utf8Arg;

static int utf8_arg(napi_env env, napi_value value, Utf8Arg *arg) {
  size_t len = 0;
  arg->text = arg->small;
  if (napi_get_value_string_utf8(env, value, arg->small, sizeof arg->small, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected a string");
    return 0;
  }
  /* A cut copy stops at a character boundary, at most 3 bytes (one UTF-8
   * sequence minus one) short of the buffer's last byte: a shorter copy is
   * the whole string. */
  if (len + 4 < sizeof arg->small) {
    return 1;
  }
  /* Possibly cut at the buffer's end: ask for the length and copy again. */
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected a string");
    return 0;
  }
  arg->text = len < sizeof arg->small ? arg->small : malloc(len + 1);
  if (arg->text == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return 0;
  }
  if (napi_get_value_string_utf8(env, value, arg->text, len + 1, &len) != napi_ok) {
    if (arg->text != arg->small) {
      free(arg->text);
    }
    napi_throw_type_error(env, NULL, "expected a string");
    return 0;
  }
  return 1;
}

static void utf8_arg_free(Utf8Arg *arg) {
  if (arg->text != arg->small) {
    free(arg->text);
  }
}

/* A UTF-16 copy of a JS string (Node-API has no zero-copy access to a
 * string's characters): on the stack when short, else on the heap. */
typedef struct Utf16Arg {
  char16_t *text;
  size_t len;
  char16_t small[256];
} Utf16Arg;

static int utf16_arg(napi_env env, napi_value value, Utf16Arg *arg) {
  size_t len = 0;
  arg->text = arg->small;
  if (napi_get_value_string_utf16(env, value, arg->small, sizeof arg->small / sizeof(char16_t),
                                  &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected a string");
    return 0;
  }
  /* UTF-16 copies are cut at the buffer's last unit exactly: shorter is whole. */
  if (len + 1 < sizeof arg->small / sizeof(char16_t)) {
    arg->len = len;
    return 1;
  }
  if (napi_get_value_string_utf16(env, value, NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected a string");
    return 0;
  }
  arg->text = malloc((len + 1) * sizeof(char16_t));
  if (arg->text == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return 0;
  }
  if (napi_get_value_string_utf16(env, value, arg->text, len + 1, &len) != napi_ok) {
    free(arg->text);
    napi_throw_type_error(env, NULL, "expected a string");
    return 0;
  }
  arg->len = len;
  return 1;
}

static void utf16_arg_free(Utf16Arg *arg) {
  if (arg->text != arg->small) {
    free(arg->text);
  }
}

static napi_value js_add(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t a = 0, b = 0;
  napi_value result;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(env, napi_get_value_int32(env, argv[0], &a));
  CHECK(env, napi_get_value_int32(env, argv[1], &b));
  CHECK(env, napi_create_int32(env, add_in_rust(a, b), &result));
  return result;
}

/* concat_strings + napi_create_string_utf8 + free_rust_string. */
static napi_value js_concat(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_value result = NULL;
  Utf8Arg first, second;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!utf8_arg(env, argv[0], &first)) {
    return NULL;
  }
  if (!utf8_arg(env, argv[1], &second)) {
    utf8_arg_free(&first);
    return NULL;
  }
  char *joined = concat_strings(first.text, second.text);
  utf8_arg_free(&first);
  utf8_arg_free(&second);
  if (joined == NULL) {
    napi_throw_error(env, NULL, "concat_strings returned NULL");
    return NULL;
  }
  napi_status status = napi_create_string_utf8(env, joined, NAPI_AUTO_LENGTH, &result);
  free_rust_string(joined);
  CHECK(env, status);
  return result;
}

/* concat_strings_into a reused 4 KiB buffer + napi_create_string_utf8 of the
 * length it reports: the algorithm of the public concatStrings (which falls
 * back to concat_strings for longer results; the bench's strings fit). */
static char concat_scratch[4096];

static napi_value js_concat_into(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_value result = NULL;
  Utf8Arg first, second;
  size_t needed = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!utf8_arg(env, argv[0], &first)) {
    return NULL;
  }
  if (!utf8_arg(env, argv[1], &second)) {
    utf8_arg_free(&first);
    return NULL;
  }
  FfiStatus status =
      concat_strings_into(first.text, second.text, concat_scratch, sizeof concat_scratch, &needed, NULL);
  utf8_arg_free(&first);
  utf8_arg_free(&second);
  if (status != FFI_STATUS_OK) {
    napi_throw_error(env, NULL, ffi_status_message((int)status));
    return NULL;
  }
  CHECK(env, napi_create_string_utf8(env, concat_scratch, needed - 1, &result));
  return result;
}

/* The call alone: concat_strings_into, returning the byte length it reports
 * instead of making a JS string (to split the cost of js_concat_into). */
static napi_value js_concat_into_length(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_value result = NULL;
  Utf8Arg first, second;
  size_t needed = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!utf8_arg(env, argv[0], &first)) {
    return NULL;
  }
  if (!utf8_arg(env, argv[1], &second)) {
    utf8_arg_free(&first);
    return NULL;
  }
  FfiStatus status =
      concat_strings_into(first.text, second.text, concat_scratch, sizeof concat_scratch, &needed, NULL);
  utf8_arg_free(&first);
  utf8_arg_free(&second);
  if (status != FFI_STATUS_OK) {
    napi_throw_error(env, NULL, ffi_status_message((int)status));
    return NULL;
  }
  CHECK(env, napi_create_uint32(env, (uint32_t)needed, &result));
  return result;
}

/* concat_strings_utf16_into a reused buffer of 4096 code units +
 * napi_create_string_utf16: the public concatStrings' algorithm (which
 * switches to a bigger buffer for longer results; the bench's fit). */
static uint16_t concat16_scratch[4096];

static napi_value concat_utf16(napi_env env, napi_callback_info info, int make_string) {
  size_t argc = 2;
  napi_value argv[2];
  napi_value result = NULL;
  Utf16Arg first, second;
  size_t needed = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!utf16_arg(env, argv[0], &first)) {
    return NULL;
  }
  if (!utf16_arg(env, argv[1], &second)) {
    utf16_arg_free(&first);
    return NULL;
  }
  FfiStatus status = concat_strings_utf16_into(
      (const uint16_t *)first.text, first.len, (const uint16_t *)second.text, second.len,
      concat16_scratch, sizeof concat16_scratch / sizeof concat16_scratch[0], &needed, NULL);
  utf16_arg_free(&first);
  utf16_arg_free(&second);
  if (status != FFI_STATUS_OK) {
    napi_throw_error(env, NULL, ffi_status_message((int)status));
    return NULL;
  }
  if (make_string) {
    CHECK(env, napi_create_string_utf16(env, (const char16_t *)concat16_scratch, needed, &result));
  } else {
    CHECK(env, napi_create_uint32(env, (uint32_t)needed, &result));
  }
  return result;
}

static napi_value js_concat_utf16_into(napi_env env, napi_callback_info info) {
  return concat_utf16(env, info, 1);
}

/* The call alone: returns the length instead of making a JS string. */
static napi_value js_concat_utf16_into_length(napi_env env, napi_callback_info info) {
  return concat_utf16(env, info, 0);
}

/* A UTF-16 copy + count_characters_utf16: the public countCharacters' algorithm. */
static napi_value js_count_characters_utf16(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value result;
  Utf16Arg text;
  size_t count = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!utf16_arg(env, argv[0], &text)) {
    return NULL;
  }
  FfiStatus status = count_characters_utf16((const uint16_t *)text.text, text.len, &count, NULL);
  utf16_arg_free(&text);
  if (status != FFI_STATUS_OK) {
    napi_throw_error(env, NULL, ffi_status_message((int)status));
    return NULL;
  }
  CHECK(env, napi_create_double(env, (double)count, &result));
  return result;
}

static napi_value js_count_characters(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value result;
  Utf8Arg text;
  size_t count = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!utf8_arg(env, argv[0], &text)) {
    return NULL;
  }
  FfiStatus status = count_characters(text.text, &count, NULL);
  utf8_arg_free(&text);
  if (status != FFI_STATUS_OK) {
    napi_throw_error(env, NULL, ffi_status_message((int)status));
    return NULL;
  }
  CHECK(env, napi_create_double(env, (double)count, &result));
  return result;
}

static int typed_array(napi_env env, napi_value value, napi_typedarray_type want, void **data,
                       size_t *len) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, len, data, &buffer, &offset) != napi_ok ||
      type != want) {
    napi_throw_type_error(env, NULL, "wrong typed array type");
    return 0;
  }
  return 1;
}

static napi_value js_sum_of_even(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value result;
  void *data;
  size_t len;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!typed_array(env, argv[0], napi_uint32_array, &data, &len)) {
    return NULL;
  }
  uint64_t sum = sum_of_even((const uint32_t *)data, len);
  CHECK(env, napi_create_double(env, (double)sum, &result));
  return result;
}

static napi_value js_primes_up_to(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value buffer, result;
  uint32_t limit = 0;
  void *data;
  U32Array primes = {NULL, 0, 0};
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(env, napi_get_value_uint32(env, argv[0], &limit));
  FfiStatus status = primes_up_to(limit, &primes, NULL);
  if (status != FFI_STATUS_OK) {
    napi_throw_error(env, NULL, ffi_status_message((int)status));
    return NULL;
  }
  napi_status st = napi_create_arraybuffer(env, primes.len * sizeof(uint32_t), &data, &buffer);
  if (st == napi_ok && primes.len > 0) {
    memcpy(data, primes.data, primes.len * sizeof(uint32_t));
  }
  u32_array_free(primes);
  CHECK(env, st);
  CHECK(env, napi_create_typedarray(env, napi_uint32_array, primes.len, buffer, 0, &result));
  return result;
}

static napi_value js_point_translate(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  void *data;
  size_t len;
  double bx = 0, by = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!typed_array(env, argv[0], napi_float32_array, &data, &len)) {
    return NULL;
  }
  CHECK(env, napi_get_value_double(env, argv[1], &bx));
  CHECK(env, napi_get_value_double(env, argv[2], &by));
  if (len < 2) {
    napi_throw_range_error(env, NULL, "a Point needs 2 floats");
    return NULL;
  }
  point_translate((Point *)data, (float)bx, (float)by);
  return argv[0];
}

static napi_value js_opaque_new(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_value result;
  double x = 0, y = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(env, napi_get_value_double(env, argv[0], &x));
  CHECK(env, napi_get_value_double(env, argv[1], &y));
  OpaquePoint *p = opaque_point_new((float)x, (float)y);
  CHECK(env, napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)p, &result));
  return result;
}

static napi_value js_opaque_free(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  uint64_t address = 0;
  bool lossless = false;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(env, napi_get_value_bigint_uint64(env, argv[0], &address, &lossless));
  opaque_point_free((OpaquePoint *)(uintptr_t)address);
  return NULL;
}

/* ---- async work: the Node-API floor for an async call ---- */

typedef struct AsyncCall {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref input; /* keeps the typed array alive until the call settles */
  const uint32_t *data;
  size_t len;
  uint32_t limit;
  uint64_t sum;
  FfiStatus status;
  U32Array primes;
} AsyncCall;

static void async_call_free(napi_env env, AsyncCall *call) {
  if (call->input != NULL) {
    napi_delete_reference(env, call->input);
  }
  napi_delete_async_work(env, call->work);
  free(call);
}

/* Runs on a libuv worker thread: no JS, no napi calls. */
static void sum_execute(napi_env env, void *data) {
  (void)env;
  AsyncCall *call = data;
  call->sum = sum_of_even(call->data, call->len);
}

static void sum_complete(napi_env env, napi_status status, void *data) {
  AsyncCall *call = data;
  napi_value result;
  if (status == napi_ok && napi_create_double(env, (double)call->sum, &result) == napi_ok) {
    napi_resolve_deferred(env, call->deferred, result);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "sumOfEvenAsync failed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, call->deferred, error);
  }
  async_call_free(env, call);
}

static napi_value start_async(napi_env env, AsyncCall *call, const char *name,
                              napi_async_execute_callback execute,
                              napi_async_complete_callback complete) {
  napi_value promise, resource_name;
  if (napi_create_promise(env, &call->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_create_async_work(env, NULL, resource_name, execute, complete, call, &call->work) !=
          napi_ok ||
      napi_queue_async_work(env, call->work) != napi_ok) {
    /* Not reached in the bench; a floor, so no cleanup of a half-made call. */
    napi_throw_error(env, NULL, "could not start the async work");
    return NULL;
  }
  return promise;
}

static napi_value js_sum_of_even_async(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data;
  size_t len;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!typed_array(env, argv[0], napi_uint32_array, &data, &len)) {
    return NULL;
  }
  AsyncCall *call = calloc(1, sizeof *call);
  if (call == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  call->data = data;
  call->len = len;
  CHECK(env, napi_create_reference(env, argv[0], 1, &call->input));
  return start_async(env, call, "sumOfEvenAsync", sum_execute, sum_complete);
}

static void primes_execute(napi_env env, void *data) {
  (void)env;
  AsyncCall *call = data;
  call->status = primes_up_to(call->limit, &call->primes, NULL);
}

/* Copies the primes into a new Uint32Array on the main thread, frees the
 * Rust array, resolves. */
static void primes_complete(napi_env env, napi_status status, void *data) {
  AsyncCall *call = data;
  napi_value buffer, result;
  void *bytes = NULL;
  size_t size = call->primes.len * sizeof(uint32_t);
  if (status == napi_ok && call->status == FFI_STATUS_OK &&
      napi_create_arraybuffer(env, size, &bytes, &buffer) == napi_ok &&
      napi_create_typedarray(env, napi_uint32_array, call->primes.len, buffer, 0, &result) ==
          napi_ok) {
    if (size > 0) {
      memcpy(bytes, call->primes.data, size);
    }
    napi_resolve_deferred(env, call->deferred, result);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "primesUpToAsync failed", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, call->deferred, error);
  }
  u32_array_free(call->primes);
  async_call_free(env, call);
}

static napi_value js_primes_up_to_async(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  uint32_t limit = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(env, napi_get_value_uint32(env, argv[0], &limit));
  AsyncCall *call = calloc(1, sizeof *call);
  if (call == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  call->limit = limit;
  return start_async(env, call, "primesUpToAsync", primes_execute, primes_complete);
}

static int export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn) == napi_ok &&
         napi_set_named_property(env, exports, name, fn) == napi_ok;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  int ok = export_fn(env, exports, "add", js_add) && export_fn(env, exports, "concat", js_concat) &&
           export_fn(env, exports, "concatInto", js_concat_into) &&
           export_fn(env, exports, "concatIntoLength", js_concat_into_length) &&
           export_fn(env, exports, "concatUtf16Into", js_concat_utf16_into) &&
           export_fn(env, exports, "concatUtf16IntoLength", js_concat_utf16_into_length) &&
           export_fn(env, exports, "countCharactersUtf16", js_count_characters_utf16) &&
           export_fn(env, exports, "countCharacters", js_count_characters) &&
           export_fn(env, exports, "sumOfEven", js_sum_of_even) &&
           export_fn(env, exports, "primesUpTo", js_primes_up_to) &&
           export_fn(env, exports, "pointTranslate", js_point_translate) &&
           export_fn(env, exports, "opaqueNew", js_opaque_new) &&
           export_fn(env, exports, "opaqueFree", js_opaque_free) &&
           export_fn(env, exports, "sumOfEvenAsync", js_sum_of_even_async) &&
           export_fn(env, exports, "primesUpToAsync", js_primes_up_to_async);
  if (!ok) {
    napi_throw_error(env, NULL, "ffi_bench_napi: could not create the exports");
    return NULL;
  }
  return exports;
}
