//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use tapedeck_core::index::StatusFilter;

/// Look inside, clean and replay cassettes (Timetracer recordings).
///
/// Exit codes: 0 ok, 1 problems found, 2 usage or I/O error.
#[derive(Debug, Parser)]
#[command(name = "tapedeck", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One row per cassette, oldest first.
    Ls(LsArgs),
    /// A readable summary of one cassette and its dependency calls.
    Show(ShowArgs),
    /// Totals, error counts, duration percentiles, dependency calls, slowest endpoints.
    Stats(StatsArgs),
    /// Lists every problem in the given cassettes; exit 1 when any is found.
    Validate(ValidateArgs),
    /// Re-encodes a cassette (unmodified input comes back byte for byte).
    Convert(ConvertArgs),
    /// Redacts secrets and personal data; writes copies (-o) or replaces files (--in-place).
    Redact(RedactArgs),
    /// Finds what the policy would redact, without writing; exit 1 when anything is found.
    Scan(ScanArgs),
    /// Precision and recall of each built-in detector on the labelled set; exit 1 when any
    /// detector is below 1.0 (a regression).
    Detectors(DetectorsArgs),
    /// Answers dependency calls from recorded http.client events (a mock upstream or HTTP proxy).
    #[cfg(feature = "capture")]
    Mock(MockArgs),
    /// A recording reverse proxy: forwards to --upstream, writes one cassette per exchange.
    #[cfg(feature = "capture")]
    Record(RecordArgs),
    /// Opens the viewer in a browser on a folder's cassettes (served from this machine only).
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
}

/// `tapedeck serve DIR [--port N] [--host ADDR] [--open]`
#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The folder whose cassettes the viewer loads (searched recursively).
    pub dir: PathBuf,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 7777)]
    pub port: u16,
    /// Address to bind; only this machine can connect unless another is given.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Open the viewer in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Files, folders (searched recursively for *.json and *.json.gz), or `-` for stdin.
#[derive(Debug, Args)]
pub struct Inputs {
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LsArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Only this HTTP method (case-insensitive).
    #[arg(long)]
    pub method: Option<String>,
    /// 2xx, 3xx, 4xx, 5xx, a status such as 404, 0 (no response), error or ok.
    #[arg(long, value_parser = parse_status)]
    pub status: Option<StatusFilter>,
    /// Only requests that took at least MS milliseconds.
    #[arg(long, value_name = "MS")]
    pub slow: Option<f64>,
    /// Only rows whose method, path, query or file name contains TEXT (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub grep: Option<String>,
    /// JSON Lines, one object per cassette.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The cassette (a file, or `-` for stdin).
    pub file: PathBuf,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// One JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// JSON Lines, one object per problem.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The cassette to read (a file, or `-` for stdin).
    pub input: PathBuf,
    /// Where to write (`-` for stdout). Never the input itself.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// Gzip the output (implied by an output name ending in .gz).
    #[arg(long)]
    pub gzip: bool,
    /// Convert to another format (`har` opens in browser developer tools); without it the file
    /// is re-encoded in its own format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: Option<Target>,
}

/// Formats `tapedeck convert` writes.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Target {
    Har,
    Timetracer,
}

/// The redaction policy and key, shared by `redact` and `scan`.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Policy file (TOML); see `tapedeck redact --print-default-policy`.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Key for `hmac` pseudonyms and finding fingerprints (prefer --key-file or
    /// `TAPEDECK_REDACT_KEY`: arguments are visible to other users of the machine).
    #[arg(long, value_name = "KEY", conflicts_with = "key_file")]
    pub key: Option<String>,
    /// File holding the key (trailing newline ignored).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Files, folders (searched recursively for *.json and *.gz), or `-` for stdin.
    #[arg(value_name = "PATH", required_unless_present = "print_default_policy")]
    pub paths: Vec<PathBuf>,
    /// Where to write: a folder mirroring the inputs (a file name for one input file; `-` for
    /// stdout).
    #[arg(short, long, value_name = "OUT", conflicts_with = "in_place")]
    pub output: Option<PathBuf>,
    /// Replace the inputs (atomically: temporary file, then rename).
    #[arg(long)]
    pub in_place: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Write a JSON report of every change (file, JSON path, rule, operator; never values).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Redact in memory and report, but write no cassette.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the default policy, commented, and exit.
    #[arg(long)]
    pub print_default_policy: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// JSON Lines, one object per finding.
    #[arg(long, conflicts_with = "sarif")]
    pub json: bool,
    /// SARIF 2.1.0 (for code-scanning tools).
    #[arg(long)]
    pub sarif: bool,
    /// Ignore findings listed in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the findings as a new baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

/// `tapedeck detectors [--json]`
#[derive(Debug, Args)]
pub struct DetectorsArgs {
    /// JSON Lines, one object per detector, instead of the table.
    #[arg(long)]
    pub json: bool,
}

fn parse_status(text: &str) -> Result<StatusFilter, String> {
    text.parse()
}

/// `tapedeck mock`: serve recorded dependency answers.
///
/// Point the app's upstream base URL at the mock (matches on path and query, any recorded host)
/// or set `HTTP_PROXY` to it (matches on the full URL). Unmatched calls get status 599 and a JSON
/// diagnosis; recorded failures (connection refused, ...) get 502 and a JSON description.
#[cfg(feature = "capture")]
#[derive(Debug, Args)]
#[expect(clippy::struct_excessive_bools, reason = "command-line switches")]
pub struct MockArgs {
    /// Folder searched recursively for cassettes (*.json, *.json.gz).
    #[arg(long, value_name = "DIR", required_unless_present = "cassette")]
    pub dir: Option<PathBuf>,
    /// A cassette file to load (repeatable; with or without --dir).
    #[arg(long, value_name = "FILE")]
    pub cassette: Vec<PathBuf>,
    /// Address to listen on; a non-loopback address is served with a warning.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9090")]
    pub listen: String,
    /// Extra criteria besides method and path: query, headers, body-hash, json-body
    /// (comma-separated), or `path` for none.
    #[arg(long = "match", value_name = "FIELDS", default_value = "query")]
    pub r#match: String,
    /// Header compared through the recorded `headers_hash` (repeatable; default Timetracer's
    /// allow-list).
    #[arg(long, value_name = "NAME")]
    pub header: Vec<String>,
    /// JSON path left out of the JSON-body comparison, e.g. `$.request_id` (repeatable).
    #[arg(long, value_name = "PATH")]
    pub ignore_json_path: Vec<String>,
    /// sequential (Timetracer's cursor), any, or queue (one FIFO queue per method and path).
    #[arg(long, value_name = "ORDER", default_value = "queue")]
    pub order: String,
    /// In proxy mode, match a call whatever scheme, host and port it names.
    #[arg(long)]
    pub ignore_host: bool,
    /// Answer each recorded call once only (by default a consumed call may answer again).
    #[arg(long)]
    pub no_repeats: bool,
    /// A near miss is an error (the default).
    #[arg(long, conflicts_with = "lenient")]
    pub strict: bool,
    /// Answer a near miss with the closest recorded call anyway (Timetracer's non-strict replay);
    /// the response carries `x-tapedeck-mismatch`.
    #[arg(long)]
    pub lenient: bool,
    /// Do not print a diagnosis to stderr for each unmatched call.
    #[arg(long)]
    pub quiet: bool,
}

/// `tapedeck record`: a reverse proxy in front of an application that writes one cassette per
/// incoming exchange (request, response, duration; the app's own dependency calls are not
/// visible to a proxy), redacted at capture time, written atomically.
#[cfg(feature = "capture")]
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Address to listen on (`127.0.0.1:0` picks a free port; the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8081")]
    pub listen: String,
    /// The application's base URL (`http://127.0.0.1:8000`).
    #[arg(long, value_name = "URL")]
    pub upstream: String,
    /// Cassette folder (files go to DIR/YYYY-MM-DD/METHOD__route__id8.json).
    #[arg(long, value_name = "DIR", default_value = "./cassettes")]
    pub dir: PathBuf,
    /// Redaction policy file (TOML); the built-in policy by default.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// When response bodies are stored: `never`, `on_error` (status >= 400) or `always`.
    #[arg(long, value_name = "WHEN", default_value = "always")]
    pub store_response_body: String,
    /// Bodies longer than this many KiB are cut (Timetracer's `max_body_kb`).
    #[arg(long, value_name = "KB", default_value_t = 64)]
    pub max_body_kb: u64,
    /// session.service written into each cassette.
    #[arg(long, value_name = "NAME", default_value = "tapedeck-record")]
    pub service: String,
    /// Write `*.json.gz` (gzip) instead of `*.json`, as `TIMETRACER_COMPRESSION=gzip` does.
    #[arg(long)]
    pub gzip: bool,
}
