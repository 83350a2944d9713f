//! Errors of poem and poem-openapi (a body that does not parse, a missing parameter, no such
//! route, a missing token) as API.md error answers.

use poem::http::StatusCode;
use serde_json::json;

use super::ApiError;

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
            ApiError::payload_too_large(super::super::middleware::MAX_BODY_BYTES)
        }
        StatusCode::UNAUTHORIZED => {
            ApiError::unauthorized("Missing or invalid authentication token")
        }
        s if s.is_server_error() => ApiError::internal(text),
        s => ApiError::passed_through(s, text),
    }
}
