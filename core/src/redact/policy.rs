//! The redaction policy: one TOML file saying which rules run and what each does.
//!
//! [`Policy`] is the parsed file, kept as written (operators as strings) so it can be shown and
//! saved again; [`super::RedactorBuilder::build`] compiles it and rejects a bad rule by name.
//! Every key is documented in `docs/redaction-policy.md`; [`DEFAULT_POLICY`] is the default,
//! commented, and equal to `Policy::default()`.

use std::collections::BTreeMap;

/// The default policy, commented (`tapedeck redact --print-default-policy` prints it).
pub const DEFAULT_POLICY: &str = include_str!("default-policy.toml");

/// A policy rule that cannot be used, and why. Never quotes a cassette value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("policy rule `{rule}`: {reason}")]
pub struct PolicyError {
    /// The rule or setting at fault (`detectors.email`, `patterns.order_id`, `toml`).
    pub rule: String,
    pub reason: String,
}

impl PolicyError {
    pub(crate) fn new(rule: impl Into<String>, reason: impl Into<String>) -> PolicyError {
        PolicyError {
            rule: rule.into(),
            reason: reason.into(),
        }
    }
}

/// A parsed policy file. Missing keys take the defaults below.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Policy format version; only `1` exists.
    pub version: u32,
    /// `labelled` writes `[REDACTED:EMAIL]` for detector matches (Timetracer's style);
    /// `plain` writes `[REDACTED]` everywhere.
    pub mask_style: MaskStyle,
    /// Parse strings that hold JSON objects or arrays and redact inside them.
    pub json_in_strings: bool,
    pub keys: KeyRules,
    pub headers: HeaderRules,
    pub urls: UrlRules,
    /// Detector name → `true`/`false`, an operator (`"hmac"`), or `{ enabled, operator }`.
    /// Detectors not listed run with `mask`.
    pub detectors: BTreeMap<String, DetectorSetting>,
    /// Extra regular expressions, each its own rule.
    pub patterns: Vec<PatternRule>,
    pub allow: Allow,
    pub hashes: Hashes,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            version: 1,
            mask_style: MaskStyle::Labelled,
            json_in_strings: true,
            keys: KeyRules::default(),
            headers: HeaderRules::default(),
            urls: UrlRules::default(),
            detectors: BTreeMap::new(),
            patterns: Vec::new(),
            allow: Allow::default(),
            hashes: Hashes::default(),
        }
    }
}

impl Policy {
    /// Parses a policy file.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let policy: Policy =
            toml::from_str(text).map_err(|e| PolicyError::new("toml", e.message().to_owned()))?;
        if policy.version != 1 {
            return Err(PolicyError::new("version", "only policy version 1 exists"));
        }
        Ok(policy)
    }

    /// The default policy text, with comments.
    pub fn default_toml() -> &'static str {
        DEFAULT_POLICY
    }
}

/// How masks look.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MaskStyle {
    #[default]
    Labelled,
    Plain,
}

/// Values under sensitive keys (JSON bodies, query parameters, form fields).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct KeyRules {
    pub enabled: bool,
    /// More sensitive key phrases, in any spelling (`coupon`, `order_token`, `giftCard`).
    pub extra: Vec<String>,
    /// Built-in phrases to turn off (`age`, `session`).
    pub ignore: Vec<String>,
    pub operator: String,
}

impl Default for KeyRules {
    fn default() -> Self {
        KeyRules {
            enabled: true,
            extra: Vec::new(),
            ignore: Vec::new(),
            operator: String::from("mask"),
        }
    }
}

/// Headers of the incoming request, its response and every dependency call.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HeaderRules {
    pub enabled: bool,
    /// More sensitive header names (`x-tenant-secret`); matched by words like keys.
    pub extra: Vec<String>,
    /// What happens to a sensitive header: `mask` keeps the name and an authorization
    /// scheme (`Bearer [REDACTED]`); `drop` removes it as Timetracer does.
    pub operator: String,
    /// What happens to each cookie value in `cookie` and `set-cookie` (names and attributes
    /// stay).
    pub cookie_operator: String,
}

impl Default for HeaderRules {
    fn default() -> Self {
        HeaderRules {
            enabled: true,
            extra: Vec::new(),
            operator: String::from("mask"),
            cookie_operator: String::from("mask"),
        }
    }
}

/// Paths, URLs and query strings inside strings.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct UrlRules {
    /// What happens to the password of `user:pass@` (or the whole userinfo without one).
    pub userinfo_operator: String,
}

impl Default for UrlRules {
    fn default() -> Self {
        UrlRules {
            userinfo_operator: String::from("mask"),
        }
    }
}

/// A detector's setting.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(untagged)]
pub enum DetectorSetting {
    Enabled(bool),
    Operator(String),
    Table(DetectorTable),
}

/// The long form of a detector's setting.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorTable {
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub operator: Option<String>,
}

fn yes() -> bool {
    true
}

/// A regular expression rule.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PatternRule {
    /// Rule name in reports; must not be a detector's or a built-in rule's name.
    pub name: String,
    /// Rust `regex` syntax; every match in a string value is redacted.
    pub regex: String,
    #[serde(default = "mask")]
    pub operator: String,
    /// Label in tokens (`[REDACTED:ORDER]`); defaults to the name in capitals.
    #[serde(default)]
    pub label: Option<String>,
}

fn mask() -> String {
    String::from("mask")
}

/// What is never redacted.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Allow {
    /// Exact values left alone wherever they appear (whole values or matches).
    pub values: Vec<String>,
    /// Keys and header names (compared case-insensitively, as written) whose values are left
    /// alone entirely.
    pub keys: Vec<String>,
    /// JSON paths left alone with everything inside: `$.request.headers.host`,
    /// `$.events[*].result.body.data.request_id`.
    pub paths: Vec<String>,
}

impl Default for Allow {
    fn default() -> Self {
        Allow {
            values: Vec::new(),
            keys: [
                "host",
                "content-type",
                "content-length",
                "accept",
                "accept-encoding",
                "connection",
                "user-agent",
            ]
            .map(String::from)
            .to_vec(),
            paths: Vec::new(),
        }
    }
}

/// Hashes next to redacted data.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Hashes {
    /// `hash` of a body whose `data` was redacted: `rehash`, `hmac`, `keep` or `drop`.
    pub body_hash: String,
    /// `signature.body_hash` of database and Redis calls (hashes of the parameters):
    /// `keep`, `mask`, `hmac` or `drop`.
    pub parameter_hash: String,
    /// `signature.body_hash` of outgoing HTTP calls (hash of the request body): `keep`, `mask`,
    /// `hmac` or `drop`.
    pub request_body_hash: String,
}

impl Default for Hashes {
    fn default() -> Self {
        Hashes {
            body_hash: String::from("rehash"),
            parameter_hash: String::from("mask"),
            request_body_hash: String::from("keep"),
        }
    }
}

/// What to do with a body hash once its data was redacted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyHashMode {
    /// `sha256:` of the redacted `data` text as stored in the file.
    Rehash,
    /// `hmac-sha256:` of the redacted data text, keyed.
    Hmac,
    Keep,
    Drop,
}

impl BodyHashMode {
    pub(crate) fn parse(text: &str) -> Result<BodyHashMode, PolicyError> {
        match text {
            "rehash" => Ok(BodyHashMode::Rehash),
            "hmac" => Ok(BodyHashMode::Hmac),
            "keep" => Ok(BodyHashMode::Keep),
            "drop" => Ok(BodyHashMode::Drop),
            _ => Err(PolicyError::new(
                "hashes.body_hash",
                "expected rehash, hmac, keep or drop",
            )),
        }
    }
}

/// What to do with a signature hash (`keep`, `mask`, `hmac`, `drop`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureHashMode {
    Keep,
    Mask,
    Hmac,
    Drop,
}

impl SignatureHashMode {
    pub(crate) fn parse(rule: &str, text: &str) -> Result<SignatureHashMode, PolicyError> {
        match text {
            "keep" => Ok(SignatureHashMode::Keep),
            "mask" => Ok(SignatureHashMode::Mask),
            "hmac" => Ok(SignatureHashMode::Hmac),
            "drop" => Ok(SignatureHashMode::Drop),
            _ => Err(PolicyError::new(
                format!("hashes.{rule}"),
                "expected keep, mask, hmac or drop",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_text_is_the_default_policy() {
        assert_eq!(
            Policy::from_toml(DEFAULT_POLICY).unwrap(),
            Policy::default()
        );
    }

    #[test]
    fn empty_file_is_the_default() {
        assert_eq!(Policy::from_toml("").unwrap(), Policy::default());
    }

    #[test]
    fn reads_every_detector_spelling() {
        let policy = Policy::from_toml(
            "[detectors]\nemail = \"hmac\"\nphone = false\nssn = { operator = \"keep_last:4\" }\n",
        )
        .unwrap();
        assert_eq!(
            policy.detectors.get("email"),
            Some(&DetectorSetting::Operator(String::from("hmac")))
        );
        assert_eq!(
            policy.detectors.get("phone"),
            Some(&DetectorSetting::Enabled(false))
        );
        assert!(matches!(
            policy.detectors.get("ssn"),
            Some(DetectorSetting::Table(DetectorTable { enabled: true, .. }))
        ));
    }

    #[test]
    fn unknown_keys_and_versions_are_errors() {
        let err = Policy::from_toml("[keys]\nextras = [\"x\"]\n").unwrap_err();
        assert_eq!(err.rule, "toml");
        assert!(err.reason.contains("extras"), "{err}");
        assert_eq!(
            Policy::from_toml("version = 2").unwrap_err().rule,
            "version"
        );
    }
}
