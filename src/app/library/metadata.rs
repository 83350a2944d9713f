//! The files beside the episodes for media servers (INTEGRATIONS.md section 7): `tvshow.nfo`
//! from what the series page says, and `poster.jpg` holding the cover. What the product
//! wrote is recorded in the store and the sidecar, so a file it did not write is never
//! replaced.

use super::{LibraryError, LibraryService};
use crate::domain::library::metadata_files::TvShowNfo;
use crate::domain::series::SeriesKey;

impl LibraryService {
    /// The NFO the series `key` would have now; `None` when it is not in the library.
    pub fn nfo_of(&self, key: &SeriesKey) -> Option<TvShowNfo> {
        self.view().get(key).map(|s| TvShowNfo::of(&s.record))
    }

    /// Writes the metadata files of `key` into its folder (`poster` where given), leaving
    /// files alone that the product did not write, and records what it wrote.
    ///
    /// # Errors
    /// [`LibraryError::NoDirectory`], [`LibraryError::Fs`] when the folder cannot be
    /// written, [`LibraryError::Store`].
    pub async fn write_metadata_files(
        &self,
        key: &SeriesKey,
        poster: Option<Vec<u8>>,
    ) -> Result<(), LibraryError> {
        let root = self.root()?;
        let Some(listed) = self.view().get(key).cloned() else {
            return Ok(());
        };
        let record = &listed.record;
        let written = self
            .inner
            .disk
            .write_metadata(
                root,
                record.series.folder.clone(),
                TvShowNfo::of(record),
                poster,
                record.metadata_files.clone(),
            )
            .await?;
        if written == record.metadata_files {
            return Ok(());
        }
        let changed = self
            .change_record(key, |r| r.metadata_files = written)
            .await?;
        if let Some(record) = changed {
            self.write_sidecar(&record).await;
        }
        Ok(())
    }
}
