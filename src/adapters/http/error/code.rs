//! Every error code the API answers with, in one list: its HTTP status and its name in the
//! error body's `error` field (API.md section 10). An error type says which [`Code`] each of
//! its failures is (`from_app.rs`); the answer's status and the OpenAPI document's statuses
//! (`outcomes.rs`) are read from here, so the two cannot disagree.

use poem::http::StatusCode;

/// An error code of the API, after meilisearch's `Code`: the one value that decides the
/// status and the machine-readable name of an error answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// 400: the request cannot be acted on as sent (malformed JSON, no library directory,
    /// a password that misses the policy).
    BadRequest,
    /// 401: missing, invalid, expired or revoked credentials.
    Authentication,
    /// 403: not allowed (a foreign origin's preflight).
    Authorization,
    /// 404: no such resource (or route).
    NotFound,
    /// 405: the route exists, the method does not.
    MethodNotAllowed,
    /// 409: the resource exists already.
    Conflict,
    /// 413: the body is over the limit.
    PayloadTooLarge,
    /// 422: the request is well-formed but its values are not acceptable.
    Validation,
    /// 429: too many requests, or too many failed logins; see `Retry-After`.
    RateLimit,
    /// 500: a failure that is not the client's; the cause is in the log.
    Internal,
    /// 502: the catalogue site failed.
    Upstream,
    /// 503: the disk refused a write; nothing was changed.
    Storage,
    /// 504: the catalogue site did not answer in time.
    UpstreamTimeout,
}

impl Code {
    /// Every code, in the order of their statuses.
    pub const ALL: [Self; 13] = [
        Self::BadRequest,
        Self::Authentication,
        Self::Authorization,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::Conflict,
        Self::PayloadTooLarge,
        Self::Validation,
        Self::RateLimit,
        Self::Internal,
        Self::Upstream,
        Self::Storage,
        Self::UpstreamTimeout,
    ];

    /// The HTTP status of an answer with this code.
    pub const fn status(self) -> StatusCode {
        match self {
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Authentication => StatusCode::UNAUTHORIZED,
            Self::Authorization => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Validation => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimit => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Upstream => StatusCode::BAD_GATEWAY,
            Self::Storage => StatusCode::SERVICE_UNAVAILABLE,
            Self::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// The body's `error` field: the machine-readable name of API.md section 10.
    pub const fn name(self) -> &'static str {
        match self {
            Self::BadRequest => "BAD_REQUEST",
            Self::Authentication => "AUTHENTICATION_ERROR",
            Self::Authorization => "AUTHORIZATION_ERROR",
            Self::NotFound => "NOT_FOUND_ERROR",
            Self::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Self::Conflict => "CONFLICT_ERROR",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::Validation => "VALIDATION_ERROR",
            Self::RateLimit => "RATE_LIMIT_ERROR",
            Self::Internal => "INTERNAL_ERROR",
            Self::Upstream => "UPSTREAM_ERROR",
            Self::Storage => "STORAGE_ERROR",
            Self::UpstreamTimeout => "UPSTREAM_TIMEOUT",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn every_code_has_its_own_status_and_name() {
        for (i, a) in Code::ALL.iter().enumerate() {
            for b in &Code::ALL[i + 1..] {
                assert_ne!(a.status(), b.status(), "{a:?} and {b:?}");
                assert_ne!(a.name(), b.name(), "{a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn the_codes_of_api_md_section_10_keep_their_statuses() {
        for (code, status, name) in [
            (Code::Authentication, 401, "AUTHENTICATION_ERROR"),
            (Code::Authorization, 403, "AUTHORIZATION_ERROR"),
            (Code::Validation, 422, "VALIDATION_ERROR"),
            (Code::NotFound, 404, "NOT_FOUND_ERROR"),
            (Code::Conflict, 409, "CONFLICT_ERROR"),
            (Code::RateLimit, 429, "RATE_LIMIT_ERROR"),
        ] {
            assert_eq!(code.status().as_u16(), status);
            assert_eq!(code.name(), name);
        }
    }
}
