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
    counter: AtomicU64,
    /// The date folder known to exist (one `mkdir -p` per day, not per cassette).
    created: Mutex<Option<String>>,
}

impl CassetteWriter {
    pub fn new(dir: impl Into<PathBuf>) -> CassetteWriter {
        CassetteWriter {
            dir: dir.into(),
            counter: AtomicU64::new(0),
            created: Mutex::new(None),
        }
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
        let target = folder.join(&cassette.file_name);
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let tmp = folder.join(format!(
            ".{}.tmp-{}-{n}",
            cassette.file_name,
            std::process::id()
        ));
        let mut result = write_then_rename(&tmp, &target, &cassette.bytes);
        if result
            .as_ref()
            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        {
            // The folder went away (cleaned up while running): create it again, once.
            self.forget_folder();
            self.ensure_folder(&folder, &cassette.date_dir)?;
            result = write_then_rename(&tmp, &target, &cassette.bytes);
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
