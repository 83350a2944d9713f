//! API.md section 6: the scheduler's configuration (stored in the configuration document)
//! and the rescan it runs, on demand.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::types::Example;
use poem_openapi::{Object, OpenApi};
use serde_json::{Map, Value};

use super::ApiTags;
use super::anime_api::library_error;
use super::anime_dto::RescanStarted;
use super::config_api::config_error;
use super::error::ApiError;
use super::security::BearerAuth;
use crate::app::App;
use crate::domain::config::SchedulerConfig;

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
    enabled: Option<bool>,
    interval_minutes: Option<i64>,
    auto_download: Option<bool>,
}

impl From<&SchedulerConfig> for SchedulerSettings {
    fn from(s: &SchedulerConfig) -> Self {
        Self {
            enabled: s.enabled,
            interval_minutes: s.interval_minutes,
            auto_download: s.auto_download,
        }
    }
}

#[OpenApi(tag = "ApiTags::Scheduler")]
impl SchedulerApi {
    /// The scheduler's settings.
    #[oai(path = "/api/scheduler/config", method = "get")]
    async fn get_config(&self, app: Data<&Arc<App>>, _auth: BearerAuth) -> Json<SchedulerSettings> {
        Json(SchedulerSettings::from(&app.config.current().scheduler))
    }

    /// Change the scheduler's settings; applied without a restart.
    #[oai(path = "/api/scheduler/config", method = "post")]
    async fn set_config(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
        body: Json<SchedulerUpdate>,
    ) -> Result<Json<SchedulerSettings>, ApiError> {
        let mut section = Map::new();
        if let Some(enabled) = body.0.enabled {
            section.insert("enabled".into(), enabled.into());
        }
        if let Some(minutes) = body.0.interval_minutes {
            if !(1..=10080).contains(&minutes) {
                return Err(
                    ApiError::validation("interval_minutes must be between 1 and 10080")
                        .with_details(
                            serde_json::json!({ "field": "interval_minutes", "value": minutes }),
                        ),
                );
            }
            section.insert("interval_minutes".into(), minutes.into());
        }
        if let Some(auto) = body.0.auto_download {
            section.insert("auto_download".into(), auto.into());
        }
        let patch = Value::Object(Map::from_iter([(
            "scheduler".to_owned(),
            Value::Object(section),
        )]));
        let updated = app.config.update(&patch).await.map_err(config_error)?;
        Ok(Json(SchedulerSettings::from(&updated.scheduler)))
    }

    /// Rescan the library now (disk and catalogue), in the background.
    #[oai(path = "/api/scheduler/trigger-rescan", method = "post")]
    async fn trigger_rescan(
        &self,
        app: Data<&Arc<App>>,
        _auth: BearerAuth,
    ) -> Result<Json<RescanStarted>, ApiError> {
        let started = app.scheduler.trigger_rescan().map_err(library_error)?;
        Ok(Json(RescanStarted::new(started)))
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
