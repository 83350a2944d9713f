//! The bearer-token security scheme. A token is checked in memory (signature, expiry by the
//! Clock port, revocation list), so a protected request costs an HMAC and a map lookup.

use std::sync::Arc;

use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;

use crate::app::App;
use crate::domain::auth::Claims;

/// A request carrying a valid `Authorization: Bearer <jwt>` header.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "check_bearer")]
pub struct BearerAuth(pub Claims);

async fn check_bearer(req: &Request, bearer: Bearer) -> Option<Claims> {
    req.data::<Arc<App>>()?.auth.verify(&bearer.token)
}

/// The claims of the request's bearer token, for public routes that only report on it.
pub fn optional_claims(req: &Request) -> Option<Claims> {
    let header = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, token) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    req.data::<Arc<App>>()?.auth.verify(token.trim())
}
