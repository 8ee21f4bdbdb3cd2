//! A small axum service recorded and replayed with Tapedeck's tower layer and reqwest
//! middleware.
//!
//! ```text
//! TAPEDECK_MODE=record TAPEDECK_DIR=./cassettes UPSTREAM_URL=http://127.0.0.1:18080 \
//!   cargo run -p tapedeck_cli --example capture_service --features capture
//! curl http://127.0.0.1:3000/users/42        # writes ./cassettes/<date>/GET__users_42__<id>.json
//!
//! TAPEDECK_MODE=replay TIMETRACER_CASSETTE=./cassettes/<date>/GET__users_42__<id>.json \
//!   cargo run -p tapedeck_cli --example capture_service --features capture
//! curl http://127.0.0.1:3000/users/42        # same answer, the upstream is never called
//! ```
//!
//! Environment: `LISTEN` (default `127.0.0.1:3000`; `127.0.0.1:0` picks a port), `UPSTREAM_URL`
//! (default `http://127.0.0.1:18080`), plus the capture variables (`TAPEDECK_MODE`,
//! `TIMETRACER_MODE`, `TAPEDECK_DIR`, `TIMETRACER_DIR`, `TIMETRACER_CASSETTE`, ...). The first
//! line on stdout is `listening on http://ADDR`.

use std::io::Write as _;
use std::sync::Arc;

use anyhow::Context as _;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware};
use tapedeck_cli::capture::{Capture, CaptureMiddleware};

#[derive(Clone)]
struct App {
    client: ClientWithMiddleware,
    upstream: Arc<str>,
}

/// `GET /users/{id}`: asks the upstream for the user and wraps its answer.
async fn user(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, (StatusCode, String)> {
    let url = format!("{}/users/{id}", app.upstream);
    let response = app
        .client
        .get(&url)
        .send()
        .await
        .map_err(|e| (StatusCode::BAD_GATEWAY, format!("upstream failed: {e}")))?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(|e| {
        (
            StatusCode::BAD_GATEWAY,
            format!("upstream body failed: {e}"),
        )
    })?;
    let user: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        (
            StatusCode::BAD_GATEWAY,
            format!("upstream sent no JSON: {e}"),
        )
    })?;
    Ok(Json(
        serde_json::json!({ "user": user, "upstream_status": status }),
    ))
}

async fn health() -> &'static str {
    "ok"
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve())
}

async fn serve() -> anyhow::Result<()> {
    let listen = std::env::var("LISTEN").unwrap_or_else(|_| String::from("127.0.0.1:3000"));
    let upstream =
        std::env::var("UPSTREAM_URL").unwrap_or_else(|_| String::from("http://127.0.0.1:18080"));
    let capture = Capture::from_env()?;
    let client = ClientBuilder::new(reqwest::Client::new())
        .with(CaptureMiddleware)
        .build();
    let app = axum::Router::new()
        .route("/users/{id}", get(user))
        .route("/health", get(health))
        .with_state(App {
            client,
            upstream: upstream.trim_end_matches('/').into(),
        })
        .layer(capture.layer());
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{address}")?;
        stdout.flush()?;
    }
    eprintln!(
        "capture_service: mode {:?}, cassettes under {}, upstream {upstream}",
        capture.mode(),
        capture.settings().dir.display()
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
