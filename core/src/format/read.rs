//! What every non-Timetracer reader shares: typed member access that collects problems with
//! their JSON path, line and column (in the file as written, also for a HAR entry read from
//! its own slice and for YAML read through its JSON projection).

use std::borrow::Cow;

use super::timetracer::path::JsonPath;
use crate::error::{Location, Problem, ProblemKind, Severity, kind_name};
use crate::json::{Document, Kind, Node};
use crate::model::{NameValue, Phase};

/// How an offset in the document read maps to a line and column of the file.
#[derive(Clone, Copy)]
pub(crate) enum Lines<'a> {
    /// The document is the file (or starts at `base` in `whole`).
    Json {
        whole: &'a Document<'a>,
        base: usize,
    },
    /// The document is the JSON projection of a YAML file: `(json offset, line, column)`,
    /// sorted by offset.
    Yaml(&'a [(u32, u32, u32)]),
}

impl Lines<'_> {
    fn line_column(&self, offset: usize) -> (u32, u32) {
        match self {
            Lines::Json { whole, base } => whole.line_column(base + offset),
            Lines::Yaml(marks) => {
                let at = u32::try_from(offset).unwrap_or(u32::MAX);
                let i = marks.partition_point(|m| m.0 <= at);
                marks
                    .get(i.saturating_sub(1))
                    .map_or((1, 1), |m| (m.1, m.2))
            }
        }
    }
}

pub(crate) struct Reader<'d> {
    pub(crate) lines: Lines<'d>,
    pub(crate) problems: Vec<Problem>,
}

impl<'d> Reader<'d> {
    pub(crate) fn new(lines: Lines<'d>) -> Self {
        Reader {
            lines,
            problems: Vec::new(),
        }
    }

    pub(crate) fn has_error(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    pub(crate) fn report(
        &mut self,
        severity: Severity,
        at: Node<'_>,
        path: &JsonPath<'_>,
        kind: ProblemKind,
    ) {
        let (line, column) = self.lines.line_column(at.span().start);
        self.problems.push(Problem {
            severity,
            location: Location {
                json_path: path.render(),
                line,
                column,
            },
            kind,
        });
    }

    pub(crate) fn wrong_type(&mut self, at: Node<'_>, path: &JsonPath<'_>, expected: &'static str) {
        self.report(
            Severity::Error,
            at,
            path,
            ProblemKind::WrongType {
                expected,
                found: kind_name(at.kind()),
            },
        );
    }

    /// A member of `parent` of the given kind. Missing is an error when `required`; a wrong
    /// kind is always an error. `null` counts as missing for optional members.
    pub(crate) fn member<'n>(
        &mut self,
        parent: Node<'n>,
        path: &JsonPath<'_>,
        key: &'static str,
        kind: Kind,
        required: bool,
    ) -> Option<Node<'n>> {
        let Some(node) = parent.get(key) else {
            if required {
                self.report(Severity::Error, parent, path, ProblemKind::Missing(key));
            }
            return None;
        };
        if node.kind() == kind {
            return Some(node);
        }
        if node.is_null() && !required {
            return None;
        }
        self.wrong_type(node, &path.key(key), kind_name(kind));
        None
    }

    pub(crate) fn string(
        &mut self,
        parent: Node<'_>,
        path: &JsonPath<'_>,
        key: &'static str,
        required: bool,
    ) -> Option<String> {
        self.member(parent, path, key, Kind::String, required)
            .and_then(|n| n.as_str())
            .map(Cow::into_owned)
    }

    pub(crate) fn number(
        &mut self,
        parent: Node<'_>,
        path: &JsonPath<'_>,
        key: &'static str,
        required: bool,
    ) -> Option<f64> {
        self.member(parent, path, key, Kind::Number, required)
            .and_then(|n| n.as_f64())
    }

    /// An integer that may also be written as a string of digits (YAML `'200'`).
    pub(crate) fn integer(
        &mut self,
        parent: Node<'_>,
        path: &JsonPath<'_>,
        key: &'static str,
        required: bool,
    ) -> Option<i64> {
        let Some(node) = parent.get(key) else {
            if required {
                self.report(Severity::Error, parent, path, ProblemKind::Missing(key));
            }
            return None;
        };
        let value = match node.kind() {
            Kind::Number => node.as_i64(),
            Kind::String => node.as_str().and_then(|s| s.trim().parse().ok()),
            Kind::Null if !required => return None,
            _ => None,
        };
        if value.is_none() {
            self.wrong_type(node, &path.key(key), "an integer");
        }
        value
    }
}

/// A scalar as display text: strings decoded, numbers and literals as written.
pub(crate) fn scalar_text(node: Node<'_>) -> String {
    match node.kind() {
        Kind::String => node.as_str().unwrap_or_default().into_owned(),
        Kind::Null => String::new(),
        _ => node.raw().to_owned(),
    }
}

/// Headers written as a map of name to value or to a list of values (VCR.py, Ruby VCR,
/// go-vcr): one pair per value, in order.
pub(crate) fn header_map(headers: Option<Node<'_>>) -> Vec<NameValue> {
    let mut out = Vec::new();
    let Some(headers) = headers.filter(|h| h.kind() == Kind::Object) else {
        return out;
    };
    for (key, value) in headers.members() {
        let name = key.as_str().unwrap_or_default().into_owned();
        if value.kind() == Kind::Array {
            for item in value.elements() {
                out.push((name.clone(), scalar_text(item)));
            }
        } else {
            out.push((name, scalar_text(value)));
        }
    }
    out
}

/// Splits a URL into (scheme and host, path, query pairs). Pairs are not percent-decoded
/// beyond `+`-free splitting: they are shown as recorded.
pub(crate) fn split_url(url: &str) -> (&str, &str, Vec<NameValue>) {
    let without_fragment = url.split('#').next().unwrap_or(url);
    let (before_query, query) = match without_fragment.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (without_fragment, None),
    };
    let (origin, path) = match before_query.find("://") {
        Some(scheme_end) => {
            let after = scheme_end + 3;
            match before_query.get(after..).and_then(|rest| rest.find('/')) {
                Some(slash) => before_query.split_at(after + slash),
                None => (before_query, "/"),
            }
        }
        None => ("", before_query),
    };
    let pairs = query
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (k.to_owned(), v.to_owned()),
                    None => (p.to_owned(), String::new()),
                })
                .collect()
        })
        .unwrap_or_default();
    (origin, path, pairs)
}

/// The host of `scheme://host[:port]`.
pub(crate) fn host_of(origin: &str) -> Option<&str> {
    let host = origin.split_once("://").map_or(origin, |(_, h)| h);
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    (!host.is_empty()).then_some(host)
}

/// HAR timing phases laid end to end (`ssl` is part of `connect`, so it sits at its end);
/// phases of -1 (not applicable) are left out.
pub(crate) fn har_phases(timings: &[(&'static str, Option<f64>)]) -> Vec<Phase> {
    let get = |name: &str| {
        timings
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| *v)
            .filter(|v| v.is_finite() && *v >= 0.0)
    };
    let mut out = Vec::new();
    let mut at = 0.0;
    for name in ["blocked", "dns", "connect", "send", "wait", "receive"] {
        let Some(ms) = get(name) else { continue };
        if name == "connect"
            && let Some(ssl) = get("ssl")
        {
            out.push(Phase {
                name: String::from("connect"),
                start_offset_ms: at,
                duration_ms: ms,
            });
            let ssl = ssl.min(ms);
            out.push(Phase {
                name: String::from("ssl"),
                start_offset_ms: at + ms - ssl,
                duration_ms: ssl,
            });
            at += ms;
            continue;
        }
        out.push(Phase {
            name: name.to_owned(),
            start_offset_ms: at,
            duration_ms: ms,
        });
        at += ms;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls_into_origin_path_and_query() {
        let (origin, path, query) = split_url("http://127.0.0.1:8080/a/b?x=1&y&z=a%20b#frag");
        assert_eq!(origin, "http://127.0.0.1:8080");
        assert_eq!(path, "/a/b");
        assert_eq!(
            query,
            vec![
                (String::from("x"), String::from("1")),
                (String::from("y"), String::new()),
                (String::from("z"), String::from("a%20b"))
            ]
        );
        assert_eq!(split_url("https://h").1, "/");
        assert_eq!(host_of("https://u:p@h:1"), Some("h:1"));
    }

    #[test]
    fn lays_har_phases_end_to_end_with_ssl_inside_connect() {
        let phases = har_phases(&[
            ("blocked", Some(1.0)),
            ("dns", Some(-1.0)),
            ("connect", Some(10.0)),
            ("ssl", Some(4.0)),
            ("send", Some(0.5)),
            ("wait", Some(20.0)),
            ("receive", Some(2.0)),
        ]);
        let names: Vec<&str> = phases.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["blocked", "connect", "ssl", "send", "wait", "receive"]
        );
        assert!((phases[2].start_offset_ms - 7.0).abs() < 1e-9);
        assert!((phases[5].start_offset_ms - 31.5).abs() < 1e-9);
    }
}
