/* Strings: Rust allocates, Rust frees; or the caller owns the buffer. */
#include "demo.h"

void demo_strings(void) {
    DEMO_SECTION("strings");
    char *joined = concat_strings("Hello, ", "Rustacean!");
    printf("concat_strings(\"Hello, \", \"Rustacean!\") = \"%s\" (Rust-owned)\n", joined);
    free_rust_string(joined); /* never free(): Rust allocated it */
    printf("freed with free_rust_string; live Rust strings: %zu\n", rust_string_live_count());

    FfiError *error = ffi_error_new(); /* receives the reason of any failure below */
    char small[8];
    size_t needed = 0;
    FfiStatus status = concat_strings_into("Hello, ", "Rustacean!", small, sizeof small, &needed, error);
    printf("concat_strings_into(8-byte buffer) -> %s (%s)\n", ffi_status_message(status), ffi_error_message(error));
    char big[32];
    status = concat_strings_into("Hello, ", "Rustacean!", big, sizeof big, &needed, error);
    printf("concat_strings_into(32-byte buffer) -> %s: \"%s\"\n", ffi_status_message(status), big);

    size_t count = 0;
    status = count_characters("h\xc3\xa9llo \xf0\x9f\xa6\x80", &count, error);
    printf("count_characters(\"h\xc3\xa9llo \xf0\x9f\xa6\x80\") -> %s, %zu characters\n",
           ffi_status_message(status), count);
    status = count_characters("ok\xff\xfe", &count, error);
    printf("count_characters(\"ok\\xff\\xfe\") -> %s: %s\n", ffi_status_message(status), ffi_error_message(error));

    /* (pointer, length) text: UTF-16 code units, a NUL inside is a character. */
    const uint16_t text[] = {0x68, 0x0000, 0xe9, 0xd83e, 0xdd80}; /* "h\0é🦀" */
    status = count_characters_utf16(text, 5, &count, error);
    printf("count_characters_utf16(\"h\\0\xc3\xa9\xf0\x9f\xa6\x80\", 5 units) -> %s, %zu characters\n",
           ffi_status_message(status), count);
    status = count_characters_utf16(text, 4, &count, error); /* cuts the surrogate pair */
    printf("count_characters_utf16(first 4 units) -> %s: %s\n", ffi_status_message(status), ffi_error_message(error));
    ffi_error_free(error);
}
