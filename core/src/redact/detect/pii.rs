//! Personal data: email addresses, phone numbers, US social security numbers, payment cards,
//! IBANs and IP addresses.
//!
//! Each detector validates what it finds (ranges, Luhn, issuer lengths, mod-97, octets), which
//! is where Timetracer goes wrong (its section 8.4): it calls any 9-digit string an SSN, any
//! 10-15 digit string a phone (epoch seconds, timestamps, Amex numbers), misses SSNs inside
//! sentences, cards that are not 4x4 digits, `::` IPv6 forms and international phones.

use super::text::{at, before, find_digit, is_word, run_end};
use super::{DetectorId, Match};

fn push(out: &mut Vec<Match>, detector: DetectorId, start: usize, end: usize) {
    out.push(Match {
        start,
        end,
        detector,
    });
}

fn is_digit(c: u8) -> bool {
    c.is_ascii_digit()
}

/// A number may not start right after a letter, or after a separator that follows a digit
/// (it would be the tail of a longer number: `2024-123-45-6789`, `0.4111...`).
fn number_starts_at(b: &[u8], start: usize) -> bool {
    let p = before(b, start);
    if is_word(p) || p == b'+' {
        return false;
    }
    let continues = matches!(p, b'.' | b'-' | b'/' | b':' | b',');
    !(continues && before(b, start.saturating_sub(1)).is_ascii_digit())
}

/// A number may not end before a letter, or before a separator that a digit follows.
fn number_ends_at(b: &[u8], end: usize) -> bool {
    let c = at(b, end);
    if is_word(c) {
        return false;
    }
    !(matches!(c, b'.' | b'-' | b'/' | b':') && at(b, end + 1).is_ascii_digit())
}

/// Iterates over digit runs `(start, end)`; `visit` returns where to continue (at least past
/// the run's start).
fn digit_runs(b: &[u8], mut visit: impl FnMut(usize, usize) -> usize) {
    let mut from = 0;
    while let Some(d) = find_digit(b, from) {
        let e = run_end(b, d + 1, is_digit);
        if d > 0 && before(b, d).is_ascii_digit() {
            from = e;
            continue;
        }
        from = visit(d, e).max(d + 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Email

mod card;
mod email;
mod iban;
mod ip;
mod phone;
mod ssn;

pub use card::PaymentCard;
pub use email::Email;
pub use iban::Iban;
pub(crate) use iban::iban_mod97;
pub use ip::{Ipv4, Ipv6};
pub use phone::Phone;
pub(crate) use phone::phone_key;
pub use ssn::Ssn;

#[cfg(test)]
mod tests {
    use super::super::{Detector, FieldContext};
    use super::*;

    fn spans(d: &dyn Detector, text: &str, words: &[&str]) -> Vec<&'static str> {
        let context = FieldContext { key_words: words };
        let mut out = Vec::new();
        d.find(text, &context, &mut out);
        // leak is fine in tests: gives 'static slices for easy comparison
        out.iter()
            .map(|m| &*Box::leak(text[m.start..m.end].to_owned().into_boxed_str()))
            .collect()
    }

    #[test]
    fn finds_emails_in_several_positions() {
        assert_eq!(spans(&Email, "user@example.com", &[]), ["user@example.com"]);
        assert_eq!(
            spans(&Email, "mail me at a.b+c@sub.example.co.uk, please.", &[]),
            ["a.b+c@sub.example.co.uk"]
        );
        assert_eq!(
            spans(&Email, r#"{"to":"x_y-z@mail.example.io"}"#, &[]),
            ["x_y-z@mail.example.io"]
        );
        assert_eq!(
            spans(&Email, "Zoë 😀 ada@example.com.", &[]),
            ["ada@example.com"]
        );
        assert_eq!(spans(&Email, "a@b.io;c@d.org", &[]), ["a@b.io", "c@d.org"]);
        // labels that only start like a file extension are top-level domains
        assert_eq!(
            spans(&Email, "ada@mail.tiffany, bob@x.jsx", &[]),
            ["ada@mail.tiffany", "bob@x.jsx"]
        );
    }

    #[test]
    fn rejects_email_lookalikes() {
        for text in [
            "icon@2x.png",
            "@handle",
            "user@localhost",
            "npm i left-pad@1.3.0",
            "logo@brand.JPEG",
            "bundle@v2.js",
            "a@b",
            "x@.com",
            "name@-bad.com",
            "@@@",
            "",
        ] {
            assert!(spans(&Email, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_phones_in_many_shapes() {
        for (text, want) in [
            ("+14155550123", "+14155550123"),
            ("call +44 20 7946 0958 now", "+44 20 7946 0958"),
            ("(415) 555-0123", "(415) 555-0123"),
            ("Phone: 555.123.4567.", "555.123.4567"),
            ("1-800-555-0199", "1-800-555-0199"),
            ("+1-555-123-4567 ext 9", "+1-555-123-4567"),
            ("tel:020 7946 0958", "020 7946 0958"),
            ("x (415)555-0123)", "(415)555-0123"),
            ("+1 (415) 555-0123", "+1 (415) 555-0123"),
        ] {
            assert_eq!(spans(&Phone, text, &[]), [want], "{text}");
        }
    }

    #[test]
    fn bare_digit_runs_are_phones_only_under_phone_keys() {
        // Timetracer calls these phones (10-15 digits); they are epoch seconds, timestamps,
        // order numbers.
        for text in [
            "1732950000",
            "20240115123045",
            "5551234567",
            "order 123456789012",
        ] {
            assert!(spans(&Phone, text, &[]).is_empty(), "{text}");
        }
        assert_eq!(spans(&Phone, "5551234567", &["mobile"]), ["5551234567"]);
        assert_eq!(
            spans(&Phone, "4155550123", &["phone", "number"]),
            ["4155550123"]
        );
    }

    #[test]
    fn rejects_phone_lookalikes() {
        for text in [
            "2024-01-15",
            "2024-01-15T10:30:00Z",
            "192.168.100.200",
            "123-45-6789",
            "4111 1111 1111 1111",
            "v415-555-0123",
            "415-555-01234",
            "1234.56",
            "+1 555",
            "12:30:45",
            "2024-555-123-4567",
        ] {
            assert!(spans(&Phone, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_valid_ssns_only() {
        assert_eq!(spans(&Ssn, "123-45-6789", &[]), ["123-45-6789"]);
        assert_eq!(
            spans(&Ssn, "ssn 078-05-1120 inside text.", &[]),
            ["078-05-1120"]
        );
        assert_eq!(spans(&Ssn, "(123-45-6789)", &[]), ["123-45-6789"]);
        for text in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "123-00-4567",
            "123-45-0000",
            "1123-45-6789",
            "123-45-67890",
            "123-45-6789-1",
            "a123-45-6789",
            // Timetracer calls any 9-digit string an SSN; without an ssn key these are ids.
            "123456789",
            "123 45 6789",
        ] {
            assert!(spans(&Ssn, text, &[]).is_empty(), "{text}");
        }
        assert_eq!(spans(&Ssn, "123456789", &["ssn"]), ["123456789"]);
        assert_eq!(
            spans(&Ssn, "123 45 6789", &["social", "security", "number"]),
            ["123 45 6789"]
        );
        assert!(spans(&Ssn, "000000000", &["ssn"]).is_empty());
    }

    #[test]
    fn finds_cards_of_every_issuer() {
        for card in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "5555555555554444",
            "2223003122003222",
            "378282246310005",
            "3782 822463 10005",
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
            "4222222222222",
            "6200000000000005",
        ] {
            assert_eq!(spans(&PaymentCard, card, &[]), [card]);
            let sentence = format!("paid with {card}, thanks");
            assert_eq!(spans(&PaymentCard, &sentence, &[]), [card]);
        }
        assert_eq!(
            spans(
                &PaymentCard,
                "4111 1111 1111 1111 and 4242 4242 4242 4242",
                &[]
            ),
            ["4111 1111 1111 1111", "4242 4242 4242 4242"]
        );
        assert_eq!(
            spans(&PaymentCard, "card 4111 1111 1111 1111 12 25", &[]),
            ["4111 1111 1111 1111"]
        );
    }

    #[test]
    fn rejects_card_lookalikes() {
        for text in [
            "1234-5678-9012-3456",
            "4111111111111112",
            "1732950000123",
            "0.4111111111111111",
            "41111111111111111111",
            "9111111111111111",
            "4111 1111-1111 1111",
            "34343434343434",
        ] {
            assert!(spans(&PaymentCard, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_ibans_compact_and_grouped() {
        assert_eq!(
            spans(&Iban, "IBAN GB82WEST12345698765432", &[]),
            ["GB82WEST12345698765432"]
        );
        assert_eq!(
            spans(&Iban, "to GB82 WEST 1234 5698 7654 32.", &[]),
            ["GB82 WEST 1234 5698 7654 32"]
        );
        assert_eq!(
            spans(&Iban, "DE89370400440532013000", &[]),
            ["DE89370400440532013000"]
        );
        for text in [
            "GB83WEST12345698765432",
            "XX82WEST12345698765432",
            "aGB82WEST12345698765432",
            "GB82WEST1234569876543",
        ] {
            assert!(spans(&Iban, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_ipv4_and_rejects_versions() {
        assert_eq!(spans(&Ipv4, "192.168.1.1", &[]), ["192.168.1.1"]);
        assert_eq!(spans(&Ipv4, "my ip is 8.8.8.8, ok", &[]), ["8.8.8.8"]);
        assert_eq!(spans(&Ipv4, "host 10.0.0.1:8080.", &[]), ["10.0.0.1"]);
        for text in [
            "10.0.0.256",
            "999.1.1.1",
            "v1.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "x1.2.3.4y",
        ] {
            assert!(spans(&Ipv4, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn finds_ipv6_full_and_compressed() {
        for text in [
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            "::1",
            "fe80::1",
            "2001:db8::8a2e:370:7334",
            "::ffff:192.168.1.1",
        ] {
            assert_eq!(spans(&Ipv6, text, &[]), [text]);
        }
        assert_eq!(
            spans(&Ipv6, "from fe80::1ab:2cd, ok", &[]),
            ["fe80::1ab:2cd"]
        );
        assert_eq!(spans(&Ipv6, r#"{"ip":"fe80::1"}"#, &[]), ["fe80::1"]);
        assert_eq!(spans(&Ipv6, "ip:fe80::1", &[]), ["fe80::1"]);
        for text in [
            "Vec::new",
            "10:30:00",
            "00:1a:2b:3c:4d:5e",
            "1:2:3:4:5:6:7:8:9",
            "a:::b",
            "std::fmt",
            "::",
            "2024-01-15T10:30:00Z",
        ] {
            assert!(spans(&Ipv6, text, &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let detectors: [&dyn Detector; 7] =
            [&Email, &Phone, &Ssn, &PaymentCard, &Iban, &Ipv4, &Ipv6];
        for text in [
            "@", "(", "+", ":", "::", "(1", "+(", "1-", "GB8", "é@é.é", "1.", "9", ")",
        ] {
            for d in detectors {
                let _ = spans(d, text, &["phone", "ssn"]);
            }
        }
    }
}
