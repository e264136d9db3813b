/* Tuples: a Rust tuple struct is a C struct with fields _0 and _1. */
#include "demo.h"

void demo_tuples(void) {
    DEMO_SECTION("tuples");
    Tuple t = {._0 = 10, ._1 = 20};
    Tuple f = flip_things(t);
    printf("flip_things({10, 20}) = {%u, %u}\n", (unsigned)f._0, (unsigned)f._1);
}
