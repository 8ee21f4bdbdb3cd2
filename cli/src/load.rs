//! Reading and decoding many cassettes in parallel, keeping going past broken ones.

use std::path::PathBuf;

use rayon::prelude::*;
use tapedeck_core::{DecodeError, Decoded};

use crate::fsio;

/// What happened to one input file.
pub enum Loaded {
    Ok(Box<Decoded>),
    /// The file was read but is not a valid cassette.
    Invalid(DecodeError),
    /// The file could not be read.
    Unreadable(anyhow::Error),
}

/// How much of each cassette to decode.
#[derive(Clone, Copy)]
pub enum Mode {
    /// Everything (validate, show, convert).
    Full,
    /// All but body contents, which are only skimmed (ls, stats): several times faster.
    Listing,
}

/// Expands `paths` and decodes every file on all cores, mapping each result through `f`
/// (so callers keep only what they need, e.g. a summary row). Results keep input order.
pub fn load_all<T: Send>(
    paths: &[PathBuf],
    mode: Mode,
    f: impl Fn(&std::path::Path, Loaded) -> T + Sync,
) -> anyhow::Result<Vec<T>> {
    let files = fsio::collect_files(paths)?;
    let decode = match mode {
        Mode::Full => tapedeck_core::decode,
        Mode::Listing => tapedeck_core::decode_for_listing,
    };
    Ok(files
        .par_iter()
        .map(|path| {
            let loaded = match fsio::read_input(path) {
                Err(err) => Loaded::Unreadable(err),
                Ok(bytes) => match decode(&fsio::display_name(path), &bytes) {
                    Ok(decoded) => Loaded::Ok(Box::new(decoded)),
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
    pub fn report(&mut self, loaded: &Loaded) {
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
