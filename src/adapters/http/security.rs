//! Who may call: the session token (`BearerAuth`, a JWT), and the API keys programs use
//! (INTEGRATIONS.md section 1) beside it: [`AdminAuth`] for what only the user (or an `admin`
//! key) may do, [`ReadAuth`] for the GETs a `read` key may make. A token is checked in memory
//! (signature, expiry by the Clock port, revocation list), a key by its digest, so a
//! protected request costs an HMAC or a SHA-256 and a lookup.

use std::sync::Arc;

use poem::{Request, RequestBody};
use poem_openapi::auth::{ApiKey, Bearer};
use poem_openapi::registry::Registry;
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions, SecurityScheme};

use super::error::{AUTH_RATE_DETAIL, ApiError};
use super::limits::client_ip;
use crate::app::App;
use crate::app::auth::keys::{KeyAccess, KeyRefusal};
use crate::domain::api_key::Scope;
use crate::domain::auth::Claims;

/// A request carrying a valid `Authorization: Bearer <jwt>` header.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "check_bearer")]
pub struct BearerAuth(pub Claims);

async fn check_bearer(req: &Request, bearer: Bearer) -> Option<Claims> {
    req.data::<Arc<App>>()?.auth.verify(&bearer.token)
}

/// The value of an `Authorization: Bearer <value>` header, trimmed.
fn bearer_value(req: &Request) -> Option<String> {
    let header = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, value) = header.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| value.trim().to_owned())
}

/// The claims of the request's bearer token, for public routes that only report on it.
pub fn optional_claims(req: &Request) -> Option<Claims> {
    req.data::<Arc<App>>()?.auth.verify(&bearer_value(req)?)
}

/// Who is calling: the user with a session token, or a program with an API key.
#[derive(Debug, Clone)]
pub enum Caller {
    User(Claims),
    Key(KeyAccess),
}

impl Caller {
    /// Who, for the log: `the user`, or `API key "Sonarr" (<id>)`.
    pub fn describe(&self) -> String {
        match self {
            Self::User(claims) => format!("the user (session {})", claims.jti),
            Self::Key(key) => format!("API key {:?} ({})", key.name, key.id),
        }
    }
}

/// An API key in the `X-Api-Key` header (INTEGRATIONS.md section 1); documents the scheme.
#[derive(SecurityScheme)]
#[oai(ty = "api_key", key_name = "X-Api-Key", key_in = "header")]
#[allow(
    dead_code,
    reason = "documents the scheme; `authorize` reads the header"
)]
pub struct ApiKeyHeader(ApiKey);

/// An API key in the `apikey` query parameter, as Torznab clients send it; documents the
/// scheme.
#[derive(SecurityScheme)]
#[oai(ty = "api_key", key_name = "apikey", key_in = "query")]
#[allow(
    dead_code,
    reason = "documents the scheme; `authorize` reads the parameter"
)]
pub struct ApiKeyQuery(ApiKey);

/// The caller of a request that needs `needed`: a valid session token (which may do
/// everything), or an API key covering `needed` given as `X-Api-Key`, `?apikey=` or
/// `Authorization: Bearer`. No credentials or an unknown, revoked or expired key: 401 (and a
/// failure toward the client's login lockout; 429 while it is locked out); a key whose
/// scopes do not cover the request: 403.
pub async fn authorize(req: &Request, needed: Scope) -> poem::Result<Caller> {
    let app = req
        .data::<Arc<App>>()
        .ok_or_else(|| ApiError::internal("the app is not attached to the request"))?;
    let header = req
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let query = req
        .uri()
        .query()
        .and_then(|q| url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "apikey"))
        .map(|(_, v)| v.into_owned());
    let bearer = bearer_value(req);
    if let Some(token) = &bearer
        && let Some(claims) = app.auth.verify(token)
    {
        return Ok(Caller::User(claims));
    }
    // A bearer value shaped like a session token (`header.payload.signature`) that did not
    // verify is an expired or revoked session, not a guessed key: a 401, not counted toward
    // the lockout (a browser tab left open would otherwise lock its user out).
    if let Some(token) = &bearer
        && header.is_none()
        && query.is_none()
        && token.contains('.')
    {
        return Err(ApiError::unauthorized("Invalid or expired session token").into());
    }
    let Some(key) = header.or(query).or(bearer) else {
        return Err(
            ApiError::unauthorized("Missing credentials: a bearer token or an API key").into(),
        );
    };
    let refusal = match app.auth.check_key(&key, needed) {
        Ok(access) => return Ok(Caller::Key(access)),
        // Only a key that failed costs the client's address and a look at its lockout.
        Err(KeyRefusal::Unknown) => app.auth.unknown_key(&client_ip(req).to_string()).await,
        Err(other) => other,
    };
    match refusal {
        refusal @ KeyRefusal::Unknown => Err(ApiError::unauthorized(refusal.to_string()).into()),
        refusal @ KeyRefusal::Scope(_) => Err(ApiError::forbidden(refusal.to_string()).into()),
        KeyRefusal::LockedOut { retry_after_secs } => {
            Err(ApiError::rate_limited(retry_after_secs, AUTH_RATE_DETAIL).into())
        }
    }
}

/// Declares an extractor for requests that need one scope: documented with the bearer token
/// and both API-key schemes, checked by [`authorize`].
macro_rules! scoped {
    ($(#[$doc:meta])* $name:ident, $scope:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        #[allow(dead_code, reason = "not every operation asks who called")]
        pub struct $name(pub Caller);

        impl<'a> ApiExtractor<'a> for $name {
            const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::SecurityScheme];
            type ParamType = ();
            type ParamRawType = ();

            fn register(registry: &mut Registry) {
                BearerAuth::register(registry);
                ApiKeyHeader::register(registry);
                ApiKeyQuery::register(registry);
            }

            fn security_schemes() -> Vec<&'static str> {
                [
                    BearerAuth::security_schemes(),
                    ApiKeyHeader::security_schemes(),
                    ApiKeyQuery::security_schemes(),
                ]
                .concat()
            }

            async fn from_request(
                req: &'a Request,
                _body: &mut RequestBody,
                _param_opts: ExtractParamOptions<Self::ParamType>,
            ) -> poem::Result<Self> {
                authorize(req, $scope).await.map(Self)
            }
        }
    };
}

scoped!(
    /// A request a session token or an `admin` key may make: every change, and the
    /// configuration.
    AdminAuth,
    Scope::Admin
);
scoped!(
    /// A request a `read` key may make too: the GETs of the library and the queue.
    ReadAuth,
    Scope::Read
);
