//! The OpenAPI document: served, committed, and listing every path of API.md built so far.

use serde_json::Value;

use crate::helpers::spawn_app;

/// The paths of API.md that exist at this stage, with their methods.
const BUILT: &[(&str, &str)] = &[
    ("/api/auth/setup", "post"),
    ("/api/auth/login", "post"),
    ("/api/auth/logout", "post"),
    ("/api/auth/status", "get"),
    ("/api/config", "get"),
    ("/api/config", "put"),
    ("/api/config/validate", "post"),
    ("/api/config/backups", "get"),
    ("/api/config/backups", "post"),
    ("/api/config/backups/{backup_name}/restore", "post"),
    ("/api/config/backups/{backup_name}", "delete"),
    ("/api/scheduler/config", "get"),
    ("/api/scheduler/config", "post"),
    ("/api/scheduler/trigger-rescan", "post"),
    ("/api/config/directory", "post"),
    ("/api/anime/status", "get"),
    ("/api/anime", "get"),
    ("/api/anime/search", "get"),
    ("/api/anime/search", "post"),
    ("/api/anime/add", "post"),
    ("/api/anime/rescan", "post"),
    ("/api/anime/{anime_id}", "get"),
    ("/health", "get"),
    ("/health/detailed", "get"),
    ("/api/health", "get"),
    ("/api/health/detailed", "get"),
    ("/ws/status", "get"),
];

#[tokio::test]
async fn the_served_document_lists_every_built_path_of_api_md() {
    let app = spawn_app().await;
    let doc: Value = app
        .get("/api/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    for (path, method) in BUILT {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["securitySchemes"]["BearerAuth"].is_object());
    assert!(doc["paths"]["/api/config"]["get"]["security"].is_array());
    assert!(
        doc["paths"]["/health"]["get"]["security"].is_null(),
        "health is public"
    );
}

#[tokio::test]
async fn the_committed_document_matches_the_code() {
    let generated = aniworld::adapters::http::openapi_json();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(path, format!("{generated}\n")).unwrap();
    }
    let committed = std::fs::read_to_string(path)
        .expect("openapi/openapi.json exists (UPDATE_OPENAPI=1 writes it)");
    assert_eq!(
        committed.trim_end(),
        generated.trim_end(),
        "openapi/openapi.json is stale: run UPDATE_OPENAPI=1 cargo test --test api openapi"
    );
}

#[tokio::test]
async fn swagger_ui_and_redoc_are_served() {
    let app = spawn_app().await;
    let swagger = app.get("/api/docs", None).await.text().await.unwrap();
    assert!(swagger.contains("swagger"), "Swagger UI page");
    let redoc = app.get("/api/redoc", None).await.text().await.unwrap();
    assert!(redoc.to_lowercase().contains("redoc"), "ReDoc page");
    // both carry the document itself (they are built when asked for, not kept)
    for page in [&swagger, &redoc] {
        assert!(page.contains("/api/anime/search"), "the paths");
        assert!(page.contains(env!("CARGO_PKG_VERSION")), "the version");
    }
    let again = app.get("/api/docs/", None).await;
    assert_eq!(again.status(), 200);
    assert_eq!(
        again.text().await.unwrap(),
        swagger,
        "the same page each time"
    );
}
