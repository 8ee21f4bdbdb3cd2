//! The shared look at a string: byte classes, digit count and token runs ([`TextProfile`]), and
//! what a detector needs of them ([`Needs`]).

use super::text::is_token;

/// Byte classes of the profile (bits of [`Needs::bytes`]).
pub mod class {
    /// An ASCII digit.
    pub const DIGIT: u16 = 1;
    /// An ASCII capital letter.
    pub const UPPER: u16 = 1 << 1;
    /// An ASCII small letter.
    pub const LOWER: u16 = 1 << 2;
    /// `@`.
    pub const AT: u16 = 1 << 3;
    /// `.`.
    pub const DOT: u16 = 1 << 4;
    /// `:`.
    pub const COLON: u16 = 1 << 5;
    /// `-`.
    pub const DASH: u16 = 1 << 6;
    /// `_`.
    pub const UNDERSCORE: u16 = 1 << 7;
    /// A space.
    pub const SPACE: u16 = 1 << 8;
    /// `b` or `B` (the `Bearer` and `Basic` schemes).
    pub const LETTER_B: u16 = 1 << 9;
    /// `[A-Za-z0-9+/_-]`: counted in runs ([`super::TextProfile::longest_token_run`]).
    pub(crate) const TOKEN: u16 = 1 << 15;
    /// `+`, for the built-in phone grammar: above the 16 bits [`super::Needs`] can ask for.
    pub(crate) const PLUS: u32 = 1 << 16;
    /// `[`, `=` and ASCII whitespace (as `u8::is_ascii_whitespace`), which tell the walk which
    /// scanners a string needs (a token, a form; see `redact::text::Routing`).
    pub(crate) const BRACKET: u32 = 1 << 17;
    pub(crate) const EQUALS: u32 = 1 << 18;
    pub(crate) const WHITESPACE: u32 = 1 << 19;
}

const fn class_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        #[expect(clippy::cast_possible_truncation, reason = "i < 256")]
        let c = i as u8;
        let mut bits = 0;
        if c.is_ascii_digit() {
            bits |= class::DIGIT | class::TOKEN;
        }
        if c.is_ascii_uppercase() {
            bits |= class::UPPER | class::TOKEN;
        }
        if c.is_ascii_lowercase() {
            bits |= class::LOWER | class::TOKEN;
        }
        bits |= match c {
            b'@' => class::AT,
            b'.' => class::DOT,
            b':' => class::COLON,
            b'-' => class::DASH | class::TOKEN,
            b'_' => class::UNDERSCORE | class::TOKEN,
            b'+' | b'/' => class::TOKEN,
            b' ' => class::SPACE,
            b'b' | b'B' => class::LETTER_B,
            _ => 0,
        };
        let routing = match c {
            b'+' => class::PLUS,
            b'[' => class::BRACKET,
            b'=' => class::EQUALS,
            _ if c.is_ascii_whitespace() => class::WHITESPACE,
            _ => 0,
        };
        table[i] = bits as u32 | routing;
        i += 1;
    }
    table
}

static CLASSES: [u32; 256] = class_table();

/// The classes present in `b` (the [`class`] bits, and the bits above them) and its ASCII
/// digit count: no run tracking, so the loop carries no dependency but the two sums.
pub(crate) fn classes_and_digits(b: &[u8]) -> (u32, usize) {
    let (mut bits, mut odd, mut digits) = (0u32, 0u32, 0usize);
    let mut blocks = b.chunks(8 * 31);
    for block in &mut blocks {
        // digit flags summed per byte lane (at most 31 a lane, so the lanes add up below 256)
        let mut lanes = 0u64;
        let mut chunks = block.chunks_exact(8);
        for chunk in &mut chunks {
            if let Ok(arr) = <[u8; 8]>::try_from(chunk) {
                // Two chains of four ORs instead of one of eight: each byte's class need not
                // wait for the byte before.
                let [c0, c1, c2, c3, c4, c5, c6, c7] = arr.map(|c| CLASSES[usize::from(c)]);
                bits |= c0 | c2 | c4 | c6;
                odd |= c1 | c3 | c5 | c7;
                lanes += digit_flags(u64::from_le_bytes(arr)) >> 7;
            }
        }
        digits += usize::from(lanes.wrapping_mul(0x0101_0101_0101_0101).to_le_bytes()[7]);
        for &c in chunks.remainder() {
            let e = CLASSES[usize::from(c)];
            bits |= e;
            digits += usize::from(e & u32::from(class::DIGIT) != 0);
        }
    }
    (bits | odd, digits)
}

/// The high bit of each byte of `w` that is an ASCII digit.
fn digit_flags(w: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte is a digit iff `x = byte ^ 0x30` is below 10: `(x & 0x7F) + 0x76` sets the high
    // bit iff x & 0x7F >= 10, never carries into the next byte, and x's own high bit rules out
    // bytes >= 0x80.
    let x = w ^ 0x3030_3030_3030_3030;
    !((x & LOW7) + 0x7676_7676_7676_7676) & !x & HIGH
}

/// The longest run of token characters, or `at_least - 1` if every run is shorter than
/// `at_least` (which is all a caller comparing with thresholds of `at_least` or more needs).
/// Looks at windows of `at_least` bytes from their end: a run that long cannot start at or
/// before the window's last non-token byte, so text of short words is mostly skipped.
pub(crate) fn longest_token_run(b: &[u8], at_least: usize) -> usize {
    let at_least = at_least.max(1);
    let mut longest = at_least - 1;
    // `i` never follows a token byte
    let mut i = 0;
    while let Some(window) = b.get(i..i + at_least) {
        if let Some(k) = window.iter().rposition(|&c| !is_token(c)) {
            i += k + 1;
            continue;
        }
        let rest = b.get(i + at_least..).unwrap_or_default();
        let more = rest
            .iter()
            .position(|&c| !is_token(c))
            .unwrap_or(rest.len());
        longest = longest.max(at_least + more);
        i += at_least + more + 1;
    }
    longest
}

/// What one pass over a string found: the byte classes present, the ASCII digit count and
/// the longest run of token characters (`[A-Za-z0-9+/_-]`, the class of every vendor token,
/// key and generic secret).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextProfile {
    pub bytes: u16,
    pub digits: usize,
    pub longest_token_run: usize,
    pub len: usize,
}

impl TextProfile {
    /// One pass over `text`.
    pub fn of(text: &str) -> TextProfile {
        let mut bytes = 0u16;
        let mut digits = 0usize;
        let mut run = 0usize;
        let mut longest = 0usize;
        for &c in text.as_bytes() {
            let bits = low16(CLASSES[usize::from(c)]);
            bytes |= bits;
            digits += usize::from(bits & class::DIGIT);
            run = if bits & class::TOKEN == 0 { 0 } else { run + 1 };
            longest = longest.max(run);
        }
        TextProfile {
            bytes,
            digits,
            longest_token_run: longest,
            len: text.len(),
        }
    }

    /// Whether a detector with these needs can match the text.
    #[inline]
    pub fn meets(&self, needs: &Needs) -> bool {
        self.bytes & needs.bytes == needs.bytes
            && self.digits >= needs.digits
            && self.longest_token_run >= needs.token_run
            && self.len >= needs.len
    }
}

/// The [`class`] bits a [`Needs`] can ask for.
#[inline]
pub(crate) fn low16(bits: u32) -> u16 {
    u16::try_from(bits & 0xFFFF).unwrap_or(0)
}

/// Necessary conditions of any match a detector reports: byte classes that must all occur, a
/// least number of ASCII digits, a least longest token run and a least text length. The
/// default needs nothing (the detector always runs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// [`class`] bits that must all be present.
    pub bytes: u16,
    pub digits: usize,
    pub token_run: usize,
    pub len: usize,
}

impl Needs {
    /// Always run.
    pub const NOTHING: Needs = Needs {
        bytes: 0,
        digits: 0,
        token_run: 0,
        len: 0,
    };

    pub const fn bytes(bytes: u16) -> Needs {
        Needs {
            bytes,
            ..Needs::NOTHING
        }
    }

    #[must_use]
    pub const fn digits(self, digits: usize) -> Needs {
        Needs { digits, ..self }
    }

    #[must_use]
    pub const fn token_run(self, token_run: usize) -> Needs {
        Needs { token_run, ..self }
    }

    #[must_use]
    pub const fn len(self, len: usize) -> Needs {
        Needs { len, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_classes_digits_and_token_runs() {
        let p = TextProfile::of("mail ada@example.org, ip 10.0.1.2");
        assert_eq!(p.digits, 5);
        assert_eq!(p.longest_token_run, 7);
        assert_ne!(p.bytes & class::AT, 0);
        assert_ne!(p.bytes & class::DOT, 0);
        assert_eq!(p.bytes & class::COLON, 0);
        assert_eq!(p.bytes & class::UPPER, 0);
        let p = TextProfile::of("Zoë sk_live_abc+/-x");
        assert_eq!(p.longest_token_run, 15);
        assert_ne!(p.bytes & class::LETTER_B, 0);
    }

    #[test]
    fn fast_passes_agree_with_the_profile() {
        for text in [
            "",
            "7",
            // a class seen only at an odd, then only at an even place of a whole word
            "x@xxxxxxxxxxxxxx",
            "xxxxxx:xxxxxxxxx",
            "mail ada@example.org, ip 10.0.1.2",
            "Zoë sk_live_abc+/-x 0123456789 ÿ9/:",
            "+1 415 555 0123, AKIAIOSFODNN7EXAMPLE and ghp_0123456789abcdefABCDEF0123456789ab",
            "\u{80}\u{7f}09:/0123 4567 89ab cdef",
            &"0123456789".repeat(80),
        ] {
            let p = TextProfile::of(text);
            let (bits, digits) = classes_and_digits(text.as_bytes());
            assert_eq!(low16(bits), p.bytes, "{text}");
            assert_eq!(bits & class::PLUS != 0, text.contains('+'), "{text}");
            assert_eq!(digits, p.digits, "{text}");
            for at_least in 1..30 {
                let run = longest_token_run(text.as_bytes(), at_least);
                if p.longest_token_run >= at_least {
                    assert_eq!(run, p.longest_token_run, "{text} {at_least}");
                } else {
                    assert_eq!(run, at_least - 1, "{text} {at_least}");
                }
            }
        }
    }
}
