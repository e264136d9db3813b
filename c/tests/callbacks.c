/* Callbacks: a C predicate with state in user_data, early stop, NULLs. */
#include <stdint.h>

#include "check.h"

/* The predicate's state: what it matches, what it has seen, when to stop. */
typedef struct {
    uint32_t divisor;
    size_t calls;
    size_t stop_after; /* 0: never stop */
} DivisibleState;

static int divisible_by(uint32_t value, void *user_data) {
    DivisibleState *state = user_data;
    state->calls++;
    if (state->stop_after != 0 && state->calls >= state->stop_after) return COUNT_WHERE_STOP;
    return value % state->divisor == 0 ? COUNT_WHERE_MATCH : COUNT_WHERE_NO_MATCH;
}

static int any_positive_matches(uint32_t value, void *user_data) {
    (void)user_data;
    return value > 0 ? 42 : 0; /* any positive value is a match */
}

static int any_negative_stops(uint32_t value, void *user_data) {
    size_t *calls = user_data;
    (*calls)++;
    return value == 3 ? -12345 : COUNT_WHERE_MATCH;
}

/* A nest of count_where calls, one level per predicate call, up to `target`. */
typedef struct {
    unsigned target;
    unsigned level;
    unsigned deepest;
    int stop_at_target;  /* answer COUNT_WHERE_STOP at the target level */
    int refusals;        /* nested calls refused with INVALID_ARGUMENT */
    size_t refused_out;  /* the refused call's *out (99 before) */
    char reason[128];    /* the first refusal's reason */
} Dive;

static int dive(uint32_t value, void *user_data) {
    (void)value;
    Dive *d = user_data;
    d->level++;
    if (d->level > d->deepest) d->deepest = d->level;
    if (d->level >= d->target) {
        d->level--;
        return d->stop_at_target ? COUNT_WHERE_STOP : COUNT_WHERE_MATCH;
    }
    const uint32_t one[] = {1};
    size_t out = 99;
    FfiError *error = ffi_error_new();
    FfiStatus st = count_where(one, 1, dive, d, &out, error);
    if (st == FFI_STATUS_INVALID_ARGUMENT && d->refusals++ == 0) {
        snprintf(d->reason, sizeof d->reason, "%s", ffi_error_message(error));
        d->refused_out = out;
    }
    ffi_error_free(error);
    d->level--;
    return COUNT_WHERE_MATCH;
}

/* The outermost call of a nest `target` levels deep. */
static FfiStatus run_dive(Dive *d, unsigned target, int stop_at_target) {
    memset(d, 0, sizeof *d);
    d->target = target;
    d->stop_at_target = stop_at_target;
    const uint32_t one[] = {1};
    size_t out = 0;
    return count_where(one, 1, dive, d, &out, NULL);
}

static void test_nesting_cap(void) {
    Dive d;
    /* 256 deep is fine. */
    CHECK_STATUS(run_dive(&d, COUNT_WHERE_MAX_DEPTH, 0), FFI_STATUS_OK);
    CHECK(d.deepest == COUNT_WHERE_MAX_DEPTH);
    CHECK(d.refusals == 0);
    /* The 257th is refused before its predicate runs, *out unchanged. */
    CHECK_STATUS(run_dive(&d, COUNT_WHERE_MAX_DEPTH + 10, 0), FFI_STATUS_OK);
    CHECK(d.deepest == COUNT_WHERE_MAX_DEPTH);
    CHECK(d.refusals == 1);
    CHECK(d.refused_out == 99);
    CHECK_STR(d.reason, "count_where is nested 257 deep on this thread: at most COUNT_WHERE_MAX_DEPTH (256)");
    /* The depth is restored after a refusal: a full nest works again. */
    CHECK_STATUS(run_dive(&d, COUNT_WHERE_MAX_DEPTH, 0), FFI_STATUS_OK);
    CHECK(d.deepest == COUNT_WHERE_MAX_DEPTH && d.refusals == 0);
    /* ... and after a stop at the deepest level, and a stop at the top. */
    CHECK_STATUS(run_dive(&d, COUNT_WHERE_MAX_DEPTH, 1), FFI_STATUS_OK);
    CHECK_STATUS(run_dive(&d, 1, 1), FFI_STATUS_CANCELLED);
    CHECK_STATUS(run_dive(&d, COUNT_WHERE_MAX_DEPTH + 1, 0), FFI_STATUS_OK);
    CHECK(d.deepest == COUNT_WHERE_MAX_DEPTH && d.refusals == 1);
}

void test_callbacks(void) {
    const uint32_t numbers[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const size_t n = sizeof numbers / sizeof numbers[0];
    size_t out = 99;

    DivisibleState state = {3, 0, 0};
    CHECK_STATUS(count_where(numbers, n, divisible_by, &state, &out, NULL), FFI_STATUS_OK);
    CHECK(out == 4);
    CHECK(state.calls == n);

    /* A stop after the 5th call: CANCELLED, the count so far, no more calls. */
    DivisibleState stopping = {2, 0, 5};
    out = 99;
    CHECK_STATUS(count_where(numbers, n, divisible_by, &stopping, &out, NULL), FFI_STATUS_CANCELLED);
    CHECK(out == 2); /* 2 and 4 matched before the stop at 5 */
    CHECK(stopping.calls == 5);

    size_t calls = 0;
    CHECK_STATUS(count_where(numbers, n, any_negative_stops, &calls, &out, NULL), FFI_STATUS_CANCELLED);
    CHECK(out == 2);
    CHECK(calls == 3);

    CHECK_STATUS(count_where(numbers, n, any_positive_matches, NULL, &out, NULL), FFI_STATUS_OK);
    CHECK(out == n);

    /* Empty input: NULL numbers are fine, the predicate is never called. */
    DivisibleState idle = {1, 0, 0};
    CHECK_STATUS(count_where(NULL, 0, divisible_by, &idle, &out, NULL), FFI_STATUS_OK);
    CHECK(out == 0);
    CHECK(idle.calls == 0);

    /* NULL arguments: nothing is called, *out is unchanged. */
    out = 99;
    CHECK_STATUS(count_where(numbers, n, NULL, &idle, &out, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(count_where(NULL, n, divisible_by, &idle, &out, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(count_where(numbers, n, divisible_by, &idle, NULL, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK(out == 99);
    CHECK(idle.calls == 0);

    test_nesting_cap();
}
