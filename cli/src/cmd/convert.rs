//! `tapedeck convert`: re-encode a cassette; unmodified input comes back byte for byte.

use std::process::ExitCode;

use anyhow::bail;
use tapedeck_core::format::gzip;

use tapedeck_core::Format;

use crate::args::{ConvertArgs, Target};
use crate::fsio;

pub fn run(args: &ConvertArgs) -> anyhow::Result<ExitCode> {
    if !fsio::is_stdio(&args.input) && fsio::same_file(&args.input, &args.output) {
        bail!(
            "refusing to overwrite the input {}: choose another output",
            args.input.display()
        );
    }
    let bytes = fsio::read_input(&args.input)?;
    let name = fsio::display_name(&args.input);
    let converted = match args.to {
        None => tapedeck_core::format::reencode(&name, &bytes).map_err(|e| e.to_string()),
        Some(to) => {
            let to = match to {
                Target::Har => Format::Har,
                Target::Timetracer => Format::Timetracer,
            };
            tapedeck_core::format::convert(&name, &bytes, to).map_err(|e| e.to_string())
        }
    };
    let mut encoded = match converted {
        Ok(encoded) => encoded,
        Err(err) => {
            eprintln!("tapedeck: {err}");
            return Ok(ExitCode::from(1));
        }
    };
    let gzip_output = args.gzip || args.output.to_string_lossy().ends_with(".gz");
    if gzip_output {
        encoded = gzip::deflate(&encoded);
    }
    fsio::write_atomic(&args.output, &encoded)?;
    Ok(ExitCode::SUCCESS)
}
