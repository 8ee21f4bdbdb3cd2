//! The generator of the labelled set: a seeded splitmix64 and, for every detector, values in
//! several shapes and places, then hard negatives.

use super::super::detect::{DetectorId, Match};
use super::LabelledCase;

/// splitmix64: tiny, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        let n64 = u64::try_from(n.max(1)).unwrap_or(u64::MAX);
        usize::try_from(self.next() % n64).unwrap_or(0)
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below(items.len()))
            .copied()
            .unwrap_or_default()
    }

    fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| {
                char::from(
                    alphabet
                        .get(self.below(alphabet.len()))
                        .copied()
                        .unwrap_or(b'x'),
                )
            })
            .collect()
    }

    /// A string of `lo` to `lo + extra - 1` characters.
    fn string_of(&mut self, alphabet: &[u8], lo: usize, extra: usize) -> String {
        let len = lo + self.below(extra);
        self.string(alphabet, len)
    }

    fn digits(&mut self, len: usize) -> String {
        self.string(DIGITS, len)
    }
}

const DIGITS: &[u8] = b"0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const B62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base64(data: &[u8], alphabet: &[u8], pad: bool) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        for (i, s) in sextets.iter().enumerate() {
            if i <= chunk.len() {
                let c = alphabet
                    .get(usize::try_from(*s).unwrap_or(0))
                    .copied()
                    .unwrap_or(b'A');
                out.push(char::from(c));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Builds one case, recording the spans of labelled pieces.
#[derive(Default)]
struct Case {
    text: String,
    key_words: Vec<String>,
    expected: Vec<Match>,
}

impl Case {
    fn lit(&mut self, s: &str) -> &mut Case {
        self.text.push_str(s);
        self
    }

    fn val(&mut self, detector: DetectorId, s: &str) -> &mut Case {
        let start = self.text.len();
        self.text.push_str(s);
        self.expected.push(Match {
            start,
            end: self.text.len(),
            detector,
        });
        self
    }

    /// Labels `inner` at its offset inside `s`, appending all of `s`.
    fn val_within(
        &mut self,
        detector: DetectorId,
        s: &str,
        inner_start: usize,
        inner_len: usize,
    ) -> &mut Case {
        let start = self.text.len() + inner_start;
        self.text.push_str(s);
        self.expected.push(Match {
            start,
            end: start + inner_len,
            detector,
        });
        self
    }

    fn keys(&mut self, words: &[&str]) -> &mut Case {
        self.key_words = words.iter().map(|w| (*w).to_owned()).collect();
        self
    }

    fn done(&mut self) -> LabelledCase {
        let mut expected = std::mem::take(&mut self.expected);
        expected.sort_by_key(|m| (m.start, m.detector));
        LabelledCase {
            text: std::mem::take(&mut self.text),
            key_words: std::mem::take(&mut self.key_words),
            expected,
        }
    }
}

/// Where a value goes: `(before, after)` around it.
const PLACES: [(&str, &str); 10] = [
    ("", ""),
    ("Please use ", " for this request."),
    ("", " is on file"),
    ("The value on file is ", "."),
    (r#"{"id": 42, "value": ""#, r#"", "ok": true}"#),
    ("GET /v1/search?q=", "&page=2"),
    ("(", ")"),
    ("2024-01-15T10:30:00Z INFO user=", " status=200"),
    ("'", "';"),
    ("<", ">"),
];

/// Places for values containing spaces or that are odd in a URL.
const TEXT_PLACES: [usize; 8] = [0, 1, 2, 3, 4, 6, 7, 8];

const POSITIVES_PER_DETECTOR: usize = 48;

fn placed(id: DetectorId, value: &str, place: usize, keys: &[&str]) -> LabelledCase {
    let (before, after) = PLACES.get(place).copied().unwrap_or(("", ""));
    Case::default()
        .lit(before)
        .val(id, value)
        .lit(after)
        .keys(keys)
        .done()
}

fn luhn_complete(body: &str) -> String {
    // the check digit that makes body + digit pass Luhn
    let mut sum = 0u32;
    for (i, c) in body.bytes().rev().enumerate() {
        let mut v = u32::from(c - b'0');
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn card_number(rng: &mut Rng, variant: usize) -> String {
    let (prefix, len) = match variant % 10 {
        0 => ("4".to_owned(), 16),
        1 => ("4".to_owned(), 13),
        2 => (format!("5{}", rng.range(1, 5)), 16),
        3 => (format!("{}", rng.range(2221, 2720)), 16),
        4 => (if rng.below(2) == 0 { "34" } else { "37" }.to_owned(), 15),
        5 => ("6011".to_owned(), 16),
        6 => (format!("{}", rng.range(3528, 3589)), 16),
        7 => ("36".to_owned(), 14),
        8 => ("65".to_owned(), 16),
        _ => ("4".to_owned(), 19),
    };
    let body = format!("{prefix}{}", rng.digits(len - 1 - prefix.len()));
    luhn_complete(&body)
}

fn group_card(number: &str, sep: char) -> String {
    let sizes: &[usize] = match number.len() {
        15 => &[4, 6, 5],
        14 => &[4, 6, 4],
        _ => &[4, 4, 4, 4, 3],
    };
    let mut out = String::new();
    let mut rest = number;
    for size in sizes {
        if rest.is_empty() {
            break;
        }
        let (head, tail) = rest.split_at((*size).min(rest.len()));
        if !out.is_empty() {
            out.push(sep);
        }
        out.push_str(head);
        rest = tail;
    }
    out
}

fn iban(rng: &mut Rng, variant: usize) -> String {
    let (country, bban) = match variant % 8 {
        0 => (
            "GB",
            format!(
                "{}{}",
                rng.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4),
                rng.digits(14)
            ),
        ),
        1 => ("DE", rng.digits(18)),
        2 => ("FR", rng.digits(23)),
        3 => (
            "NL",
            format!(
                "{}{}",
                rng.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4),
                rng.digits(10)
            ),
        ),
        4 => ("ES", rng.digits(20)),
        5 => ("IT", format!("X{}", rng.digits(22))),
        6 => ("BE", rng.digits(12)),
        _ => ("CH", rng.digits(17)),
    };
    let probe = format!("{country}00{bban}");
    let rem = super::super::detect::iban_checksum(probe.as_bytes());
    let check = 98 - rem;
    format!("{country}{check:02}{bban}")
}

fn group4(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn jwt(rng: &mut Rng) -> String {
    let headers = [
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"alg":"RS256","kid":"key-1"}"#,
        r#"{"typ":"JWT","alg":"ES256"}"#,
    ];
    let header = rng.pick(&headers);
    let names = ["ada", "grace", "alan", "edsger"];
    let payload = format!(
        r#"{{"sub":"{}","name":"{}","iat":{}}}"#,
        rng.digits(6),
        rng.pick(&names),
        rng.range(1_600_000_000, 1_800_000_000)
    );
    let sig_len = if rng.below(2) == 0 { 43 } else { 86 };
    format!(
        "{}.{}.{}",
        base64(header.as_bytes(), B64URL, false),
        base64(payload.as_bytes(), B64URL, false),
        rng.string(B64URL, sig_len)
    )
}

fn random_secret(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => rng.string_of(B62, 32, 17),
        1 => format!("{}==", rng.string(B64, 42)),
        2 => rng.string(B64URL, 43),
        _ => rng.string(B62, 40),
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one table of shapes per detector; splitting it would scatter the set"
)]
fn positives(rng: &mut Rng, id: DetectorId, out: &mut Vec<LabelledCase>) {
    let names = [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
    ];
    let domains = [
        "example.com",
        "example.org",
        "mail.example.co.uk",
        "corp.example.io",
        "example.de",
    ];
    for i in 0..POSITIVES_PER_DETECTOR {
        let text_place = TEXT_PLACES.get(i % TEXT_PLACES.len()).copied().unwrap_or(0);
        let place = i % PLACES.len();
        let case = match id {
            DetectorId::Email => {
                let (first, last, domain) =
                    (rng.pick(&names), rng.pick(&names), rng.pick(&domains));
                let value = match i % 5 {
                    0 => format!("{first}@{domain}"),
                    1 => format!("{first}.{last}@{domain}"),
                    2 => format!("{first}+orders@{domain}"),
                    3 => format!("{first}_{}@{domain}", rng.digits(2)),
                    _ => format!(
                        "{}.{}@{}",
                        first.to_uppercase(),
                        last,
                        domain.to_uppercase()
                    ),
                };
                placed(id, &value, place, &[])
            }
            DetectorId::Phone => {
                let area = format!("{}{}", rng.range(2, 9), rng.digits(2));
                let line = rng.digits(4);
                let (value, keys): (String, &[&str]) = match i % 12 {
                    0 => (format!("+1{area}555{line}"), &[]),
                    1 => (format!("+44 20 7946 {line}"), &[]),
                    2 => (format!("({area}) 555-{line}"), &[]),
                    3 => (format!("{area}-555-{line}"), &[]),
                    4 => (format!("{area}.555.{line}"), &[]),
                    5 => (format!("1-800-555-{line}"), &[]),
                    6 => (format!("+1 {area} 555 {line}"), &[]),
                    7 => (format!("020 7946 {line}"), &[]),
                    8 => (format!("+49 30 {}", rng.digits(8)), &[]),
                    9 => (
                        format!(
                            "+33 6 {} {} {} {}",
                            rng.digits(2),
                            rng.digits(2),
                            rng.digits(2),
                            rng.digits(2)
                        ),
                        &[],
                    ),
                    10 => (format!("{area}555{line}"), &["phone"]),
                    _ => (format!("{area}555{line}"), &["mobile", "number"]),
                };
                let place = if keys.is_empty() {
                    text_place
                } else {
                    [0, 4][i % 2]
                };
                placed(id, &value, place, keys)
            }
            DetectorId::Ssn => {
                let area = loop {
                    let a = rng.range(1, 899);
                    if a != 666 {
                        break a;
                    }
                };
                let (g, s) = (rng.range(1, 99), rng.range(1, 9999));
                match i % 6 {
                    4 => placed(
                        id,
                        &format!("{area:03}{g:02}{s:04}"),
                        [0, 4][i % 2],
                        &["ssn"],
                    ),
                    5 => placed(
                        id,
                        &format!("{area:03} {g:02} {s:04}"),
                        0,
                        &["social", "security", "number"],
                    ),
                    _ => placed(id, &format!("{area:03}-{g:02}-{s:04}"), place, &[]),
                }
            }
            DetectorId::PaymentCard => {
                let number = card_number(rng, i);
                let value = match (i / 10) % 3 {
                    0 => number,
                    1 => group_card(&number, ' '),
                    _ => group_card(&number, '-'),
                };
                placed(id, &value, text_place, &[])
            }
            DetectorId::Iban => {
                let value = iban(rng, i);
                let value = if i % 2 == 0 { value } else { group4(&value) };
                placed(id, &value, text_place, &[])
            }
            DetectorId::Ipv4 => {
                let value = format!(
                    "{}.{}.{}.{}",
                    rng.range(1, 255),
                    rng.range(0, 255),
                    rng.range(0, 255),
                    rng.range(1, 254)
                );
                placed(id, &value, place, &[])
            }
            DetectorId::Ipv6 => {
                let mut group = || format!("{:x}", rng.range(1, 0xffff));
                let value = match i % 6 {
                    0 => (0..8).map(|_| group()).collect::<Vec<_>>().join(":"),
                    1 => format!("2001:db8::{}:{}", group(), group()),
                    2 => format!("fe80::{}:{}:{}:{}", group(), group(), group(), group()),
                    3 => "::1".to_owned(),
                    4 => format!(
                        "2001:0DB8:{}::{}",
                        group().to_uppercase(),
                        group().to_uppercase()
                    ),
                    _ => format!(
                        "::ffff:10.{}.{}.{}",
                        rng.range(0, 255),
                        rng.range(0, 255),
                        rng.range(1, 254)
                    ),
                };
                placed(id, &value, place, &[])
            }
            DetectorId::Jwt => placed(id, &jwt(rng), place, &[]),
            DetectorId::BearerCredential => {
                let token = match i % 3 {
                    0 => rng.string_of(B62, 24, 16),
                    1 => format!("{}.{}", rng.string(B64URL, 20), rng.string(B64URL, 12)),
                    _ => format!("tok_{}", rng.string(B62, 20)),
                };
                let scheme = ["Bearer", "bearer", "BEARER"]
                    .get(i % 3)
                    .copied()
                    .unwrap_or("Bearer");
                let (before, after, keys): (&str, &str, &[&str]) = match i % 6 {
                    0 => ("", "", &["authorization"]),
                    1 => ("Authorization: ", "", &[]),
                    2 => (r#"{"headers": {"Authorization": ""#, r#""}}"#, &[]),
                    3 => ("sent with ", " to the api", &[]),
                    4 => ("curl -H 'Authorization: ", "' https://api.example.com", &[]),
                    _ => ("", "", &[]),
                };
                let value = format!("{scheme} {token}");
                Case::default()
                    .lit(before)
                    .val_within(id, &value, scheme.len() + 1, token.len())
                    .lit(after)
                    .keys(keys)
                    .done()
            }
            DetectorId::BasicCredential => {
                let user = rng.pick(&names);
                let pass = rng.string_of(B62, 8, 10);
                let cred = base64(format!("{user}:{pass}").as_bytes(), B64, true);
                let scheme = ["Basic", "basic"].get(i % 2).copied().unwrap_or("Basic");
                let (before, after): (&str, &str) = match i % 5 {
                    0 => ("", ""),
                    1 => ("Authorization: ", ""),
                    2 => (r#"{"Authorization": ""#, r#""}"#),
                    3 => ("proxy sent ", " upstream"),
                    _ => ("Proxy-Authorization: ", "\r\n"),
                };
                let value = format!("{scheme} {cred}");
                Case::default()
                    .lit(before)
                    .val_within(id, &value, scheme.len() + 1, cred.len())
                    .lit(after)
                    .done()
            }
            DetectorId::AwsAccessKeyId => {
                let prefix = [
                    "AKIA", "ASIA", "AIDA", "AROA", "AGPA", "ANPA", "ANVA", "AIPA",
                ]
                .get(i % 8)
                .copied()
                .unwrap_or("AKIA");
                let value = format!("{prefix}{}", rng.string(UPPER_ALNUM, 16));
                placed(id, &value, place, &[])
            }
            DetectorId::AwsSecretKey => {
                let secret = rng.string(B64, 40);
                let key_id = format!("AKIA{}", rng.string(UPPER_ALNUM, 16));
                let mut case = Case::default();
                match i % 6 {
                    0 => case
                        .val(id, &secret)
                        .keys(&["aws", "secret", "access", "key"]),
                    1 => case
                        .lit("aws_secret_access_key = ")
                        .val(id, &secret)
                        .lit("\n"),
                    2 => case.lit("AWS_SECRET_ACCESS_KEY=").val(id, &secret),
                    3 => case
                        .lit(r#"{"AccessKeyId": ""#)
                        .val(DetectorId::AwsAccessKeyId, &key_id)
                        .lit(r#"", "SecretAccessKey": ""#)
                        .val(id, &secret)
                        .lit(r#""}"#),
                    4 => case
                        .val(DetectorId::AwsAccessKeyId, &key_id)
                        .lit(":")
                        .val(id, &secret),
                    _ => case
                        .lit(r#"{"value": ""#)
                        .val(id, &secret)
                        .lit(r#""}"#)
                        .keys(&["aws", "secret"]),
                };
                case.done()
            }
            DetectorId::GithubToken => {
                let value = match i % 6 {
                    5 => format!("github_pat_{}_{}", rng.string(B62, 22), rng.string(B62, 59)),
                    k => format!(
                        "{}_{}",
                        ["ghp", "gho", "ghu", "ghs", "ghr"]
                            .get(k)
                            .copied()
                            .unwrap_or("ghp"),
                        rng.string(B62, 36)
                    ),
                };
                placed(id, &value, place, &[])
            }
            DetectorId::GitlabToken => {
                let value = format!("glpat-{}", rng.string(B64URL, 20));
                placed(id, &value, place, &[])
            }
            DetectorId::SlackToken => {
                let value = match i % 4 {
                    0 => format!(
                        "xoxb-{}-{}-{}",
                        rng.digits(12),
                        rng.digits(13),
                        rng.string(B62, 24)
                    ),
                    1 => format!(
                        "xoxp-{}-{}-{}-{}",
                        rng.digits(12),
                        rng.digits(12),
                        rng.digits(13),
                        rng.string(HEX, 32)
                    ),
                    2 => format!("xoxa-2-{}-{}", rng.digits(12), rng.string(B62, 30)),
                    _ => format!(
                        "https://hooks.slack.com/services/T{}/B{}/{}",
                        rng.string(UPPER_ALNUM, 8),
                        rng.string(UPPER_ALNUM, 10),
                        rng.string(B62, 24)
                    ),
                };
                placed(id, &value, place, &[])
            }
            DetectorId::StripeKey => {
                let prefix = ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"]
                    .get(i % 5)
                    .copied()
                    .unwrap_or("sk_live_");
                let value = format!("{prefix}{}", rng.string_of(B62, 24, 76));
                placed(id, &value, place, &[])
            }
            DetectorId::GoogleApiKey => {
                let value = format!("AIza{}", rng.string(B64URL, 35));
                placed(id, &value, place, &[])
            }
            DetectorId::TwilioKey => match i % 4 {
                3 => placed(
                    id,
                    &rng.string(HEX, 32),
                    [0, 4][i % 2],
                    &["twilio", "auth", "token"],
                ),
                k => {
                    let prefix = if k == 0 { "AC" } else { "SK" };
                    placed(id, &format!("{prefix}{}", rng.string(HEX, 32)), place, &[])
                }
            },
            DetectorId::SendgridKey => {
                let value = format!("SG.{}.{}", rng.string(B64URL, 22), rng.string(B64URL, 43));
                placed(id, &value, place, &[])
            }
            DetectorId::NpmToken => {
                let value = format!("npm_{}", rng.string(B62, 36));
                placed(id, &value, place, &[])
            }
            DetectorId::PemPrivateKey => {
                let label = [
                    "RSA PRIVATE KEY",
                    "PRIVATE KEY",
                    "EC PRIVATE KEY",
                    "OPENSSH PRIVATE KEY",
                    "ENCRYPTED PRIVATE KEY",
                ]
                .get(i % 5)
                .copied()
                .unwrap_or("PRIVATE KEY");
                let newline = if i % 2 == 0 { "\n" } else { "\\n" };
                let lines: Vec<String> =
                    (0..3 + rng.below(6)).map(|_| rng.string(B64, 64)).collect();
                let value = format!(
                    "-----BEGIN {label}-----{newline}{}{newline}{}=={newline}-----END {label}-----",
                    lines.join(newline),
                    rng.string(B64, 22)
                );
                let (before, after) = match i % 4 {
                    0 => ("", ""),
                    1 => (r#"{"private_key": ""#, r#"\n"}"#),
                    2 => ("key:\n", "\nend"),
                    _ => ("-- ", " --"),
                };
                Case::default()
                    .lit(before)
                    .val(id, &value)
                    .lit(after)
                    .done()
            }
            DetectorId::HighEntropySecret => {
                let secret = random_secret(rng);
                let (before, after, keys): (&str, &str, &[&str]) = match i % 6 {
                    0 => ("", "", &[]),
                    1 => ("", "", &["client", "secret"]),
                    2 => (r#"{"session": ""#, r#""}"#, &[]),
                    3 => ("X-Custom-Token: ", "", &[]),
                    4 => ("refresh with ", " before noon", &[]),
                    _ => ("?sig=", "&page=2", &[]),
                };
                Case::default()
                    .lit(before)
                    .val(id, &secret)
                    .lit(after)
                    .keys(keys)
                    .done()
            }
        };
        out.push(case);
    }
    // hex secrets count only under a secret-naming key
    if id == DetectorId::HighEntropySecret {
        for keys in [["api", "key"], ["client", "secret"], ["access", "token"]] {
            let value = rng.string(HEX, 40);
            out.push(placed(id, &value, 0, &keys));
        }
    }
}

fn uuid(rng: &mut Rng) -> String {
    let h = rng.string(HEX, 32);
    let part = |a: usize, b: usize| h.get(a..b).unwrap_or_default().to_owned();
    format!(
        "{}-{}-4{}-a{}-{}",
        part(0, 8),
        part(8, 12),
        part(13, 16),
        part(17, 20),
        part(20, 32)
    )
}

/// Hard negatives: nothing in them should be reported.
#[expect(
    clippy::too_many_lines,
    reason = "one table of negative kinds; splitting it would scatter the set"
)]
fn negatives(rng: &mut Rng, out: &mut Vec<LabelledCase>) {
    const PER_KIND: usize = 16;
    let words = [
        "message", "page", "usage", "trace_id", "language", "image", "shipping", "stage",
    ];
    for i in 0..PER_KIND {
        let epoch = rng.range(1_500_000_000, 1_800_000_000);
        let sha256 = rng.string(HEX, 64);
        let kinds: Vec<(String, Vec<&str>)> = vec![
            (uuid(rng), vec![]),
            (
                format!(
                    r#"{{"trace_id": "{}", "span": "{}"}}"#,
                    uuid(rng),
                    rng.string(HEX, 16)
                ),
                vec![],
            ),
            (rng.string(HEX, 32), vec!["trace", "id"]),
            (format!("{epoch}"), vec![]),
            (format!("{epoch}"), vec!["created", "at"]),
            (format!("{epoch}{}", rng.digits(3)), vec!["timestamp", "ms"]),
            (format!("order {} shipped", rng.digits(9)), vec![]),
            (rng.digits(9), vec!["order", "id"]),
            (format!("ORD-2024-{}", rng.digits(6)), vec![]),
            (
                format!("INV{}{}", rng.range(2020, 2025), rng.digits(10)),
                vec![],
            ),
            (
                format!(
                    "v{}.{}.{}",
                    rng.range(0, 20),
                    rng.range(0, 40),
                    rng.range(0, 99)
                ),
                vec![],
            ),
            (
                format!(
                    "{}.{}.{}.{}.{}",
                    rng.range(1, 9),
                    rng.range(0, 9),
                    rng.range(0, 9),
                    rng.range(0, 9),
                    rng.range(0, 9)
                ),
                vec![],
            ),
            (
                format!(
                    "python {}.{}.{}",
                    rng.range(2, 3),
                    rng.range(0, 12),
                    rng.range(0, 20)
                ),
                vec!["version"],
            ),
            (rng.string(HEX, 32), vec!["etag"]),
            (rng.string(HEX, 40), vec!["commit"]),
            (sha256.clone(), vec!["sha256"]),
            (format!("sha256:{sha256}"), vec![]),
            (
                format!(
                    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA{}==",
                    rng.string_of(B64, 120, 200)
                ),
                vec!["image"],
            ),
            (
                format!("iVBORw0KGgoAAAANSUhEUgAA{}", rng.string(B64, 300)),
                vec![],
            ),
            (
                format!(
                    "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ{}",
                    rng.string(B64, 80)
                ),
                vec![],
            ),
            (
                format!(
                    "2024-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                    rng.range(1, 12),
                    rng.range(1, 28),
                    rng.range(0, 23),
                    rng.range(0, 59),
                    rng.range(0, 59)
                ),
                vec![],
            ),
            (
                format!(
                    "2024{:02}{:02}{:02}{:02}{:02}",
                    rng.range(1, 12),
                    rng.range(1, 28),
                    rng.range(0, 23),
                    rng.range(0, 59),
                    rng.range(0, 59)
                ),
                vec![],
            ),
            (
                format!(
                    "{:02}:{:02}:{:02}",
                    rng.range(0, 23),
                    rng.range(0, 59),
                    rng.range(0, 59)
                ),
                vec![],
            ),
            (
                format!(
                    r#"{{"{}": "see page {} of the usage report"}}"#,
                    rng.pick(&words),
                    rng.range(1, 400)
                ),
                vec![],
            ),
            (
                "The quick brown fox jumps over the lazy dog near the riverbank".to_owned(),
                vec!["message"],
            ),
            (
                format!(
                    "{}{}",
                    [
                        "getUserById",
                        "AbstractSingletonProxy",
                        "HandleRequestAsync",
                        "OrderServiceImpl"
                    ][i % 4],
                    [
                        "HandlerFactory",
                        "ControllerV2",
                        "BeanDefinition",
                        "Middleware"
                    ][i / 4 % 4]
                ),
                vec![],
            ),
            (
                format!(
                    "my-blog-post-{}-{:02}-{:02}-title",
                    rng.range(2019, 2025),
                    rng.range(1, 12),
                    rng.range(1, 28)
                ),
                vec!["slug"],
            ),
            (
                format!(
                    "/usr/local/lib/python3.{}/site-packages/requests/adapters.py",
                    rng.range(8, 12)
                ),
                vec!["path"],
            ),
            (
                format!(
                    "https://api.example.com/v1/users/{}/orders?page={}&per_page=50",
                    rng.digits(6),
                    rng.range(1, 9)
                ),
                vec!["url"],
            ),
            (
                format!(
                    "api-{}-{}",
                    rng.string(HEX, 10),
                    rng.string(b"abcdefghijklmnopqrstuvwxyz0123456789", 5)
                ),
                vec!["pod"],
            ),
            // no issuer starts with 1: a Luhn-valid 1xxx number is still not a card
            (
                format!(
                    "{}-{}-{}-{}",
                    rng.range(1000, 1999),
                    rng.range(1000, 9999),
                    rng.range(1000, 9999),
                    rng.range(1000, 9999)
                ),
                vec![],
            ),
            (
                format!(
                    "{}{}",
                    "4111111111111111".get(..15).unwrap_or_default(),
                    (rng.range(2, 9) + 1) % 10
                ),
                vec![],
            ),
            (
                format!(
                    "{}-{}-{}",
                    ["000", "666", "900", "987"][i % 4],
                    rng.range(10, 99),
                    rng.range(1000, 9999)
                ),
                vec![],
            ),
            (
                format!("{}-00-{}", rng.range(100, 599), rng.range(1000, 9999)),
                vec![],
            ),
            (format!("GB{:02}WEST{}", 0, rng.digits(14)), vec![]),
            (format!("10.0.0.{}", rng.range(256, 999)), vec![]),
            (
                format!(
                    "v{}.{}.{}.{}",
                    rng.range(1, 9),
                    rng.range(0, 9),
                    rng.range(0, 9),
                    rng.range(0, 9)
                ),
                vec![],
            ),
            (
                format!(
                    "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
                    rng.range(0, 255),
                    rng.range(0, 255),
                    rng.range(0, 255),
                    rng.range(0, 255),
                    rng.range(0, 255),
                    rng.range(0, 255)
                ),
                vec!["mac"],
            ),
            ("let v = Vec::new(); std::fmt::Debug".to_owned(), vec![]),
            (
                format!("pk_live_{}", rng.string(B62, 24)),
                vec!["publishable", "key"],
            ),
            (
                "the bearer instrument is payable on demand".to_owned(),
                vec![],
            ),
            ("Basic usage: run the tool twice".to_owned(), vec![]),
            (format!("Token abc{}", rng.digits(2)), vec![]),
            (
                format!("icon-{}@2x.png", rng.pick(&["home", "user", "cart"])),
                vec![],
            ),
            (
                format!("npm i left-pad@1.{}.{}", rng.range(0, 9), rng.range(0, 9)),
                vec![],
            ),
            (
                format!(
                    "${},{:03}.{:02}",
                    rng.range(1, 99),
                    rng.range(0, 999),
                    rng.range(0, 99)
                ),
                vec!["price"],
            ),
            (format!("{}-{}", rng.digits(5), rng.digits(4)), vec!["zip"]),
            (
                format!(
                    "total {}.{:02} EUR",
                    rng.range(100, 99_999),
                    rng.range(0, 99)
                ),
                vec![],
            ),
            (
                format!(
                    "Content-Security-Policy: default-src 'self'; img-src {}",
                    rng.pick(&["https:", "data:", "'none'"])
                ),
                vec![],
            ),
            ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_owned(), vec![]),
            ("abcdefghijklmnopqrstuvwxyzabcdefg".to_owned(), vec![]),
            (
                format!("{}", rng.range(1_000_000_000, 9_999_999_999)),
                vec!["order", "number"],
            ),
        ];
        for (text, keys) in kinds {
            out.push(Case::default().lit(&text).keys(&keys).done());
        }
    }
}

/// The labelled set for `seed`: positives for every detector, then hard negatives.
pub fn generate(seed: u64) -> Vec<LabelledCase> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for id in DetectorId::ALL {
        positives(&mut rng, id, &mut out);
    }
    negatives(&mut rng, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::{DetectorScore, score_table};
    use super::*;

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64(b"user:pass", B64, true), "dXNlcjpwYXNz");
        assert_eq!(base64(b"ab", B64, true), "YWI=");
        assert_eq!(base64(b"ab", B64URL, false), "YWI");
        assert_eq!(
            base64(br#"{"alg":"HS256"}"#, B64URL, false),
            "eyJhbGciOiJIUzI1NiJ9"
        );
    }

    #[test]
    fn luhn_completion_is_valid() {
        assert_eq!(luhn_complete("411111111111111"), "4111111111111111");
        assert_eq!(luhn_complete("37828224631000"), "378282246310005");
    }

    #[test]
    fn generation_is_deterministic_and_labels_are_in_bounds() {
        let a = generate(7);
        assert_eq!(a, generate(7));
        assert_ne!(a, generate(8));
        for case in &a {
            for m in &case.expected {
                assert!(m.start < m.end && m.end <= case.text.len());
                assert!(case.text.is_char_boundary(m.start) && case.text.is_char_boundary(m.end));
            }
        }
    }

    #[test]
    fn scores_count_exact_spans() {
        let s = DetectorScore {
            detector: DetectorId::Email,
            true_positives: 3,
            false_positives: 1,
            false_negatives: 0,
        };
        assert!((s.precision() - 0.75).abs() < 1e-9);
        assert!((s.recall() - 1.0).abs() < 1e-9);
        let table = score_table(&[s]);
        assert!(table.contains("email"));
        assert!(table.lines().count() == 3);
    }
}
