//! Every real Timetracer cassette in the shared corpus decodes, and encodes back byte for byte.

mod common;

use tapedeck_core::format::gzip;
use tapedeck_core::format::timetracer::build::Recording;

#[test]
fn corpus_is_present_and_complete() {
    let files = common::corpus_files();
    assert_eq!(files.len(), 78, "the corpus README lists 78 cassettes");
    let gzipped = files
        .iter()
        .filter(|f| gzip::is_gzip(&common::read(f)))
        .count();
    assert_eq!(gzipped, 3, "three cassettes are gzip-compressed");
}

#[test]
fn every_corpus_file_decodes_without_warnings() {
    for path in common::corpus_files() {
        let bytes = common::read(&path);
        let decoded = tapedeck_core::decode(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            decoded.warnings.is_empty(),
            "{path}: {:?}",
            decoded.warnings
        );
        assert_eq!(decoded.cassette.compressed, gzip::is_gzip(&bytes));
    }
}

#[test]
fn every_corpus_file_round_trips_byte_for_byte() {
    for path in common::corpus_files() {
        let bytes = common::read(&path);
        let original = if gzip::is_gzip(&bytes) {
            gzip::inflate(&bytes, 1 << 30).unwrap()
        } else {
            bytes.clone()
        };
        let cassette = tapedeck_core::decode(&path, &bytes).unwrap().cassette;
        common::assert_same_text(&path, &original, &tapedeck_core::encode(&cassette));
    }
}

#[test]
fn cassettes_built_in_memory_are_written_as_timetracer_writes_them() {
    for path in common::corpus_files() {
        let bytes = common::read(&path);
        let original = if gzip::is_gzip(&bytes) {
            gzip::inflate(&bytes, 1 << 30).unwrap()
        } else {
            bytes.clone()
        };
        let cassette = tapedeck_core::decode(&path, &bytes).unwrap().cassette;
        let rebuilt = Recording::from_cassette(&cassette).encode();
        common::assert_same_text(&path, &original, &rebuilt);
    }
}

/// The parts of a cassette that do not depend on tape positions.
fn comparable(c: &tapedeck_core::Cassette) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let body = |b: &Option<tapedeck_core::Body>| {
        b.as_ref().map(|b| {
            (
                b.captured,
                b.encoding.clone(),
                b.data.is_some(),
                b.truncated,
                b.size_bytes,
                b.hash.clone(),
            )
        })
    };
    let _ = write!(
        out,
        "{:?}",
        (
            &c.meta,
            &c.request.method,
            &c.request.path,
            &c.request.query,
            &c.request.headers,
            body(&c.request.body)
        )
    );
    let _ = write!(
        out,
        "{:?}",
        (
            c.response.status,
            c.response.duration_ms,
            &c.response.headers,
            body(&c.response.body)
        )
    );
    for e in &c.events {
        let _ = write!(
            out,
            "{:?}",
            (
                e.sequence,
                &e.kind,
                &e.lib,
                &e.method,
                &e.target,
                &e.query,
                e.start_offset_ms,
                e.duration_ms
            )
        );
        let _ = write!(
            out,
            "{:?}",
            (
                e.status,
                &e.headers,
                body(&e.body),
                &e.error,
                &e.error_type,
                &e.headers_hash,
                &e.body_hash
            )
        );
    }
    out
}

#[test]
fn listing_decode_gives_the_same_model_as_full_decode() {
    for path in common::corpus_files() {
        let bytes = common::read(&path);
        let full = tapedeck_core::decode(&path, &bytes).unwrap().cassette;
        let listed = tapedeck_core::decode_for_listing(&path, &bytes)
            .unwrap()
            .cassette;
        assert_eq!(comparable(&full), comparable(&listed), "{path}");
        assert_eq!(
            tapedeck_core::index::Summary::from_cassette(&full),
            tapedeck_core::index::Summary::from_cassette(&listed),
            "{path}"
        );
        // Skimmed bodies still re-encode as their source text and read back as values.
        let data = |c: &tapedeck_core::Cassette| {
            c.response
                .body
                .as_ref()
                .and_then(|b| b.data)
                .and_then(|id| c.document.node(id))
                .map(|n| n.to_value())
        };
        assert_eq!(data(&full), data(&listed), "{path}");
    }
}
