//! The configuration (API.md section 5, CONTRACT.md section 2): the document as
//! `config.json` and the API hold it, and the settings parsed from it.
//!
//! - [`document`]: the JSON shape ([`AppConfig`]) and its defaults, for the edges only;
//! - [`Settings`] (`settings`, `parse`): the document parsed once into types, each rule
//!   checked in one place (`Settings::try_from`), every broken rule a [`ConfigIssue`];
//! - `values`: the values with a rule of their own ([`LogLevel`], [`Languages`],
//!   [`AbsoluteDir`], [`DataDirPath`]); the trusted proxies are
//!   [`TrustedProxies`](crate::domain::forwarded::TrustedProxies);
//! - [`merge_patch`]: the JSON merge patch of a partial update;
//! - [`BackupName`]: the names of configuration backups.
//!
//! Relative paths in the document are relative to the data dir, and no path may point
//! outside it: a request must never make the server write elsewhere.

mod backup_name;
pub mod document;
mod issue;
mod merge;
pub mod mirrors;
mod parse;
mod settings;
mod urls;
mod values;

pub use backup_name::{BackupName, InvalidBackupName};
pub use document::{
    AppConfig, BackupConfig, DownloadConfig, LoggingConfig, ProviderConfig, STO_URL,
    SchedulerConfig, SecurityConfig,
};
pub use issue::ConfigIssue;
pub use merge::merge_patch;
pub use settings::{Backup, Downloads, Logging, Provider, Scheduler, Security, Settings};
pub use urls::is_origin;
pub use values::{AbsoluteDir, DataDirPath, InvalidSetting, Languages, LogLevel};
