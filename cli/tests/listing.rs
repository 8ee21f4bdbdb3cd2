//! `ls`, `stats`, `show` and `validate` over the real corpus, with golden outputs.

mod util;

use util::{corpus_file, tapedeck, tapedeck_in};

#[test]
fn ls_json_over_the_corpus_matches_the_golden_output() {
    let run = tapedeck(&["ls", "--json", "cassettes"]);
    run.assert_code(0);
    assert_eq!(run.stdout().lines().count(), 78);
    insta::assert_snapshot!("ls_json_corpus", run.stdout());
}

#[test]
fn stats_json_over_the_corpus_matches_the_golden_output() {
    let run = tapedeck(&["stats", "--json", "cassettes"]);
    run.assert_code(0);
    insta::assert_snapshot!("stats_json_corpus", run.stdout());
}

#[test]
fn stats_text_names_the_totals() {
    let run = tapedeck(&["stats", "cassettes"]);
    run.assert_code(0);
    let out = run.stdout();
    assert!(out.contains("Cassettes:        78"), "{out}");
    assert!(
        out.contains("Errors:           24 (8 without response)"),
        "{out}"
    );
}

#[test]
fn ls_rows_are_sorted_by_recorded_time() {
    let run = tapedeck(&["ls", "--json", "cassettes"]);
    let times: Vec<String> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["recorded_at"].to_string())
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
}

fn ls_count(args: &[&str]) -> usize {
    let mut full = vec!["ls", "--json", "cassettes"];
    full.extend_from_slice(args);
    let run = tapedeck(&full);
    run.assert_code(0);
    run.stdout().lines().count()
}

#[test]
fn ls_filters_by_method_status_duration_and_text() {
    assert_eq!(ls_count(&["--method", "post"]), 11);
    assert_eq!(ls_count(&["--status", "5xx"]), 9);
    assert_eq!(ls_count(&["--status", "404"]), 6);
    assert_eq!(ls_count(&["--status", "0"]), 8);
    assert_eq!(ls_count(&["--status", "error"]), 24);
    assert_eq!(ls_count(&["--status", "ok"]), 54);
    assert_eq!(ls_count(&["--slow", "1000"]), 5);
    assert_eq!(ls_count(&["--grep", "USERS"]), 8);
    assert_eq!(
        ls_count(&["--method", "GET", "--status", "2xx", "--grep", "fanout"]),
        3
    );
}

#[test]
fn ls_rejects_an_unknown_status_filter() {
    let run = tapedeck(&["ls", "--status", "7xx", "cassettes"]);
    run.assert_code(2);
    assert!(
        run.stderr().contains("unknown status filter"),
        "{}",
        run.stderr()
    );
}

#[test]
fn ls_text_table_has_a_header_and_one_row_per_cassette() {
    let run = tapedeck(&["ls", "cassettes/fastapi_gzip"]);
    run.assert_code(0);
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("TIME"));
    assert!(out.contains("GET     /users/43"), "{out}");
    assert!(out.contains(".json.gz"));
}

#[test]
fn missing_paths_are_usage_errors() {
    let run = tapedeck(&["ls", "no/such/folder"]);
    run.assert_code(2);
    assert!(run.stderr().contains("no/such/folder"));
}

#[test]
fn stdin_is_read_for_a_dash() {
    let bytes = std::fs::read(corpus_file(
        "fastapi_gzip/2026-11-30/GET__users_43__f8a34127.json.gz",
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = tapedeck_in(dir.path(), &["ls", "--json", "-"], Some(&bytes));
    run.assert_code(0);
    assert!(
        run.stdout().contains("\"file\":\"<stdin>\""),
        "{}",
        run.stdout()
    );
}

#[test]
fn one_broken_file_among_a_thousand_is_reported_and_the_rest_listed() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(corpus_file(
        "fastapi_default/2026-11-30/GET__users_42__623fad6a.json",
    ))
    .unwrap();
    for i in 0..999 {
        std::fs::write(dir.path().join(format!("c{i:04}.json")), &good).unwrap();
    }
    std::fs::write(
        dir.path().join("c0500-broken.json"),
        &good[..good.len() / 3],
    )
    .unwrap();
    let run = tapedeck_in(dir.path(), &["ls", "--json", "."], None);
    run.assert_code(1);
    assert_eq!(run.stdout().lines().count(), 999);
    let stderr = run.stderr();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("c0500-broken.json: $."), "{stderr}");
    assert!(stderr.contains("(line "), "{stderr}");
}

#[test]
fn show_summarises_a_cassette_and_its_events() {
    let run = tapedeck(&[
        "show",
        "cassettes/fastapi_default/2026-11-30/GET__search__80f03cdf.json",
    ]);
    run.assert_code(0);
    insta::assert_snapshot!("show_search", run.stdout());
}

#[test]
fn show_explains_a_crash_and_a_failed_dependency() {
    let run = tapedeck(&[
        "show",
        "cassettes/fastapi_default/2026-11-30/GET__connect_error__7e944ae4.json",
    ]);
    run.assert_code(0);
    assert!(
        run.stdout()
            .contains("[ERR] ConnectError: All connection attempts failed")
    );
    let run = tapedeck(&[
        "show",
        "cassettes/fastapi_default/2026-11-30/GET__crash__fd086792.json",
    ]);
    assert!(
        run.stdout()
            .contains("Status: 0 (no response: the application raised)")
    );
}

#[test]
fn show_json_lists_events_with_their_fields() {
    let run = tapedeck(&[
        "show",
        "--json",
        "cassettes/fastapi_default/2026-11-30/GET__cache_7__8ec8f29d.json",
    ]);
    run.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(v["events"].as_array().unwrap().len(), 12);
    assert_eq!(v["events"][0]["type"], "redis");
    assert_eq!(v["events"][0]["method"], "SET");
    assert_eq!(v["events"][0]["target"], "user:7:email");
    assert_eq!(v["status"], 200);
}

#[test]
fn validate_passes_the_corpus_and_lists_every_problem_of_bad_files() {
    tapedeck(&["validate", "cassettes"]).assert_code(0);
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/malformed");
    let run = tapedeck_in(
        &fixtures,
        &["validate", "wrong_types.json", "missing_fields.json"],
        None,
    );
    run.assert_code(1);
    let out = run.stdout();
    assert!(out.contains("wrong_types.json: error: $.response.status (line 30, column 15): expected a number, found a string"), "{out}");
    assert!(out.contains("missing_fields.json: error: $.events[0].signature (line 48, column 20): missing required field `lib`"), "{out}");
    assert!(
        out.ends_with("2 files: 0 valid, 2 with problems, 0 unreadable\n"),
        "{out}"
    );
    assert!(!out.contains("SECRET-VALUE-123"));
}

#[test]
fn validate_reports_inconsistent_stats_as_problems() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(corpus_file(
        "fastapi_default/2026-11-30/GET__users_42__623fad6a.json",
    ))
    .unwrap();
    let bad = good.replace("\"total_events\": 1", "\"total_events\": 3");
    std::fs::write(dir.path().join("x.json"), bad).unwrap();
    let run = tapedeck_in(dir.path(), &["validate", "--json", "x.json"], None);
    run.assert_code(1);
    let v: serde_json::Value = serde_json::from_str(run.stdout().trim()).unwrap();
    assert_eq!(v["json_path"], "$.stats.total_events");
    assert_eq!(v["severity"], "warning");
}
