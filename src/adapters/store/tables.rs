//! Table definitions, the schema version and the migration hook. Table names carry a
//! version suffix: a table whose layout changes gets a new name and a migration.

use redb::{ReadableTable, TableDefinition, WriteTransaction};

use super::{OrUnavailable, StoreError};

/// The schema this build writes.
pub const SCHEMA_VERSION: u64 = 1;

/// Schema version and other small facts about the database.
pub(crate) const META: TableDefinition<&str, u64> = TableDefinition::new("meta_v1");
/// Single-value auth facts: `password_hash`, `jwt_secret`.
pub(crate) const AUTH: TableDefinition<&str, &[u8]> = TableDefinition::new("auth_v1");
/// Revoked token id → expiry (seconds since the epoch).
pub(crate) const REVOKED_TOKENS: TableDefinition<&str, i64> =
    TableDefinition::new("revoked_tokens_v1");
/// Client → JSON `LoginFailures`.
pub(crate) const LOGIN_FAILURES: TableDefinition<&str, &[u8]> =
    TableDefinition::new("login_failures_v1");

/// API key id → JSON `ApiKey` (its digest, never its secret).
pub(crate) const API_KEYS: TableDefinition<&str, &[u8]> = TableDefinition::new("api_keys_v1");

/// Info hash → JSON `Release`: every release the Torznab feed offered.
pub(crate) const RELEASES: TableDefinition<&str, &[u8]> = TableDefinition::new("releases_v1");
/// qBittorrent category name → its save path (UTF-8).
pub(crate) const ARR_CATEGORIES: TableDefinition<&str, &[u8]> =
    TableDefinition::new("arr_categories_v1");

/// History entry id (its event's sequence number) → JSON `HistoryEntry`.
pub(crate) const HISTORY: TableDefinition<u64, &[u8]> = TableDefinition::new("history_v1");

/// Connection id → JSON `Connection` (its secrets included: the database is the user's).
pub(crate) const CONNECTIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("connections_v1");
/// Outbox entry id → JSON `OutboxEntry`: messages waiting for their connection.
pub(crate) const OUTBOX: TableDefinition<u64, &[u8]> = TableDefinition::new("outbox_v1");

/// Series key → JSON `LibrarySeries`.
pub(crate) const SERIES: TableDefinition<&str, &[u8]> = TableDefinition::new("series_v1");

/// Queue item id → JSON `QueueRecord` (`queue_record.rs`).
pub(crate) const QUEUE_ITEMS: TableDefinition<&str, &[u8]> = TableDefinition::new("queue_items_v1");
/// Episode key (`<series>/<season>-<episode>`) → JSON `Remembered`.
pub(crate) const QUEUE_MEMORY: TableDefinition<&str, &[u8]> =
    TableDefinition::new("queue_memory_v1");
/// Single queue facts: `run_state` → JSON `RunState`.
pub(crate) const QUEUE_META: TableDefinition<&str, &[u8]> = TableDefinition::new("queue_meta_v1");

/// Source name (`catalogue`, `hoster:<name>`) → JSON `SourceHealth`.
pub(crate) const PROVIDER_HEALTH: TableDefinition<&str, &[u8]> =
    TableDefinition::new("provider_health_v1");

const SCHEMA_KEY: &str = "schema_version";
/// The last series number given out, in [`META`].
pub(crate) const LAST_SERIES_ID: &str = "last_series_id";
/// When every series was last refreshed from the catalogue (seconds since the epoch), in
/// [`META`].
pub(crate) const LAST_FULL_REFRESH: &str = "last_full_refresh";

/// Creates every table and brings an older schema up to [`SCHEMA_VERSION`].
pub(crate) fn create_and_migrate(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(AUTH).or_unavailable()?;
    txn.open_table(REVOKED_TOKENS).or_unavailable()?;
    txn.open_table(LOGIN_FAILURES).or_unavailable()?;
    txn.open_table(API_KEYS).or_unavailable()?;
    txn.open_table(RELEASES).or_unavailable()?;
    txn.open_table(HISTORY).or_unavailable()?;
    txn.open_table(CONNECTIONS).or_unavailable()?;
    txn.open_table(OUTBOX).or_unavailable()?;
    txn.open_table(ARR_CATEGORIES).or_unavailable()?;
    txn.open_table(SERIES).or_unavailable()?;
    txn.open_table(QUEUE_ITEMS).or_unavailable()?;
    txn.open_table(QUEUE_MEMORY).or_unavailable()?;
    txn.open_table(QUEUE_META).or_unavailable()?;
    txn.open_table(PROVIDER_HEALTH).or_unavailable()?;
    let mut meta = txn.open_table(META).or_unavailable()?;
    let found = meta.get(SCHEMA_KEY).or_unavailable()?.map(|v| v.value());
    match found {
        None => {}
        Some(v) if v > SCHEMA_VERSION => {
            return Err(StoreError::Corrupt(format!(
                "database schema {v} is newer than this build ({SCHEMA_VERSION}); upgrade aniworld"
            )));
        }
        Some(v) => migrate(txn, v)?,
    }
    meta.insert(SCHEMA_KEY, SCHEMA_VERSION).or_unavailable()?;
    Ok(())
}

/// Moves data from schema `from` to [`SCHEMA_VERSION`], one step at a time.
fn migrate(_txn: &WriteTransaction, from: u64) -> Result<(), StoreError> {
    // Version 1 is the first schema: there is nothing older to migrate yet. A step per
    // version goes here, e.g. `if from < 2 { v1_to_v2(txn)?; }`.
    let _ = from;
    Ok(())
}
