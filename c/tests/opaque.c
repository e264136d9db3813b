/* opaque: filled in by its issue. */
#include "check.h"

void test_opaque(void) {}
