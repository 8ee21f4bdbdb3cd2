//! Filters over summary rows, shared by `tapedeck ls` and the viewer's table.

use super::Summary;

/// Which statuses to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    /// `2xx`, `3xx`, `4xx`, `5xx` (the hundreds digit).
    Class(u8),
    Exact(i64),
    /// Failed exchanges: status ≥ 400 or no response (status 0).
    Error,
    /// Answered without error: status 1..=399.
    Ok,
    /// No response was recorded (status 0: the application crashed).
    NoResponse,
}

impl StatusFilter {
    pub fn matches(self, status: i64) -> bool {
        match self {
            StatusFilter::Class(c) => status / 100 == i64::from(c) && status >= 100,
            StatusFilter::Exact(s) => status == s,
            StatusFilter::Error => status >= 400 || status == 0,
            StatusFilter::Ok => (1..400).contains(&status),
            StatusFilter::NoResponse => status == 0,
        }
    }

    /// The text form accepted by [`std::str::FromStr`].
    pub fn as_text(self) -> String {
        match self {
            StatusFilter::Class(c) => format!("{c}xx"),
            StatusFilter::Exact(s) => s.to_string(),
            StatusFilter::Error => String::from("error"),
            StatusFilter::Ok => String::from("ok"),
            StatusFilter::NoResponse => String::from("0"),
        }
    }
}

impl std::str::FromStr for StatusFilter {
    type Err = String;

    /// `2xx`..`5xx`, a status such as `404`, `0`, `error` or `ok`.
    fn from_str(text: &str) -> Result<Self, String> {
        let lower = text.trim().to_ascii_lowercase();
        match lower.as_str() {
            "error" | "errors" => return Ok(StatusFilter::Error),
            "ok" | "success" => return Ok(StatusFilter::Ok),
            "0" | "none" => return Ok(StatusFilter::NoResponse),
            _ => {}
        }
        if let Some(class) = lower.strip_suffix("xx")
            && let Ok(c @ 1..=5) = class.parse::<u8>()
        {
            return Ok(StatusFilter::Class(c));
        }
        match lower.parse::<i64>() {
            Ok(s) if (100..=999).contains(&s) => Ok(StatusFilter::Exact(s)),
            _ => Err(format!(
                "unknown status filter '{text}': use 2xx, 3xx, 4xx, 5xx, a status like 404, 0, error or ok"
            )),
        }
    }
}

/// Duration classes of the viewer's speed filter, relative to a slow threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpeedClass {
    /// Below 30 % of the slow threshold (300 ms for the default 1 s).
    Fast,
    /// Between fast and slow.
    Medium,
    /// At or above the slow threshold.
    Slow,
}

impl SpeedClass {
    pub fn of(duration_ms: f64, slow_ms: f64) -> SpeedClass {
        if duration_ms >= slow_ms {
            SpeedClass::Slow
        } else if duration_ms < slow_ms * 0.3 {
            SpeedClass::Fast
        } else {
            SpeedClass::Medium
        }
    }
}

/// Every criterion is optional; a row must meet all that are set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Exact method, case-insensitive.
    pub method: Option<String>,
    pub status: Option<StatusFilter>,
    /// Keep rows at least this slow (ms).
    pub min_duration_ms: Option<f64>,
    /// Keep rows in this speed class relative to `slow_ms`.
    pub speed: Option<SpeedClass>,
    /// The slow threshold for `speed` (default 1000 ms).
    pub slow_ms: Option<f64>,
    /// Case-insensitive substring of method, path, query or file name.
    pub text: Option<String>,
    /// Recorded at or after (µs since the epoch).
    pub from_micros: Option<i64>,
    /// Recorded at or before (µs since the epoch).
    pub to_micros: Option<i64>,
    /// Has at least one dependency call of this type (`redis`, `db.query`, ...).
    pub dependency_type: Option<String>,
    /// Has at least one dependency call through this library (`httpx`, ...).
    pub dependency_lib: Option<String>,
}

/// Default slow threshold.
pub const DEFAULT_SLOW_MS: f64 = 1000.0;

impl Filter {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether a row passes. `text` must already be lower-case when hot loops call this
    /// (see [`Filter::normalized`]).
    pub fn matches(&self, row: &Summary) -> bool {
        if let Some(method) = &self.method
            && !row.method.eq_ignore_ascii_case(method)
        {
            return false;
        }
        if let Some(status) = self.status
            && !status.matches(row.status)
        {
            return false;
        }
        if let Some(min) = self.min_duration_ms
            && row.duration_ms < min
        {
            return false;
        }
        if let Some(speed) = self.speed
            && SpeedClass::of(row.duration_ms, self.slow_ms.unwrap_or(DEFAULT_SLOW_MS)) != speed
        {
            return false;
        }
        if self.from_micros.is_some() || self.to_micros.is_some() {
            let Some(at) = row.recorded_at_micros else {
                return false;
            };
            if self.from_micros.is_some_and(|from| at < from)
                || self.to_micros.is_some_and(|to| at > to)
            {
                return false;
            }
        }
        if let Some(kind) = &self.dependency_type
            && row.dependencies.get(kind) == 0
        {
            return false;
        }
        if let Some(lib) = &self.dependency_lib
            && row.libs.get(lib) == 0
        {
            return false;
        }
        if let Some(needle) = &self.text
            && !needle.is_empty()
            && !contains_lower(&row.path, needle)
            && !contains_lower(&row.query, needle)
            && !contains_lower(&row.method, needle)
            && !contains_lower(&row.file, needle)
        {
            return false;
        }
        true
    }

    /// The same filter with `text` lower-cased once.
    #[must_use]
    pub fn normalized(mut self) -> Filter {
        self.text = self.text.map(|t| t.to_lowercase());
        self
    }

    /// Indices of the rows that pass, in order.
    pub fn apply(&self, rows: &[Summary]) -> Vec<usize> {
        let filter = self.clone().normalized();
        rows.iter()
            .enumerate()
            .filter(|(_, row)| filter.matches(row))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Case-insensitive substring test against an already lower-case needle, without allocating
/// for ASCII haystacks.
fn contains_lower(haystack: &str, needle_lower: &str) -> bool {
    if haystack.is_ascii() && needle_lower.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
        if n.len() > h.len() {
            return false;
        }
        return h
            .windows(n.len())
            .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b));
    }
    haystack.to_lowercase().contains(needle_lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_filters() {
        assert_eq!("2xx".parse(), Ok(StatusFilter::Class(2)));
        assert_eq!("404".parse(), Ok(StatusFilter::Exact(404)));
        assert_eq!("ERROR".parse(), Ok(StatusFilter::Error));
        assert_eq!("ok".parse(), Ok(StatusFilter::Ok));
        assert_eq!("0".parse(), Ok(StatusFilter::NoResponse));
        assert!("7xx".parse::<StatusFilter>().is_err());
        assert!("abc".parse::<StatusFilter>().is_err());
    }

    #[test]
    fn status_zero_is_an_error_not_a_success() {
        assert!(StatusFilter::Error.matches(0));
        assert!(!StatusFilter::Ok.matches(0));
        assert!(StatusFilter::Error.matches(502));
        assert!(StatusFilter::Class(4).matches(429));
        assert!(!StatusFilter::Class(4).matches(4));
    }

    #[test]
    fn speed_classes_follow_the_threshold() {
        assert_eq!(SpeedClass::of(1200.0, 1000.0), SpeedClass::Slow);
        assert_eq!(SpeedClass::of(500.0, 1000.0), SpeedClass::Medium);
        assert_eq!(SpeedClass::of(50.0, 1000.0), SpeedClass::Fast);
        assert_eq!(SpeedClass::of(50.0, 100.0), SpeedClass::Medium);
    }

    #[test]
    fn text_search_is_case_insensitive() {
        assert!(contains_lower("/Users/42", "users"));
        assert!(contains_lower("/été", "été"));
        assert!(!contains_lower("/a", "abc"));
    }
}
