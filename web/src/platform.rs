//! The only code that touches the browser (web-sys, js-sys, wasm-bindgen-futures, gloo).
//! Everything here converts `JsValue`s into typed values or errors at the boundary; the rest
//! of the viewer never sees them.

pub mod dom;
pub mod download;
pub mod files;
pub mod loader;
pub mod serve;
pub mod worker_host;
pub mod worker_scope;

/// A browser call that failed, turned into text the person can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformError(pub String);

impl std::fmt::Display for PlatformError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PlatformError {
    pub(crate) fn from_js(context: &str, value: &wasm_bindgen::JsValue) -> PlatformError {
        let detail = value
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| value.as_string())
            .unwrap_or_else(|| String::from("unknown error"));
        PlatformError(format!("{context}: {detail}"))
    }
}

use wasm_bindgen::JsCast as _;
