//! Test-only detectors for the redaction engine's tests: small, obvious and independent of the
//! real detectors, so engine behaviour is tested on its own.
#![allow(dead_code, reason = "each test binary uses a different subset")]

use tapedeck_core::redact::detect::{Detector, DetectorId, FieldContext, Match};

fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// `local@domain.tld`.
pub struct TestEmail;
impl Detector for TestEmail {
    fn id(&self) -> DetectorId {
        DetectorId::Email
    }
    fn find(&self, text: &str, _: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        for (at, _) in text.match_indices('@') {
            let mut start = at;
            while start > 0 && is_local(b[start - 1]) {
                start -= 1;
            }
            let mut end = at + 1;
            while end < b.len()
                && (b[end].is_ascii_alphanumeric() || b[end] == b'.' || b[end] == b'-')
            {
                end += 1;
            }
            while end > at + 1 && b[end - 1] == b'.' {
                end -= 1;
            }
            let domain = &text[at + 1..end];
            if start < at && domain.contains('.') && out.last().is_none_or(|m| m.end <= start) {
                out.push(Match {
                    start,
                    end,
                    detector: DetectorId::Email,
                });
            }
        }
    }
}

/// `ddd-dd-dddd`.
pub struct TestSsn;
impl Detector for TestSsn {
    fn id(&self) -> DetectorId {
        DetectorId::Ssn
    }
    fn find(&self, text: &str, _: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        if b.len() < 11 {
            return;
        }
        for i in 0..=b.len() - 11 {
            let w = &b[i..i + 11];
            let shape = w.iter().enumerate().all(|(j, c)| {
                if j == 3 || j == 6 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
            let edges = (i == 0 || !b[i - 1].is_ascii_digit())
                && b.get(i + 11).is_none_or(|c| !c.is_ascii_digit());
            if shape && edges {
                out.push(Match {
                    start: i,
                    end: i + 11,
                    detector: DetectorId::Ssn,
                });
            }
        }
    }
}

fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// 16 digits in a row passing Luhn.
pub struct TestCard;
impl Detector for TestCard {
    fn id(&self) -> DetectorId {
        DetectorId::PaymentCard
    }
    fn find(&self, text: &str, _: &FieldContext<'_>, out: &mut Vec<Match>) {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                let start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start == 16 && luhn(&b[start..i]) {
                    out.push(Match {
                        start,
                        end: i,
                        detector: DetectorId::PaymentCard,
                    });
                }
            } else {
                i += 1;
            }
        }
    }
}

/// `eyJ...` with two dots; `AKIA` + 16 capitals or digits.
pub struct TestTokens;
impl Detector for TestTokens {
    fn id(&self) -> DetectorId {
        DetectorId::Jwt
    }
    fn find(&self, text: &str, _: &FieldContext<'_>, out: &mut Vec<Match>) {
        for (at, _) in text.match_indices("eyJ") {
            let end = text[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-'))
                .map_or(text.len(), |p| at + p);
            if text[at..end].matches('.').count() == 2 {
                out.push(Match {
                    start: at,
                    end,
                    detector: DetectorId::Jwt,
                });
            }
        }
    }
}

pub struct TestAws;
impl Detector for TestAws {
    fn id(&self) -> DetectorId {
        DetectorId::AwsAccessKeyId
    }
    fn find(&self, text: &str, _: &FieldContext<'_>, out: &mut Vec<Match>) {
        for (at, _) in text.match_indices("AKIA") {
            let rest = &text.as_bytes()[at..];
            if rest.len() >= 20
                && rest[4..20]
                    .iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            {
                out.push(Match {
                    start: at,
                    end: at + 20,
                    detector: DetectorId::AwsAccessKeyId,
                });
            }
        }
    }
}

/// The test detectors, in the engine's order.
pub fn test_detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(TestEmail),
        Box::new(TestSsn),
        Box::new(TestCard),
        Box::new(TestTokens),
        Box::new(TestAws),
    ]
}
