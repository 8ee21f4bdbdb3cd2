//! Generic high-randomness secrets: tokens that look drawn at random, whatever their vendor.
//!
//! Timetracer's rule (section 8.4, rule 3) is a bare shape test: longer than 32 characters of
//! `[A-Za-z0-9_-]` with a lowercase letter and one other class. It flags hex digests and
//! UUID-less ids and misses anything with `/`, `+` or `=` (AWS secrets, base64) or shorter than
//! 33. Here a token (a run of base64/base64url characters, 20 to 256 long) must pass a
//! randomness test:
//!
//! * character classes: upper, lower and a digit or symbol; or, for 24+ characters, one letter
//!   case and digits (lowercase base36 keys);
//! * Shannon entropy per character close to what a random draw of that length gives (a random
//!   token of `n` characters has nearly `log2(n)` bits per character when `n` is below the
//!   alphabet size; words and identifiers repeat letters);
//! * class transitions: random characters switch class (lower, upper, digit, symbol) at most
//!   positions, while identifiers (`getUserByIdHandler2`, `my-blog-post-2024`) switch only at
//!   word boundaries.
//!
//! Deliberately not secrets: hex strings (MD5/SHA digests, trace ids, UUIDs) unless the key
//! names a secret, base64 images (`data:...;base64,` or a PNG/JPEG/GIF/WebP signature) and
//! blobs over 256 characters, base64-encoded JSON (`eyJ...`), paths and URLs, and everything
//! the specific detectors own (vendor prefixes, JWTs, `Bearer`/`Basic` values, AWS keys, PEM
//! blocks).

use super::credentials::{aws_key_id_at, aws_secret_at, jwt_at};
use super::text::{
    at, before, is_token, is_word, key_has, next_long_run, run_end, starts_with, starts_with_ci,
};
use super::tokens::{PemPrivateKey, sendgrid_at, vendor_token_at};
use super::{Detector, DetectorId, FieldContext, Match, Needs};

/// Generic random-looking secrets (see the module docs for the test).
#[derive(Clone, Debug, Default)]
pub struct HighEntropySecret {
    pem: PemPrivateKey,
}

/// Shortest token considered.
pub const MIN_SECRET_LEN: usize = 20;
/// Longer runs are blobs (images, documents), not secrets.
pub const MAX_SECRET_LEN: usize = 256;

fn class_of(c: u8) -> u8 {
    if c.is_ascii_lowercase() {
        0
    } else if c.is_ascii_uppercase() {
        1
    } else if c.is_ascii_digit() {
        2
    } else {
        3
    }
}

/// Shannon entropy in bits per character.
pub fn shannon_entropy(token: &[u8]) -> f64 {
    if token.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &c in token {
        if let Some(slot) = counts.get_mut(usize::from(c)) {
            *slot += 1;
        }
    }
    let n = f64::from(u32::try_from(token.len()).unwrap_or(u32::MAX));
    let sum: f64 = counts
        .iter()
        .filter(|&&c| c > 1)
        .map(|&c| {
            let c = f64::from(c);
            c * c.log2()
        })
        .sum();
    n.log2() - sum / n
}

/// The share of adjacent pairs whose character classes differ.
pub fn class_transition_rate(token: &[u8]) -> f64 {
    if token.len() < 2 {
        return 0.0;
    }
    let changes = token
        .windows(2)
        .filter(|w| matches!(w, [a, b] if class_of(*a) != class_of(*b)))
        .count();
    let changes = f64::from(u32::try_from(changes).unwrap_or(u32::MAX));
    let pairs = f64::from(u32::try_from(token.len() - 1).unwrap_or(u32::MAX));
    changes / pairs
}

/// Whether a token (padding removed) looks randomly generated.
pub fn looks_random(token: &[u8]) -> bool {
    let n = token.len();
    if !(MIN_SECRET_LEN..=MAX_SECRET_LEN).contains(&n) {
        return false;
    }
    let mut seen = [false; 4];
    for &c in token {
        if let Some(s) = seen.get_mut(usize::from(class_of(c))) {
            *s = true;
        }
    }
    let [lower, upper, digit, symbol] = seen;
    let three = lower && upper && (digit || symbol);
    // Mixed case alone (no digit or symbol): random tokens of 20+ characters lack digits a few
    // percent of the time; demand stronger evidence instead of dropping them.
    let cased = lower && upper && !digit && !symbol;
    let two = (lower != upper) && digit && !symbol && n >= 24;
    if !(three || cased || two) {
        return false;
    }
    // A random draw of n characters from an alphabet of k has close to log2(min(n, k)) bits
    // per character; demand most of it.
    let alphabet = if two { 36.0 } else { 64.0 };
    let length = f64::from(u32::try_from(n).unwrap_or(u32::MAX));
    let expected = length.min(alphabet).log2();
    let entropy_ok = shannon_entropy(token) >= expected * ENTROPY_SHARE;
    let (min_transitions, max_wordy) = if three {
        (MIN_TRANSITION_RATE, MAX_WORDY_SHARE)
    } else if cased {
        (MIN_TRANSITION_RATE_CASED, MAX_WORDY_SHARE_CASED)
    } else {
        (MIN_TRANSITION_RATE_ONE_CASE, MAX_WORDY_SHARE_ONE_CASE)
    };
    entropy_ok && class_transition_rate(token) >= min_transitions && wordy_share(token) < max_wordy
}

/// The share of characters in word-like pieces: lowercase runs of 4+ letters (a capital may
/// lead: `Handler`) holding a vowel. Identifiers are mostly such pieces; random tokens have few.
pub fn wordy_share(token: &[u8]) -> f64 {
    let mut wordy = 0usize;
    let mut i = 0;
    while i < token.len() {
        let start = i;
        if token.get(i).is_some_and(u8::is_ascii_uppercase) {
            i += 1;
        }
        while token.get(i).is_some_and(u8::is_ascii_lowercase) {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let piece = token.get(start..i).unwrap_or_default();
        let vowel = piece
            .iter()
            .any(|c| matches!(c.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u'));
        if piece.len() >= 4 && vowel {
            wordy += piece.len();
        }
    }
    let wordy = f64::from(u32::try_from(wordy).unwrap_or(u32::MAX));
    wordy / f64::from(u32::try_from(token.len().max(1)).unwrap_or(u32::MAX))
}

const ENTROPY_SHARE: f64 = 0.80;
const MIN_TRANSITION_RATE: f64 = 0.30;
const MAX_WORDY_SHARE: f64 = 0.50;
/// Letters only: CamelCase identifiers are the risk, so ask for more switching, fewer words.
const MIN_TRANSITION_RATE_CASED: f64 = 0.40;
const MAX_WORDY_SHARE_CASED: f64 = 0.30;
/// One-case tokens switch class less often: digits are 10 of 36 symbols.
const MIN_TRANSITION_RATE_ONE_CASE: f64 = 0.25;
/// One-case tokens (`k3j9x2m8...`) have long letter runs by chance: 26 of 36 symbols are letters.
const MAX_WORDY_SHARE_ONE_CASE: f64 = 0.65;

fn is_hex_like(token: &[u8]) -> bool {
    token.iter().all(|&c| c.is_ascii_hexdigit() || c == b'-')
}

const IMAGE_SIGNATURES: [&[u8]; 5] = [b"iVBORw0KGgo", b"/9j/", b"R0lGOD", b"UklGR", b"PHN2Zy"];

fn secret_context(context: &FieldContext<'_>) -> bool {
    key_has(
        context,
        &[
            "pwd",
            "auth",
            "private",
            "credential",
            "credentials",
            "apikey",
        ],
        &["secret", "token", "password", "passwd"],
    ) || (key_has(context, &["api"], &[]) && key_has(context, &["key"], &[]))
}

/// Whether the token at `start` follows a `Bearer` or `Basic` scheme word.
fn after_scheme(b: &[u8], start: usize) -> bool {
    let mut p = start;
    while before(b, p) == b' ' {
        p -= 1;
    }
    if p == start {
        return false;
    }
    [b"bearer".as_slice(), b"basic".as_slice()].iter().any(|w| {
        p.checked_sub(w.len())
            .is_some_and(|s| starts_with_ci(b, s, w) && !is_word(before(b, s)))
    })
}

/// Whether the run at `start` is the second or third part of a `SendGrid` key (`SG.<22>.<43>`).
fn sendgrid_part(b: &[u8], start: usize) -> bool {
    before(b, start) == b'.'
        && [3, 26].iter().any(|&back| {
            start
                .checked_sub(back)
                .is_some_and(|p| sendgrid_at(b, p).is_some())
        })
}

fn looks_like_path_or_url(b: &[u8], start: usize, token: &[u8]) -> bool {
    let has_slash = token.contains(&b'/');
    has_slash
        && (token.first() == Some(&b'/')
            || token.windows(2).any(|w| w == b"//")
            || matches!(before(b, start), b'.' | b':' | b'~'))
}

impl Detector for HighEntropySecret {
    fn id(&self) -> DetectorId {
        DetectorId::HighEntropySecret
    }

    fn needs(&self) -> Needs {
        Needs::NOTHING.token_run(20).len(20)
    }

    fn find(&self, text: &str, context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        let mut has_key_id = None;
        // PEM blocks (keys and certificates) are base64 lines: the PEM detector owns them.
        let mut pem: Option<(usize, usize)> = None;
        let mut pem_from = 0;
        let mut from = 0;
        while let Some((start, end)) = next_long_run(b, from, MIN_SECRET_LEN, is_token) {
            from = end;
            while pem_from <= start && pem.is_none_or(|(_, e)| e <= start) {
                pem = self
                    .pem
                    .next_begin(b, pem_from)
                    .and_then(|p| self.pem.block_at(b, p).map(|(_, e)| (p, e.max(p + 1))));
                pem_from = pem.map_or(usize::MAX, |(_, e)| e);
            }
            if pem.is_some_and(|(s, e)| s <= start && start < e) {
                continue;
            }
            let Some(token) = b.get(start..end) else {
                continue;
            };
            if token.len() > MAX_SECRET_LEN
                || vendor_token_at(b, start, end)
                || after_scheme(b, start)
                || looks_like_path_or_url(b, start, token)
                || IMAGE_SIGNATURES.iter().any(|s| token.starts_with(s))
                || (start >= 7 && starts_with(b, start - 7, b"base64,"))
                || aws_key_id_at(b, start) == Some(end)
                || sendgrid_part(b, start)
            {
                continue;
            }
            // `eyJ` is base64 for `{"`: a JWT (the JWT detector's) or encoded JSON such as a
            // pagination cursor or a JWT missing its signature, which is data, not randomness.
            if token.starts_with(b"eyJ") {
                if let Some(jwt_end) = jwt_at(b, start) {
                    from = jwt_end;
                }
                continue;
            }
            if aws_secret_at(b, start, end, context, &mut has_key_id) {
                continue;
            }
            let padded_end = run_end(b, end, |c| c == b'=').min(end + 2);
            if is_word(at(b, padded_end)) {
                continue;
            }
            let flagged = if is_hex_like(token) {
                // under a Twilio key a 32-hex token is the Twilio detector's
                secret_context(context)
                    && !(token.len() == 32 && key_has(context, &[], &["twilio"]))
            } else {
                looks_random(token)
            };
            if flagged {
                out.push(Match {
                    start,
                    end: padded_end,
                    detector: DetectorId::HighEntropySecret,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, words: &[&str]) -> Vec<String> {
        let context = FieldContext { key_words: words };
        let mut out = Vec::new();
        HighEntropySecret::default().find(text, &context, &mut out);
        out.iter()
            .map(|m| text[m.start..m.end].to_owned())
            .collect()
    }

    #[test]
    fn flags_random_tokens_in_several_positions() {
        for token in [
            "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0",
            "Xk9mP2vL8qR4tY7wZ3nB6cF1",
            "q8Zr/T2mW+x7LkP0aV3nYc9e",
            "tok_9fK2mQ7xLp4Rz8Vb1Nc6",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "k3j9x2m8q7w4z1v6b5n0p3r8t2y7",
        ] {
            assert_eq!(spans(token, &[]), [token], "alone");
            assert_eq!(spans(&format!("the key {token}, ok"), &[]), [token]);
            assert_eq!(spans(&format!(r#"{{"v":"{token}"}}"#), &[]), [token]);
            assert_eq!(spans(&format!("x={token}&y=2"), &[]), [token]);
        }
        assert_eq!(
            spans("c2VjcmV0LXZhbHVlLTEyMzQ1Ng==", &[]),
            ["c2VjcmV0LXZhbHVlLTEyMzQ1Ng=="]
        );
    }

    #[test]
    fn does_not_flag_ids_digests_words_paths_or_images() {
        for text in [
            "550e8400-e29b-41d4-a716-446655440000",
            "d41d8cd98f00b204e9800998ecf8427e",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "abcdefghijklmnopqrstuvwxyzabcdefg",
            "AbstractSingletonProxyFactoryBean",
            "getUserByIdHandlerV2Factory",
            "my-blog-post-2024-01-15-title",
            "/usr/local/lib/python3.11/site-packages",
            "https://example.com/api/v1/users/12345/orders",
            "C:\\Users\\JohnSmith\\Documents\\Report2024.docx",
            "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
            "The quick brown fox jumps over the lazy dog",
            "2024-01-15T10:30:00.000Z",
            "20240115123045",
            "ORD-2024-000123-XYZ",
            "Content-Security-Policy",
            "pk_live_51H8xYzABCDEFGHIJKLMNOPqrstuvwxyz012345",
            "Bearer Xk9mP2vL8qR4tY7wZ3nB6cF1",
            "AKIAIOSFODNN7EXAMPLE",
        ] {
            assert!(
                spans(text, &[]).is_empty(),
                "{text}: {:?}",
                spans(text, &[])
            );
        }
    }

    #[test]
    fn hex_is_a_secret_only_under_a_secret_key() {
        let hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assert!(spans(hex, &["sha256"]).is_empty());
        assert_eq!(spans(hex, &["client", "secret"]), [hex]);
        assert_eq!(spans(hex, &["api", "key"]), [hex]);
    }

    #[test]
    fn skips_what_specific_detectors_own() {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHHIG2sQ9mJMA0GCSqGSIb3DQEBCwUAMBExDzANBgNVBAMMBnVu\n-----END CERTIFICATE-----";
        assert!(spans(pem, &[]).is_empty());
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert!(spans(jwt, &[]).is_empty());
        assert!(spans("ghp_1234567890abcdefghijklmnopqrstuvwxyzAB", &[]).is_empty());
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert!(spans(secret, &["aws", "secret", "access", "key"]).is_empty());
    }
}
