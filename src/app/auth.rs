//! auth use cases.
