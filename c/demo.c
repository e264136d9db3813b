/*
 * The C demo: a plain C program linked against libffi_deep_dive.so, showing
 * each concept of the library as a C user sees it. Each concept's code is in
 * c/demo/<concept>.c, named like the Rust module and the TS module.
 */
#include "demo/demo.h"

int main(void) {
    printf("ffi-deep-dive C demo: calling Rust from C\n");
    demo_numbers();
    demo_strings();
    demo_point();
    demo_opaque();
    demo_unions();
    demo_enums();
    demo_tuples();
    demo_slices();
    demo_callbacks();
    demo_async();
    return 0;
}
