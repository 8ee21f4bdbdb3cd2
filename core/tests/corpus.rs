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

#[test]
fn summaries_equal_the_rows_of_full_decodes() {
    for path in common::corpus_files() {
        let bytes = common::read(&path);
        let full = tapedeck_core::decode(&path, &bytes).unwrap().cassette;
        let row = tapedeck_core::summarize(&path, &bytes).unwrap();
        assert_eq!(
            row,
            tapedeck_core::index::Summary::from_cassette(&full),
            "{path}"
        );
    }
}

#[test]
fn skimmed_containers_still_encode_and_read_as_values() {
    for path in common::corpus_files() {
        let bytes = common::read(&path);
        let text = if gzip::is_gzip(&bytes) {
            gzip::inflate(&bytes, 1 << 30).unwrap()
        } else {
            bytes
        };
        let full = tapedeck_core::json::Document::parse(&text).unwrap();
        let skimmed = tapedeck_core::json::Document::parse_skimming_bodies(&text).unwrap();
        let skimmed_text = tapedeck_core::json::encode_document(&skimmed);
        // Skimmed parts keep their source text; the source is Python's layout already.
        common::assert_same_text(&path, &text, &skimmed_text);
        assert_eq!(full.root().to_value(), skimmed.root().to_value(), "{path}");
    }
}
