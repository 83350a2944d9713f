//! Inbound HTTP: poem-openapi handlers, middleware and error mapping.
