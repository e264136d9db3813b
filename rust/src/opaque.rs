//! opaque: see the module docs once implemented.
