//! A hoster link of an episode: the hoster its label names, where its redirect lands (the
//! label's hoster, or another's: a "Vidara" link landing on VOE), its media and how its
//! embed page behaves.

/// A video hoster as the episode page names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FakeHoster {
    Voe,
    Vidoza,
    Vidmoly,
    Streamtape,
    Filemoon,
    Doodstream,
    /// Vidara (2026): the embed page sets a cookie, `POST /api/stream` names the playlist.
    Vidara,
    /// Luluvdo: the player comes from `/dl?op=embed...`, the embed page holds nothing.
    Luluvdo,
    /// A hoster the product does not know (`SpeedFiles`, ...): its embed page holds
    /// no recognisable pattern.
    Other(String),
}

impl FakeHoster {
    /// The `h4` name on the episode page.
    pub fn name(&self) -> &str {
        match self {
            Self::Voe => "VOE",
            Self::Vidoza => "Vidoza",
            Self::Vidmoly => "Vidmoly",
            Self::Streamtape => "Streamtape",
            Self::Filemoon => "Filemoon",
            Self::Doodstream => "Doodstream",
            Self::Vidara => "Vidara",
            Self::Luluvdo => "Luluvdo",
            Self::Other(name) => name,
        }
    }

    /// The path segment of the hoster's embed pages on the fake site.
    pub fn slug(&self) -> String {
        self.name().to_ascii_lowercase()
    }
}

/// What a hoster link's media is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeMedia {
    /// A generated MP4 file of this many bytes, served with `Range` support.
    Mp4 { size: u64 },
    /// A master playlist with three variants; the highest-bandwidth one has `segments`
    /// segments of `segment_bytes` each and is AES-128 encrypted when `encrypted`.
    Hls {
        segments: u32,
        segment_bytes: usize,
        encrypted: bool,
    },
}

/// How a hoster's embed page behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedBehaviour {
    /// The page holds the hoster's pattern pointing to the media.
    Working,
    /// The page holds the hoster's other pattern: VOE's player page without the forwarding
    /// stub, Vidoza's `<source src=... type="video/mp4">`, Vidmoly's `file:"..."` without a
    /// space, Filemoon's packed player script instead of its API (Streamtape and Doodstream
    /// have only one pattern).
    AlternativePattern,
    /// The page loads but holds none of the hoster's patterns.
    Unrecognised,
    /// The embed page answers 404.
    Gone,
    /// VOE's player page as since September 2026: its markers are other than the fixed list
    /// and listed in its loader script. Other hosters: as [`Self::Working`].
    LoaderTokens,
}

/// One hoster link of an episode.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeLink {
    /// The redirect id (`/redirect/<id>`); 0 means "assign one when the site is built".
    pub id: u64,
    pub hoster: FakeHoster,
    /// The site's `data-lang-key`: 1 German Dub, 2 English Sub, 3 German Sub.
    pub language: u8,
    /// The hoster whose embed page the redirect lands on, when not the label's.
    pub lands_on: Option<FakeHoster>,
    pub media: FakeMedia,
    pub embed: EmbedBehaviour,
    /// The media URLs carry `?sig=<generation>` and a stale signature answers 403 (see
    /// [`super::FakeSite::expire_after`]).
    pub signed: bool,
}

impl FakeLink {
    /// A working link; VOE, Vidmoly, Filemoon, Vidara and Luluvdo serve HLS (VOE's
    /// encrypted), the others MP4.
    pub fn new(hoster: FakeHoster, language: u8) -> Self {
        let media = match hoster {
            FakeHoster::Voe => FakeMedia::Hls {
                segments: 4,
                segment_bytes: 188 * 20,
                encrypted: true,
            },
            FakeHoster::Vidmoly
            | FakeHoster::Filemoon
            | FakeHoster::Vidara
            | FakeHoster::Luluvdo => FakeMedia::Hls {
                segments: 3,
                segment_bytes: 188 * 16,
                encrypted: false,
            },
            _ => FakeMedia::Mp4 { size: 64 * 1024 },
        };
        Self {
            id: 0,
            hoster,
            language,
            lands_on: None,
            media,
            embed: EmbedBehaviour::Working,
            signed: false,
        }
    }

    /// Signs the media URLs with the link's generation, as hosters sign theirs for a while:
    /// the embed page always names the current generation, stale ones answer 403.
    pub fn signed(mut self) -> Self {
        self.signed = true;
        self
    }

    /// Lets the redirect land on `host`'s embed page (the label stays).
    pub fn lands_on(mut self, host: FakeHoster) -> Self {
        self.lands_on = Some(host);
        self
    }

    /// The hoster whose embed page the redirect lands on.
    pub fn host(&self) -> &FakeHoster {
        self.lands_on.as_ref().unwrap_or(&self.hoster)
    }

    /// Replaces the media.
    pub fn media(mut self, media: FakeMedia) -> Self {
        self.media = media;
        self
    }

    /// Makes the embed page behave as given.
    pub fn embed(mut self, embed: EmbedBehaviour) -> Self {
        self.embed = embed;
        self
    }

    /// The links most episodes have: VOE and Vidoza in German Dub, VOE in German Sub.
    pub fn standard_set() -> Vec<Self> {
        vec![
            Self::new(FakeHoster::Voe, 1),
            Self::new(FakeHoster::Vidoza, 1),
            Self::new(FakeHoster::Voe, 3),
        ]
    }

    /// Every known hoster in every language plus an unknown hoster.
    pub fn full_set() -> Vec<Self> {
        vec![
            Self::new(FakeHoster::Voe, 1),
            Self::new(FakeHoster::Doodstream, 1),
            Self::new(FakeHoster::Vidoza, 1),
            Self::new(FakeHoster::Vidmoly, 2),
            Self::new(FakeHoster::Streamtape, 3),
            Self::new(FakeHoster::Voe, 3),
            Self::new(FakeHoster::Other("SpeedFiles".into()), 2),
        ]
    }
}
