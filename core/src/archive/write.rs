//! Writing zip archives: the viewer packs redacted cassettes into one download.
//!
//! Deterministic: the same entries give the same bytes. Every entry carries the fixed
//! timestamp 1980-01-01 00:00 (the earliest a zip can hold; core has no clock), entries keep
//! the order given, and deflate (`flate2`'s pure-Rust backend) is itself deterministic.
//!
//! Plain zip only, as [`super::zip_entries`] reads: no ZIP64, no encryption, no extra fields.
//! Names are UTF-8 (general-purpose flag bit 11) and must be safe relative paths with forward
//! slashes; an unsafe name is rejected, not rewritten, so what the caller sees is what an
//! extractor writes (see [`NameProblem`]).

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::Write as _;

use super::{ArchiveError, CENTRAL_SIG, EOCD_SIG, LOCAL_SIG};

/// The largest entry, offset or archive size a zip without ZIP64 holds: `0xFFFF_FFFF` in a
/// size or offset field means "see the ZIP64 record" (4 GiB - 2 bytes).
pub const MAX_ZIP32_SIZE: u64 = 0xFFFF_FFFE;

/// The most entries a zip without ZIP64 holds: `0xFFFF` in the end record means "see the
/// ZIP64 record" (Python's `zipfile` and [`super::zip_entries`] read it so).
pub const MAX_ZIP32_ENTRIES: usize = 0xFFFE;

/// General-purpose flag bit 11: the name is UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// Version needed to extract: 2.0 (deflate).
const VERSION_NEEDED: u16 = 20;
/// Version made by: host 0 (MS-DOS), spec 2.0. An MS-DOS host means the external attributes
/// hold no Unix permission bits, so extractors give files their default permissions.
const VERSION_MADE_BY: u16 = 20;
const METHOD_STORED: u16 = 0;
const METHOD_DEFLATED: u16 = 8;
/// 00:00:00 in MS-DOS form.
const DOS_TIME: u16 = 0;
/// 1980-01-01 in MS-DOS form: (year - 1980) << 9 | month << 5 | day.
const DOS_DATE: u16 = (1 << 5) | 1;

/// Why an entry name cannot be written. Names are paths with `/` between folders, relative to
/// the folder an archive is extracted into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameProblem {
    /// The name is empty.
    #[error("the name is empty")]
    Empty,
    /// The name starts with `/` or a drive (`C:`).
    #[error("the name is an absolute path")]
    Absolute,
    /// The name holds a `\`, which Windows extractors read as a folder separator.
    #[error("the name holds a backslash (use / between folders)")]
    Backslash,
    /// A folder or file is called `.` or `..`.
    #[error("the name holds a `.` or `..` segment")]
    DotSegment,
    /// Two slashes in a row, or a slash at the start or the end (a folder entry).
    #[error("the name holds an empty segment")]
    EmptySegment,
    /// Longer than the 65,535 bytes a zip name field holds.
    #[error("the name is longer than 65,535 bytes")]
    TooLong,
    /// An earlier entry has the same name.
    #[error("an earlier entry has the same name")]
    Duplicate,
}

/// Packs files into a zip archive, in the order given: `(name, bytes)` per entry.
///
/// Each entry is deflated at the default level, or stored when deflate does not make it
/// smaller. Names are kept as given (folders included) but must be safe relative paths
/// ([`NameProblem`]). Fails with [`ArchiveError::BadEntryName`], or when the archive would
/// need ZIP64: an entry or the archive larger than [`MAX_ZIP32_SIZE`]
/// ([`ArchiveError::EntryTooLarge`], [`ArchiveError::ArchiveTooLarge`]), or more than
/// [`MAX_ZIP32_ENTRIES`] entries ([`ArchiveError::TooManyEntries`]).
pub fn write_zip<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<Vec<u8>, ArchiveError> {
    let entries: Vec<(&str, &[u8])> = entries.into_iter().collect();
    if entries.len() > MAX_ZIP32_ENTRIES {
        return Err(ArchiveError::TooManyEntries);
    }
    check_names(entries.iter().map(|(name, _)| *name))?;
    let mut archive = Vec::new();
    let mut directory = Vec::new();
    for (index, (name, content)) in entries.iter().enumerate() {
        let entry = Packed::new(index, name, content)?;
        let offset = zip32(archive.len()).ok_or(ArchiveError::ArchiveTooLarge)?;
        entry.write_local(&mut archive);
        entry.write_central(offset, &mut directory);
    }
    let directory_offset = zip32(archive.len()).ok_or(ArchiveError::ArchiveTooLarge)?;
    let directory_size = zip32(directory.len()).ok_or(ArchiveError::ArchiveTooLarge)?;
    archive.extend_from_slice(&directory);
    write_end_record(
        entries.len(),
        directory_size,
        directory_offset,
        &mut archive,
    )?;
    if zip32(archive.len()).is_none() {
        return Err(ArchiveError::ArchiveTooLarge);
    }
    Ok(archive)
}

/// Why `name` cannot be an entry name, if it cannot.
pub fn name_problem(name: &str) -> Option<NameProblem> {
    if name.is_empty() {
        Some(NameProblem::Empty)
    } else if name.len() > usize::from(u16::MAX) {
        Some(NameProblem::TooLong)
    } else if name.starts_with('/') || starts_with_drive(name) {
        Some(NameProblem::Absolute)
    } else if name.contains('\\') {
        Some(NameProblem::Backslash)
    } else if name
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        Some(NameProblem::DotSegment)
    } else if name.split('/').any(str::is_empty) {
        Some(NameProblem::EmptySegment)
    } else {
        None
    }
}

/// `C:` and the like, which Windows extractors read as a drive.
fn starts_with_drive(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some(letter), Some(':')) if letter.is_ascii_alphabetic()
    )
}

fn check_names<'a>(names: impl Iterator<Item = &'a str>) -> Result<(), ArchiveError> {
    let mut seen = BTreeSet::new();
    for (index, name) in names.enumerate() {
        let problem = name_problem(name).or_else(|| {
            let repeated = !seen.insert(name);
            repeated.then_some(NameProblem::Duplicate)
        });
        if let Some(problem) = problem {
            return Err(ArchiveError::BadEntryName { index, problem });
        }
    }
    Ok(())
}

/// A size or offset as a zip field, if it fits without ZIP64.
fn zip32(value: usize) -> Option<u32> {
    u32::try_from(value)
        .ok()
        .filter(|&field| u64::from(field) <= MAX_ZIP32_SIZE)
}

/// One entry ready to be written.
struct Packed<'a> {
    name: &'a str,
    method: u16,
    crc: u32,
    size: u32,
    data: Cow<'a, [u8]>,
}

impl<'a> Packed<'a> {
    fn new(index: usize, name: &'a str, content: &'a [u8]) -> Result<Packed<'a>, ArchiveError> {
        let size = zip32(content.len()).ok_or(ArchiveError::EntryTooLarge { index })?;
        let mut crc = flate2::Crc::new();
        crc.update(content);
        let (method, data) = match deflate(content) {
            Some(deflated) if deflated.len() < content.len() => {
                (METHOD_DEFLATED, Cow::Owned(deflated))
            }
            _ => (METHOD_STORED, Cow::Borrowed(content)),
        };
        Ok(Packed {
            name,
            method,
            crc: crc.sum(),
            size,
            data,
        })
    }

    fn compressed_size(&self) -> u32 {
        // Never larger than `size`, which fits: stored data is the content itself and
        // deflated data is kept only when smaller.
        zip32(self.data.len()).unwrap_or(self.size)
    }

    /// The fields local and central headers share, from "version needed" to "extra length".
    fn write_shared_fields(&self, out: &mut Vec<u8>) {
        // `name_problem` rejected names longer than a u16 holds.
        let name_len = u16::try_from(self.name.len()).unwrap_or(u16::MAX);
        for field in [VERSION_NEEDED, UTF8_NAMES, self.method, DOS_TIME, DOS_DATE] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        for field in [self.crc, self.compressed_size(), self.size] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    }

    fn write_local(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&LOCAL_SIG.to_le_bytes());
        self.write_shared_fields(out);
        out.extend_from_slice(self.name.as_bytes());
        out.extend_from_slice(&self.data);
    }

    fn write_central(&self, local_offset: u32, out: &mut Vec<u8>) {
        out.extend_from_slice(&CENTRAL_SIG.to_le_bytes());
        out.extend_from_slice(&VERSION_MADE_BY.to_le_bytes());
        self.write_shared_fields(out);
        // Comment length, disk number start, internal attributes: all zero.
        out.extend_from_slice(&[0; 6]);
        out.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        out.extend_from_slice(&local_offset.to_le_bytes());
        out.extend_from_slice(self.name.as_bytes());
    }
}

/// Raw deflate at the default level; `None` if the encoder failed (then the entry is stored).
fn deflate(content: &[u8]) -> Option<Vec<u8>> {
    if content.is_empty() {
        // Deflate never shrinks nothing; skip the encoder's setup.
        return None;
    }
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(content).ok()?;
    encoder.finish().ok()
}

fn write_end_record(
    entry_count: usize,
    directory_size: u32,
    directory_offset: u32,
    out: &mut Vec<u8>,
) -> Result<(), ArchiveError> {
    let count = u16::try_from(entry_count).map_err(|_| ArchiveError::TooManyEntries)?;
    out.extend_from_slice(&EOCD_SIG.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, the disk the directory starts on
    out.extend_from_slice(&count.to_le_bytes()); // entries on this disk
    out.extend_from_slice(&count.to_le_bytes()); // entries in all
    out.extend_from_slice(&directory_size.to_le_bytes());
    out.extend_from_slice(&directory_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{u16_at, u32_at, zip_entries};
    use super::*;

    /// Bytes deflate cannot shrink: a xorshift stream.
    fn noise(len: usize) -> Vec<u8> {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect()
    }

    /// (name, method, flags, time, date) of each central directory entry.
    fn directory(archive: &[u8]) -> Vec<(String, u16, u16, u16, u16)> {
        let end = archive.len() - 22;
        let count = u16_at(archive, end + 10).unwrap();
        let mut at = u32_at(archive, end + 16).unwrap() as usize;
        let mut out = Vec::new();
        for _ in 0..count {
            assert_eq!(u32_at(archive, at), Some(CENTRAL_SIG));
            let name_len = usize::from(u16_at(archive, at + 28).unwrap());
            let name = std::str::from_utf8(&archive[at + 46..at + 46 + name_len]).unwrap();
            out.push((
                name.to_owned(),
                u16_at(archive, at + 10).unwrap(),
                u16_at(archive, at + 8).unwrap(),
                u16_at(archive, at + 12).unwrap(),
                u16_at(archive, at + 14).unwrap(),
            ));
            at += 46 + name_len;
        }
        out
    }

    fn sample() -> Vec<(String, Vec<u8>)> {
        let json = br#"{"request": {"method": "GET", "path": "/users/42"}}"#.repeat(40);
        vec![
            (String::from("group/2026-11-30/GET__users__1.json"), json),
            (String::from("group/2026-11-30/empty.json"), Vec::new()),
            (String::from("other/deep/er/noise.json"), noise(4096)),
            (String::from("top.har"), b"{}".to_vec()),
            (String::from("ünïcødé/日本.json"), b"{\"a\": 1}\n".to_vec()),
        ]
    }

    fn write_sample() -> Vec<u8> {
        let files = sample();
        write_zip(files.iter().map(|(n, b)| (n.as_str(), b.as_slice()))).unwrap()
    }

    #[test]
    fn round_trips_names_and_bytes_through_the_reader() {
        let archive = write_sample();
        let read: Vec<(String, Vec<u8>)> = zip_entries(&archive, 1 << 20)
            .unwrap()
            .into_iter()
            .map(|entry| {
                let entry = entry.unwrap();
                (entry.name, entry.bytes)
            })
            .collect();
        assert_eq!(read, sample());
    }

    #[test]
    fn deflates_what_shrinks_and_stores_the_rest() {
        let methods: Vec<(String, u16)> = directory(&write_sample())
            .into_iter()
            .map(|(name, method, ..)| (name, method))
            .collect();
        let expected = [
            ("group/2026-11-30/GET__users__1.json", METHOD_DEFLATED),
            ("group/2026-11-30/empty.json", METHOD_STORED),
            ("other/deep/er/noise.json", METHOD_STORED),
            ("top.har", METHOD_STORED),
            ("ünïcødé/日本.json", METHOD_STORED),
        ];
        let expected: Vec<(String, u16)> = expected
            .iter()
            .map(|(name, method)| ((*name).to_owned(), *method))
            .collect();
        assert_eq!(methods, expected);
    }

    #[test]
    fn every_entry_has_the_fixed_time_and_utf8_flag() {
        let archive = write_sample();
        for (name, _, flags, time, date) in directory(&archive) {
            assert_eq!((flags, time, date), (0x0800, 0, 0x0021), "{name}");
        }
        // The local header of the first entry says the same.
        assert_eq!(u16_at(&archive, 6), Some(0x0800));
        assert_eq!(u32_at(&archive, 10), Some(0x0021_0000));
    }

    #[test]
    fn the_same_entries_give_the_same_bytes() {
        assert_eq!(write_sample(), write_sample());
    }

    #[test]
    fn an_empty_archive_is_just_an_end_record() {
        let archive = write_zip([]).unwrap();
        assert_eq!(archive.len(), 22);
        assert!(super::super::is_zip(&archive));
        assert_eq!(zip_entries(&archive, 1 << 20), Ok(Vec::new()));
    }

    #[test]
    fn rejects_unsafe_names_by_index() {
        let cases = [
            ("", NameProblem::Empty),
            ("/etc/passwd.json", NameProblem::Absolute),
            ("C:/x.json", NameProblem::Absolute),
            ("c:x.json", NameProblem::Absolute),
            ("a\\b.json", NameProblem::Backslash),
            ("../x.json", NameProblem::DotSegment),
            ("a/../../x.json", NameProblem::DotSegment),
            ("a/..", NameProblem::DotSegment),
            ("./x.json", NameProblem::DotSegment),
            ("a//x.json", NameProblem::EmptySegment),
            ("folder/", NameProblem::EmptySegment),
        ];
        for (name, problem) in cases {
            let entries = [("fine.json", &b"{}"[..]), (name, &b"{}"[..])];
            assert_eq!(
                write_zip(entries),
                Err(ArchiveError::BadEntryName { index: 1, problem }),
                "{name:?}"
            );
        }
        let long = "a".repeat(70_000);
        assert_eq!(name_problem(&long), Some(NameProblem::TooLong));
    }

    #[test]
    fn accepts_dots_inside_names() {
        for name in [
            "..a.json",
            "a../b.json",
            ".hidden/x.json",
            "a/b.c/d..json",
            "ab:c.json",
        ] {
            assert_eq!(name_problem(name), None, "{name}");
        }
    }

    #[test]
    fn rejects_a_repeated_name() {
        let entries = [
            ("a/x.json", &b"1"[..]),
            ("b/x.json", &b"2"[..]),
            ("a/x.json", &b"3"[..]),
        ];
        assert_eq!(
            write_zip(entries),
            Err(ArchiveError::BadEntryName {
                index: 2,
                problem: NameProblem::Duplicate
            })
        );
    }

    #[test]
    fn the_entry_limit_is_the_last_count_without_zip64() {
        let names: Vec<String> = (0..MAX_ZIP32_ENTRIES)
            .map(|i| format!("e/{i}.json"))
            .collect();
        let archive = write_zip(names.iter().map(|n| (n.as_str(), &b""[..]))).unwrap();
        assert_eq!(zip_entries(&archive, 1).unwrap().len(), MAX_ZIP32_ENTRIES);

        let one_more = std::iter::repeat_n(("same.json", &b""[..]), MAX_ZIP32_ENTRIES + 1);
        assert_eq!(write_zip(one_more), Err(ArchiveError::TooManyEntries));
    }

    #[test]
    fn sizes_from_the_zip64_marker_up_do_not_fit() {
        assert_eq!(zip32(0), Some(0));
        assert_eq!(zip32(0xFFFF_FFFE), Some(0xFFFF_FFFE));
        assert_eq!(zip32(0xFFFF_FFFF), None);
        #[cfg(target_pointer_width = "64")]
        assert_eq!(zip32(1 << 32), None);
    }

    #[cfg(target_pointer_width = "64")]
    #[test]
    fn rejects_an_entry_of_4_gib_before_reading_it() {
        // Zeroed pages are mapped lazily: the 4 GiB are never touched, the size is checked
        // before any byte is read.
        let huge = vec![0u8; 1 << 32];
        let entries = [("small.json", &b"{}"[..]), ("huge.json", huge.as_slice())];
        assert_eq!(
            write_zip(entries),
            Err(ArchiveError::EntryTooLarge { index: 1 })
        );
    }
}
