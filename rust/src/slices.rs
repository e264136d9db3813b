//! slices: see the module docs once implemented.
