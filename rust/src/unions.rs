//! unions: see the module docs once implemented.
