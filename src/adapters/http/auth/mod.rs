//! API.md section 2: setup, login, logout, status. The bodies are in `dto.rs`.

mod dto;

use std::sync::Arc;

use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use self::dto::{
    AuthStatus, LoginRequest, LoginResponse, LogoutResponse, SetupRequest, StatusOk, ok_text,
};
use crate::adapters::http::ApiTags;
use crate::adapters::http::error::Code;
use crate::adapters::http::limits::client_ip;
use crate::adapters::http::outcomes::{
    INVALID, Reply, STORAGE, TOO_LARGE, UNAUTHORIZED, outcomes, reply,
};
use crate::adapters::http::security::{BearerAuth, optional_claims};
use crate::app::App;
use crate::app::auth::AuthError;
use crate::app::auth::setup::{SetupError, first_setup};

/// Authentication endpoints.
pub struct AuthApi;

#[derive(ApiResponse)]
enum SetupResponse {
    /// The master password is set.
    #[oai(status = 201)]
    Created(Json<StatusOk>),
}

outcomes!(Setup(SetupError): "", [
    (Code::BadRequest, "Malformed JSON, the password is set already, or the password misses the policy"),
    TOO_LARGE,
    (Code::Validation, "Validation error: a missing or ill-typed field, or a relative anime_directory"),
    STORAGE,
]);
outcomes!(Login(AuthError): "A session token", [
    (Code::BadRequest, "Malformed JSON, or no master password is set yet"),
    (Code::Authentication, "Wrong password"),
    TOO_LARGE,
    INVALID,
    STORAGE,
]);
outcomes!(Logout(AuthError): "The token is revoked", [UNAUTHORIZED, STORAGE]);
outcomes!(Status: "Whether setup happened and whether the caller's token is valid", []);

#[OpenApi(tag = "ApiTags::Authentication")]
impl AuthApi {
    /// First setup
    ///
    /// Sets the master password, once, and optionally the anime directory. The password
    /// needs at least 8 characters with upper and lower case, a digit and a special
    /// character. Limited to 5 attempts a minute per client. Public: no token needed.
    #[oai(path = "/api/auth/setup", method = "post")]
    async fn setup(
        &self,
        app: Data<&Arc<App>>,
        body: Json<SetupRequest>,
    ) -> Reply<SetupResponse, Setup> {
        let body = body.0;
        first_setup(
            &app.auth,
            &app.config,
            &body.master_password,
            body.anime_directory.as_deref(),
        )
        .await?;
        reply(SetupResponse::Created(Json(StatusOk { status: ok_text() })))
    }

    /// Log in
    ///
    /// Checks the master password and answers a bearer token (a JWT) for the
    /// `Authorization: Bearer <token>` header and the WebSocket's `?token=`: valid 24 hours,
    /// or 30 days with `remember`. Repeated wrong passwords lock the client out for a while
    /// (429 with `Retry-After`); at most 5 attempts a minute per client. Public.
    #[oai(path = "/api/auth/login", method = "post")]
    async fn login(
        &self,
        app: Data<&Arc<App>>,
        req: &Request,
        body: Json<LoginRequest>,
    ) -> Reply<Json<LoginResponse>, Login> {
        let client = client_ip(req).to_string();
        let session = app
            .auth
            .login(&client, &body.0.password, body.0.remember)
            .await?;
        reply(Json(LoginResponse {
            access_token: session.token,
            token_type: "bearer".into(),
            expires_at: session.expires_at,
        }))
    }

    /// Log out
    ///
    /// Revokes the caller's token: it is refused from now on, until it would have expired.
    #[oai(path = "/api/auth/logout", method = "post")]
    async fn logout(
        &self,
        app: Data<&Arc<App>>,
        auth: BearerAuth,
    ) -> Reply<Json<LogoutResponse>, Logout> {
        app.auth.logout(&auth.0).await?;
        reply(Json(LogoutResponse {
            status: "ok".into(),
            message: "Logged out successfully".into(),
        }))
    }

    /// Authentication status
    ///
    /// Whether the master password is set (else the UI shows setup) and whether the
    /// caller's bearer token, if any, is valid. Public: a bad token is not an error here.
    #[oai(path = "/api/auth/status", method = "get")]
    async fn status(&self, app: Data<&Arc<App>>, req: &Request) -> Reply<Json<AuthStatus>, Status> {
        reply(Json(AuthStatus {
            configured: app.auth.is_configured(),
            authenticated: optional_claims(req).is_some(),
        }))
    }
}
