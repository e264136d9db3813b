/* Tuples: a tuple struct by value, fields _0 and _1. */
#include <stdint.h>

#include "check.h"

void test_tuples(void) {
    CHECK(sizeof(Tuple) == 8 && offsetof(Tuple, _0) == 0 && offsetof(Tuple, _1) == 4);

    Tuple t = {._0 = 1, ._1 = 2};
    Tuple f = flip_things(t);
    CHECK(f._0 == 2 && f._1 == 1);
    CHECK(t._0 == 1 && t._1 == 2); /* by value: the argument is a copy */

    Tuple edge = {._0 = UINT32_MAX, ._1 = 0};
    f = flip_things(edge);
    CHECK(f._0 == 0 && f._1 == UINT32_MAX);

    Tuple twice = flip_things(flip_things(edge));
    CHECK(twice._0 == edge._0 && twice._1 == edge._1);

    /* flip_things_into: into the caller's memory, in place, overlapping, or not at all for NULL. */
    Tuple out = {._0 = 7, ._1 = 7};
    CHECK(flip_things_into(&t, &out));
    CHECK(out._0 == 2 && out._1 == 1 && t._0 == 1 && t._1 == 2);
    CHECK(flip_things_into(&edge, &edge));
    CHECK(edge._0 == 0 && edge._1 == UINT32_MAX);
    Tuple row[2] = {{._0 = 1, ._1 = 2}, {._0 = 3, ._1 = 4}};
    /* out = the Tuple that starts at row[0]._1 (overlaps both elements): reads {1, 2}, writes {2, 1} there. */
    uint32_t *words = &row[0]._0;
    CHECK(flip_things_into(&row[0], (Tuple *)(void *)(words + 1)));
    CHECK(row[0]._0 == 1 && row[0]._1 == 2 && row[1]._0 == 1 && row[1]._1 == 4);
    CHECK(!flip_things_into(NULL, &out));
    CHECK(!flip_things_into(&t, NULL));
    CHECK(out._0 == 2 && out._1 == 1); /* NULL: nothing written */
}
