//! Challenge pages (PROVIDER.md, "Challenge pages"): bot protection answering with a page
//! that asks for a browser instead of the page asked for; and refusals (PROVIDER.md, "Looking
//! like a browser, and being refused"): a 403, 429 or 503 without such a page. Told apart here
//! once for the catalogue, its redirects and every hoster.

use super::page::read_capped;
use super::transport::Response;
use crate::domain::catalogue::ProviderError;

/// Statuses bot protection answers with (Cloudflare 403 and 503, DDoS-Guard 403, 429).
pub(super) const CHALLENGE_STATUSES: [u16; 3] = [403, 429, 503];
/// How much of a refusal is read to look for a challenge.
const CHALLENGE_PAGE_CAP: u64 = 256 * 1024;

/// What challenge pages of Cloudflare, the captcha services and DDoS-Guard hold
/// (PROVIDER.md, "Challenge pages"); s.to's play links answer a form of their own
/// (`captcha-form`, sometimes an ALTCHA widget; PROVIDER.md, "Second site").
const CHALLENGE_MARKERS: [&str; 12] = [
    "Just a moment",
    "cf-turnstile",
    "captcha-form",
    "<altcha-widget",
    "challenges.cloudflare.com",
    "cdn-cgi/challenge-platform",
    "cf_chl_",
    "g-recaptcha",
    "hcaptcha",
    "ddos-guard",
    "__ddg1_",
    "__ddg2_",
];

/// Whether a page is a challenge instead of the page asked for.
pub fn is_challenge(page: &str) -> bool {
    CHALLENGE_MARKERS.iter().any(|m| page.contains(m))
}

/// The host of `url`, as errors name it.
pub(super) fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "the site".to_owned())
}

/// The challenge error, naming the host that asked.
pub(super) fn challenge(url: &str) -> ProviderError {
    ProviderError::Challenge(host_of(url))
}

/// What an answer of `status` whose page was not asked for means: a challenge when (the first
/// 256 KiB of) its body is a challenge page, else a refusal when the status is one of bot
/// protection's, else nothing (a 200 page that is what it is).
pub(super) async fn refusal(response: &mut Response, status: u16) -> Option<ProviderError> {
    let url = response.url.to_string();
    let body = read_capped(response, CHALLENGE_PAGE_CAP)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    if is_challenge(&body) {
        Some(challenge(&url))
    } else if CHALLENGE_STATUSES.contains(&status) {
        Some(ProviderError::Refused {
            host: host_of(&url),
            status,
            solver: None,
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudflare_captcha_and_ddos_guard_pages_are_challenges() {
        for page in [
            "<html><head><title>Just a moment...</title></head></html>",
            r#"<div class="cf-turnstile" data-sitekey="x"></div>"#,
            r#"<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script>"#,
            r#"<form action="/?__cf_chl_tk=abc">"#,
            r#"<div class="g-recaptcha"></div>"#,
            r#"<script src="https://js.hcaptcha.com/1/api.js"></script>"#,
            "<title>DDoS-Guard</title><script>var __ddg1_ = 1;</script>",
        ] {
            assert!(is_challenge(page), "{page}");
        }
    }

    #[test]
    fn ordinary_pages_are_not_challenges() {
        assert!(!is_challenge(
            r#"<div class="series-title"><h1><span>Dr. Stone</span></h1></div>"#
        ));
        assert!(!is_challenge("#EXTM3U\n#EXTINF:6,\nseg-0.ts"));
    }

    #[test]
    fn the_challenge_names_the_host_that_asked() {
        assert_eq!(
            challenge("https://voe.sx/e/abc?x=1"),
            ProviderError::Challenge("voe.sx".into())
        );
    }

    #[test]
    fn s_tos_play_link_challenge_is_a_challenge_and_its_pages_are_not() {
        let play = include_str!("../../../tests/fixtures/sto/play_challenge.html");
        assert!(is_challenge(play));
        for page in [
            r#"<form id="captcha-form" method="post"><button>Weiter</button></form>"#,
            r#"<form method="post"><altcha-widget challengeurl="/altcha/challenge"></altcha-widget></form>"#,
        ] {
            assert!(is_challenge(page), "{page}");
        }
        for page in [
            include_str!("../../../tests/fixtures/sto/series.html"),
            include_str!("../../../tests/fixtures/sto/season.html"),
            include_str!("../../../tests/fixtures/sto/episode.html"),
            include_str!("../../../tests/fixtures/sto/search_page_1.html"),
            include_str!("../../../tests/fixtures/hosters/vidoza.html"),
        ] {
            assert!(!is_challenge(page), "{}", &page[..page.len().min(200)]);
        }
    }
}
