//! Shared helpers for core's integration tests.
#![allow(dead_code, reason = "each test binary uses a different subset")]
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure here is a test failure"
)]
#![expect(
    clippy::disallowed_methods,
    reason = "tests read fixtures and the corpus from disk; the library itself does no I/O"
)]

use std::path::{Path, PathBuf};

/// The shared corpus folder: `TAPEDECK_CORPUS` if set, else `../shared/corpus` beside the
/// repository. A missing corpus fails the test; it never skips.
pub fn corpus_root() -> PathBuf {
    let root = std::env::var_os("TAPEDECK_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        PathBuf::from,
    );
    assert!(
        root.is_dir(),
        "corpus not found at {} (set TAPEDECK_CORPUS)",
        root.display()
    );
    root
}

/// Every cassette file of the Timetracer corpus, sorted.
pub fn corpus_files() -> Vec<String> {
    let dir = corpus_root().join("timetracer-1.6.0/cassettes");
    let mut out = Vec::new();
    walk(&dir, &mut out);
    out.sort();
    assert!(!out.is_empty(), "no cassettes under {}", dir.display());
    out
}

fn walk(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.to_string_lossy().contains(".json") {
            out.push(path.to_string_lossy().into_owned());
        }
    }
}

/// Asserts equal bytes, printing the first differing line when they are not.
pub fn assert_same_text(name: &str, expected: &[u8], actual: &[u8]) {
    if expected == actual {
        return;
    }
    let expected = String::from_utf8_lossy(expected);
    let actual = String::from_utf8_lossy(actual);
    for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        assert_eq!(e, a, "{name}: first difference at line {}", i + 1);
    }
    panic!(
        "{name}: same lines but lengths differ ({} vs {} bytes)",
        expected.len(),
        actual.len()
    );
}

/// Reads a file the test needs (fixture or corpus).
pub fn read(path: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(path.as_ref()).unwrap()
}
