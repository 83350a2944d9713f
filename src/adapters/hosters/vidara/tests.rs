//! Vidara on its landmarks (the embed URL's code, the API answer, the page's API call) and
//! over a local stream API that wants the JSON body, `Origin` and `Referer`.

use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::Json;
use poem::{Request, Route, Server, get, handler, post};

use super::*;
use crate::adapters::hosters::test_site::{fetcher, resolve_at};

const EMBED_PAGE: &str = r#"<!DOCTYPE html><html><head><title>Vidara &ndash; Folge 5</title>
<script src="/assets/hls.min.js"></script></head><body><video id="player"></video>
<script>const code = "k8d2x0qv7m1";
fetch('/api/stream', {method: 'POST', credentials: 'include', headers: {'Content-Type': 'application/json'},
  body: JSON.stringify({filecode: code, device: 'web'})}).then(r => r.json()).then(d => play(d.streaming_url));</script>
</body></html>"#;

fn page(url: &str, body: &str) -> EmbedPage {
    EmbedPage {
        url: url.into(),
        body: body.into(),
        linked_from: "https://aniworld.to/redirect/1".into(),
    }
}

#[test]
fn the_code_comes_from_e_and_v_embed_urls() {
    assert_eq!(
        file_code("Vidara", "https://vidara.to/e/k8d2x0qv7m1").unwrap(),
        "k8d2x0qv7m1"
    );
    assert_eq!(
        file_code("Vidavaca", "https://vidavaca.com/v/Ab9?autoplay=1").unwrap(),
        "Ab9"
    );
    assert_eq!(
        file_code("Vidara", "https://vidara.to/watch/x")
            .unwrap_err()
            .to_string(),
        "Vidara page layout not recognised (missing /e/<code> or /v/<code> in the embed URL)"
    );
}

#[test]
fn the_stream_answer_yields_its_streaming_url_or_names_it_missing() {
    let answer = r#"{"status":"ok","title":"Folge &amp; 5","streaming_url":"https:\/\/cdn.vidara.example\/hls\/k8d2\/master.m3u8?e=1&s=ab","thumbnail":"https://x/t.jpg"}"#;
    assert_eq!(
        stream_url("Vidara", answer).unwrap(),
        "https://cdn.vidara.example/hls/k8d2/master.m3u8?e=1&s=ab"
    );
    let expected =
        "Vidavaca page layout not recognised (missing streaming_url in the /api/stream answer)";
    for bad in [
        r#"{"error":"file not found"}"#,
        r#"{"streaming_url":""}"#,
        "<html>",
        "[1]",
    ] {
        assert_eq!(
            stream_url("Vidavaca", bad).unwrap_err().to_string(),
            expected
        );
    }
}

#[test]
fn vidara_recognises_its_domains_and_the_stream_api_call() {
    let vidara = Vidara::new("Vidara", fetcher());
    assert_eq!(
        vidara.recognises(&page("https://vidavaca.com/e/x", "")),
        Recognition::Host
    );
    assert_eq!(
        vidara.recognises(&page("http://127.0.0.1:9/e/x", EMBED_PAGE)),
        Recognition::Landmarks
    );
    assert_eq!(
        vidara.recognises(&page("http://127.0.0.1:9/e/x", "<video></video>")),
        Recognition::Unknown
    );
}

/// `POST /api/stream`: the playlist for code `k8d2x0qv7m1` when the request carries the
/// JSON body and `Origin`/`Referer` on this host; 403 otherwise.
#[handler]
fn stream_api(req: &Request, Json(body): Json<serde_json::Value>) -> poem::Response {
    let host = format!("http://{}", req.header("Host").unwrap_or_default());
    let origin_ok = req.header("Origin") == Some(host.as_str());
    let referer_ok = req
        .header("Referer")
        .is_some_and(|r| r.starts_with(&format!("{host}/")));
    let body_ok = body == serde_json::json!({ "filecode": "k8d2x0qv7m1", "device": "web" });
    if !(origin_ok && referer_ok && body_ok) {
        return poem::Response::builder()
            .status(poem::http::StatusCode::FORBIDDEN)
            .finish();
    }
    let playlist = format!("{host}/hls/k8d2x0qv7m1/master.m3u8");
    poem::Response::builder()
        .content_type("application/json")
        .body(serde_json::json!({ "streaming_url": playlist }).to_string())
}

#[tokio::test]
async fn the_stream_api_is_asked_with_the_code_origin_and_referer_of_the_landed_host() {
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let port = acceptor.local_addr()[0].as_socket_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let routes = Route::new()
        .at(
            "/e/k8d2x0qv7m1",
            get(poem::endpoint::make_sync(|_| EMBED_PAGE)),
        )
        .at("/api/stream", post(stream_api));
    tokio::spawn(Server::new_with_acceptor(acceptor).run(routes));

    let embed = format!("{base}/e/k8d2x0qv7m1");
    let source = resolve_at(&Vidara::new("Vidavaca", fetcher()), &embed)
        .await
        .unwrap();

    assert_eq!(source.url, format!("{base}/hls/k8d2x0qv7m1/master.m3u8"));
    assert_eq!(source.kind, MediaKind::Hls);
    assert_eq!(source.hoster, "Vidavaca");
    assert_eq!(source.headers[0], ("Referer".into(), embed));
}
