/* Unions: an untagged union read both ways, and a tagged union (Either). */
#include "demo.h"

static void show_parse(const char *text, FfiError *error) {
    Either e;
    FfiStatus status = parse_number(text, &e, error);
    if (status != FFI_STATUS_OK) {
        printf("parse_number(\"%s\") -> %s: %s\n", text, ffi_status_message(status), ffi_error_message(error));
    } else if (e.tag == EITHER_LEFT) {
        printf("parse_number(\"%s\") -> Left(%d)\n", text, e.value.left);
    } else {
        printf("parse_number(\"%s\") -> Right(%g)\n", text, (double)e.value.right);
    }
}

void demo_unions(void) {
    DEMO_SECTION("unions");
    IntOrFloat one = int_or_float_from_float(1.0f);
    printf("int_or_float_from_float(1.0f).as_int = 0x%08x\n", (unsigned)one.as_int);
    printf("int_or_float_as_int(from_float(-2.5f)) = 0x%08x\n",
           (unsigned)int_or_float_as_int(int_or_float_from_float(-2.5f)));
    IntOrFloat pi = {.as_int = 0x40490fdb};
    printf("int_or_float_as_float({.as_int = 0x40490fdb}) = %.7f\n", (double)int_or_float_as_float(pi));

    DEMO_SECTION("tagged unions (Either)");
    FfiError *error = ffi_error_new();
    show_parse("42", error);
    show_parse("4.5", error);
    show_parse("-1e3", error);
    show_parse("2147483648", error);
    show_parse("nan", error);
    show_parse(" 7", error);
    show_parse("4 2", error);
    ffi_error_free(error);
}
