/* Strings: Rust allocates, Rust frees; or the caller owns the buffer. */
#include "demo.h"

void demo_strings(void) {
    DEMO_SECTION("strings");
    char *joined = concat_strings("Hello, ", "Rustacean!");
    printf("concat_strings(\"Hello, \", \"Rustacean!\") = \"%s\" (Rust-owned)\n", joined);
    free_rust_string(joined); /* never free(): Rust allocated it */
    printf("freed with free_rust_string; live Rust strings: %zu\n", rust_string_live_count());

    char small[8];
    size_t needed = 0;
    FfiStatus status = concat_strings_into("Hello, ", "Rustacean!", small, sizeof small, &needed);
    printf("concat_strings_into(8-byte buffer) -> %s, needs %zu bytes\n", ffi_status_message(status), needed);
    char big[32];
    status = concat_strings_into("Hello, ", "Rustacean!", big, sizeof big, &needed);
    printf("concat_strings_into(32-byte buffer) -> %s: \"%s\"\n", ffi_status_message(status), big);

    size_t count = 0;
    status = count_characters("h\xc3\xa9llo \xf0\x9f\xa6\x80", &count);
    printf("count_characters(\"h\xc3\xa9llo \xf0\x9f\xa6\x80\") -> %s, %zu characters\n",
           ffi_status_message(status), count);
    status = count_characters("\xff\xfe", &count);
    printf("count_characters(invalid UTF-8) -> %s\n", ffi_status_message(status));

    /* (pointer, length) text: UTF-16 code units, a NUL inside is a character. */
    const uint16_t text[] = {0x68, 0x0000, 0xe9, 0xd83e, 0xdd80}; /* "h\0é🦀" */
    status = count_characters_utf16(text, 5, &count);
    printf("count_characters_utf16(\"h\\0\xc3\xa9\xf0\x9f\xa6\x80\", 5 units) -> %s, %zu characters\n",
           ffi_status_message(status), count);
    status = count_characters_utf16(text, 4, &count); /* cuts the surrogate pair */
    printf("count_characters_utf16(first 4 units: a lone surrogate) -> %s\n", ffi_status_message(status));
}
