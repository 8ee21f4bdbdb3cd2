//! Replay: answer live dependency calls from recorded events.
//!
//! A [`Replayer`] is built once from one or many cassettes and a [`MatchPolicy`], then asked
//! [`Replayer::answer`] for each live [`Call`]. The default policy is Timetracer 1.6.0's
//! (events consumed in recording order, compared on type, method and URL without the query,
//! strict); options add query, header, body-hash and JSON-body criteria, any-order and
//! per-signature queues, repeats and a moved upstream. A miss is never a bare "no match": the
//! [`Miss`] names the closest recorded call by weighted distance and every field that differed,
//! and renders Timetracer's own error text ([`Miss::message`]) or a JSON diagnosis
//! ([`Miss::to_json`]).
//!
//! Concurrency: `Replayer` is `Send + Sync` and [`Replayer::answer`] takes `&self`; the
//! consumed-event state sits behind an internal mutex held only for the lookup, so one
//! `Arc<Replayer>` can serve many tasks. Answers are rendered once at construction and handed
//! out as `Arc<Answer>`. Timetracer replays per incoming request: call [`Replayer::reset`] (or
//! build a new `Replayer`) at the start of each one.

pub mod hash;
mod matchers;
mod policy;
mod report;
pub mod url;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

pub use matchers::{
    BodyHashMatcher, Field, HeadersMatcher, HostMatcher, JsonBodyMatcher, JsonPath, KindMatcher,
    Matcher, MethodMatcher, Mismatch, PathMatcher, QueryMatcher,
};
pub use policy::{BadJsonPath, MatchOptions, MatchPolicy, Ordering};

use crate::json::{Kind, Value};
use crate::model::{BodyEncoding, Cassette, Event, EventKind, NameValue};

/// A live call to match: what the application is sending now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub kind: EventKind,
    /// Client library, when known (`httpx`); shown in diagnoses only.
    pub lib: Option<String>,
    pub method: String,
    /// Absolute (`http://host:port/path`) or origin-form (`/path`, base-URL mode: any host
    /// matches). A query in it is ignored: matching uses `query`.
    pub url: String,
    /// Parsed query pairs, in the order sent.
    pub query: Vec<NameValue>,
    /// Request headers as sent (names as given).
    pub headers: Vec<NameValue>,
    pub body: Vec<u8>,
}

impl Call {
    /// An `http.client` call to `url` (absolute or `/path`), whose query is parsed out of it
    /// as Python's `parse_qsl` does.
    pub fn http(method: &str, url: &str) -> Call {
        let (_, query) = url::strip_query(url);
        Call {
            kind: EventKind::HttpClient,
            lib: None,
            method: method.to_owned(),
            url: url.to_owned(),
            query: url::parse_query(query),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
}

/// What was recorded of one event's request side, as matchers see it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedCall {
    /// Index of the cassette among those the replayer was built from.
    pub cassette: usize,
    /// Index of the event in its cassette's `events` (Timetracer's 0-based "event #").
    pub event_index: usize,
    /// Timetracer's 1-based `eid`.
    pub sequence: i64,
    pub kind: EventKind,
    pub lib: String,
    pub method: String,
    /// The recorded URL without query (or table / key for other types).
    pub url: String,
    /// Recorded query pairs, sorted.
    pub query: Vec<NameValue>,
    pub headers_hash: Option<String>,
    pub body_hash: Option<String>,
    /// The request body, when the recorder kept it (`signature.body.data`, a Tapedeck
    /// extension Timetracer ignores); Timetracer itself keeps only `body_hash`.
    pub request_body: Option<Value>,
}

impl Default for RecordedCall {
    fn default() -> Self {
        RecordedCall {
            cassette: 0,
            event_index: 0,
            sequence: 0,
            kind: EventKind::HttpClient,
            lib: String::new(),
            method: String::new(),
            url: String::new(),
            query: Vec::new(),
            headers_hash: None,
            body_hash: None,
            request_body: None,
        }
    }
}

/// The recorded answer to send back, rendered as Timetracer's replay renders it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The recorded status (200 when none was recorded, as Timetracer's `status or 200`).
    pub status: u16,
    /// Recorded (allow-listed) response headers, `content-length` set to the body's length.
    pub headers: Vec<NameValue>,
    /// JSON bodies as `json.dumps(data)` (Python's `", "`/`": "` separators), text as UTF-8,
    /// bodies recorded without content (`bytes`) empty.
    pub body: Vec<u8>,
    /// The call failed when recorded (connection refused, ...): no status, headers or body.
    pub error: Option<RecordedError>,
}

/// A recorded dependency failure (`result.error` and `result.error_type`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedError {
    pub message: String,
    pub error_type: Option<String>,
}

/// The outcome of one lookup.
#[derive(Clone, Debug)]
#[must_use]
pub enum MatchOutcome {
    Matched(Matched),
    Miss(Box<Miss>),
}

/// A recorded event answering the call.
#[derive(Clone, Debug)]
pub struct Matched {
    pub answer: Arc<Answer>,
    pub cassette: String,
    pub event_index: usize,
    pub sequence: i64,
    /// Empty on an exact match; in lenient mode, what differed from the event answered anyway.
    pub mismatches: Vec<Mismatch>,
    /// Whether the event had answered before (allowed repeats).
    pub repeated: bool,
}

/// Why a call got no answer, with the closest recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    pub reason: MissReason,
    /// The call, described without its body or secret-looking query values.
    pub call: CallSummary,
    /// The cassette the cursor was in (sequential) or the closest call's cassette.
    pub cassette: Option<String>,
    /// The recorded incoming request of that cassette (`GET /users/42`).
    pub endpoint: Option<String>,
    /// The closest recorded call by weighted distance (ties: earliest recorded).
    pub closest: Option<Closest>,
}

/// The ways a lookup fails.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MissReason {
    /// Sequential: every event was consumed (more calls than recorded).
    NoMoreEvents { event_index: usize },
    /// Sequential: the next event is of another type.
    TypeMismatch {
        event_index: usize,
        expected: String,
        actual: String,
    },
    /// Sequential, strict: the next event differs.
    Mismatch {
        event_index: usize,
        mismatches: Vec<Mismatch>,
    },
    /// Any order or queues: no unconsumed event matches.
    NoMatch,
    /// Nothing was recorded at all.
    NoRecordings,
}

/// The live call as diagnoses show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallSummary {
    pub kind: String,
    pub lib: Option<String>,
    pub method: String,
    pub url: String,
    /// Python-dict text of the query, secret-looking values hidden.
    pub query: String,
    pub body_hash: Option<String>,
}

/// The recorded call nearest to a missed one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closest {
    pub cassette: String,
    pub event_index: usize,
    pub sequence: i64,
    pub kind: String,
    pub method: String,
    pub url: String,
    /// Python-dict text of the recorded query.
    pub query: String,
    pub distance: u32,
    /// Every field that differed (empty when it matched but was already consumed).
    pub mismatches: Vec<Mismatch>,
    /// Whether it already answered a call.
    pub consumed: bool,
}

#[derive(Debug)]
struct State {
    consumed: Vec<bool>,
    /// Sequential: index into `recorded` of the next event.
    cursor: usize,
}

/// Answers live calls from recorded events (see the module docs).
#[derive(Debug)]
pub struct Replayer {
    cassettes: Vec<(String, String, usize)>,
    recorded: Vec<RecordedCall>,
    answers: Vec<Arc<Answer>>,
    queues: HashMap<String, Vec<usize>>,
    policy: MatchPolicy,
    state: Mutex<State>,
}

impl Replayer {
    /// A replayer over one cassette.
    pub fn new(cassette: &Cassette, policy: MatchPolicy) -> Replayer {
        Replayer::from_cassettes([cassette], policy)
    }

    /// A replayer over many cassettes; their events are taken in the order given (sequential
    /// mode runs through them one after the other).
    pub fn from_cassettes<'a>(
        cassettes: impl IntoIterator<Item = &'a Cassette>,
        policy: MatchPolicy,
    ) -> Replayer {
        let mut names = Vec::new();
        let mut recorded = Vec::new();
        let mut answers = Vec::new();
        for (ci, cassette) in cassettes.into_iter().enumerate() {
            let endpoint = format!("{} {}", cassette.request.method, cassette.request.path);
            names.push((cassette.name.clone(), endpoint, cassette.events.len()));
            for (ei, event) in cassette.events.iter().enumerate() {
                if let Some(kinds) = &policy.options.kinds
                    && !kinds.contains(&event.kind)
                {
                    continue;
                }
                recorded.push(recorded_call(cassette, event, ci, ei));
                answers.push(Arc::new(render_answer(cassette, event)));
            }
        }
        let mut queues: HashMap<String, Vec<usize>> = HashMap::new();
        if policy.options.ordering == Ordering::PerSignature {
            for (i, r) in recorded.iter().enumerate() {
                queues
                    .entry(signature_key(&r.kind, &r.method, &r.url))
                    .or_default()
                    .push(i);
            }
        }
        let state = Mutex::new(State {
            consumed: vec![false; recorded.len()],
            cursor: 0,
        });
        Replayer {
            cassettes: names,
            recorded,
            answers,
            queues,
            policy,
            state,
        }
    }

    pub fn policy(&self) -> &MatchPolicy {
        &self.policy
    }

    /// Every recorded call taking part, in recording order.
    pub fn recorded(&self) -> &[RecordedCall] {
        &self.recorded
    }

    /// Forgets what was consumed: the next call starts from the first event again.
    pub fn reset(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.consumed.fill(false);
        state.cursor = 0;
    }

    /// How many recorded events have not answered a call yet (Timetracer's "N unconsumed").
    pub fn unconsumed(&self) -> usize {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.consumed.iter().filter(|c| !**c).count()
    }

    /// Finds the recorded event answering `call` and marks it consumed, or explains the miss.
    pub fn answer(&self, call: &Call) -> MatchOutcome {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if self.recorded.is_empty() {
            return self.miss(call, MissReason::NoRecordings, None, &state.consumed);
        }
        match self.policy.options.ordering {
            Ordering::Sequential => self.answer_sequential(call, &mut state),
            Ordering::AnyOrder => {
                let candidates: Vec<usize> = (0..self.recorded.len()).collect();
                self.answer_from(call, &candidates, &mut state)
            }
            Ordering::PerSignature => {
                let key = signature_key(&call.kind, &call.method, &call.url);
                let candidates = self.queues.get(&key).map_or(&[][..], Vec::as_slice);
                self.answer_from(call, candidates, &mut state)
            }
        }
    }

    fn answer_sequential(&self, call: &Call, state: &mut State) -> MatchOutcome {
        let index = state.cursor;
        let Some(recorded) = self.recorded.get(index) else {
            if let Some(found) = self.repeat(call, &(0..self.recorded.len()).collect::<Vec<_>>()) {
                return self.matched(found, Vec::new(), true);
            }
            let last = self.cassettes.len().saturating_sub(1);
            let event_index = self.cassettes.get(last).map_or(0, |c| c.2);
            return self.miss(
                call,
                MissReason::NoMoreEvents { event_index },
                Some(last),
                &state.consumed,
            );
        };
        if recorded.kind != call.kind {
            return self.miss(
                call,
                MissReason::TypeMismatch {
                    event_index: recorded.event_index,
                    expected: recorded.kind.as_str().to_owned(),
                    actual: call.kind.as_str().to_owned(),
                },
                Some(recorded.cassette),
                &state.consumed,
            );
        }
        let mismatches = self.mismatches(call, recorded);
        if mismatches.is_empty() || !self.policy.options.strict {
            state.cursor += 1;
            if let Some(c) = state.consumed.get_mut(index) {
                *c = true;
            }
            return self.matched(index, mismatches, false);
        }
        if let Some(found) = self.repeat(call, &(0..index).collect::<Vec<_>>()) {
            return self.matched(found, Vec::new(), true);
        }
        self.miss(
            call,
            MissReason::Mismatch {
                event_index: recorded.event_index,
                mismatches,
            },
            Some(recorded.cassette),
            &state.consumed,
        )
    }

    fn answer_from(&self, call: &Call, candidates: &[usize], state: &mut State) -> MatchOutcome {
        for &i in candidates {
            if state.consumed.get(i).copied().unwrap_or(true) {
                continue;
            }
            if let Some(r) = self.recorded.get(i)
                && self.mismatches(call, r).is_empty()
            {
                if let Some(c) = state.consumed.get_mut(i) {
                    *c = true;
                }
                return self.matched(i, Vec::new(), false);
            }
        }
        if let Some(found) = self.repeat(call, candidates) {
            return self.matched(found, Vec::new(), true);
        }
        if !self.policy.options.strict {
            let unconsumed: Vec<usize> = (0..self.recorded.len())
                .filter(|&i| !state.consumed.get(i).copied().unwrap_or(true))
                .collect();
            let pool = if unconsumed.is_empty() {
                (0..self.recorded.len()).collect()
            } else {
                unconsumed
            };
            if let Some((i, _, mismatches)) = self.closest_among(call, &pool) {
                if let Some(c) = state.consumed.get_mut(i) {
                    *c = true;
                }
                return self.matched(i, mismatches, false);
            }
        }
        self.miss(call, MissReason::NoMatch, None, &state.consumed)
    }

    /// With repeats allowed, the earliest candidate matching exactly (consumed or not).
    fn repeat(&self, call: &Call, candidates: &[usize]) -> Option<usize> {
        if !self.policy.options.allow_repeats {
            return None;
        }
        candidates.iter().copied().find(|&i| {
            self.recorded
                .get(i)
                .is_some_and(|r| self.mismatches(call, r).is_empty())
        })
    }

    fn mismatches(&self, call: &Call, recorded: &RecordedCall) -> Vec<Mismatch> {
        let mut out = Vec::new();
        for m in &self.policy.matchers {
            m.mismatches(call, recorded, &mut out);
        }
        out
    }

    /// Weighted distance and mismatches of `call` against one recording.
    fn distance(&self, call: &Call, recorded: &RecordedCall) -> (u32, Vec<Mismatch>) {
        let mut out = Vec::new();
        let mut distance = 0;
        for m in &self.policy.matchers {
            let before = out.len();
            m.mismatches(call, recorded, &mut out);
            let added = u32::try_from(out.len() - before).unwrap_or(u32::MAX);
            distance += m.weight().saturating_mul(added);
        }
        (distance, out)
    }

    /// The nearest recording among `pool`; ties go to the earliest recorded.
    fn closest_among(&self, call: &Call, pool: &[usize]) -> Option<(usize, u32, Vec<Mismatch>)> {
        let mut best: Option<(usize, u32, Vec<Mismatch>)> = None;
        for &i in pool {
            let Some(r) = self.recorded.get(i) else {
                continue;
            };
            let (d, m) = self.distance(call, r);
            if best.as_ref().is_none_or(|b| d < b.1) {
                best = Some((i, d, m));
            }
        }
        best
    }

    fn matched(&self, index: usize, mismatches: Vec<Mismatch>, repeated: bool) -> MatchOutcome {
        let (Some(r), Some(answer)) = (self.recorded.get(index), self.answers.get(index)) else {
            return MatchOutcome::Miss(Box::new(Miss {
                reason: MissReason::NoRecordings,
                call: CallSummary::default(),
                cassette: None,
                endpoint: None,
                closest: None,
            }));
        };
        MatchOutcome::Matched(Matched {
            answer: Arc::clone(answer),
            cassette: self.cassette_name(r.cassette).to_owned(),
            event_index: r.event_index,
            sequence: r.sequence,
            mismatches,
            repeated,
        })
    }

    fn cassette_name(&self, index: usize) -> &str {
        self.cassettes.get(index).map_or("", |c| c.0.as_str())
    }

    fn miss(
        &self,
        call: &Call,
        reason: MissReason,
        cassette: Option<usize>,
        consumed: &[bool],
    ) -> MatchOutcome {
        let all: Vec<usize> = (0..self.recorded.len()).collect();
        let closest = self
            .closest_among(call, &all)
            .and_then(|(i, distance, mismatches)| {
                let r = self.recorded.get(i)?;
                Some(Closest {
                    cassette: self.cassette_name(r.cassette).to_owned(),
                    event_index: r.event_index,
                    sequence: r.sequence,
                    kind: r.kind.as_str().to_owned(),
                    method: r.method.clone(),
                    url: r.url.clone(),
                    query: report::query_repr(&r.query),
                    distance,
                    mismatches,
                    consumed: consumed.get(i).copied().unwrap_or(false),
                })
            });
        let cassette = cassette.or_else(|| {
            closest
                .as_ref()
                .and_then(|c| self.cassettes.iter().position(|n| n.0 == c.cassette))
        });
        let (name, endpoint) = cassette
            .and_then(|i| self.cassettes.get(i))
            .map(|c| (c.0.clone(), c.1.clone()))
            .unzip();
        MatchOutcome::Miss(Box::new(Miss {
            reason,
            call: CallSummary::of(call),
            cassette: name,
            endpoint,
            closest,
        }))
    }
}

/// The per-signature queue key: type, upper-cased method, URL path.
fn signature_key(kind: &EventKind, method: &str, url: &str) -> String {
    let path = url::split_url(url).path;
    format!(
        "{}\u{0}{}\u{0}{}",
        kind.as_str(),
        method.to_ascii_uppercase(),
        path
    )
}

fn recorded_call(cassette: &Cassette, event: &Event, ci: usize, ei: usize) -> RecordedCall {
    let mut query = event.query.clone();
    query.sort();
    let request_body = cassette
        .document
        .node(event.node)
        .and_then(|n| n.get("signature"))
        .and_then(|s| s.get("body"))
        .and_then(|b| b.get("data"))
        .map(|d| d.to_value());
    RecordedCall {
        cassette: ci,
        event_index: ei,
        sequence: event.sequence,
        kind: event.kind.clone(),
        lib: event.lib.clone(),
        method: event.method.clone(),
        url: event.target.clone().unwrap_or_default(),
        query,
        headers_hash: event.headers_hash.clone().filter(|h| h != hash::HASH_NONE),
        body_hash: event.body_hash.clone().filter(|h| h != hash::HASH_NONE),
        request_body,
    }
}

/// Renders an event's recorded result as Timetracer's replay would send it.
fn render_answer(cassette: &Cassette, event: &Event) -> Answer {
    if let Some(message) = &event.error {
        return Answer {
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
            error: Some(RecordedError {
                message: message.clone(),
                error_type: event.error_type.clone(),
            }),
        };
    }
    let body = event
        .body
        .as_ref()
        .and_then(|b| {
            let node = cassette.document.node(b.data?)?;
            Some(match (&b.encoding, node.kind()) {
                (
                    BodyEncoding::Text | BodyEncoding::Other(_) | BodyEncoding::Bytes,
                    Kind::String,
                ) => node.as_str().unwrap_or_default().into_owned().into_bytes(),
                (BodyEncoding::Base64, Kind::String) => {
                    use base64::Engine as _;
                    base64::engine::general_purpose::STANDARD
                        .decode(node.as_str().unwrap_or_default().as_bytes())
                        .unwrap_or_default()
                }
                _ => hash::python_json_dumps(&node.to_value().collapse_duplicate_keys(), false),
            })
        })
        .unwrap_or_default();
    let status = event
        .status
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..=999).contains(s))
        .unwrap_or(200);
    let mut headers: Vec<NameValue> = event
        .headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("content-length"))
        .cloned()
        .collect();
    headers.push(("content-length".to_owned(), body.len().to_string()));
    Answer {
        status,
        headers,
        body,
        error: None,
    }
}
