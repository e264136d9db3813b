/*
 * The C test program: exercises c/include/ffi_deep_dive.h the way a C user
 * would, including NULL and error paths. Built plain, with ASan/UBSan, and
 * run under valgrind by `make test`. One file per concept in c/tests/.
 */
#include "check.h"

int check_passed = 0;
int check_failed = 0;

int main(void) {
    test_status();
    test_numbers();
    test_strings();
    test_point();
    test_opaque();
    test_unions();
    test_enums();
    test_tuples();
    test_slices();
    test_callbacks();
    test_error();
    test_async();
    test_overlap();
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}
