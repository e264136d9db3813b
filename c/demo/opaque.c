/* OpaquePoint: a type only Rust can see into, used through a handle. */
#include "demo.h"

void demo_opaque(void) {
    DEMO_SECTION("opaque");
    OpaquePoint *point = opaque_point_new(1.0f, 2.0f); /* C owns the handle now */
    printf("opaque_point_new(1, 2); live OpaquePoints: %zu\n", opaque_point_live_count());
    /* C cannot write point->x: the struct is incomplete here. Rust does it. */
    opaque_point_translate(point, 3.0f, 4.0f);

    char *text = opaque_point_describe(point); /* a Rust-owned string */
    printf("after opaque_point_translate(point, 3, 4): %s\n", text);
    free_rust_string(text);

    Point coords = opaque_point_get(point); /* a copy, as a plain Point */
    printf("opaque_point_get(point) = { x: %g, y: %g }\n", coords.x, coords.y);

    opaque_point_free(point); /* exactly once */
    point = NULL;
    printf("opaque_point_free(point); live OpaquePoints: %zu\n", opaque_point_live_count());
    Point none = opaque_point_get(NULL);
    printf("opaque_point_get(NULL) = { x: %g, y: %g } (documented)\n", none.x, none.y);
}
