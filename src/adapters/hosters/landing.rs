//! Where a hoster link lands, and whose page that is. The label on the episode page is not
//! the hoster (PROVIDER.md, "Vidara and Vidavaca": a "Vidara" link often lands on a VOE
//! embed), so each extractor says whether it recognises a landed page: by a known domain
//! name of its own, else by its landmarks (mirror domains rotate, and the test hosters all
//! live on 127.0.0.1). This file holds what the extractors share for that: opening the page
//! once, and reading a host's name.

use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::ProviderError;
use crate::ports::catalogue::{EmbedPage, Recognition};

/// GETs an embed page (following its redirects): the page every extractor is chosen by and
/// then reads, so it is fetched once.
pub(super) async fn open(
    fetcher: &Fetcher,
    embed_url: &str,
    linked_from: &str,
) -> Result<EmbedPage, ProviderError> {
    let page = fetcher.get(embed_url, &[]).await?;
    Ok(EmbedPage {
        url: page.final_url,
        body: page.body,
        linked_from: linked_from.to_owned(),
    })
}

/// Whether `url`'s host is one of `names` under any top-level domain, or a subdomain of one:
/// `dood` matches `dood.la` and `www.dood.wf`, `playmogo` matches `playmogo.com`. Hosters
/// move between top-level domains far more often than they rename themselves.
pub(super) fn host_named(url: &str, names: &[&str]) -> bool {
    let Some(host) = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
    else {
        return false;
    };
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2 && names.contains(&labels[labels.len() - 2])
}

/// [`Recognition::Host`] when the page is on one of `names` (see [`host_named`]), else
/// [`Recognition::Landmarks`] when `landmarks` holds, else [`Recognition::Unknown`].
pub(super) fn recognition(page: &EmbedPage, names: &[&str], landmarks: bool) -> Recognition {
    if host_named(&page.url, names) {
        Recognition::Host
    } else if landmarks {
        Recognition::Landmarks
    } else {
        Recognition::Unknown
    }
}

/// The site host a link came from (`aniworld.to` for `https://aniworld.to/redirect/1`,
/// with its port where it has one).
pub(super) fn site_host(linked_from: &str) -> Option<String> {
    let url = url::Url::parse(linked_from).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// `scheme://host[:port]` of a URL.
pub(super) fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str) -> EmbedPage {
        EmbedPage {
            url: url.into(),
            body: String::new(),
            linked_from: "https://aniworld.to/redirect/1".into(),
        }
    }

    #[test]
    fn a_host_is_named_by_its_label_before_the_top_level_domain() {
        assert!(host_named(
            "https://playmogo.com/e/x",
            &["dood", "playmogo"]
        ));
        assert!(host_named("https://www.dood.wf/e/x", &["dood"]));
        assert!(host_named("https://VOE.SX/e/x", &["voe"]));
        assert!(!host_named("https://dood.example.voe.sx/e/x", &["dood"]));
        assert!(!host_named("https://notdood.la/e/x", &["dood"]));
        assert!(!host_named(
            "http://127.0.0.1:8080/hoster/dood/e/1",
            &["dood"]
        ));
        assert!(!host_named("not a url", &["dood"]));
    }

    #[test]
    fn a_known_host_is_surer_than_landmarks() {
        assert_eq!(
            recognition(&page("https://vidara.to/e/a"), &["vidara"], false),
            Recognition::Host
        );
        assert_eq!(
            recognition(&page("http://127.0.0.1:9/e/a"), &["vidara"], true),
            Recognition::Landmarks
        );
        assert_eq!(
            recognition(&page("http://127.0.0.1:9/e/a"), &["vidara"], false),
            Recognition::Unknown
        );
        assert!(Recognition::Host > Recognition::Landmarks);
        assert!(Recognition::Landmarks > Recognition::Unknown);
    }

    #[test]
    fn the_site_host_and_an_origin_keep_their_ports() {
        assert_eq!(
            site_host("https://aniworld.to/redirect/1").as_deref(),
            Some("aniworld.to")
        );
        assert_eq!(
            site_host("http://127.0.0.1:8123/redirect/1").as_deref(),
            Some("127.0.0.1:8123")
        );
        assert_eq!(
            origin_of("https://luluvdo.com/e/abc").as_deref(),
            Some("https://luluvdo.com")
        );
        assert_eq!(origin_of("javascript:alert(1)"), None);
    }
}
