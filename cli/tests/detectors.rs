//! `tapedeck detectors` end to end: the precision and recall table and its exit code.
#![expect(
    clippy::expect_used,
    reason = "test helpers: a failure here is a test failure"
)]

use std::process::{Command, Output};

fn tapedeck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tapedeck"))
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn prints_precision_and_recall_of_every_detector_and_exits_0_when_all_are_perfect() {
    let out = tapedeck(&["detectors"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert!(stdout.contains("detector                   TP     FP     FN precision    recall"));
    for name in [
        "email",
        "payment_card",
        "aws_secret_key",
        "high_entropy_secret",
    ] {
        let row = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no row for {name} in\n{stdout}"));
        assert!(row.ends_with("     0      0     1.000     1.000"), "{row}");
    }
    let total = stdout.lines().last().expect("a total row");
    assert!(total.starts_with("total"), "{total}");
    assert_eq!(stdout.lines().filter(|l| l.ends_with("1.000")).count(), 23);
}

#[test]
fn json_lines_give_one_object_per_detector() {
    let out = tapedeck(&["detectors", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let rows: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(rows.len(), 22);
    assert_eq!(rows[0]["detector"], "email");
    assert!(
        rows.iter()
            .all(|r| r["precision"] == 1.0 && r["recall"] == 1.0)
    );
}
