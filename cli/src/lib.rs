//! Tapedeck's service-side library: capture and replay inside Rust services (a tower layer and
//! a reqwest middleware) and the record proxy behind `tapedeck record`.
//!
//! Everything here is behind the `capture` feature (on by default). The `tapedeck` binary's own
//! modules live in `main.rs`; this library holds what applications link against.

#[cfg(feature = "capture")]
pub mod capture;
#[cfg(feature = "capture")]
pub mod proxy;
