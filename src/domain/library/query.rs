//! The list query of `GET /api/anime` (page, page size, sort order, filter), the search query
//! and the library directory, with their validation.

use crate::domain::config::AbsoluteDir;

/// Why a library request was rejected before any work was done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LibraryInputError {
    /// `page` is below 1.
    #[error("page must be 1 or more, got {0}")]
    Page(i64),
    /// `per_page` is outside 1..=1000.
    #[error("per_page must be between 1 and {max}, got {0}", max = ListQuery::MAX_PER_PAGE)]
    PerPage(i64),
    /// `sort_by` names no known order.
    #[error("sort_by must be one of title, id, name, missing_episodes, got {0:?}")]
    SortBy(String),
    /// The search query is empty (after trimming) or too long.
    #[error("query must be 1 to {max} characters", max = SEARCH_QUERY_MAX_CHARS)]
    SearchQuery,
    /// The library directory is not an absolute path.
    #[error("directory must be an absolute path, got {0:?}")]
    RelativeDirectory(String),
}

/// Longest search query accepted, in characters (CONTRACT.md section 6).
pub const SEARCH_QUERY_MAX_CHARS: usize = 200;

/// Trims a search query and checks its length.
pub fn search_query(raw: &str) -> Result<&str, LibraryInputError> {
    let query = raw.trim();
    let chars = query.chars().count();
    if (1..=SEARCH_QUERY_MAX_CHARS).contains(&chars) {
        Ok(query)
    } else {
        Err(LibraryInputError::SearchQuery)
    }
}

/// Checks that a library directory is given as an absolute path; whether it exists is a
/// question for the file system.
pub fn library_directory(raw: &str) -> Result<AbsoluteDir, LibraryInputError> {
    AbsoluteDir::try_from(raw.trim())
        .map_err(|_| LibraryInputError::RelativeDirectory(raw.chars().take(200).collect()))
}

/// The orders `GET /api/anime` can list in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// By display name, case-insensitive; `title` and `name` are the same order (the API
    /// shows the name as the title). The default.
    #[default]
    Name,
    /// By key.
    Key,
    /// Most missing episodes first, then by name.
    MissingEpisodes,
}

impl SortBy {
    /// Parses the API's `sort_by` value (case-insensitive).
    pub fn parse(raw: &str) -> Result<Self, LibraryInputError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "title" | "name" => Ok(Self::Name),
            "id" => Ok(Self::Key),
            "missing_episodes" => Ok(Self::MissingEpisodes),
            _ => Err(LibraryInputError::SortBy(raw.chars().take(64).collect())),
        }
    }
}

/// One page of the list of series with missing episodes, as asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub page: u32,
    pub per_page: u32,
    pub sort_by: SortBy,
    /// Lower-cased filter term; matches name, key or folder as a substring.
    pub filter: Option<String>,
}

impl ListQuery {
    /// Page size when none is asked for.
    pub const DEFAULT_PER_PAGE: u32 = 20;
    /// Largest page size.
    pub const MAX_PER_PAGE: u32 = 1000;

    /// Checks the raw query parameters; absent values take their defaults, a blank filter
    /// is no filter.
    pub fn parse(
        page: Option<i64>,
        per_page: Option<i64>,
        sort_by: Option<&str>,
        filter: Option<&str>,
    ) -> Result<Self, LibraryInputError> {
        let page = page.unwrap_or(1);
        if page < 1 || page > i64::from(u32::MAX) {
            return Err(LibraryInputError::Page(page));
        }
        let per_page = per_page.unwrap_or(i64::from(Self::DEFAULT_PER_PAGE));
        if !(1..=i64::from(Self::MAX_PER_PAGE)).contains(&per_page) {
            return Err(LibraryInputError::PerPage(per_page));
        }
        let sort_by = match sort_by.map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => SortBy::parse(raw)?,
            None => SortBy::default(),
        };
        // Control characters cannot occur in a name, key or folder; dropping them also keeps
        // a term from spanning two fields of the filter text.
        let filter = filter
            .map(|f| f.chars().filter(|c| !c.is_control()).collect::<String>())
            .map(|f| f.trim().to_lowercase())
            .filter(|f| !f.is_empty());
        Ok(Self {
            page: page as u32,
            per_page: per_page as u32,
            sort_by,
            filter,
        })
    }

    /// The index range of this page in a list of `len` items (empty past the end).
    pub fn bounds(&self, len: usize) -> std::ops::Range<usize> {
        let start = (self.page as usize - 1).saturating_mul(self.per_page as usize);
        let start = start.min(len);
        start..start.saturating_add(self.per_page as usize).min(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_list_parameters_take_their_defaults() {
        let q = ListQuery::parse(None, None, None, Some("  ")).unwrap();
        assert_eq!(
            (q.page, q.per_page, q.sort_by, q.filter),
            (1, 20, SortBy::Name, None)
        );
    }

    #[test]
    fn out_of_range_pages_and_page_sizes_are_rejected() {
        assert_eq!(
            ListQuery::parse(Some(0), None, None, None),
            Err(LibraryInputError::Page(0))
        );
        assert!(ListQuery::parse(None, Some(0), None, None).is_err());
        assert!(ListQuery::parse(None, Some(1001), None, None).is_err());
        assert!(ListQuery::parse(None, Some(1000), None, None).is_ok());
    }

    #[test]
    fn the_four_sort_names_are_accepted_and_others_rejected() {
        assert_eq!(SortBy::parse("title"), Ok(SortBy::Name));
        assert_eq!(SortBy::parse("NAME"), Ok(SortBy::Name));
        assert_eq!(SortBy::parse("id"), Ok(SortBy::Key));
        assert_eq!(
            SortBy::parse("missing_episodes"),
            Ok(SortBy::MissingEpisodes)
        );
        assert!(SortBy::parse("year").is_err());
    }

    #[test]
    fn the_filter_is_lower_cased_once() {
        let q = ListQuery::parse(None, None, None, Some(" Titan ")).unwrap();
        assert_eq!(q.filter.as_deref(), Some("titan"));
    }

    #[test]
    fn page_bounds_stop_at_the_end_of_the_list() {
        let q = ListQuery::parse(Some(2), Some(10), None, None).unwrap();
        assert_eq!(q.bounds(25), 10..20);
        assert_eq!(q.bounds(15), 10..15);
        assert_eq!(q.bounds(5), 5..5);
    }

    #[test]
    fn search_queries_are_trimmed_and_length_checked() {
        assert_eq!(search_query("  titan "), Ok("titan"));
        assert!(search_query("   ").is_err());
        assert!(search_query(&"進".repeat(200)).is_ok());
        assert!(search_query(&"a".repeat(201)).is_err());
    }

    #[test]
    fn a_relative_library_directory_is_rejected() {
        assert!(library_directory("/srv/anime").is_ok());
        assert!(library_directory("anime").is_err());
        assert!(library_directory("").is_err());
    }
}
