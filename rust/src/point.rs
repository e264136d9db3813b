//! point: see the module docs once implemented.
