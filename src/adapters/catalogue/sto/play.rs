//! s.to's play links, `GET {base}/r?t=<token>` (PROVIDER.md, "Play link"): from a clean
//! address a plain 302 to the hoster's embed page; from an address the site distrusts, or
//! after some episodes in a row, a 200 page of the site with a Turnstile form instead
//! (`cf-turnstile` in a `captcha-form`, sometimes an ALTCHA widget). Such a page is a
//! challenge (its own typed error, FlareSolverr the remedy), never a layout change.

use crate::adapters::fetch::is_challenge;

/// Whether the answer to a play link is a challenge page instead of a redirect: s.to's
/// Turnstile or ALTCHA form, or any page bot protection serves. The markers are the fetcher's
/// (one list for every site and hoster, s.to's form among them), which tells a challenge on
/// every request; this names the rule for the play link's readers and tests.
pub fn is_challenge_page(html: &str) -> bool {
    is_challenge(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHALLENGE: &str = include_str!("../../../../tests/fixtures/sto/play_challenge.html");

    #[test]
    fn the_turnstile_form_of_a_play_link_is_a_challenge() {
        assert!(is_challenge_page(CHALLENGE));
    }

    #[test]
    fn each_of_its_landmarks_alone_is_enough() {
        for page in [
            r#"<div class="cf-turnstile" data-sitekey="0x4AAAAAAAB3k"></div>"#,
            r#"<form id="captcha-form" method="post"><button>Weiter</button></form>"#,
            r#"<form method="post"><altcha-widget challengeurl="/altcha/challenge"></altcha-widget></form>"#,
            r#"<script src="https://challenges.cloudflare.com/turnstile/v0/api.js"></script>"#,
            "<html><head><title>Just a moment...</title></head></html>",
        ] {
            assert!(is_challenge_page(page), "{page}");
        }
    }

    #[test]
    fn the_sites_pages_and_a_hosters_embed_page_are_no_challenges() {
        for page in [
            include_str!("../../../../tests/fixtures/sto/series.html"),
            include_str!("../../../../tests/fixtures/sto/season.html"),
            include_str!("../../../../tests/fixtures/sto/episode.html"),
            include_str!("../../../../tests/fixtures/sto/search_page_1.html"),
            include_str!("../../../../tests/fixtures/hosters/vidoza.html"),
            "",
        ] {
            assert!(!is_challenge_page(page), "{}", &page[..page.len().min(200)]);
        }
    }
}
