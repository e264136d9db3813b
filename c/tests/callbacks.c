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
}
