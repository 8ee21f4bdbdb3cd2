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
}

fn parse_status(text: &str) -> Result<StatusFilter, String> {
    text.parse()
}
