//! The compiled redactor: [`RedactorBuilder`] turns a [`Policy`] (and an optional key) into a
//! [`Redactor`] once; the redactor then redacts or scans any number of documents.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use crate::error::ProblemKind;
use crate::format::gzip;
use crate::json::{Document, JsonError};

use super::deferred_hash;
use super::detect::{Detector, DetectorId, DetectorSet};
use super::edits::Edits;
use super::keywords::{PhraseSet, SENSITIVE_PHRASES};
use super::operators::{self, Operator};
use super::policy::{
    BodyHashMode, DetectorSetting, MaskStyle, Policy, PolicyError, SignatureHashMode,
};
use super::report::{Finding, Findings, PatSeg, Redaction, RuleLabel, parse_path_pattern};
use super::walk::Walk;

/// Why a document could not be redacted or scanned. Never quotes the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RedactError {
    #[error("not JSON: {0}")]
    Json(#[from] JsonError),
    #[error("{0}")]
    Gzip(ProblemKind),
    #[error("the redacted text would reach 4 GiB of replacements")]
    TooLarge,
}

/// One compiled rule: its name in reports, its token label and its operator.
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    /// Borrowed for built-in rules, so a finding costs no allocation for its rule name.
    pub name: Cow<'static, str>,
    pub label: Option<String>,
    pub operator: Operator,
    /// `operator.spelling()`.
    pub operator_name: Cow<'static, str>,
}

impl Rule {
    fn new(name: impl Into<Cow<'static, str>>, label: Option<&str>, operator: Operator) -> Rule {
        Rule {
            name: name.into(),
            label: label.map(str::to_owned),
            operator,
            operator_name: Cow::Borrowed(operator.spelling()),
        }
    }
}

/// Findings on hashes (rule, operator), after the rules in [`Redactor::labels`].
const HASH_LABELS: &[(&str, &str)] = &[
    ("body_hash", "drop"),
    ("body_hash", "rehash"),
    ("body_hash", "hmac"),
    ("parameter_hash", "drop"),
    ("parameter_hash", "mask"),
    ("parameter_hash", "hmac"),
    ("request_body_hash", "drop"),
    ("request_body_hash", "mask"),
    ("request_body_hash", "hmac"),
];

/// Fixed rule slots.
pub(crate) const RULE_KEY: usize = 0;
pub(crate) const RULE_HEADER: usize = 1;
pub(crate) const RULE_COOKIE: usize = 2;
pub(crate) const RULE_USERINFO: usize = 3;
pub(crate) const FIRST_DYNAMIC_RULE: usize = 4;

/// Names taken by built-in rules (patterns may not use them).
const BUILTIN_RULE_NAMES: &[&str] = &[
    "sensitive_key",
    "sensitive_header",
    "cookie",
    "url_userinfo",
    "body_hash",
    "parameter_hash",
    "request_body_hash",
];

/// A compiled policy pattern.
#[derive(Debug)]
pub(crate) struct Pattern {
    pub rule: usize,
    pub regex: regex::Regex,
}

/// Builds a [`Redactor`]: `RedactorBuilder::new().with_policy(p).with_key(k).build()`.
#[derive(Default)]
pub struct RedactorBuilder {
    policy: Policy,
    key: Option<Vec<u8>>,
    detectors: Option<Vec<Box<dyn Detector>>>,
}

impl RedactorBuilder {
    /// The default policy, no key, the built-in detectors.
    pub fn new() -> RedactorBuilder {
        RedactorBuilder::default()
    }

    #[must_use]
    pub fn with_policy(mut self, policy: Policy) -> RedactorBuilder {
        self.policy = policy;
        self
    }

    /// The secret for `hmac` pseudonyms and finding fingerprints. Never written anywhere.
    #[must_use]
    pub fn with_key(mut self, key: impl Into<Vec<u8>>) -> RedactorBuilder {
        self.key = Some(key.into());
        self
    }

    /// Replaces the built-in detectors (tests, or a caller with its own).
    #[must_use]
    pub fn with_detectors(mut self, detectors: Vec<Box<dyn Detector>>) -> RedactorBuilder {
        self.detectors = Some(detectors);
        self
    }

    /// Compiles the policy. A bad rule fails with its name and the reason.
    #[expect(
        clippy::too_many_lines,
        reason = "one linear pass over the policy sections, each a few lines"
    )]
    pub fn build(self) -> Result<Redactor, PolicyError> {
        let policy = self.policy;
        let key = self.key.filter(|k| !k.is_empty());
        let has_key = key.is_some();
        let needs_key = |rule: &str, op: Operator| -> Result<Operator, PolicyError> {
            if op == Operator::Hmac && !has_key {
                return Err(PolicyError::new(
                    rule,
                    "hmac needs a key (--key, --key-file or TAPEDECK_REDACT_KEY)",
                ));
            }
            Ok(op)
        };
        let parse_op = |rule: &str, text: &str| -> Result<Operator, PolicyError> {
            let op = Operator::parse(text).map_err(|reason| PolicyError::new(rule, reason))?;
            needs_key(rule, op)
        };

        let mut rules = vec![
            Rule::new(
                "sensitive_key",
                None,
                parse_op("keys.operator", &policy.keys.operator)?,
            ),
            Rule::new(
                "sensitive_header",
                None,
                parse_op("headers.operator", &policy.headers.operator)?,
            ),
            Rule::new(
                "cookie",
                None,
                parse_op("headers.cookie_operator", &policy.headers.cookie_operator)?,
            ),
            Rule::new(
                "url_userinfo",
                Some("USERINFO"),
                parse_op("urls.userinfo_operator", &policy.urls.userinfo_operator)?,
            ),
        ];
        debug_assert_eq!(rules.len(), FIRST_DYNAMIC_RULE);

        let mut settings = std::collections::BTreeMap::new();
        for (name, setting) in &policy.detectors {
            let Some(id) = DetectorId::from_name(name) else {
                return Err(PolicyError::new(
                    format!("detectors.{name}"),
                    "unknown detector",
                ));
            };
            let rule = format!("detectors.{name}");
            let compiled = match setting {
                DetectorSetting::Enabled(on) => (*on, Operator::Mask),
                DetectorSetting::Operator(op) => (true, parse_op(&rule, op)?),
                DetectorSetting::Table(t) => (
                    t.enabled,
                    match &t.operator {
                        Some(op) => parse_op(&rule, op)?,
                        None => Operator::Mask,
                    },
                ),
            };
            settings.insert(id, compiled);
        }
        let mut detectors = Vec::new();
        let mut detector_rules = Vec::new();
        let builtin = self.detectors.is_none();
        for detector in self.detectors.unwrap_or_else(default_detectors) {
            let id = detector.id();
            let (enabled, op) = settings.get(&id).copied().unwrap_or((true, Operator::Mask));
            if enabled {
                rules.push(Rule::new(id.name(), Some(id.label()), op));
                detectors.push(detector);
                detector_rules.push(rules.len() - 1);
            }
        }
        let detectors = if builtin {
            DetectorSet::new(detectors).with_builtin_grammar()
        } else {
            DetectorSet::new(detectors)
        };

        let mut patterns = Vec::new();
        let mut seen = HashSet::new();
        for p in &policy.patterns {
            let rule = format!("patterns.{}", p.name);
            if p.name.is_empty()
                || !p
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                return Err(PolicyError::new(
                    rule,
                    "a pattern needs a name of letters, digits, '_' or '-'",
                ));
            }
            if BUILTIN_RULE_NAMES.contains(&p.name.as_str())
                || DetectorId::from_name(&p.name).is_some()
                || !seen.insert(p.name.clone())
            {
                return Err(PolicyError::new(rule, "name already used by another rule"));
            }
            let regex = compile_pattern(&p.regex)
                .map_err(|e| PolicyError::new(&rule, format!("bad regex: {e}")))?;
            if regex.is_match("") {
                return Err(PolicyError::new(rule, "the regex matches the empty string"));
            }
            let label = match &p.label {
                Some(label) => {
                    if label.is_empty()
                        || !label
                            .bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                    {
                        return Err(PolicyError::new(
                            rule,
                            "a label is capital letters, digits and '_'",
                        ));
                    }
                    label.clone()
                }
                None => p
                    .name
                    .bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() {
                            char::from(b.to_ascii_uppercase())
                        } else {
                            '_'
                        }
                    })
                    .collect(),
            };
            let op = parse_op(&rule, &p.operator)?;
            rules.push(Rule::new(p.name.clone(), Some(&label), op));
            patterns.push(Pattern {
                rule: rules.len() - 1,
                regex,
            });
        }

        let key_phrases = policy.keys.enabled.then(|| {
            let mut set = PhraseSet::new(SENSITIVE_PHRASES.iter().copied());
            set.remove(policy.keys.ignore.iter().map(String::as_str));
            set.extend(policy.keys.extra.iter().map(String::as_str));
            set
        });
        let header_phrases = policy.headers.enabled.then(|| {
            let mut set = PhraseSet::new(SENSITIVE_PHRASES.iter().copied());
            set.remove(policy.keys.ignore.iter().map(String::as_str));
            set.extend(policy.keys.extra.iter().map(String::as_str));
            set.extend(policy.headers.extra.iter().map(String::as_str));
            set
        });

        let mut allow_paths = Vec::new();
        for path in &policy.allow.paths {
            allow_paths.push(
                parse_path_pattern(path)
                    .map_err(|reason| PolicyError::new(format!("allow.paths {path}"), reason))?,
            );
        }

        let body_hash = BodyHashMode::parse(&policy.hashes.body_hash)?;
        if body_hash == BodyHashMode::Hmac && !has_key {
            return Err(PolicyError::new(
                "hashes.body_hash",
                "hmac needs a key (--key, --key-file or TAPEDECK_REDACT_KEY)",
            ));
        }
        let parameter_hash =
            SignatureHashMode::parse("parameter_hash", &policy.hashes.parameter_hash)?;
        let request_body_hash =
            SignatureHashMode::parse("request_body_hash", &policy.hashes.request_body_hash)?;
        for (name, mode) in [
            ("hashes.parameter_hash", parameter_hash),
            ("hashes.request_body_hash", request_body_hash),
        ] {
            if mode == SignatureHashMode::Hmac && !has_key {
                return Err(PolicyError::new(
                    name,
                    "hmac needs a key (--key, --key-file or TAPEDECK_REDACT_KEY)",
                ));
            }
        }

        let labels = rules
            .iter()
            .map(|r| RuleLabel {
                name: r.name.clone(),
                operator: r.operator_name.clone(),
            })
            .chain(HASH_LABELS.iter().map(|&(name, operator)| RuleLabel {
                name: Cow::Borrowed(name),
                operator: Cow::Borrowed(operator),
            }))
            .collect();
        Ok(Redactor {
            labels,
            allow_values: policy.allow.values.iter().cloned().collect(),
            allow_keys: policy.allow.keys.iter().map(|k| k.to_lowercase()).collect(),
            allow_paths,
            plain_masks: policy.mask_style == MaskStyle::Plain,
            json_in_strings: policy.json_in_strings,
            key: key.unwrap_or_default(),
            has_key,
            rules,
            detectors,
            detector_rules,
            patterns,
            key_phrases,
            header_phrases,
            body_hash,
            parameter_hash,
            request_body_hash,
            policy,
        })
    }
}

/// Compiles a policy pattern. The regex crate is built without its Unicode Perl-class tables
/// (they weigh on the browser bundle), so `\d`, `\w`, `\s` and `\b` only compile in ASCII
/// mode: a pattern the Unicode build rejects is tried again with Unicode off, which gives
/// those classes their ASCII meaning. If that fails too, the first error is the one reported.
fn compile_pattern(pattern: &str) -> Result<regex::Regex, regex::Error> {
    let build = |unicode: bool| {
        regex::RegexBuilder::new(pattern)
            .size_limit(1 << 20)
            .unicode(unicode)
            .build()
    };
    build(true).or_else(|first| build(false).map_err(|_| first))
}

/// The detectors used when the caller gives none.
fn default_detectors() -> Vec<Box<dyn Detector>> {
    super::detect::builtin()
}

/// A compiled policy, ready to redact or scan any number of documents. Immutable and
/// `Send + Sync`: share one across threads.
pub struct Redactor {
    pub(crate) policy: Policy,
    pub(crate) key: Vec<u8>,
    pub(crate) has_key: bool,
    pub(crate) rules: Vec<Rule>,
    /// What findings report: each rule's name and operator, then [`HASH_LABELS`].
    pub(crate) labels: Arc<[RuleLabel]>,
    /// The enabled detectors, run together over each string.
    pub(crate) detectors: DetectorSet,
    /// The rule of each detector in `detectors`, by index.
    pub(crate) detector_rules: Vec<usize>,
    pub(crate) patterns: Vec<Pattern>,
    pub(crate) key_phrases: Option<PhraseSet>,
    pub(crate) header_phrases: Option<PhraseSet>,
    pub(crate) allow_values: HashSet<String>,
    pub(crate) allow_keys: Vec<String>,
    pub(crate) allow_paths: Vec<Vec<PatSeg>>,
    pub(crate) plain_masks: bool,
    pub(crate) json_in_strings: bool,
    pub(crate) body_hash: BodyHashMode,
    pub(crate) parameter_hash: SignatureHashMode,
    pub(crate) request_body_hash: SignatureHashMode,
}

impl std::fmt::Debug for Redactor {
    // The key stays out of debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("rules", &self.rules.len())
            .field("has_key", &self.has_key)
            .finish_non_exhaustive()
    }
}

impl Redactor {
    /// The policy this redactor was built from.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Whether a key was given (pseudonyms and fingerprints need one).
    pub fn has_key(&self) -> bool {
        self.has_key
    }

    /// Redacts one file's bytes: a cassette (plain or gzip, recognised by its magic bytes) or any
    /// JSON document. The output keeps every byte outside the redacted spans; gzip input gives
    /// gzip output.
    pub fn redact(&self, bytes: &[u8]) -> Result<Redaction, RedactError> {
        let (text, compressed) = inflate_if_gzip(bytes)?;
        if let Some(redaction) = self.redact_yaml(&text, compressed, bytes) {
            return redaction;
        }
        // The document borrows the input, or takes an inflated gzip file: no copy either way.
        let doc = Document::parse_cow(text)?;
        let mut walk = Walk::new(self, &doc, false);
        walk.defer_hashes();
        walk.run();
        let deferred = walk.take_deferred();
        let (mut edits, findings) = walk.finish();
        if edits.overflowed() {
            return Err(RedactError::TooLarge);
        }
        if edits.is_empty() {
            return Ok(Redaction {
                output: bytes.to_vec(),
                edits,
                findings,
            });
        }
        // The parsed structure is as large as the text: freed before the output is written,
        // the output can take its place instead of adding to the peak.
        let text = doc.into_text();
        // Hashes of redacted bodies, over the written data in one stretch each.
        let out = deferred_hash::write_output(text.as_bytes(), &mut edits, &deferred, &self.key);
        let output = if compressed { gzip::deflate(&out) } else { out };
        Ok(Redaction {
            output,
            edits,
            findings,
        })
    }

    /// A YAML cassette (VCR.py, Ruby VCR, go-vcr) is redacted through its JSON projection and
    /// written back as YAML (the same value tree, see `format::yaml`); edit spans are spans of
    /// the projection, finding spans start at the value in the YAML input. `None` when the text
    /// is not such a cassette.
    fn redact_yaml(
        &self,
        text: &[u8],
        compressed: bool,
        bytes: &[u8],
    ) -> Option<Result<Redaction, RedactError>> {
        let (doc, syntax) = crate::format::yaml_projection(text)?;
        let (edits, mut findings) = self.walk_document(&doc);
        if edits.overflowed() {
            return Some(Err(RedactError::TooLarge));
        }
        if let Some((_, offsets)) = crate::format::yaml_projection_with_offsets(text) {
            // Findings name their place in the input YAML, as `scan` does.
            for f in findings.items_mut() {
                let span = f.span();
                let start = crate::format::yaml_offset(&offsets, span.start);
                f.set_span(crate::json::Span {
                    start,
                    end: start + (span.end - span.start),
                });
            }
        }
        if edits.is_empty() {
            return Some(Ok(Redaction {
                output: bytes.to_vec(),
                edits,
                findings,
            }));
        }
        let json = edits.apply(doc.text());
        let out = crate::format::yaml_from_projection(json.as_bytes(), &syntax)?;
        let output = if compressed { gzip::deflate(&out) } else { out };
        Some(Ok(Redaction {
            output,
            edits,
            findings,
        }))
    }

    /// The edits and findings for a parsed document (sorted, not overlapping);
    /// [`Edits::apply`] on its text gives the redacted text (unless [`Edits::overflowed`]).
    pub fn redact_document(&self, doc: &Document<'_>) -> (Edits, Vec<Finding>) {
        let (edits, findings) = self.walk_document(doc);
        (edits, findings.to_vec())
    }

    /// [`Redactor::redact_document`], its findings held together.
    fn walk_document(&self, doc: &Document<'_>) -> (Edits, Findings) {
        let mut walk = Walk::new(self, doc, false);
        walk.run();
        walk.finish()
    }

    /// What the policy would redact, without writing: the same walk as [`Redactor::redact`],
    /// plus a look inside base64 and gzip body data.
    pub fn scan(&self, bytes: &[u8]) -> Result<Findings, RedactError> {
        let (text, _) = inflate_if_gzip(bytes)?;
        if let Some((doc, offsets)) = crate::format::yaml_projection_with_offsets(&text) {
            // Findings name their place in the YAML file, not in its projection.
            let mut findings = self.scan_document(&doc);
            for f in findings.items_mut() {
                let span = f.span();
                let start = crate::format::yaml_offset(&offsets, span.start);
                f.set_span(crate::json::Span {
                    start,
                    end: start + (span.end - span.start),
                });
            }
            return Ok(findings);
        }
        let doc = Document::parse_cow(text)?;
        Ok(self.scan_document(&doc))
    }

    /// [`Redactor::scan`] for a parsed document.
    pub fn scan_document(&self, doc: &Document<'_>) -> Findings {
        let mut walk = Walk::new(self, doc, true);
        walk.run();
        walk.finish().1
    }

    /// The label index of a finding on a hash (`body_hash`, `parameter_hash`,
    /// `request_body_hash`) with the given operator.
    pub(crate) fn hash_label(&self, rule: &str, operator: &str) -> u32 {
        let offset = HASH_LABELS
            .iter()
            .position(|&(r, o)| r == rule && o == operator);
        debug_assert!(offset.is_some(), "no label for {rule} {operator}");
        // An unknown pair (a bug) gets no label: the finding reports an empty rule.
        let offset = offset.unwrap_or(HASH_LABELS.len());
        u32::try_from(self.rules.len() + offset).unwrap_or(u32::MAX)
    }

    /// Keyed fingerprint of a value under a rule (16 hex digits), when there is a key.
    pub(crate) fn fingerprint(&self, rule: &str, value: &str) -> Option<String> {
        self.has_key.then(|| {
            let bytes = operators::pseudonym_bytes(&self.key, rule, value);
            let mut out = String::with_capacity(16);
            operators::push_hex(&mut out, bytes.get(..8).unwrap_or(&[]));
            out
        })
    }
}

/// Largest inflated gzip accepted, as for decoding.
const MAX_INFLATED: usize = crate::format::MAX_INFLATED_BYTES;

fn inflate_if_gzip(bytes: &[u8]) -> Result<(Cow<'_, [u8]>, bool), RedactError> {
    if gzip::is_gzip(bytes) {
        let inflated = gzip::inflate(bytes, MAX_INFLATED).map_err(RedactError::Gzip)?;
        Ok((Cow::Owned(inflated), true))
    } else {
        Ok((Cow::Borrowed(bytes), false))
    }
}
