//! The API's documentation pages, Swagger UI at `/api/docs` and ReDoc at `/api/redoc`, built
//! when asked for instead of kept: each holds its viewer's script and the whole OpenAPI
//! document (Swagger UI's page is 3.2 MB, ReDoc's 2 MB), which, built once at start, were
//! most of the server's heap at idle (dhat: 7.3 of 8.4 MB). A page costs one build of the
//! document per request (a few milliseconds), and its memory goes back once it is sent.

use poem::web::Html;
use poem::{Route, get, handler};

/// Swagger UI: its page at `/` (the OAuth receiver page poem-openapi adds is left out: the
/// API's one scheme is a bearer token).
pub fn swagger_ui() -> Route {
    Route::new().at("/", get(swagger_page))
}

/// ReDoc: its page at `/`.
pub fn redoc() -> Route {
    Route::new().at("/", get(redoc_page))
}

#[handler]
fn swagger_page() -> Html<String> {
    Html(super::service().swagger_ui_html())
}

#[handler]
fn redoc_page() -> Html<String> {
    Html(super::service().redoc_html())
}
