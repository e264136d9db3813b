/* Point: a struct both sides can see into, shared by pointer and by value. */
#include "demo.h"

void demo_point(void) {
    DEMO_SECTION("point");
    /* Declared and initialised in C, on the C stack. */
    Point point = {.x = 1.0f, .y = 2.0f};
    printf("C created   Point { x: %g, y: %g }\n", point.x, point.y);

    /* Translated in place by Rust, through a pointer. */
    point_translate(&point, 3.0f, 4.0f);
    printf("Rust moved it by (3, 4) -> { x: %g, y: %g }\n", point.x, point.y);

    /* Then mutated in place from C: the layout is shared, so C just writes. */
    point.x *= 10.0f;
    point.y = -point.y;
    printf("C changed it (x *= 10, y = -y) -> { x: %g, y: %g }\n", point.x, point.y);

    /* By value: a copy goes in, a new Point comes out. */
    Point moved = point_translated(point, -40.0f, 6.0f);
    printf("point_translated(point, -40, 6) = { x: %g, y: %g }; point is still { x: %g, y: %g }\n", moved.x,
           moved.y, point.x, point.y);

    /* An array of Points, translated in one call. */
    Point path[3] = {{0.0f, 0.0f}, {1.0f, 1.0f}, {2.0f, 0.0f}};
    points_translate(path, 3, 0.5f, -0.5f);
    printf("points_translate(path, 3, 0.5, -0.5) = {%g, %g} {%g, %g} {%g, %g}\n", path[0].x, path[0].y, path[1].x,
           path[1].y, path[2].x, path[2].y);
}
