//! `/api`, `/api/v3/system/status` and `/api/v3/health`: what the product is, since when it
//! runs, and the problems of the detailed health report in Sonarr's health-check shape.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};

use crate::app::health::{HealthReport, SourceReport};
use crate::domain::provider_health::SourceState;

/// The API versions (`GET /api`).
#[derive(Debug, Object)]
#[oai(rename = "SonarrApiInfo", rename_all = "camelCase")]
pub struct ApiInfo {
    /// Always `v3`.
    pub current: String,
    /// Always empty.
    pub deprecated: Vec<String>,
}

/// The product and its start (`GET /api/v3/system/status`).
#[derive(Debug, Object)]
#[oai(rename = "SonarrSystemStatus", rename_all = "camelCase")]
pub struct SystemStatus {
    /// Always `aniworld`.
    pub app_name: String,
    /// The configured name of this instance (`name` in the configuration).
    pub instance_name: String,
    /// The product version.
    pub version: String,
    /// When the server started.
    pub start_time: DateTime<Utc>,
}

/// How bad a problem is, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Enum)]
#[oai(rename = "SonarrHealthKind", rename_all = "lowercase")]
pub enum HealthKind {
    /// Worth knowing, nothing fails (a hoster rests after a browser challenge).
    Notice,
    /// Something fails, the product still works (a hoster, the logs folder).
    Warning,
    /// The product cannot do its job (the database, the data folder, a catalogue site).
    Error,
}

/// One problem, as Sonarr's health checks report it.
#[derive(Debug, Object)]
#[oai(rename = "SonarrHealthIssue", rename_all = "camelCase")]
pub struct HealthIssue {
    /// Which check found it: `DatabaseCheck`, `FolderCheck`, `CatalogueCheck` or
    /// `HosterCheck`.
    pub source: String,
    #[oai(rename = "type")]
    pub kind: HealthKind,
    pub message: String,
}

impl HealthIssue {
    fn new(source: &str, kind: HealthKind, message: String) -> Self {
        Self {
            source: source.to_owned(),
            kind,
            message,
        }
    }
}

/// The problems of a health report, worst first: only problems, as Sonarr lists them (an
/// empty list is a healthy product).
pub fn issues(report: &HealthReport) -> Vec<HealthIssue> {
    let mut out = Vec::new();
    if !report.database.healthy {
        let message = format!("The database does not answer: {}", report.database.message);
        out.push(HealthIssue::new(
            "DatabaseCheck",
            HealthKind::Error,
            message,
        ));
    }
    if !report.data_dir_writable {
        let message = "The data folder cannot be written: settings, keys and the queue are not \
                       saved"
            .to_owned();
        out.push(HealthIssue::new("FolderCheck", HealthKind::Error, message));
    }
    if !report.logs_dir_writable {
        let message = "The logs folder cannot be written: no log file is kept".to_owned();
        out.push(HealthIssue::new(
            "FolderCheck",
            HealthKind::Warning,
            message,
        ));
    }
    for site in report.sites.iter().filter(|s| s.enabled) {
        let name = site.site.name();
        let about = source_issue(&site.report, &format!("The catalogue site {name}"));
        if let Some((kind, mut message)) = about {
            if site.report.health.refused() {
                message.push_str(
                    "; the site does not take the product for a browser: set \
                     provider.flaresolverr_url to a FlareSolverr instance",
                );
            }
            // Without its catalogue nothing of that site is found or downloaded.
            let kind = if kind == HealthKind::Warning {
                HealthKind::Error
            } else {
                kind
            };
            out.push(HealthIssue::new("CatalogueCheck", kind, message));
        }
    }
    for (name, report) in &report.hosters {
        if let Some((kind, message)) = source_issue(report, &format!("The hoster {name}")) {
            out.push(HealthIssue::new("HosterCheck", kind, message));
        }
    }
    out.sort_by_key(|issue| std::cmp::Reverse(issue.kind));
    out
}

/// A source resting (a notice) or failing on every recent attempt (a warning), if either.
fn source_issue(report: &SourceReport, what: &str) -> Option<(HealthKind, String)> {
    if let Some(secs) = report.resting_seconds {
        let message = format!("{what} rests for {secs} s after a browser challenge");
        return Some((HealthKind::Notice, message));
    }
    (report.state == SourceState::Failing).then(|| {
        let last = report.health.last_error.as_deref().unwrap_or("no answer");
        let message = format!("{what} failed on every recent attempt (last: {last})");
        (HealthKind::Warning, message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::health::{DatabaseHealth, SiteReport};
    use crate::domain::provider_health::SourceHealth;
    use crate::domain::site::Site;

    fn source(state: SourceState, resting_seconds: Option<u64>) -> SourceReport {
        SourceReport {
            health: SourceHealth {
                last_error: Some("HTTP 503".into()),
                ..SourceHealth::default()
            },
            state,
            resting_seconds,
        }
    }

    fn healthy() -> HealthReport {
        let site = |site, enabled| SiteReport {
            site,
            enabled,
            report: source(SourceState::Working, None),
        };
        HealthReport {
            healthy: true,
            degraded: false,
            catalogue: source(SourceState::Working, None),
            sites: vec![site(Site::Aniworld, true), site(Site::Sto, false)],
            hosters: vec![("VOE".into(), source(SourceState::Unknown, None))],
            timestamp: DateTime::default(),
            startup_time: DateTime::default(),
            uptime_seconds: 1.0,
            database: DatabaseHealth {
                healthy: true,
                connection_time_ms: 1.0,
                message: "Database connection successful".into(),
            },
            data_dir_writable: true,
            logs_dir_writable: true,
            system: Default::default(),
            identity: Default::default(),
        }
    }

    #[test]
    fn a_healthy_product_has_no_issues() {
        assert!(issues(&healthy()).is_empty());
    }

    #[test]
    fn each_problem_is_one_issue_worst_first() {
        let mut report = healthy();
        report.logs_dir_writable = false;
        report.hosters = vec![
            ("VOE".into(), source(SourceState::Failing, None)),
            ("Vidoza".into(), source(SourceState::Working, Some(30))),
        ];
        report.sites[0].report = source(SourceState::Failing, None);
        // A site switched off is not asked, so its failures are no problem.
        report.sites[1].report = source(SourceState::Failing, None);
        let all = issues(&report);
        let found: Vec<(&str, HealthKind)> =
            all.iter().map(|i| (i.source.as_str(), i.kind)).collect();
        assert_eq!(
            found,
            [
                ("CatalogueCheck", HealthKind::Error),
                ("FolderCheck", HealthKind::Warning),
                ("HosterCheck", HealthKind::Warning),
                ("HosterCheck", HealthKind::Notice),
            ]
        );
        assert!(all[0].message.contains("aniworld.to"), "{}", all[0].message);
        assert!(all[2].message.contains("VOE") && all[2].message.contains("HTTP 503"));
        assert!(all[3].message.contains("30 s"), "{}", all[3].message);
    }

    #[test]
    fn a_broken_database_or_data_folder_is_an_error() {
        let mut report = healthy();
        report.database.healthy = false;
        report.data_dir_writable = false;
        let kinds: Vec<HealthKind> = issues(&report).iter().map(|i| i.kind).collect();
        assert_eq!(kinds, [HealthKind::Error, HealthKind::Error]);
    }
}
