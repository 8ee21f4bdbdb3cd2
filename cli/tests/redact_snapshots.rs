//! Snapshots of what `redact --report` and `scan --json` print for one corpus cassette with
//! secrets in every scope (headers, cookies, query, body, dependency calls). Review changes with
//! `cargo insta review`; CI never writes snapshots.
#![expect(
    clippy::unwrap_used,
    reason = "test set-up: a failure to copy the fixture is a test failure"
)]

mod util;

const CASSETTE: &str = "fastapi_pii_unredacted/2026-11-30/GET__search__ee50a1c4.json";

fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = util::corpus_file(CASSETTE);
    std::fs::copy(source, dir.path().join("search.json")).unwrap();
    dir
}

#[test]
fn scan_json_lines_of_a_corpus_cassette() {
    let dir = workdir();
    let run = util::tapedeck_in(
        dir.path(),
        &["scan", "--json", "--key", "snapshot-key", "search.json"],
        None,
    );
    run.assert_code(1);
    insta::assert_snapshot!(run.stdout());
}

#[test]
fn redaction_report_of_a_corpus_cassette() {
    let dir = workdir();
    let run = util::tapedeck_in(
        dir.path(),
        &[
            "redact",
            "--key",
            "snapshot-key",
            "--report",
            "report.json",
            "-o",
            "out",
            "search.json",
        ],
        None,
    );
    run.assert_code(0);
    let report = std::fs::read_to_string(dir.path().join("report.json")).unwrap();
    insta::assert_snapshot!(report);
}
