//! Tapedeck's core: reads, models and writes cassettes (recordings of a request, its response
//! and the dependency calls it made).
//!
//! Pure by design: bytes and values in, values and reports out. No file system, network,
//! clock, threads or printing, so the same code runs natively in the CLI and as WebAssembly in
//! the viewer. Callers read files and pass their bytes in.

#![forbid(unsafe_code)]

pub mod json;

pub mod archive;
pub mod commands;
pub mod error;
pub mod format;
mod growth;
pub mod index;
pub mod model;
pub mod record;
pub mod redact;
pub mod replay;
pub mod timeline;
pub mod url;

pub use error::{DecodeError, Location, Problem, ProblemKind, Severity};
pub use format::{
    Decoded, decode, decode_file, decode_file_for_listing, decode_for_listing, encode, summarize,
    summarize_file,
};
pub use model::{
    Body, BodyEncoding, Cassette, Event, EventKind, Format, Meta, Phase, Request, Response, Syntax,
};
