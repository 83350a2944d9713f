//! Each kind's settings: which are required, which are secret, how each is checked.

use serde_json::{Map, Value};

use super::{HIDDEN, Kind, SettingError};

/// How a setting is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    Url,
    Text,
    Number,
    Method,
    Headers,
    Mappings,
}

/// One setting of a kind: its name, whether it must be given, whether it is a secret.
pub(super) struct Field {
    pub(super) name: &'static str,
    pub(super) rule: Rule,
    pub(super) required: bool,
    pub(super) secret: bool,
}

const fn field(name: &'static str, rule: Rule, required: bool, secret: bool) -> Field {
    Field {
        name,
        rule,
        required,
        secret,
    }
}

pub(super) const WEBHOOK: &[Field] = &[
    field("url", Rule::Url, true, false),
    field("method", Rule::Method, false, false),
    field("username", Rule::Text, false, false),
    field("password", Rule::Text, false, true),
    field("headers", Rule::Headers, false, false),
];
pub(super) const NTFY: &[Field] = &[
    field("server", Rule::Url, true, false),
    field("topic", Rule::Text, true, false),
    field("token", Rule::Text, false, true),
    field("priority", Rule::Number, false, false),
];
pub(super) const DISCORD: &[Field] = &[
    field("webhook_url", Rule::Url, true, true),
    field("username", Rule::Text, false, false),
];
pub(super) const APPRISE: &[Field] = &[
    field("server", Rule::Url, true, false),
    field("key", Rule::Text, true, false),
];
pub(super) const TELEGRAM: &[Field] = &[
    field("bot_token", Rule::Text, true, true),
    field("chat_id", Rule::Text, true, false),
    field("api_base", Rule::Url, false, false),
];
pub(super) const GOTIFY: &[Field] = &[
    field("server", Rule::Url, true, false),
    field("token", Rule::Text, true, true),
    field("priority", Rule::Number, false, false),
];
pub(super) const JELLYFIN: &[Field] = &[
    field("server", Rule::Url, true, false),
    field("api_key", Rule::Text, true, true),
    field("path_mappings", Rule::Mappings, false, false),
];
pub(super) const PLEX: &[Field] = &[
    field("server", Rule::Url, true, false),
    field("token", Rule::Text, true, true),
    field("path_mappings", Rule::Mappings, false, false),
];

fn refuse(field: &str, message: impl Into<String>) -> SettingError {
    SettingError {
        field: format!("settings.{field}"),
        message: message.into(),
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
