//! Capture settings from the environment: Tapedeck's variables, and Timetracer's so a service
//! set up for Timetracer records and replays the same way.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use tapedeck_core::record::{CaptureConfig, StorePolicy};

/// What the layer and the client middleware do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Pass everything through untouched.
    #[default]
    Off,
    /// Write one cassette per incoming request, with its outbound calls as events.
    Record,
    /// Answer outbound calls from the cassette named by `TIMETRACER_CASSETTE`; nothing goes
    /// to the network.
    Replay,
}

impl Mode {
    /// Parses `off`, `record` or `replay` (case-insensitive).
    pub fn from_name(name: &str) -> Option<Mode> {
        match name.trim().to_ascii_lowercase().as_str() {
            "off" | "" => Some(Mode::Off),
            "record" => Some(Mode::Record),
            "replay" => Some(Mode::Replay),
            _ => None,
        }
    }
}

/// Everything capture needs, resolved once at start-up.
#[derive(Clone, Debug, PartialEq)]
pub struct CaptureSettings {
    pub mode: Mode,
    /// Where cassettes are written (`<dir>/<YYYY-MM-DD>/<file>`).
    pub dir: PathBuf,
    /// The cassette replayed in replay mode.
    pub cassette: Option<PathBuf>,
    /// What goes into `session` and `policies`, and how bodies are captured.
    pub config: CaptureConfig,
    /// Paths not recorded: exact matches, or the path followed by `/`.
    pub exclude_paths: Vec<String>,
    /// A redaction policy file (TOML); the built-in policy when `None`.
    pub policy_file: Option<PathBuf>,
    /// Strict replay: a call that does not match fails instead of getting the next answer.
    pub strict_replay: bool,
    /// Write `*.json.gz` (gzip) instead of `*.json` (`TIMETRACER_COMPRESSION=gzip`).
    pub gzip: bool,
}

impl Default for CaptureSettings {
    fn default() -> Self {
        CaptureSettings {
            mode: Mode::Off,
            dir: PathBuf::from("./cassettes"),
            cassette: None,
            config: CaptureConfig {
                framework: String::from("tower"),
                tool_version: format!("tapedeck-{}", env!("CARGO_PKG_VERSION")),
                runtime_version: String::from("rust"),
                ..CaptureConfig::default()
            },
            exclude_paths: ["/health", "/metrics", "/docs", "/openapi.json"]
                .map(String::from)
                .to_vec(),
            policy_file: None,
            strict_replay: true,
            gzip: false,
        }
    }
}

impl CaptureSettings {
    /// Reads the process environment (see [`CaptureSettings::from_lookup`]).
    pub fn from_env() -> anyhow::Result<CaptureSettings> {
        CaptureSettings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (a variable's value, `None` when unset). Tapedeck's
    /// names win over Timetracer's:
    ///
    /// | setting | variables (first set wins) | default |
    /// |---|---|---|
    /// | mode | `TAPEDECK_MODE`, `TIMETRACER_MODE` | `off` |
    /// | folder | `TAPEDECK_DIR`, `TIMETRACER_DIR` | `./cassettes` |
    /// | replayed cassette | `TAPEDECK_CASSETTE`, `TIMETRACER_CASSETTE` | none |
    /// | redaction policy | `TAPEDECK_POLICY` | built-in |
    /// | service, env | `TIMETRACER_SERVICE`, `TIMETRACER_ENV` | `timetracer-service`, `local` |
    /// | body limit | `TIMETRACER_MAX_BODY_KB` | 64 |
    /// | response bodies | `TIMETRACER_STORE_RES_BODY` (`never`, `on_error`, `always`) | `on_error` |
    /// | sampling | `TIMETRACER_SAMPLE_RATE`, `TIMETRACER_ERRORS_ONLY` | 1.0, false |
    /// | exclusions | `TIMETRACER_EXCLUDE_PATHS` (comma-separated) | `/health,/metrics,/docs,/openapi.json` |
    /// | strict replay | `TIMETRACER_STRICT_REPLAY` | true |
    /// | compression | `TIMETRACER_COMPRESSION` (`none`, `gzip`) | `none` |
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<CaptureSettings> {
        let first = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| lookup(n).filter(|v| !v.is_empty()))
        };
        let mut settings = CaptureSettings::default();
        if let Some(mode) = first(&["TAPEDECK_MODE", "TIMETRACER_MODE"]) {
            settings.mode = Mode::from_name(&mode)
                .with_context(|| format!("mode {mode:?}: expected off, record or replay"))?;
        }
        if let Some(dir) = first(&["TAPEDECK_DIR", "TIMETRACER_DIR"]) {
            settings.dir = PathBuf::from(dir);
        }
        settings.cassette = first(&["TAPEDECK_CASSETTE", "TIMETRACER_CASSETTE"]).map(PathBuf::from);
        settings.policy_file = first(&["TAPEDECK_POLICY"]).map(PathBuf::from);
        let config = &mut settings.config;
        if let Some(service) = first(&["TIMETRACER_SERVICE"]) {
            config.service = service;
        }
        if let Some(env) = first(&["TIMETRACER_ENV"]) {
            config.env = env;
        }
        if let Some(kb) = first(&["TIMETRACER_MAX_BODY_KB"]) {
            config.max_body_kb = kb.trim().parse().with_context(|| {
                format!("TIMETRACER_MAX_BODY_KB {kb:?}: expected an integer >= 0")
            })?;
        }
        if let Some(store) = first(&["TIMETRACER_STORE_RES_BODY"]) {
            config.store_response_body = StorePolicy::from_name(&store).with_context(|| {
                format!("TIMETRACER_STORE_RES_BODY {store:?}: expected never, on_error or always")
            })?;
        }
        if let Some(store) = first(&["TIMETRACER_STORE_REQ_BODY"]) {
            config.store_request_body = StorePolicy::from_name(&store).with_context(|| {
                format!("TIMETRACER_STORE_REQ_BODY {store:?}: expected never, on_error or always")
            })?;
        }
        if let Some(rate) = first(&["TIMETRACER_SAMPLE_RATE"]) {
            let value: f64 = rate
                .trim()
                .parse()
                .with_context(|| format!("TIMETRACER_SAMPLE_RATE {rate:?}: expected 0..1"))?;
            if !(0.0..=1.0).contains(&value) {
                bail!("TIMETRACER_SAMPLE_RATE {rate:?}: expected 0..1");
            }
            config.sample_rate = value;
        }
        if let Some(flag) = first(&["TIMETRACER_ERRORS_ONLY"]) {
            config.errors_only = parse_bool(&flag);
        }
        if let Some(flag) = first(&["TIMETRACER_STRICT_REPLAY"]) {
            settings.strict_replay = parse_bool(&flag);
        }
        if let Some(compression) = first(&["TIMETRACER_COMPRESSION"]) {
            settings.gzip = match compression.trim().to_ascii_lowercase().as_str() {
                "none" => false,
                "gzip" => true,
                _ => bail!("TIMETRACER_COMPRESSION {compression:?}: expected none or gzip"),
            };
        }
        if let Some(paths) = lookup("TIMETRACER_EXCLUDE_PATHS") {
            settings.exclude_paths = paths
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect();
        }
        Ok(settings)
    }

    /// Whether `path` is excluded from recording (exact match, or a prefix followed by `/`).
    pub fn excludes(&self, path: &str) -> bool {
        self.exclude_paths.iter().any(|p| {
            path == p
                || path
                    .strip_prefix(p.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

/// Timetracer's booleans: `true`, `1`, `yes`, `on` (any case) are true.
fn parse_bool(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "on"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> anyhow::Result<CaptureSettings> {
        CaptureSettings::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn tapedeck_variables_win_over_timetracer_ones() {
        let s = settings(&[
            ("TIMETRACER_MODE", "replay"),
            ("TAPEDECK_MODE", "record"),
            ("TIMETRACER_DIR", "/tmp/tt"),
            ("TIMETRACER_CASSETTE", "/tmp/a.json"),
        ])
        .unwrap();
        assert_eq!(s.mode, Mode::Record);
        assert_eq!(s.dir, PathBuf::from("/tmp/tt"));
        assert_eq!(s.cassette, Some(PathBuf::from("/tmp/a.json")));
    }

    #[test]
    fn reads_timetracer_settings() {
        let s = settings(&[
            ("TIMETRACER_MODE", "RECORD"),
            ("TIMETRACER_SERVICE", "checkout"),
            ("TIMETRACER_MAX_BODY_KB", "1"),
            ("TIMETRACER_STORE_RES_BODY", "always"),
            ("TIMETRACER_ERRORS_ONLY", "yes"),
            ("TIMETRACER_EXCLUDE_PATHS", "/ping, /admin"),
            ("TIMETRACER_COMPRESSION", "gzip"),
        ])
        .unwrap();
        assert!(s.gzip);
        assert_eq!(s.mode, Mode::Record);
        assert_eq!(s.config.service, "checkout");
        assert_eq!(s.config.max_body_kb, 1);
        assert_eq!(s.config.store_response_body, StorePolicy::Always);
        assert!(s.config.errors_only);
        assert!(s.excludes("/admin/users"));
        assert!(s.excludes("/ping"));
        assert!(!s.excludes("/pingpong"));
    }

    #[test]
    fn rejects_unknown_modes() {
        assert!(settings(&[("TAPEDECK_MODE", "sometimes")]).is_err());
        assert_eq!(settings(&[]).unwrap().mode, Mode::Off);
    }
}
