//! `tapedeck redact` end to end: the real binary in a temporary folder.
#![expect(
    clippy::expect_used,
    reason = "test helpers: a failure here is a test failure"
)]

use std::path::Path;
use std::process::{Command, Output};

const CASSETTE: &str = "{\n  \"schema_version\": \"1.0\",\n  \"session\": {\n    \"id\": \"s\",\n    \"recorded_at\": \"2026-11-30T07:25:12+00:00\"\n  },\n  \"request\": {\n    \"method\": \"GET\",\n    \"path\": \"/x\",\n    \"headers\": {\n      \"authorization\": \"Bearer abc\"\n    },\n    \"query\": {\n      \"api_key\": \"KEY123\"\n    }\n  },\n  \"response\": {\n    \"status\": 200,\n    \"duration_ms\": 1.0\n  },\n  \"events\": []\n}";

fn tapedeck(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tapedeck"))
        .args(args)
        .current_dir(dir)
        .env_remove("TAPEDECK_REDACT_KEY")
        .output()
        .expect("runs")
}

#[test]
fn writes_redacted_copies_mirroring_folders_and_never_touches_originals() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("in/day")).unwrap();
    std::fs::write(dir.path().join("in/day/a.json"), CASSETTE).unwrap();
    std::fs::write(
        dir.path().join("in/day/b.json.gz"),
        tapedeck_core::format::gzip::deflate(CASSETTE.as_bytes()),
    )
    .unwrap();
    let out = tapedeck(
        dir.path(),
        &["redact", "in", "-o", "out", "--report", "report.json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = std::fs::read_to_string(dir.path().join("out/day/a.json")).unwrap();
    assert!(
        a.contains("\"authorization\": \"Bearer [REDACTED]\""),
        "{a}"
    );
    assert!(a.contains("\"api_key\": \"[REDACTED]\""), "{a}");
    let b = std::fs::read(dir.path().join("out/day/b.json.gz")).unwrap();
    assert!(tapedeck_core::format::gzip::is_gzip(&b));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("in/day/a.json")).unwrap(),
        CASSETTE
    );
    let report = std::fs::read_to_string(dir.path().join("report.json")).unwrap();
    assert!(report.contains("\"rule\": \"sensitive_key\""), "{report}");
    assert!(
        !report.contains("KEY123") && !report.contains("abc"),
        "{report}"
    );
}

#[test]
fn in_place_replaces_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.json");
    std::fs::write(&file, CASSETTE).unwrap();
    let out = tapedeck(dir.path(), &["redact", "a.json", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("a.json: would redact 2 values"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), CASSETTE);
    let out = tapedeck(dir.path(), &["redact", "a.json", "--in-place"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("[REDACTED]")
    );
}

#[test]
fn refuses_to_run_without_a_destination_or_with_a_bad_policy() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), CASSETTE).unwrap();
    assert_eq!(
        tapedeck(dir.path(), &["redact", "a.json"]).status.code(),
        Some(2)
    );
    std::fs::write(dir.path().join("p.toml"), "[detectors]\nemail = \"hmac\"\n").unwrap();
    let out = tapedeck(
        dir.path(),
        &["redact", "a.json", "--dry-run", "--policy", "p.toml"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("detectors.email"));
    let out = tapedeck(dir.path(), &["redact", "a.json", "-o", "a.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn prints_the_default_policy() {
    let dir = tempfile::tempdir().unwrap();
    let out = tapedeck(dir.path(), &["redact", "--print-default-policy"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, tapedeck_core::redact::DEFAULT_POLICY);
}
