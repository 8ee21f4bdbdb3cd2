//! The HTTP server behind `tapedeck serve`: the viewer's files (embedded in the binary at build
//! time) and a read-only API over one folder's cassettes.
//!
//! Routes (all relative, so the viewer works behind any path prefix):
//! - `GET /` and the viewer's files; `index.html` is marked with
//!   `<meta name="tapedeck-serve">` so the viewer fetches the folder's cassettes at start.
//! - `GET /api/files`: the folder's cassette files, one relative path per line.
//! - `GET /api/file/<relative path>`: one cassette's bytes.
//!
//! Only cassette files inside the folder are ever read: `..`, absolute paths, hidden entries
//! and symlinks leading outside the folder are refused.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tapedeck_core::archive::is_cassette_name;

/// The viewer's files, from `web/dist` when this binary was built (see `build.rs`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/viewer_assets.rs"));
}

/// The Content-Security-Policy sent with every answer (the same as docs/hosting.md's).
pub const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Where the viewer's files come from.
#[derive(Clone, Debug)]
pub enum Viewer {
    Embedded,
    /// A built `web/dist` on disk (`TAPEDECK_VIEWER_DIR`, for development and tests).
    Dir(PathBuf),
}

impl Viewer {
    /// The embedded viewer, or the folder in `TAPEDECK_VIEWER_DIR`; an error saying how to
    /// build the viewer when neither is there.
    pub fn find() -> anyhow::Result<Viewer> {
        if let Some(dir) = std::env::var_os("TAPEDECK_VIEWER_DIR") {
            let dir = PathBuf::from(dir);
            anyhow::ensure!(
                dir.join("index.html").is_file(),
                "TAPEDECK_VIEWER_DIR={} holds no index.html",
                dir.display()
            );
            return Ok(Viewer::Dir(dir));
        }
        anyhow::ensure!(
            embedded::ASSETS
                .iter()
                .any(|(name, _)| *name == "index.html"),
            "this tapedeck was built without the viewer: run `trunk build --release` in web/ \
             (tools/setup-web-toolchain.sh installs trunk), then rebuild tapedeck \
             (`cargo build --release -p tapedeck_cli`)"
        );
        Ok(Viewer::Embedded)
    }

    fn asset(&self, name: &str) -> Option<Cow<'static, [u8]>> {
        match self {
            Viewer::Embedded => embedded::ASSETS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, bytes)| Cow::Borrowed(*bytes)),
            Viewer::Dir(dir) => {
                let rel = safe_relative(name)?;
                std::fs::read(dir.join(rel)).ok().map(Cow::Owned)
            }
        }
    }
}

struct AppState {
    /// The served folder, canonical.
    root: PathBuf,
    viewer: Viewer,
}

/// The router serving `root`'s cassettes and the viewer.
pub fn router(root: &Path, viewer: Viewer) -> anyhow::Result<Router> {
    let root = root
        .canonicalize()
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", root.display()))?;
    anyhow::ensure!(root.is_dir(), "{} is not a folder", root.display());
    let state = Arc::new(AppState { root, viewer });
    Ok(Router::new()
        .route("/api/files", get(list_files))
        .route("/api/file/{*path}", get(one_file))
        .route("/", get(index))
        .route("/{*path}", get(asset))
        .with_state(state))
}

/// Every cassette file below `root` (hidden entries skipped, symlinks followed only while
/// they stay inside), as sorted `/`-separated relative paths.
pub fn list_cassettes(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Some(target) = inside(root, &path) else {
                continue;
            };
            if target.is_dir() {
                stack.push(path);
            } else if target.is_file()
                && is_cassette_name(&name)
                && let Ok(relative) = path.strip_prefix(root)
            {
                let parts: Vec<_> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect();
                let joined = parts.join("/");
                // One path per line: a name holding a line break cannot be listed.
                if !joined.contains(['\n', '\r']) {
                    out.push(joined);
                }
            }
        }
    }
    out.sort();
    out
}

/// The canonical form of `path` when it exists and lies inside `root` (itself canonical).
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    real.starts_with(root).then_some(real)
}

/// A URL path as a relative file path: only normal components, no `..`, no root, no drive,
/// no hidden entries, no backslashes.
fn safe_relative(path: &str) -> Option<PathBuf> {
    if path.is_empty() || path.contains('\\') || path.contains('\0') {
        return None;
    }
    let rel = Path::new(path);
    let mut out = PathBuf::new();
    for component in rel.components() {
        match component {
            Component::Normal(part) if !part.to_string_lossy().starts_with('.') => out.push(part),
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

fn with_headers(mut response: Response, content_type: &str, cache: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(cache) {
        headers.insert(header::CACHE_CONTROL, v);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn not_found() -> Response {
    with_headers(
        (StatusCode::NOT_FOUND, "not found").into_response(),
        "text/plain; charset=utf-8",
        "no-store",
    )
}

async fn list_files(State(state): State<Arc<AppState>>) -> Response {
    let root = state.root.clone();
    let list = tokio::task::spawn_blocking(move || list_cassettes(&root))
        .await
        .unwrap_or_default();
    let mut body = list.join("\n");
    body.push('\n');
    with_headers(
        body.into_response(),
        "text/plain; charset=utf-8",
        "no-store",
    )
}

async fn one_file(State(state): State<Arc<AppState>>, UrlPath(path): UrlPath<String>) -> Response {
    let Some(relative) = safe_relative(&path) else {
        return not_found();
    };
    if !is_cassette_name(&path) {
        return not_found();
    }
    let Some(file) = inside(&state.root, &state.root.join(relative)) else {
        return not_found();
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let kind = if path.to_ascii_lowercase().ends_with(".gz") {
                "application/gzip"
            } else {
                "application/json"
            };
            with_headers(bytes.into_response(), kind, "no-store")
        }
        Err(_) => not_found(),
    }
}

async fn index(State(state): State<Arc<AppState>>) -> Response {
    serve_asset(&state, "index.html")
}

async fn asset(State(state): State<Arc<AppState>>, UrlPath(path): UrlPath<String>) -> Response {
    serve_asset(&state, &path)
}

fn serve_asset(state: &AppState, name: &str) -> Response {
    let name = if name.is_empty() || name.ends_with('/') {
        "index.html"
    } else {
        name
    };
    let Some(bytes) = state.viewer.asset(name) else {
        return not_found();
    };
    if name == "index.html" {
        let html = String::from_utf8_lossy(&bytes).replacen(
            "<head>",
            "<head>\n    <meta name=\"tapedeck-serve\" content=\"1\" />",
            1,
        );
        return with_headers(html.into_response(), "text/html; charset=utf-8", "no-cache");
    }
    let kind = match name.rsplit('.').next() {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    // trunk names its outputs with a content hash: they never change under one name.
    let hashed = name.contains('-') && !name.starts_with("tapedeck.html");
    let cache = if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    with_headers(bytes.into_owned().into_response(), kind, cache)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_refuse_escapes() {
        assert_eq!(safe_relative("a/b.json"), Some(PathBuf::from("a/b.json")));
        for bad in [
            "",
            "../x.json",
            "a/../../x.json",
            "/etc/passwd",
            "a\\..\\b",
            ".hidden/x.json",
        ] {
            assert_eq!(safe_relative(bad), None, "{bad}");
        }
    }
}
