/* Point: a struct shared by pointer, by value and as an array. */
#include <math.h>
#include <stdint.h>

#include "check.h"

void test_point(void) {
    /* The layout C sees is the one Rust uses: two floats, x first. */
    CHECK(sizeof(Point) == 2 * sizeof(float));
    CHECK(offsetof(Point, x) == 0);
    CHECK(offsetof(Point, y) == sizeof(float));

    /* By pointer: a Point on the C stack, mutated in place by Rust. */
    Point p = {1.0f, 2.0f};
    point_translate(&p, 0.5f, -3.0f);
    CHECK(p.x == 1.5f && p.y == -1.0f);
    point_translate(&p, 0.0f, 0.0f);
    CHECK(p.x == 1.5f && p.y == -1.0f);
    point_translate(NULL, 1.0f, 1.0f); /* a no-op */

    /* Float arithmetic: overflow gives an infinity, NaN propagates. */
    Point big = {3.0e38f, -3.0e38f};
    point_translate(&big, 3.0e38f, -3.0e38f);
    CHECK(isinf(big.x) && big.x > 0 && isinf(big.y) && big.y < 0);
    Point nan = {NAN, 0.0f};
    point_translate(&nan, 1.0f, 1.0f);
    CHECK(isnan(nan.x) && nan.y == 1.0f);

    /* By value: a new Point comes back; the argument is a copy. */
    Point q = {10.0f, 20.0f};
    Point r = point_translated(q, -10.0f, 0.25f);
    CHECK(r.x == 0.0f && r.y == 20.25f);
    CHECK(q.x == 10.0f && q.y == 20.0f);
    Point lit = point_translated((Point){0.1f, 0.2f}, 0.2f, 0.1f);
    CHECK(lit.x == 0.1f + 0.2f && lit.y == 0.2f + 0.1f); /* float sums, as in C */

    /* The batch form, in place. */
    Point ps[3] = {{0.0f, 0.0f}, {1.0f, 1.0f}, {-2.0f, 4.0f}};
    points_translate(ps, 3, 1.0f, -1.0f);
    CHECK(ps[0].x == 1.0f && ps[0].y == -1.0f);
    CHECK(ps[1].x == 2.0f && ps[1].y == 0.0f);
    CHECK(ps[2].x == -1.0f && ps[2].y == 3.0f);
    /* Only `count` points are touched. */
    points_translate(ps, 1, 10.0f, 10.0f);
    CHECK(ps[0].x == 11.0f && ps[1].x == 2.0f && ps[2].x == -1.0f);
    /* count 0, NULL and an impossible count are no-ops that touch nothing. */
    points_translate(ps, 0, 5.0f, 5.0f);
    points_translate(NULL, 0, 5.0f, 5.0f);
    points_translate(NULL, 3, 5.0f, 5.0f);
    points_translate(ps, SIZE_MAX, 5.0f, 5.0f);
    points_translate(ps, SIZE_MAX / sizeof(Point) + 1, 5.0f, 5.0f);
    CHECK(ps[0].x == 11.0f && ps[0].y == 9.0f);
    CHECK(ps[2].x == -1.0f && ps[2].y == 3.0f);
}
