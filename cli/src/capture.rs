//! Capture and replay inside a Rust HTTP service.
//!
//! * [`RecordLayer`]: a tower layer (axum, hyper, any tower stack) that records each incoming
//!   request and its response into one Timetracer cassette, redacted before it is written.
//! * [`CaptureMiddleware`]: a reqwest-middleware middleware; in record mode each outbound call
//!   becomes an `http.client` event of the current request's cassette, in replay mode calls
//!   are answered from the cassette named by `TIMETRACER_CASSETTE` without touching the
//!   network (matching is `tapedeck_core::replay`, Timetracer's rules by default).
//!
//! Settings come from the environment ([`CaptureSettings::from_env`]): `TAPEDECK_MODE` or
//! `TIMETRACER_MODE` (`record`, `replay`, `off`), `TAPEDECK_DIR`/`TIMETRACER_DIR`,
//! `TIMETRACER_CASSETTE`, and Timetracer's capture variables.
//!
//! ```no_run
//! # async fn run() -> anyhow::Result<()> {
//! use tapedeck_cli::capture::{Capture, CaptureMiddleware};
//! let capture = Capture::from_env()?;
//! let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
//!     .with(CaptureMiddleware)
//!     .build();
//! let layer = capture.layer(); // axum: Router::new().route(..).layer(layer)
//! # let _ = (client, layer);
//! # Ok(())
//! # }
//! ```

mod client;
pub mod exchange;
mod layer;
pub mod session;
mod settings;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use tapedeck_core::model::{Cassette, EventKind};
use tapedeck_core::record::{Exchange, Recorder, session_id_from_random};
use tapedeck_core::redact::{Policy, RedactorBuilder};
use tapedeck_core::replay::{MatchOptions, MatchPolicy, Replayer};

pub use client::CaptureMiddleware;
pub use layer::{RecordLayer, RecordService};
pub use settings::{CaptureSettings, Mode};
pub use writer::CassetteWriter;

/// Shared capture state: settings, the recorder (with its compiled redaction policy), the
/// writer and, in replay mode, the cassette to answer from. Build it once and share it.
#[derive(Debug)]
pub struct Capture {
    settings: CaptureSettings,
    recorder: Recorder,
    writer: Arc<CassetteWriter>,
    replay: Option<(Cassette, MatchOptions)>,
}

impl Capture {
    /// Capture configured from the environment.
    pub fn from_env() -> anyhow::Result<Arc<Capture>> {
        Capture::new(CaptureSettings::from_env()?)
    }

    /// Capture with explicit settings: compiles the redaction policy and, in replay mode,
    /// loads the cassette (`TIMETRACER_CASSETTE` is required then).
    pub fn new(settings: CaptureSettings) -> anyhow::Result<Arc<Capture>> {
        let recorder = Recorder::new(
            settings.config.clone(),
            build_redactor(settings.policy_file.as_deref())?,
        );
        let replay = match (settings.mode, &settings.cassette) {
            (Mode::Replay, Some(path)) => Some((
                load_cassette(path)?,
                MatchOptions {
                    strict: settings.strict_replay,
                    // Only HTTP events are answered here; database or Redis events recorded
                    // by other tools are skipped instead of blocking the cursor.
                    kinds: Some(vec![EventKind::HttpClient]),
                    ..MatchOptions::default()
                },
            )),
            (Mode::Replay, None) => {
                anyhow::bail!("replay mode needs TIMETRACER_CASSETTE (or TAPEDECK_CASSETTE)")
            }
            _ => None,
        };
        let writer = Arc::new(CassetteWriter::new(settings.dir.clone()).with_gzip(settings.gzip));
        Ok(Arc::new(Capture {
            settings,
            recorder,
            writer,
            replay,
        }))
    }

    pub fn settings(&self) -> &CaptureSettings {
        &self.settings
    }

    pub fn mode(&self) -> Mode {
        self.settings.mode
    }

    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    /// The tower layer recording (or replaying) each request.
    pub fn layer(self: &Arc<Self>) -> RecordLayer {
        RecordLayer::new(Arc::clone(self))
    }

    /// A fresh replayer over the replayed cassette (one per incoming request, as Timetracer
    /// replays per request).
    pub fn replayer(&self) -> anyhow::Result<Option<Replayer>> {
        let Some((cassette, options)) = &self.replay else {
            return Ok(None);
        };
        let policy = MatchPolicy::from_options(options.clone())?;
        Ok(Some(Replayer::new(cassette, policy)))
    }

    /// Whether this request is recorded under the sample rate.
    pub fn sampled(&self) -> bool {
        let rate = self.settings.config.sample_rate;
        if rate >= 1.0 {
            return true;
        }
        let mut bytes = [0u8; 8];
        if getrandom::fill(&mut bytes).is_err() {
            return true;
        }
        #[expect(
            clippy::cast_precision_loss,
            reason = "a uniform draw needs 53 bits at most"
        )]
        let draw = (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64;
        draw < rate
    }

    /// Records `exchange` and writes it; `None` when `errors_only` skips it.
    pub async fn write(&self, exchange: &Exchange) -> anyhow::Result<Option<PathBuf>> {
        let status = exchange.response.as_ref().map(|r| r.status);
        if !self.recorder.wants(status, exchange.failure.is_some()) {
            return Ok(None);
        }
        let cassette = self
            .recorder
            .record(exchange)
            .context("cannot record the exchange")?;
        let path = self.writer.write_async(cassette).await.with_context(|| {
            format!(
                "cannot write a cassette under {}",
                self.writer.dir().display()
            )
        })?;
        Ok(Some(path))
    }
}

/// A new session id (UUID version 4) from the operating system's randomness.
pub fn new_session_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS randomness: fall back on the clock and a counter, still unique per process.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        bytes[..8].copy_from_slice(&unix_micros_now().to_le_bytes());
        bytes[8..].copy_from_slice(&n.to_le_bytes());
    }
    session_id_from_random(bytes)
}

/// Microseconds since the Unix epoch, now.
pub fn unix_micros_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

/// The redactor for a policy file, or the built-in policy.
pub fn build_redactor(
    policy_file: Option<&Path>,
) -> anyhow::Result<tapedeck_core::redact::Redactor> {
    let mut builder = RedactorBuilder::new();
    if let Some(path) = policy_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read policy {}", path.display()))?;
        let policy = Policy::from_toml(&text)
            .with_context(|| format!("invalid policy {}", path.display()))?;
        builder = builder.with_policy(policy);
    }
    builder.build().context("invalid redaction policy")
}

fn load_cassette(path: &Path) -> anyhow::Result<Cassette> {
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read cassette {}", path.display()))?;
    let name = path.display().to_string();
    let decoded = tapedeck_core::decode(&name, &bytes)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot decode cassette {}", path.display()))?;
    Ok(decoded.cassette)
}
