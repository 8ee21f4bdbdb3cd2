//! File-system access for the CLI: finding cassettes, reading inputs, writing outputs safely.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// The name `-` stands for standard input (or output).
pub fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Whether a file name looks like a cassette: `*.json`, `*.har`, `*.yaml`, `*.yml`, or any
/// `*.gz` (recognised by content once read).
pub fn is_cassette_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    [".json", ".gz", ".har", ".yaml", ".yml"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Expands the given paths: files as given, folders searched recursively (hidden entries
/// skipped) for cassette files, `-` kept for stdin. Missing paths are an error. Folder results
/// are sorted, so output never depends on directory order.
pub fn collect_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if is_stdio(path) {
            out.push(path.clone());
            continue;
        }
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read {}", path.display()))?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if is_cassette_name(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads a whole file, or standard input for `-`.
pub fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    if is_stdio(path) {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        return Ok(bytes);
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// The name a path is reported under.
pub fn display_name(path: &Path) -> String {
    if is_stdio(path) {
        String::from("<stdin>")
    } else {
        path.display().to_string()
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed, then
/// renamed over the target, so readers never see a torn file. `-` writes to standard output.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if is_stdio(path) {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(bytes)
            .context("cannot write standard output")?;
        return stdout.flush().context("cannot write standard output");
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let Some(file_name) = path.file_name() else {
        bail!("not a file path: {}", path.display());
    };
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(err) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(err).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
