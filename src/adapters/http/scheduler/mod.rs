//! API.md section 6: the scheduler's configuration (stored in the configuration document)
//! and the rescan it runs, on demand.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{Object, OpenApi};

use crate::adapters::http::ApiTags;
use crate::adapters::http::anime::dto::RescanStarted;
use crate::adapters::http::error::{ApiError, Code};
use crate::adapters::http::outcomes::{
    INVALID, MALFORMED, Reply, STORAGE, TOO_LARGE, UNAUTHORIZED, outcomes, reply,
};
use crate::adapters::http::security::AdminAuth;
use crate::app::App;
use crate::app::config::ConfigError;
use crate::app::library::LibraryError;
use crate::domain::config::Scheduler;

/// Scheduler endpoints.
pub struct SchedulerApi;

/// The scheduler's settings.
#[derive(Debug, Object)]
#[oai(example)]
struct SchedulerSettings {
    enabled: bool,
    /// Minutes between two rescans, 1 to 10080.
    interval_minutes: u32,
    /// Queue newly missing episodes after a scheduled scan.
    auto_download: bool,
}

/// A change to the scheduler's settings; fields left out keep their value.
#[derive(Debug, Object)]
#[oai(example)]
struct SchedulerUpdate {
    #[oai(nullable)]
    enabled: Option<bool>,
    #[oai(nullable)]
    interval_minutes: Option<i64>,
    #[oai(nullable)]
    auto_download: Option<bool>,
}

impl From<&Scheduler> for SchedulerSettings {
    fn from(s: &Scheduler) -> Self {
        Self {
            enabled: s.enabled,
            interval_minutes: s.interval_minutes,
            auto_download: s.auto_download,
        }
    }
}

outcomes!(ReadScheduler: "The scheduler's settings", [UNAUTHORIZED]);
outcomes!(SetScheduler(ConfigError): "The scheduler's settings now in force", [
    MALFORMED,
    UNAUTHORIZED,
    TOO_LARGE,
    INVALID,
    STORAGE,
]);
outcomes!(TriggerRescan(LibraryError): "The rescan started (or one was running already)", [
    (Code::BadRequest, "No library directory is set"),
    UNAUTHORIZED,
]);

#[OpenApi(tag = "ApiTags::Scheduler")]
impl SchedulerApi {
    /// Scheduler settings
    ///
    /// Whether the periodic rescan runs, how often, and whether it queues what it finds
    /// missing (the `scheduler` section of the configuration).
    #[oai(path = "/api/scheduler/config", method = "get")]
    async fn get_config(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<SchedulerSettings>, ReadScheduler> {
        reply(Json(SchedulerSettings::from(
            &app.config.current().scheduler,
        )))
    }

    /// Change scheduler settings
    ///
    /// Fields left out keep their value; `interval_minutes` is 1 to 10080. Stored in the
    /// configuration and applied without a restart.
    #[oai(path = "/api/scheduler/config", method = "post")]
    async fn set_config(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
        body: Json<SchedulerUpdate>,
    ) -> Reply<Json<SchedulerSettings>, SetScheduler> {
        let SchedulerUpdate {
            enabled,
            interval_minutes,
            auto_download,
        } = body.0;
        let interval_minutes = match interval_minutes {
            None => None,
            Some(minutes) => match u32::try_from(minutes) {
                Ok(valid @ 1..=10080) => Some(valid),
                _ => {
                    return Err(ApiError::validation(
                        "interval_minutes must be between 1 and 10080",
                    )
                    .with_details(
                        serde_json::json!({ "field": "interval_minutes", "value": minutes }),
                    )
                    .into());
                }
            },
        };
        let updated = app
            .config
            .update(|current| {
                let mut changed = current.clone();
                let scheduler = &mut changed.scheduler;
                scheduler.enabled = enabled.unwrap_or(scheduler.enabled);
                scheduler.interval_minutes = interval_minutes.unwrap_or(scheduler.interval_minutes);
                scheduler.auto_download = auto_download.unwrap_or(scheduler.auto_download);
                Ok(changed)
            })
            .await?;
        reply(Json(SchedulerSettings::from(&updated.scheduler)))
    }

    /// Rescan now
    ///
    /// Runs the scheduler's job at once, in the background: the library on disk, then the
    /// catalogue for new episodes (queued when `auto_download` is on). Progress arrives on
    /// the WebSocket.
    #[oai(path = "/api/scheduler/trigger-rescan", method = "post")]
    async fn trigger_rescan(
        &self,
        app: Data<&Arc<App>>,
        _auth: AdminAuth,
    ) -> Reply<Json<RescanStarted>, TriggerRescan> {
        let started = app.scheduler.trigger_rescan()?;
        reply(Json(RescanStarted::new(started)))
    }
}

impl Example for SchedulerSettings {
    fn example() -> Self {
        Self {
            enabled: true,
            interval_minutes: 60,
            auto_download: false,
        }
    }
}

impl Example for SchedulerUpdate {
    fn example() -> Self {
        Self {
            enabled: Some(true),
            interval_minutes: Some(30),
            auto_download: None,
        }
    }
}
