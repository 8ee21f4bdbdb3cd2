//! `tapedeck serve`: the real binary on 127.0.0.1:0, a fake viewer folder
//! (`TAPEDECK_VIEWER_DIR`) and raw HTTP requests, so paths reach the server unnormalised.
#![cfg(feature = "serve")]
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "test harness")]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running `tapedeck serve`, killed on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path, viewer: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tapedeck"))
        .args(["serve", "--port", "0"])
        .arg(dir)
        .env("TAPEDECK_VIEWER_DIR", viewer)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("tapedeck starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no URL in the first line: {line:?}"))
        .to_owned();
    Server { child, addr }
}

/// One raw GET; returns (status, headers lower-cased, body).
fn get(server: &Server, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

fn fixture() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cassettes");
    let viewer = tmp.path().join("viewer");
    std::fs::create_dir_all(dir.join("group/2026-11-30")).unwrap();
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    std::fs::create_dir_all(&viewer).unwrap();
    std::fs::write(dir.join("group/2026-11-30/GET__a__1.json"), b"{\"a\": 1}").unwrap();
    std::fs::write(dir.join("b.json.gz"), b"\x1f\x8b...").unwrap();
    std::fs::write(dir.join("notes.txt"), b"not a cassette").unwrap();
    std::fs::write(dir.join(".hidden/c.json"), b"{}").unwrap();
    std::fs::write(tmp.path().join("secret.json"), b"{\"secret\": true}").unwrap();
    std::fs::write(
        viewer.join("index.html"),
        "<html><head><title>v</title></head></html>",
    )
    .unwrap();
    std::fs::write(viewer.join("app-0123abcd.wasm"), b"\0asm").unwrap();
    (tmp, dir, viewer)
}

#[test]
fn lists_and_serves_only_the_folders_cassettes() {
    let (tmp, dir, viewer) = fixture();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(tmp.path().join("secret.json"), dir.join("link.json")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), dir.join("up")).unwrap();
    }
    let server = start(&dir, &viewer);
    assert!(
        server.addr.starts_with("127.0.0.1:"),
        "binds loopback by default"
    );

    let (status, head, body) = get(&server, "/api/files");
    assert_eq!(status, 200);
    assert!(head.contains("content-security-policy"));
    assert_eq!(
        String::from_utf8(body).unwrap(),
        "b.json.gz\ngroup/2026-11-30/GET__a__1.json\n"
    );

    let (status, head, body) = get(&server, "/api/file/group/2026-11-30/GET__a__1.json");
    assert_eq!((status, body.as_slice()), (200, &b"{\"a\": 1}"[..]));
    assert!(head.contains("content-type: application/json"));
    let (status, head, _) = get(&server, "/api/file/b.json.gz");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/gzip"));
}

#[test]
fn refuses_every_path_outside_the_folder() {
    let (tmp, dir, viewer) = fixture();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(tmp.path().join("secret.json"), dir.join("link.json")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), dir.join("up")).unwrap();
    }
    let server = start(&dir, &viewer);
    for path in [
        "/api/file/../secret.json",
        "/api/file/%2e%2e/secret.json",
        "/api/file/group/..%2F..%2Fsecret.json",
        "/api/file//etc/passwd",
        "/api/file/%2Fetc%2Fpasswd",
        "/api/file/link.json",
        "/api/file/up/secret.json",
        "/api/file/.hidden/c.json",
        "/api/file/notes.txt",
        "/api/file/missing.json",
        "/../secret.json",
        "/%2e%2e/secret.json",
    ] {
        let (status, _, body) = get(&server, path);
        assert!(status == 404 || status == 400, "{path}: {status}");
        assert!(!String::from_utf8_lossy(&body).contains("secret"), "{path}");
    }
}

#[test]
fn serves_the_viewer_marked_for_serve_mode_with_cache_headers() {
    let (_tmp, dir, viewer) = fixture();
    let server = start(&dir, &viewer);
    let (status, head, body) = get(&server, "/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"));
    assert!(head.contains("cache-control: no-cache"));
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("<meta name=\"tapedeck-serve\"")
    );
    let (status, head, _) = get(&server, "/app-0123abcd.wasm");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/wasm"));
    assert!(head.contains("immutable"));
    assert_eq!(get(&server, "/nope.js").0, 404);
}

#[test]
fn a_missing_folder_is_an_error_with_exit_code_2() {
    let (_tmp, _dir, viewer) = fixture();
    let out = Command::new(env!("CARGO_BIN_EXE_tapedeck"))
        .args(["serve", "--port", "0", "/no/such/folder"])
        .env("TAPEDECK_VIEWER_DIR", viewer)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/folder"));
}
