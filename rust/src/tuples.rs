//! tuples: see the module docs once implemented.
