//! The fake site's hoster pages and media, checked with a plain HTTP client, so hoster and
//! download tests can rely on them: each embed page holds its pattern, MP4 files honour
//! `Range`, and HLS playlists lead to segments that decrypt to the expected bytes.

use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::support::fake_site::media::{hls_iv, hls_key};
use crate::support::fake_site::{EmbedBehaviour, FakeHoster, FakeLinkInfo, FakeSite, voe};

async fn text(url: &str) -> String {
    reqwest::get(url).await.unwrap().text().await.unwrap()
}

async fn bytes(url: &str) -> Vec<u8> {
    reqwest::get(url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

/// The link of episode 1-1 of the standard catalogue served by `hoster` in `language`.
fn link(site: &FakeSite, hoster: FakeHoster, language: u8) -> FakeLinkInfo {
    site.links("attack-on-titan", 1, 1)
        .into_iter()
        .find(|l| l.link.hoster == hoster && l.link.language == language)
        .unwrap()
}

#[tokio::test]
async fn each_embed_page_holds_its_hosters_pattern() {
    let site = FakeSite::standard().await;
    let vidoza = link(&site, FakeHoster::Vidoza, 1);
    let page = text(&vidoza.embed_url()).await;
    assert!(page.contains(&format!("sourcesCode: [{{ src: \"{}\"", vidoza.media_url())));
    let vidmoly = link(&site, FakeHoster::Vidmoly, 2);
    let page = text(&vidmoly.embed_url()).await;
    assert!(page.contains(&format!("file: \"{}\"", vidmoly.media_url())));
    let streamtape = link(&site, FakeHoster::Streamtape, 3);
    let page = text(&streamtape.embed_url()).await;
    let url = streamtape.extracted_media_url();
    let (head, tail) = url
        .strip_prefix("http:")
        .unwrap()
        .split_once("token=")
        .unwrap();
    assert!(page.contains(&format!(
        "('robotlink').innerHTML = '{head}token='+ ('xcd{tail}')"
    )));
}

/// The quoted target of the first `marker` line in `page`.
fn forward_in(page: &str, marker: &str, quote: char) -> String {
    page.split(marker)
        .nth(1)
        .and_then(|rest| rest.split(quote).next())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn voe_forwards_twice_to_a_player_page_with_the_obfuscated_json() {
    let site = FakeSite::standard().await;
    let voe = link(&site, FakeHoster::Voe, 1);
    let embed = text(&voe.embed_url()).await;
    let hop = forward_in(&embed, "  window.location.href = '", '\'');
    assert_eq!(hop, voe::token_hop_url(site.base_url(), &voe.link));
    assert!(hop.contains("?permanentToken="));
    let second = text(&hop).await;
    let player = forward_in(&second, "location.href = \"", '"');
    assert_eq!(player, voe::player_url(site.base_url(), &voe.link));
    let page = text(&player).await;
    let json = voe::player_json(site.base_url(), &voe.link, voe.generation);
    assert!(json.contains(&format!("\"source\":\"{}\"", voe.media_url())));
    let script = format!(
        "<script type=\"application/json\">[\"{}\"]</script>",
        voe::obfuscate(&json)
    );
    assert!(page.contains(&script));
    assert!(page.contains("[\"not\", \"obfuscated\"]"));
}

#[tokio::test]
async fn voe_token_hop_without_its_permanent_token_is_not_found() {
    let site = FakeSite::standard().await;
    let voe = link(&site, FakeHoster::Voe, 1);
    let hop = voe::token_hop_url(site.base_url(), &voe.link);
    let bare = hop.split('?').next().unwrap();
    assert_eq!(reqwest::get(bare).await.unwrap().status(), 404);
    let wrong = format!("{bare}?permanentToken=wrong");
    assert_eq!(reqwest::get(&wrong).await.unwrap().status(), 404);
}

#[test]
fn voe_obfuscation_is_the_documented_chain() {
    let encoded = voe::obfuscate(r#"{"source":"https://a.example/master.m3u8"}"#);
    let rot13 = |c: char| match c {
        'a'..='z' => char::from((c as u8 - b'a' + 13) % 26 + b'a'),
        'A'..='Z' => char::from((c as u8 - b'A' + 13) % 26 + b'A'),
        _ => c,
    };
    let mut text: String = encoded.chars().map(rot13).collect();
    for marker in ["@$", "^^", "~@", "%?", "*~", "!!", "#&", "_"] {
        text = text.replace(marker, "");
    }
    let first = STANDARD.decode(text).unwrap();
    let shifted: Vec<u8> = first.iter().map(|b| b - 3).rev().collect();
    let json = STANDARD.decode(shifted).unwrap();
    assert_eq!(json, br#"{"source":"https://a.example/master.m3u8"}"#);
}

#[tokio::test]
async fn an_mp4_is_served_whole_or_from_a_range() {
    let site = FakeSite::standard().await;
    let vidoza = link(&site, FakeHoster::Vidoza, 1);
    let expected = vidoza.expected_bytes();
    assert_eq!(bytes(&vidoza.media_url()).await, expected);
    let client = reqwest::Client::new();
    let partial = client
        .get(vidoza.media_url())
        .header("Range", "bytes=1000-")
        .send()
        .await
        .unwrap();
    assert_eq!(partial.status(), 206);
    let range = partial.headers()["content-range"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        range,
        format!("bytes 1000-{}/{}", expected.len() - 1, expected.len())
    );
    assert_eq!(partial.bytes().await.unwrap().to_vec(), expected[1000..]);
}

#[tokio::test]
async fn the_best_hls_variant_decrypts_to_the_expected_bytes() {
    let site = FakeSite::standard().await;
    let voe = link(&site, FakeHoster::Voe, 1);
    let master = text(&voe.media_url()).await;
    let best = master
        .lines()
        .skip_while(|l| !l.contains("BANDWIDTH=2500000"))
        .nth(1)
        .unwrap();
    let playlist = text(best).await;
    assert!(playlist.contains("#EXT-X-KEY:METHOD=AES-128,URI=\""));
    let base = best.trim_end_matches("index.m3u8");
    let mut joined = Vec::new();
    for (index, uri) in playlist.lines().filter(|l| !l.starts_with('#')).enumerate() {
        let url = if uri.starts_with("http") {
            uri.to_owned()
        } else {
            format!("{base}{uri}")
        };
        let cipher = bytes(&url).await;
        let mut buf = vec![0u8; cipher.len()];
        let iv = hls_iv(index as u32);
        let plain = cbc::Decryptor::<aes::Aes128>::new(&hls_key(voe.link.id).into(), &iv.into())
            .decrypt_padded_b2b::<Pkcs7>(&cipher, &mut buf)
            .unwrap();
        joined.extend_from_slice(plain);
    }
    assert_eq!(joined, voe.expected_bytes());
}

#[tokio::test]
async fn hosters_can_serve_their_alternative_pattern() {
    let site = FakeSite::standard().await;
    site.edit_series("attack-on-titan", |series| {
        let episode = series.episode_mut(1, 1).unwrap();
        for link in &mut episode.links {
            link.embed = EmbedBehaviour::AlternativePattern;
        }
    });
    let vidoza = link(&site, FakeHoster::Vidoza, 1);
    let page = text(&vidoza.embed_url()).await;
    let tag = format!("<source src=\"{}\" type=\"video/mp4\">", vidoza.media_url());
    assert!(page.contains(&tag));
    let voe = link(&site, FakeHoster::Voe, 1);
    let page = text(&voe.embed_url()).await;
    let encoded = forward_in(&page, "'hls': '", '\'');
    let decoded = STANDARD.decode(encoded).unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), voe.media_url());
}
