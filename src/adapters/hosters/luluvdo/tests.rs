//! Luluvdo on its landmarks (the player URL built from the embed URL, `file:` on the player
//! page) and against a local host that serves the player only with `Origin` and `Referer`.

use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{Request, Route, Server, get, handler};

use super::*;
use crate::adapters::fetch::USER_AGENT;
use crate::adapters::hosters::test_site::{fetcher, resolve_at};
use crate::domain::catalogue::MediaKind;

const PLAYER: &str = r#"<html><body><div id="vplayer"></div><script>
jwplayer("vplayer").setup({sources:[{file:"/hls/9fz2/master.m3u8?t=Qw&amp;e=3"}],
 tracks:[{file:"/dl?op=get_slides&file_code=9fz2",kind:"thumbnails"}],image:"/img/9fz2.jpg"});
</script></body></html>"#;

#[test]
fn the_player_url_names_the_code_and_the_site_the_link_came_from() {
    assert_eq!(
        player_url("https://luluvdo.com/e/9fz2kq1", "aniworld.to").unwrap(),
        "https://luluvdo.com/dl?op=embed&file_code=9fz2kq1&embed=1&referer=aniworld.to"
    );
    assert_eq!(
        player_url("https://luluvdo.com/d/9fz2kq1.html?x=1#t", "s.to").unwrap(),
        "https://luluvdo.com/dl?op=embed&file_code=9fz2kq1&embed=1&referer=s.to"
    );
    assert_eq!(
        player_url("https://luluvdo.com/watch", "s.to")
            .unwrap_err()
            .to_string(),
        "Luluvdo page layout not recognised (missing /e/<code> in the embed URL)"
    );
}

#[test]
fn the_playlist_is_the_file_naming_an_m3u8_not_the_thumbnails() {
    assert_eq!(
        extract(PLAYER).unwrap(),
        "/hls/9fz2/master.m3u8?t=Qw&amp;e=3"
    );
    assert_eq!(
        extract(r#"{file:"/dl?op=get_slides"}"#)
            .unwrap_err()
            .to_string(),
        "Luluvdo page layout not recognised (missing file:\"<.m3u8 URL>\" in the player)"
    );
}

#[test]
fn luluvdo_recognises_its_domains_only() {
    let page = |url: &str| EmbedPage {
        url: url.into(),
        body: PLAYER.into(),
        linked_from: "https://aniworld.to/redirect/1".into(),
    };
    let lulu = Luluvdo::new(fetcher());
    assert_eq!(
        lulu.recognises(&page("https://luluvdo.com/e/a")),
        Recognition::Host
    );
    assert_eq!(
        lulu.recognises(&page("http://127.0.0.1:9/e/a")),
        Recognition::Unknown
    );
}

/// `GET /dl`: the player for the right query with `Origin` and `Referer` on this host.
#[handler]
fn dl(req: &Request) -> poem::Response {
    let host = format!("http://{}", req.header("Host").unwrap_or_default());
    let query = req.uri().query().unwrap_or_default();
    let wanted = "op=embed&file_code=9fz2&embed=1&referer=aniworld.to";
    if query != wanted
        || req.header("Origin") != Some(host.as_str())
        || req.header("Referer") != Some(format!("{host}/").as_str())
    {
        return poem::Response::builder()
            .status(poem::http::StatusCode::FORBIDDEN)
            .finish();
    }
    poem::Response::builder()
        .content_type("text/html")
        .body(PLAYER)
}

#[tokio::test]
async fn the_player_is_asked_with_origin_and_referer_and_the_media_keeps_the_user_agent() {
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let port = acceptor.local_addr()[0].as_socket_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let routes = Route::new()
        .at(
            "/e/9fz2",
            get(poem::endpoint::make_sync(|_| "<html>Loading</html>")),
        )
        .at("/dl", get(dl));
    tokio::spawn(Server::new_with_acceptor(acceptor).run(routes));

    let source = resolve_at(&Luluvdo::new(fetcher()), &format!("{base}/e/9fz2"))
        .await
        .unwrap();

    assert_eq!(source.url, format!("{base}/hls/9fz2/master.m3u8?t=Qw&e=3"));
    assert_eq!(source.kind, MediaKind::Hls);
    assert_eq!(
        source.headers,
        vec![
            ("Referer".to_owned(), format!("{base}/")),
            ("User-Agent".to_owned(), USER_AGENT.to_owned()),
        ]
    );
}
