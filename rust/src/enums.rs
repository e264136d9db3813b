//! enums: see the module docs once implemented.
