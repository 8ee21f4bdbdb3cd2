//! Redaction in the browser: the messages between the page and the redaction worker
//! ([`protocol`]) and the worker's own state ([`session`]). Both are pure Rust, tested
//! natively; `platform::worker_host` and `platform::worker_scope` carry the messages.
//!
//! The engine (core's `redact`, with its regexes and TOML parser) lives only in the worker's
//! wasm, so the viewer's own bundle stays small and the page stays responsive while thousands
//! of cassettes are redacted.

pub mod findings;
pub mod page;
pub mod protocol;
pub mod session;
