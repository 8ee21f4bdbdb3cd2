//! Recognising formats and decoding/encoding cassettes.
//!
//! [`decode_file`] takes the bytes of one file (plain or gzip, recognised by its magic bytes;
//! JSON or YAML, recognised by content) and returns one [`Decoded`] per row: one for a
//! Timetracer or VCR-style file, one per entry for a HAR file. [`decode`] is the one-row
//! form: a HAR file of several entries is an error there ([`ProblemKind::SeveralExchanges`]).
//! [`encode`] writes a cassette back in its own format; [`reencode`] and [`convert`] work on
//! whole files.

pub mod convert;
mod exchange;
pub mod gzip;
mod har;
pub mod layout;
mod read;
pub mod timetracer;
mod vcr;
mod yaml;

pub use convert::{ConvertError, convert, reencode};
pub use exchange::{Content, Exchange};

use crate::error::{DecodeError, Location, Problem, ProblemKind, Severity};
use crate::index::Summary;
use crate::json::{Document, Kind};
use crate::model::{Cassette, Format, Syntax};

/// A decoded cassette and the recoverable oddities found in it.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub cassette: Cassette,
    pub warnings: Vec<Problem>,
}

/// Largest inflated size accepted from a gzip file; a cassette never comes close, a gzip bomb
/// does.
pub const MAX_INFLATED_BYTES: usize = 1 << 30;

/// Decodes one cassette file into one row. `name` is used in errors and kept on the
/// cassette. A HAR file of several entries is an error here: use [`decode_file`].
pub fn decode(name: &str, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    one(name, decode_with(name, bytes, false)?)
}

/// Decodes one cassette for listing: like [`decode`], but the bodies, headers and bookkeeping
/// of Timetracer cassettes are only skimmed (balanced brackets and strings), which makes it
/// several times faster. The model lacks headers and bodies: use it for summary rows only
/// ([`summarize`]), and [`decode`] to show, convert or redact.
pub fn decode_for_listing(name: &str, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    one(name, decode_with(name, bytes, true)?)
}

/// Decodes one file into its rows: one for a Timetracer or VCR-style file, one per entry for
/// a HAR file (named `file.har#1`, `file.har#2`, ..., with [`Cassette::entry`] set).
pub fn decode_file(name: &str, bytes: &[u8]) -> Result<Vec<Decoded>, DecodeError> {
    decode_with(name, bytes, false)
}

/// [`decode_file`] that skims Timetracer bodies, as [`decode_for_listing`] does.
pub fn decode_file_for_listing(name: &str, bytes: &[u8]) -> Result<Vec<Decoded>, DecodeError> {
    decode_with(name, bytes, true)
}

/// The summary row of one cassette, for listings: bodies, headers and bookkeeping are only
/// skimmed (balanced brackets and strings), which makes it much faster than [`decode`]. The
/// same row as `Summary::from_cassette(&decode(..)?.cassette)`; warnings are not collected.
pub fn summarize(name: &str, bytes: &[u8]) -> Result<Summary, DecodeError> {
    decode_for_listing(name, bytes).map(|decoded| Summary::from_cassette(&decoded.cassette))
}

/// The summary rows of one file (one per exchange), as [`summarize`] makes them.
pub fn summarize_file(name: &str, bytes: &[u8]) -> Result<Vec<Summary>, DecodeError> {
    decode_file_for_listing(name, bytes).map(|rows| {
        rows.iter()
            .map(|decoded| Summary::from_cassette(&decoded.cassette))
            .collect()
    })
}

fn one(name: &str, mut rows: Vec<Decoded>) -> Result<Decoded, DecodeError> {
    match rows.len() {
        1 => rows.pop().ok_or_else(|| unknown(name)),
        0 => Err(DecodeError::single(
            name,
            file_problem(ProblemKind::Inconsistent(String::from(
                "the file holds no exchange",
            ))),
        )),
        n => Err(DecodeError::single(
            name,
            file_problem(ProblemKind::SeveralExchanges(n)),
        )),
    }
}

/// A parsed file: its JSON document (for YAML, the JSON projection) and what it is.
pub(crate) struct Parsed {
    pub(crate) document: Document<'static>,
    pub(crate) format: Format,
    pub(crate) compressed: bool,
    pub(crate) syntax: Syntax,
    pub(crate) marks: Vec<(u32, u32, u32)>,
}

/// Inflates, parses (JSON, else YAML) and recognises one file.
pub(crate) fn parse_file(name: &str, bytes: &[u8], skim: bool) -> Result<Parsed, DecodeError> {
    let (text, compressed) = if gzip::is_gzip(bytes) {
        let inflated = gzip::inflate(bytes, MAX_INFLATED_BYTES)
            .map_err(|kind| DecodeError::single(name, file_problem(kind)))?;
        (std::borrow::Cow::Owned(inflated), true)
    } else {
        (std::borrow::Cow::Borrowed(bytes), false)
    };
    if yaml::is_candidate(&text) && yaml::starts_like_a_mapping(&text) {
        let utf8 = std::str::from_utf8(&text).map_err(|_| {
            DecodeError::single(
                name,
                file_problem(ProblemKind::Json(crate::json::JsonErrorKind::InvalidUtf8)),
            )
        })?;
        let projection = yaml::project(utf8, MAX_INFLATED_BYTES)
            .map_err(|problem| DecodeError::single(name, problem))?;
        let document = Document::parse_owned(projection.json.into_bytes())
            .map_err(|e| DecodeError::single(name, Problem::from(e)))?;
        let format = detect(&document).ok_or_else(|| unknown(name))?;
        return Ok(Parsed {
            document,
            format,
            compressed,
            syntax: Syntax::Yaml {
                binary_paths: projection.binary_paths,
            },
            marks: projection.marks,
        });
    }
    // A skimming parse keeps the text for a full one; a full parse takes an inflated gzip
    // file as its text without a copy.
    let (parsed, kept) = if skim {
        (Document::parse_skimming_bodies(&text), Some(text))
    } else {
        // An owned text is kept as is; a borrowed one is copied, as the cassette outlives it.
        (Document::parse_cow(text).map(Document::into_owned), None)
    };
    let mut document = parsed.map_err(|e| DecodeError::single(name, Problem::from(e)))?;
    let format = detect(&document).ok_or_else(|| unknown(name))?;
    if let Some(text) = kept
        && format != Format::Timetracer
    {
        // Skimming knows Timetracer's body keys only; other formats are read in full.
        document =
            Document::parse(&text).map_err(|e| DecodeError::single(name, Problem::from(e)))?;
    }
    Ok(Parsed {
        document,
        format,
        compressed,
        syntax: Syntax::Json,
        marks: Vec::new(),
    })
}

fn decode_with(name: &str, bytes: &[u8], skim_bodies: bool) -> Result<Vec<Decoded>, DecodeError> {
    let parsed = parse_file(name, bytes, skim_bodies)?;
    match parsed.format {
        Format::Timetracer => {
            timetracer::read(name, parsed.document, parsed.compressed).map(|d| vec![d])
        }
        Format::Har => har::read_file(name, parsed.document, parsed.compressed),
        format => vcr::read(
            name,
            parsed.document,
            format,
            parsed.compressed,
            parsed.syntax,
            &parsed.marks,
        )
        .map(|d| vec![d]),
    }
}

fn unknown(name: &str) -> DecodeError {
    DecodeError::single(
        name,
        file_problem(ProblemKind::UnknownFormat(
            "expected a Timetracer cassette, a HAR file, or a VCR.py, Ruby VCR, Betamax or go-vcr cassette",
        )),
    )
}

/// A YAML cassette's JSON projection (for redaction and scanning, which work on JSON), or
/// `None` when the text is not YAML of a known format. Spans in the projection are not spans
/// of the YAML text: write a changed projection back with [`yaml_from_projection`].
pub fn yaml_projection(text: &[u8]) -> Option<(Document<'static>, Syntax)> {
    if !(yaml::is_candidate(text) && yaml::starts_like_a_mapping(text)) {
        return None;
    }
    let projection = yaml::project(std::str::from_utf8(text).ok()?, MAX_INFLATED_BYTES).ok()?;
    let document = Document::parse(projection.json.as_bytes()).ok()?;
    detect(&document)?;
    Some((
        document,
        Syntax::Yaml {
            binary_paths: projection.binary_paths,
        },
    ))
}

/// [`yaml_projection`] with a map from offsets of values in the projection to byte offsets of
/// the same values in the YAML text (sorted by projection offset), so findings can name their
/// place in the file.
pub fn yaml_projection_with_offsets(text: &[u8]) -> Option<(Document<'static>, Vec<(u32, u32)>)> {
    if !(yaml::is_candidate(text) && yaml::starts_like_a_mapping(text)) {
        return None;
    }
    let projection = yaml::project(std::str::from_utf8(text).ok()?, MAX_INFLATED_BYTES).ok()?;
    let document = Document::parse(projection.json.as_bytes()).ok()?;
    detect(&document)?;
    Some((document, projection.offsets))
}

/// The byte offset in the YAML text of the value at `offset` in its projection (see
/// [`yaml_projection_with_offsets`]).
pub fn yaml_offset(offsets: &[(u32, u32)], offset: usize) -> usize {
    let at = u32::try_from(offset).unwrap_or(u32::MAX);
    let i = offsets.partition_point(|o| o.0 <= at);
    offsets.get(i.saturating_sub(1)).map_or(0, |o| o.1 as usize)
}

/// Writes a JSON projection (e.g. after redaction edits) back as YAML.
pub fn yaml_from_projection(json: &[u8], syntax: &Syntax) -> Option<Vec<u8>> {
    let document = Document::parse(json).ok()?;
    let binary_paths: &[String] = match syntax {
        Syntax::Yaml { binary_paths } => binary_paths,
        Syntax::Json => &[],
    };
    Some(yaml::emit(&document, binary_paths))
}

/// Recognises the format of a parsed document by its content.
pub fn detect(document: &Document<'_>) -> Option<Format> {
    let root = document.root();
    if root.kind() != Kind::Object {
        return None;
    }
    let timetracer = root.get("schema_version").is_some()
        || (root.get("session").is_some() && root.get("request").is_some());
    if timetracer {
        return Some(Format::Timetracer);
    }
    if har::detect(root) {
        return Some(Format::Har);
    }
    vcr::detect(root)
}

/// Encodes a cassette in its own format (uncompressed). An unmodified Timetracer cassette
/// comes back byte for byte; a HAR entry is written alone as JavaScript writes it; a VCR-style
/// file in its layout (JSON as its tool writes it, YAML block style with `!!binary` kept).
pub fn encode(cassette: &Cassette) -> Vec<u8> {
    encode_document(
        cassette.format,
        &cassette.syntax,
        &cassette.document,
        cassette.entry.is_some(),
    )
}

/// Writes a whole document of a format back in its writer's layout.
pub(crate) fn encode_document(
    format: Format,
    syntax: &Syntax,
    document: &Document<'_>,
    entry: bool,
) -> Vec<u8> {
    use layout::Layout;
    match (format, syntax) {
        (Format::Timetracer, _) => crate::json::encode_document(document),
        (_, Syntax::Yaml { binary_paths }) => yaml::emit(document, binary_paths),
        (Format::Har, _) if entry => Layout::JS_PRETTY.write_document(document),
        (Format::VcrPy | Format::Betamax, Syntax::Json) => {
            // Python's json.dumps: ASCII-only unless the file shows otherwise.
            let python = Layout {
                ascii: true,
                spaced: true,
                ..Layout::JS_PRETTY
            };
            Layout::sniff(document.text(), python).write_document(document)
        }
        (_, Syntax::Json) => {
            Layout::sniff(document.text(), Layout::JS_PRETTY).write_document(document)
        }
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
