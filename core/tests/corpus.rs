//! Every real Timetracer cassette in the shared corpus decodes, and encodes back byte for byte.

mod common;

use tapedeck_core::format::gzip;
use tapedeck_core::format::timetracer::build::Recording;

#[test]
fn corpus_is_present_and_complete() {
    let files = common::corpus_files();
    assert_eq!(files.len(), 78, "the corpus README lists 78 cassettes");
    assert_eq!(files.iter().filter(|f| f.ends_with(".gz")).count(), 3);
}

#[test]
fn every_corpus_file_decodes_without_warnings() {
    for path in common::corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
        let decoded = tapedeck_core::decode(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            decoded.warnings.is_empty(),
            "{path}: {:?}",
            decoded.warnings
        );
        assert_eq!(decoded.cassette.compressed, path.ends_with(".gz"));
    }
}

#[test]
fn every_corpus_file_round_trips_byte_for_byte() {
    for path in common::corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
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
        let bytes = std::fs::read(&path).unwrap();
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
