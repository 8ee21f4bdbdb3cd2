//! Cassettes packed in archives: the entries of a `.zip` read from bytes (drag-and-drop in the
//! viewer, archives given to the CLI). Gzip needs nothing here: [`crate::decode`] recognises
//! it by its magic bytes.
//!
//! A small reader of our own rather than the `zip` crate: on wasm32 that crate pulls in
//! `getrandom` with its JavaScript backend (and so `wasm-bindgen`) even with every feature
//! off, which core must not depend on. Stored and deflated entries cover what `zip`, Python's
//! `zipfile`, macOS and Windows write; ZIP64 and encrypted entries are reported as errors.

use std::io::Read as _;

/// Why an archive, or one entry of it, could not be read. Messages quote no content.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArchiveError {
    #[error("not a zip archive (no end of central directory record)")]
    NotZip,
    #[error("zip archive is cut short or its directory is corrupt")]
    Corrupt,
    #[error("ZIP64 archives are not supported")]
    Zip64,
    #[error("entry is encrypted")]
    Encrypted,
    #[error("entry uses compression method {0} (only stored and deflate are supported)")]
    UnsupportedMethod(u16),
    #[error("entry data is corrupt (inflate failed or checksum mismatch)")]
    BadData,
    #[error("inflated size exceeds the {0} MiB limit")]
    TooLarge(usize),
    /// Writing: entry `index` (counted from 0) is larger than a zip without ZIP64 holds.
    #[error("entry {index} is 4 GiB or larger, which needs ZIP64 (not supported)")]
    EntryTooLarge { index: usize },
    /// Writing: the archive would be larger than a zip without ZIP64 holds.
    #[error("the archive would be 4 GiB or larger, which needs ZIP64 (not supported)")]
    ArchiveTooLarge,
    /// Writing: more entries than a zip without ZIP64 holds.
    #[error("more than 65,534 entries need ZIP64 (not supported)")]
    TooManyEntries,
    /// Writing: entry `index` (counted from 0) has a name no archive should hold.
    #[error("entry {index}: {problem}")]
    BadEntryName { index: usize, problem: NameProblem },
}

/// One file taken out of an archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveEntry {
    /// Path inside the archive (`group/2026-11-30/GET__x__1.json`).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// One entry that could not be read, by name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {reason}")]
pub struct EntryError {
    pub name: String,
    pub reason: ArchiveError,
}

/// Whether bytes look like a zip archive (local file header or an empty archive's end record).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Whether a file name is one a cassette folder holds (`*.json`, `*.har`, `*.yaml`, `*.yml`,
/// each also gzipped), leaving out macOS resource forks and index files Timetracer writes next
/// to cassettes.
pub fn is_cassette_name(path: &str) -> bool {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let lower = file.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    [".json", ".har", ".yaml", ".yml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
        && !file.starts_with("._")
        && lower != "index.json"
        && !path.contains("__MACOSX/")
}

const EOCD_SIG: u32 = 0x0605_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The cassette entries of a zip archive (see [`is_cassette_name`]), in directory order. An
/// entry that cannot be read is an `Err` next to the others; a broken archive as a whole is
/// the outer `Err`. Inflated sizes together may not exceed `limit` bytes.
pub fn zip_entries(
    bytes: &[u8],
    limit: usize,
) -> Result<Vec<Result<ArchiveEntry, EntryError>>, ArchiveError> {
    // The end record is 22 bytes plus a comment of up to 65,535 bytes.
    let search_from = bytes.len().saturating_sub(22 + 0xFFFF);
    let eocd = (search_from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| u32_at(bytes, i) == Some(EOCD_SIG))
        .ok_or(ArchiveError::NotZip)?;
    let count = u16_at(bytes, eocd + 10).ok_or(ArchiveError::Corrupt)?;
    let dir_offset = u32_at(bytes, eocd + 16).ok_or(ArchiveError::Corrupt)?;
    if count == 0xFFFF || dir_offset == 0xFFFF_FFFF {
        return Err(ArchiveError::Zip64);
    }
    let mut at = dir_offset as usize;
    let mut out = Vec::new();
    let mut budget = limit;
    for _ in 0..count {
        if u32_at(bytes, at) != Some(CENTRAL_SIG) {
            return Err(ArchiveError::Corrupt);
        }
        let field = |off: usize| u16_at(bytes, at + off).ok_or(ArchiveError::Corrupt);
        let field32 = |off: usize| u32_at(bytes, at + off).ok_or(ArchiveError::Corrupt);
        let flags = field(8)?;
        let method = field(10)?;
        let crc = field32(16)?;
        let compressed = field32(20)?;
        let size = field32(24)?;
        let name_len = usize::from(field(28)?);
        let extra_len = usize::from(field(30)?);
        let comment_len = usize::from(field(32)?);
        let local = field32(42)?;
        let name_bytes = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or(ArchiveError::Corrupt)?;
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        at += 46 + name_len + extra_len + comment_len;
        if name.ends_with('/') || !is_cassette_name(&name) {
            continue;
        }
        let entry = if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
            Err(ArchiveError::Zip64)
        } else if flags & 1 != 0 {
            Err(ArchiveError::Encrypted)
        } else if size as usize > budget {
            Err(ArchiveError::TooLarge(limit >> 20))
        } else {
            read_entry(
                bytes,
                local as usize,
                method,
                compressed as usize,
                size as usize,
                crc,
            )
        };
        match entry {
            Ok(data) => {
                budget -= data.len();
                out.push(Ok(ArchiveEntry { name, bytes: data }));
            }
            Err(reason) => out.push(Err(EntryError { name, reason })),
        }
    }
    Ok(out)
}

fn read_entry(
    bytes: &[u8],
    local: usize,
    method: u16,
    compressed: usize,
    size: usize,
    crc: u32,
) -> Result<Vec<u8>, ArchiveError> {
    if local >= bytes.len() || u32_at(bytes, local) != Some(LOCAL_SIG) {
        return Err(ArchiveError::Corrupt);
    }
    let name_len = usize::from(u16_at(bytes, local + 26).ok_or(ArchiveError::Corrupt)?);
    let extra_len = usize::from(u16_at(bytes, local + 28).ok_or(ArchiveError::Corrupt)?);
    let start = local + 30 + name_len + extra_len;
    let end = start.checked_add(compressed).ok_or(ArchiveError::Corrupt)?;
    let data = bytes.get(start..end).ok_or(ArchiveError::Corrupt)?;
    let out = match method {
        0 => data.to_vec(),
        8 => {
            let mut out = Vec::with_capacity(size);
            flate2::read::DeflateDecoder::new(data)
                .take(size as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|_| ArchiveError::BadData)?;
            out
        }
        other => return Err(ArchiveError::UnsupportedMethod(other)),
    };
    let mut check = flate2::Crc::new();
    check.update(&out);
    if out.len() != size || check.sum() != crc {
        return Err(ArchiveError::BadData);
    }
    Ok(out)
}

// Writing lives in its own file; the reader above stays as it was.
mod write;

pub use write::{MAX_ZIP32_ENTRIES, MAX_ZIP32_SIZE, NameProblem, name_problem, write_zip};

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    /// Writes a zip archive: (name, content, deflate?) per entry.
    fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, content, deflate) in entries {
            let data = if *deflate {
                let mut e =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(content).unwrap();
                e.finish().unwrap()
            } else {
                content.to_vec()
            };
            let mut crc = flate2::Crc::new();
            crc.update(content);
            let method: u16 = if *deflate { 8 } else { 0 };
            let offset = u32::try_from(out.len()).unwrap();
            let common = |v: &mut Vec<u8>| {
                v.extend_from_slice(&20u16.to_le_bytes());
                v.extend_from_slice(&0u16.to_le_bytes());
                v.extend_from_slice(&method.to_le_bytes());
                v.extend_from_slice(&[0; 4]);
                v.extend_from_slice(&crc.sum().to_le_bytes());
                v.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
                v.extend_from_slice(&u32::try_from(content.len()).unwrap().to_le_bytes());
                v.extend_from_slice(&u16::try_from(name.len()).unwrap().to_le_bytes());
                v.extend_from_slice(&0u16.to_le_bytes());
            };
            out.extend_from_slice(&LOCAL_SIG.to_le_bytes());
            common(&mut out);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&data);
            central.extend_from_slice(&CENTRAL_SIG.to_le_bytes());
            central.extend_from_slice(&20u16.to_le_bytes());
            common(&mut central);
            // comment length, disk, internal and external attributes
            central.extend_from_slice(&[0; 10]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let dir_offset = u32::try_from(out.len()).unwrap();
        let n = u16::try_from(entries.len()).unwrap();
        out.extend_from_slice(&central);
        out.extend_from_slice(&EOCD_SIG.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&u32::try_from(central.len()).unwrap().to_le_bytes());
        out.extend_from_slice(&dir_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn reads_stored_and_deflated_cassette_entries_only() {
        let archive = zip(&[
            ("a/one.json", b"{\"a\": 1}", false),
            ("a/two.json.gz", b"\x1f\x8b fake", true),
            ("a/readme.txt", b"hello", true),
            ("__MACOSX/a/._one.json", b"junk", false),
        ]);
        assert!(is_zip(&archive));
        let entries = zip_entries(&archive, 1 << 20).unwrap();
        assert_eq!(entries.len(), 2);
        let first = entries[0].as_ref().unwrap();
        assert_eq!(
            (first.name.as_str(), first.bytes.as_slice()),
            ("a/one.json", &b"{\"a\": 1}"[..])
        );
        assert_eq!(entries[1].as_ref().unwrap().bytes, b"\x1f\x8b fake");
    }

    #[test]
    fn a_corrupt_entry_does_not_hide_the_others() {
        let mut archive = zip(&[
            ("bad.json", b"{\"x\": 123456}", false),
            ("good.json", b"{}", false),
        ]);
        // Flip one content byte of the first entry: its checksum no longer matches.
        let pos = archive.windows(6).position(|w| w == b"123456").unwrap();
        archive[pos] = b'9';
        let entries = zip_entries(&archive, 1 << 20).unwrap();
        assert_eq!(
            entries[0].as_ref().unwrap_err().reason,
            ArchiveError::BadData
        );
        assert_eq!(entries[1].as_ref().unwrap().name, "good.json");
    }

    #[test]
    fn rejects_non_zips_truncation_and_bombs() {
        assert_eq!(zip_entries(b"{}", 1 << 20), Err(ArchiveError::NotZip));
        let archive = zip(&[("x.json", &[b' '; 4096], true)]);
        let entries = zip_entries(&archive, 1024).unwrap();
        assert_eq!(
            entries[0].as_ref().unwrap_err().reason,
            ArchiveError::TooLarge(0)
        );
        let cut = &archive[archive.len() / 2..];
        assert!(zip_entries(cut, 1 << 20).is_err());
        for n in 0..archive.len() {
            let _ = zip_entries(&archive[..n], 1 << 20);
        }
    }

    #[test]
    fn cassette_names() {
        assert!(is_cassette_name("x/GET__a__1.json"));
        assert!(is_cassette_name("GET__a__1.JSON.GZ"));
        assert!(!is_cassette_name("index.json"));
        assert!(!is_cassette_name("a/._GET.json"));
        assert!(!is_cassette_name("notes.txt"));
    }
}
