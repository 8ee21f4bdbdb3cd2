//! Vendor tokens recognised by their prefix (GitHub, GitLab, Slack, Stripe, Google, Twilio,
//! `SendGrid`, npm) and PEM private key blocks.
//!
//! Prefixes are only checked at word starts and after a cheap `memchr`/`memmem` prefilter.
//! Timetracer only catches these when they are longer than 32 characters and contain no `.`
//! (section 8.4, rule 3); it never recognises PEM blocks.
//!
//! Stripe: secret (`sk_live_`, `sk_test_`), restricted (`rk_live_`, `rk_test_`) and webhook
//! signing (`whsec_`) keys are secrets. Publishable keys (`pk_live_`, `pk_test_`) are designed
//! to ship in browser code, so they are deliberately not reported (and the generic secret
//! detector skips them too). Test-mode secret keys are reported: they still open the account's
//! test data and API.

use memchr::memmem::Finder;
use memchr::{memchr, memchr2};

use super::text::{
    at, before, is_b64url, is_lower_hex, is_word, key_has, next_long_run, run_end, starts_with,
};
use super::{Detector, DetectorId, FieldContext, Match, Needs, class};

fn push(out: &mut Vec<Match>, detector: DetectorId, start: usize, end: usize) {
    out.push(Match {
        start,
        end,
        detector,
    });
}

fn is_alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

/// Calls `visit` at every `_` and lets it say where to continue.
fn each_underscore(
    b: &[u8],
    mut visit: impl FnMut(usize) -> Option<(usize, usize)>,
    detector: DetectorId,
    out: &mut Vec<Match>,
) {
    let mut from = 0;
    while let Some(k) = memchr(b'_', b.get(from..).unwrap_or_default()) {
        let u = from + k;
        if let Some((start, end)) = visit(u) {
            push(out, detector, start, end);
            from = end;
        } else {
            from = u + 1;
        }
    }
}

/// Calls `visit` at every occurrence of a finder's needle.
fn each_needle(
    b: &[u8],
    finder: &Finder<'static>,
    mut visit: impl FnMut(usize) -> Option<(usize, usize)>,
    detector: DetectorId,
    out: &mut Vec<Match>,
) {
    let mut from = 0;
    while let Some(k) = finder.find(b.get(from..).unwrap_or_default()) {
        let p = from + k;
        if let Some((start, end)) = visit(p) {
            push(out, detector, start, end);
            from = end;
        } else {
            from = p + 1;
        }
    }
}

/// A body of `class` bytes from `start` between `min` and `max` long ending at a non-word byte.
fn body(
    b: &[u8],
    start: usize,
    min: usize,
    max: usize,
    class: impl Fn(u8) -> bool,
) -> Option<usize> {
    let end = run_end(b, start, class);
    ((min..=max).contains(&(end - start)) && !is_word(at(b, end))).then_some(end)
}

// ---------------------------------------------------------------------------------------------
// GitHub

/// GitHub tokens: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and 30-251 letters or digits (36 today),
/// or `github_pat_` and 40+ letters, digits or underscores (fine-grained tokens).
#[derive(Clone, Copy, Debug, Default)]
pub struct GithubToken;

const GITHUB_PREFIXES: [&[u8; 3]; 5] = [b"ghp", b"gho", b"ghu", b"ghs", b"ghr"];

fn github_at(b: &[u8], u: usize) -> Option<(usize, usize)> {
    if let Some(start) = u.checked_sub(3)
        && GITHUB_PREFIXES
            .iter()
            .any(|p| b.get(start..u) == Some(p.as_slice()))
        && !is_word(before(b, start))
    {
        let end = body(b, u + 1, 30, 251, is_alnum)?;
        let token = b.get(u + 1..end)?;
        let random = token
            .iter()
            .any(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
        return random.then_some((start, end));
    }
    let start = u.checked_sub(6)?;
    if b.get(start..u) == Some(b"github".as_slice())
        && starts_with(b, u, b"_pat_")
        && !is_word(before(b, start))
    {
        let end = body(b, u + 5, 40, 251, is_word)?;
        return Some((start, end));
    }
    None
}

impl Detector for GithubToken {
    fn id(&self) -> DetectorId {
        DetectorId::GithubToken
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::UNDERSCORE | class::LOWER)
            .token_run(34)
            .len(34)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        each_underscore(b, |u| github_at(b, u), DetectorId::GithubToken, out);
    }
}

// ---------------------------------------------------------------------------------------------
// GitLab

/// GitLab personal access tokens: `glpat-` and 20+ base64url characters.
#[derive(Clone, Debug)]
pub struct GitlabToken {
    prefix: Finder<'static>,
}

impl Default for GitlabToken {
    fn default() -> Self {
        GitlabToken {
            prefix: Finder::new(b"glpat-"),
        }
    }
}

impl Detector for GitlabToken {
    fn id(&self) -> DetectorId {
        DetectorId::GitlabToken
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::DASH | class::LOWER)
            .token_run(26)
            .len(26)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        each_needle(
            b,
            &self.prefix,
            |p| {
                if is_b64url(before(b, p)) {
                    return None;
                }
                let end = run_end(b, p + 6, is_b64url);
                (end - p - 6 >= 20 && end - p <= 255).then_some((p, end))
            },
            DetectorId::GitlabToken,
            out,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Slack

/// Slack tokens (`xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-` and 10+ letters, digits and dashes
/// with at least one digit) and incoming webhook URLs (`https://hooks.slack.com/services/...`,
/// the whole URL).
#[derive(Clone, Debug)]
pub struct SlackToken {
    xox: Finder<'static>,
    hooks: Finder<'static>,
}

impl Default for SlackToken {
    fn default() -> Self {
        SlackToken {
            xox: Finder::new(b"xox"),
            hooks: Finder::new(b"hooks.slack.com/services/"),
        }
    }
}

fn slack_token_at(b: &[u8], p: usize) -> Option<(usize, usize)> {
    if !matches!(at(b, p + 3), b'b' | b'a' | b'p' | b'r' | b's')
        || at(b, p + 4) != b'-'
        || is_word(before(b, p))
    {
        return None;
    }
    let mut end = run_end(b, p + 5, |c| c.is_ascii_alphanumeric() || c == b'-');
    while end > p + 5 && before(b, end) == b'-' {
        end -= 1;
    }
    let token = b.get(p + 5..end)?;
    let ok = token.len() >= 10 && token.iter().any(u8::is_ascii_digit) && !is_word(at(b, end));
    ok.then_some((p, end))
}

fn slack_hook_at(b: &[u8], p: usize) -> Option<(usize, usize)> {
    let mut start = p;
    for scheme in [b"https://".as_slice(), b"http://".as_slice()] {
        if let Some(s) = p.checked_sub(scheme.len())
            && b.get(s..p) == Some(scheme)
        {
            start = s;
        }
    }
    if start == p && (is_word(before(b, p)) || before(b, p) == b'.') {
        return None;
    }
    let path_start = p + b"hooks.slack.com/services/".len();
    let end = run_end(b, path_start, |c| is_b64url(c) || c == b'/');
    let path = b.get(path_start..end)?;
    let parts = path.split(|&c| c == b'/').filter(|s| !s.is_empty()).count();
    (parts >= 3).then_some((start, end))
}

impl Detector for SlackToken {
    fn id(&self) -> DetectorId {
        DetectorId::SlackToken
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::LOWER).token_run(15).len(15)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        let mut from = 0;
        loop {
            let rest = b.get(from..).unwrap_or_default();
            let token = self.xox.find(rest).map(|k| (from + k, false));
            let hook = self.hooks.find(rest).map(|k| (from + k, true));
            let next = match (token, hook) {
                (Some(t), Some(h)) => Some(if h.0 < t.0 { h } else { t }),
                (t, h) => t.or(h),
            };
            let Some((p, is_hook)) = next else { break };
            let found = if is_hook {
                slack_hook_at(b, p)
            } else {
                slack_token_at(b, p)
            };
            if let Some((start, end)) = found {
                push(out, DetectorId::SlackToken, start, end);
                from = end;
            } else {
                from = p + 1;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Stripe

/// Stripe secret, restricted and webhook keys (`sk_live_`, `sk_test_`, `rk_live_`, `rk_test_`,
/// `whsec_` and 16+ letters or digits). Publishable `pk_` keys are public by design: not
/// reported.
#[derive(Clone, Copy, Debug, Default)]
pub struct StripeKey;

/// `(start, body_start, secret)` of a Stripe key prefix whose first `_` is at `u`.
fn stripe_prefix(b: &[u8], u: usize) -> Option<(usize, usize, bool)> {
    if let Some(start) = u.checked_sub(2) {
        let kind = b.get(start..u)?;
        let is_key = matches!(kind, b"sk" | b"rk" | b"pk");
        let mode = starts_with(b, u + 1, b"live_") || starts_with(b, u + 1, b"test_");
        if is_key && mode && !is_word(before(b, start)) {
            return Some((start, u + 6, kind != b"pk"));
        }
    }
    let start = u.checked_sub(5)?;
    (b.get(start..u) == Some(b"whsec".as_slice()) && !is_word(before(b, start))).then_some((
        start,
        u + 1,
        true,
    ))
}

impl Detector for StripeKey {
    fn id(&self) -> DetectorId {
        DetectorId::StripeKey
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::UNDERSCORE | class::LOWER)
            .token_run(22)
            .len(22)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        each_underscore(
            b,
            |u| {
                let (start, body_start, secret) = stripe_prefix(b, u)?;
                let end = body(b, body_start, 16, 247, is_alnum)?;
                secret.then_some((start, end))
            },
            DetectorId::StripeKey,
            out,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Google

/// Google API keys: `AIza` and exactly 35 base64url characters.
#[derive(Clone, Debug)]
pub struct GoogleApiKey {
    prefix: Finder<'static>,
}

impl Default for GoogleApiKey {
    fn default() -> Self {
        GoogleApiKey {
            prefix: Finder::new(b"AIza"),
        }
    }
}

impl Detector for GoogleApiKey {
    fn id(&self) -> DetectorId {
        DetectorId::GoogleApiKey
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::UPPER | class::LOWER)
            .token_run(39)
            .len(39)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        each_needle(
            b,
            &self.prefix,
            |p| {
                let end = run_end(b, p + 4, is_b64url);
                (!is_b64url(before(b, p)) && end - p == 39).then_some((p, end))
            },
            DetectorId::GoogleApiKey,
            out,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Twilio

/// Twilio API key and account SIDs (`SK` or `AC` and 32 lowercase hex digits), and, under a key
/// naming `twilio`, a bare 32-hex auth token (a bare 32-hex string elsewhere is an MD5 digest or
/// a trace id, so it needs that context).
#[derive(Clone, Copy, Debug, Default)]
pub struct TwilioKey;

fn twilio_sid(token: &[u8]) -> bool {
    token.len() == 34
        && (token.starts_with(b"SK") || token.starts_with(b"AC"))
        && token
            .get(2..)
            .is_some_and(|h| h.iter().all(|&c| is_lower_hex(c)))
}

impl Detector for TwilioKey {
    fn id(&self) -> DetectorId {
        DetectorId::TwilioKey
    }

    fn needs(&self) -> Needs {
        Needs::NOTHING.token_run(32).len(32)
    }

    fn find(&self, text: &str, context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        let in_context = key_has(context, &[], &["twilio"]);
        if !in_context && memchr2(b'S', b'A', b).is_none() {
            return;
        }
        let mut from = 0;
        while let Some((start, end)) = next_long_run(b, from, 32, is_alnum) {
            from = end;
            if before(b, start) == b'_' || at(b, end) == b'_' {
                continue;
            }
            let token = b.get(start..end).unwrap_or_default();
            let bare = in_context && token.len() == 32 && token.iter().all(|&c| is_lower_hex(c));
            if twilio_sid(token) || bare {
                push(out, DetectorId::TwilioKey, start, end);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SendGrid

/// `SendGrid` API keys: `SG.`, 22 base64url characters, `.`, 43 base64url characters.
#[derive(Clone, Debug)]
pub struct SendgridKey {
    prefix: Finder<'static>,
}

impl Default for SendgridKey {
    fn default() -> Self {
        SendgridKey {
            prefix: Finder::new(b"SG."),
        }
    }
}

pub(crate) fn sendgrid_at(b: &[u8], p: usize) -> Option<(usize, usize)> {
    if is_b64url(before(b, p)) || before(b, p) == b'.' {
        return None;
    }
    let e1 = run_end(b, p + 3, is_b64url);
    if e1 - p - 3 != 22 || at(b, e1) != b'.' {
        return None;
    }
    let e2 = run_end(b, e1 + 1, is_b64url);
    (e2 - e1 - 1 == 43 && !(at(b, e2) == b'.' && is_b64url(at(b, e2 + 1)))).then_some((p, e2))
}

impl Detector for SendgridKey {
    fn id(&self) -> DetectorId {
        DetectorId::SendgridKey
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::UPPER | class::DOT)
            .token_run(43)
            .len(69)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        each_needle(
            b,
            &self.prefix,
            |p| sendgrid_at(b, p),
            DetectorId::SendgridKey,
            out,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// npm

/// npm access tokens: `npm_` and exactly 36 letters or digits.
#[derive(Clone, Debug)]
pub struct NpmToken {
    prefix: Finder<'static>,
}

impl Default for NpmToken {
    fn default() -> Self {
        NpmToken {
            prefix: Finder::new(b"npm_"),
        }
    }
}

impl Detector for NpmToken {
    fn id(&self) -> DetectorId {
        DetectorId::NpmToken
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::UNDERSCORE | class::LOWER)
            .token_run(40)
            .len(40)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        each_needle(
            b,
            &self.prefix,
            |p| {
                if is_word(before(b, p)) {
                    return None;
                }
                body(b, p + 4, 36, 36, is_alnum).map(|end| (p, end))
            },
            DetectorId::NpmToken,
            out,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// PEM

/// PEM private key blocks, from `-----BEGIN ... PRIVATE KEY-----` through the matching END line
/// (RSA, EC, DSA, OpenSSH, encrypted PKCS#8, PGP). Line breaks may be real or literal `\n`
/// sequences (a JSON string decoded once too few times). A block without its END line (a
/// truncated body) runs to the end of the text: over-redacting a key's tail beats leaking it.
#[derive(Clone, Debug)]
pub struct PemPrivateKey {
    begin: Finder<'static>,
    end: Finder<'static>,
}

impl Default for PemPrivateKey {
    fn default() -> Self {
        PemPrivateKey {
            begin: Finder::new(b"-----BEGIN "),
            end: Finder::new(b"-----END "),
        }
    }
}

/// The label of a PEM header at `p` (`-----BEGIN <label>-----`) and where the header ends.
fn pem_header(b: &[u8], p: usize) -> Option<(&[u8], usize)> {
    let label_start = p + 11;
    let label_end = run_end(b, label_start, |c| {
        c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' '
    });
    let label = b.get(label_start..label_end)?;
    (!label.is_empty() && label.len() <= 48 && starts_with(b, label_end, b"-----"))
        .then_some((label, label_end + 5))
}

impl PemPrivateKey {
    /// The end of the PEM block (any label) whose header starts at `p`, or the text's end when
    /// its END line is missing; `None` if there is no header at `p`.
    pub(crate) fn block_at(&self, b: &[u8], p: usize) -> Option<(bool, usize)> {
        let (label, header_end) = pem_header(b, p)?;
        let private = memchr::memmem::find(label, b"PRIVATE KEY").is_some();
        let mut from = header_end;
        while let Some(k) = self.end.find(b.get(from..).unwrap_or_default()) {
            let e = from + k;
            let label_end = e + 9 + label.len();
            if b.get(e + 9..label_end) == Some(label) && starts_with(b, label_end, b"-----") {
                return Some((private, label_end + 5));
            }
            from = e + 1;
        }
        Some((private, b.len()))
    }

    /// The next `-----BEGIN` at or after `from`.
    pub(crate) fn next_begin(&self, b: &[u8], from: usize) -> Option<usize> {
        self.begin
            .find(b.get(from..).unwrap_or_default())
            .map(|k| from + k)
    }
}

impl Detector for PemPrivateKey {
    fn id(&self) -> DetectorId {
        DetectorId::PemPrivateKey
    }

    fn needs(&self) -> Needs {
        Needs::bytes(class::DASH | class::SPACE | class::UPPER).len(27)
    }

    fn find(&self, text: &str, _context: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        let mut from = 0;
        while let Some(p) = self.next_begin(b, from) {
            match self.block_at(b, p) {
                Some((true, end)) => {
                    push(out, DetectorId::PemPrivateKey, p, end);
                    from = end;
                }
                Some((false, end)) => from = end.max(p + 1),
                None => from = p + 1,
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Prefixes the generic secret detector leaves to the detectors above

const VENDOR_PREFIXES: [&[u8]; 21] = [
    b"ghp_",
    b"gho_",
    b"ghu_",
    b"ghs_",
    b"ghr_",
    b"github_pat_",
    b"glpat-",
    b"xoxb-",
    b"xoxp-",
    b"xoxa-",
    b"xoxr-",
    b"xoxs-",
    b"sk_live_",
    b"sk_test_",
    b"rk_live_",
    b"rk_test_",
    b"pk_live_",
    b"pk_test_",
    b"whsec_",
    b"AIza",
    b"npm_",
];

/// Whether a token starting at `start` (and ending at `end`) is a vendor token the specific
/// detectors own (including Stripe publishable keys, which are public).
pub(crate) fn vendor_token_at(b: &[u8], start: usize, end: usize) -> bool {
    VENDOR_PREFIXES.iter().any(|p| starts_with(b, start, p))
        || (starts_with(b, start, b"SG") && at(b, start + 2) == b'.')
        || b.get(start..end).is_some_and(twilio_sid)
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

    fn positions(d: &dyn Detector, token: &str) {
        assert_eq!(spans(d, token, &[]), [token], "alone");
        for text in [
            format!("key {token} here"),
            format!("{token}."),
            format!(r#"{{"k":"{token}"}}"#),
            format!("x={token}&y=1"),
            format!("({token})"),
        ] {
            assert_eq!(spans(d, &text, &[]), [token], "{text}");
        }
    }

    #[test]
    fn finds_github_tokens() {
        positions(&GithubToken, "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB");
        positions(&GithubToken, "gho_16C7e42F292c6912E7710c838347Ae178B4a");
        positions(
            &GithubToken,
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        );
        for text in [
            "ghp_short",
            "xghp_1234567890abcdefghijklmnopqrstuvwxyzAB",
            "ghs_total_count",
            "ghp_abcdefghijklmnopqrstuvwxyzabcdefghij",
        ] {
            assert!(spans(&GithubToken, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_gitlab_slack_stripe_google_sendgrid_npm() {
        positions(&GitlabToken::default(), "glpat-xYz12AbC34dEf56GhI78");
        positions(
            &SlackToken::default(),
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        );
        positions(
            &SlackToken::default(),
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        );
        positions(
            &StripeKey,
            "sk_live_51H8xYzABCDEFGHIJKLMNOPqrstuvwxyz012345",
        );
        positions(&StripeKey, "rk_test_4eC39HqLyjWDarjtT1zdp7dc");
        positions(&StripeKey, "whsec_5f3a8b1c9d7e2f4a6b8c0d1e3f5a7b9c");
        positions(
            &GoogleApiKey::default(),
            "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
        );
        positions(
            &SendgridKey::default(),
            "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",
        );
        positions(
            &NpmToken::default(),
            "npm_AbCdEf0123456789GhIjKl0123456789MnOp",
        );
    }

    #[test]
    fn rejects_vendor_lookalikes() {
        // publishable Stripe keys are public by design
        assert!(
            spans(
                &StripeKey,
                "pk_live_51H8xYzABCDEFGHIJKLMNOPqrstuvwxyz012345",
                &[]
            )
            .is_empty()
        );
        assert!(spans(&StripeKey, "task_live_update", &[]).is_empty());
        assert!(spans(&StripeKey, "sk_live_short", &[]).is_empty());
        assert!(spans(&SlackToken::default(), "xoxb-abcdefghijklmnop", &[]).is_empty());
        assert!(
            spans(
                &SlackToken::default(),
                "https://hooks.slack.com/services/",
                &[]
            )
            .is_empty()
        );
        assert!(
            spans(
                &GoogleApiKey::default(),
                "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQeX",
                &[]
            )
            .is_empty()
        );
        assert!(spans(&GitlabToken::default(), "glpat-short", &[]).is_empty());
        assert!(spans(&NpmToken::default(), "npm_install_packages", &[]).is_empty());
        assert!(spans(&SendgridKey::default(), "SG.short.token", &[]).is_empty());
    }

    #[test]
    fn finds_twilio_sids_and_context_tokens() {
        positions(&TwilioKey, "SK0123456789abcdef0123456789abcdef");
        positions(&TwilioKey, "AC0123456789abcdef0123456789abcdef");
        let md5 = "0123456789abcdef0123456789abcdef";
        assert!(spans(&TwilioKey, md5, &[]).is_empty());
        assert!(spans(&TwilioKey, md5, &["etag"]).is_empty());
        assert_eq!(spans(&TwilioKey, md5, &["twilio", "auth", "token"]), [md5]);
        assert!(spans(&TwilioKey, "SK0123456789ABCDEF0123456789ABCDEF", &[]).is_empty());
    }

    #[test]
    fn finds_pem_private_keys_with_real_or_literal_newlines() {
        let pem = PemPrivateKey::default();
        let real = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAbC+/=\n-----END RSA PRIVATE KEY-----";
        assert_eq!(spans(&pem, real, &[]), [real]);
        let literal = r"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\n-----END PRIVATE KEY-----";
        assert_eq!(
            spans(&pem, &format!(r#"{{"key":"{literal}\n"}}"#), &[]),
            [literal]
        );
        let openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----";
        assert_eq!(spans(&pem, &format!("key: {openssh} end"), &[]), [openssh]);
        let truncated = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI";
        assert_eq!(spans(&pem, truncated, &[]), [truncated]);
        let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        assert!(spans(&pem, cert, &[]).is_empty());
        assert!(spans(&pem, "-----BEGIN -----", &[]).is_empty());
    }
}
