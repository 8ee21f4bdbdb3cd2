//! Recognising formats and decoding/encoding cassettes.
//!
//! [`decode`] takes the bytes of one file (plain or gzip, recognised by its magic bytes) and
//! returns the model plus warnings; [`encode`] writes a cassette back in its own format.

pub mod gzip;
pub mod timetracer;

use crate::error::{DecodeError, Location, Problem, ProblemKind, Severity};
use crate::json::{Document, Kind};
use crate::model::{Cassette, Format};

/// A decoded cassette and the recoverable oddities found in it.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub cassette: Cassette,
    pub warnings: Vec<Problem>,
}

/// Largest inflated size accepted from a gzip file; a cassette never comes close, a gzip bomb
/// does.
pub const MAX_INFLATED_BYTES: usize = 1 << 30;

/// Decodes one cassette file. `name` is used in errors and kept on the cassette.
pub fn decode(name: &str, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_with(name, bytes, false)
}

/// Decodes one cassette for listing: like [`decode`], but recorded bodies (`data` values) are
/// only skimmed (balanced brackets and strings), which makes it several times faster. The
/// model is complete except for body contents; use [`decode`] to show, convert or redact.
pub fn decode_for_listing(name: &str, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_with(name, bytes, true)
}

fn decode_with(name: &str, bytes: &[u8], skim_bodies: bool) -> Result<Decoded, DecodeError> {
    let (text, compressed) = if gzip::is_gzip(bytes) {
        let inflated = gzip::inflate(bytes, MAX_INFLATED_BYTES)
            .map_err(|kind| DecodeError::single(name, file_problem(kind)))?;
        (std::borrow::Cow::Owned(inflated), true)
    } else {
        (std::borrow::Cow::Borrowed(bytes), false)
    };
    let parsed = if skim_bodies {
        Document::parse_skimming_bodies(&text)
    } else {
        Document::parse(&text)
    };
    let document = parsed.map_err(|e| DecodeError::single(name, Problem::from(e)))?;
    match detect(&document) {
        Some(Format::Timetracer) => timetracer::read(name, document, compressed),
        None => Err(DecodeError::single(
            name,
            file_problem(ProblemKind::UnknownFormat(
                "expected a Timetracer cassette: an object with schema_version, session, request and response",
            )),
        )),
    }
}

/// Recognises the format of a parsed document by its content.
pub fn detect(document: &Document) -> Option<Format> {
    let root = document.root();
    if root.kind() != Kind::Object {
        return None;
    }
    let timetracer = root.get("schema_version").is_some()
        || (root.get("session").is_some() && root.get("request").is_some());
    timetracer.then_some(Format::Timetracer)
}

/// Encodes a cassette in its own format (uncompressed). An unmodified Timetracer cassette
/// comes back byte for byte.
pub fn encode(cassette: &Cassette) -> Vec<u8> {
    match cassette.format {
        Format::Timetracer => crate::json::encode_document(&cassette.document),
    }
}

fn file_problem(kind: ProblemKind) -> Problem {
    Problem {
        severity: Severity::Error,
        location: Location {
            json_path: String::from("$"),
            line: 1,
            column: 1,
        },
        kind,
    }
}
