//! Credentials: JWTs, `Bearer` and `Basic` authorization values, AWS access key ids and AWS
//! secret access keys.
//!
//! Timetracer masks a whole string when it starts with `eyJ` and has two dots, or starts with
//! `bearer `; it misses `Basic` values, AWS key ids and AWS secret keys (section 8.6). Here a JWT
//! must have a header that decodes to a JSON object naming `alg` or `typ`, a Basic value must
//! decode to `user:password`, and the match covers the credential, not the scheme word.

use memchr::memchr;
use memchr::memmem::Finder;

use super::text::{
    at, b64_decode_each, before, contains_ci, find_letter_ci, is_b64, is_b64url, is_word, key_has,
    next_long_run, run_end, starts_with_ci,
};
use super::{Detector, DetectorId, FieldContext, Match, Needs, class};

fn push(out: &mut Vec<Match>, detector: DetectorId, start: usize, end: usize) {
    out.push(Match {
        start,
        end,
        detector,
    });
}

// ---------------------------------------------------------------------------------------------
// JWT

/// JSON Web Tokens: three base64url parts; the header decodes to a JSON object with `alg` or
/// `typ`, the payload to a JSON object. The signature may be empty (`alg: none`).
#[derive(Clone, Debug)]
pub struct Jwt {
    eyj: Finder<'static>,
}

impl Default for Jwt {
    fn default() -> Self {
        Jwt {
            eyj: Finder::new(b"eyJ"),
        }
    }
}

fn decodes_to_object(part: &[u8], need_claim: bool) -> bool {
    let mut buf = [0u8; 256];
    let mut n = 0;
    let ok = b64_decode_each(part, |c| {
        if let Some(slot) = buf.get_mut(n) {
            *slot = c;
            n += 1;
        }
        true
    });
    let head = buf.get(..n).unwrap_or_default();
    let body = head.trim_ascii_start();
    if !ok || body.first() != Some(&b'{') {
        return false;
    }
    !need_claim
        || memchr::memmem::find(body, br#""alg""#).is_some()
        || memchr::memmem::find(body, br#""typ""#).is_some()
}

/// The end of a JWT starting at `start`, if one does.
pub(crate) fn jwt_at(b: &[u8], start: usize) -> Option<usize> {
    if is_b64url(before(b, start))
        || before(b, start) == b'.'
        || !b.get(start..)?.starts_with(b"eyJ")
    {
        return None;
    }
    let e1 = run_end(b, start, is_b64url);
    if at(b, e1) != b'.' {
        return None;
    }
    let e2 = run_end(b, e1 + 1, is_b64url);
    if e2 - e1 - 1 < 2 || at(b, e2) != b'.' {
        return None;
    }
    let e3 = run_end(b, e2 + 1, is_b64url);
    if is_b64url(at(b, e3)) || (at(b, e3) == b'.' && is_b64url(at(b, e3 + 1))) {
        return None;
    }
    let payload = b.get(e1 + 1..e2)?;
    let payload_head = payload
        .get(..payload.len().min(12) / 4 * 4)
        .filter(|p| !p.is_empty());
    let payload_ok = decodes_to_object(payload_head.unwrap_or(payload), false);
    (payload_ok && decodes_to_object(b.get(start..e1)?, true)).then_some(e3)
}

impl Detector for Jwt {
    fn id(&self) -> DetectorId {
        DetectorId::Jwt
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::UPPER | class::LOWER | class::DOT)
            .token_run(8)
            .len(12)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        let mut from = 0;
        while let Some(k) = self.eyj.find(b.get(from..).unwrap_or_default()) {
            let p = from + k;
            if let Some(end) = jwt_at(b, p) {
                push(out, DetectorId::Jwt, p, end);
                from = end;
            } else {
                from = p + 3;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bearer and Basic

/// `Bearer <token>` (any case): the match is the token. At the start of a value (a header
/// value, `Authorization: Bearer ...`) any token counts; inside prose the token must look like
/// a credential (8+ characters with a digit or symbol), so "the bearer instrument" is not one.
#[derive(Clone, Copy, Debug, Default)]
pub struct BearerCredential;

/// `Basic <base64>` (any case) whose payload decodes to printable `user:password`: the match is
/// the base64 value.
#[derive(Clone, Copy, Debug, Default)]
pub struct BasicCredential;

fn is_token68(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
}

/// Where the credential after a scheme word at `p` (of `len` bytes) starts, if the scheme is a
/// whole word followed by spaces.
fn after_scheme(b: &[u8], p: usize, word: &[u8]) -> Option<usize> {
    if is_word(before(b, p)) || !starts_with_ci(b, p, word) {
        return None;
    }
    let mut i = p + word.len();
    if at(b, i) != b' ' {
        return None;
    }
    while at(b, i) == b' ' && i - p < word.len() + 8 {
        i += 1;
    }
    Some(i)
}

/// Whether the scheme word at `p` begins the value (only spaces, or a `key:`/`key=`/quote
/// before it), where any token after it is a credential.
fn scheme_leads(b: &[u8], p: usize) -> bool {
    let head = b.get(..p).unwrap_or_default().trim_ascii_end();
    matches!(head.last(), None | Some(b':' | b'=' | b'"' | b'\''))
}

fn looks_like_credential(token: &[u8]) -> bool {
    let has_digit = token.iter().any(u8::is_ascii_digit);
    let has_symbol = token.iter().any(|c| !c.is_ascii_alphanumeric());
    let mixed =
        token.iter().any(u8::is_ascii_uppercase) && token.iter().any(u8::is_ascii_lowercase);
    token.len() >= 8 && (has_digit || has_symbol || (mixed && token.len() >= 16))
}

/// The credential after a `Bearer` scheme at `p`, if any.
pub(crate) fn bearer_at(b: &[u8], p: usize, context: &FieldContext<'_>) -> Option<(usize, usize)> {
    let start = after_scheme(b, p, b"bearer")?;
    let mut end = run_end(b, start, is_token68);
    while end > start && before(b, end) == b'.' {
        end -= 1;
    }
    if end == start {
        return None;
    }
    let end = run_end(b, end, |c| c == b'=');
    if is_word(at(b, end)) {
        return None;
    }
    let token = b.get(start..end)?;
    let strong = scheme_leads(b, p) || key_has(context, &["authorization", "auth", "bearer"], &[]);
    (strong || looks_like_credential(token)).then_some((start, end))
}

/// The credential after a `Basic` scheme at `p`, if it decodes to `user:password`.
pub(crate) fn basic_at(b: &[u8], p: usize) -> Option<(usize, usize)> {
    let start = after_scheme(b, p, b"basic")?;
    let body_end = run_end(b, start, is_b64);
    let end = run_end(b, body_end, |c| c == b'=');
    let next = at(b, end);
    let sentence_end = next == b'.' && !is_token68(at(b, end + 1));
    if end - start < 4 || (is_token68(next) && !sentence_end) || next == b'=' {
        return None;
    }
    let mut colon = false;
    let mut count = 0usize;
    let ok = b64_decode_each(b.get(start..end)?, |c| {
        count += 1;
        colon |= c == b':';
        c >= 0x20 && c != 0x7F
    });
    (ok && colon && count >= 3).then_some((start, end))
}

fn scheme_matches(
    text: &str,
    first: u8,
    mut at_scheme: impl FnMut(&[u8], usize) -> Option<(usize, usize)>,
    detector: DetectorId,
    out: &mut Vec<Match>,
) {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(p) = find_letter_ci(b, from, first) {
        if let Some((start, end)) = at_scheme(b, p) {
            push(out, detector, start, end);
            from = end;
        } else {
            from = p + 1;
        }
    }
}

impl Detector for BearerCredential {
    fn id(&self) -> DetectorId {
        DetectorId::BearerCredential
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::LETTER_B | class::SPACE).len(8)
    }

    fn find(&self, text: &str, context: &FieldContext<'_>, out: &mut Vec<Match>) {
        scheme_matches(
            text,
            b'b',
            |b, p| bearer_at(b, p, context),
            DetectorId::BearerCredential,
            out,
        );
    }
}

impl Detector for BasicCredential {
    fn id(&self) -> DetectorId {
        DetectorId::BasicCredential
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::LETTER_B | class::SPACE).len(10)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        scheme_matches(text, b'b', basic_at, DetectorId::BasicCredential, out);
    }
}

// ---------------------------------------------------------------------------------------------
// AWS

/// AWS access key ids: `AKIA`, `ASIA`, `AGPA`, `AIDA`, `AROA`, `ANPA`, `ANVA` or `AIPA` and 16
/// uppercase letters or digits, as a whole word.
#[derive(Clone, Copy, Debug, Default)]
pub struct AwsAccessKeyId;

const AWS_PREFIXES: [&[u8; 4]; 8] = [
    b"AKIA", b"ASIA", b"AGPA", b"AIDA", b"AROA", b"ANPA", b"ANVA", b"AIPA",
];

/// The end of an AWS access key id starting at `p`, if one does.
pub(crate) fn aws_key_id_at(b: &[u8], p: usize) -> Option<usize> {
    let prefix = b.get(p..p + 4)?;
    if !AWS_PREFIXES.iter().any(|x| x.as_slice() == prefix) || is_word(before(b, p)) {
        return None;
    }
    let end = p + 20;
    let body = b.get(p + 4..end)?;
    let ok = body
        .iter()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    (ok && !is_word(at(b, end))).then_some(end)
}

fn each_aws_key_id(b: &[u8], mut visit: impl FnMut(usize, usize) -> bool) {
    let mut from = 0;
    while let Some(k) = memchr(b'A', b.get(from..).unwrap_or_default()) {
        let p = from + k;
        if let Some(end) = aws_key_id_at(b, p) {
            if !visit(p, end) {
                return;
            }
            from = end;
        } else {
            from = p + 1;
        }
    }
}

impl Detector for AwsAccessKeyId {
    fn id(&self) -> DetectorId {
        DetectorId::AwsAccessKeyId
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::UPPER).token_run(20).len(20)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        each_aws_key_id(text.as_bytes(), |start, end| {
            push(out, DetectorId::AwsAccessKeyId, start, end);
            true
        });
    }
}

/// AWS secret access keys: exactly 40 base64 characters with upper, lower and a digit or
/// symbol, found only by context (a key naming `aws` or a secret access key, `aws` or
/// `secret access` just before it in the text, or an access key id in the same text): 40 random
/// characters alone cannot be told apart from other base64.
#[derive(Clone, Copy, Debug, Default)]
pub struct AwsSecretKey;

fn secret_shape(token: &[u8]) -> bool {
    token.len() == 40
        && token.iter().any(u8::is_ascii_uppercase)
        && token.iter().any(u8::is_ascii_lowercase)
        && token
            .iter()
            .any(|c| c.is_ascii_digit() || *c == b'/' || *c == b'+')
}

/// `aws` anywhere in the key, or `secret` with `access` (`SecretAccessKey`): a bare `secret`
/// key (`client_secret`) holds all kinds of secrets, which the generic detector reports.
fn secret_key_context(context: &FieldContext<'_>) -> bool {
    key_has(context, &["aws"], &["secretaccess", "awssecret"])
        || (key_has(context, &[], &["secret"]) && key_has(context, &["access"], &[]))
}

/// `aws` or `secret access` (any separator) shortly before the token.
fn secret_text_context(b: &[u8], start: usize) -> bool {
    let from = start.saturating_sub(64);
    contains_ci(b, from, start, b"aws")
        || [
            b"secret_access".as_slice(),
            b"secretaccess",
            b"secret-access",
            b"secret access",
        ]
        .iter()
        .any(|w| contains_ci(b, from, start, w))
}

/// Whether `b[start..end]` is an AWS secret key by shape and context. `has_key_id` is computed
/// lazily by the caller (whether the text holds an access key id).
pub(crate) fn aws_secret_at(
    b: &[u8],
    start: usize,
    end: usize,
    context: &FieldContext<'_>,
    has_key_id: &mut Option<bool>,
) -> bool {
    let Some(token) = b.get(start..end) else {
        return false;
    };
    if !secret_shape(token)
        || is_b64(before(b, start))
        || matches!(before(b, start), b'_' | b'-')
        || is_b64(at(b, end))
        || matches!(at(b, end), b'=' | b'_' | b'-')
    {
        return false;
    }
    if secret_key_context(context) || secret_text_context(b, start) {
        return true;
    }
    *has_key_id.get_or_insert_with(|| {
        let mut found = false;
        each_aws_key_id(b, |_, _| {
            found = true;
            false
        });
        found
    })
}

impl Detector for AwsSecretKey {
    fn id(&self) -> DetectorId {
        DetectorId::AwsSecretKey
    }

    fn needs(&self) -> Needs {
        Needs::NOTHING.token_run(40).len(40)
    }

    fn find(&self, text: &str, context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        let mut has_key_id = None;
        let mut from = 0;
        while let Some((start, end)) = next_long_run(b, from, 40, is_b64) {
            if end - start == 40 && aws_secret_at(b, start, end, context, &mut has_key_id) {
                push(out, DetectorId::AwsSecretKey, start, end);
            }
            from = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(d: &dyn Detector, text: &str, words: &[&str]) -> Vec<String> {
        let context = FieldContext { key_words: words };
        let mut out = Vec::new();
        d.find(text, &context, &mut out);
        out.iter()
            .map(|m| text[m.start..m.end].to_owned())
            .collect()
    }

    const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    #[test]
    fn finds_jwts_alone_and_in_text() {
        let jwt = Jwt::default();
        assert_eq!(spans(&jwt, JWT, &[]), [JWT]);
        assert_eq!(spans(&jwt, &format!("token={JWT}&x=1"), &[]), [JWT]);
        assert_eq!(spans(&jwt, &format!(r#"{{"t":"{JWT}"}}"#), &[]), [JWT]);
        assert_eq!(spans(&jwt, &format!("Bearer {JWT}."), &[]), [JWT]);
        let vector = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";
        assert_eq!(spans(&jwt, vector, &[]), [vector]);
        let unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.";
        assert_eq!(spans(&jwt, unsigned, &[]), [unsigned]);
    }

    #[test]
    fn rejects_jwt_lookalikes() {
        let jwt = Jwt::default();
        for text in [
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0",
            "xeyJ.a.b",
            "eyJ.a.b",
            // header decodes to {"foo":"bar"}: no alg/typ
            "eyJmb28iOiJiYXIifQ.eyJzdWIiOiIxIn0.c2ln",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln.more.parts",
            "aeyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
        ] {
            assert!(spans(&jwt, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_bearer_credentials_not_the_scheme() {
        let d = BearerCredential;
        assert_eq!(spans(&d, "Bearer abc.def", &[]), ["abc.def"]);
        assert_eq!(spans(&d, "bearer xyz", &[]), ["xyz"]);
        assert_eq!(spans(&d, "BEARER 123", &[]), ["123"]);
        assert_eq!(
            spans(&d, "Authorization: Bearer 9f8a7b6c5d4e3f2a1b0c", &[]),
            ["9f8a7b6c5d4e3f2a1b0c"]
        );
        assert_eq!(
            spans(&d, "sent with bearer tok_8d7F6s5A4 today.", &[]),
            ["tok_8d7F6s5A4"]
        );
        assert_eq!(spans(&d, r#"{"h":"Bearer abc=="}"#, &[]), ["abc=="]);
        assert_eq!(spans(&d, "xyz", &["authorization"]), Vec::<String>::new());
        for text in [
            "the bearer instrument is payable",
            "Bearer [REDACTED]",
            "Bearer",
            "Bearer ",
            "bearers abc123def",
            "xbearer abc123def",
        ] {
            assert!(spans(&d, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_basic_credentials_that_decode() {
        let d = BasicCredential;
        assert_eq!(spans(&d, "Basic dXNlcjpwYXNz", &[]), ["dXNlcjpwYXNz"]);
        assert_eq!(
            spans(&d, "Authorization: basic YWxhZGRpbjpvcGVuc2VzYW1l.", &[]),
            ["YWxhZGRpbjpvcGVuc2VzYW1l"]
        );
        for text in [
            "Basic usage of the API",
            "basic aGVsbG8gd29ybGQ=",
            "Basic [REDACTED]",
            "Basic dXNlcjpwYXNz_x",
        ] {
            assert!(spans(&d, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_aws_key_ids() {
        let d = AwsAccessKeyId;
        assert_eq!(
            spans(&d, "AKIAIOSFODNN7EXAMPLE", &[]),
            ["AKIAIOSFODNN7EXAMPLE"]
        );
        assert_eq!(
            spans(&d, "sig=ASIAY34FZKBOKMUTVV7A&x", &[]),
            ["ASIAY34FZKBOKMUTVV7A"]
        );
        for text in [
            "AKIAIOSFODNN7EXAMPL",
            "AKIAIOSFODNN7EXAMPLEX",
            "XAKIAIOSFODNN7EXAMPLE",
            "AKIAiosfodnn7example",
        ] {
            assert!(spans(&d, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_aws_secret_keys_by_context_only() {
        let d = AwsSecretKey;
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert!(spans(&d, secret, &[]).is_empty());
        assert_eq!(
            spans(&d, secret, &["aws", "secret", "access", "key"]),
            [secret]
        );
        assert_eq!(
            spans(&d, &format!("aws_secret_access_key = {secret}"), &[]),
            [secret]
        );
        assert_eq!(
            spans(&d, &format!("id AKIAIOSFODNN7EXAMPLE key {secret}"), &[]),
            [secret]
        );
        // a sha1 hex digest has the length but not the shape
        assert!(spans(&d, "da39a3ee5e6b4b0d3255bfef95601890afd80709", &["aws"]).is_empty());
        assert!(spans(&d, &format!("{secret}A"), &["aws"]).is_empty());
        // a client secret is a secret, but not an AWS one
        assert!(spans(&d, secret, &["client", "secret"]).is_empty());
        assert!(spans(&d, &format!("client_secret={secret}"), &[]).is_empty());
    }
}
