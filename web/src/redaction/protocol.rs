//! What the page and the redaction worker say to each other. Each message is a JSON text
//! plus, in order, the byte buffers it refers to (file contents, downloads), which travel as
//! transferred `ArrayBuffer`s rather than inside the JSON.
//!
//! Nothing here carries a raw secret back to the page: findings hold masked previews only.

use serde::{Deserialize, Serialize};

/// From the page to the worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// Compile a policy (TOML text) with an optional pseudonym key (empty: none).
    Configure { policy: String, key: String },
    /// Files to keep for later runs; their bytes are the message's buffers, in order.
    Add { files: Vec<FileMeta> },
    /// Redact these files with the current policy. `run` tags the answer so answers of an
    /// older run can be told apart.
    Run { run: u32, ids: Vec<u32> },
    /// The findings of one file, in full (runs send counts only).
    Findings { run: u32, id: u32 },
    /// The redacted bytes of one file (the original bytes when nothing changed).
    Output { id: u32 },
    /// A `.zip` of the redacted files, keeping their folder structure.
    Zip { ids: Vec<u32> },
    /// Edit the policy text: a detector on or off, or one finding's value allowed.
    EditPolicy { policy: String, edit: PolicyEdit },
}

/// An edit of the policy text made from the page's controls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum PolicyEdit {
    Detector {
        name: String,
        enabled: bool,
    },
    /// Allow the value of finding `finding` (its index in the file's report) of file `id`.
    AllowFinding {
        id: u32,
        finding: u32,
    },
}

/// A file handed to the worker: its id (the page's) and its path as loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    pub id: u32,
    pub name: String,
}

/// From the worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    /// The worker started and waits for requests.
    Ready,
    /// The answer to [`Request::Configure`]: the detectors' states, or why the policy is bad.
    Configured {
        error: Option<String>,
        detectors: Vec<DetectorState>,
    },
    /// The answer to [`Request::Run`]: one report per file, and how long the engine took.
    Ran {
        run: u32,
        reports: Vec<FileReport>,
        /// Bytes given to the engine (inflated size for `.gz`).
        bytes: u64,
        /// Time spent in the engine, in milliseconds.
        engine_ms: f64,
    },
    /// The answer to [`Request::Findings`].
    Findings {
        run: u32,
        id: u32,
        findings: Vec<FindingView>,
    },
    /// The answer to [`Request::Output`]; the bytes are the message's buffer.
    Output { id: u32, name: String },
    /// The answer to [`Request::Zip`]; the archive is the message's buffer.
    Zip { files: u32 },
    /// The answer to [`Request::EditPolicy`]: the new policy text, or why it failed.
    PolicyEdited {
        policy: Option<String>,
        error: Option<String>,
    },
    /// A request that could not be carried out (its kind and why; never file content).
    Failed { request: String, error: String },
}

impl Response {
    /// A request that could not be carried out.
    pub fn failed(request: &str, error: &str) -> Response {
        Response::Failed {
            request: request.to_owned(),
            error: error.to_owned(),
        }
    }
}

/// A detector and whether the current policy runs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectorState {
    pub name: String,
    pub label: String,
    pub enabled: bool,
}

/// What redacting one file found: the number of findings (their details are asked for when a
/// person unfolds the file, so a run over thousands of files stays light on the page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub id: u32,
    /// Why the file could not be redacted (then nothing else is set).
    pub error: Option<String>,
    /// Whether the redacted bytes differ from the input.
    pub changed: bool,
    pub findings: u32,
}

/// One finding as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingView {
    /// `$.response.body.data.users[0].email`
    pub path: String,
    /// The part of the string, when the match is inside one (`query:api_key`).
    pub field: Option<String>,
    pub rule: String,
    pub operator: String,
    /// A masked preview of the matched value (`a…m (15 chars)`), never the value.
    pub before: String,
    /// What the value became (`[REDACTED:EMAIL]`; empty when dropped).
    pub after: String,
    /// Whether "allow this" can add the value to the policy's allow-list.
    pub allowable: bool,
}

/// A message as it travels: the JSON text and how many buffers follow it.
pub fn encode<T: Serialize>(message: &T) -> String {
    // Serialising these plain structs cannot fail.
    serde_json::to_string(message).unwrap_or_default()
}

/// Reads a message; the error names the problem, not the content.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("malformed message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_responses_round_trip() {
        let requests = [
            Request::Configure {
                policy: String::from("version = 1\n"),
                key: String::new(),
            },
            Request::Add {
                files: vec![FileMeta {
                    id: 3,
                    name: String::from("a/b.json.gz"),
                }],
            },
            Request::Run {
                run: 2,
                ids: vec![1, 2],
            },
            Request::EditPolicy {
                policy: String::new(),
                edit: PolicyEdit::AllowFinding { id: 1, finding: 0 },
            },
        ];
        for r in requests {
            assert_eq!(decode::<Request>(&encode(&r)).unwrap(), r);
        }
        let ran = Response::Ran {
            run: 1,
            reports: vec![FileReport {
                id: 1,
                error: None,
                changed: true,
                findings: 3,
            }],
            bytes: 10,
            engine_ms: 0.5,
        };
        assert_eq!(decode::<Response>(&encode(&ran)).unwrap(), ran);
        assert!(decode::<Request>("{\"kind\": \"nope\"}").is_err());
    }
}
