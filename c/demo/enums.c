/* enums: filled in by its issue. */
#include "demo.h"

void demo_enums(void) {}
