//! Column sorting of summary rows (the viewer's table headers; `ls --sort` could reuse it).

use std::cmp::Ordering;

use super::Summary;

/// A sortable column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// Recorded time (rows whose time does not parse come first).
    Time,
    Method,
    /// Path, then query.
    Path,
    Status,
    Duration,
    /// Total dependency calls.
    Dependencies,
    File,
}

impl SortKey {
    pub const ALL: [SortKey; 7] = [
        SortKey::Time,
        SortKey::Method,
        SortKey::Path,
        SortKey::Status,
        SortKey::Duration,
        SortKey::Dependencies,
        SortKey::File,
    ];

    /// Short name used in URLs and options (`time`, `method`, `path`, ...).
    pub fn name(self) -> &'static str {
        match self {
            SortKey::Time => "time",
            SortKey::Method => "method",
            SortKey::Path => "path",
            SortKey::Status => "status",
            SortKey::Duration => "duration",
            SortKey::Dependencies => "deps",
            SortKey::File => "file",
        }
    }

    pub fn from_name(name: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether a newly chosen column starts descending (numbers and times: biggest first).
    pub fn starts_descending(self) -> bool {
        matches!(
            self,
            SortKey::Time | SortKey::Status | SortKey::Duration | SortKey::Dependencies
        )
    }
}

/// A column and a direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    /// Newest first, as Timetracer's dashboard opens.
    fn default() -> Self {
        Sort {
            key: SortKey::Time,
            descending: true,
        }
    }
}

impl Sort {
    /// The sort after clicking `key`'s header: the same column flips, another starts in its
    /// natural direction.
    #[must_use]
    pub fn toggled(self, key: SortKey) -> Sort {
        if key == self.key {
            Sort {
                key,
                descending: !self.descending,
            }
        } else {
            Sort {
                key,
                descending: key.starts_descending(),
            }
        }
    }

    /// `time` or `-time` (descending).
    pub fn to_text(self) -> String {
        if self.descending {
            format!("-{}", self.key.name())
        } else {
            self.key.name().to_owned()
        }
    }

    pub fn from_text(text: &str) -> Option<Sort> {
        let (descending, name) = match text.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, text),
        };
        SortKey::from_name(name).map(|key| Sort { key, descending })
    }

    /// Compares two rows. Ties fall back to recorded time and then file name, always
    /// ascending, so the order is total and stable across sorts.
    pub fn compare(self, a: &Summary, b: &Summary) -> Ordering {
        let primary = match self.key {
            SortKey::Time => a.recorded_at_micros.cmp(&b.recorded_at_micros),
            SortKey::Method => a.method.cmp(&b.method),
            SortKey::Path => a.path.cmp(&b.path).then_with(|| a.query.cmp(&b.query)),
            SortKey::Status => a.status.cmp(&b.status),
            SortKey::Duration => a.duration_ms.total_cmp(&b.duration_ms),
            SortKey::Dependencies => a.dependencies.total().cmp(&b.dependencies.total()),
            SortKey::File => a.file.cmp(&b.file),
        };
        let primary = if self.descending {
            primary.reverse()
        } else {
            primary
        };
        primary
            .then_with(|| a.recorded_at_micros.cmp(&b.recorded_at_micros))
            .then_with(|| a.file.cmp(&b.file))
    }

    /// Sorts any items that carry a summary.
    pub fn sort_by<T>(self, items: &mut [T], summary: impl Fn(&T) -> &Summary) {
        items.sort_by(|a, b| self.compare(summary(a), summary(b)));
    }

    /// Indices of `rows` in sorted order.
    pub fn sorted_indices(self, rows: &[Summary]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| self.compare(&rows[a], &rows[b]));
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Counts;

    fn row(file: &str, at: i64, method: &str, status: i64, ms: f64, deps: usize) -> Summary {
        let mut dependencies = Counts::default();
        if deps > 0 {
            dependencies.add("http.client", deps);
        }
        Summary {
            recorded_at: String::new(),
            recorded_at_micros: Some(at),
            method: method.to_owned(),
            path: format!("/{file}"),
            query: String::new(),
            status,
            duration_ms: ms,
            dependencies,
            libs: Counts::default(),
            dependency_errors: 0,
            service: None,
            env: None,
            format: "timetracer",
            error: status >= 400,
            file: file.to_owned(),
        }
    }

    fn rows() -> Vec<Summary> {
        vec![
            row("b", 2, "POST", 201, 5.0, 0),
            row("a", 1, "GET", 500, 50.0, 3),
            row("c", 3, "GET", 200, 0.5, 1),
        ]
    }

    #[test]
    fn every_column_sorts_both_ways() {
        let rows = rows();
        let files = |sort: Sort| -> String {
            sort.sorted_indices(&rows)
                .into_iter()
                .map(|i| rows[i].file.as_str())
                .collect()
        };
        let asc = |key| Sort {
            key,
            descending: false,
        };
        assert_eq!(files(asc(SortKey::Time)), "abc");
        assert_eq!(files(Sort::default()), "cba");
        assert_eq!(files(asc(SortKey::Method)), "acb");
        assert_eq!(files(asc(SortKey::Path)), "abc");
        assert_eq!(files(asc(SortKey::Status)), "cba");
        assert_eq!(files(asc(SortKey::Duration)), "cba");
        assert_eq!(files(asc(SortKey::Dependencies)), "bca");
        assert_eq!(files(asc(SortKey::File).toggled(SortKey::File)), "cba");
    }

    #[test]
    fn toggling_flips_the_same_column_and_starts_new_ones_naturally() {
        let s = Sort::default().toggled(SortKey::Time);
        assert!(!s.descending);
        assert_eq!(
            s.toggled(SortKey::Path),
            Sort {
                key: SortKey::Path,
                descending: false
            }
        );
        assert!(s.toggled(SortKey::Duration).descending);
    }

    #[test]
    fn text_form_round_trips() {
        for key in SortKey::ALL {
            for descending in [false, true] {
                let s = Sort { key, descending };
                assert_eq!(Sort::from_text(&s.to_text()), Some(s));
            }
        }
        assert_eq!(Sort::from_text("nope"), None);
    }
}
