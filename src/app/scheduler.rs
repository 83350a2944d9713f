//! scheduler use cases.
