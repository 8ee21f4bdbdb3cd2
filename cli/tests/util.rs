//! A small harness for running the real `tapedeck` binary in tests.
#![allow(dead_code, reason = "each test binary uses a different subset")]
#![expect(
    clippy::unwrap_used,
    reason = "test harness: a failure to start the binary is a test failure"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The shared corpus: `TAPEDECK_CORPUS` or `../shared/corpus` beside the repository. A missing
/// corpus fails the test; it never skips.
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

/// `<corpus>/timetracer-1.6.0`, the folder the golden outputs are taken from.
pub fn timetracer_corpus() -> PathBuf {
    corpus_root().join("timetracer-1.6.0")
}

pub fn corpus_file(relative: &str) -> PathBuf {
    timetracer_corpus().join("cassettes").join(relative)
}

/// The finished run of a command.
pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }
    /// Asserts the exit code, showing both streams when it differs.
    pub fn assert_code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code(),
            expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// Runs `tapedeck ARGS` in `dir`, feeding `stdin`.
pub fn tapedeck_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tapedeck"))
        .args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(bytes) = stdin {
        use std::io::Write as _;
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    Run {
        output: child.wait_with_output().unwrap(),
    }
}

pub fn tapedeck(args: &[&str]) -> Run {
    tapedeck_in(&timetracer_corpus(), args, None)
}
