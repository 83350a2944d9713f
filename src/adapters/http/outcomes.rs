//! What each operation can answer, for the OpenAPI document: a marker type per operation (or
//! per group of operations that answer alike) names the success answer's description and
//! the error statuses it can send. Handlers return [`Reply<P, S>`]: `P` is the success
//! payload, `S` the marker; errors stay [`ApiError`]s (converted by `?`), so the one error
//! mapping of `error.rs` is unchanged and the document lists only what the operation can
//! really answer.
//!
//! 429 (the per-origin rate limit covers every route) and 500 are listed on every operation.

use std::marker::PhantomData;

use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, Registry};
use poem_openapi::types::Type;

use super::error::{ApiError, ErrorBody};

/// One error status and what it means for the operation.
pub type Status = (u16, &'static str);

/// 400 of every operation with a JSON body.
pub const MALFORMED: Status = (
    400,
    "Bad request: malformed JSON, or a body that is not JSON",
);
/// 401 of every protected operation.
pub const UNAUTHORIZED: Status = (
    401,
    "Missing, invalid, expired or revoked bearer token (`WWW-Authenticate: Bearer`)",
);
/// 413 of every operation with a body.
pub const TOO_LARGE: Status = (413, "Request body over 1 MiB");
/// 422 of every operation with a body or typed parameters.
pub const INVALID: Status = (
    422,
    "Validation error: a missing, ill-typed or unknown field, or a value out of range; \
     `details` names the field",
);
/// 502 of the operations that ask the catalogue site.
pub const UPSTREAM: Status = (
    502,
    "The catalogue site failed (an error page, a broken page)",
);
/// 503 of the operations that write to the data dir (the database, `config.json`, backups)
/// or to the library (series folders, sidecars).
pub const STORAGE: Status = (
    503,
    "`STORAGE_ERROR`: the disk refused the write (a read-only, full or failing data dir or \
     library); the message names the file and the system's reason. Nothing was changed",
);
/// 504 of the operations that ask the catalogue site.
pub const UPSTREAM_TIMEOUT: Status = (504, "The catalogue site did not answer in time");

const EVERY_OPERATION: [Status; 2] = [
    (
        429,
        "Rate limit exceeded (per client address or origin, or login/setup attempts); see `Retry-After`",
    ),
    (
        500,
        "Internal error; the body names only the request id (the cause is in the log)",
    ),
];

/// What one operation answers.
pub trait Outcomes: Send + Sync + 'static {
    /// The description of the success answer.
    const SUCCESS: &'static str;
    /// The error statuses it can send besides 429 and 500, in order.
    const ERRORS: &'static [Status];
}

/// Declares a marker type implementing [`Outcomes`].
macro_rules! outcomes {
    ($(#[$doc:meta])* $name:ident: $success:literal, [$($status:expr),* $(,)?]) => {
        $(#[$doc])*
        pub struct $name;
        impl $crate::adapters::http::outcomes::Outcomes for $name {
            const SUCCESS: &'static str = $success;
            const ERRORS: &'static [$crate::adapters::http::outcomes::Status] = &[$($status),*];
        }
    };
}
pub(crate) use outcomes;

/// A success answer `P`, documented with `S`'s description where `P` has none.
pub struct Success<P, S>(P, PhantomData<fn() -> S>);

/// An error answer, documented with `S`'s error statuses.
pub struct Failure<S>(ApiError, PhantomData<fn() -> S>);

/// What a handler returns.
pub type Reply<P, S> = Result<Success<P, S>, Failure<S>>;

/// The success answer `payload`.
pub fn reply<P, S>(payload: P) -> Reply<P, S> {
    Ok(Success(payload, PhantomData))
}

impl<S> From<ApiError> for Failure<S> {
    fn from(e: ApiError) -> Self {
        Self(e, PhantomData)
    }
}

impl<S> From<Failure<S>> for poem::Error {
    // The ApiError itself travels on, so the middleware finds it by downcasting.
    fn from(f: Failure<S>) -> Self {
        poem::Error::from(f.0)
    }
}

impl<P: IntoResponse, S: Send> IntoResponse for Success<P, S> {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

impl<S: Send> IntoResponse for Failure<S> {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

impl<P: ApiResponse, S: Outcomes> ApiResponse for Success<P, S> {
    fn meta() -> MetaResponses {
        let mut meta = P::meta();
        for response in &mut meta.responses {
            if response.description.is_empty() {
                response.description = S::SUCCESS;
            }
        }
        meta
    }

    fn register(registry: &mut Registry) {
        P::register(registry);
    }
}

impl<S: Outcomes> ApiResponse for Failure<S> {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: S::ERRORS
                .iter()
                .chain(EVERY_OPERATION.iter())
                .map(|(status, description)| MetaResponse {
                    description,
                    status: Some(*status),
                    status_range: None,
                    content: vec![MetaMediaType {
                        content_type: "application/json",
                        schema: ErrorBody::schema_ref(),
                    }],
                    headers: vec![],
                })
                .collect(),
        }
    }

    fn register(registry: &mut Registry) {
        ErrorBody::register(registry);
    }
}
