//! A tiny local hoster for the hoster tests: serves fixed pages on 127.0.0.1 at a free port,
//! so the fetching path (redirect-free GETs, VOE's forward) is exercised over real HTTP.

use std::time::Duration;

use poem::endpoint::make_sync;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{Route, Server, get};

use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::{MediaSource, ProviderError};
use crate::ports::Hoster;

/// A running local site; the server task stops when the test's runtime ends.
pub(crate) struct TestSite {
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub base: String,
}

impl TestSite {
    /// Serves each `(path, body)`; `{base}` in a body becomes the site's own base URL, so a
    /// page can link to another page of the site.
    pub async fn serve(pages: &[(&str, &str)]) -> Self {
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .expect("bind a free local port");
        let port = acceptor.local_addr()[0]
            .as_socket_addr()
            .expect("a TCP address")
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let mut routes = Route::new();
        for (path, body) in pages {
            let body = body.replace("{base}", &base);
            routes = routes.at(*path, get(make_sync(move |_| body.clone())));
        }
        tokio::spawn(Server::new_with_acceptor(acceptor).run(routes));
        Self { base }
    }

    /// The absolute URL of a path on this site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// What a hoster makes of an embed URL, as the resolver asks it: the page opened (linked
/// from an aniworld.to redirect), then resolved.
pub(crate) async fn resolve_at(
    hoster: &dyn Hoster,
    embed_url: &str,
) -> Result<MediaSource, ProviderError> {
    let page = hoster
        .open(embed_url, "https://aniworld.to/redirect/1766400")
        .await?;
    hoster.resolve(&page).await
}

/// A fetcher as the product builds one, with a short timeout for tests.
pub(crate) fn fetcher() -> Fetcher {
    Fetcher::new(Duration::from_secs(5), 1 << 20).expect("build the HTTP client")
}
