//! redb implementation of the storage ports, and config.json.
