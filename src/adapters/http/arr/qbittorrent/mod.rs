//! The qBittorrent WebAPI v2 under `/api/v2/` (INTEGRATIONS.md section 3): the subset Sonarr
//! v4 and the `qbittorrent-api` Python client call. Login takes a `download` API key as the
//! password and answers a `SID` cookie; every other call but `app/webapiVersion` needs that
//! cookie (403 otherwise), and the key behind it is checked again on each call, so a revoked
//! key stops working at once. GET and POST are both accepted, with query, form or multipart
//! parameters. The torrents are the releases Sonarr grabbed (`torrents`).

mod torrents;
mod view;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use poem::http::{StatusCode, header};
use poem::web::Multipart;
use poem::{Body, FromRequest, Request, RequestBody, Response, Route, handler};
use rand::Rng;

use super::query_pairs;
use crate::adapters::http::limits::client_ip;
use crate::app::App;
use crate::app::auth::keys::KeyRefusal;
use crate::domain::api_key::Scope;
use crate::lock::MutexRecover;

/// The WebAPI version Sonarr is told: 2.9.3 keeps it on `paused` states (not `stopped`).
const WEBAPI_VERSION: &str = "2.9.3";
/// The qBittorrent version reported.
const APP_VERSION: &str = "v4.6.7";
/// Most sessions kept; past it the least recently used goes.
const MAX_SESSIONS: usize = 256;

/// Logged-in sessions: `SID` → the key it logged in with (kept in memory only) and when it
/// was last used.
#[derive(Default)]
pub struct Sessions {
    kept: Mutex<HashMap<String, (String, Instant)>>,
}

impl Sessions {
    fn open(&self, key: String) -> String {
        let sid: String = rand::rng()
            .sample_iter(rand::distr::Alphanumeric)
            .take(32)
            .map(char::from)
            .collect();
        let mut kept = self.kept.lock_or_recover();
        if kept.len() >= MAX_SESSIONS
            && let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(s, _)| s.clone())
        {
            kept.remove(&oldest);
        }
        kept.insert(sid.clone(), (key, Instant::now()));
        sid
    }

    fn key_of(&self, sid: &str) -> Option<String> {
        let mut kept = self.kept.lock_or_recover();
        let (key, at) = kept.get_mut(sid)?;
        *at = Instant::now();
        Some(key.clone())
    }

    fn close(&self, sid: &str) {
        self.kept.lock_or_recover().remove(sid);
    }
}

/// The routes, to be nested at `/api/v2`.
pub fn routes() -> Route {
    macro_rules! both {
        ($ep:expr) => {
            poem::get($ep).post($ep)
        };
    }
    Route::new()
        .at("/auth/login", both!(login))
        .at("/auth/logout", both!(logout))
        .at("/app/webapiVersion", both!(webapi_version))
        .at("/app/version", both!(app_version))
        .at("/app/buildInfo", both!(build_info))
        .at("/app/preferences", both!(preferences))
        .at("/app/defaultSavePath", both!(default_save_path))
        .at("/torrents/info", both!(torrents::info))
        .at("/torrents/add", both!(torrents::add))
        .at("/torrents/properties", both!(torrents::properties))
        .at("/torrents/files", both!(torrents::files))
        .at("/torrents/categories", both!(torrents::categories))
        .at("/torrents/createCategory", both!(torrents::create_category))
        .at("/torrents/editCategory", both!(torrents::create_category))
        .at("/torrents/setCategory", both!(torrents::set_category))
        .at("/torrents/delete", both!(torrents::delete))
        .at("/torrents/pause", both!(torrents::accepted))
        .at("/torrents/stop", both!(torrents::accepted))
        .at("/torrents/resume", both!(torrents::accepted))
        .at("/torrents/start", both!(torrents::accepted))
        .at("/torrents/setForceStart", both!(torrents::accepted))
        .at("/torrents/topPrio", both!(torrents::accepted))
        .at("/torrents/bottomPrio", both!(torrents::accepted))
        .at("/torrents/setShareLimits", both!(torrents::accepted))
        .at("/transfer/info", both!(torrents::transfer_info))
        .at("/sync/maindata", both!(torrents::maindata))
}

/// A request's parameters: query, then the form (URL-encoded or multipart) body.
pub(super) struct Params(Vec<(String, String)>);

impl Params {
    async fn read(req: &Request, body: Body) -> Self {
        let mut pairs = query_pairs(req);
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let mut body = RequestBody::new(body);
            if let Ok(mut form) = Multipart::from_request(req, &mut body).await {
                while let Ok(Some(field)) = form.next_field().await {
                    let name = field.name().unwrap_or_default().to_owned();
                    if field.file_name().is_some() {
                        // A .torrent file: nothing this server issued.
                        pairs.push((name, String::new()));
                        continue;
                    }
                    if let Ok(text) = field.text().await {
                        pairs.push((name, text));
                    }
                }
            }
        } else if let Ok(bytes) = body.into_bytes().await {
            pairs.extend(url::form_urlencoded::parse(&bytes).into_owned());
        }
        Self(pairs)
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean as qBittorrent's clients write it: `true`/`True`/`1`.
    fn flag(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1"))
    }
}

/// A plain-text answer.
fn text(status: StatusCode, body: &str) -> Response {
    Response::builder()
        .status(status)
        .content_type("text/plain; charset=UTF-8")
        .body(body.to_owned())
}

fn json(value: &serde_json::Value) -> Response {
    Response::builder()
        .content_type("application/json")
        .body(value.to_string())
}

fn forbidden() -> Response {
    text(StatusCode::FORBIDDEN, "Forbidden")
}

fn sid_of(req: &Request) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == "SID")
        .map(|(_, value)| value.to_owned())
}

/// The app, when the request carries a session whose key still holds the `download` scope.
pub(super) fn session(req: &Request) -> Option<&Arc<App>> {
    let app = req.data::<Arc<App>>()?;
    let sessions = req.data::<Arc<Sessions>>()?;
    let sid = sid_of(req)?;
    let key = sessions.key_of(&sid)?;
    if app.auth.check_key(&key, Scope::Download).is_err() {
        sessions.close(&sid);
        return None;
    }
    Some(app)
}

/// `auth/login`: the password is a `download` key (the user name is not read).
#[handler]
async fn login(req: &Request, body: Body) -> Response {
    let (Some(app), Some(sessions)) = (req.data::<Arc<App>>(), req.data::<Arc<Sessions>>()) else {
        return text(StatusCode::INTERNAL_SERVER_ERROR, "");
    };
    let params = Params::read(req, body).await;
    let password = params.get("password").unwrap_or_default().trim().to_owned();
    let refusal = match app.auth.check_key(&password, Scope::Download) {
        Ok(_) => {
            let sid = sessions.open(password);
            let mut answer = text(StatusCode::OK, "Ok.");
            let cookie = format!("SID={sid}; HttpOnly; Path=/; SameSite=Strict");
            if let Ok(value) = cookie.parse() {
                answer.headers_mut().insert(header::SET_COOKIE, value);
            }
            return answer;
        }
        Err(KeyRefusal::Unknown) => app.auth.unknown_key(&client_ip(req).to_string()).await,
        Err(other) => other,
    };
    match refusal {
        KeyRefusal::LockedOut { .. } => text(
            StatusCode::FORBIDDEN,
            "Your IP address has been banned after too many failed authentication attempts.",
        ),
        _ => text(StatusCode::OK, "Fails."),
    }
}

#[handler]
async fn logout(req: &Request) -> Response {
    if let (Some(sessions), Some(sid)) = (req.data::<Arc<Sessions>>(), sid_of(req)) {
        sessions.close(&sid);
    }
    text(StatusCode::OK, "")
}

#[handler]
fn webapi_version() -> Response {
    text(StatusCode::OK, WEBAPI_VERSION)
}

#[handler]
fn app_version(req: &Request) -> Response {
    match session(req) {
        Some(_) => text(StatusCode::OK, APP_VERSION),
        None => forbidden(),
    }
}

#[handler]
fn build_info(req: &Request) -> Response {
    match session(req) {
        Some(_) => json(&serde_json::json!({
            "qt": "6.4.2", "libtorrent": "2.0.9.0", "boost": "1.83.0", "openssl": "3.0.0",
            "zlib": "1.3", "bitness": 64
        })),
        None => forbidden(),
    }
}

/// What Sonarr checks: no queueing, no ratio or seeding-time limits, DHT on.
#[handler]
fn preferences(req: &Request) -> Response {
    let Some(app) = session(req) else {
        return forbidden();
    };
    json(&serde_json::json!({
        "save_path": app.arr.save_path().to_string_lossy(),
        "temp_path_enabled": false,
        "dht": true,
        "queueing_enabled": false,
        "max_ratio_enabled": false,
        "max_ratio": -1,
        "max_ratio_act": 0,
        "max_seeding_time_enabled": false,
        "max_seeding_time": -1,
        "max_inactive_seeding_time_enabled": false,
        "max_inactive_seeding_time": -1,
        "web_ui_port": 0,
    }))
}

#[handler]
fn default_save_path(req: &Request) -> Response {
    match session(req) {
        Some(app) => text(StatusCode::OK, &app.arr.save_path().to_string_lossy()),
        None => forbidden(),
    }
}
