//! Writing recorded cassettes: one file per exchange, atomically.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tapedeck_core::record::RecordedCassette;

/// Writes cassettes under `<dir>/<YYYY-MM-DD>/`. A temporary file in the same folder is
/// written, then renamed over the target, so a reader never sees a torn cassette.
///
/// Not flushed to disk (`fsync`) before the rename: after a power loss a cassette may be
/// missing, never half-written as seen by a running reader. That keeps recording cheap.
#[derive(Debug)]
pub struct CassetteWriter {
    dir: PathBuf,
    gzip: bool,
    counter: AtomicU64,
    /// The date folder known to exist (one `mkdir -p` per day, not per cassette).
    created: Mutex<Option<String>>,
}

impl CassetteWriter {
    pub fn new(dir: impl Into<PathBuf>) -> CassetteWriter {
        CassetteWriter {
            dir: dir.into(),
            gzip: false,
            counter: AtomicU64::new(0),
            created: Mutex::new(None),
        }
    }

    /// Writes `*.json.gz` (the same text, gzip-compressed, as `TIMETRACER_COMPRESSION=gzip`).
    #[must_use]
    pub fn with_gzip(mut self, gzip: bool) -> CassetteWriter {
        self.gzip = gzip;
        self
    }

    /// The cassette folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one cassette; returns its path. Blocking: call it off the async runtime
    /// ([`tokio::task::spawn_blocking`]) or through [`CassetteWriter::write_async`].
    pub fn write(&self, cassette: &RecordedCassette) -> std::io::Result<PathBuf> {
        let folder = self.dir.join(&cassette.date_dir);
        self.ensure_folder(&folder, &cassette.date_dir)?;
        let (file_name, bytes) = if self.gzip {
            (
                format!("{}.gz", cassette.file_name),
                std::borrow::Cow::Owned(tapedeck_core::format::gzip::deflate(&cassette.bytes)),
            )
        } else {
            (
                cassette.file_name.clone(),
                std::borrow::Cow::Borrowed(&cassette.bytes[..]),
            )
        };
        let target = folder.join(&file_name);
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let tmp = folder.join(format!(".{file_name}.tmp-{}-{n}", std::process::id()));
        let mut result = write_then_rename(&tmp, &target, &bytes);
        if result
            .as_ref()
            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        {
            // The folder went away (cleaned up while running): create it again, once.
            self.forget_folder();
            self.ensure_folder(&folder, &cassette.date_dir)?;
            result = write_then_rename(&tmp, &target, &bytes);
        }
        if let Err(err) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(err);
        }
        Ok(target)
    }

    fn ensure_folder(&self, folder: &Path, date_dir: &str) -> std::io::Result<()> {
        let mut created = self
            .created
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if created.as_deref() != Some(date_dir) {
            std::fs::create_dir_all(folder)?;
            *created = Some(date_dir.to_owned());
        }
        Ok(())
    }

    fn forget_folder(&self) {
        *self
            .created
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// [`CassetteWriter::write`] on tokio's blocking pool.
    pub async fn write_async(
        self: &std::sync::Arc<Self>,
        cassette: RecordedCassette,
    ) -> std::io::Result<PathBuf> {
        let writer = std::sync::Arc::clone(self);
        tokio::task::spawn_blocking(move || writer.write(&cassette))
            .await
            .map_err(std::io::Error::other)?
    }
}

fn write_then_rename(tmp: &Path, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create(tmp)?;
    file.write_all(bytes)?;
    drop(file);
    std::fs::rename(tmp, target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tapedeck_core::record::{
        CaptureConfig, Exchange, IncomingRequest, OutgoingResponse, Recorder,
    };

    fn cassette() -> RecordedCassette {
        let exchange = Exchange {
            session_id: String::from("0f1e2d3c-4b5a-4678-9abc-def012345678"),
            started_at_unix_micros: 1_796_024_310_000_000,
            duration_ms: 1.0,
            request: IncomingRequest {
                method: String::from("GET"),
                path: String::from("/a"),
                ..IncomingRequest::default()
            },
            response: Some(OutgoingResponse {
                status: 204,
                ..OutgoingResponse::default()
            }),
            calls: Vec::new(),
            failure: None,
        };
        Recorder::without_redaction(CaptureConfig::default())
            .record(&exchange)
            .unwrap()
    }

    #[test]
    fn writes_plain_and_gzip_cassettes_under_the_date_folder() {
        let dir = tempfile::tempdir().unwrap();
        let recorded = cassette();
        let plain = CassetteWriter::new(dir.path()).write(&recorded).unwrap();
        assert_eq!(plain, dir.path().join("2026-11-30/GET__a__0f1e2d3c.json"));
        assert_eq!(std::fs::read(&plain).unwrap(), recorded.bytes);
        let gz = CassetteWriter::new(dir.path())
            .with_gzip(true)
            .write(&recorded)
            .unwrap();
        assert_eq!(gz, dir.path().join("2026-11-30/GET__a__0f1e2d3c.json.gz"));
        let bytes = std::fs::read(&gz).unwrap();
        let decoded = tapedeck_core::decode("a.json.gz", &bytes).unwrap();
        assert!(decoded.cassette.compressed);
        // Only the two cassettes: no temporary file left behind.
        assert_eq!(
            std::fs::read_dir(dir.path().join("2026-11-30"))
                .unwrap()
                .count(),
            2
        );
    }
}
