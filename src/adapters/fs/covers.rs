//! The cover cache in the data dir (`<data>/covers/`): per series, the image as
//! `<name>.img` and what it is as `<name>.json` (its key, source URL, digest, kind, size),
//! where `<name>` is the key with `:` as `~` (`sto~breaking-bad`). The image is written
//! before its description, each atomically, so a crash leaves the old cover or the new one.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::domain::cover::{CachedCover, sha256_hex};
use crate::domain::series::SeriesKey;
use crate::ports::cover::{CoverCache, CoverCacheError};

/// The covers under one directory.
#[derive(Debug, Clone)]
pub struct DiskCovers {
    dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct Described {
    key: SeriesKey,
    #[serde(flatten)]
    cover: CachedCover,
}

impl DiskCovers {
    /// Covers kept in `dir` (made when the first cover is kept).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn base(&self, key: &SeriesKey) -> PathBuf {
        self.dir.join(key.as_str().replace(':', "~"))
    }
}

fn failed(path: &Path, e: impl std::fmt::Display) -> CoverCacheError {
    CoverCacheError(format!("{}: {e}", path.display()))
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&temp, path)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, CoverCacheError> + Send + 'static,
) -> Result<T, CoverCacheError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| CoverCacheError(format!("file system task failed: {e}")))?
}

#[async_trait]
impl CoverCache for DiskCovers {
    async fn load(&self) -> Result<Vec<(SeriesKey, CachedCover)>, CoverCacheError> {
        let dir = self.dir.clone();
        blocking(move || {
            let entries = match fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
                Err(e) => return Err(failed(&dir, e)),
            };
            let mut found = Vec::new();
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_none_or(|x| x != "json") {
                    continue;
                }
                // A description that cannot be read, or whose image is gone or differs in
                // size, is a cover not kept: it is fetched again.
                let Ok(bytes) = fs::read(&path) else { continue };
                let Ok(d) = serde_json::from_slice::<Described>(&bytes) else {
                    tracing::warn!(path = %path.display(), "unreadable cover description");
                    continue;
                };
                let image = path.with_extension("img");
                if fs::metadata(&image).is_ok_and(|m| m.len() == d.cover.size) {
                    found.push((d.key, d.cover));
                }
            }
            Ok(found)
        })
        .await
    }

    async fn put(
        &self,
        key: SeriesKey,
        cover: CachedCover,
        bytes: Vec<u8>,
    ) -> Result<(), CoverCacheError> {
        let (dir, base) = (self.dir.clone(), self.base(&key));
        blocking(move || {
            debug_assert_eq!(sha256_hex(&bytes), cover.sha256);
            fs::create_dir_all(&dir).map_err(|e| failed(&dir, e))?;
            let image = base.with_extension("img");
            write_atomically(&image, &bytes).map_err(|e| failed(&image, e))?;
            let described = serde_json::to_vec_pretty(&Described { key, cover })
                .map_err(|e| CoverCacheError(e.to_string()))?;
            let json = base.with_extension("json");
            write_atomically(&json, &described).map_err(|e| failed(&json, e))
        })
        .await
    }

    async fn read(&self, key: SeriesKey) -> Result<Option<Vec<u8>>, CoverCacheError> {
        let image = self.base(&key).with_extension("img");
        blocking(move || match fs::read(&image) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(failed(&image, e)),
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-cover";

    #[tokio::test]
    async fn a_kept_cover_loads_back_with_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let covers = DiskCovers::new(dir.path().join("covers"));
        assert!(covers.load().await.unwrap().is_empty());
        let key = SeriesKey::parse("sto:breaking-bad").unwrap();
        let cover = CachedCover::of("https://s.to/media/images/channel/bb.png", PNG).unwrap();
        covers
            .put(key.clone(), cover.clone(), PNG.to_vec())
            .await
            .unwrap();
        assert_eq!(covers.load().await.unwrap(), [(key.clone(), cover)]);
        assert_eq!(covers.read(key).await.unwrap().unwrap(), PNG);
        let other = SeriesKey::parse("dr-stone").unwrap();
        assert_eq!(covers.read(other).await.unwrap(), None);
        let mut names: Vec<_> = fs::read_dir(dir.path().join("covers"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["sto~breaking-bad.img", "sto~breaking-bad.json"]);
    }

    #[tokio::test]
    async fn an_image_cut_short_is_not_taken_as_kept() {
        let dir = tempfile::tempdir().unwrap();
        let covers = DiskCovers::new(dir.path());
        let key = SeriesKey::parse("dr-stone").unwrap();
        let cover = CachedCover::of("https://aniworld.to/c.png", PNG).unwrap();
        covers.put(key, cover, PNG.to_vec()).await.unwrap();
        fs::write(dir.path().join("dr-stone.img"), b"\x89PNG").unwrap();
        assert!(covers.load().await.unwrap().is_empty());
    }
}
