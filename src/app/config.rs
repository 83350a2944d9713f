//! config use cases.
