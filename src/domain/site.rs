//! The catalogue sites the product knows: aniworld.to (anime) and s.to (serienstream.to, TV
//! series; CONTRACT.md section 4). A series' site is written in its key: an aniworld.to key is
//! the bare slug (`dr-stone`), an s.to key is `sto:<slug>`; a slug never holds a colon, so the
//! same slug on both sites gives two series. The domain knows a site as a value, never a URL.

use std::fmt;

/// A catalogue site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Site {
    /// aniworld.to, the first site: keys are bare slugs.
    Aniworld,
    /// serienstream.to ("s.to"): keys are `sto:<slug>`.
    Sto,
}

impl Site {
    /// Every site, the first one first.
    pub const ALL: [Self; 2] = [Self::Aniworld, Self::Sto];

    /// The site's name as series records, sidecars and the API show it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Aniworld => "aniworld.to",
            Self::Sto => "s.to",
        }
    }

    /// The site of a name as [`Site::name`] writes it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name.trim())
    }

    /// What a key of this site starts with before its slug.
    pub fn key_prefix(self) -> &'static str {
        match self {
            Self::Aniworld => "",
            Self::Sto => "sto:",
        }
    }
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for site in Site::ALL {
            assert_eq!(Site::from_name(site.name()), Some(site));
        }
        assert_eq!(Site::from_name("serienstream.to"), None);
    }
}
