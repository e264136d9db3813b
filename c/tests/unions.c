/* Unions: the untagged IntOrFloat by value, and the tagged Either from parse_number. */
#include <stdint.h>

#include "check.h"

static uint32_t bits_of(float x) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits;
}

static void test_int_or_float(void) {
    IntOrFloat u = int_or_float_from_float(1.0f);
    CHECK(u.as_int == 0x3f800000);
    CHECK(int_or_float_as_int(u) == 0x3f800000);
    CHECK(int_or_float_as_float(u) == 1.0f);

    IntOrFloat n = int_or_float_from_float(-1.0f);
    CHECK((uint32_t)int_or_float_as_int(n) == 0xbf800000u);
    CHECK((uint32_t)int_or_float_as_int(int_or_float_from_float(-0.0f)) == 0x80000000u);

    IntOrFloat pi = {.as_int = 0x40490fdb};
    CHECK(int_or_float_as_float(pi) == 3.14159265f);

    /* Both directions agree with memcpy for ordinary values... */
    const float samples[] = {0.0f, 0.1f, -2.5f, 1e-45f, 3.4028235e38f, 1.0f / 0.0f};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        CHECK((uint32_t)int_or_float_as_int(int_or_float_from_float(samples[i])) == bits_of(samples[i]));
    }
    /* ...and NaN payloads, quiet or signalling, pass through untouched. */
    const uint32_t nans[] = {0x7fc00000u, 0x7fc12345u, 0xffc00001u, 0x7f800001u};
    for (size_t i = 0; i < sizeof nans / sizeof nans[0]; i++) {
        IntOrFloat v = {.as_int = (int32_t)nans[i]};
        float f = int_or_float_as_float(v);
        CHECK(f != f); /* NaN */
        CHECK(bits_of(f) == nans[i]);
    }
}

static void test_parse_number(void) {
    Either e;
    memset(&e, 0, sizeof e);
    CHECK_STATUS(parse_number("42", &e, NULL), FFI_STATUS_OK);
    CHECK(e.tag == EITHER_LEFT && e.value.left == 42);
    CHECK_STATUS(parse_number("-2147483648", &e, NULL), FFI_STATUS_OK);
    CHECK(e.tag == EITHER_LEFT && e.value.left == INT32_MIN);
    CHECK_STATUS(parse_number("+1", &e, NULL), FFI_STATUS_OK);
    CHECK(e.tag == EITHER_LEFT && e.value.left == 1);
    CHECK_STATUS(parse_number("4.5", &e, NULL), FFI_STATUS_OK);
    CHECK(e.tag == EITHER_RIGHT && e.value.right == 4.5f);
    CHECK_STATUS(parse_number("1e3", &e, NULL), FFI_STATUS_OK);
    CHECK(e.tag == EITHER_RIGHT && e.value.right == 1000.0f);
    CHECK_STATUS(parse_number("-.5", &e, NULL), FFI_STATUS_OK);
    CHECK(e.tag == EITHER_RIGHT && e.value.right == -0.5f);
    CHECK_STATUS(parse_number("0.1", &e, NULL), FFI_STATUS_OK);
    CHECK(e.tag == EITHER_RIGHT && e.value.right == 0.1f);

    /* Refused: *out stays as it was. */
    const char *bad[] = {"", " 42", "42 ", "2147483648", "-2147483649", "nan", "inf", "1e39", "0x10", "4.5f", "abc"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        Either before = e;
        CHECK_STATUS(parse_number(bad[i], &e, NULL), FFI_STATUS_INVALID_ARGUMENT);
        CHECK(memcmp(&before, &e, sizeof e) == 0);
    }
    CHECK_STATUS(parse_number("4\xff", &e, NULL), FFI_STATUS_INVALID_UTF8);
    CHECK_STATUS(parse_number(NULL, &e, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(parse_number("1", NULL, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK(e.tag == EITHER_RIGHT && e.value.right == 0.1f);
}

void test_unions(void) {
    CHECK(sizeof(IntOrFloat) == 4);
    CHECK(sizeof(Either) == 8 && offsetof(Either, value) == 4);
    test_int_or_float();
    test_parse_number();
}
