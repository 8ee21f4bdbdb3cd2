//! HAR, VCR.py, Ruby VCR, Betamax and go-vcr through the binary: listing (one row per HAR
//! entry), show, validate, convert to HAR and Timetracer, redact then scan clean.

mod util;

use std::path::{Path, PathBuf};

use util::tapedeck_in;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/formats")
}

fn run(args: &[&str]) -> util::Run {
    let dir = std::env::temp_dir();
    tapedeck_in(&dir, args, None)
}

#[test]
fn ls_lists_one_row_per_har_entry_and_per_vcr_file() {
    let folder = fixtures();
    let out = run(&["ls", "--json", folder.to_str().unwrap()]);
    out.assert_code(0);
    let rows: Vec<serde_json::Value> = out
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 14);
    let files: Vec<&str> = rows.iter().map(|r| r["file"].as_str().unwrap()).collect();
    assert!(
        files.iter().any(|f| f.ends_with("chromium.har#5")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|f| f.ends_with("go-vcr.yaml")),
        "{files:?}"
    );
    let stats = run(&["stats", "--json", folder.to_str().unwrap()]);
    stats.assert_code(0);
    let stats: serde_json::Value = serde_json::from_str(&stats.stdout()).unwrap();
    assert_eq!(stats["total"], 14);
}

#[test]
fn validate_and_show_read_every_format() {
    let folder = fixtures();
    let out = run(&["validate", folder.to_str().unwrap()]);
    out.assert_code(0);
    assert!(
        out.stdout().contains("8 files: 8 valid"),
        "{}",
        out.stdout()
    );
    let har = folder.join("polly.har");
    let show = run(&["show", har.to_str().unwrap()]);
    show.assert_code(0);
    assert_eq!(show.stdout().matches("Cassette: ").count(), 3);
    let vcr = folder.join("vcrpy.yaml");
    let show = run(&["show", "--json", vcr.to_str().unwrap()]);
    show.assert_code(0);
    let view: serde_json::Value = serde_json::from_str(&show.stdout()).unwrap();
    assert_eq!(view["format"], "vcrpy");
}

#[test]
fn convert_writes_har_and_timetracer_and_reencodes_losslessly() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        let input = path.to_str().unwrap();
        tapedeck_in(
            dir.path(),
            &["convert", input, "-o", "out.har", "--to", "har"],
            None,
        )
        .assert_code(0);
        let har: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("out.har")).unwrap()).unwrap();
        assert_eq!(har["log"]["version"], "1.2", "{input}");
        assert!(!har["log"]["entries"].as_array().unwrap().is_empty());
        tapedeck_in(
            dir.path(),
            &["convert", input, "-o", "out.json", "--to", "timetracer"],
            None,
        )
        .assert_code(0);
        let tt = tapedeck_core::decode(
            "out.json",
            &std::fs::read(dir.path().join("out.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(tt.cassette.format, tapedeck_core::Format::Timetracer);
        tapedeck_in(dir.path(), &["convert", input, "-o", "same"], None).assert_code(0);
        let again = std::fs::read(dir.path().join("same")).unwrap();
        let original = std::fs::read(&path).unwrap();
        if path.extension().is_some_and(|e| e == "json" || e == "har") {
            assert!(again == original, "{input}: not byte for byte");
        } else {
            assert_eq!(
                tapedeck_core::decode_file("a", &again).unwrap()[0]
                    .cassette
                    .events
                    .len(),
                tapedeck_core::decode_file("b", &original).unwrap()[0]
                    .cassette
                    .events
                    .len()
            );
        }
    }
}

#[test]
fn redact_then_scan_is_clean_for_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let folder = fixtures();
    let before = run(&["scan", folder.to_str().unwrap()]);
    before.assert_code(1);
    tapedeck_in(
        dir.path(),
        &["redact", folder.to_str().unwrap(), "-o", "clean"],
        None,
    )
    .assert_code(0);
    let after = tapedeck_in(dir.path(), &["scan", "clean"], None);
    after.assert_code(0);
    tapedeck_in(dir.path(), &["validate", "clean"], None).assert_code(0);
}
