//! `tapedeck scan` end to end: exit codes, JSON Lines, SARIF and baselines.
#![expect(
    clippy::expect_used,
    reason = "test helpers: a failure here is a test failure"
)]

use std::path::Path;
use std::process::{Command, Output};

const LEAKY: &str = r#"{"schema_version": "1.0", "session": {"id": "s", "recorded_at": "x"}, "request": {"method": "GET", "path": "/x", "query": {"token": "abc"}}, "response": {"status": 200}, "events": []}"#;
const CLEAN: &str = r#"{"schema_version": "1.0", "session": {"id": "s", "recorded_at": "x"}, "request": {"method": "GET", "path": "/x"}, "response": {"status": 200}, "events": []}"#;

fn tapedeck(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tapedeck"))
        .args(args)
        .current_dir(dir)
        .env("TAPEDECK_REDACT_KEY", "k")
        .output()
        .expect("runs")
}

#[test]
fn exit_codes_say_clean_found_or_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("leaky.json"), LEAKY).unwrap();
    std::fs::write(dir.path().join("clean.json"), CLEAN).unwrap();
    std::fs::write(dir.path().join("broken.json"), "{").unwrap();
    assert_eq!(
        tapedeck(dir.path(), &["scan", "clean.json"]).status.code(),
        Some(0)
    );
    let out = tapedeck(dir.path(), &["scan", "leaky.json"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "leaky.json:1:133: sensitive_key (mask) at $.request.query.token\n"
    );
    assert_eq!(
        tapedeck(dir.path(), &["scan", "broken.json"]).status.code(),
        Some(2)
    );
}

#[test]
fn json_sarif_and_baseline() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("leaky.json"), LEAKY).unwrap();
    let out = tapedeck(dir.path(), &["scan", "leaky.json", "--json"]);
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["rule"], "sensitive_key");
    assert_eq!(line["fingerprint"].as_str().unwrap().len(), 16);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("abc"));
    let out = tapedeck(dir.path(), &["scan", "leaky.json", "--sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "sensitive_key");
    let out = tapedeck(
        dir.path(),
        &["scan", "leaky.json", "--write-baseline", "base.json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let out = tapedeck(
        dir.path(),
        &["scan", "leaky.json", "--baseline", "base.json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
