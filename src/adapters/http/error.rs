//! The one place that turns failures into HTTP answers: every error the server sends has the
//! body of API.md section 10 (`success`, `error`, `message`, `details`, `request_id`), whether
//! it comes from a use case, from poem-openapi's request parsing, from routing or a panic.

use poem::http::StatusCode;
use poem::{IntoResponse, Response};
use poem_openapi::Object;
use poem_openapi::types::ToJSON;
use serde_json::{Value, json};

use crate::domain::catalogue::ProviderError;

tokio::task_local! {
    /// The id of the request being served, set by the outermost middleware.
    pub static REQUEST_ID: String;
}

/// The request id of the current request, or empty outside one.
pub fn current_request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_default()
}

/// The error body of API.md section 10.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct ErrorBody {
    /// Always false.
    pub success: bool,
    /// Machine-readable code, e.g. `VALIDATION_ERROR`.
    pub error: String,
    /// Human-readable message.
    pub message: String,
    /// Additional context, e.g. the fields that failed validation.
    pub details: Value,
    /// The id of the request, also sent as the `X-Request-Id` header.
    pub request_id: String,
    /// On 429 only: the rate limiter's message (API.md section 11).
    #[oai(skip_serializing_if_is_none)]
    pub detail: Option<String>,
}

impl poem_openapi::types::Example for ErrorBody {
    fn example() -> Self {
        Self {
            success: false,
            error: "VALIDATION_ERROR".into(),
            message: "Request validation failed".into(),
            details: json!({"field": "scheduler.interval_minutes", "message": "must be between 1 and 10080"}),
            request_id: "5f0c6f5e-8d0b-4a53-9a43-9a5f3c2b1d7e".into(),
            detail: None,
        }
    }
}

/// The message of every 429 from the login and setup limits (API.md section 11).
pub const AUTH_RATE_DETAIL: &str = "Too many authentication attempts, try again later";

/// A failure on its way to the client.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Value,
    retry_after: Option<u64>,
    detail: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: json!({}),
            retry_after: None,
            detail: None,
        }
    }

    /// Adds context to the body's `details`.
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    /// 400: the request cannot be acted on as sent.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }

    /// 401: missing, invalid, expired or revoked credentials.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "AUTHENTICATION_ERROR", message)
    }

    /// 403: not allowed (a foreign origin's preflight).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "AUTHORIZATION_ERROR", message)
    }

    /// 404: no such resource (or route).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND_ERROR", message)
    }

    /// 405: the route exists, the method does not.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "Method not allowed for this route",
        )
    }

    /// 409: the resource exists already.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "CONFLICT_ERROR", message)
    }

    /// 413: the body is over the limit.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!("Request body larger than {limit} bytes"),
        )
        .with_details(json!({ "max_bytes": limit }))
    }

    /// 422: the request is well-formed but its values are not acceptable.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
            message,
        )
    }

    /// 429 with `Retry-After`.
    pub fn rate_limited(retry_after_secs: u64, detail: &str) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMIT_ERROR",
            "Rate limit exceeded",
        );
        e.retry_after = Some(retry_after_secs.max(1));
        e.detail = Some(detail.to_owned());
        e.with_details(json!({ "retry_after_seconds": retry_after_secs.max(1) }))
    }

    /// 500: logs the cause here and tells the client only the request id.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(request_id = %current_request_id(), error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Internal server error; quote the request id when reporting it",
        )
    }

    /// 503: the disk refused a write (read-only, full, failing). `reason` names the file and
    /// the system's reason; nothing was changed, and the request may succeed once the user
    /// has fixed the disk.
    pub fn storage(reason: impl std::fmt::Display) -> Self {
        tracing::warn!(request_id = %current_request_id(), error = %reason, "storage refused a write");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "STORAGE_ERROR",
            format!("Storage unavailable, nothing was changed: {reason}"),
        )
    }

    /// 502 or 504: the catalogue site or a hoster failed.
    pub fn upstream(e: &ProviderError) -> Self {
        match e {
            ProviderError::Timeout => Self::new(
                StatusCode::GATEWAY_TIMEOUT,
                "UPSTREAM_TIMEOUT",
                "The catalogue site did not answer in time",
            ),
            ProviderError::NotFound => Self::not_found("Not found on the catalogue site"),
            other => Self::new(
                StatusCode::BAD_GATEWAY,
                "UPSTREAM_ERROR",
                format!("The catalogue site failed: {other}"),
            ),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    fn body(&self) -> ErrorBody {
        ErrorBody {
            success: false,
            error: self.code.into(),
            message: self.message.clone(),
            details: self.details.clone(),
            request_id: current_request_id(),
            detail: self.detail.clone(),
        }
    }
}

impl poem::error::ResponseError for ApiError {
    fn status(&self) -> StatusCode {
        self.status
    }

    fn as_response(&self) -> Response {
        // The derived `ToJSON` leaves `detail` out where it is `None`, as API.md's body has it.
        let body = serde_json::to_vec(&self.body().to_json()).unwrap_or_default();
        let mut response = Response::builder()
            .status(self.status)
            .content_type("application/json")
            .body(body);
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert("Retry-After", secs.into());
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                "WWW-Authenticate",
                poem::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        poem::error::ResponseError::as_response(&self)
    }
}

/// Turns any error that reached the edge of the server into an [`ApiError`].
pub fn from_poem(err: poem::Error) -> ApiError {
    use poem_openapi::error::{
        AuthorizationError, ContentTypeError, ParseParamError, ParsePathError,
        ParseRequestPayloadError,
    };
    let err = match err.downcast::<ApiError>() {
        Ok(api) => return api,
        Err(other) => other,
    };
    let text = err.to_string();
    if let Some(param) = err.downcast_ref::<ParseParamError>() {
        return ApiError::validation(format!("Request validation failed: {text}"))
            .with_details(json!({ "field": param.name }));
    }
    if err.is::<ParseParamError>()
        || err.is::<ParsePathError>()
        || err.is::<ParseRequestPayloadError>()
    {
        return ApiError::validation(format!("Request validation failed: {text}"));
    }
    if let Some(ct) = err.downcast_ref::<ContentTypeError>() {
        return match ct {
            ContentTypeError::ExpectContentType => {
                ApiError::validation("A JSON request body is required")
            }
            _ => ApiError::bad_request(format!("{text}; send application/json")),
        };
    }
    if err.is::<AuthorizationError>() {
        return ApiError::unauthorized("Missing or invalid authentication token");
    }
    match err.status() {
        StatusCode::NOT_FOUND => ApiError::not_found("No such route"),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::method_not_allowed(),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::payload_too_large(super::middleware::MAX_BODY_BYTES)
        }
        StatusCode::UNAUTHORIZED => {
            ApiError::unauthorized("Missing or invalid authentication token")
        }
        s if s.is_server_error() => ApiError::internal(text),
        s => ApiError::new(s, "BAD_REQUEST", text),
    }
}
