//! The URL shapes the configuration accepts: a service URL (FlareSolverr) and an origin
//! (CORS).

/// `http(s)://host[:port]`, nothing after it (a trailing `/` is tolerated).
pub fn is_origin(raw: &str) -> bool {
    let trimmed = raw.strip_suffix('/').unwrap_or(raw);
    is_http_url(trimmed) && {
        let rest = trimmed.split_once("://").map_or("", |(_, r)| r);
        !rest.contains(['/', '?', '#', '@'])
    }
}

/// An absolute `http`/`https` URL with a host and nothing odd in it.
pub(super) fn is_http_url(raw: &str) -> bool {
    let Some(rest) = raw
        .strip_prefix("http://")
        .or_else(|| raw.strip_prefix("https://"))
    else {
        return false;
    };
    raw.len() <= 500
        && !rest.is_empty()
        && !rest.starts_with('/')
        && !raw.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_origins_are_scheme_host_and_port_only() {
        for good in [
            "https://dash.example",
            "http://10.0.0.2:8080",
            "https://a.example/",
        ] {
            assert!(is_origin(good), "{good}");
        }
        for bad in [
            "*",
            "dash.example",
            "https://a.example/app",
            "https://u@a.example",
            "ftp://a",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
    }
}
