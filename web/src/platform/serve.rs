//! `tapedeck serve` mode: the server marks the page with `<meta name="tapedeck-serve">`, and
//! the viewer then fetches the folder's cassettes from the server's API (relative URLs, so it
//! works under any path prefix). Without the mark the viewer never fetches anything.

use std::fmt::Write as _;

use js_sys::Uint8Array;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

use super::PlatformError;
use super::files::{PickedFile, Source};

/// Whether the page was served by `tapedeck serve` with a folder to load.
pub fn is_serve_mode() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[name=\"tapedeck-serve\"]")
                .ok()
                .flatten()
        })
        .is_some()
}

/// The folder's cassettes, as files to load.
pub async fn listing() -> Result<Vec<PickedFile>, PlatformError> {
    let bytes = fetch_bytes(String::from("api/files")).await?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|path| PickedFile {
            name: path.to_owned(),
            source: Source::Served(format!("api/file/{}", encode_path(path))),
        })
        .collect())
}

fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// GETs a same-origin relative URL.
pub async fn fetch_bytes(url: String) -> Result<Vec<u8>, PlatformError> {
    let window = web_sys::window().ok_or_else(|| PlatformError(String::from("no window")))?;
    let response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .map_err(|e| PlatformError::from_js("fetching from the server", &e))?;
    let response: Response = response.unchecked_into();
    if !response.ok() {
        return Err(PlatformError(format!(
            "the server answered {}",
            response.status()
        )));
    }
    let buffer = response
        .array_buffer()
        .map_err(|e| PlatformError::from_js("reading the server's answer", &e))?;
    let buffer = JsFuture::from(buffer)
        .await
        .map_err(|e| PlatformError::from_js("reading the server's answer", &e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
