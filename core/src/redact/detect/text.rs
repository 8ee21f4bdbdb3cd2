//! Byte-level helpers shared by the detectors: bounds-safe access, character classes, a SWAR
//! digit finder, run finding, base64 decoding without allocation and context checks.
//!
//! Every accessor returns a neutral byte (0) outside the text instead of panicking, so the
//! detectors can look around a candidate without bounds bookkeeping.

use super::FieldContext;

/// The byte at `i`, or 0 past the end.
#[inline]
pub(crate) fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// The byte just before `i`, or 0 at the start.
#[inline]
pub(crate) fn before(b: &[u8], i: usize) -> u8 {
    match i.checked_sub(1) {
        Some(j) => at(b, j),
        None => 0,
    }
}

/// ASCII letter, digit or underscore.
#[inline]
pub(crate) fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Base64url alphabet (JWT parts, Google keys).
#[inline]
pub(crate) fn is_b64url(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

const fn class_table(extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut c: u8 = 0;
    loop {
        let mut hit = c.is_ascii_alphanumeric();
        let mut k = 0;
        while k < extra.len() {
            hit |= extra[k] == c;
            k += 1;
        }
        table[c as usize] = hit;
        if c == u8::MAX {
            break;
        }
        c += 1;
    }
    table
}

/// Base64 and base64url characters without padding: the generic secret token class.
static TOKEN_TABLE: [bool; 256] = class_table(b"+/_-");

/// A character of a generic secret token (`[A-Za-z0-9+/_-]`).
#[inline]
pub(crate) fn is_token(c: u8) -> bool {
    TOKEN_TABLE[usize::from(c)]
}

/// Standard base64 alphabet without padding.
#[inline]
pub(crate) fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

/// Lowercase hex digit.
#[inline]
pub(crate) fn is_lower_hex(c: u8) -> bool {
    c.is_ascii_digit() || (b'a'..=b'f').contains(&c)
}

/// The index of the first ASCII digit at or after `from`. Skips eight bytes at a time with a
/// SWAR range test, since most detectors only care about digit runs.
pub(crate) fn find_digit(b: &[u8], from: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    // digit-dense text (ids, hex, dates): the next byte is often a digit already
    if rest.first().is_some_and(u8::is_ascii_digit) {
        return Some(from);
    }
    // A byte is a digit iff (byte ^ 0x30) < 10: Bit Twiddling Hacks' `hasless`.
    first_flagged(
        rest,
        |w| {
            let x = w ^ 0x3030_3030_3030_3030;
            x.wrapping_sub(0x0A0A_0A0A_0A0A_0A0A) & !x & 0x8080_8080_8080_8080
        },
        |c| c.is_ascii_digit(),
    )
    .map(|k| from + k)
}

/// The index of the first `needle` at or after `from`. Short rests are searched eight bytes at
/// a time here: below a few dozen bytes that beats `memchr`'s set-up.
#[inline]
pub(crate) fn find_byte(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    let rest = b.get(from..)?;
    if rest.len() >= 64 {
        return memchr::memchr(needle, rest).map(|k| from + k);
    }
    find_short(rest, 0, needle).map(|k| from + k)
}

/// The index of the first `letter` (an ASCII small letter) or its capital at or after `from`,
/// as [`find_byte`] does it.
#[inline]
pub(crate) fn find_letter_ci(b: &[u8], from: usize, letter: u8) -> Option<usize> {
    let rest = b.get(from..)?;
    if rest.len() >= 64 {
        return memchr::memchr2(letter, letter.to_ascii_uppercase(), rest).map(|k| from + k);
    }
    // setting bit 5 maps exactly the letter's two cases onto the small one
    find_short(rest, 0x20, letter).map(|k| from + k)
}

/// The first byte of `rest` that equals `needle` once or-ed with `fold`, eight bytes at a time.
fn find_short(rest: &[u8], fold: u8, needle: u8) -> Option<usize> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    // `haszero` on the bytes xor the needle
    first_flagged(
        rest,
        |w| {
            let x = (w | (LOW * u64::from(fold))) ^ (LOW * u64::from(needle));
            x.wrapping_sub(LOW) & !x & (LOW << 7)
        },
        |c| c | fold == needle,
    )
}

/// The index of the first ASCII capital letter at or after `from`, eight bytes at a time.
pub(crate) fn find_upper(b: &[u8], from: usize) -> Option<usize> {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let rest = b.get(from..)?;
    first_flagged(
        rest,
        |w| {
            // For y = byte & 0x7F, `y + (0x80 - n)` sets the high bit iff y >= n and never
            // carries: a capital is >= 'A' and not >= '[', and has its own high bit clear.
            let y = w & LOW7;
            let from_a = y + 0x3F3F_3F3F_3F3F_3F3F;
            let past_z = y + 0x2525_2525_2525_2525;
            from_a & !past_z & !w & HIGH
        },
        |c| c.is_ascii_uppercase(),
    )
    .map(|k| from + k)
}

/// The first byte of `rest` that `is_match` accepts, eight bytes at a time: `flags` sets the
/// high bit of the bytes that match in a little-endian word, its lowest flag exact (the
/// borrows and carries of these tests only ever reach bytes above a match); the tail is
/// checked byte by byte.
#[inline]
fn first_flagged(
    rest: &[u8],
    flags: impl Fn(u64) -> u64,
    is_match: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut base = 0;
    let mut chunks = rest.chunks_exact(8);
    for chunk in &mut chunks {
        let Ok(arr) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let t = flags(u64::from_le_bytes(arr));
        if t != 0 {
            return Some(base + (t.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| is_match(c))
        .map(|k| base + k)
}

/// The end of the run of bytes in `class` starting at `i`.
#[inline]
pub(crate) fn run_end(b: &[u8], mut i: usize, class: impl Fn(u8) -> bool) -> usize {
    while i < b.len() && class(at(b, i)) {
        i += 1;
    }
    i
}

/// The start of the run of bytes in `class` ending just before `i`, not going below `floor`.
#[inline]
pub(crate) fn run_start(b: &[u8], mut i: usize, floor: usize, class: impl Fn(u8) -> bool) -> usize {
    while i > floor && class(before(b, i)) {
        i -= 1;
    }
    i
}

/// The next maximal run of `class` bytes at least `min_len` long, starting the search at
/// `from` (which must not be inside a run). Probes the last byte a run of `min_len` would need
/// first, so text made of short words is skipped without looking at every byte.
pub(crate) fn next_long_run(
    b: &[u8],
    from: usize,
    min_len: usize,
    class: impl Fn(u8) -> bool,
) -> Option<(usize, usize)> {
    let mut i = from;
    let min_len = min_len.max(1);
    while i + min_len <= b.len() {
        let probe = i + min_len - 1;
        if !class(at(b, probe)) {
            i = probe + 1;
            continue;
        }
        let start = run_start(b, probe, i, &class);
        if start > i {
            i = start;
            continue;
        }
        return Some((i, run_end(b, probe + 1, &class)));
    }
    None
}

/// ASCII case-insensitive comparison of `b[i..]` with a lowercase `word`.
#[inline]
pub(crate) fn starts_with_ci(b: &[u8], i: usize, word: &[u8]) -> bool {
    b.get(i..i + word.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(word))
}

/// Whether `b[i..]` starts with `word` exactly.
#[inline]
pub(crate) fn starts_with(b: &[u8], i: usize, word: &[u8]) -> bool {
    b.get(i..i + word.len()).is_some_and(|s| s == word)
}

/// Whether the lowercase `word` occurs (ASCII case-insensitively) in `b[from..to]`.
pub(crate) fn contains_ci(b: &[u8], from: usize, to: usize, word: &[u8]) -> bool {
    let Some(hay) = b.get(from..to.min(b.len())) else {
        return false;
    };
    let Some(&first) = word.first() else {
        return true;
    };
    hay.windows(word.len()).any(|w| {
        w.first().is_some_and(|c| c.to_ascii_lowercase() == first) && w.eq_ignore_ascii_case(word)
    })
}

/// Whether any key word equals one of `exact` or contains one of `within`.
pub(crate) fn key_has(context: &FieldContext<'_>, exact: &[&str], within: &[&str]) -> bool {
    context.key_words.iter().any(|w| {
        exact.iter().any(|e| w.eq_ignore_ascii_case(e))
            || within
                .iter()
                .any(|k| w.len() >= k.len() && contains_ci(w.as_bytes(), 0, w.len(), k.as_bytes()))
    })
}

fn b64_value(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Decodes base64 (standard or url alphabet, padding optional), handing each byte to `sink`
/// until it returns `false`. Returns `false` if the input is not base64 or the sink stopped.
pub(crate) fn b64_decode_each(s: &[u8], mut sink: impl FnMut(u8) -> bool) -> bool {
    let mut body = s;
    while let [rest @ .., b'='] = body {
        body = rest;
    }
    if s.len() - body.len() > 2 || body.len() % 4 == 1 {
        return false;
    }
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &c in body {
        let Some(v) = b64_value(c) else {
            return false;
        };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            let byte = (acc >> bits) & 0xFF;
            if !sink(u8::try_from(byte).unwrap_or(0)) {
                return false;
            }
        }
        acc &= (1 << bits) - 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_digits_across_chunk_boundaries() {
        let text = b"abcdefghijklmnop7qrs";
        assert_eq!(find_digit(text, 0), Some(16));
        assert_eq!(find_digit(text, 17), None);
        assert_eq!(find_digit(b"", 0), None);
        assert_eq!(find_digit(b"abc", 5), None);
        for n in 0..40 {
            let mut v = vec![b'x'; 40];
            v[n] = b'5';
            assert_eq!(find_digit(&v, 0), Some(n));
            // bytes just around the digit range never count
            v[n] = if n % 2 == 0 { b'/' } else { b':' };
            assert_eq!(find_digit(&v, 0), None);
        }
    }

    #[test]
    fn finds_bytes_in_short_and_long_texts() {
        for len in [0, 1, 7, 63, 64, 65, 200] {
            let mut v = vec![b'x'; len];
            assert_eq!(find_byte(&v, 0, b'@'), None);
            for k in 0..len {
                let mut w = vec![0xC0u8; len];
                w[k] = b'@';
                if k + 1 < len {
                    w[k + 1] = b'@';
                }
                assert_eq!(find_byte(&w, 0, b'@'), Some(k));
                assert_eq!(find_byte(&w, k / 2, b'@'), Some(k));
                // a byte one above the needle is never taken for it
                w[k] = b'A';
                assert_ne!(find_byte(&w, 0, b'@'), Some(k));
            }
            if len > 0 {
                v[len - 1] = b'@';
                assert_eq!(find_byte(&v, 0, b'@'), Some(len - 1));
                assert_eq!(find_byte(&v, len - 1, b'@'), Some(len - 1));
                assert_eq!(find_byte(&v, len, b'@'), None);
            }
            assert_eq!(find_byte(&v, len + 1, b'@'), None);
        }
    }

    #[test]
    fn finds_letters_in_either_case() {
        for len in [0, 1, 7, 8, 9, 20, 70] {
            for k in 0..len {
                for c in 0..=255u8 {
                    let mut v = vec![b'a'; len];
                    v[k] = c;
                    let want = matches!(c, b'b' | b'B').then_some(k);
                    assert_eq!(find_letter_ci(&v, 0, b'b'), want, "{len} {k} {c}");
                }
            }
        }
    }

    #[test]
    fn finds_capitals_exactly() {
        for len in [0, 1, 7, 8, 9, 20] {
            for k in 0..len {
                for c in 0..=255u8 {
                    let mut v = vec![b'a'; len];
                    v[k] = c;
                    let want = c.is_ascii_uppercase().then_some(k);
                    assert_eq!(find_upper(&v, 0), want, "{len} {k} {c}");
                }
            }
            assert_eq!(find_upper(&vec![b'Q'; len], len + 1), None);
        }
        assert_eq!(find_upper(b"abcdefghijKlmnoPq", 11), Some(15));
    }

    #[test]
    fn word_finders_agree_with_a_byte_loop() {
        // Every byte value in every lane, with any bytes around it: the lowest flag of each
        // word test must be the first match.
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut v = seed.to_le_bytes().to_vec();
            v.extend_from_slice(
                &seed.rotate_left(29).to_le_bytes()[..usize::from(seed.to_le_bytes()[0] % 9)],
            );
            let naive = |f: fn(&u8) -> bool| v.iter().position(f);
            assert_eq!(find_digit(&v, 0), naive(u8::is_ascii_digit), "{v:?}");
            assert_eq!(find_upper(&v, 0), naive(u8::is_ascii_uppercase), "{v:?}");
            assert_eq!(
                find_byte(&v, 0, v[3]),
                v.iter().position(|&c| c == v[3]),
                "{v:?}"
            );
        }
    }

    #[test]
    fn finds_long_runs_only() {
        let text = b"ab cdefg hijklmnopqrstuvwxyz0123 x";
        assert_eq!(
            next_long_run(text, 0, 10, |c| c.is_ascii_alphanumeric()),
            Some((9, 32))
        );
        assert_eq!(
            next_long_run(text, 0, 30, |c| c.is_ascii_alphanumeric()),
            None
        );
        assert_eq!(
            next_long_run(b"abcdef", 0, 6, |c| c.is_ascii_alphanumeric()),
            Some((0, 6))
        );
    }

    #[test]
    fn decodes_base64_both_alphabets() {
        let mut out = Vec::new();
        assert!(b64_decode_each(b"dXNlcjpwYXNz", |c| {
            out.push(c);
            true
        }));
        assert_eq!(out, b"user:pass");
        out.clear();
        assert!(b64_decode_each(b"eyJhbGciOiJIUzI1NiJ9", |c| {
            out.push(c);
            true
        }));
        assert_eq!(out, br#"{"alg":"HS256"}"#);
        assert!(!b64_decode_each(b"abcde", |_| true));
        assert!(!b64_decode_each(b"ab$d", |_| true));
        assert!(!b64_decode_each(b"a===", |_| true));
    }

    #[test]
    fn compares_case_insensitively() {
        assert!(starts_with_ci(b"xBEARER y", 1, b"bearer"));
        assert!(!starts_with_ci(b"bear", 0, b"bearer"));
        assert!(contains_ci(b"AWS_SECRET_ACCESS_KEY=", 0, 22, b"secret"));
        assert!(!contains_ci(b"AWS_SECRET", 0, 5, b"secret"));
    }
}
