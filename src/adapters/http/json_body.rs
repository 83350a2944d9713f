//! A JSON answer serialised straight from borrowed data.
//!
//! poem-openapi's `Json<T>` builds a `serde_json::Value` tree before writing it; for the
//! library list (up to 1,000 series per page, each with its missing episodes) that tree is
//! most of the cost of a request. [`JsonBytes`] writes the bytes once with serde and still
//! documents the answer with `T`'s schema, so the OpenAPI document is unchanged.

use std::marker::PhantomData;

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
