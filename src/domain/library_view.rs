//! An immutable snapshot of the library, built once per change and read by every list
//! request: the series by key, plus the series with missing episodes already sorted in each
//! order the API offers. Listing is then a filter and a slice, with no sorting per request —
//! the list endpoint is the hottest path of the API.

use std::collections::HashMap;
use std::sync::Arc;

use super::episode::MissingEpisodes;
use super::library::{LibrarySeries, ListQuery, SortBy};
use super::series::SeriesKey;

/// A series with its missing episodes worked out once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedSeries {
    pub record: LibrarySeries,
    pub missing: MissingEpisodes,
    /// Name, key and folder, lower-cased and separated by NUL so a filter term cannot match
    /// across two of them.
    haystack: String,
}

impl ListedSeries {
    /// Works out the missing episodes and the filter text of a record.
    pub fn new(record: LibrarySeries) -> Self {
        let haystack = format!(
            "{}\0{}\0{}",
            record.series.name, record.series.key, record.series.folder
        )
        .to_lowercase();
        Self {
            missing: record.missing(),
            record,
            haystack,
        }
    }

    /// Whether a lower-cased filter term occurs in the name, key or folder.
    pub fn matches(&self, lowercase_term: &str) -> bool {
        self.haystack.contains(lowercase_term)
    }
}

/// One snapshot of the library.
#[derive(Debug, Default)]
pub struct LibraryView {
    by_key: HashMap<SeriesKey, Arc<ListedSeries>>,
    /// Series with missing episodes, by name.
    by_name: Vec<Arc<ListedSeries>>,
    /// Series with missing episodes, by key.
    by_key_order: Vec<Arc<ListedSeries>>,
    /// Series with missing episodes, most missing first.
    by_missing: Vec<Arc<ListedSeries>>,
}

/// The list's name order: by display name, case-insensitive, then by key.
pub fn by_name(a: &ListedSeries, b: &ListedSeries) -> std::cmp::Ordering {
    let (an, bn) = (&a.record.series.name, &b.record.series.name);
    an.to_lowercase()
        .cmp(&bn.to_lowercase())
        .then_with(|| a.record.series.key.cmp(&b.record.series.key))
}

impl LibraryView {
    /// Builds the sorted orders from every series of the library.
    pub fn new(series: impl IntoIterator<Item = Arc<ListedSeries>>) -> Self {
        let by_key: HashMap<_, _> = series
            .into_iter()
            .map(|s| (s.record.series.key.clone(), s))
            .collect();
        let with_missing: Vec<_> = by_key
            .values()
            .filter(|s| !s.missing.is_empty())
            .cloned()
            .collect();
        let name_order = |a: &Arc<ListedSeries>, b: &Arc<ListedSeries>| by_name(a, b);
        let mut by_name = with_missing.clone();
        by_name.sort_by(name_order);
        let mut by_key_order = with_missing.clone();
        by_key_order.sort_by(|a, b| a.record.series.key.cmp(&b.record.series.key));
        let mut by_missing = with_missing;
        by_missing.sort_by(|a, b| {
            b.missing
                .count()
                .cmp(&a.missing.count())
                .then_with(|| name_order(a, b))
        });
        Self {
            by_key,
            by_name,
            by_key_order,
            by_missing,
        }
    }

    /// A new snapshot with `changed` series put in (replacing those of the same key).
    pub fn with(&self, changed: impl IntoIterator<Item = LibrarySeries>) -> Self {
        let mut all = self.by_key.clone();
        for record in changed {
            all.insert(
                record.series.key.clone(),
                Arc::new(ListedSeries::new(record)),
            );
        }
        Self::new(all.into_values())
    }

    /// A new snapshot holding exactly `records`.
    pub fn of(records: impl IntoIterator<Item = LibrarySeries>) -> Self {
        Self::new(records.into_iter().map(|r| Arc::new(ListedSeries::new(r))))
    }

    /// How many series the library holds.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// True when the library holds no series.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// The series of a key.
    pub fn get(&self, key: &SeriesKey) -> Option<&Arc<ListedSeries>> {
        self.by_key.get(key)
    }

    /// The series of a key, or else of a folder name (the API's deprecated fallback).
    pub fn find(&self, key_or_folder: &str) -> Option<&Arc<ListedSeries>> {
        SeriesKey::parse(key_or_folder)
            .ok()
            .and_then(|k| self.by_key.get(&k))
            .or_else(|| {
                self.by_key
                    .values()
                    .find(|s| s.record.series.folder.as_str() == key_or_folder)
            })
    }

    /// Every series, in no particular order.
    pub fn all(&self) -> impl Iterator<Item = &Arc<ListedSeries>> {
        self.by_key.values()
    }

    /// One page of the series with missing episodes, filtered and sorted as asked.
    pub fn list(&self, query: &ListQuery) -> Vec<Arc<ListedSeries>> {
        let ordered = match query.sort_by {
            SortBy::Name => &self.by_name,
            SortBy::Key => &self.by_key_order,
            SortBy::MissingEpisodes => &self.by_missing,
        };
        match &query.filter {
            None => ordered[query.bounds(ordered.len())].to_vec(),
            Some(term) => {
                let skip = query.bounds(usize::MAX).start;
                ordered
                    .iter()
                    .filter(|s| s.matches(term))
                    .skip(skip)
                    .take(query.per_page as usize)
                    .cloned()
                    .collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::episode::EpisodeId;
    use crate::domain::series::{FolderName, Series};

    fn record(key: &str, name: &str, missing: u32) -> LibrarySeries {
        let mut r = LibrarySeries::new(Series {
            key: SeriesKey::parse(key).unwrap(),
            name: name.into(),
            site: "aniworld.to".into(),
            link: String::new(),
            folder: FolderName::with_year(name, Some(2020)).unwrap(),
        });
        r.available = Some((1..=missing + 1).map(|e| EpisodeId::new(1, e)).collect());
        r.present.insert(EpisodeId::new(1, missing + 1));
        r
    }

    fn keys(list: &[Arc<ListedSeries>]) -> Vec<&str> {
        list.iter().map(|s| s.record.series.key.as_str()).collect()
    }

    fn view() -> LibraryView {
        LibraryView::of([
            record("c-key", "alpha", 1),
            record("a-key", "Charlie", 3),
            record("b-key", "bravo", 2),
            record("complete", "Delta", 0),
        ])
    }

    fn query(sort: &str, filter: Option<&str>) -> ListQuery {
        ListQuery::parse(None, None, Some(sort), filter).unwrap()
    }

    #[test]
    fn only_series_with_missing_episodes_are_listed() {
        let v = view();
        assert_eq!(v.len(), 4);
        assert_eq!(
            keys(&v.list(&query("name", None))),
            ["c-key", "b-key", "a-key"]
        );
    }

    #[test]
    fn each_sort_order_lists_as_documented() {
        let v = view();
        assert_eq!(
            keys(&v.list(&query("title", None))),
            ["c-key", "b-key", "a-key"]
        );
        assert_eq!(
            keys(&v.list(&query("id", None))),
            ["a-key", "b-key", "c-key"]
        );
        assert_eq!(
            keys(&v.list(&query("missing_episodes", None))),
            ["a-key", "b-key", "c-key"]
        );
    }

    #[test]
    fn the_filter_matches_name_key_or_folder_ignoring_case() {
        let v = view();
        assert_eq!(keys(&v.list(&query("id", Some("CHAR")))), ["a-key"]);
        assert_eq!(keys(&v.list(&query("id", Some("b-k")))), ["b-key"]);
        assert_eq!(keys(&v.list(&query("id", Some("(2020)")))).len(), 3);
        assert!(v.list(&query("id", Some("alpha\0c"))).is_empty());
    }

    #[test]
    fn pages_slice_the_filtered_order() {
        let v = view();
        let q = ListQuery::parse(Some(2), Some(1), Some("id"), Some("-key")).unwrap();
        assert_eq!(keys(&v.list(&q)), ["b-key"]);
        let past = ListQuery::parse(Some(9), Some(1), Some("id"), None).unwrap();
        assert!(v.list(&past).is_empty());
    }

    #[test]
    fn a_series_is_found_by_key_then_by_folder() {
        let v = view();
        assert_eq!(v.find("a-key").unwrap().record.series.name, "Charlie");
        assert_eq!(
            v.find("bravo (2020)").unwrap().record.series.key.as_str(),
            "b-key"
        );
        assert!(v.find("nothing").is_none());
    }

    #[test]
    fn a_changed_series_replaces_the_one_of_the_same_key() {
        let v = view().with([record("complete", "Delta", 5)]);
        assert_eq!(
            keys(&v.list(&query("missing_episodes", None)))[0],
            "complete"
        );
        assert_eq!(v.len(), 4);
    }
}
