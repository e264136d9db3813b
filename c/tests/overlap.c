/*
 * Overlaps the header forbids and the library detects (issue 22, item 4):
 * `needed` or `buf` over an input of the concat_*_into functions, and
 * u32_array_move_into's `dest` over the U32Array descriptor or its values.
 * Each is FFI_STATUS_INVALID_ARGUMENT with a reason, and nothing is written.
 * Also: outputs into uninitialised memory (the header asks only for
 * writable memory), read back only where the call wrote.
 */
#include <stdlib.h>

#include "check.h"

static const char *reason(const FfiError *e) { return ffi_error_message(e); }

static void concat_overlaps(FfiError *e) {
    /* `needed` inside `first`: a size_t-aligned block holding "aaaaaaaaa". */
    size_t words[4];
    memset(words, 0, sizeof words);
    memset(words, 'a', 9);
    const char *first = (const char *)words;
    char buf[32];
    memset(buf, 0x55, sizeof buf);
    CHECK_STATUS(concat_strings_into(first, "b", buf, sizeof buf, &words[1], e), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STR(reason(e), "needed overlaps first: the header requires them to be disjoint");
    CHECK(strlen(first) == 9); /* `needed` was not written */
    CHECK(buf[0] == 0x55);     /* nor `buf` */

    /* `needed` on `second`'s terminator only. */
    size_t second[2] = {0, 0};
    memset(second, 'z', sizeof(size_t)); /* eight 'z', then the NUL in second[1] */
    CHECK_STATUS(concat_strings_into("a", (const char *)second, buf, sizeof buf, &second[1], e),
                 FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STR(reason(e), "needed overlaps second: the header requires them to be disjoint");
    CHECK(second[1] == 0);

    /* Appending a buffer to itself: `buf` contains `first`. */
    char self[16] = "xy";
    CHECK_STATUS(concat_strings_into(self, "z", self, sizeof self, NULL, e), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STR(reason(e), "buf overlaps first: the header requires them to be disjoint");
    CHECK_STR(self, "xy");
    /* Even a too-small buffer is refused first (the too-small path writes buf[0]). */
    CHECK_STATUS(concat_strings_into("a", self + 1, self, 2, NULL, e), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STR(reason(e), "buf overlaps second: the header requires them to be disjoint");
    CHECK_STR(self, "xy");

    /* `needed` inside `buf`. */
    size_t block[4];
    CHECK_STATUS(concat_strings_into("a", "b", (char *)block, sizeof block, &block[2], e), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STR(reason(e), "needed overlaps buf: the header requires them to be disjoint");

    /* Adjacent is not overlapping: `buf` right after `first`'s NUL. */
    char row[16] = "ab";
    size_t needed = 0;
    CHECK_STATUS(concat_strings_into(row, "cd", row + 3, sizeof row - 3, &needed, e), FFI_STATUS_OK);
    CHECK_STR(row + 3, "abcd");
    CHECK(needed == 5);

    /* UTF-16: `needed` over `second`, `buf` over `first`, nothing written. */
    uint16_t units[16];
    for (size_t i = 0; i < 16; i++) units[i] = 'a';
    CHECK_STATUS(concat_strings_utf16_into(units, 2, units + 4, 4, NULL, 0, (size_t *)(void *)(units + 4), e),
                 FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STR(reason(e), "needed overlaps second: the header requires them to be disjoint");
    CHECK_STATUS(concat_strings_utf16_into(units, 4, units + 8, 2, units + 3, 4, &needed, e),
                 FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STR(reason(e), "buf overlaps first: the header requires them to be disjoint");
    CHECK_STATUS(concat_strings_utf16_into(units, 2, units + 2, 2, units + 12, 4, (size_t *)(void *)(units + 12), e),
                 FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STR(reason(e), "needed overlaps buf: the header requires them to be disjoint");
    int untouched = 1;
    for (size_t i = 0; i < 16; i++) untouched &= units[i] == 'a';
    CHECK(untouched);
}

static void move_into_overlaps(FfiError *e) {
    size_t live = u32_array_live_count();
    /* The descriptor at the start of a block, dest starting inside it. */
    union {
        U32Array array;
        uint32_t words[32];
    } block;
    memset(&block, 0, sizeof block);
    CHECK_STATUS(primes_up_to(30, &block.array, e), FFI_STATUS_OK);
    U32Array kept = block.array;
    CHECK(kept.len == 10);
    CHECK_STATUS(u32_array_move_into(&block.array, block.words + 5, 20, e), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STR(reason(e), "dest overlaps the U32Array at array: the header requires them to be disjoint");
    CHECK(block.array.data == kept.data && block.array.len == kept.len && block.array.capacity == kept.capacity);
    CHECK(u32_array_live_count() == live + 1);
    /* dest over the values themselves (shifted by one). */
    CHECK_STATUS(u32_array_move_into(&block.array, kept.data + 1, 10, e), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STR(reason(e), "dest overlaps the array's values: the header requires them to be disjoint");
    CHECK(kept.data[0] == 2 && kept.data[9] == 29);
    /* Right after the descriptor: fine. */
    uint32_t *after = block.words + sizeof(U32Array) / sizeof(uint32_t);
    CHECK_STATUS(u32_array_move_into(&block.array, after, 10, e), FFI_STATUS_OK);
    CHECK(after[0] == 2 && after[9] == 29);
    CHECK(block.array.data == NULL && block.array.len == 0 && block.array.capacity == 0);
    CHECK(u32_array_live_count() == live);
    u32_array_free(block.array); /* harmless */
}

static void uninitialised_outputs(void) {
    /* malloc'd and never written: only the bytes the calls write are read. */
    size_t live = u32_array_live_count();
    char *buf = malloc(16);
    uint16_t *units = malloc(8 * sizeof *units);
    uint32_t *dest = malloc(16 * sizeof *dest);
    CHECK(buf != NULL && units != NULL && dest != NULL);
    if (buf == NULL || units == NULL || dest == NULL) {
        free(buf);
        free(units);
        free(dest);
        return;
    }
    CHECK_STATUS(concat_strings_into("ab", "cd", buf, 16, NULL, NULL), FFI_STATUS_OK);
    CHECK(memcmp(buf, "abcd", 5) == 0);
    const uint16_t text[] = {'h', 'i', '!'};
    size_t needed = 0;
    CHECK_STATUS(concat_strings_utf16_into(text, 2, text + 2, 1, units, 8, &needed, NULL), FFI_STATUS_OK);
    CHECK(needed == 3 && units[0] == 'h' && units[1] == 'i' && units[2] == '!');
    U32Array primes;
    CHECK_STATUS(primes_up_to(20, &primes, NULL), FFI_STATUS_OK);
    CHECK_STATUS(u32_array_move_into(&primes, dest, 16, NULL), FFI_STATUS_OK);
    CHECK(dest[0] == 2 && dest[7] == 19);
    CHECK(u32_array_live_count() == live);
    free(buf);
    free(units);
    free(dest);
}

void test_overlap(void) {
    FfiError *e = ffi_error_new();
    concat_overlaps(e);
    move_into_overlaps(e);
    uninitialised_outputs();
    ffi_error_free(e);
}
