//! Gzip in and out, in pure Rust (it runs in the browser too).

use std::io::{Read as _, Write as _};

use crate::error::ProblemKind;

/// Whether the bytes start with gzip's magic number, whatever the file is called.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1F, 0x8B])
}

/// Inflates gzip data (all members), refusing to produce more than `limit` bytes.
pub fn inflate(bytes: &[u8], limit: usize) -> Result<Vec<u8>, ProblemKind> {
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(6).min(limit));
    let decoder = flate2::read::MultiGzDecoder::new(bytes);
    let read = decoder
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| ProblemKind::Gzip)?;
    if read > limit {
        return Err(ProblemKind::TooLargeInflated(limit >> 20));
    }
    Ok(out)
}

/// Compresses bytes as a gzip file with no name and a zero time stamp, so the same input
/// always gives the same output.
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    if encoder.write_all(bytes).is_err() {
        return Vec::new();
    }
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_detects_by_magic() {
        let packed = deflate(b"{\"a\": 1}");
        assert!(is_gzip(&packed));
        assert_eq!(inflate(&packed, 1 << 20).unwrap(), b"{\"a\": 1}");
        assert_eq!(deflate(b"x"), deflate(b"x"));
    }

    #[test]
    fn rejects_garbage_and_bombs() {
        assert_eq!(
            inflate(&[0x1F, 0x8B, 1, 2, 3], 1 << 20),
            Err(ProblemKind::Gzip)
        );
        let big = deflate(&vec![b' '; 4096]);
        assert_eq!(inflate(&big, 1024), Err(ProblemKind::TooLargeInflated(0)));
    }
}
