//! `tapedeck serve DIR`: opens the viewer on a folder's cassettes, from this machine only.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::args::ServeArgs;
use crate::server::{Viewer, list_cassettes, router};

pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let viewer = Viewer::find()?;
    let app = router(&args.dir, viewer)?;
    let count = list_cassettes(&args.dir.canonicalize()?).len();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the server runtime")?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(args.host, args.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr}"))?;
        let local = listener.local_addr()?;
        let url = format!("http://{local}/");
        {
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "tapedeck: serving the viewer on {count} cassette{} from {} at {url} (Ctrl-C to stop)",
                if count == 1 { "" } else { "s" },
                args.dir.display()
            )?;
            out.flush()?;
        }
        if args.open {
            open_browser(&url);
        }
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("serving")?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Best effort: the person can always open the printed URL themselves.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("tapedeck: could not start a browser; open {url}");
    }
}
