//! `convert`: byte-identical for unmodified input, gzip on request, never over the input.

mod util;

use tapedeck_core::format::gzip;
use util::{corpus_file, tapedeck_in};

#[test]
fn convert_gives_identical_bytes_for_every_plain_corpus_file() {
    let dir = tempfile::tempdir().unwrap();
    for group in [
        "fastapi_default",
        "fastapi_bodies_always",
        "flask_requests",
        "django_requests",
    ] {
        let folder = corpus_file(group).join("2026-11-30");
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            let out = dir.path().join("out.json");
            tapedeck_in(
                dir.path(),
                &["convert", path.to_str().unwrap(), "-o", "out.json"],
                None,
            )
            .assert_code(0);
            assert_eq!(
                std::fs::read(&out).unwrap(),
                std::fs::read(&path).unwrap(),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn convert_gzips_on_request_and_ungzips_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus_file("fastapi_gzip/2026-11-30/GET__users_43__f8a34127.json.gz");
    let original = gzip::inflate(&std::fs::read(&input).unwrap(), 1 << 30).unwrap();
    tapedeck_in(
        dir.path(),
        &["convert", input.to_str().unwrap(), "-o", "plain.json"],
        None,
    )
    .assert_code(0);
    assert_eq!(
        std::fs::read(dir.path().join("plain.json")).unwrap(),
        original
    );
    tapedeck_in(
        dir.path(),
        &["convert", "plain.json", "-o", "packed.json.gz"],
        None,
    )
    .assert_code(0);
    let packed = std::fs::read(dir.path().join("packed.json.gz")).unwrap();
    assert!(gzip::is_gzip(&packed));
    assert_eq!(gzip::inflate(&packed, 1 << 30).unwrap(), original);
    tapedeck_in(
        dir.path(),
        &["convert", "plain.json", "-o", "other.bin", "--gzip"],
        None,
    )
    .assert_code(0);
    assert!(gzip::is_gzip(
        &std::fs::read(dir.path().join("other.bin")).unwrap()
    ));
}

#[test]
fn convert_rewrites_compact_json_in_timetracer_layout() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus_file("fastapi_default/2026-11-30/GET__users_42__623fad6a.json");
    let original = std::fs::read(&input).unwrap();
    // Compact, as other JSON writers emit it (serde_json would lose the big integer).
    let doc = tapedeck_core::json::Document::parse(&original).unwrap();
    let compact = tapedeck_core::json::encode_compact(&doc.root().to_value(), false);
    std::fs::write(dir.path().join("compact.json"), compact).unwrap();
    tapedeck_in(dir.path(), &["convert", "compact.json", "-o", "-"], None)
        .assert_code(0)
        .output
        .stdout
        .eq(&original)
        .then_some(())
        .expect("compact input comes back in Timetracer's layout");
}

#[test]
fn convert_refuses_to_overwrite_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus_file("fastapi_default/2026-11-30/GET__users_42__623fad6a.json");
    std::fs::copy(&input, dir.path().join("a.json")).unwrap();
    let run = tapedeck_in(dir.path(), &["convert", "a.json", "-o", "./a.json"], None);
    run.assert_code(2);
    assert!(run.stderr().contains("refusing to overwrite the input"));
    assert_eq!(
        std::fs::read(dir.path().join("a.json")).unwrap(),
        std::fs::read(&input).unwrap()
    );
}

#[test]
fn convert_of_a_broken_file_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.json"), b"{\"schema_version\": ").unwrap();
    let run = tapedeck_in(dir.path(), &["convert", "bad.json", "-o", "out.json"], None);
    run.assert_code(1);
    assert!(run.stderr().contains("bad.json: $.schema_version"));
    assert!(!dir.path().join("out.json").exists());
}
