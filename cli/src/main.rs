//! `tapedeck`: list, show, summarise, validate and convert cassettes from the command line.

mod args;
mod cmd;
mod fsio;
mod load;
#[cfg(feature = "capture")]
mod mock;
mod output;
#[cfg(feature = "serve")]
mod server;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`tapedeck ls | head`) is not an error.
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("tapedeck: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: args::Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        args::Command::Ls(a) => cmd::ls::run(&a),
        args::Command::Show(a) => cmd::show::run(&a),
        args::Command::Stats(a) => cmd::stats::run(&a),
        args::Command::Validate(a) => cmd::validate::run(&a),
        args::Command::Convert(a) => cmd::convert::run(&a),
        args::Command::Redact(a) => cmd::redact::run(&a),
        args::Command::Scan(a) => cmd::scan::run(&a),
        args::Command::Detectors(a) => cmd::detectors::run(&a),
        #[cfg(feature = "capture")]
        args::Command::Mock(a) => cmd::mock::run(&a),
        #[cfg(feature = "capture")]
        args::Command::Record(a) => cmd::record::run(&a),
        #[cfg(feature = "serve")]
        args::Command::Serve(a) => cmd::serve::run(&a),
    }
}
