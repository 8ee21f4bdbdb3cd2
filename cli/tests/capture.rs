//! The tower layer and the reqwest middleware inside an axum service, in process, on 127.0.0.1:
//! recording (with the outbound call as an event, a panic as `error_info`) and replaying with
//! the upstream gone.
#![cfg(feature = "capture")]
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure here is a test failure"
)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::routing::get;
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware};
use tapedeck_cli::capture::{Capture, CaptureMiddleware, CaptureSettings, Mode};
use tapedeck_core::record::StorePolicy;

/// A stub upstream; returns its address and a handle that stops it.
async fn start_upstream() -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let app = axum::Router::new().route(
        "/users/{id}",
        get(|UrlPath(id): UrlPath<u32>| async move {
            axum::Json(serde_json::json!({"id": id, "plan": "pro"}))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let handle = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (address, handle)
}

#[derive(Clone)]
struct App {
    client: ClientWithMiddleware,
    upstream: Arc<str>,
}

async fn user(
    State(app): State<App>,
    UrlPath(id): UrlPath<String>,
) -> Result<String, (http::StatusCode, String)> {
    let response = app
        .client
        .get(format!("{}/users/{id}", app.upstream))
        .send()
        .await
        .map_err(|e| (http::StatusCode::BAD_GATEWAY, e.to_string()))?;
    response
        .text()
        .await
        .map_err(|e| (http::StatusCode::BAD_GATEWAY, e.to_string()))
}

async fn boom() -> &'static str {
    panic!("handler exploded")
}

/// The service under test, with the layer from `capture`; returns its base URL.
async fn start_service(capture: &Arc<Capture>, upstream: SocketAddr) -> String {
    let client = ClientBuilder::new(reqwest::Client::new())
        .with(CaptureMiddleware)
        .build();
    let app = axum::Router::new()
        .route("/users/{id}", get(user))
        .route("/boom", get(boom))
        .with_state(App {
            client,
            upstream: format!("http://{upstream}").into(),
        })
        .layer(capture.layer());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    format!("http://{address}")
}

fn settings(mode: Mode, dir: &Path, cassette: Option<PathBuf>) -> CaptureSettings {
    let mut settings = CaptureSettings {
        mode,
        dir: dir.to_path_buf(),
        cassette,
        ..CaptureSettings::default()
    };
    settings.config.store_response_body = StorePolicy::Always;
    settings
}

fn cassettes(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for day in std::fs::read_dir(dir).unwrap() {
        for entry in std::fs::read_dir(day.unwrap().path()).unwrap() {
            out.push(entry.unwrap().path());
        }
    }
    out.sort();
    out
}

fn decode(path: &Path) -> tapedeck_core::Decoded {
    let bytes = std::fs::read(path).unwrap();
    let decoded = tapedeck_core::decode(&path.display().to_string(), &bytes).unwrap();
    assert!(decoded.warnings.is_empty(), "{:?}", decoded.warnings);
    decoded
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_outbound_calls_as_events_then_replays_them_without_the_upstream() {
    let (upstream, upstream_task) = start_upstream().await;
    let dir = tempfile::tempdir().unwrap();

    // Record.
    let capture = Capture::new(settings(Mode::Record, dir.path(), None)).unwrap();
    let base = start_service(&capture, upstream).await;
    let recorded = reqwest::get(format!("{base}/users/7"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(recorded, r#"{"id":7,"plan":"pro"}"#);
    let files = cassettes(dir.path());
    assert_eq!(files.len(), 1);
    let path = &files[0];
    assert!(
        path.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("GET__users_7__")
    );
    let decoded = decode(path);
    let cassette = &decoded.cassette;
    assert_eq!(cassette.response.status, 200);
    assert_eq!(cassette.events.len(), 1);
    let event = &cassette.events[0];
    assert_eq!(event.lib, "reqwest");
    assert_eq!(event.method, "GET");
    assert_eq!(
        event.target.as_deref(),
        Some(format!("http://{upstream}/users/7").as_str())
    );
    assert_eq!(event.status, Some(200));
    assert!(event.start_offset_ms >= 0.0 && event.duration_ms > 0.0);

    // Replay, with the upstream gone.
    upstream_task.abort();
    let _ = upstream_task.await;
    let replay_dir = tempfile::tempdir().unwrap();
    let capture = Capture::new(settings(
        Mode::Replay,
        replay_dir.path(),
        Some(path.clone()),
    ))
    .unwrap();
    let base = start_service(&capture, upstream).await;
    let replayed = reqwest::get(format!("{base}/users/7"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&replayed).unwrap(),
        serde_json::json!({"id": 7, "plan": "pro"})
    );
    // A call that was never recorded: Timetracer's diagnosis plus the closest recorded call.
    let miss = reqwest::get(format!("{base}/users/8")).await.unwrap();
    assert_eq!(miss.status(), 502);
    let text = miss.text().await.unwrap();
    assert!(text.contains("http.client mismatch at event #0"), "{text}");
    assert!(text.contains("closest recorded call"), "{text}");
    // Replay writes nothing.
    assert!(
        std::fs::read_dir(replay_dir.path())
            .unwrap()
            .next()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_is_recorded_with_its_error() {
    let (upstream, _task) = start_upstream().await;
    let dir = tempfile::tempdir().unwrap();
    let capture = Capture::new(settings(Mode::Record, dir.path(), None)).unwrap();
    let base = start_service(&capture, upstream).await;
    // The panic unwinds through the layer into hyper, which drops the connection.
    assert!(reqwest::get(format!("{base}/boom")).await.is_err());
    let files = cassettes(dir.path());
    assert_eq!(files.len(), 1);
    let decoded = decode(&files[0]);
    assert_eq!(decoded.cassette.response.status, 0);
    let error = decoded.cassette.app_error.as_ref().expect("error_info");
    assert_eq!(error.error_type.as_deref(), Some("panic"));
    assert_eq!(error.message.as_deref(), Some("handler exploded"));
}

#[tokio::test]
async fn off_mode_passes_requests_through_and_writes_nothing() {
    let (upstream, _task) = start_upstream().await;
    let dir = tempfile::tempdir().unwrap();
    let capture = Capture::new(settings(Mode::Off, dir.path(), None)).unwrap();
    let base = start_service(&capture, upstream).await;
    let body = reqwest::get(format!("{base}/users/3"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, r#"{"id":3,"plan":"pro"}"#);
    assert!(!dir.path().join("x").exists());
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}
