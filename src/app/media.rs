//! media use cases.
