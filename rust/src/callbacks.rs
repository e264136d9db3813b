//! callbacks: see the module docs once implemented.
