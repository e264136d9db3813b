/* Enums with data: Shape, a Rust enum seen from C as a tagged union. */
#include <math.h> /* NAN and INFINITY only */
#include <stdint.h>

#include "check.h"

/* Local helpers: the test program does not link libm. */
static double absolute(double x) { return x < 0 ? -x : x; }

static int near(double a, double b) {
    double scale = absolute(a) > absolute(b) ? absolute(a) : absolute(b);
    return absolute(a - b) <= 1e-12 * (scale > 1.0 ? scale : 1.0);
}

static void test_layout(void) {
    CHECK(sizeof(Shape) == 32 && _Alignof(Shape) == 8);
    CHECK(offsetof(Shape_Circle_Body, radius) == 8);
    CHECK(offsetof(Shape_Rectangle_Body, height) == 16);
    CHECK(offsetof(Shape_Triangle_Body, c) == 24);
    CHECK(SHAPE_CIRCLE == 0 && SHAPE_RECTANGLE == 1 && SHAPE_TRIANGLE == 2);
}

static void test_area_and_scale(void) {
    double area = -1.0;
    Shape c = circle(2.0);
    CHECK_STATUS(shape_area(&c, &area, NULL), FFI_STATUS_OK);
    CHECK(near(area, 4.0 * 3.14159265358979323846));

    Shape r = rectangle(3.0, 4.5);
    CHECK_STATUS(shape_area(&r, &area, NULL), FFI_STATUS_OK);
    CHECK(area == 13.5);

    Shape t = triangle(3.0, 4.0, 5.0);
    CHECK_STATUS(shape_area(&t, &area, NULL), FFI_STATUS_OK);
    CHECK(near(area, 6.0));
    Shape flat = triangle(1.0, 2.0, 3.0);
    CHECK_STATUS(shape_area(&flat, &area, NULL), FFI_STATUS_OK);
    CHECK(area == 0.0);
    /* Zero is a length (documented): a degenerate shape with area 0, not an error. */
    Shape dot = circle(0.0);
    area = -1.0;
    CHECK_STATUS(shape_area(&dot, &area, NULL), FFI_STATUS_OK);
    CHECK(area == 0.0);
    Shape line = rectangle(0.0, 2.0);
    area = -1.0;
    CHECK_STATUS(shape_area(&line, &area, NULL), FFI_STATUS_OK);
    CHECK(area == 0.0);

    CHECK_STATUS(shape_scale(&t, 2.0, NULL), FFI_STATUS_OK);
    CHECK(t.tag == SHAPE_TRIANGLE && t.TRIANGLE.a == 6.0 && t.TRIANGLE.b == 8.0 && t.TRIANGLE.c == 10.0);
    CHECK_STATUS(shape_area(&t, &area, NULL), FFI_STATUS_OK);
    CHECK(near(area, 24.0));
    CHECK_STATUS(shape_scale(&c, 0.5, NULL), FFI_STATUS_OK);
    CHECK(c.tag == SHAPE_CIRCLE && c.CIRCLE.radius == 1.0);
    CHECK_STATUS(shape_scale(&r, 0.0, NULL), FFI_STATUS_OK);
    CHECK(r.RECTANGLE.width == 0.0 && r.RECTANGLE.height == 0.0);
}

static void test_errors(void) {
    double area = -1.0;
    const double bad_lengths[] = {-1.0, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof bad_lengths / sizeof bad_lengths[0]; i++) {
        Shape c = circle(bad_lengths[i]);
        CHECK_STATUS(shape_area(&c, &area, NULL), FFI_STATUS_INVALID_ARGUMENT);
        Shape r = rectangle(1.0, bad_lengths[i]);
        CHECK_STATUS(shape_area(&r, &area, NULL), FFI_STATUS_INVALID_ARGUMENT);
        Shape t = triangle(1.0, 1.0, bad_lengths[i]);
        CHECK_STATUS(shape_area(&t, &area, NULL), FFI_STATUS_INVALID_ARGUMENT);
        CHECK_STATUS(shape_scale(&t, 2.0, NULL), FFI_STATUS_INVALID_ARGUMENT);
        /* A bad factor leaves the shape untouched. */
        Shape ok = rectangle(1.0, 2.0);
        CHECK_STATUS(shape_scale(&ok, bad_lengths[i], NULL), FFI_STATUS_INVALID_ARGUMENT);
        CHECK(ok.RECTANGLE.width == 1.0 && ok.RECTANGLE.height == 2.0);
    }
    Shape broken = triangle(1.0, 2.0, 3.5);
    CHECK_STATUS(shape_area(&broken, &area, NULL), FFI_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(shape_scale(&broken, 1.0, NULL), FFI_STATUS_INVALID_ARGUMENT);
    CHECK(area == -1.0); /* never written on error */

    Shape huge = circle(1e200);
    CHECK_STATUS(shape_area(&huge, &area, NULL), FFI_STATUS_OVERFLOW);
    CHECK_STATUS(shape_scale(&huge, 1e200, NULL), FFI_STATUS_OVERFLOW);
    CHECK(huge.CIRCLE.radius == 1e200);

    /* An unknown tag is refused before Rust reads the bytes as an enum. The
       payload is 1.0 in every double, a valid circle, rectangle and triangle
       alike, so a tag check that let an unknown tag through would read a valid
       shape and return OK, whatever variant the bytes were taken for. */
    const uint32_t bogus[] = {3, 4, 0x80000000u, UINT32_MAX};
    for (size_t i = 0; i < sizeof bogus / sizeof bogus[0]; i++) {
        Shape s;
        memset(&s, 0, sizeof s);
        s.TRIANGLE.a = s.TRIANGLE.b = s.TRIANGLE.c = 1.0;
        memcpy(&s.tag, &bogus[i], sizeof bogus[i]);
        CHECK_STATUS(shape_area(&s, &area, NULL), FFI_STATUS_INVALID_ARGUMENT);
        CHECK_STATUS(shape_scale(&s, 2.0, NULL), FFI_STATUS_INVALID_ARGUMENT);
        CHECK(s.tag == bogus[i] && s.CIRCLE.radius == 1.0);
    }
    CHECK(area == -1.0);

    Shape ok = circle(1.0);
    CHECK_STATUS(shape_area(NULL, &area, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(shape_area(&ok, NULL, NULL), FFI_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(shape_scale(NULL, 2.0, NULL), FFI_STATUS_NULL_ARGUMENT);
}

void test_enums(void) {
    test_layout();
    test_area_and_scale();
    test_errors();
}
