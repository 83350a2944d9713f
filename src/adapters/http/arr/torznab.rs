//! Torznab at `/torznab/api` (INTEGRATIONS.md section 2), for Sonarr and Prowlarr: `caps`,
//! `search` and `tvsearch` with a `download` key as `apikey` (or `X-Api-Key`), answered as
//! RSS with Torznab's attributes; errors as Torznab's `<error code description/>`.

use std::sync::Arc;

use poem::http::StatusCode;
use poem::{Request, Response, handler};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{caller, query_pairs};
use crate::app::App;
use crate::app::arr::{FeedQuery, MAX_LIMIT};
use crate::domain::api_key::Scope;
use crate::domain::release::Release;

/// Torznab's TV category and its anime subcategory.
const TV: u32 = 5000;
const ANIME: u32 = 5070;

type Xml = Writer<Vec<u8>>;

/// `GET /torznab/api`.
#[handler]
pub async fn api(req: &Request) -> Response {
    if let Err(status) = caller(req, Scope::Download).await {
        return error(status, 100, "Incorrect user credentials");
    }
    let Some(app) = req.data::<Arc<App>>() else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            900,
            "the app is not attached",
        );
    };
    let params = query_pairs(req);
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match get("t").map(str::to_ascii_lowercase).as_deref() {
        Some("caps") => xml(StatusCode::OK, "application/xml", caps()),
        Some("search" | "tvsearch") => {
            let query = match feed_query(&get) {
                Ok(query) => query,
                Err(message) => return error(StatusCode::BAD_REQUEST, 201, &message),
            };
            if !wants_tv(get("cat")) {
                return xml(StatusCode::OK, "application/rss+xml", rss(&[]));
            }
            match app.arr.feed(&query).await {
                Ok(releases) => xml(StatusCode::OK, "application/rss+xml", rss(&releases)),
                Err(e) => {
                    tracing::warn!(error = %e, "a Torznab search failed");
                    error(StatusCode::BAD_GATEWAY, 900, &e.to_string())
                }
            }
        }
        Some(other) => error(
            StatusCode::BAD_REQUEST,
            201,
            &format!("Incorrect parameter: t={other} is not offered (caps, search, tvsearch)"),
        ),
        None => error(
            StatusCode::BAD_REQUEST,
            201,
            "Incorrect parameter: t is missing",
        ),
    }
}

/// The query's numbers: `season` (`00` the films), `ep`, `offset` and `limit`.
fn feed_query<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Result<FeedQuery, String> {
    let number = |name: &str| -> Result<Option<u32>, String> {
        match get(name).map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| format!("Incorrect parameter: {name}={v} is not a number")),
        }
    };
    let limit = number("limit")?.map_or(MAX_LIMIT, |l| l as usize);
    if limit == 0 {
        return Err("Incorrect parameter: limit must be at least 1".into());
    }
    Ok(FeedQuery {
        q: get("q").map(str::to_owned),
        season: number("season")?,
        episode: number("ep")?,
        offset: number("offset")?.unwrap_or(0) as usize,
        limit: limit.min(MAX_LIMIT),
    })
}

/// Whether `cat` (comma separated) asks for TV or anime, or for nothing in particular.
fn wants_tv(cat: Option<&str>) -> bool {
    let Some(cat) = cat.map(str::trim).filter(|c| !c.is_empty()) else {
        return true;
    };
    cat.split(',')
        .filter_map(|c| c.trim().parse::<u32>().ok())
        .any(|c| c == TV || c == ANIME)
}

fn xml(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response {
    Response::builder()
        .status(status)
        .content_type(format!("{content_type}; charset=utf-8"))
        .body(body)
}

/// `<error code="100" description="Incorrect user credentials"/>`.
fn error(status: StatusCode, code: u32, description: &str) -> Response {
    let mut w = document();
    let written = w
        .create_element("error")
        .with_attribute(("code", code.to_string().as_str()))
        .with_attribute(("description", description))
        .write_empty();
    debug_assert!(written.is_ok());
    xml(status, "application/xml", w.into_inner())
}

fn document() -> Xml {
    let mut w = Writer::new(Vec::new());
    let decl = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    debug_assert!(decl.is_ok());
    w
}

/// What the indexer offers: TV search by `q`, `season` and `ep`; categories TV and anime.
fn caps() -> Vec<u8> {
    let mut w = document();
    let written = w.create_element("caps").write_inner_content(|w| {
        w.create_element("server")
            .with_attribute(("version", env!("CARGO_PKG_VERSION")))
            .with_attribute(("title", "aniworld"))
            .write_empty()?;
        let (default, max) = (MAX_LIMIT.to_string(), MAX_LIMIT.to_string());
        w.create_element("limits")
            .with_attribute(("default", default.as_str()))
            .with_attribute(("max", max.as_str()))
            .write_empty()?;
        w.create_element("searching").write_inner_content(|w| {
            for (name, available, params) in [
                ("search", "yes", "q"),
                ("tv-search", "yes", "q,season,ep"),
                ("movie-search", "no", "q"),
                ("music-search", "no", "q"),
                ("audio-search", "no", "q"),
                ("book-search", "no", "q"),
            ] {
                w.create_element(name)
                    .with_attribute(("available", available))
                    .with_attribute(("supportedParams", params))
                    .write_empty()?;
            }
            Ok(())
        })?;
        w.create_element("categories").write_inner_content(|w| {
            w.create_element("category")
                .with_attribute(("id", TV.to_string().as_str()))
                .with_attribute(("name", "TV"))
                .write_inner_content(|w| {
                    w.create_element("subcat")
                        .with_attribute(("id", ANIME.to_string().as_str()))
                        .with_attribute(("name", "Anime"))
                        .write_empty()?;
                    Ok(())
                })?;
            Ok(())
        })?;
        Ok(())
    });
    debug_assert!(written.is_ok());
    w.into_inner()
}

/// The releases as an RSS channel with Torznab's attributes.
fn rss(releases: &[Release]) -> Vec<u8> {
    let mut w = document();
    let written = w
        .create_element("rss")
        .with_attribute(("version", "2.0"))
        .with_attribute(("xmlns:atom", "http://www.w3.org/2005/Atom"))
        .with_attribute(("xmlns:torznab", "http://torznab.com/schemas/2015/feed"))
        .write_inner_content(|w| {
            w.create_element("channel").write_inner_content(|w| {
                text(w, "title", "aniworld")?;
                text(w, "description", "Episodes of aniworld.to and s.to")?;
                for release in releases {
                    item(w, release)?;
                }
                Ok(())
            })?;
            Ok(())
        });
    debug_assert!(written.is_ok());
    w.into_inner()
}

fn item(w: &mut Xml, release: &Release) -> std::io::Result<()> {
    let (title, magnet, hash) = (release.title(), release.magnet(), release.hash());
    let size = release.size_estimate().to_string();
    w.create_element("item").write_inner_content(|w| {
        text(w, "title", &title)?;
        w.create_element("guid")
            .with_attribute(("isPermaLink", "false"))
            .write_text_content(BytesText::new(hash.as_str()))?;
        text(w, "link", &magnet)?;
        text(w, "pubDate", &release.first_seen.to_rfc2822())?;
        text(w, "size", &size)?;
        text(w, "category", &ANIME.to_string())?;
        w.create_element("enclosure")
            .with_attribute(("url", magnet.as_str()))
            .with_attribute(("length", size.as_str()))
            .with_attribute(("type", "application/x-bittorrent;x-scheme-handler/magnet"))
            .write_empty()?;
        let attrs = [
            ("category", TV.to_string()),
            ("category", ANIME.to_string()),
            ("size", size.clone()),
            ("infohash", hash.to_string()),
            ("magneturl", magnet.clone()),
            ("seeders", "1".into()),
            ("peers", "1".into()),
            ("language", release.torznab_language().into()),
            ("downloadvolumefactor", "0".into()),
            ("uploadvolumefactor", "1".into()),
        ];
        for (name, value) in attrs {
            w.create_element("torznab:attr")
                .with_attribute(("name", name))
                .with_attribute(("value", value.as_str()))
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

fn text(w: &mut Xml, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_filter_to_tv_and_anime() {
        assert!(wants_tv(None));
        assert!(wants_tv(Some("")));
        assert!(wants_tv(Some("5070")));
        assert!(wants_tv(Some("2000, 5000")));
        assert!(!wants_tv(Some("2000,8000")));
    }

    #[test]
    fn numbers_are_checked_and_season_00_is_the_films() {
        let params = [("season", "00"), ("ep", "3"), ("limit", "500")];
        let get = |n: &str| params.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
        let q = feed_query(&get).unwrap();
        assert_eq!(
            (q.season, q.episode, q.limit),
            (Some(0), Some(3), MAX_LIMIT)
        );
        let bad = [("season", "x")];
        let get = |n: &str| bad.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
        assert!(feed_query(&get).unwrap_err().contains("season=x"));
    }
}
