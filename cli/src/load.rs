//! Reading and decoding many cassettes in parallel, keeping going past broken ones.

use std::path::PathBuf;

use rayon::prelude::*;
use tapedeck_core::DecodeError;

use crate::fsio;

/// What happened to one input file.
pub enum Loaded<T> {
    Ok(T),
    /// The file was read but is not a valid cassette.
    Invalid(DecodeError),
    /// The file could not be read.
    Unreadable(anyhow::Error),
}

/// Expands `paths` and decodes every file on all cores with `decode` (`tapedeck_core::decode`
/// for the whole model, `tapedeck_core::summarize` for rows), mapping each result through `f`
/// so callers keep only what they need. Results keep input order.
pub fn load_all<D: Send, T: Send>(
    paths: &[PathBuf],
    decode: fn(&str, &[u8]) -> Result<D, DecodeError>,
    f: impl Fn(&std::path::Path, Loaded<D>) -> T + Sync,
) -> anyhow::Result<Vec<T>> {
    let files = fsio::collect_files(paths)?;
    Ok(files
        .par_iter()
        .map(|path| {
            let loaded = match fsio::read_input(path) {
                Err(err) => Loaded::Unreadable(err),
                Ok(bytes) => match decode(&fsio::display_name(path), &bytes) {
                    Ok(decoded) => Loaded::Ok(decoded),
                    Err(err) => Loaded::Invalid(err),
                },
            };
            f(path, loaded)
        })
        .collect())
}

/// Outcome counts that decide the exit code: 0 all fine, 1 problems, 2 unreadable input.
#[derive(Default)]
pub struct Tally {
    pub invalid: usize,
    pub unreadable: usize,
}

impl Tally {
    /// Prints the error of a failed file on stderr (one line) and counts it.
    pub fn report<D>(&mut self, loaded: &Loaded<D>) {
        match loaded {
            Loaded::Ok(_) => {}
            Loaded::Invalid(err) => {
                self.invalid += 1;
                eprintln!("tapedeck: {err}");
            }
            Loaded::Unreadable(err) => {
                self.unreadable += 1;
                eprintln!("tapedeck: {err:#}");
            }
        }
    }

    pub fn exit_code(&self) -> std::process::ExitCode {
        if self.unreadable > 0 {
            std::process::ExitCode::from(2)
        } else if self.invalid > 0 {
            std::process::ExitCode::from(1)
        } else {
            std::process::ExitCode::SUCCESS
        }
    }
}
