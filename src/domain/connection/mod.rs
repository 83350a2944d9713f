//! Connections (INTEGRATIONS.md section 5): where the product tells of what happened, a
//! notification service or a media server, each enabled for chosen events. Pure: the kinds and
//! their settings (which are required, which are secret), checking them, hiding secrets, and
//! mapping a path to where a media server sees it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

mod settings;

pub use settings::check_settings;
use settings::{APPRISE, DISCORD, Field, GOTIFY, JELLYFIN, NTFY, PLEX, TELEGRAM, WEBHOOK};

/// What answers show in place of a secret; sent back unchanged, it keeps the secret.
pub const HIDDEN: &str = "********";

/// A kind of connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Webhook,
    Ntfy,
    Discord,
    Apprise,
    Telegram,
    Gotify,
    Jellyfin,
    Emby,
    Plex,
}

impl Kind {
    pub const ALL: [Self; 9] = [
        Self::Webhook,
        Self::Ntfy,
        Self::Discord,
        Self::Apprise,
        Self::Telegram,
        Self::Gotify,
        Self::Jellyfin,
        Self::Emby,
        Self::Plex,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::Ntfy => "ntfy",
            Self::Discord => "discord",
            Self::Apprise => "apprise",
            Self::Telegram => "telegram",
            Self::Gotify => "gotify",
            Self::Jellyfin => "jellyfin",
            Self::Emby => "emby",
            Self::Plex => "plex",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name.trim())
    }

    /// A media server refreshes its library rather than showing a message.
    pub fn is_media_server(self) -> bool {
        matches!(self, Self::Jellyfin | Self::Emby | Self::Plex)
    }

    fn fields(self) -> &'static [Field] {
        match self {
            Self::Webhook => WEBHOOK,
            Self::Ntfy => NTFY,
            Self::Discord => DISCORD,
            Self::Apprise => APPRISE,
            Self::Telegram => TELEGRAM,
            Self::Gotify => GOTIFY,
            Self::Jellyfin | Self::Emby => JELLYFIN,
            Self::Plex => PLEX,
        }
    }
}

/// What a connection may be told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnEvent {
    /// An episode was queued.
    Grab,
    /// An episode was downloaded.
    Download,
    /// A download failed for good.
    Failure,
    /// A hoster or the catalogue turned failing, or healthy again.
    Health,
    /// A library job found missing episodes.
    NewEpisodes,
    /// The Test button.
    Test,
}

impl ConnEvent {
    pub const ALL: [Self; 6] = [
        Self::Grab,
        Self::Download,
        Self::Failure,
        Self::Health,
        Self::NewEpisodes,
        Self::Test,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Grab => "grab",
            Self::Download => "download",
            Self::Failure => "failure",
            Self::Health => "health",
            Self::NewEpisodes => "new_episodes",
            Self::Test => "test",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name() == name.trim())
    }
}

/// A setting the connection's kind refuses: the field (`settings.url`) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct SettingError {
    pub field: String,
    pub message: String,
}

/// A connection as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Connection {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub enabled: bool,
    pub events: Vec<ConnEvent>,
    /// The kind's settings, secrets included (never shown: see [`Connection::shown_settings`]).
    pub settings: Map<String, Value>,
    pub last_sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

impl Connection {
    /// The settings as answers show them: every secret that is set as [`HIDDEN`].
    pub fn shown_settings(&self) -> Map<String, Value> {
        let mut shown = self.settings.clone();
        for f in self.kind.fields().iter().filter(|f| f.secret) {
            if let Some(v) = shown.get_mut(f.name)
                && !v.is_null()
            {
                *v = Value::String(HIDDEN.into());
            }
        }
        shown
    }

    /// A text setting, trimmed; `None` when absent or empty.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.settings
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// A number setting.
    pub fn number(&self, name: &str) -> Option<i64> {
        self.settings.get(name).and_then(Value::as_i64)
    }

    /// A path as the media server sees it: the longest `path_mappings` `from` that starts it
    /// replaced by its `to`.
    pub fn map_path(&self, path: &str) -> String {
        let mappings = self
            .settings
            .get("path_mappings")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let best = mappings
            .iter()
            .filter_map(|m| Some((m.get("from")?.as_str()?, m.get("to")?.as_str()?)))
            .filter(|(from, _)| {
                let from = from.trim_end_matches('/');
                path == from || path.starts_with(&format!("{from}/"))
            })
            .max_by_key(|(from, _)| from.trim_end_matches('/').len());
        match best {
            Some((from, to)) => format!(
                "{}{}",
                to.trim_end_matches('/'),
                &path[from.trim_end_matches('/').len()..]
            ),
            None => path.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn jellyfin(settings: Value) -> Connection {
        Connection {
            id: "c1".into(),
            name: "Jellyfin".into(),
            kind: Kind::Jellyfin,
            enabled: true,
            events: vec![ConnEvent::Download],
            settings: map(settings),
            last_sent_at: None,
            last_error: None,
        }
    }

    #[test]
    fn required_malformed_and_unknown_settings_are_refused_by_name() {
        let missing = check_settings(
            Kind::Ntfy,
            map(json!({ "server": "https://ntfy.sh" })),
            None,
        );
        assert_eq!(missing.unwrap_err().field, "settings.topic");
        let bad = check_settings(
            Kind::Gotify,
            map(json!({ "server": "ftp://x", "token": "t" })),
            None,
        );
        assert_eq!(
            bad.unwrap_err().to_string(),
            "settings.server: must be an http(s) URL"
        );
        let unknown = check_settings(
            Kind::Discord,
            map(json!({ "webhook_url": "https://d/x", "colour": 1 })),
            None,
        );
        assert_eq!(unknown.unwrap_err().field, "settings.colour");
        let method = check_settings(
            Kind::Webhook,
            map(json!({ "url": "http://h/x", "method": "GET" })),
            None,
        );
        assert_eq!(method.unwrap_err().field, "settings.method");
        assert!(
            check_settings(
                Kind::Webhook,
                map(json!({ "url": "http://h:8/x", "headers": { "X-A": "1" } })),
                None
            )
            .is_ok()
        );
    }

    #[test]
    fn secrets_are_hidden_in_answers_and_kept_when_sent_back_hidden() {
        let c = jellyfin(json!({ "server": "http://jf:8096", "api_key": "s3cret" }));
        assert_eq!(c.shown_settings()["api_key"], HIDDEN);
        assert_eq!(c.shown_settings()["server"], "http://jf:8096");
        let update = map(json!({ "server": "http://jf2:8096", "api_key": HIDDEN }));
        let kept = check_settings(Kind::Jellyfin, update, Some(&c.settings)).unwrap();
        assert_eq!(kept["api_key"], "s3cret");
        let never = check_settings(
            Kind::Jellyfin,
            map(json!({ "server": "http://jf", "api_key": HIDDEN })),
            None,
        );
        assert_eq!(never.unwrap_err().field, "settings.api_key");
    }

    #[test]
    fn the_longest_mapping_that_starts_a_path_maps_it() {
        let c = jellyfin(
            json!({ "server": "http://jf", "api_key": "k", "path_mappings": [
            { "from": "/srv", "to": "/mnt" },
            { "from": "/srv/anime/", "to": "/media/anime" },
        ] }),
        );
        assert_eq!(
            c.map_path("/srv/anime/Dr. Stone/x.mp4"),
            "/media/anime/Dr. Stone/x.mp4"
        );
        assert_eq!(c.map_path("/srv/other"), "/mnt/other");
        assert_eq!(c.map_path("/srvx/a"), "/srvx/a");
        assert_eq!(c.map_path("/data/a"), "/data/a");
    }
}
