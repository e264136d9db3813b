/* Enums with data: a Rust enum is a tagged union in C. */
#include <stdint.h>
#include <string.h>

#include "demo.h"

static const char *kind(const Shape *s) {
    switch (s->tag) {
    case SHAPE_CIRCLE: return "circle";
    case SHAPE_RECTANGLE: return "rectangle";
    case SHAPE_TRIANGLE: return "triangle";
    default: return "?";
    }
}

static void show_area(const Shape *s) {
    double area = 0.0;
    FfiError *error = ffi_error_new();
    FfiStatus status = shape_area(s, &area, error);
    if (status == FFI_STATUS_OK) {
        printf("shape_area(%s) = %g\n", kind(s), area);
    } else {
        printf("shape_area(%s) -> %s: %s\n", kind(s), ffi_status_message(status), ffi_error_message(error));
    }
    ffi_error_free(error);
}

void demo_enums(void) {
    DEMO_SECTION("enums");
    Shape circle = {.CIRCLE = {.tag = SHAPE_CIRCLE, .radius = 1.0}};
    Shape rect = {.RECTANGLE = {.tag = SHAPE_RECTANGLE, .width = 3.0, .height = 4.0}};
    Shape tri = {.TRIANGLE = {.tag = SHAPE_TRIANGLE, .a = 3.0, .b = 4.0, .c = 5.0}};
    show_area(&circle);
    show_area(&rect);
    show_area(&tri);

    FfiStatus status = shape_scale(&tri, 2.0, NULL);
    printf("shape_scale(triangle, 2) -> %s: sides %g %g %g\n", ffi_status_message(status), tri.TRIANGLE.a,
           tri.TRIANGLE.b, tri.TRIANGLE.c);
    show_area(&tri);

    Shape broken = {.TRIANGLE = {.tag = SHAPE_TRIANGLE, .a = 1.0, .b = 2.0, .c = 10.0}};
    show_area(&broken);
    Shape bogus = circle;
    uint32_t tag = 42;
    memcpy(&bogus.tag, &tag, sizeof tag);
    show_area(&bogus);
}
