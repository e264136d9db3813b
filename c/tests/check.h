/*
 * A tiny test harness for the C test program: CHECK records a pass or a
 * failure (with file and line) and keeps going; main() prints the totals as
 * "N passed, N failed" and exits non-zero on any failure.
 */
#ifndef FFI_DEEP_DIVE_CHECK_H
#define FFI_DEEP_DIVE_CHECK_H

#include <stdio.h>
#include <string.h>

#include "ffi_deep_dive.h"

extern int check_passed;
extern int check_failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            check_passed++;                                                          \
        } else {                                                                     \
            check_failed++;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

/* Shapes for the enums and error tests. */
static inline Shape circle(double r) {
    Shape s;
    memset(&s, 0, sizeof s);
    s.CIRCLE.tag = SHAPE_CIRCLE;
    s.CIRCLE.radius = r;
    return s;
}

static inline Shape rectangle(double w, double h) {
    Shape s;
    memset(&s, 0, sizeof s);
    s.RECTANGLE.tag = SHAPE_RECTANGLE;
    s.RECTANGLE.width = w;
    s.RECTANGLE.height = h;
    return s;
}

static inline Shape triangle(double a, double b, double c) {
    Shape s;
    memset(&s, 0, sizeof s);
    s.TRIANGLE.tag = SHAPE_TRIANGLE;
    s.TRIANGLE.a = a;
    s.TRIANGLE.b = b;
    s.TRIANGLE.c = c;
    return s;
}

#define CHECK_STATUS(expr, expected) CHECK((expr) == (expected))
#define CHECK_STR(actual, expected) CHECK((actual) != NULL && strcmp((actual), (expected)) == 0)

void test_status(void);
void test_numbers(void);
void test_strings(void);
void test_point(void);
void test_opaque(void);
void test_unions(void);
void test_enums(void);
void test_tuples(void);
void test_slices(void);
void test_callbacks(void);
void test_error(void);
void test_async(void);
void test_overlap(void);

#endif
