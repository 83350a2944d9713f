//! The query parameters Sonarr's clients send, read as Sonarr reads them: `page` and
//! `pageSize`, flags written `true`, `True` or `1` (pyarr sends Python's `True`), and the
//! calendar's `start` and `end` as ISO dates or date-times.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde_json::json;

use crate::adapters::http::error::ApiError;

/// Sonarr's page size where the client names none.
const DEFAULT_PAGE_SIZE: i64 = 10;
/// The calendar's span where the client names no end: today and the next two days.
const DEFAULT_SPAN_DAYS: i64 = 2;

/// One page of records: its number (from 1) and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: usize,
    pub page_size: usize,
}

impl Paging {
    /// Page 1 of 10 records unless the client asks otherwise.
    ///
    /// # Errors
    /// A validation error naming `page` or `pageSize` when one is below 1.
    pub fn parse(page: Option<i64>, page_size: Option<i64>) -> Result<Self, ApiError> {
        let positive = |value: i64, field: &str| {
            usize::try_from(value)
                .ok()
                .filter(|v| *v >= 1)
                .ok_or_else(|| {
                    ApiError::validation(format!("{field} must be 1 or more, not {value}"))
                        .with_details(json!({ "field": field }))
                })
        };
        Ok(Self {
            page: positive(page.unwrap_or(1), "page")?,
            page_size: positive(page_size.unwrap_or(DEFAULT_PAGE_SIZE), "pageSize")?,
        })
    }

    /// How many records come before this page.
    pub fn skip(&self) -> usize {
        (self.page - 1).saturating_mul(self.page_size)
    }
}

/// A flag as clients write it: `true`, `True` or `1` is true, `false`, `False` or `0` false;
/// anything else (or nothing) is `default`, so an odd value never fails a dashboard.
pub fn flag(raw: Option<&str>, default: bool) -> bool {
    match raw.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        Some("true" | "1") => true,
        Some("false" | "0") => false,
        _ => default,
    }
}

/// The calendar's range, both ends included: from `start` (a date means its first instant)
/// to `end` (a date means the whole day); by default today (UTC) and the next two days.
///
/// # Errors
/// A bad-request error naming the parameter that is neither an ISO date nor a date-time.
pub fn calendar_range(
    start: Option<&str>,
    end: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let from = match start {
        Some(raw) => instant(raw, "start", false)?,
        None => now.date_naive().and_time(NaiveTime::MIN).and_utc(),
    };
    let to = match end {
        Some(raw) => instant(raw, "end", true)?,
        None => from + Duration::days(DEFAULT_SPAN_DAYS),
    };
    Ok((from, to))
}

/// An ISO date-time (with an offset, or UTC without one) or date; a date is its first
/// instant, or with `day_end` its last.
fn instant(raw: &str, field: &str, day_end: bool) -> Result<DateTime<Utc>, ApiError> {
    let text = raw.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    if let Ok(at) = text.parse::<NaiveDateTime>() {
        return Ok(at.and_utc());
    }
    if let Ok(day) = text.parse::<NaiveDate>() {
        let first = day.and_time(NaiveTime::MIN).and_utc();
        return Ok(if day_end {
            first + Duration::days(1) - Duration::nanoseconds(1)
        } else {
            first
        });
    }
    let shown: String = raw.chars().take(64).collect();
    Err(ApiError::bad_request(format!(
        "{field}: {shown:?} is not an ISO date (2026-01-31) or date-time (2026-01-31T20:00:00Z)"
    ))
    .with_details(json!({ "field": field })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn pages_default_to_the_first_ten_and_start_at_one() {
        assert_eq!(
            Paging::parse(None, None).unwrap(),
            Paging {
                page: 1,
                page_size: 10
            }
        );
        assert_eq!(Paging::parse(Some(3), Some(20)).unwrap().skip(), 40);
        assert!(Paging::parse(Some(0), None).is_err());
        assert!(Paging::parse(None, Some(-5)).is_err());
    }

    #[test]
    fn flags_read_as_python_and_javascript_write_them() {
        assert!(flag(Some("True"), false));
        assert!(flag(Some("1"), false));
        assert!(!flag(Some("false"), true));
        assert!(flag(Some("maybe"), true));
        assert!(!flag(None, false));
    }

    #[test]
    fn the_range_defaults_to_today_and_the_next_two_days() {
        let now = at("2026-03-10T15:30:00Z");
        let (from, to) = calendar_range(None, None, now).unwrap();
        assert_eq!(
            (from, to),
            (at("2026-03-10T00:00:00Z"), at("2026-03-12T00:00:00Z"))
        );
    }

    #[test]
    fn dates_cover_whole_days_and_date_times_are_exact() {
        let now = Utc::now();
        let (from, to) = calendar_range(Some("2026-03-01"), Some("2026-03-01"), now).unwrap();
        assert_eq!(from, at("2026-03-01T00:00:00Z"));
        assert_eq!(to, at("2026-03-01T23:59:59.999999999Z"));
        let (from, to) = calendar_range(
            Some("2026-03-01T10:00:00+02:00"),
            Some("2026-03-01T12:00:00"),
            now,
        )
        .unwrap();
        assert_eq!(
            (from, to),
            (at("2026-03-01T08:00:00Z"), at("2026-03-01T12:00:00Z"))
        );
    }

    #[test]
    fn a_bad_date_is_a_bad_request_naming_the_parameter() {
        let e = calendar_range(Some("2026-02-30"), None, Utc::now()).unwrap_err();
        assert_eq!(e.code(), crate::adapters::http::error::Code::BadRequest);
        assert!(calendar_range(None, Some("tomorrow"), Utc::now()).is_err());
    }
}
