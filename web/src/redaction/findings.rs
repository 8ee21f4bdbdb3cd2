//! A finding as the page shows it: what it matched (as a masked preview) and what replaced
//! it. The engine reports each finding with the span of the whole JSON value holding it and
//! rewrites that whole value; comparing the value with its rewritten form recovers each match.

use std::collections::HashMap;

use tapedeck_core::json::Document;
use tapedeck_core::redact::operators::token_len;
use tapedeck_core::redact::{Edit, Edits, Finding, preview};

use super::protocol::FindingView;

/// Rules whose findings are hashes the engine rewrites, not values a person could allow.
const HASH_RULES: [&str; 3] = ["body_hash", "parameter_hash", "request_body_hash"];

/// Whether the spans of a file's findings are positions in its own text (JSON). A YAML
/// cassette is redacted through a JSON projection whose edit spans are not in the file.
fn is_json(text: &[u8]) -> bool {
    matches!(
        text.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// The page's view of each finding: a masked preview of the value before, the token after.
pub(crate) fn views(text: &[u8], findings: &[Finding], edits: &Edits) -> Vec<FindingView> {
    let json = is_json(text);
    let parts = if json {
        finding_parts(text, findings, edits)
    } else {
        vec![None; findings.len()]
    };
    findings
        .iter()
        .zip(parts)
        .map(|(f, part)| {
            let hash = HASH_RULES.contains(&f.rule());
            let (before, after, allowable) = match part {
                Some(Part { value, token }) => (preview(&value), token, !hash),
                None => (String::new(), String::new(), false),
            };
            FindingView {
                path: f.json_path(),
                field: f.field().map(str::to_owned),
                rule: f.rule().to_owned(),
                operator: f.operator().to_owned(),
                before,
                after,
                allowable,
            }
        })
        .collect()
}

/// The value finding `index` matched, when "allow this" can put it in the allow-list: a
/// match in a JSON file's value, not a hash the engine rewrote.
pub(crate) fn allowable_value(
    text: &[u8],
    findings: &[Finding],
    edits: &Edits,
    index: usize,
) -> Option<String> {
    let finding = findings.get(index)?;
    if !is_json(text) || HASH_RULES.contains(&finding.rule()) {
        return None;
    }
    finding_parts(text, findings, edits)
        .swap_remove(index)
        .map(|part| part.value)
}

/// What one finding matched and what replaced it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Part {
    value: String,
    token: String,
}

/// For each finding, the value it matched and its replacement. A finding's span is the whole
/// JSON value holding the match, and the edit rewrites that whole value; comparing the value
/// with its rewritten form gives each match: the k-th finding sharing a span is the k-th
/// redaction token in the rewritten value.
fn finding_parts(text: &[u8], findings: &[Finding], edits: &Edits) -> Vec<Option<Part>> {
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    let mut split: HashMap<(usize, usize), Vec<Part>> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let span = (f.span().start, f.span().end);
            let nth = seen.entry(span).or_insert(0);
            let k = *nth;
            *nth += 1;
            split
                .entry(span)
                .or_insert_with(|| {
                    edit_at(edits, f)
                        .and_then(|edit| {
                            let before = json_value(text.get(edit.span.start..edit.span.end)?)?;
                            let after = json_value(edit.replacement.as_bytes())?;
                            Some(matches_in(&before, &after))
                        })
                        .unwrap_or_default()
                })
                .get(k)
                .cloned()
        })
        .collect()
}

/// The edit that rewrote a finding's value: the one with the same span, else the only one
/// inside it.
fn edit_at<'e>(edits: &'e Edits, finding: &Finding) -> Option<Edit<'e>> {
    let inside: Vec<Edit<'e>> = edits
        .starting_from(finding.span().start)
        .take_while(|e| e.span.start < finding.span().end)
        .filter(|e| e.span.end <= finding.span().end)
        .collect();
    inside
        .iter()
        .find(|e| e.span == finding.span())
        .or_else(|| (inside.len() == 1).then(|| &inside[0]))
        .copied()
}

/// A JSON value's text as a person reads it: a string unescaped, anything else as written.
fn json_value(raw: &[u8]) -> Option<String> {
    if raw.first() == Some(&b'"') {
        let doc = Document::parse(raw).ok()?;
        doc.root().as_str().map(std::borrow::Cow::into_owned)
    } else {
        std::str::from_utf8(raw).ok().map(str::to_owned)
    }
}

/// The matches inside `before` that became redaction tokens in `after`, in order: the text
/// between tokens is kept as it was, so what lies between those kept pieces in `before` is
/// what each token replaced.
fn matches_in(before: &str, after: &str) -> Vec<Part> {
    // `after` as kept pieces and tokens.
    let mut pieces: Vec<(bool, &str)> = Vec::new();
    let mut literal_start = 0;
    let mut i = 0;
    while i < after.len() {
        let rest = after.get(i..).unwrap_or("");
        if let Some(len) = rest.starts_with('[').then(|| token_len(rest)).flatten() {
            if literal_start < i {
                pieces.push((false, after.get(literal_start..i).unwrap_or("")));
            }
            pieces.push((true, after.get(i..i + len).unwrap_or("")));
            i += len;
            literal_start = i;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    if literal_start < after.len() {
        pieces.push((false, after.get(literal_start..).unwrap_or("")));
    }
    let mut parts = Vec::new();
    let mut pos = 0;
    for (n, (is_token, piece)) in pieces.iter().enumerate() {
        let rest = before.get(pos..).unwrap_or("");
        if !is_token {
            match rest.find(piece) {
                Some(at) => pos += at + piece.len(),
                None => break,
            }
            continue;
        }
        let end = match pieces.get(n + 1) {
            None => before.len(),
            Some((false, next)) => match rest.find(next) {
                Some(at) => pos + at,
                None => break,
            },
            // Two tokens side by side: where one match ends is unknown.
            Some((true, _)) => break,
        };
        let value = before.get(pos..end).unwrap_or("");
        if value.is_empty() {
            break;
        }
        parts.push(Part {
            value: value.to_owned(),
            token: (*piece).to_owned(),
        });
        pos = end;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_what_lies_between_the_kept_text() {
        let parts = matches_in(
            "mail bob@example.org, ip 10.0.0.1",
            "mail [REDACTED:EMAIL], ip [REDACTED:IPV4]",
        );
        let values: Vec<&str> = parts.iter().map(|p| p.value.as_str()).collect();
        assert_eq!(values, ["bob@example.org", "10.0.0.1"]);
        assert_eq!(parts[1].token, "[REDACTED:IPV4]");
        let whole = matches_in("hunter2", "[REDACTED]");
        assert_eq!(whole[0].value, "hunter2");
        assert_eq!(
            matches_in("Bearer abc.def", "Bearer [REDACTED]")[0].value,
            "abc.def"
        );
        // Side-by-side tokens cannot be told apart: nothing is guessed.
        assert!(matches_in("ab", "[REDACTED][REDACTED]").is_empty());
        assert!(matches_in("plain", "plain").is_empty());
    }
}
