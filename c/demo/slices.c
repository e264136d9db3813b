/* slices: filled in by its issue. */
#include "demo.h"

void demo_slices(void) {}
