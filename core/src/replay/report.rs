//! Diagnoses of a miss: Timetracer's `ReplayMismatchError` text, extended with every differing
//! field and the closest recorded call, and the same as a JSON value.

use std::fmt::Write as _;

use super::{Call, CallSummary, Closest, Field, Mismatch, Miss, MissReason, hash};
use crate::json::Value;
use crate::model::NameValue;

const HINT_MORE: &str =
    "Your code is making more dependency calls than recorded. Re-record the cassette.";
const HINT_TYPE: &str = "Call order or type has changed. Re-record the cassette.";
const HINT_CHANGED: &str =
    "Your dependency call changed (endpoint/method). Re-record cassette or disable strict replay.";
const HINT_NO_MATCH: &str = "No recorded call matches this one. Re-record the cassette, or relax the match options (query, headers, body, host).";

/// Python-dict text of query pairs (`{'q': 'x', 'tag': ['a', 'b']}`).
pub(crate) fn query_repr(pairs: &[NameValue]) -> String {
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    for (k, v) in pairs {
        match grouped.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1.push(v),
            None => grouped.push((k, vec![v])),
        }
    }
    let mut out = String::from("{");
    for (i, (name, values)) in grouped.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&hash::str_repr(name));
        out.push_str(": ");
        if let [one] = values.as_slice() {
            out.push_str(&hash::str_repr(one));
        } else {
            let items: Vec<String> = values.iter().map(|v| hash::str_repr(v)).collect();
            out.push('[');
            out.push_str(&items.join(", "));
            out.push(']');
        }
    }
    out.push('}');
    out
}

/// Query names whose live values are not shown in diagnoses.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "key", "token", "secret", "pass", "sig", "auth", "session", "cred", "code",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

impl CallSummary {
    pub(crate) fn of(call: &Call) -> CallSummary {
        let hidden: Vec<NameValue> = call
            .query
            .iter()
            .map(|(k, v)| {
                let v = if is_secret_name(k) {
                    String::from("[hidden]")
                } else {
                    v.clone()
                };
                (k.clone(), v)
            })
            .collect();
        CallSummary {
            kind: call.kind.as_str().to_owned(),
            lib: call.lib.clone(),
            method: call.method.clone(),
            url: super::url::strip_query(&call.url).0.to_owned(),
            query: query_repr(&hidden),
            body_hash: (!call.body.is_empty()).then(|| hash::hash_bytes(&call.body)),
        }
    }
}

impl Default for CallSummary {
    fn default() -> Self {
        CallSummary {
            kind: String::new(),
            lib: None,
            method: String::new(),
            url: String::new(),
            query: String::from("{}"),
            body_hash: None,
        }
    }
}

impl Miss {
    /// The first line: Timetracer's wording where it has one.
    pub fn headline(&self) -> String {
        match &self.reason {
            MissReason::NoMoreEvents { .. } | MissReason::NoRecordings => format!(
                "Unexpected {} call: no more events in cassette",
                self.call.kind
            ),
            MissReason::TypeMismatch { event_index, .. } => {
                format!("Event type mismatch at event #{event_index}")
            }
            MissReason::Mismatch { event_index, .. } => {
                format!("{} mismatch at event #{event_index}", self.call.kind)
            }
            MissReason::NoMatch => format!(
                "{} mismatch: no unconsumed recorded call matches {} {}",
                self.call.kind, self.call.method, self.call.url
            ),
        }
    }

    /// The event index the diagnosis is about, when there is one.
    pub fn event_index(&self) -> Option<usize> {
        match &self.reason {
            MissReason::NoMoreEvents { event_index }
            | MissReason::TypeMismatch { event_index, .. }
            | MissReason::Mismatch { event_index, .. } => Some(*event_index),
            MissReason::NoMatch | MissReason::NoRecordings => None,
        }
    }

    /// Timetracer's hint line.
    pub fn hint(&self) -> &'static str {
        match &self.reason {
            MissReason::NoMoreEvents { .. } | MissReason::NoRecordings => HINT_MORE,
            MissReason::TypeMismatch { .. } => HINT_TYPE,
            MissReason::Mismatch { .. } => HINT_CHANGED,
            MissReason::NoMatch => HINT_NO_MATCH,
        }
    }

    /// The full text: Timetracer's `ReplayMismatchError` message (headline, cassette,
    /// endpoint, event index, expected/actual blocks, hint), then every differing field and the
    /// closest recorded call.
    pub fn message(&self) -> String {
        let mut out = self.headline();
        out.push_str("\n\n");
        if let Some(cassette) = &self.cassette {
            let _ = writeln!(out, "cassette: {cassette}");
        }
        if let Some(endpoint) = &self.endpoint {
            let _ = writeln!(out, "endpoint: {endpoint}");
        }
        if let Some(index) = self.event_index() {
            let _ = writeln!(out, "event index: #{index}");
        }
        match &self.reason {
            MissReason::NoMoreEvents { .. } | MissReason::NoRecordings | MissReason::NoMatch => {
                out.push_str("\nactual:\n");
                if let Some(lib) = &self.call.lib {
                    let _ = writeln!(out, "  lib: {lib}");
                }
                let _ = writeln!(out, "  method: {}", self.call.method);
                let _ = writeln!(out, "  url: {}", self.call.url);
                let _ = writeln!(out, "  query: {}", self.call.query);
                let _ = writeln!(
                    out,
                    "  body_hash: {}",
                    self.call.body_hash.as_deref().unwrap_or("None")
                );
            }
            MissReason::TypeMismatch {
                expected, actual, ..
            } => {
                let _ = write!(
                    out,
                    "\nexpected:\n  type: {expected}\n\nactual:\n  type: {actual}\n"
                );
            }
            MissReason::Mismatch { mismatches, .. } => {
                out.push_str("\nexpected:\n");
                write_block(&mut out, mismatches, true);
                out.push_str("\nactual:\n");
                write_block(&mut out, mismatches, false);
            }
        }
        let _ = write!(out, "\nhint: {}", self.hint());
        if let MissReason::Mismatch { mismatches, .. } = &self.reason
            && mismatches.iter().any(|m| m.note.is_some())
        {
            out.push_str("\n\ndifferences:");
            write_differences(&mut out, mismatches);
        }
        if let Some(closest) = &self.closest {
            out.push_str("\n\n");
            write_closest(&mut out, closest);
        }
        out
    }

    /// The diagnosis as JSON (the mock's error body): `error`, `reason`, `hint`, `cassette`,
    /// `endpoint`, `event_index`, `call`, `differences`, `closest`.
    pub fn to_json(&self) -> Value {
        let reason = match &self.reason {
            MissReason::NoMoreEvents { .. } => "no_more_events",
            MissReason::TypeMismatch { .. } => "type_mismatch",
            MissReason::Mismatch { .. } => "mismatch",
            MissReason::NoMatch => "no_match",
            MissReason::NoRecordings => "no_recordings",
        };
        let differences = match &self.reason {
            MissReason::Mismatch { mismatches, .. } => mismatches_json(mismatches),
            MissReason::TypeMismatch {
                expected, actual, ..
            } => Value::Array(vec![Value::object([
                ("field", Value::from("type")),
                ("expected", Value::from(expected.as_str())),
                ("actual", Value::from(actual.as_str())),
            ])]),
            MissReason::NoMatch => self
                .closest
                .as_ref()
                .map_or(Value::Array(Vec::new()), |c| mismatches_json(&c.mismatches)),
            MissReason::NoMoreEvents { .. } | MissReason::NoRecordings => Value::Array(Vec::new()),
        };
        let call = Value::object([
            ("type", Value::from(self.call.kind.as_str())),
            ("lib", Value::from(self.call.lib.clone())),
            ("method", Value::from(self.call.method.as_str())),
            ("url", Value::from(self.call.url.as_str())),
            ("query", Value::from(self.call.query.as_str())),
            ("body_hash", Value::from(self.call.body_hash.clone())),
        ]);
        let closest = self.closest.as_ref().map_or(Value::Null, |c| {
            Value::object([
                ("cassette", Value::from(c.cassette.as_str())),
                ("event_index", Value::from(c.event_index as u64)),
                ("eid", Value::from(c.sequence)),
                ("type", Value::from(c.kind.as_str())),
                ("method", Value::from(c.method.as_str())),
                ("url", Value::from(c.url.as_str())),
                ("query", Value::from(c.query.as_str())),
                ("distance", Value::from(u64::from(c.distance))),
                ("consumed", Value::from(c.consumed)),
                ("differences", mismatches_json(&c.mismatches)),
            ])
        });
        Value::object([
            ("error", Value::from(self.headline())),
            ("reason", Value::from(reason)),
            ("hint", Value::from(self.hint())),
            ("cassette", Value::from(self.cassette.clone())),
            ("endpoint", Value::from(self.endpoint.clone())),
            (
                "event_index",
                self.event_index()
                    .map_or(Value::Null, |i| Value::from(i as u64)),
            ),
            ("call", call),
            ("differences", differences),
            ("closest", closest),
        ])
    }
}

fn mismatches_json(mismatches: &[Mismatch]) -> Value {
    Value::Array(
        mismatches
            .iter()
            .map(|m| {
                Value::object([
                    ("field", Value::from(m.field.name())),
                    ("expected", Value::from(m.expected.as_str())),
                    ("actual", Value::from(m.actual.as_str())),
                    ("note", Value::from(m.note.clone())),
                ])
            })
            .collect(),
    )
}

/// Timetracer's expected/actual block: `method:` and `url:` lines (a host-only difference is
/// shown as the URL, as Timetracer compares whole URLs), then any other field.
fn write_block(out: &mut String, mismatches: &[Mismatch], expected: bool) {
    let pick = |m: &Mismatch| {
        if expected {
            m.expected.clone()
        } else {
            m.actual.clone()
        }
    };
    if let Some(m) = mismatches.iter().find(|m| m.field == Field::Method) {
        let _ = writeln!(out, "  method: {}", pick(m));
    }
    let url = mismatches.iter().find(|m| m.field == Field::Url);
    let host = mismatches.iter().find(|m| m.field == Field::Host);
    // Both hold whole URLs; the path's actual value is the call's target as sent.
    if let Some(m) = url.or(host) {
        let _ = writeln!(out, "  url: {}", pick(m));
    }
    for m in mismatches {
        if !matches!(m.field, Field::Method | Field::Url | Field::Host) {
            let _ = writeln!(out, "  {}: {}", m.field, pick(m));
        }
    }
}

fn write_differences(out: &mut String, mismatches: &[Mismatch]) {
    for m in mismatches {
        let _ = write!(
            out,
            "\n  {}: expected {}, got {}",
            m.field, m.expected, m.actual
        );
        if let Some(note) = &m.note {
            let _ = write!(out, " ({note})");
        }
    }
}

fn write_closest(out: &mut String, c: &Closest) {
    let _ = write!(
        out,
        "closest recorded call: event #{} (eid {}) in {}\n  {} {} {}",
        c.event_index, c.sequence, c.cassette, c.method, c.url, c.query
    );
    if c.mismatches.is_empty() {
        if c.consumed {
            out.push_str(
                "\n  matches, but already answered an earlier call (allow repeats to answer it again)",
            );
        }
        return;
    }
    let fields: Vec<&str> = c.mismatches.iter().map(|m| m.field.name()).collect();
    let _ = write!(out, "\n  differs in: {}", fields.join(", "));
    write_differences(out, &c.mismatches);
    if c.consumed {
        out.push_str("\n  (already answered an earlier call)");
    }
}
