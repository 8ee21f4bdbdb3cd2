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
