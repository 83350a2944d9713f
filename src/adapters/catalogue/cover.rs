//! Covers fetched from the catalogue sites through the one shared client, as a page of the
//! site loads its `<img>`: the browser identity, the site's cookies and any clearance.

use async_trait::async_trait;

use crate::adapters::fetch::Fetcher;
use crate::domain::catalogue::ProviderError;
use crate::ports::CoverSource;

/// The shared client as a [`CoverSource`].
#[derive(Debug, Clone)]
pub struct FetchedCovers {
    fetcher: Fetcher,
}

impl FetchedCovers {
    pub fn new(fetcher: Fetcher) -> Self {
        Self { fetcher }
    }
}

#[async_trait]
impl CoverSource for FetchedCovers {
    async fn fetch_cover(&self, url: &str, cap: u64) -> Result<Vec<u8>, ProviderError> {
        self.fetcher.image(url, cap).await
    }
}
