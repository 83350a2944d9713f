//! A JSON answer serialised straight from borrowed data.
//!
//! poem-openapi's `Json<T>` builds a `serde_json::Value` tree before writing it; for the
//! library list (up to 1,000 series per page, each with its missing episodes) that tree is
//! most of the cost of a request. [`JsonBytes`] writes the bytes once with serde and still
//! documents the answer with `T`'s schema, so the OpenAPI document is unchanged.

use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, Registry};
use poem_openapi::types::Type;

use super::error::ApiError;

/// A 200 JSON answer whose schema is `T`.
pub struct JsonBytes<T> {
    bytes: Vec<u8>,
    schema: PhantomData<fn() -> T>,
}

impl<T> JsonBytes<T> {
    /// Serialises `value`, which must have the shape `T` documents.
    pub fn of(value: &impl serde::Serialize) -> Result<Self, ApiError> {
        let bytes = serde_json::to_vec(value).map_err(ApiError::internal)?;
        Ok(Self {
            bytes,
            schema: PhantomData,
        })
    }
}

/// A time as poem-openapi writes it (`to_rfc3339`, `+00:00`), for the answers serialised
/// with serde ([`JsonBytes`]) so that both ways give the same bytes.
pub fn rfc3339<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339())
}

#[allow(clippy::ref_option)] // serde's `serialize_with` hands over `&Option<T>`
pub fn rfc3339_or_null<S: serde::Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => rfc3339(t, s),
        None => s.serialize_none(),
    }
}

const CONTENT_TYPE: &str = "application/json; charset=utf-8";

impl<T: Send> IntoResponse for JsonBytes<T> {
    fn into_response(self) -> Response {
        Response::builder()
            .content_type(CONTENT_TYPE)
            .body(self.bytes)
    }
}

impl<T: Type + Send> ApiResponse for JsonBytes<T> {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: CONTENT_TYPE,
                    schema: T::schema_ref(),
                }],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

#[cfg(test)]
mod tests {
    use poem_openapi::types::{Example, ToJSON};

    use super::super::queue::dto::QueueStatusResponse;

    #[test]
    fn the_queue_status_written_with_serde_is_what_poem_openapi_writes() {
        // The example's item has times, a null time, progress and null fields.
        let answer = QueueStatusResponse::example();
        let ours: serde_json::Value =
            serde_json::from_slice(&serde_json::to_vec(&answer).unwrap()).unwrap();
        assert_eq!(ours, answer.to_json().unwrap());
        assert!(ours.to_string().contains("+00:00"), "{ours}");
    }
}
