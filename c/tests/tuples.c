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
}
