//! health use cases.
