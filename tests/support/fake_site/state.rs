//! What the fake site's endpoint and the test's handle share: the catalogue (changeable while
//! the site runs), the fake s.to's share (`sto/state.rs`), the fault book, the media controls
//! (signatures, throttles), the shutdown signal, and the hoster links of both sites with the
//! URLs and bytes a test expects of them.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};

use tokio_util::sync::CancellationToken;

use super::faults::Faults;
use super::hosters::{embed_path, extracted_media_url, media_url};
use super::media::expected_download;
use super::media_control::MediaControl;
use super::model::{FakeLink, FakeSeries};
use super::sto::{StoState, play_token};

/// The first redirect id handed out, shaped like the real site's ids.
const FIRST_LINK_ID: u64 = 1_766_400;

/// What the endpoint and the handle share.
#[derive(Debug)]
pub struct SiteState {
    /// `http://127.0.0.1:<port>`, without trailing slash.
    pub base_url: String,
    catalogue: RwLock<Arc<Vec<FakeSeries>>>,
    pub faults: Arc<Faults>,
    pub media: Arc<MediaControl>,
    /// Paths behind bot protection.
    pub guard: super::guard::Guard,
    /// The new-episodes page's entries; `None` serves no such page (404).
    pub feed: RwLock<Option<Vec<super::FeedEntry>>>,
    /// The fake s.to: its catalogue, faults and play-link challenge.
    pub sto: StoState,
    /// Cancelled when the site shuts down; hanging requests end then.
    pub shutdown: CancellationToken,
    /// Whether Vidara's stream API wants the embed page's session cookie (off by default).
    pub vidara_cookie_required: AtomicBool,
    /// The User-Agent each Luluvdo link's player page was served to, by link id: its media
    /// is served to that one only.
    pub luluvdo_agents: Mutex<HashMap<u64, String>>,
}

impl SiteState {
    /// The state of a site at `base_url` serving `catalogue` (links get their ids here), with
    /// the fake s.to beside it.
    pub fn new(base_url: String, mut catalogue: Vec<FakeSeries>, sto: StoState) -> Self {
        assign_link_ids(&mut catalogue, FIRST_LINK_ID);
        Self {
            base_url,
            sto,
            catalogue: RwLock::new(Arc::new(catalogue)),
            faults: Arc::default(),
            media: Arc::default(),
            feed: RwLock::new(None),
            guard: super::guard::Guard::default(),
            shutdown: CancellationToken::new(),
            vidara_cookie_required: AtomicBool::new(true),
            luluvdo_agents: Mutex::default(),
        }
    }

    /// A snapshot of the catalogue.
    pub fn series(&self) -> Arc<Vec<FakeSeries>> {
        Arc::clone(&self.catalogue.read().expect("catalogue poisoned"))
    }

    /// The hoster link with this redirect id.
    pub fn link(&self, id: u64) -> Option<FakeLinkInfo> {
        self.all_links().into_iter().find(|l| l.link.id == id)
    }

    /// Every hoster link of both catalogues, aniworld.to's first.
    pub fn all_links(&self) -> Vec<FakeLinkInfo> {
        let mut out = self.links_of(&self.series(), None);
        out.extend(self.links_of(&self.sto.series(), Some(&self.sto.base_url)));
        out
    }

    /// The hoster links of one catalogue; `sto` is the fake s.to's base for its links.
    fn links_of(&self, catalogue: &[FakeSeries], sto: Option<&str>) -> Vec<FakeLinkInfo> {
        let mut out = Vec::new();
        for series in catalogue {
            let seasons = series
                .seasons
                .iter()
                .map(|s| (s.number, &s.episodes))
                .chain(std::iter::once((0, &series.films)));
            for (season, episodes) in seasons {
                for episode in episodes {
                    out.extend(episode.links.iter().map(|link| FakeLinkInfo {
                        base_url: self.base_url.clone(),
                        sto_base_url: sto.map(str::to_owned),
                        key: series.key.clone(),
                        season,
                        episode: episode.number,
                        link: link.clone(),
                        generation: self.media.generation(link.id),
                    }));
                }
            }
        }
        out
    }

    /// Changes the catalogue and gives new links their ids.
    pub fn edit(&self, change: impl FnOnce(&mut Vec<FakeSeries>)) {
        let mut guard = self.catalogue.write().expect("catalogue poisoned");
        let catalogue = Arc::make_mut(&mut guard);
        change(catalogue);
        assign_link_ids(catalogue, FIRST_LINK_ID);
    }
}

/// Gives every link with id 0 the next free id, from `first` on.
pub(super) fn assign_link_ids(catalogue: &mut [FakeSeries], first: u64) {
    let links = || {
        catalogue.iter().flat_map(|s| {
            s.seasons
                .iter()
                .flat_map(|season| season.episodes.iter())
                .chain(s.films.iter())
                .flat_map(|e| e.links.iter())
        })
    };
    let mut next = links().map(|l| l.id + 1).max().unwrap_or(0).max(first);
    for series in catalogue.iter_mut() {
        let episodes = series
            .seasons
            .iter_mut()
            .flat_map(|season| season.episodes.iter_mut())
            .chain(series.films.iter_mut());
        for link in episodes.flat_map(|e| e.links.iter_mut()) {
            if link.id == 0 {
                link.id = next;
                next += 1;
            }
        }
    }
}

/// A hoster link with its place in the catalogue and the URLs and bytes a test expects.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeLinkInfo {
    /// The fake aniworld.to's base, where every link's hoster pages and media are served.
    pub base_url: String,
    /// The fake s.to's base for a link of an s.to episode page; `None` for aniworld.to's.
    pub sto_base_url: Option<String>,
    /// The series key (for s.to, the bare slug its URLs hold).
    pub key: String,
    /// 0 for films.
    pub season: u32,
    pub episode: u32,
    pub link: FakeLink,
    /// The generation the link's signed media URLs carried when this was read.
    pub generation: u64,
}

impl FakeLinkInfo {
    /// Where the episode page sends the client for this link (made absolute):
    /// `{base}/redirect/<id>` on aniworld.to, `{s.to base}/r?t=<token>` on s.to.
    pub fn redirect_url(&self) -> String {
        match &self.sto_base_url {
            Some(sto) => format!("{sto}/r?t={}", play_token(self.link.id)),
            None => format!("{}/redirect/{}", self.base_url, self.link.id),
        }
    }

    /// Where the redirect ends: the hoster's embed page.
    pub fn embed_url(&self) -> String {
        format!("{}{}", self.base_url, embed_path(&self.link))
    }

    /// The media URL as served (MP4 file or HLS master playlist), signed with the generation
    /// current when this was read.
    pub fn media_url(&self) -> String {
        media_url(&self.base_url, &self.link, self.generation)
    }

    /// The media URL a correct extractor reads from the embed page (Streamtape's protocol-relative
    /// URL takes the embed page's scheme).
    pub fn extracted_media_url(&self) -> String {
        extracted_media_url(&self.base_url, &self.link, self.generation)
    }

    /// The bytes a correct download writes (HLS: the best variant's plain segments in order).
    pub fn expected_bytes(&self) -> Vec<u8> {
        expected_download(self.link.id, self.link.media)
    }
}
