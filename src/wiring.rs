//! Builds the adapters and the app from the command line and serves.
