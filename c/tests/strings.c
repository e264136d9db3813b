/* Strings: Rust-owned results, caller-owned buffers, UTF-8 validation. */
#include "check.h"

static void test_strings_with_length(void);

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
    /* The smallest length that claims a buffer: NULL with 1 byte is refused before
       anything is written (the too-small path would write the 1-byte empty string). */
    CHECK_STATUS(concat_strings_into("abc", "de", NULL, 1, &needed, NULL), FFI_STATUS_NULL_ARGUMENT);
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

    test_strings_with_length();
}

/* (pointer, length) text: UTF-16 code units and UTF-8 bytes, NUL inside allowed. */
static void test_strings_with_length(void) {
    /* "h\0é🦀": h, NUL, é, then U+1F980 as a surrogate pair. */
    const uint16_t text[] = {0x68, 0x0000, 0xe9, 0xd83e, 0xdd80};
    size_t n = 99;
    CHECK_STATUS(count_characters_utf16(text, 5, &n, NULL), FFI_STATUS_OK);
    CHECK(n == 4);
    CHECK_STATUS(count_characters_utf16(text, 2, &n, NULL), FFI_STATUS_OK); /* a prefix: "h\0" */
    CHECK(n == 2);
    CHECK_STATUS(count_characters_utf16(NULL, 0, &n, NULL), FFI_STATUS_OK); /* NULL + 0: empty */
    CHECK(n == 0);
    n = 99;
    /* A prefix that cuts the pair leaves a lone high surrogate. */
    CHECK_STATUS(count_characters_utf16(text, 4, &n, NULL), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(count_characters_utf16(text + 4, 1, &n, NULL), FFI_STATUS_INVALID_ARGUMENT); /* lone low */
    CHECK_STATUS(count_characters_utf16(NULL, 1, &n, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(count_characters_utf16(text, 5, NULL, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(count_characters_utf16(text, SIZE_MAX, &n, NULL), FFI_STATUS_INVALID_ARGUMENT);
    /* Misaligned: one byte into the array. */
    const uint16_t *odd = (const uint16_t *)(const void *)((const char *)text + 1);
    CHECK_STATUS(count_characters_utf16(odd, 1, &n, NULL), FFI_STATUS_INVALID_ARGUMENT);
    CHECK(n == 99); /* written only on success */

    const char utf8[] = "h\0\xc3\xa9\xf0\x9f\xa6\x80"; /* the same text as UTF-8: 8 bytes */
    CHECK_STATUS(count_characters_utf8(utf8, 8, &n, NULL), FFI_STATUS_OK);
    CHECK(n == 4);
    CHECK_STATUS(count_characters_utf8(utf8, 7, &n, NULL), FFI_STATUS_INVALID_UTF8); /* cut crab */
    CHECK_STATUS(count_characters_utf8(NULL, 0, &n, NULL), FFI_STATUS_OK);
    CHECK(n == 0);
    CHECK_STATUS(count_characters_utf8(NULL, 1, &n, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(count_characters_utf8(utf8, 1, NULL, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(count_characters_utf8(utf8, SIZE_MAX, &n, NULL), FFI_STATUS_INVALID_ARGUMENT);

    uint16_t buf[8];
    size_t needed = 0;
    memset(buf, 0x55, sizeof buf);
    CHECK_STATUS(concat_strings_utf16_into(text, 2, text + 2, 3, buf, 8, &needed, NULL), FFI_STATUS_OK);
    CHECK(needed == 5);
    CHECK(memcmp(buf, text, sizeof text) == 0);
    CHECK(buf[5] == 0x5555); /* not terminated: nothing written past the result */
    /* Too small: nothing written at all. */
    memset(buf, 0x55, sizeof buf);
    CHECK_STATUS(concat_strings_utf16_into(text, 2, text + 2, 3, buf, 4, &needed, NULL), FFI_STATUS_BUFFER_TOO_SMALL);
    CHECK(needed == 5 && buf[0] == 0x5555);
    /* Size query, and the empty join. */
    CHECK_STATUS(concat_strings_utf16_into(text, 5, text, 5, NULL, 0, &needed, NULL), FFI_STATUS_BUFFER_TOO_SMALL);
    CHECK(needed == 10);
    CHECK_STATUS(concat_strings_utf16_into(NULL, 0, NULL, 0, NULL, 0, &needed, NULL), FFI_STATUS_OK);
    CHECK(needed == 0);
    /* Each input must be well formed on its own: the halves of a pair split across them are refused. */
    CHECK_STATUS(concat_strings_utf16_into(text, 4, text + 4, 1, buf, 8, NULL, NULL), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(concat_strings_utf16_into(NULL, 1, text, 1, buf, 8, NULL, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(concat_strings_utf16_into(text, 1, NULL, 1, buf, 8, NULL, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(concat_strings_utf16_into(text, 1, text, 1, NULL, 8, NULL, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(concat_strings_utf16_into(odd, 1, text, 1, buf, 8, NULL, NULL), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(concat_strings_utf16_into(text, SIZE_MAX, text, 1, buf, 8, NULL, NULL), FFI_STATUS_INVALID_ARGUMENT);
}
