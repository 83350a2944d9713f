//! Connections (INTEGRATIONS.md section 5): where the product tells of what happened, a
//! notification service or a media server, each enabled for chosen events. Pure: the kinds and
//! their settings (which are required, which are secret), checking them, hiding secrets, and
//! mapping a path to where a media server sees it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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

/// How a setting is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Url,
    Text,
    Number,
    Method,
    Headers,
    Mappings,
}

/// One setting of a kind: its name, whether it must be given, whether it is a secret.
struct Field {
    name: &'static str,
    rule: Rule,
    required: bool,
    secret: bool,
}

const fn field(name: &'static str, rule: Rule, required: bool, secret: bool) -> Field {
    Field {
        name,
        rule,
        required,
        secret,
    }
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

const WEBHOOK: &[Field] = &[
    field("url", Rule::Url, true, false),
    field("method", Rule::Method, false, false),
    field("username", Rule::Text, false, false),
    field("password", Rule::Text, false, true),
    field("headers", Rule::Headers, false, false),
];
const NTFY: &[Field] = &[
    field("server", Rule::Url, true, false),
    field("topic", Rule::Text, true, false),
    field("token", Rule::Text, false, true),
    field("priority", Rule::Number, false, false),
];
const DISCORD: &[Field] = &[
    field("webhook_url", Rule::Url, true, true),
    field("username", Rule::Text, false, false),
];
const APPRISE: &[Field] = &[
    field("server", Rule::Url, true, false),
    field("key", Rule::Text, true, false),
];
const TELEGRAM: &[Field] = &[
    field("bot_token", Rule::Text, true, true),
    field("chat_id", Rule::Text, true, false),
    field("api_base", Rule::Url, false, false),
];
const GOTIFY: &[Field] = &[
    field("server", Rule::Url, true, false),
    field("token", Rule::Text, true, true),
    field("priority", Rule::Number, false, false),
];
const JELLYFIN: &[Field] = &[
    field("server", Rule::Url, true, false),
    field("api_key", Rule::Text, true, true),
    field("path_mappings", Rule::Mappings, false, false),
];
const PLEX: &[Field] = &[
    field("server", Rule::Url, true, false),
    field("token", Rule::Text, true, true),
    field("path_mappings", Rule::Mappings, false, false),
];

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

fn refuse(field: &str, message: impl Into<String>) -> SettingError {
    SettingError {
        field: format!("settings.{field}"),
        message: message.into(),
    }
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

/// Checks `settings` for `kind`: every required field given, each of the right form, no
/// unknown field. A secret sent as [`HIDDEN`] takes the value of `before` (an update that
/// leaves a secret alone); answers the settings to keep.
///
/// # Errors
/// The first field refused.
pub fn check_settings(
    kind: Kind,
    mut settings: Map<String, Value>,
    before: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, SettingError> {
    let fields = kind.fields();
    if let Some(unknown) = settings
        .keys()
        .find(|k| !fields.iter().any(|f| f.name == *k))
    {
        let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
        return Err(refuse(
            unknown,
            format!(
                "is not a setting of {} (its settings: {})",
                kind.name(),
                names.join(", ")
            ),
        ));
    }
    for f in fields {
        if f.secret && settings.get(f.name).and_then(Value::as_str) == Some(HIDDEN) {
            match before.and_then(|b| b.get(f.name)) {
                Some(kept) => {
                    settings.insert(f.name.into(), kept.clone());
                }
                None => return Err(refuse(f.name, "is hidden but was never set")),
            }
        }
        let value = settings.get(f.name).filter(|v| !v.is_null());
        let Some(value) = value else {
            if f.required {
                return Err(refuse(f.name, "is required"));
            }
            continue;
        };
        check_value(f, value)?;
    }
    Ok(settings)
}

fn check_value(f: &Field, value: &Value) -> Result<(), SettingError> {
    let text = value.as_str().map(str::trim);
    let ok = match f.rule {
        Rule::Url => text.is_some_and(|t| {
            (t.starts_with("http://") || t.starts_with("https://"))
                && url::Url::parse(t).is_ok_and(|u| u.host_str().is_some())
        }),
        Rule::Text => text.is_some_and(|t| !t.is_empty() && t.len() <= 2000),
        Rule::Number => value.as_i64().is_some_and(|n| (0..=10).contains(&n)),
        Rule::Method => text.is_some_and(|t| matches!(t, "POST" | "PUT")),
        Rule::Headers => value
            .as_object()
            .is_some_and(|h| h.iter().all(|(k, v)| !k.trim().is_empty() && v.is_string())),
        Rule::Mappings => value.as_array().is_some_and(|list| {
            list.iter().all(|m| {
                ["from", "to"].iter().all(|k| {
                    m.get(*k)
                        .and_then(Value::as_str)
                        .is_some_and(|p| p.starts_with('/') || p.contains(":\\"))
                })
            })
        }),
    };
    if ok {
        return Ok(());
    }
    let message = match f.rule {
        Rule::Url => "must be an http(s) URL",
        Rule::Text => "must be text of 1 to 2000 characters",
        Rule::Number => "must be a whole number from 0 to 10",
        Rule::Method => "must be POST or PUT",
        Rule::Headers => "must be an object of header names to text values",
        Rule::Mappings => "must be a list of {\"from\": <absolute path>, \"to\": <absolute path>}",
    };
    Err(refuse(f.name, message))
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
