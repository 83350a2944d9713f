//! The one place that turns failures into HTTP answers: every error the server sends has the
//! body of API.md section 10 (`success`, `error`, `message`, `details`, `request_id`), whether
//! it comes from a use case (`from_app.rs`), from poem-openapi's request parsing, from routing
//! or a panic (`from_poem.rs`). What each failure is, is a [`Code`] (`code.rs`).

mod code;
mod from_app;
mod from_poem;

pub use code::Code;
pub use from_app::issue_lines;
pub use from_poem::from_poem;

use poem::http::StatusCode;
use poem::{IntoResponse, Response};
use poem_openapi::Object;
use poem_openapi::types::ToJSON;
use serde_json::{Value, json};

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
#[error("{}: {}", .code.name(), .message)]
pub struct ApiError {
    code: Code,
    /// The code's status, but for poem's own errors passed through with their status.
    status: StatusCode,
    message: String,
    details: Value,
    retry_after: Option<u64>,
    detail: Option<String>,
}

impl ApiError {
    /// An answer with `code`'s status and name.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            status: code.status(),
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
        Self::new(Code::BadRequest, message)
    }

    /// 401: missing, invalid, expired or revoked credentials.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(Code::Authentication, message)
    }

    /// 403: not allowed (a foreign origin's preflight).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(Code::Authorization, message)
    }

    /// 404: no such resource (or route).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(Code::NotFound, message)
    }

    /// 405: the route exists, the method does not.
    pub fn method_not_allowed() -> Self {
        Self::new(Code::MethodNotAllowed, "Method not allowed for this route")
    }

    /// 409: the resource exists already.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(Code::Conflict, message)
    }

    /// 413: the body is over the limit.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            Code::PayloadTooLarge,
            format!("Request body larger than {limit} bytes"),
        )
        .with_details(json!({ "max_bytes": limit }))
    }

    /// 422: the request is well-formed but its values are not acceptable.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(Code::Validation, message)
    }

    /// 429 with `Retry-After`.
    pub fn rate_limited(retry_after_secs: u64, detail: &str) -> Self {
        let mut e = Self::new(Code::RateLimit, "Rate limit exceeded");
        e.retry_after = Some(retry_after_secs.max(1));
        e.detail = Some(detail.to_owned());
        e.with_details(json!({ "retry_after_seconds": retry_after_secs.max(1) }))
    }

    /// 500: logs the cause here and tells the client only the request id.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(request_id = %current_request_id(), error = %cause, "internal error");
        Self::new(
            Code::Internal,
            "Internal server error; quote the request id when reporting it",
        )
    }

    /// 503: the disk refused a write (read-only, full, failing). `reason` names the file and
    /// the system's reason; nothing was changed, and the request may succeed once the user
    /// has fixed the disk.
    pub fn storage(reason: impl std::fmt::Display) -> Self {
        tracing::warn!(request_id = %current_request_id(), error = %reason, "storage refused a write");
        Self::new(
            Code::Storage,
            format!("Storage unavailable, nothing was changed: {reason}"),
        )
    }

    /// An error of poem's own with its status kept (a status no [`Code`] has).
    fn passed_through(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            ..Self::new(Code::BadRequest, message)
        }
    }

    /// The error's code.
    pub fn code(&self) -> Code {
        self.code
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    fn body(&self) -> ErrorBody {
        ErrorBody {
            success: false,
            error: self.code.name().into(),
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
