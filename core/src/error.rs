//! Errors and problems found while decoding cassettes.
//!
//! Every problem names its place (JSON path, line, column) and never quotes a value from the
//! cassette: values may be secrets.

use crate::json::{JsonError, JsonErrorKind, Kind};

/// Where in a document a problem sits.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    /// `$.events[3].signature.lib`
    pub json_path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (line {}, column {})",
            self.json_path, self.line, self.column
        )
    }
}

/// How bad a problem is: an error stops the cassette from loading; a warning does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// What is wrong. Messages are lowercase and quote no cassette value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    #[error("{0}")]
    Json(JsonErrorKind),
    #[error("gzip data is corrupt or cut short")]
    Gzip,
    #[error("inflated size exceeds the {0} MiB limit")]
    TooLargeInflated(usize),
    #[error("not a cassette of a known format ({0})")]
    UnknownFormat(&'static str),
    #[error("missing required field `{0}`")]
    Missing(&'static str),
    #[error("expected {expected}, found {found}")]
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    #[error("unsupported schema_version (Timetracer reads \"0.1\" and \"1.0\")")]
    UnsupportedSchema,
    #[error("unknown event type (Timetracer knows http.client, db.query, redis and custom)")]
    UnknownEventType,
    #[error("unknown body encoding")]
    UnknownBodyEncoding,
    #[error("hash is not of the form sha256:<64 hex digits>")]
    MalformedHash,
    #[error("timestamp is not ISO 8601 with a time zone")]
    MalformedTimestamp,
    #[error("{0}")]
    Inconsistent(String),
    /// YAML that does not parse; the message is the parser's description, never the text.
    #[error("invalid YAML: {0}")]
    Yaml(String),
    /// A file that holds several exchanges was given to a one-cassette decoder.
    #[error("the file holds {0} exchanges: decode it with decode_file")]
    SeveralExchanges(usize),
}

/// One problem at one place in one document.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {kind}")]
pub struct Problem {
    pub severity: Severity,
    pub location: Location,
    pub kind: ProblemKind,
}

/// A cassette that could not be decoded: its name and every problem found (at least one of
/// them an error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl DecodeError {
    pub(crate) fn single(file: &str, problem: Problem) -> Self {
        DecodeError {
            file: file.to_owned(),
            problems: vec![problem],
        }
    }

    /// The first error-level problem (the reason the cassette did not load).
    pub fn first_error(&self) -> Option<&Problem> {
        self.problems
            .iter()
            .find(|p| p.severity == Severity::Error)
            .or_else(|| self.problems.first())
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.first_error() {
            Some(problem) => write!(f, "{}: {problem}", self.file)?,
            None => write!(f, "{}: could not be decoded", self.file)?,
        }
        let errors = self
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        if errors > 1 {
            write!(f, " (and {} more errors)", errors - 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

impl From<JsonError> for Problem {
    fn from(e: JsonError) -> Self {
        Problem {
            severity: Severity::Error,
            location: Location {
                json_path: e.json_path,
                line: e.line,
                column: e.column,
            },
            kind: ProblemKind::Json(e.kind),
        }
    }
}

/// A human name for a JSON kind, used in type errors.
pub(crate) fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Null => "null",
        Kind::Bool => "a boolean",
        Kind::Number => "a number",
        Kind::String => "a string",
        Kind::Array => "an array",
        Kind::Object => "an object",
    }
}
