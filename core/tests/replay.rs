//! Replay against the real corpus: every recorded call answers itself in order, and every
//! scenario of Timetracer's own replay logs (`reference/replay/*.log`) gives its text.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: an unreadable corpus file is a test failure"
)]

mod common;

use proptest::prelude::*;
use tapedeck_core::replay::{
    BodyHashMatcher, Call, HeadersMatcher, HostMatcher, JsonBodyMatcher, KindMatcher, MatchOptions,
    MatchOutcome, MatchPolicy, Matched, Matcher, MethodMatcher, Miss, MissReason, Ordering,
    PathMatcher, QueryMatcher, RecordedCall, Replayer, hash,
};
use tapedeck_core::{Cassette, EventKind};

const USERS_42: &str = "fastapi_default/2026-11-30/GET__users_42__623fad6a.json";
const FANOUT: &str = "fastapi_default/2026-11-30/GET__fanout__060a2b88.json";
const CACHE_7: &str = "fastapi_default/2026-11-30/GET__cache_7__8ec8f29d.json";
const CONNECT_ERROR: &str = "fastapi_default/2026-11-30/GET__connect_error__7e944ae4.json";
const MISC: &str = "fastapi_default/2026-11-30/GET__misc__bce6b28b.json";

fn cassette(relative: &str) -> Cassette {
    let path = common::corpus_root()
        .join("timetracer-1.6.0/cassettes")
        .join(relative);
    let bytes = common::read(&path);
    // Name it as Timetracer's logs do once absolute paths are replaced.
    let name = format!("<CORPUS_ROOT>/cassettes/{relative}");
    tapedeck_core::decode(&name, &bytes).unwrap().cassette
}

/// The call the recorded event describes, as the application would send it again.
fn call_for(c: &Cassette, index: usize) -> Call {
    let e = &c.events[index];
    let url = e.target.clone().unwrap_or_default();
    Call {
        kind: e.kind.clone(),
        lib: Some(e.lib.clone()),
        method: e.method.clone(),
        url,
        query: e.query.clone(),
        headers: Vec::new(),
        body: Vec::new(),
    }
}

fn http(lib: &str, method: &str, url: &str) -> Call {
    let mut call = Call::http(method, url);
    call.lib = Some(lib.to_owned());
    call
}

fn matched(outcome: MatchOutcome) -> Matched {
    match outcome {
        MatchOutcome::Matched(m) => m,
        MatchOutcome::Miss(miss) => panic!("expected a match, got:\n{}", miss.message()),
    }
}

fn missed(outcome: MatchOutcome) -> Box<Miss> {
    match outcome {
        MatchOutcome::Matched(m) => panic!("expected a miss, got event #{}", m.event_index),
        MatchOutcome::Miss(miss) => miss,
    }
}

/// The Timetracer part of a message: everything before our own additions.
fn timetracer_part(message: &str) -> &str {
    let end = [
        message.find("\n\ndifferences:"),
        message.find("\n\nclosest recorded call:"),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(message.len());
    &message[..end]
}

#[test]
fn every_corpus_event_answers_itself_in_order_under_timetracer_policy() {
    let mut answered = 0;
    let mut http = 0;
    for file in common::corpus_files() {
        let bytes = common::read(&file);
        let c = tapedeck_core::decode(&file, &bytes).unwrap().cassette;
        let replayer = Replayer::new(&c, MatchPolicy::timetracer());
        for i in 0..c.events.len() {
            let m = matched(replayer.answer(&call_for(&c, i)));
            assert_eq!(m.event_index, i, "{file}");
            assert!(m.mismatches.is_empty(), "{file} #{i}: {:?}", m.mismatches);
            assert_eq!(m.answer.error.is_some(), c.events[i].error.is_some());
            answered += 1;
            http += usize::from(c.events[i].kind == EventKind::HttpClient);
        }
        assert_eq!(replayer.unconsumed(), 0, "{file}");
        if let Some(last) = c.events.len().checked_sub(1) {
            let miss = missed(replayer.answer(&call_for(&c, last)));
            assert_eq!(
                miss.reason,
                MissReason::NoMoreEvents {
                    event_index: c.events.len()
                }
            );
        }
    }
    // 173 events in the corpus, 143 of them http.client.
    assert_eq!(answered, 173);
    assert_eq!(http, 143);
}

#[test]
fn answers_carry_recorded_status_headers_and_python_dumps_body() {
    let c = cassette(USERS_42);
    let replayer = Replayer::new(&c, MatchPolicy::timetracer());
    let m = matched(replayer.answer(&http("httpx", "GET", "http://127.0.0.1:18080/users/42")));
    assert_eq!(m.answer.status, 200);
    assert_eq!(m.answer.body.len(), 1385);
    // sha256 of Python's json.dumps(data) for this event, computed with Python 3.11.
    assert_eq!(
        hash::hash_bytes(&m.answer.body),
        "sha256:895ee48d7716e3243ba015073aff90e8dff6619e6aaddaa747edb7835d7666a8"
    );
    assert_eq!(
        m.answer.headers,
        vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("x-request-id".to_owned(), "up-users-42".to_owned()),
            ("content-length".to_owned(), "1385".to_owned()),
        ]
    );
}

#[test]
fn nan_bodies_and_bodiless_answers_follow_python() {
    let c = cassette(MISC);
    let replayer = Replayer::new(&c, MatchPolicy::timetracer());
    let sizes: Vec<(u16, usize, String)> = (0..c.events.len())
        .map(|i| {
            let m = matched(replayer.answer(&call_for(&c, i)));
            (
                m.answer.status,
                m.answer.body.len(),
                hash::hash_bytes(&m.answer.body),
            )
        })
        .collect();
    assert_eq!(sizes[0].1, 47);
    assert_eq!((sizes[1].0, sizes[1].1), (204, 0));
    assert_eq!((sizes[2].0, sizes[2].1), (302, 0));
    assert_eq!(
        sizes[4].2,
        "sha256:b4dc0346b67f764ca29ded628db8f6df73d1db193e7a5bd7914c7dfa3b673086"
    );
}

// reference/replay/fastapi_fanout_more_calls.log
#[test]
fn more_calls_than_recorded_gives_timetracers_error() {
    let c = cassette(FANOUT);
    let replayer = Replayer::new(&c, MatchPolicy::timetracer());
    for i in 0..20 {
        matched(replayer.answer(&http(
            "httpx",
            "GET",
            &format!("http://127.0.0.1:18080/search?q=item{i}"),
        )));
    }
    let miss = missed(replayer.answer(&http(
        "httpx",
        "GET",
        "http://127.0.0.1:18080/search?q=item20",
    )));
    let expected = "Unexpected http.client call: no more events in cassette

cassette: <CORPUS_ROOT>/cassettes/fastapi_default/2026-11-30/GET__fanout__060a2b88.json
endpoint: GET /fanout
event index: #20

actual:
  lib: httpx
  method: GET
  url: http://127.0.0.1:18080/search
  query: {'q': 'item20'}
  body_hash: None

hint: Your code is making more dependency calls than recorded. Re-record the cassette.";
    let message = miss.message();
    assert_eq!(timetracer_part(&message), expected);
    // Beyond Timetracer: the nearest recording, already consumed.
    let closest = miss.closest.as_ref().unwrap();
    assert!(closest.consumed);
    assert!(
        message.contains("closest recorded call: event #0 (eid 1)"),
        "{message}"
    );
}

// reference/replay/fastapi_fanout_fewer_calls.log: not an error, 5 left unconsumed.
#[test]
fn fewer_calls_than_recorded_leaves_events_unconsumed() {
    let c = cassette(FANOUT);
    let replayer = Replayer::new(&c, MatchPolicy::timetracer());
    for i in 0..15 {
        matched(replayer.answer(&http(
            "httpx",
            "GET",
            &format!("http://127.0.0.1:18080/search?q=item{i}"),
        )));
    }
    assert_eq!(replayer.unconsumed(), 5);
}

// reference/replay/fastapi_type_mismatch.log
#[test]
fn type_mismatch_gives_timetracers_error() {
    let c = cassette(CACHE_7);
    let replayer = Replayer::new(&c, MatchPolicy::timetracer());
    let miss = missed(replayer.answer(&http("httpx", "GET", "http://127.0.0.1:18080/users/42")));
    let expected = "Event type mismatch at event #0

cassette: <CORPUS_ROOT>/cassettes/fastapi_default/2026-11-30/GET__cache_7__8ec8f29d.json
endpoint: GET /cache/7
event index: #0

expected:
  type: redis

actual:
  type: http.client

hint: Call order or type has changed. Re-record the cassette.";
    assert_eq!(timetracer_part(&miss.message()), expected);
}

// reference/replay/fastapi_users_url_mismatch_strict.log
#[test]
fn url_mismatch_strict_gives_timetracers_error_and_the_differing_field() {
    let c = cassette(USERS_42);
    let replayer = Replayer::new(&c, MatchPolicy::timetracer());
    let miss = missed(replayer.answer(&http("httpx", "GET", "http://127.0.0.1:18080/users/43")));
    let expected = "http.client mismatch at event #0

cassette: <CORPUS_ROOT>/cassettes/fastapi_default/2026-11-30/GET__users_42__623fad6a.json
endpoint: GET /users/42
event index: #0

expected:
  url: http://127.0.0.1:18080/users/42

actual:
  url: http://127.0.0.1:18080/users/43

hint: Your dependency call changed (endpoint/method). Re-record cassette or disable strict replay.";
    let message = miss.message();
    assert_eq!(timetracer_part(&message), expected);
    let closest = miss.closest.as_ref().unwrap();
    assert_eq!(closest.mismatches.len(), 1);
    assert!(message.contains("differs in: url"), "{message}");
    // A miss does not consume: the right call still gets its answer.
    matched(replayer.answer(&http("httpx", "GET", "http://127.0.0.1:18080/users/42")));
}

// reference/replay/fastapi_users_url_mismatch_lenient.log: /users/43 gets user 42's data.
#[test]
fn url_mismatch_lenient_answers_the_recorded_event_anyway() {
    let c = cassette(USERS_42);
    let policy = MatchPolicy::from_options(MatchOptions {
        strict: false,
        ..MatchOptions::default()
    })
    .unwrap();
    let replayer = Replayer::new(&c, policy);
    let m = matched(replayer.answer(&http("httpx", "GET", "http://127.0.0.1:18080/users/43")));
    assert_eq!(m.answer.body.len(), 1385);
    assert_eq!(m.mismatches.len(), 1);
    assert_eq!(m.mismatches[0].actual, "http://127.0.0.1:18080/users/43");
}

// reference/replay/fastapi_users_upstream_port_changed.log
#[test]
fn moved_upstream_fails_like_timetracer_unless_the_host_is_ignored() {
    let c = cassette(USERS_42);
    let replayer = Replayer::new(&c, MatchPolicy::timetracer());
    let moved = http("httpx", "GET", "http://127.0.0.1:18280/users/42");
    let miss = missed(replayer.answer(&moved));
    assert!(
        timetracer_part(&miss.message()).ends_with(
            "expected:
  url: http://127.0.0.1:18080/users/42

actual:
  url: http://127.0.0.1:18280/users/42

hint: Your dependency call changed (endpoint/method). Re-record cassette or disable strict replay."
        ),
        "{}",
        miss.message()
    );
    let ignoring = MatchPolicy::from_options(MatchOptions {
        match_host: false,
        ..MatchOptions::default()
    })
    .unwrap();
    let replayer = Replayer::new(&c, ignoring);
    matched(replayer.answer(&moved));
}

// reference/replay/fastapi_connect_error_replayed.log
#[test]
fn recorded_errors_are_answered_as_errors() {
    let c = cassette(CONNECT_ERROR);
    let replayer = Replayer::new(&c, MatchPolicy::timetracer());
    let m = matched(replayer.answer(&http("httpx", "GET", "http://127.0.0.1:18099/anything")));
    let error = m.answer.error.as_ref().unwrap();
    assert_eq!(error.message, "All connection attempts failed");
    assert_eq!(error.error_type.as_deref(), Some("ConnectError"));
}

#[test]
fn queues_serve_repeated_calls_in_order_and_skip_other_types() {
    let fanout = cassette(FANOUT);
    let cache = cassette(CACHE_7);
    let users = cassette(USERS_42);
    let policy = MatchPolicy::from_options(MatchOptions {
        ordering: Ordering::PerSignature,
        match_host: false,
        match_query: true,
        kinds: Some(vec![EventKind::HttpClient]),
        ..MatchOptions::default()
    })
    .unwrap();
    let replayer = Replayer::from_cassettes([&cache, &fanout, &users], policy);
    assert_eq!(replayer.recorded().len(), 21);
    matched(replayer.answer(&Call::http("GET", "/users/42")));
    for i in (0..20).rev() {
        let m = matched(replayer.answer(&Call::http("GET", &format!("/search?q=item{i}"))));
        assert_eq!(m.event_index, i);
    }
    let miss = missed(replayer.answer(&Call::http("GET", "/search?q=item3")));
    assert_eq!(miss.reason, MissReason::NoMatch);
    assert!(miss.closest.as_ref().unwrap().consumed);
    let json =
        String::from_utf8(tapedeck_core::json::encode_compact(&miss.to_json(), false)).unwrap();
    assert!(json.contains(r#""reason":"no_match""#), "{json}");
}

#[test]
fn any_order_miss_names_closest_call_and_every_differing_field() {
    let c = cassette(FANOUT);
    let policy = MatchPolicy::from_options(MatchOptions {
        ordering: Ordering::AnyOrder,
        match_query: true,
        ..MatchOptions::default()
    })
    .unwrap();
    let replayer = Replayer::new(&c, policy);
    let miss = missed(replayer.answer(&http(
        "httpx",
        "POST",
        "http://127.0.0.1:18080/search?q=item7&api_key=SECRET",
    )));
    let closest = miss.closest.as_ref().unwrap();
    assert_eq!(closest.event_index, 7);
    let fields: Vec<&str> = closest.mismatches.iter().map(|m| m.field.name()).collect();
    assert_eq!(fields, ["method", "query"]);
    let message = miss.message();
    assert!(!message.contains("SECRET"), "{message}");
}

#[test]
fn repeats_answer_again_when_allowed() {
    let c = cassette(USERS_42);
    let policy = MatchPolicy::from_options(MatchOptions {
        allow_repeats: true,
        ..MatchOptions::default()
    })
    .unwrap();
    let replayer = Replayer::new(&c, policy);
    let call = http("httpx", "GET", "http://127.0.0.1:18080/users/42");
    assert!(!matched(replayer.answer(&call)).repeated);
    assert!(matched(replayer.answer(&call)).repeated);
    replayer.reset();
    assert_eq!(replayer.unconsumed(), 1);
}

#[test]
fn replayer_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Replayer>();
}

fn all_matchers() -> Vec<Box<dyn Matcher>> {
    vec![
        Box::new(KindMatcher),
        Box::new(MethodMatcher),
        Box::new(PathMatcher),
        Box::new(HostMatcher),
        Box::new(QueryMatcher),
        Box::new(HeadersMatcher::default()),
        Box::new(BodyHashMatcher),
        Box::new(JsonBodyMatcher::default()),
    ]
}

proptest! {
    // A recorded call matches itself with no mismatches, on every criterion.
    #[test]
    fn a_recorded_call_matches_itself(
        method in "(GET|POST|PUT|DELETE|PATCH)",
        host in "[a-z]{1,8}(:[0-9]{2,5})?",
        path in "(/[a-zA-Z0-9_.-]{0,6}){1,4}",
        query in proptest::collection::vec(("[a-z]{1,4}", "[a-zA-Z0-9 é]{1,5}"), 0..5),
        headers in proptest::collection::vec(
            ("(accept|user-agent|x-request-id|x-other)", "[ -~]{0,12}"), 0..4),
        json_body in proptest::option::of(proptest::collection::vec(("[a-z]{1,3}", 0i64..100), 0..4)),
    ) {
        let body = json_body.map(|members| {
            let inner: Vec<String> = members.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            format!("{{{}}}", inner.join(", ")).into_bytes()
        }).unwrap_or_default();
        let url = format!("http://{host}{path}");
        let call = Call {
            kind: EventKind::HttpClient,
            lib: None,
            method: method.clone(),
            url: url.clone(),
            query: query.clone(),
            headers: headers.clone(),
            body: body.clone(),
        };
        let mut sorted = query;
        sorted.sort();
        let recorded = RecordedCall {
            kind: EventKind::HttpClient,
            method,
            url,
            query: sorted,
            headers_hash: hash::headers_hash(&headers, &hash::HEADER_ALLOW_LIST),
            body_hash: (!body.is_empty()).then(|| hash::hash_bytes(&body)),
            ..RecordedCall::default()
        };
        let mut out = Vec::new();
        for m in all_matchers() {
            m.mismatches(&call, &recorded, &mut out);
        }
        prop_assert!(out.is_empty(), "{:?}", out);
    }
}
