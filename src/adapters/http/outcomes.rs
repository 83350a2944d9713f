//! What each operation can answer, for the OpenAPI document: a marker type per operation (or
//! per group of operations that answer alike) names the success answer's description, the
//! error [`Code`]s it can send with what each means there, and the use case's error type it
//! meets. Handlers return [`Reply<P, S>`]: `P` is the success payload, `S` the marker; the
//! marker's error type and [`ApiError`] convert with `?` (through the one mapping of
//! `error/from_app.rs`), any other error type does not compile.
//!
//! The document's statuses are the codes' statuses (`error/code.rs`). Every error a handler
//! sends passes [`Failure`]'s conversion, which in debug builds (every test) asserts that
//! the operation documents the error's code, so the document cannot silently miss an answer.
//!
//! 429 (the per-origin rate limit covers every route) and 500 are listed on every operation.

use std::marker::PhantomData;

use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, Registry};
use poem_openapi::types::Type;

use super::error::{ApiError, Code, ErrorBody};

/// One error code and what it means for the operation.
pub type Status = (Code, &'static str);

/// 400 of every operation with a JSON body.
pub const MALFORMED: Status = (
    Code::BadRequest,
    "Bad request: malformed JSON, or a body that is not JSON",
);
/// 401 of every protected operation.
pub const UNAUTHORIZED: Status = (
    Code::Authentication,
    "Missing, invalid, expired or revoked bearer token or API key (`WWW-Authenticate: Bearer`)",
);
/// 403 of every protected operation, listed wherever [`UNAUTHORIZED`] is: an API key whose
/// scopes do not cover the request.
const OUT_OF_SCOPE: Status = (
    Code::Authorization,
    "An API key whose scopes do not cover this request",
);
/// 413 of every operation with a body.
pub const TOO_LARGE: Status = (Code::PayloadTooLarge, "Request body over 1 MiB");
/// 422 of every operation with a body or typed parameters.
pub const INVALID: Status = (
    Code::Validation,
    "Validation error: a missing, ill-typed or unknown field, or a value out of range; \
     `details` names the field",
);
/// 502 of the operations that ask the catalogue site.
pub const UPSTREAM: Status = (
    Code::Upstream,
    "The catalogue site failed (an error page, a broken page)",
);
/// 503 of the operations that write to the data dir (the database, `config.json`, backups)
/// or to the library (series folders, sidecars).
pub const STORAGE: Status = (
    Code::Storage,
    "`STORAGE_ERROR`: the disk refused the write (a read-only, full or failing data dir or \
     library); the message names the file and the system's reason. Nothing was changed",
);
/// 504 of the operations that ask the catalogue site.
pub const UPSTREAM_TIMEOUT: Status = (
    Code::UpstreamTimeout,
    "The catalogue site did not answer in time",
);

const EVERY_OPERATION: [Status; 2] = [
    (
        Code::RateLimit,
        "Rate limit exceeded (per client address or origin, or login/setup attempts); see `Retry-After`",
    ),
    (
        Code::Internal,
        "Internal error; the body names only the request id (the cause is in the log)",
    ),
];

/// What one operation answers.
pub trait Outcomes: Send + Sync + 'static {
    /// The description of the success answer.
    const SUCCESS: &'static str;
    /// The error codes it can send besides 429 and 500, in the document's order.
    const ERRORS: &'static [Status];

    /// Whether the operation's document lists `code`.
    fn documents(code: Code) -> bool {
        Self::ERRORS
            .iter()
            .chain(EVERY_OPERATION.iter())
            .any(|(documented, _)| *documented == code)
    }
}

/// Declares a marker type implementing [`Outcomes`]; `Name(ErrorType, ..)` lets its handlers
/// hand on those use-case errors with `?`.
macro_rules! outcomes {
    (
        $(#[$doc:meta])* $name:ident $(($($error:ty),+))?: $success:literal,
        [$($status:expr),* $(,)?]
    ) => {
        $(#[$doc])*
        pub struct $name;
        impl $crate::adapters::http::outcomes::Outcomes for $name {
            const SUCCESS: &'static str = $success;
            const ERRORS: &'static [$crate::adapters::http::outcomes::Status] = &[$($status),*];
        }
        $($(
            impl From<$error> for $crate::adapters::http::outcomes::Failure<$name> {
                fn from(e: $error) -> Self {
                    $crate::adapters::http::error::ApiError::from(e).into()
                }
            }
        )+)?
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

impl<S: Outcomes> From<ApiError> for Failure<S> {
    fn from(e: ApiError) -> Self {
        debug_assert!(
            S::documents(e.code()),
            "{} answered {:?}, which its OpenAPI document does not list",
            std::any::type_name::<S>(),
            e.code(),
        );
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

/// The error answers of an operation: its own, 403 beside a 401, then 429 and 500.
fn listed<S: Outcomes>() -> impl Iterator<Item = &'static Status> {
    S::ERRORS.iter().flat_map(|status| {
        let scope = (status.0 == Code::Authentication).then_some(&OUT_OF_SCOPE);
        std::iter::once(status).chain(scope)
    })
}

impl<S: Outcomes> ApiResponse for Failure<S> {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: listed::<S>()
                .chain(EVERY_OPERATION.iter())
                .map(|(code, description)| MetaResponse {
                    description,
                    status: Some(code.status().as_u16()),
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

#[cfg(test)]
mod tests {
    use super::*;

    outcomes!(FindsOrNot: "Found", [(Code::NotFound, "No such thing")]);

    #[test]
    fn the_document_lists_each_code_with_its_status_then_429_and_500() {
        let statuses: Vec<Option<u16>> = Failure::<FindsOrNot>::meta()
            .responses
            .iter()
            .map(|r| r.status)
            .collect();
        assert_eq!(statuses, [Some(404), Some(429), Some(500)]);
    }

    #[test]
    fn an_error_the_operation_documents_passes() {
        let _ = Failure::<FindsOrNot>::from(ApiError::not_found("gone"));
        let _ = Failure::<FindsOrNot>::from(ApiError::internal("broken"));
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "does not list")]
    fn an_error_the_operation_does_not_document_fails_in_debug_builds() {
        let _ = Failure::<FindsOrNot>::from(ApiError::conflict("exists"));
    }
}
