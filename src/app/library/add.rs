//! Searching the catalogue and adding a series to the library.

use crate::domain::episode_set::EpisodeSet;
use std::sync::Arc;

use super::{LibraryError, LibraryService};
use crate::domain::episode::MissingEpisodes;
use crate::domain::library::{LibrarySeries, search_query};
use crate::domain::library_view::ListedSeries;
use crate::domain::series::{FolderName, Series};
use crate::domain::site::Site;

/// A series found by a catalogue search, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundSeries {
    pub key: String,
    pub name: String,
    pub site: String,
    /// The library folder where the series is in the library, else the folder it would get
    /// (the sanitised name; search hits carry no year).
    pub folder: String,
    /// The missing episodes where the series is in the library, else none.
    pub missing: MissingEpisodes,
    pub link: String,
}

/// What a search found, and the sites that failed while another answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub series: Vec<FoundSeries>,
    /// One line per site that failed (`s.to: …`); empty when every site asked answered.
    pub warnings: Vec<String>,
}

impl LibraryService {
    /// Searches the catalogue: every enabled site, or `only` the one named.
    ///
    /// # Errors
    /// [`LibraryError::Input`] for an empty or over-long query, [`LibraryError::Provider`]
    /// when every site asked fails.
    pub async fn search(&self, raw_query: &str, only: Option<Site>) -> Result<Found, LibraryError> {
        let query = search_query(raw_query)?;
        let results = self.inner.catalogue.search(query, only).await?;
        let view = self.view();
        let series = results
            .hits
            .into_iter()
            .map(|hit| {
                let owned = view.get(&hit.key);
                let folder = match owned {
                    Some(s) => s.record.series.folder.to_string(),
                    None => FolderName::sanitise(&hit.name)
                        .map(String::from)
                        .unwrap_or_else(|_| hit.key.to_string()),
                };
                FoundSeries {
                    site: hit.key.site().name().to_owned(),
                    key: hit.key.to_string(),
                    name: hit.name,
                    folder,
                    missing: owned.map(|s| s.missing.clone()).unwrap_or_default(),
                    link: hit.link,
                }
            })
            .collect();
        Ok(Found {
            series,
            warnings: results.warnings,
        })
    }

    /// Adds a series: checks the link, asks the catalogue for the series and its episodes,
    /// stores it, creates its folder with the sidecar and scans that folder.
    ///
    /// # Errors
    /// [`LibraryError::NoDirectory`], [`LibraryError::InvalidLink`],
    /// [`LibraryError::InvalidName`], [`LibraryError::AlreadyInLibrary`],
    /// [`LibraryError::FolderTaken`], [`LibraryError::Provider`] (not found, timeout, ...),
    /// and [`LibraryError::Store`]/[`LibraryError::Disk`] for failures of the machine.
    pub async fn add(
        &self,
        link: &str,
        name: Option<&str>,
    ) -> Result<Arc<ListedSeries>, LibraryError> {
        let root = self.root()?;
        let catalogue = &self.inner.catalogue;
        let key = catalogue
            .key_of_link(link.trim())
            .ok_or_else(|| LibraryError::InvalidLink(link.chars().take(200).collect()))?;
        // The request is checked whole before asking whether the series is known: a name
        // given must leave a usable folder name.
        if let Some(name) = name {
            FolderName::sanitise(name)?;
        }
        if self.view().get(&key).is_some() {
            return Err(LibraryError::AlreadyInLibrary(key));
        }
        let details = catalogue.series(&key).await?;
        let episodes = catalogue.all_episodes(&details).await?;
        let display = name.map(str::trim).unwrap_or(&details.name).to_owned();
        let folder = FolderName::with_year(&display, details.year)?;
        if let Some(owner) = self.view().all().find(|s| s.record.series.folder == folder) {
            return Err(LibraryError::FolderTaken {
                folder: folder.to_string(),
                owner: owner.record.series.key.to_string(),
            });
        }
        let series = Series {
            link: catalogue.series_link(&key),
            site: key.site().name().to_owned(),
            key: key.clone(),
            name: display,
            folder: folder.clone(),
        };
        let mut record = LibrarySeries::new(series.clone());
        record.description = details.description;
        record.year = details.year;
        record.metadata = details.metadata;
        let listed = episodes.iter().map(|e| e.id).collect::<EpisodeSet>();
        record.list_episodes(listed, self.inner.clock.now());

        // The API's order: persist, then create the folder; a folder that cannot be made
        // takes the record back out, so a retry is not refused as a duplicate.
        let store = &self.inner.store;
        let mut stored = store
            .add_new(vec![record])
            .await?
            .pop()
            .ok_or_else(|| LibraryError::AlreadyInLibrary(key.clone()))?;
        if let Err(e) = self
            .inner
            .disk
            .create_series_folder(root.clone(), series)
            .await
        {
            if let Err(undo) = store.remove(key.clone()).await {
                tracing::error!(key = %key, error = %undo, "could not undo a failed add");
            }
            return Err(e.into());
        }
        match self.inner.disk.scan_series(root, folder).await {
            Ok(scan) => stored.present = scan.episodes,
            // The series is added either way; the next library scan fills in its episodes.
            Err(e) => tracing::warn!(key = %key, error = %e, "scan of a new series failed"),
        }
        store.save(vec![stored.clone()]).await?;
        self.publish_changes(vec![stored]);
        let added = self.find(key.as_str())?;
        self.tell_missing([added.clone()]).await;
        Ok(added)
    }
}
