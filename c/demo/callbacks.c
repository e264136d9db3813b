/* Callbacks: Rust calls a C function, with the caller's state in user_data. */
#include "demo.h"

/* The predicate's state: the divisor to test and how many calls it got. */
typedef struct {
    uint32_t divisor;
    unsigned calls;
} Divisible;

static int divisible(uint32_t value, void *user_data) {
    Divisible *state = user_data;
    state->calls++;
    return value % state->divisor == 0 ? COUNT_WHERE_MATCH : COUNT_WHERE_NO_MATCH;
}

/* Stops counting at the first value above *user_data. */
static int stop_above(uint32_t value, void *user_data) {
    const uint32_t *ceiling = user_data;
    return value > *ceiling ? COUNT_WHERE_STOP : COUNT_WHERE_MATCH;
}

void demo_callbacks(void) {
    DEMO_SECTION("callbacks");
    const uint32_t numbers[] = {3, 5, 6, 9, 10, 12, 15, 20, 21};
    size_t count = 0;
    Divisible by3 = {3, 0};
    FfiStatus status = count_where(numbers, 9, divisible, &by3, &count, NULL);
    printf("count_where(multiples of 3) -> %s: %zu matches, predicate called %u times\n",
           ffi_status_message(status), count, by3.calls);

    uint32_t ceiling = 10;
    FfiError *error = ffi_error_new();
    status = count_where(numbers, 9, stop_above, &ceiling, &count, error);
    printf("count_where(stop above 10) -> %s (FFI_STATUS_CANCELLED=%d), %zu counted before the stop: %s\n",
           ffi_status_message(status), FFI_STATUS_CANCELLED, count, ffi_error_message(error));
    ffi_error_free(error);
}
