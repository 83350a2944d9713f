//! Small helpers shared by the page parsers: CSS selectors compiled once, the visible text of an
//! element, and the error that names a missing landmark.

use scraper::{ElementRef, Selector};

use crate::domain::catalogue::ProviderError;

/// Compiles a selector written in this module's source.
///
/// # Panics
/// Only on a typo in a constant selector, which every parser test would show at once.
pub fn selector(css: &'static str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("constant selector {css:?} is invalid: {e}"))
}

/// The text of an element with runs of white space folded to one space; entities are already
/// decoded by the HTML parser.
pub fn text_of(element: ElementRef<'_>) -> String {
    fold(&element.text().collect::<String>())
}

/// Folds runs of white space to one space and trims the ends.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Some(text)` unless it is empty.
pub fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// The error for a page whose landmark is missing, e.g. `series page: div.series-title h1 span`.
pub fn missing(page: &str, landmark: &str) -> ProviderError {
    ProviderError::Layout(format!("{page}: {landmark}"))
}
