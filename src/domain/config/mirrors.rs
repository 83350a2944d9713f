//! `provider.mirrors`: other base URLs of each catalogue site (CONTRACT.md section 4), keyed
//! by the site's name (`aniworld.to`, `s.to`). A plain list is accepted as aniworld.to's, the
//! site every configuration has.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// The site whose mirrors a plain list names.
pub const MAIN_SITE: &str = "aniworld.to";
/// The sites a mirror list may be given for.
pub const SITES: [&str; 2] = [MAIN_SITE, "s.to"];
/// Mirrors a site may have, at most.
pub const MAX_PER_SITE: usize = 10;

/// Each site's mirrors, in the order they are tried.
pub type SiteMirrors = BTreeMap<String, Vec<String>>;

#[derive(Deserialize)]
#[serde(untagged)]
enum Given {
    List(Vec<String>),
    PerSite(SiteMirrors),
}

/// Reads either form; `null` is none.
pub fn per_site<'de, D: Deserializer<'de>>(d: D) -> Result<SiteMirrors, D::Error> {
    Ok(match Option::<Given>::deserialize(d)? {
        None => SiteMirrors::new(),
        Some(Given::List(list)) if list.is_empty() => SiteMirrors::new(),
        Some(Given::List(list)) => SiteMirrors::from([(MAIN_SITE.to_owned(), list)]),
        Some(Given::PerSite(map)) => map.into_iter().filter(|(_, l)| !l.is_empty()).collect(),
    })
}

/// Whether every site is one we know and every mirror an http(s) base URL.
pub fn valid(mirrors: &SiteMirrors) -> bool {
    mirrors.iter().all(|(site, list)| {
        SITES.contains(&site.as_str())
            && list.len() <= MAX_PER_SITE
            && list.iter().all(|m| super::urls::is_http_url(m))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::config::ProviderConfig;

    fn read(json: &str) -> SiteMirrors {
        serde_json::from_str::<ProviderConfig>(json)
            .unwrap()
            .mirrors
    }

    #[test]
    fn a_list_is_aniworlds_and_an_object_names_its_sites() {
        assert_eq!(read("{}"), SiteMirrors::new());
        assert_eq!(read(r#"{"mirrors":null}"#), SiteMirrors::new());
        assert_eq!(read(r#"{"mirrors":[]}"#), SiteMirrors::new());
        let list = read(r#"{"mirrors":["https://aniworld.cc"]}"#);
        assert_eq!(list[MAIN_SITE], ["https://aniworld.cc"]);
        let map = read(r#"{"mirrors":{"s.to":["https://serienstream.cx"],"aniworld.to":[]}}"#);
        assert_eq!(map.len(), 1);
        assert_eq!(map["s.to"], ["https://serienstream.cx"]);
        assert!(serde_json::from_str::<ProviderConfig>(r#"{"mirrors":5}"#).is_err());
    }

    #[test]
    fn only_known_sites_and_http_urls_are_valid() {
        assert!(valid(&read(r#"{"mirrors":["http://127.0.0.1:8080"]}"#)));
        assert!(!valid(&read(r#"{"mirrors":["aniworld.cc"]}"#)));
        assert!(!valid(&read(
            r#"{"mirrors":{"example.org":["https://a.example"]}}"#
        )));
    }
}
