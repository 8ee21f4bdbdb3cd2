//! Key words: splitting a key or header name into lower-case words, and deciding whether those
//! words name a secret.
//!
//! Timetracer matches keys by substring, so `message`, `page` and `image` (they contain `age`),
//! `trace_id` (`race`) and `shipping` (`pin`) are masked. Tapedeck compares whole words:
//! `user_password`, `apiKey`, `X-Auth-Token` and `cardNumber` are sensitive, `message` and
//! `trace_id` are not. A phrase of several words (`api key`, `date of birth`) must appear as
//! consecutive words of the key; a glued spelling (`apikey`, `cardnumber`) is its own phrase.

/// The words of a key, lower-cased: `XAuthToken` gives `x auth token`, `user_password` gives
/// `user password`, `dateOfBirth` gives `date of birth`.
///
/// Separators are anything not a letter or digit (`_`, `-`, `.`, spaces, `/`, `:`). Inside a
/// run of letters a new word starts at a lower-to-upper change (`apiKey`) and before the last
/// capital of a capital run followed by a lower-case letter (`HTTPServer` → `http server`).
/// Digits stay attached to their word (`cvv2`, `2fa`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyWords {
    lower: String,
    ranges: Vec<(usize, usize)>,
}

impl KeyWords {
    /// Splits `key` into words.
    pub fn split(key: &str) -> KeyWords {
        let mut words = KeyWords::default();
        words.reset(key);
        words
    }

    /// Splits `key` into words, reusing this value's buffers.
    pub fn reset(&mut self, key: &str) {
        self.lower.clear();
        self.ranges.clear();
        let chars: Vec<char> = key.chars().collect();
        let mut start: Option<usize> = None;
        for (i, &c) in chars.iter().enumerate() {
            if !c.is_alphanumeric() {
                if let Some(s) = start.take() {
                    self.ranges.push((s, self.lower.len()));
                }
                continue;
            }
            let boundary = start.is_some() && i > 0 && {
                let prev = chars.get(i - 1).copied().unwrap_or(' ');
                let next = chars.get(i + 1).copied().unwrap_or(' ');
                (prev.is_lowercase() && c.is_uppercase())
                    || (prev.is_uppercase() && c.is_uppercase() && next.is_lowercase())
            };
            if boundary && let Some(s) = start.take() {
                self.ranges.push((s, self.lower.len()));
            }
            if start.is_none() {
                start = Some(self.lower.len());
            }
            self.lower.extend(c.to_lowercase());
        }
        if let Some(s) = start {
            self.ranges.push((s, self.lower.len()));
        }
    }

    /// The words, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.ranges
            .iter()
            .filter_map(|&(s, e)| self.lower.get(s..e))
    }

    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The words joined by single spaces (`x auth token`).
    pub fn joined(&self) -> String {
        self.iter().collect::<Vec<_>>().join(" ")
    }
}

/// Sensitive phrases, as space-separated lower-case words. Every one of Timetracer's 117 body
/// key patterns is here as words (`api_key` → `api key`, glued spellings kept as one word),
/// except `public_key` (a public key is not a secret); then the spellings it misses.
pub const SENSITIVE_PHRASES: &[&str] = &[
    // credentials
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "auth token",
    "auth key",
    "auth",
    "oauth",
    "authorization",
    "authenticate",
    "credential",
    "credentials",
    // tokens and keys
    "token",
    "api key",
    "apikey",
    "access token",
    "refresh token",
    "id token",
    "session token",
    "session id",
    "sessionid",
    "session",
    "cookie",
    "bearer",
    "jwt",
    "private key",
    "privatekey",
    "signing key",
    "encryption key",
    "secret key",
    "secretkey",
    "client secret",
    "client id",
    "clientid",
    // security codes
    "csrf",
    "xsrf",
    "nonce",
    "otp",
    "totp",
    "hotp",
    "mfa",
    "2fa",
    "pin",
    "verification code",
    "reset token",
    "magic link",
    // identity
    "ssn",
    "social security",
    "national id",
    "passport",
    "driver license",
    "drivers license",
    "tax id",
    "taxpayer",
    "gov id",
    "govid",
    "government id",
    "government number",
    // contact
    "phone",
    "mobile",
    "telephone",
    "fax",
    "email",
    "e mail",
    "email address",
    // personal details
    "date of birth",
    "dob",
    "birth date",
    "birthdate",
    "age",
    "gender",
    "sex",
    "race",
    "ethnicity",
    "religion",
    "nationality",
    // address
    "address",
    "street",
    "zip code",
    "zipcode",
    "postal code",
    "postcode",
    // financial
    "credit card",
    "creditcard",
    "card number",
    "cardnumber",
    "card",
    "pan",
    "cc number",
    "debit card",
    "cvv",
    "cvc",
    "cvv2",
    "cvc2",
    "security code",
    "expiry",
    "expiration",
    "exp date",
    "exp month",
    "exp year",
    "cardholder",
    "card holder",
    "account holder",
    "bank account",
    "account number",
    "routing number",
    "iban",
    "swift",
    "bic",
    "sort code",
    // healthcare
    "medical record",
    "patient id",
    "health id",
    "diagnosis",
    "prescription",
    "treatment",
    "insurance id",
    "member id",
    "policy number",
    "claim number",
    "provider id",
    "npi",
    // other
    "signature",
    "biometric",
    "fingerprint",
    "face id",
    "voice print",
    "ip address",
    "mac address",
    "device id",
    "imei",
    "serial number",
];

/// A compiled list of phrases, matched against the words of a key.
#[derive(Clone, Debug, Default)]
pub struct PhraseSet {
    phrases: Vec<Vec<String>>,
}

impl PhraseSet {
    /// Builds a set from phrases written as words in any spelling (`api_key`, `apiKey` and
    /// `api key` are the same phrase). Empty phrases are ignored.
    pub fn new<'a>(phrases: impl IntoIterator<Item = &'a str>) -> PhraseSet {
        let mut out: Vec<Vec<String>> = Vec::new();
        for phrase in phrases {
            let words: Vec<String> = KeyWords::split(phrase).iter().map(str::to_owned).collect();
            if !words.is_empty() && !out.contains(&words) {
                out.push(words);
            }
        }
        PhraseSet { phrases: out }
    }

    /// Removes phrases (in any spelling).
    pub fn remove<'a>(&mut self, phrases: impl IntoIterator<Item = &'a str>) {
        for phrase in phrases {
            let words: Vec<String> = KeyWords::split(phrase).iter().map(str::to_owned).collect();
            self.phrases.retain(|p| *p != words);
        }
    }

    /// Adds phrases (in any spelling).
    pub fn extend<'a>(&mut self, phrases: impl IntoIterator<Item = &'a str>) {
        for phrase in phrases {
            let words: Vec<String> = KeyWords::split(phrase).iter().map(str::to_owned).collect();
            if !words.is_empty() && !self.phrases.contains(&words) {
                self.phrases.push(words);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The first phrase (longest first among those starting at the same word) found as
    /// consecutive words of `words`, as its words.
    pub fn find(&self, words: &KeyWords) -> Option<&[String]> {
        let list: Vec<&str> = words.iter().collect();
        let mut best: Option<&[String]> = None;
        for start in 0..list.len() {
            let Some(rest) = list.get(start..) else { break };
            for phrase in &self.phrases {
                if phrase.len() <= rest.len()
                    && phrase.iter().zip(rest).all(|(p, w)| word_matches(p, w))
                    && best.is_none_or(|b| phrase.len() > b.len())
                {
                    best = Some(phrase);
                }
            }
            if best.is_some() {
                return best;
            }
        }
        None
    }

    /// Whether any phrase appears in `words`.
    pub fn matches(&self, words: &KeyWords) -> bool {
        self.find(words).is_some()
    }
}

/// A key word matches a phrase word when equal, or when it is its plural (`tokens`,
/// `passwords`); plurals of words of three letters or fewer are not accepted (`pins` is, `pans`
/// is, but nothing shorter than the phrase word plus `s`).
fn word_matches(phrase_word: &str, key_word: &str) -> bool {
    key_word == phrase_word
        || (key_word.len() == phrase_word.len() + 1
            && key_word.ends_with('s')
            && key_word.starts_with(phrase_word))
}

/// The label of a phrase in tokens: `api key` → `API_KEY`.
pub fn phrase_label(phrase: &[String]) -> String {
    phrase
        .iter()
        .map(|w| w.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(key: &str) -> String {
        KeyWords::split(key).joined()
    }

    #[test]
    fn splits_snake_camel_kebab_dotted_and_acronyms() {
        assert_eq!(words("user_password"), "user password");
        assert_eq!(words("apiKey"), "api key");
        assert_eq!(words("X-Auth-Token"), "x auth token");
        assert_eq!(words("XAuthToken"), "x auth token");
        assert_eq!(words("cardNumber"), "card number");
        assert_eq!(words("dateOfBirth"), "date of birth");
        assert_eq!(words("HTTPServer"), "http server");
        assert_eq!(words("user.email_address"), "user email address");
        assert_eq!(words("cvv2"), "cvv2");
        assert_eq!(words("2fa_code"), "2fa code");
        assert_eq!(words("__x__"), "x");
        assert_eq!(words(""), "");
        assert_eq!(words("Ünïcode-Kéy"), "ünïcode kéy");
    }

    fn sensitive(key: &str) -> bool {
        PhraseSet::new(SENSITIVE_PHRASES.iter().copied()).matches(&KeyWords::split(key))
    }

    #[test]
    fn names_secrets_by_words() {
        for key in [
            "user_password",
            "apiKey",
            "X-Auth-Token",
            "cardNumber",
            "authorization",
            "auth",
            "session",
            "e_mail",
            "card",
            "pan",
            "dateOfBirth",
            "accountNumber",
            "deviceId",
            "clientId",
            "x-api-key",
            "apikey",
            "Set-Cookie",
            "x-amz-security-token",
            "private-token",
            "www-authenticate",
            "shipping_address_line",
            "access_tokens",
            "emailVerified",
        ] {
            assert!(sensitive(key), "{key} should be sensitive");
        }
    }

    #[test]
    fn does_not_name_harmless_keys() {
        for key in [
            "message",
            "page",
            "usage",
            "image",
            "language",
            "stage",
            "trace_id",
            "shipping",
            "public",
            "public_key",
            "bicycle",
            "hotpink",
            "tokenizer",
            "addressee",
            "spinner",
            "opinion",
            "pinned",
            "brace",
            "sextant",
            "essex",
            "username",
            "name",
            "id",
            "key",
        ] {
            assert!(!sensitive(key), "{key} should not be sensitive");
        }
    }

    #[test]
    #[expect(clippy::too_many_lines, reason = "the list of Timetracer's patterns")]
    fn covers_every_timetracer_pattern_except_public_key() {
        let set = PhraseSet::new(SENSITIVE_PHRASES.iter().copied());
        let timetracer = [
            "2fa",
            "access_token",
            "account_number",
            "address",
            "age",
            "api-key",
            "api_key",
            "apikey",
            "auth_key",
            "auth_token",
            "bank_account",
            "bearer",
            "bic",
            "biometric",
            "birth_date",
            "birthdate",
            "card_number",
            "cardholder",
            "cardnumber",
            "cc_number",
            "claim_number",
            "client_id",
            "client_secret",
            "credit_card",
            "creditcard",
            "csrf",
            "cvc",
            "cvc2",
            "cvv",
            "cvv2",
            "date_of_birth",
            "debit_card",
            "device_id",
            "diagnosis",
            "dob",
            "driver_license",
            "drivers_license",
            "email",
            "email_address",
            "encryption_key",
            "ethnicity",
            "exp_date",
            "exp_month",
            "exp_year",
            "expiration",
            "expiry",
            "face_id",
            "fax",
            "fingerprint",
            "gender",
            "health_id",
            "hotp",
            "iban",
            "id_token",
            "imei",
            "insurance_id",
            "ip_address",
            "jwt",
            "mac_address",
            "magic_link",
            "medical_record",
            "member_id",
            "mfa",
            "mobile",
            "national_id",
            "nationality",
            "nonce",
            "npi",
            "oauth",
            "otp",
            "passport",
            "passwd",
            "password",
            "patient_id",
            "phone",
            "pin",
            "policy_number",
            "postal_code",
            "postcode",
            "prescription",
            "private_key",
            "privatekey",
            "provider_id",
            "pwd",
            "race",
            "refresh_token",
            "religion",
            "reset_token",
            "routing_number",
            "secret",
            "secret_key",
            "secretkey",
            "security_code",
            "serial_number",
            "session_id",
            "session_token",
            "sessionid",
            "sex",
            "signature",
            "signing_key",
            "social_security",
            "sort_code",
            "ssn",
            "street",
            "swift",
            "tax_id",
            "taxpayer",
            "telephone",
            "token",
            "totp",
            "treatment",
            "verification_code",
            "voice_print",
            "xsrf",
            "zip_code",
            "zipcode",
        ];
        assert_eq!(timetracer.len(), 116);
        for key in timetracer {
            assert!(set.matches(&KeyWords::split(key)), "{key}");
        }
    }

    #[test]
    fn finds_longest_phrase_and_labels_it() {
        let set = PhraseSet::new(SENSITIVE_PHRASES.iter().copied());
        let found = set.find(&KeyWords::split("userApiKey")).unwrap();
        assert_eq!(phrase_label(found), "API_KEY");
        let mut custom = PhraseSet::new(["coupon"]);
        assert!(custom.matches(&KeyWords::split("couponCode")));
        custom.remove(["coupon"]);
        assert!(custom.is_empty());
    }
}
