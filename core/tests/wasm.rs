//! Core compiled to wasm32 and run by wasm-bindgen's test runner (under Node): the same
//! decoding, filtering, sorting, timeline and archive code the viewer runs in the browser.
//!
//! `cargo test -p tapedeck_core --target wasm32-unknown-unknown --test wasm`
#![cfg(target_arch = "wasm32")]
#![expect(clippy::unwrap_used, reason = "tests")]

use tapedeck_core::index::{Filter, Sort, SortKey, Stats, StatusFilter, Summary};
use tapedeck_core::timeline::Timeline;
use wasm_bindgen_test::wasm_bindgen_test;

const PARALLEL: &[u8] =
    include_bytes!("../../static/samples/fastapi_default/GET__fanout_parallel__ba70722f.json");
const CRASH: &[u8] =
    include_bytes!("../../static/samples/fastapi_default/GET__crash__fd086792.json");
const GZIP: &[u8] =
    include_bytes!("../../static/samples/fastapi_gzip/GET__users_43__f8a34127.json.gz");
const TRUNCATED: &[u8] = include_bytes!("fixtures/malformed/truncated.json");

#[wasm_bindgen_test]
fn decodes_plain_and_gzip_cassettes_and_reencodes_losslessly() {
    let plain = tapedeck_core::decode("parallel.json", PARALLEL).unwrap();
    assert_eq!(plain.cassette.events.len(), 8);
    assert_eq!(tapedeck_core::encode(&plain.cassette), PARALLEL);
    let gz = tapedeck_core::decode("users.json.gz", GZIP).unwrap();
    assert!(gz.cassette.compressed);
    assert_eq!(gz.cassette.request.path, "/users/43");
}

#[wasm_bindgen_test]
fn reports_a_broken_file_with_its_place() {
    let err = tapedeck_core::decode("truncated.json", TRUNCATED).unwrap_err();
    assert!(err.to_string().starts_with("truncated.json: $"), "{err}");
}

#[wasm_bindgen_test]
fn filters_sorts_and_counts_rows() {
    let rows: Vec<Summary> = [PARALLEL, CRASH, GZIP]
        .iter()
        .map(|b| Summary::from_cassette(&tapedeck_core::decode("x.json", b).unwrap().cassette))
        .collect();
    let errors = Filter {
        status: Some(StatusFilter::Error),
        ..Filter::default()
    };
    assert_eq!(errors.apply(&rows).len(), 1);
    let by_duration = Sort {
        key: SortKey::Duration,
        descending: true,
    }
    .sorted_indices(&rows);
    assert_eq!(rows[by_duration[0]].path, "/fanout-parallel");
    let stats = Stats::compute(&rows);
    assert_eq!((stats.total, stats.errors), (3, 1));
}

#[wasm_bindgen_test]
fn lays_out_concurrent_calls_on_lanes() {
    let c = tapedeck_core::decode("parallel.json", PARALLEL)
        .unwrap()
        .cassette;
    let t = Timeline::layout(&c.events, c.response.duration_ms);
    assert_eq!(t.bars.len(), 8);
    assert!(t.lanes > 1);
}

/// A cassette holding secrets in a header, a query string and a body.
const SECRETS: &str = r#"{
  "schema_version": "1.0",
  "session": {"id": "s", "recorded_at": "2026-11-30T07:25:12+00:00"},
  "request": {"method": "GET", "path": "/x", "query": {"api_key": "KEY123"},
    "headers": {"authorization": "Bearer abc.def.ghi"}},
  "response": {"status": 200, "duration_ms": 1.0, "body": {"_captured": true, "encoding": "json",
    "data": {"notes": "mail bob.smith@example.org, ip 10.20.30.40", "ssn": "123-45-6789", "page": 2}}},
  "events": []
}"#;

#[wasm_bindgen_test]
fn redacts_every_secret_and_a_second_pass_changes_nothing() {
    use tapedeck_core::redact::RedactorBuilder;
    let redactor = RedactorBuilder::new().build().unwrap();
    let first = redactor.redact(SECRETS.as_bytes()).unwrap();
    let text = String::from_utf8(first.output.clone()).unwrap();
    for secret in [
        "KEY123",
        "abc.def.ghi",
        "bob.smith@example.org",
        "10.20.30.40",
        "123-45-6789",
    ] {
        assert!(!text.contains(secret), "{secret} survived: {text}");
    }
    assert!(text.contains("[REDACTED:EMAIL]") && text.contains("\"page\": 2"));
    assert!(first.findings.len() >= 5);
    let second = redactor.redact(&first.output).unwrap();
    assert_eq!(second.output, first.output);
}
