/* point: filled in by its issue. */
#include "demo.h"

void demo_point(void) {}
