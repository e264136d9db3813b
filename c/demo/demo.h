/* One demo function per concept, each in c/demo/<concept>.c. */
#ifndef FFI_DEEP_DIVE_DEMO_H
#define FFI_DEEP_DIVE_DEMO_H

#include <stdio.h>

#include "ffi_deep_dive.h"

/* Prints a section title. */
#define DEMO_SECTION(title) printf("\n== %s ==\n", (title))

void demo_numbers(void);
void demo_strings(void);
void demo_point(void);
void demo_opaque(void);
void demo_unions(void);
void demo_enums(void);
void demo_tuples(void);
void demo_slices(void);
void demo_callbacks(void);
void demo_async(void);

#endif
