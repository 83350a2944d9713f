//! config.json and its backups.
