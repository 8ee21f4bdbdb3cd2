//! Tapedeck's viewer: a yew single-page app that opens cassettes entirely in the browser.
//!
//! Files are read as bytes and decoded by `tapedeck_core` compiled to wasm; nothing leaves the
//! machine. `state` holds all logic that can be tested natively; `platform` is the only code
//! touching the browser; `components` draw what the state computed.

#![deny(clippy::unwrap_used)]

pub mod app;
pub mod components;
pub mod ingest;
pub mod platform;
pub mod redact_link;
pub mod redaction;
pub mod state;

pub use app::App;
