/* Strings: Rust-owned results, caller-owned buffers, UTF-8 validation. */
#include "check.h"

void test_strings(void) {
    size_t live_before = rust_string_live_count();

    char *s = concat_strings("Hello, ", "Rustacean!");
    CHECK_STR(s, "Hello, Rustacean!");
    CHECK(rust_string_live_count() == live_before + 1);
    free_rust_string(s);
    CHECK(rust_string_live_count() == live_before);

    s = concat_strings("", "");
    CHECK_STR(s, "");
    free_rust_string(s);
    /* Bytes, not text: invalid UTF-8 is joined as is. */
    s = concat_strings("\xff", "\xfe");
    CHECK(s != NULL && (unsigned char)s[0] == 0xff && (unsigned char)s[1] == 0xfe && s[2] == '\0');
    free_rust_string(s);
    CHECK(concat_strings(NULL, "x") == NULL);
    CHECK(concat_strings("x", NULL) == NULL);
    CHECK(concat_strings(NULL, NULL) == NULL);
    free_rust_string(NULL); /* a no-op */
    CHECK(rust_string_live_count() == live_before);

    char buf[16];
    size_t needed = 0;
    CHECK_STATUS(concat_strings_into("abc", "def", buf, sizeof buf, &needed, NULL), FFI_STATUS_OK);
    CHECK_STR(buf, "abcdef");
    CHECK(needed == 7);
    /* Exactly fits: 6 bytes + NUL. */
    CHECK_STATUS(concat_strings_into("abc", "def", buf, 7, NULL, NULL), FFI_STATUS_OK);
    CHECK_STR(buf, "abcdef");
    /* One byte short: an empty string, never a partial one. */
    memset(buf, 'x', sizeof buf);
    CHECK_STATUS(concat_strings_into("abc", "def", buf, 6, &needed, NULL), FFI_STATUS_BUFFER_TOO_SMALL);
    CHECK(buf[0] == '\0');
    CHECK(buf[1] == 'x'); /* nothing else written */
    CHECK(needed == 7);
    /* Size query. */
    needed = 0;
    CHECK_STATUS(concat_strings_into("abc", "de", NULL, 0, &needed, NULL), FFI_STATUS_BUFFER_TOO_SMALL);
    CHECK(needed == 6);
    CHECK_STATUS(concat_strings_into("abc", "de", NULL, 10, &needed, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(concat_strings_into(NULL, "de", buf, sizeof buf, &needed, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(concat_strings_into("abc", NULL, buf, sizeof buf, &needed, NULL), FFI_STATUS_NULL_ARGUMENT);

    size_t n = 99;
    CHECK_STATUS(count_characters("h\xc3\xa9llo", &n, NULL), FFI_STATUS_OK);
    CHECK(n == 5);
    CHECK_STATUS(count_characters("\xf0\x9f\xa6\x80", &n, NULL), FFI_STATUS_OK);
    CHECK(n == 1);
    CHECK_STATUS(count_characters("", &n, NULL), FFI_STATUS_OK);
    CHECK(n == 0);
    n = 99;
    CHECK_STATUS(count_characters("\xff", &n, NULL), FFI_STATUS_INVALID_UTF8);
    CHECK_STATUS(count_characters("\xc3", &n, NULL), FFI_STATUS_INVALID_UTF8);       /* truncated sequence */
    CHECK_STATUS(count_characters("\xed\xa0\x80", &n, NULL), FFI_STATUS_INVALID_UTF8); /* encoded surrogate */
    CHECK(n == 99);
    CHECK_STATUS(count_characters(NULL, &n, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(count_characters("x", NULL, NULL), FFI_STATUS_NULL_ARGUMENT);
}
