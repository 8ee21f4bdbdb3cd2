//! One summary row per cassette, and the filters and statistics over many rows that the CLI
//! (`ls`, `stats`) and the viewer (table, stat cards) share.

mod filter;
mod sort;
mod stats;

pub use filter::{Filter, SpeedClass, StatusFilter};
pub use sort::{Sort, SortKey};
pub use stats::{EndpointStats, Stats, percentile};

use crate::model::Cassette;

/// Counts by name, in order of first appearance; serialized as a JSON object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts(pub Vec<(String, usize)>);

impl Counts {
    pub fn add(&mut self, name: &str, n: usize) {
        match self.0.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 += n,
            None => self.0.push((name.to_owned(), n)),
        }
    }

    pub fn total(&self) -> usize {
        self.0.iter().map(|(_, n)| n).sum()
    }

    pub fn get(&self, name: &str) -> usize {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or(0, |(_, n)| *n)
    }

    /// `http.client:2 redis:1`, or `-` when empty.
    pub fn to_compact_string(&self) -> String {
        if self.0.is_empty() {
            return String::from("-");
        }
        self.0
            .iter()
            .map(|(k, n)| format!("{k}:{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl serde::Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, n) in &self.0 {
            map.serialize_entry(k, n)?;
        }
        map.end()
    }
}

/// The row a cassette shows in a list: small, owned, cheap to filter and sort.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    pub recorded_at: String,
    #[serde(skip)]
    pub recorded_at_micros: Option<i64>,
    pub method: String,
    pub path: String,
    /// The query string as `a=1&b=2` (not percent-encoded), empty when there is none.
    pub query: String,
    pub status: i64,
    pub duration_ms: f64,
    /// Dependency calls by type.
    pub dependencies: Counts,
    /// Dependency calls by client library.
    #[serde(skip)]
    pub libs: Counts,
    /// Dependency calls that failed.
    pub dependency_errors: usize,
    pub service: Option<String>,
    pub env: Option<String>,
    pub format: &'static str,
    /// The exchange failed: error status or no response (status 0).
    pub error: bool,
    pub file: String,
}

impl Summary {
    pub fn from_cassette(cassette: &Cassette) -> Summary {
        let mut dependencies = Counts::default();
        let mut libs = Counts::default();
        for event in &cassette.events {
            dependencies.add(event.kind.as_str(), 1);
            libs.add(&event.lib, 1);
        }
        let query = cassette
            .request
            .query
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        Summary {
            recorded_at: cassette.meta.recorded_at.clone(),
            recorded_at_micros: cassette.meta.recorded_at_micros,
            method: cassette.request.method.clone(),
            path: cassette.request.path.clone(),
            query,
            status: cassette.response.status,
            duration_ms: cassette.response.duration_ms,
            dependencies,
            libs,
            dependency_errors: cassette.events.iter().filter(|e| e.is_error()).count(),
            service: cassette.meta.service.clone(),
            env: cassette.meta.env.clone(),
            format: cassette.format.name(),
            error: cassette.is_error(),
            file: cassette.name.clone(),
        }
    }

    /// `GET /users/{id}`: method and path with id-like segments folded, for grouping.
    pub fn endpoint(&self) -> String {
        endpoint_key(&self.method, &self.path)
    }
}

/// Sorts rows by recorded time (unparseable times first), then by file, oldest first.
pub fn sort_by_time(rows: &mut [Summary]) {
    rows.sort_by(|a, b| {
        a.recorded_at_micros
            .cmp(&b.recorded_at_micros)
            .then_with(|| a.file.cmp(&b.file))
    });
}

/// Method and path with segments that look like ids (numbers, UUIDs, long hex) replaced by
/// `{id}`, so `/users/42` and `/users/43` group together.
pub fn endpoint_key(method: &str, path: &str) -> String {
    let method = if method.is_empty() { "-" } else { method };
    let mut out = String::with_capacity(method.len() + path.len() + 1);
    out.push_str(method);
    out.push(' ');
    if path.is_empty() {
        out.push('-');
        return out;
    }
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if is_id_segment(segment) {
            out.push_str("{id}");
        } else {
            out.push_str(segment);
        }
    }
    out
}

fn is_id_segment(segment: &str) -> bool {
    if segment.is_empty() {
        return false;
    }
    let all_digits = segment.bytes().all(|b| b.is_ascii_digit());
    let uuid = segment.len() == 36
        && segment.bytes().enumerate().all(|(i, b)| {
            matches!(i, 8 | 13 | 18 | 23) == (b == b'-') && (b == b'-' || b.is_ascii_hexdigit())
        });
    let long_hex = segment.len() >= 16
        && segment.bytes().all(|b| b.is_ascii_hexdigit())
        && segment.bytes().any(|b| b.is_ascii_digit());
    all_digits || uuid || long_hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_fold_ids() {
        assert_eq!(endpoint_key("GET", "/users/42"), "GET /users/{id}");
        assert_eq!(
            endpoint_key("GET", "/o/3f2a9c1e-1b2c-4d5e-8f90-123456789abc/items"),
            "GET /o/{id}/items"
        );
        assert_eq!(endpoint_key("GET", "/orders/ord_77"), "GET /orders/ord_77");
        assert_eq!(endpoint_key("", ""), "- -");
    }

    #[test]
    fn counts_keep_first_appearance_order() {
        let mut c = Counts::default();
        c.add("redis", 1);
        c.add("http.client", 2);
        c.add("redis", 1);
        assert_eq!(c.to_compact_string(), "redis:2 http.client:2");
        assert_eq!(c.total(), 4);
    }
}
