//! Archives from `write_zip` open in another implementation: Python's `zipfile` tests every
//! entry's checksum, lists the names with the fixed timestamp, and extracts the same bytes
//! into the same folders.
#![cfg(not(target_arch = "wasm32"))]
#![expect(
    clippy::disallowed_methods,
    reason = "the test writes an archive to a temporary folder; core itself stays pure"
)]
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: a failure here is a test failure"
)]
#![expect(
    clippy::disallowed_types,
    reason = "the test runs python3 on the archive; core itself starts no processes"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use tapedeck_core::archive::write_zip;

/// A fresh folder under the system temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("tapedeck-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn python_zipfile(args: &[&Path]) -> String {
    let output = Command::new("python3")
        .args(["-m", "zipfile"])
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "python3 -m zipfile {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn files() -> Vec<(&'static str, Vec<u8>)> {
    let noise: Vec<u8> = (0u32..3000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0])
        .collect();
    vec![
        (
            "fastapi/2026-11-30/GET__users_42__1.json",
            br#"{"path": "/users/42", "status": 200}"#.repeat(50),
        ),
        ("fastapi/2026-11-30/empty.json", Vec::new()),
        ("har/recording.har", noise),
        ("ünïcødé/名前.yaml", b"interactions: []\n".to_vec()),
        ("top.json", b"{}".to_vec()),
    ]
}

#[test]
fn python_zipfile_tests_lists_and_extracts_the_archive() {
    let dir = TempDir::new("zip-write");
    let files = files();
    let archive = write_zip(files.iter().map(|(n, b)| (*n, b.as_slice()))).unwrap();
    let zip_path = dir.0.join("redacted.zip");
    std::fs::write(&zip_path, &archive).unwrap();

    let tested = python_zipfile(&[Path::new("-t"), &zip_path]);
    assert!(tested.contains("Done testing"), "{tested}");
    assert!(!tested.contains("corrupted"), "{tested}");

    let listing = python_zipfile(&[Path::new("-l"), &zip_path]);
    for (name, bytes) in &files {
        let row = listing
            .lines()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{listing}"));
        assert!(row.contains("1980-01-01 00:00:00"), "{row}");
        assert!(row.trim_end().ends_with(&bytes.len().to_string()), "{row}");
    }

    let out = dir.0.join("out");
    python_zipfile(&[Path::new("-e"), &zip_path, &out]);
    for (name, bytes) in &files {
        assert_eq!(&std::fs::read(out.join(name)).unwrap(), bytes, "{name}");
    }
}
