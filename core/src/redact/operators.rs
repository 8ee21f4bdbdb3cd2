//! Operators: what a rule does to a value it matched, and the tokens it leaves behind.
//!
//! Every replacement is a token that no detector or key rule acts on again (see
//! [`is_redacted`]), so redacting twice changes nothing more.

use hmac::{KeyInit as _, Mac as _};
use sha2::Sha256;

type HmacSha256 = hmac::Hmac<Sha256>;

/// What a rule does to a matched value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "chars")]
#[non_exhaustive]
pub enum Operator {
    /// Remove it: a header, query parameter or object member loses its name and value; a
    /// match inside a longer string is cut out.
    Drop,
    /// Replace it with `[REDACTED:LABEL]` (or `[REDACTED]` when the policy asks for plain
    /// masks, or the rule has no label).
    Mask,
    /// Replace it with `[REDACTED]` always, Timetracer's plain token.
    MaskPlain,
    /// Keep the last N characters: `[REDACTED:CREDIT_CARD]1111`.
    KeepLast(u8),
    /// A keyed pseudonym `[EMAIL:3f9a1c]`: six hex digits of HMAC-SHA256(key, rule, value). The
    /// same value under the same rule and key gives the same token in every file.
    Hmac,
}

impl Operator {
    /// Parses a policy spelling: `drop`, `mask`, `mask_plain`, `hmac`, `keep_last:4`.
    pub fn parse(text: &str) -> Result<Operator, String> {
        match text {
            "drop" => Ok(Operator::Drop),
            "mask" => Ok(Operator::Mask),
            "mask_plain" => Ok(Operator::MaskPlain),
            "hmac" => Ok(Operator::Hmac),
            _ => {
                if let Some(n) = text.strip_prefix("keep_last:") {
                    return match n.parse::<u8>() {
                        Ok(n) if (1..=MAX_KEEP_LAST).contains(&n) => Ok(Operator::KeepLast(n)),
                        _ => Err(format!(
                            "keep_last takes 1 to {MAX_KEEP_LAST} characters, as keep_last:4"
                        )),
                    };
                }
                Err(String::from(
                    "unknown operator, expected drop, mask, mask_plain, keep_last:N or hmac",
                ))
            }
        }
    }

    /// The policy spelling, without allocating.
    pub fn spelling(self) -> &'static str {
        const KEEP_LAST: [&str; MAX_KEEP_LAST as usize] = [
            "keep_last:1",
            "keep_last:2",
            "keep_last:3",
            "keep_last:4",
            "keep_last:5",
            "keep_last:6",
            "keep_last:7",
            "keep_last:8",
        ];
        match self {
            Operator::Drop => "drop",
            Operator::Mask => "mask",
            Operator::MaskPlain => "mask_plain",
            Operator::KeepLast(n) => KEEP_LAST
                .get(usize::from(n).saturating_sub(1))
                .copied()
                .unwrap_or("keep_last"),
            Operator::Hmac => "hmac",
        }
    }

    /// The policy spelling.
    pub fn name(self) -> String {
        match self {
            Operator::Drop => String::from("drop"),
            Operator::Mask => String::from("mask"),
            Operator::MaskPlain => String::from("mask_plain"),
            Operator::KeepLast(n) => format!("keep_last:{n}"),
            Operator::Hmac => String::from("hmac"),
        }
    }
}

/// Most characters `keep_last` may keep: more would leave too much of a short secret.
pub const MAX_KEEP_LAST: u8 = 8;

/// The plain mask token.
pub const REDACTED: &str = "[REDACTED]";

/// Everything an operator needs to write a replacement.
#[derive(Clone, Copy, Debug)]
pub struct Replace<'a> {
    pub operator: Operator,
    /// The rule name, mixed into pseudonyms.
    pub rule: &'a str,
    /// The token label (`EMAIL`), or `None` for `[REDACTED]`.
    pub label: Option<&'a str>,
    /// The key for pseudonyms (the builder refuses `hmac` rules without one).
    pub key: &'a [u8],
}

impl Replace<'_> {
    /// The replacement text for `value` (the decoded value, never written anywhere but into
    /// the keyed hash). `Drop` gives the empty string.
    pub fn apply(&self, value: &str, out: &mut String) {
        match self.operator {
            Operator::Drop => {}
            Operator::MaskPlain => out.push_str(REDACTED),
            Operator::Mask => push_mask(out, self.label),
            Operator::KeepLast(n) => {
                push_mask(out, self.label);
                let chars = value.chars().count();
                // Never keep more than a quarter of the value, so a short secret stays hidden.
                let keep = usize::from(n).min(chars / 4);
                let tail_start = value
                    .char_indices()
                    .nth(chars - keep)
                    .map_or(value.len(), |(i, _)| i);
                out.push_str(value.get(tail_start..).unwrap_or(""));
            }
            Operator::Hmac => {
                out.push('[');
                out.push_str(self.label.unwrap_or("REDACTED"));
                out.push(':');
                push_hex(out, &pseudonym_bytes(self.key, self.rule, value)[..3]);
                out.push(']');
            }
        }
    }
}

fn push_mask(out: &mut String, label: Option<&str>) {
    match label {
        Some(label) => {
            out.push_str("[REDACTED:");
            out.push_str(label);
            out.push(']');
        }
        None => out.push_str(REDACTED),
    }
}

/// HMAC-SHA256(key, rule || 0x00 || value).
pub fn pseudonym_bytes(key: &[u8], rule: &str, value: &str) -> [u8; 32] {
    // HMAC takes keys of any length, so this never returns early.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return [0; 32];
    };
    mac.update(rule.as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA256(key, rule || 0x00 || data) fed in pieces.
pub(crate) struct KeyedHash(Option<HmacSha256>);

impl KeyedHash {
    pub(crate) fn new(key: &[u8], rule: &str) -> KeyedHash {
        let mut mac = HmacSha256::new_from_slice(key).ok();
        if let Some(mac) = mac.as_mut() {
            mac.update(rule.as_bytes());
            mac.update(&[0]);
        }
        KeyedHash(mac)
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        if let Some(mac) = self.0.as_mut() {
            mac.update(bytes);
        }
    }

    pub(crate) fn finish(self) -> [u8; 32] {
        self.0
            .map_or([0; 32], |mac| mac.finalize().into_bytes().into())
    }
}

/// Lower-case hex of some bytes.
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xF)]));
    }
}

/// Whether a whole value is already a redaction token (ours or Timetracer's), optionally
/// followed by a short `keep_last` tail: `[REDACTED]`, `[REDACTED:EMAIL]`,
/// `[EMAIL:3f9a1c]`, `[REDACTED:CREDIT_CARD]1111`, `Bearer [REDACTED]`.
pub fn is_redacted(value: &str) -> bool {
    let b = value.as_bytes();
    let value = match b.first() {
        Some(b'[') => value,
        // Only `Scheme [TOKEN]` can be a token not starting with '[': the scheme's bytes run
        // up to a space (most values stop at their first byte or soon after).
        Some(c) if c.is_ascii_alphabetic() => {
            let space = b
                .iter()
                .take(MAX_SCHEME + 2)
                .position(|&c| !is_scheme_byte(c));
            match space {
                Some(space)
                    if b.get(space) == Some(&b' ')
                        && b.get(space + 1) == Some(&b'[')
                        && value.get(..space).is_some_and(is_scheme) =>
                {
                    value.get(space + 1..).unwrap_or("")
                }
                _ => return false,
            }
        }
        _ => return false,
    };
    let Some(len) = token_len(value) else {
        return false;
    };
    let tail = value.get(len..).unwrap_or("");
    tail.chars().count() <= usize::from(MAX_KEEP_LAST) && !tail.contains(char::is_whitespace)
}

/// Length in bytes of the redaction token at the start of `text`, if one is there.
pub fn token_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('[')?;
    let close = rest.find(']')?;
    let inner = rest.get(..close)?;
    let ok = if inner == "REDACTED" {
        true
    } else if let Some(label) = inner.strip_prefix("REDACTED:") {
        is_label(label)
    } else if let Some((label, hex)) = inner.split_once(':') {
        is_label(label)
            && hex.len() == 6
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    } else {
        false
    };
    ok.then_some(close + 2)
}

fn is_label(label: &str) -> bool {
    !label.is_empty()
        && label
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// An HTTP authorization scheme word (`Bearer`, `Basic`, `AWS4-HMAC-SHA256`).
pub fn is_scheme(word: &str) -> bool {
    (2..=MAX_SCHEME).contains(&word.len())
        && word.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && word.bytes().all(is_scheme_byte)
}

/// The longest authorization scheme [`is_scheme`] accepts.
const MAX_SCHEME: usize = 24;

fn is_scheme_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// A preview of a value for user interfaces: its first and last character and its length
/// (`a…m (15 chars)`); short values show nothing but their length. Never put a preview in a
/// report, a log line or a file: it is for a person looking at their own data on screen.
pub fn preview(value: &str) -> String {
    let chars = value.chars().count();
    if chars < 8 {
        return format!("({chars} chars)");
    }
    let first = value.chars().next().unwrap_or(' ');
    let last = value.chars().next_back().unwrap_or(' ');
    format!("{first}\u{2026}{last} ({chars} chars)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(operator: Operator, label: Option<&str>, value: &str) -> String {
        let mut out = String::new();
        Replace {
            operator,
            rule: "email",
            label,
            key: b"k",
        }
        .apply(value, &mut out);
        out
    }

    #[test]
    fn writes_each_operator_token() {
        assert_eq!(
            apply(Operator::Mask, Some("EMAIL"), "a@b.co"),
            "[REDACTED:EMAIL]"
        );
        assert_eq!(apply(Operator::Mask, None, "x"), "[REDACTED]");
        assert_eq!(apply(Operator::MaskPlain, Some("EMAIL"), "x"), "[REDACTED]");
        assert_eq!(apply(Operator::Drop, Some("EMAIL"), "x"), "");
        assert_eq!(
            apply(
                Operator::KeepLast(4),
                Some("CREDIT_CARD"),
                "4111111111111111"
            ),
            "[REDACTED:CREDIT_CARD]1111"
        );
        assert_eq!(apply(Operator::KeepLast(4), None, "abc"), "[REDACTED]");
        let token = apply(Operator::Hmac, Some("EMAIL"), "ada@example.com");
        assert_eq!(
            token,
            apply(Operator::Hmac, Some("EMAIL"), "ada@example.com")
        );
        assert_ne!(
            token,
            apply(Operator::Hmac, Some("EMAIL"), "bob@example.com")
        );
        assert_eq!(token.len(), "[EMAIL:3f9a1c]".len());
        assert!(is_redacted(&token));
    }

    #[test]
    fn recognises_tokens_and_nothing_else() {
        for yes in [
            "[REDACTED]",
            "[REDACTED:EMAIL]",
            "[EMAIL:3f9a1c]",
            "[REDACTED:CREDIT_CARD]1111",
            "Bearer [REDACTED]",
        ] {
            assert!(is_redacted(yes), "{yes}");
        }
        for no in [
            "[redacted]",
            "REDACTED",
            "[EMAIL:xyz]",
            "[REDACTED] and text",
            "[]",
            "",
        ] {
            assert!(!is_redacted(no), "{no}");
        }
        // Schemes at and past the longest accepted, and ones broken by other bytes.
        let long = "A".repeat(MAX_SCHEME);
        assert!(is_redacted(&format!("{long} [REDACTED]")));
        assert!(!is_redacted(&format!("{long}B [REDACTED]")));
        for no in [
            "Bearer.x [REDACTED]",
            "1Bearer [REDACTED]",
            "B [REDACTED]",
            "Bearer  [REDACTED]",
        ] {
            assert!(!is_redacted(no), "{no}");
        }
        for yes in [
            "x-api_KEY2 [REDACTED]",
            "Basic [EMAIL:3f9a1c]",
            "Token [REDACTED]12",
        ] {
            assert!(is_redacted(yes), "{yes}");
        }
    }

    #[test]
    fn parses_operator_names_and_rejects_others() {
        assert_eq!(Operator::parse("keep_last:4"), Ok(Operator::KeepLast(4)));
        assert!(Operator::parse("keep_last:99").is_err());
        assert!(Operator::parse("hash").is_err());
        for op in [
            Operator::Drop,
            Operator::Mask,
            Operator::Hmac,
            Operator::KeepLast(2),
        ] {
            assert_eq!(Operator::parse(&op.name()), Ok(op));
        }
    }

    #[test]
    fn previews_show_no_middle() {
        assert_eq!(preview("ada@example.com"), "a\u{2026}m (15 chars)");
        assert_eq!(preview("1234"), "(4 chars)");
    }
}
