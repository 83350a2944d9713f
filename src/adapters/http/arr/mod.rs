//! Sonarr's protocols, inbound adapters like the REST API (INTEGRATIONS.md sections 2 to 4),
//! each a translation onto the existing use cases (search, the queue, the library, health):
//! Torznab (`torznab`, an indexer for Sonarr and Prowlarr), the qBittorrent WebAPI v2
//! (`qbittorrent`, Sonarr's download client) and the part of Sonarr's v3 API that dashboards
//! and pyarr read (`sonarr_v3`). The first two speak their clients' formats (XML, plain text,
//! form parameters), so they stay out of the OpenAPI document; `sonarr_v3` is JSON and is in
//! it. API keys authenticate them all.

pub mod qbittorrent;
pub mod sonarr_v3;
pub mod torznab;

use poem::Request;
use poem::http::StatusCode;

use super::security::{Caller, authorize};
use crate::domain::api_key::Scope;

/// Paths of the protocols programs poll (Sonarr every minute, dashboards more often): kept
/// out of the per-client request limit, which is the browser UI's. Failed keys still count
/// toward the lockout.
pub fn is_arr_path(path: &str) -> bool {
    path.starts_with("/torznab/") || path.starts_with("/api/v2/") || path.starts_with("/api/v3/")
}

/// The caller of a request that needs `needed`, or the status refusing it (401 unknown key,
/// 403 out of scope, 429 locked out).
async fn caller(req: &Request, needed: Scope) -> Result<Caller, StatusCode> {
    authorize(req, needed).await.map_err(|e| e.status())
}

/// The query string's parameters, decoded (`+` is a space).
fn query_pairs(req: &Request) -> Vec<(String, String)> {
    req.uri()
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default()
}
