//! Names the product cannot reach as configured (CONTRACT.md section 4): a main base that is
//! dead, with a mirror that works; a host name that only a DNS-over-HTTPS responder knows.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aniworld::adapters::fetch::dns::testing::{answer, question};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::Data;
use poem::{Body, EndpointExt, Response, Route, handler, post};
use serde_json::json;

use super::{search_names, set_provider};
use crate::helpers::{TestOptions, spawn_app_with};
use crate::support::fake_site::FakeSite;

#[tokio::test]
async fn a_dead_main_base_hands_over_to_a_working_mirror_which_is_remembered() {
    let site = FakeSite::standard().await;
    // The main base takes connections and closes them without a word.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let main = format!("http://{}", dead.local_addr().unwrap());
    let knocks = Arc::new(AtomicUsize::new(0));
    let counted = knocks.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = dead.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    let app = spawn_app_with(TestOptions {
        provider_url: main.clone(),
        ..TestOptions::default()
    })
    .await;
    let token = app.login().await;
    let dir = app.anime_path();
    let r = app
        .post(
            "/api/config/directory",
            Some(&token),
            json!({ "directory": dir }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let config = set_provider(&app, &token, json!({ "mirrors": [site.base_url()] })).await;
    assert_eq!(
        config["provider"]["mirrors"],
        json!({ "aniworld.to": [site.base_url()] }),
        "a plain list is aniworld.to's"
    );
    assert_eq!(
        search_names(&app, "titan").await,
        ["Attack on Titan", "Attack on Titan: Junior High"]
    );
    assert_eq!(
        knocks.load(Ordering::SeqCst),
        1,
        "the main base was tried first"
    );
    // The series link names the main base, as configured; it is read on the mirror, which
    // is asked first now.
    let r = app
        .post(
            "/api/anime/add",
            Some(&token),
            json!({ "link": format!("{main}/anime/stream/attack-on-titan") }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(site.requests("/anime/stream/attack-on-titan"), 1);
    assert_eq!(
        knocks.load(Ordering::SeqCst),
        1,
        "the mirror that worked is remembered"
    );

    let r = app
        .request(
            reqwest::Method::PUT,
            "/api/config",
            Some(&token),
            Some(json!({ "provider": { "mirrors": { "example.org": ["ftp://x"] } } })),
        )
        .await;
    let body = crate::helpers::assert_error(r, 422, "VALIDATION_ERROR").await;
    assert!(body.to_string().contains("provider.mirrors"), "{body}");
}

/// A DNS-over-HTTPS responder (RFC 8484, POST) that knows one name.
struct Doh {
    url: String,
    asked: Arc<Mutex<Vec<String>>>,
    _server: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct Known(Arc<Mutex<Vec<String>>>, String, IpAddr);

#[handler]
async fn dns_query(body: Body, known: Data<&Known>) -> Response {
    let wire = body.into_vec().await.unwrap_or_default();
    let Some((name, _, _)) = question(&wire) else {
        return Response::builder()
            .status(poem::http::StatusCode::BAD_REQUEST)
            .finish();
    };
    known.0.0.lock().unwrap().push(name.clone());
    let ips = if name == known.0.1 {
        vec![known.0.2]
    } else {
        vec![]
    };
    Response::builder()
        .content_type("application/dns-message")
        .body(answer(&wire, &ips))
}

impl Doh {
    async fn spawn(name: &str, ip: IpAddr) -> Self {
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .unwrap();
        let port = acceptor.local_addr()[0].as_socket_addr().unwrap().port();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let app = Route::new().at("/dns-query", post(dns_query)).data(Known(
            asked.clone(),
            name.to_owned(),
            ip,
        ));
        let server = tokio::spawn(async move {
            let _ = poem::Server::new_with_acceptor(acceptor).run(app).await;
        });
        Self {
            url: format!("http://127.0.0.1:{port}/dns-query"),
            asked,
            _server: server,
        }
    }
}

#[tokio::test]
async fn a_name_only_the_dns_over_https_responder_knows_is_reached() {
    let site = FakeSite::standard().await;
    let port = url::Url::parse(site.base_url()).unwrap().port().unwrap();
    let doh = Doh::spawn("aniworld.test", IpAddr::V4(Ipv4Addr::LOCALHOST)).await;
    let app = spawn_app_with(TestOptions {
        provider_url: format!("http://aniworld.test:{port}"),
        ..TestOptions::default()
    })
    .await;
    let token = app.login().await;
    set_provider(&app, &token, json!({ "dns_over_https": doh.url })).await;
    assert_eq!(
        search_names(&app, "titan").await,
        ["Attack on Titan", "Attack on Titan: Junior High"]
    );
    let asked = doh.asked.lock().unwrap().clone();
    assert!(asked.iter().all(|n| n == "aniworld.test"), "{asked:?}");
    assert!(!asked.is_empty());
    let host = site
        .last_headers(crate::support::fake_site::SEARCH_PATH)
        .unwrap()
        .into_iter()
        .find(|(n, _)| n == "host")
        .map(|(_, v)| v);
    assert_eq!(
        host.as_deref(),
        Some(format!("aniworld.test:{port}").as_str())
    );
    let health: serde_json::Value = app
        .get("/health/detailed", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(health["dependencies"]["identity"]["dns_over_https"], true);
}
