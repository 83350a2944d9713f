//! The browser the product looks like to the catalogue and the hosters: one current desktop
//! Chrome (PROVIDER.md, "Looking like a browser"). Its header sets, in the order Chrome sends
//! them, for the three kinds of request the product makes:
//! - a navigation (a page: the catalogue's pages, a redirect, a hoster's embed page);
//! - an XHR (`fetch`/`XMLHttpRequest` from a page: the catalogue's search, a hoster's API);
//! - a media request (a player's request for a file, a playlist, a segment or a key).
//!
//! `sec-ch-ua` is derived from the User-Agent's major version as Chrome derives it, so the
//! two always agree, also for a User-Agent that FlareSolverr hands back.

/// The major version of the Chrome the product presents itself as.
pub const CHROME_MAJOR: u32 = 156;

/// The User-Agent of that Chrome on Windows (Chrome's reduced form: only the major version).
pub const USER_AGENT: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/// What a German user's Chrome sends.
pub const ACCEPT_LANGUAGE: &str = "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7";

/// The encodings Chrome accepts for pages and XHR answers.
/// What Chrome accepts for an `<img>`.
const ACCEPT_IMAGE: &str = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// Chrome's `Accept` of a navigation.
const ACCEPT_DOCUMENT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

/// The kind of request, which decides Chrome's header set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A top-level page load.
    Navigate,
    /// A script's request from a page of the same site.
    Xhr,
    /// A player's request for media bytes.
    Media,
    /// An `<img>` of a page (a series' cover).
    Image,
}

/// Where the request comes from, as `Sec-Fetch-Site` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchSite {
    /// Typed into the address bar: the first page of a site.
    None,
    SameOrigin,
    CrossSite,
}

impl FetchSite {
    fn value(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::SameOrigin => "same-origin",
            Self::CrossSite => "cross-site",
        }
    }
}

/// One request's place in the browsing: its kind, where it comes from, and the page it comes
/// from (`Referer`), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub kind: Kind,
    pub site: FetchSite,
    pub referer: Option<String>,
}

/// The client-hint brand list Chrome of `major` sends in `sec-ch-ua`: a GREASE brand, whose
/// characters, version and place follow from the major version (Chromium's
/// `GetUserAgentBrandList`), beside "Chromium" and "Google Chrome".
pub fn sec_ch_ua(major: u32) -> String {
    const GREASE_CHARS: [char; 11] = [' ', '(', ':', '-', '.', '/', ')', ';', '=', '?', '_'];
    const GREASE_VERSIONS: [&str; 3] = ["8", "99", "24"];
    const ORDERS: [[usize; 3]; 6] = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    let seed = major as usize;
    let grease = format!(
        "\"Not{}A{}Brand\";v=\"{}\"",
        GREASE_CHARS[seed % GREASE_CHARS.len()],
        GREASE_CHARS[(seed + 1) % GREASE_CHARS.len()],
        GREASE_VERSIONS[seed % GREASE_VERSIONS.len()]
    );
    let brands = [
        grease,
        format!("\"Chromium\";v=\"{major}\""),
        format!("\"Google Chrome\";v=\"{major}\""),
    ];
    let order = ORDERS[seed % ORDERS.len()];
    let mut list = [const { String::new() }; 3];
    for (brand, &place) in brands.into_iter().zip(order.iter()) {
        list[place] = brand;
    }
    list.join(", ")
}

/// The Chrome major version a User-Agent names (`Chrome/156.0.0.0`), if it is a Chrome's.
pub fn chrome_major(user_agent: &str) -> Option<u32> {
    if user_agent.contains("Edg/") || user_agent.contains("OPR/") {
        return None;
    }
    let rest = user_agent.split("Chrome/").nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The platform a User-Agent names, as `sec-ch-ua-platform` writes it.
fn platform(user_agent: &str) -> &'static str {
    if user_agent.contains("Windows") {
        "\"Windows\""
    } else if user_agent.contains("Macintosh") {
        "\"macOS\""
    } else if user_agent.contains("Android") {
        "\"Android\""
    } else {
        "\"Linux\""
    }
}

/// The headers of one request in Chrome's order, for `user_agent` (the product's own, or the
/// one a FlareSolverr clearance belongs to; client hints go only with a Chrome User-Agent, and
/// then with its version). `Host`, `Connection`, `Content-Length` and `Cookie` are the
/// transport's: it puts them where Chrome does.
pub fn headers(user_agent: &str, context: &Context) -> Vec<(&'static str, String)> {
    let hints = chrome_major(user_agent).map(|major| {
        (
            sec_ch_ua(major),
            if user_agent.contains("Mobile") {
                "?1"
            } else {
                "?0"
            },
            platform(user_agent),
        )
    });
    let mut out: Vec<(&'static str, String)> = Vec::with_capacity(14);
    let referer = context.referer.clone();
    match context.kind {
        Kind::Navigate => {
            if let Some((ua, mobile, platform)) = &hints {
                out.push(("sec-ch-ua", ua.clone()));
                out.push(("sec-ch-ua-mobile", (*mobile).to_owned()));
                out.push(("sec-ch-ua-platform", (*platform).to_owned()));
            }
            out.push(("Upgrade-Insecure-Requests", "1".to_owned()));
            out.push(("User-Agent", user_agent.to_owned()));
            out.push(("Accept", ACCEPT_DOCUMENT.to_owned()));
            out.push(("Sec-Fetch-Site", context.site.value().to_owned()));
            out.push(("Sec-Fetch-Mode", "navigate".to_owned()));
            out.push(("Sec-Fetch-User", "?1".to_owned()));
            out.push(("Sec-Fetch-Dest", "document".to_owned()));
            if let Some(referer) = referer {
                out.push(("Referer", referer));
            }
            out.push(("Accept-Encoding", ACCEPT_ENCODING.to_owned()));
            out.push(("Accept-Language", ACCEPT_LANGUAGE.to_owned()));
        }
        Kind::Xhr => {
            if let Some((_, _, platform)) = &hints {
                out.push(("sec-ch-ua-platform", (*platform).to_owned()));
            }
            out.push(("User-Agent", user_agent.to_owned()));
            out.push(("Accept", "*/*".to_owned()));
            if let Some((ua, mobile, _)) = &hints {
                out.push(("sec-ch-ua", ua.clone()));
                out.push(("sec-ch-ua-mobile", (*mobile).to_owned()));
            }
            out.push(("Sec-Fetch-Site", context.site.value().to_owned()));
            out.push(("Sec-Fetch-Mode", "cors".to_owned()));
            out.push(("Sec-Fetch-Dest", "empty".to_owned()));
            if let Some(referer) = referer {
                out.push(("Referer", referer));
            }
            out.push(("Accept-Encoding", ACCEPT_ENCODING.to_owned()));
            out.push(("Accept-Language", ACCEPT_LANGUAGE.to_owned()));
        }
        // An `<img>` and a player's request for media bytes: the same headers, in the same
        // order, but for what they accept and where they go.
        Kind::Image | Kind::Media => {
            let (accept, mode, dest, encoding) = if context.kind == Kind::Image {
                (ACCEPT_IMAGE, "no-cors", "image", ACCEPT_ENCODING)
            } else {
                // Sizes and ranges count the bytes as stored, not a compressed form of them.
                ("*/*", "cors", "empty", "identity")
            };
            if let Some((_, _, platform)) = &hints {
                out.push(("sec-ch-ua-platform", (*platform).to_owned()));
            }
            out.push(("User-Agent", user_agent.to_owned()));
            if let Some((ua, mobile, _)) = &hints {
                out.push(("sec-ch-ua", ua.clone()));
                out.push(("sec-ch-ua-mobile", (*mobile).to_owned()));
            }
            out.push(("Accept", accept.to_owned()));
            out.push(("Sec-Fetch-Site", context.site.value().to_owned()));
            out.push(("Sec-Fetch-Mode", mode.to_owned()));
            out.push(("Sec-Fetch-Dest", dest.to_owned()));
            if let Some(referer) = referer {
                out.push(("Referer", referer));
            }
            out.push(("Accept-Encoding", encoding.to_owned()));
            out.push(("Accept-Language", ACCEPT_LANGUAGE.to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_brand_list_is_chromes_for_known_versions() {
        // As Chrome 124 and 131 sent them.
        assert_eq!(
            sec_ch_ua(124),
            r#""Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99""#
        );
        assert_eq!(
            sec_ch_ua(131),
            r#""Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24""#
        );
    }

    #[test]
    fn client_hints_agree_with_the_user_agent() {
        assert_eq!(chrome_major(USER_AGENT), Some(CHROME_MAJOR));
        let nav = Context {
            kind: Kind::Navigate,
            site: FetchSite::None,
            referer: None,
        };
        let h = headers(USER_AGENT, &nav);
        let get = |n: &str| h.iter().find(|(k, _)| *k == n).map(|(_, v)| v.as_str());
        assert!(
            get("sec-ch-ua")
                .unwrap()
                .contains(&format!("v=\"{CHROME_MAJOR}\""))
        );
        assert_eq!(get("sec-ch-ua-platform"), Some("\"Windows\""));
        assert_eq!(get("Sec-Fetch-Site"), Some("none"));
        assert_eq!(get("Referer"), None);
        assert!(get("Accept-Language").unwrap().starts_with("de-DE"));

        let solver = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
        let h = headers(solver, &nav);
        let ua = h.iter().find(|(k, _)| *k == "sec-ch-ua").unwrap();
        assert!(ua.1.contains("v=\"142\""), "{}", ua.1);
        assert!(h.contains(&("sec-ch-ua-platform", "\"Linux\"".to_owned())));
    }

    #[test]
    fn a_user_agent_that_is_not_chromes_gets_no_client_hints() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
        assert_eq!(chrome_major(firefox), None);
        let h = headers(
            firefox,
            &Context {
                kind: Kind::Xhr,
                site: FetchSite::SameOrigin,
                referer: Some("https://a.example/".into()),
            },
        );
        assert!(h.iter().all(|(k, _)| !k.starts_with("sec-ch-ua")));
        assert!(h.contains(&("Sec-Fetch-Mode", "cors".to_owned())));
        assert!(h.contains(&("Referer", "https://a.example/".to_owned())));
    }

    #[test]
    fn a_same_origin_navigation_carries_its_referer_before_the_encodings() {
        let h = headers(
            USER_AGENT,
            &Context {
                kind: Kind::Navigate,
                site: FetchSite::SameOrigin,
                referer: Some("https://aniworld.to/".into()),
            },
        );
        let names: Vec<_> = h.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            names,
            [
                "sec-ch-ua",
                "sec-ch-ua-mobile",
                "sec-ch-ua-platform",
                "Upgrade-Insecure-Requests",
                "User-Agent",
                "Accept",
                "Sec-Fetch-Site",
                "Sec-Fetch-Mode",
                "Sec-Fetch-User",
                "Sec-Fetch-Dest",
                "Referer",
                "Accept-Encoding",
                "Accept-Language",
            ]
        );
    }
}
