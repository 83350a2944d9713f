//! Each kind's request, as INTEGRATIONS.md section 5 lists them.

use reqwest::{Client, RequestBuilder};
use serde_json::{Value, json};

use super::outcome;
use crate::domain::arr_id;
use crate::domain::connection::{ConnEvent, Connection};
use crate::domain::notify::Message;
use crate::domain::series::SeriesKey;

fn server(c: &Connection, name: &str) -> String {
    c.text(name)
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_owned()
}

/// Sonarr's webhook `eventType`.
fn event_type(m: &Message) -> &'static str {
    match m.event {
        ConnEvent::Test => "Test",
        ConnEvent::Grab => "Grab",
        ConnEvent::Download => "Download",
        ConnEvent::Failure => "DownloadFailure",
        ConnEvent::Health if m.restored => "HealthRestored",
        ConnEvent::Health => "Health",
        ConnEvent::NewEpisodes => "SeriesAdd",
    }
}

/// Sonarr's webhook payload.
pub(super) fn webhook_payload(m: &Message) -> Value {
    let mut body = json!({
        "eventType": event_type(m),
        "instanceName": "aniworld",
        "message": m.title,
        "isUpgrade": m.is_upgrade,
    });
    if let Some(s) = &m.series {
        let id = SeriesKey::parse(&s.key).map_or(0, |k| arr_id::series_id(&k));
        body["series"] = json!({ "id": id, "title": s.title, "titleSlug": s.key, "path": s.path });
        body["episodes"] = m
            .episodes
            .iter()
            .map(|(season, episode)| {
                json!({ "seasonNumber": season, "episodeNumber": episode,
                    "title": format!("Episode {episode}") })
            })
            .collect();
    }
    if let Some(id) = &m.download_id {
        body["downloadId"] = json!(id);
    }
    if let Some(f) = &m.file {
        body["episodeFile"] = json!({ "path": f.path, "relativePath": f.relative_path,
            "languages": f.language.iter().map(|l| json!({ "name": l })).collect::<Vec<_>>() });
    }
    body
}

pub(super) fn webhook(client: &Client, c: &Connection, m: &Message) -> RequestBuilder {
    let url = server(c, "url");
    let mut request = if c.text("method") == Some("PUT") {
        client.put(url)
    } else {
        client.post(url)
    };
    if let Some(user) = c.text("username") {
        request = request.basic_auth(user, c.text("password"));
    }
    if let Some(headers) = c.settings.get("headers").and_then(Value::as_object) {
        for (name, value) in headers {
            request = request.header(name, value.as_str().unwrap_or_default());
        }
    }
    request.json(&webhook_payload(m))
}

pub(super) fn ntfy(client: &Client, c: &Connection, m: &Message) -> RequestBuilder {
    let url = format!(
        "{}/{}",
        server(c, "server"),
        c.text("topic").unwrap_or_default()
    );
    let tag = match m.event {
        ConnEvent::Failure => "warning",
        ConnEvent::Health if !m.restored => "warning",
        _ => "tv",
    };
    let mut request = client
        .post(url)
        .header("Title", &m.title)
        .header("Priority", c.number("priority").unwrap_or(3).to_string())
        .header("Tags", tag)
        .body(m.body.clone());
    if let Some(token) = c.text("token") {
        request = request.bearer_auth(token);
    }
    request
}

pub(super) fn discord(client: &Client, c: &Connection, m: &Message) -> RequestBuilder {
    let color = match m.event {
        ConnEvent::Failure => 0x00d1_3b3b,
        ConnEvent::Health if !m.restored => 0x00e0_a526,
        _ => 0x002e_9e5b,
    };
    let fields: Vec<Value> = m
        .series
        .iter()
        .map(|s| json!({ "name": "Series", "value": s.title, "inline": true }))
        .collect();
    client.post(server(c, "webhook_url")).json(&json!({
        "username": c.text("username").unwrap_or("aniworld"),
        "embeds": [{ "title": m.title, "description": m.body, "color": color,
            "fields": fields, "timestamp": m.at.to_rfc3339() }],
    }))
}

pub(super) fn apprise(client: &Client, c: &Connection, m: &Message) -> RequestBuilder {
    let kind = match m.event {
        ConnEvent::Failure => "failure",
        ConnEvent::Health if !m.restored => "warning",
        ConnEvent::Download => "success",
        _ => "info",
    };
    let url = format!(
        "{}/notify/{}",
        server(c, "server"),
        c.text("key").unwrap_or_default()
    );
    client
        .post(url)
        .json(&json!({ "title": m.title, "body": m.body, "type": kind }))
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub(super) fn telegram(client: &Client, c: &Connection, m: &Message) -> RequestBuilder {
    let base = c
        .text("api_base")
        .unwrap_or("https://api.telegram.org")
        .trim_end_matches('/');
    let url = format!(
        "{base}/bot{}/sendMessage",
        c.text("bot_token").unwrap_or_default()
    );
    let text = format!("<b>{}</b>\n{}", escape_html(&m.title), escape_html(&m.body));
    client.post(url).json(&json!({
        "chat_id": c.text("chat_id").unwrap_or_default(), "text": text, "parse_mode": "HTML",
    }))
}

pub(super) fn gotify(client: &Client, c: &Connection, m: &Message) -> RequestBuilder {
    client
        .post(format!("{}/message", server(c, "server")))
        .header("X-Gotify-Key", c.text("token").unwrap_or_default())
        .json(&json!({ "title": m.title, "message": m.body,
            "priority": c.number("priority").unwrap_or(5) }))
}

/// Jellyfin and Emby: the file as the server sees it, `Created`; the Test asks for
/// `/System/Info`.
pub(super) fn media_browser(client: &Client, c: &Connection, m: &Message) -> RequestBuilder {
    let base = server(c, "server");
    let token = c.text("api_key").unwrap_or_default();
    let Some(file) = m.file.as_ref().filter(|_| m.event != ConnEvent::Test) else {
        return client
            .get(format!("{base}/System/Info"))
            .header("X-MediaBrowser-Token", token);
    };
    let updates: Vec<Value> = std::iter::once(file)
        .chain(&m.also)
        .map(|f| json!({ "Path": c.map_path(&f.path), "UpdateType": "Created" }))
        .collect();
    client
        .post(format!("{base}/Library/Media/Updated"))
        .header("X-MediaBrowser-Token", token)
        .json(&json!({ "Updates": updates }))
}

/// Plex: the `show` sections, then a refresh of the series folder as Plex sees it in each;
/// the Test lists the sections only.
pub(super) async fn plex(client: &Client, c: &Connection, m: &Message) -> Result<String, String> {
    let base = server(c, "server");
    let token = c.text("token").unwrap_or_default();
    let sections = client
        .get(format!("{base}/library/sections"))
        .query(&[("X-Plex-Token", token)])
        .header("Accept", "application/json")
        .send()
        .await;
    let response = match sections {
        Ok(r) if r.status().is_success() => r,
        other => return outcome(other).await,
    };
    let answer: Value = response
        .json()
        .await
        .map_err(|e| format!("Plex's sections are not JSON: {}", e.without_url()))?;
    let shows: Vec<String> = answer["MediaContainer"]["Directory"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["type"] == "show")
        .filter_map(|d| d["key"].as_str().map(str::to_owned))
        .collect();
    if shows.is_empty() {
        return Err("Plex has no TV show library".into());
    }
    let Some(series) = m.series.as_ref().filter(|_| m.event != ConnEvent::Test) else {
        return Ok(format!("200 OK: {} TV show libraries", shows.len()));
    };
    let path = c.map_path(&series.path);
    let mut last = String::new();
    for key in shows {
        let refreshed = client
            .get(format!("{base}/library/sections/{key}/refresh"))
            .query(&[("path", path.as_str()), ("X-Plex-Token", token)])
            .send()
            .await;
        last = outcome(refreshed).await?;
    }
    Ok(last)
}
