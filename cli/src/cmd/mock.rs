//! `tapedeck mock`: load cassettes, build the replayer, serve until Ctrl-C.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use tapedeck_core::EventKind;
use tapedeck_core::replay::{MatchOptions, MatchPolicy, Ordering, Replayer};

use crate::args::MockArgs;
use crate::fsio;
use crate::mock::{self, MockState};

pub fn run(args: &MockArgs) -> anyhow::Result<ExitCode> {
    let policy = policy(args)?;
    let mut paths: Vec<PathBuf> = args.dir.iter().cloned().collect();
    paths.extend(args.cassette.iter().cloned());
    if paths.is_empty() {
        bail!("nothing to replay: give --dir DIR or --cassette FILE");
    }
    let files = fsio::collect_files(&paths)?;
    let mut cassettes = Vec::with_capacity(files.len());
    for file in &files {
        let bytes = fsio::read_input(file)?;
        let name = fsio::display_name(file);
        match tapedeck_core::decode(&name, &bytes) {
            Ok(decoded) => cassettes.push(decoded.cassette),
            // One bad file among many is reported and skipped, not fatal.
            Err(err) => eprintln!("tapedeck mock: skipping {name}: {err}"),
        }
    }
    if cassettes.is_empty() {
        bail!("no cassette could be read");
    }
    let addr = listen_addr(&args.listen)?;
    if !mock::is_loopback(&addr) {
        eprintln!(
            "tapedeck mock: warning: listening on {addr}, not a loopback address: anyone who can reach it gets the recorded responses (which may hold personal data or secrets)"
        );
    }
    let count = cassettes.len();
    let replayer = Replayer::from_cassettes(&cassettes, policy);
    drop(cassettes);
    let events = replayer.recorded().len();
    let state = Arc::new(MockState::new(replayer, count, !args.quiet));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr().context("reading the bound address")?;
        {
            let mut stdout = std::io::stdout().lock();
            writeln!(
                stdout,
                "tapedeck mock: listening on http://{local} ({count} cassettes, {events} http.client events)"
            )?;
            stdout.flush()?;
        }
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        mock::serve(listener, Arc::clone(&state), shutdown).await;
        let answered = state.answered.load(std::sync::atomic::Ordering::Relaxed);
        let missed = state.missed.load(std::sync::atomic::Ordering::Relaxed);
        eprintln!(
            "tapedeck mock: answered {answered}, missed {missed}, {} recorded calls unconsumed",
            state.replayer.unconsumed()
        );
        Ok(if missed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    })
}

/// `127.0.0.1:8080`, `localhost:8080` or `[::1]:8080`.
fn listen_addr(text: &str) -> anyhow::Result<SocketAddr> {
    let text = text.trim();
    let resolved = match text.strip_prefix("localhost:") {
        Some(port) => format!("127.0.0.1:{port}"),
        None => text.to_owned(),
    };
    resolved
        .parse()
        .with_context(|| format!("--listen {text}: expected an address such as 127.0.0.1:8080"))
}

fn policy(args: &MockArgs) -> anyhow::Result<MatchPolicy> {
    let ordering = Ordering::from_name(&args.order)
        .with_context(|| format!("--order {}: expected sequential, any or queue", args.order))?;
    let mut options = MatchOptions {
        ordering,
        strict: !args.lenient,
        allow_repeats: !args.no_repeats,
        match_host: !args.ignore_host,
        kinds: Some(vec![EventKind::HttpClient]),
        ..MatchOptions::default()
    };
    for field in args
        .r#match
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        match field {
            "path" | "method" | "url" => {}
            "query" => options.match_query = true,
            "headers" => options.match_headers = Some(header_names(&args.header)),
            "body-hash" | "body" => options.match_body_hash = true,
            "json-body" | "json" => options.match_json_body = Some(args.ignore_json_path.clone()),
            other => bail!(
                "--match {other}: expected a comma-separated list of path, query, headers, body-hash, json-body"
            ),
        }
    }
    if options.match_json_body.is_none() && !args.ignore_json_path.is_empty() {
        options.match_json_body = Some(args.ignore_json_path.clone());
    }
    if options.match_headers.is_none() && !args.header.is_empty() {
        options.match_headers = Some(header_names(&args.header));
    }
    MatchPolicy::from_options(options).map_err(|err| {
        let path = args
            .ignore_json_path
            .get(err.index)
            .map_or("", String::as_str);
        anyhow::anyhow!("--ignore-json-path {path}: {err}")
    })
}

fn header_names(given: &[String]) -> Vec<String> {
    if given.is_empty() {
        tapedeck_core::replay::hash::HEADER_ALLOW_LIST
            .iter()
            .map(|h| (*h).to_owned())
            .collect()
    } else {
        given.to_vec()
    }
}
