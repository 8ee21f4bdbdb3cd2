//! `tapedeck convert`: re-encode a cassette; unmodified input comes back byte for byte.

use std::process::ExitCode;

use anyhow::bail;
use tapedeck_core::format::gzip;

use crate::args::ConvertArgs;
use crate::fsio;

pub fn run(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    if !fsio::is_stdio(&args.input) && fsio::same_file(&args.input, &args.output) {
        bail!(
            "refusing to overwrite the input {}: choose another output",
            args.input.display()
        );
    }
    let bytes = fsio::read_input(&args.input)?;
    let decoded = match tapedeck_core::decode(&fsio::display_name(&args.input), &bytes) {
        Ok(decoded) => decoded,
        Err(err) => {
            eprintln!("tapedeck: {err}");
            return Ok(ExitCode::from(1));
        }
    };
    let mut encoded = tapedeck_core::encode(&decoded.cassette);
    let gzip_output = args.gzip || args.output.to_string_lossy().ends_with(".gz");
    if gzip_output {
        encoded = gzip::deflate(&encoded);
    }
    fsio::write_atomic(&args.output, &encoded)?;
    Ok(ExitCode::SUCCESS)
}
