//! Interop with Python Timetracer 1.6.0: a cassette recorded by Tapedeck's tower layer and
//! reqwest middleware replays under Timetracer (a FastAPI app using httpx gets the recorded
//! answer with the upstream stopped). The work is done by `tests/interop/run.sh`, which
//! installs Timetracer from the Python package index into a venv cached under the target folder.
//!
//! Needs `bash` and `python3` (3.9+) with `venv` and `pip`; when they are missing the test
//! fails, it never skips.

use std::path::Path;
use std::process::Command;

#[test]
fn tapedeck_recordings_replay_under_timetracer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // The test binary sits in <target>/<profile>/deps; the venv is cached in <target>.
    let venv = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("interop-venv")))
        .unwrap_or_else(|| root.join("target/interop-venv"));
    let output = Command::new("bash")
        .arg(root.join("tests/interop/run.sh"))
        .env("INTEROP_VENV", &venv)
        .current_dir(&root)
        .output();
    let output = match output {
        Ok(output) => output,
        Err(err) => panic!("cannot run bash tests/interop/run.sh: {err}"),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "interop script failed ({}):\n{stderr}",
        output.status
    );
    assert!(stderr.contains("interop: OK"), "{stderr}");
}
