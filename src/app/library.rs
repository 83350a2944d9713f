//! library use cases.
