//! Saving bytes the page made (a redacted cassette, a `.zip`, a policy) as a download. The
//! bytes never leave the machine: a `blob:` URL is clicked and revoked.

use wasm_bindgen::JsCast as _;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use super::PlatformError;

/// Offers `bytes` as a file called `name`.
pub fn save(name: &str, bytes: &js_sys::Uint8Array, mime: &str) -> Result<(), PlatformError> {
    let parts = js_sys::Array::of1(bytes);
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| PlatformError::from_js("cannot prepare the download", &e))?;
    let url = Url::create_object_url_with_blob(&blob)
        .map_err(|e| PlatformError::from_js("cannot prepare the download", &e))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| PlatformError(String::from("no document")))?;
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| PlatformError::from_js("cannot prepare the download", &e))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // Revoke later: revoking at once can cancel the download in some browsers.
    let revoke = wasm_bindgen::prelude::Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    }
    Ok(())
}

/// Offers a text (UTF-8) as a file.
pub fn save_text(name: &str, text: &str, mime: &str) -> Result<(), PlatformError> {
    save(name, &js_sys::Uint8Array::from(text.as_bytes()), mime)
}
