//! Byte scanners of the parser: plain `u64` word-at-a-time (SWAR) tricks, which compile to the
//! same fast code natively and in WebAssembly without `unsafe` or target-specific intrinsics.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Eight copies of a byte.
const fn splat(byte: u8) -> u64 {
    ONES * byte as u64
}

/// The high bit of every byte of `v` that is zero, and possibly of bytes above one (the
/// classic bit trick: borrows only run upwards, so the lowest flagged byte is always a zero
/// byte, and no zero byte is missed).
const fn zero_bytes(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v & HIGHS
}

/// Whether any byte of the word is zero (exact as a yes/no answer).
const fn has_zero_byte(v: u64) -> bool {
    zero_bytes(v) != 0
}

/// Flags for a quote, a backslash or a control character: the bytes that end a plain run of
/// string text; with `ascii`, also for DEL and non-ASCII bytes (which make a string non-ASCII
/// for the encoder). Flipping bit 1 maps `"` (0x22) to 0x20 and keeps control characters below
/// 0x20 while every other ASCII byte stays at 0x21 or above, so one subtraction finds both; a
/// backslash is the byte that `^ 0x5C` zeroes; adding one lifts DEL to 0x80. Bit 7 is left
/// alone by both flips, so one `!w` masks the high bytes out of all three. Every borrow and
/// carry starts at a flagged byte and runs upwards, so the lowest flag is always a true one.
const fn string_stops(w: u64, ascii: bool) -> u64 {
    let below = (w ^ splat(0x02)).wrapping_sub(splat(0x21));
    let zeroed = (w ^ splat(b'\\')).wrapping_sub(ONES);
    if ascii {
        (below | zeroed | w | w.wrapping_add(ONES)) & HIGHS
    } else {
        (below | zeroed) & !w & HIGHS
    }
}

/// Eight bytes as a little-endian word (the first byte lowest).
fn word_of(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(bytes.get(..8).unwrap_or(&[0; 8]));
    u64::from_le_bytes(word)
}

/// The index of the lowest byte of a non-zero word of flags (or of any non-zero byte).
fn first_flagged_byte(flags: u64) -> usize {
    (flags.trailing_zeros() / 8) as usize
}

/// The position of the first byte from `pos` on that a string scan must look at: a quote, a
/// backslash, a control character or, with `ASCII` (no such byte seen yet), DEL or a non-ASCII
/// byte. The text's length when there is none.
#[inline]
pub(super) fn string_stop<const ASCII: bool>(src: &[u8], mut pos: usize) -> usize {
    while let Some(chunk) = src.get(pos..pos + 8) {
        let flags = string_stops(word_of(chunk), ASCII);
        if flags != 0 {
            return pos + first_flagged_byte(flags);
        }
        pos += 8;
    }
    while let Some(&b) = src.get(pos) {
        if b < 0x20 || b == b'"' || b == b'\\' || (ASCII && b >= 0x7F) {
            break;
        }
        pos += 1;
    }
    pos
}

/// The position of the first byte from `pos` on that is not a space (pretty-printed JSON is
/// mostly indentation).
pub(super) fn skip_spaces(src: &[u8], mut pos: usize) -> usize {
    while let Some(chunk) = src.get(pos..pos + 8) {
        let others = word_of(chunk) ^ splat(b' ');
        if others != 0 {
            return pos + first_flagged_byte(others);
        }
        pos += 8;
    }
    while src.get(pos) == Some(&b' ') {
        pos += 1;
    }
    pos
}

/// Marks the bytes a skim stops at: string starts and brackets.
const SKIM_STOP: [bool; 256] = {
    let mut table = [false; 256];
    table[b'"' as usize] = true;
    table[b'{' as usize] = true;
    table[b'}' as usize] = true;
    table[b'[' as usize] = true;
    table[b']' as usize] = true;
    table
};

/// Whether a word holds a quote or a bracket (`[`/`{` and `]`/`}` differ only in bit 5).
const fn skim_attention(w: u64) -> bool {
    let folded = w | splat(0x20);
    has_zero_byte(w ^ splat(b'"'))
        || has_zero_byte(folded ^ splat(b'{'))
        || has_zero_byte(folded ^ splat(b'}'))
}

/// The position of the first quote or bracket from `pos` on, if any.
pub(super) fn skim_stop(src: &[u8], mut pos: usize) -> Option<usize> {
    while let Some(chunk) = src.get(pos..pos + 8) {
        if skim_attention(word_of(chunk)) {
            break;
        }
        pos += 8;
    }
    let rest = src.get(pos..)?;
    rest.iter()
        .position(|&b| SKIM_STOP[b as usize])
        .map(|i| pos + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every place of a word, against the plain definitions.
    #[test]
    fn word_scans_agree_with_byte_checks() {
        for place in 0..8 {
            for b in 0..=255u8 {
                let mut text = [b'a'; 8];
                text[place] = b;
                let stop = b < 0x20 || b == b'"' || b == b'\\';
                let expected = |flag: bool| if flag { place } else { 8 };
                assert_eq!(string_stop::<false>(&text, 0), expected(stop), "{b:#x}");
                assert_eq!(string_stop::<true>(&text, 0), expected(stop || b >= 0x7F));
                // The same byte in a tail shorter than a word.
                let in_tail = if stop && place < 7 { place } else { 7 };
                assert_eq!(string_stop::<false>(&text[..7], 0), in_tail);
                let mut spaces = [b' '; 8];
                spaces[place] = b;
                let expected = if b == b' ' { 8 } else { place };
                assert_eq!(skip_spaces(&spaces, 0), expected);
            }
        }
    }

    /// A stop byte is found after any byte below it, whatever borrows or carries it causes.
    #[test]
    fn lowest_flag_is_exact_after_any_byte() {
        for a in 0..=255u8 {
            for b in [
                0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5C, 0x7E, 0x7F, 0x80, 0xFF,
            ] {
                let text = [b'x', a, b, b'x', b'x', b'x', b'x', b'x'];
                let stops = |c: u8, ascii: bool| {
                    c < 0x20 || c == b'"' || c == b'\\' || (ascii && c >= 0x7F)
                };
                for ascii in [false, true] {
                    let expected = [a, b]
                        .iter()
                        .position(|&c| stops(c, ascii))
                        .map_or(8, |i| i + 1);
                    let found = if ascii {
                        string_stop::<true>(&text, 0)
                    } else {
                        string_stop::<false>(&text, 0)
                    };
                    assert_eq!(found, expected, "{a:#x} {b:#x}");
                }
            }
        }
    }
}
