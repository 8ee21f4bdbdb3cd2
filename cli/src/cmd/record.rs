//! `tapedeck record`: the recording reverse proxy (see `tapedeck_cli::proxy`).

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use tapedeck_cli::capture::{Capture, CaptureSettings, Mode};
use tapedeck_cli::proxy::{RecordProxy, parse_upstream};
use tapedeck_core::record::StorePolicy;

use crate::args::RecordArgs;

pub fn run(args: &RecordArgs) -> anyhow::Result<ExitCode> {
    let upstream = parse_upstream(&args.upstream)?;
    let mut settings = CaptureSettings {
        mode: Mode::Record,
        dir: args.dir.clone(),
        policy_file: args.policy.clone(),
        exclude_paths: Vec::new(),
        gzip: args.gzip,
        ..CaptureSettings::default()
    };
    settings.config.service.clone_from(&args.service);
    settings.config.framework = String::from("proxy");
    settings.config.runtime_version = String::from("any");
    settings.config.max_body_kb = args.max_body_kb;
    settings.config.store_response_body = StorePolicy::from_name(&args.store_response_body)
        .with_context(|| {
            format!(
                "--store-response-body {:?}: expected never, on_error or always",
                args.store_response_body
            )
        })?;
    let capture = Capture::new(settings)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let address = listener.local_addr().context("no local address")?;
        if !address.ip().is_loopback() {
            eprintln!("tapedeck: warning: listening on {address}, reachable from other machines");
        }
        {
            // The first line of stdout is the address, for scripts that asked for port 0.
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "listening on http://{address}")?;
            stdout.flush()?;
        }
        eprintln!(
            "tapedeck record: forwarding to {}, writing cassettes under {}",
            args.upstream,
            args.dir.display()
        );
        let proxy = Arc::new(RecordProxy::new(upstream, Arc::clone(&capture)));
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        proxy.serve(listener, shutdown).await
    })?;
    Ok(ExitCode::SUCCESS)
}
