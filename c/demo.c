/*
 * The C demo: a plain C program linked against libffi_deep_dive.so, showing
 * each concept of the library as a C user sees it. Each concept's code is in
 * c/demo/<concept>.c, named like the Rust module and the TS module.
 */
#include "demo/demo.h"

int main(void) {
    printf("ffi-deep-dive C demo: calling Rust from C\n");
    /* The header compiled against, and the library actually loaded. */
    printf("header %d.%d.%d (FFI_DEEP_DIVE_VERSION_NUMBER %d), library %s\n", FFI_DEEP_DIVE_VERSION_MAJOR,
           FFI_DEEP_DIVE_VERSION_MINOR, FFI_DEEP_DIVE_VERSION_PATCH, FFI_DEEP_DIVE_VERSION_NUMBER,
           ffi_deep_dive_version());
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
