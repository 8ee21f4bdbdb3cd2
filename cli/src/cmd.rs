//! One module per subcommand; each exposes `run(&Args) -> anyhow::Result<ExitCode>`.

pub mod convert;
pub mod detectors;
pub mod ls;
#[cfg(feature = "capture")]
pub mod mock;
#[cfg(feature = "capture")]
pub mod record;
pub mod redact;
pub mod scan;
#[cfg(feature = "serve")]
pub mod serve;
pub mod show;
pub mod stats;
pub mod validate;
