//! Detectors: find sensitive values inside one string, with validators where one exists.
//!
//! A detector looks at one decoded string value (a header value, a query value, a JSON string,
//! a line of text) and pushes the byte ranges it recognises into the caller's `Vec`. It never
//! allocates per call on the hot path and never keeps the text. Context (the words of the key or
//! header the value sits under) lets detectors that need it (AWS secret keys, phones) decide.

/// Which detector found a value. The names are the rule names used in policies and reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DetectorId {
    Email,
    Phone,
    Ssn,
    PaymentCard,
    Iban,
    Ipv4,
    Ipv6,
    Jwt,
    BearerCredential,
    BasicCredential,
    AwsAccessKeyId,
    AwsSecretKey,
    GithubToken,
    GitlabToken,
    SlackToken,
    StripeKey,
    GoogleApiKey,
    TwilioKey,
    SendgridKey,
    NpmToken,
    PemPrivateKey,
    HighEntropySecret,
}

impl DetectorId {
    /// Every detector, in a fixed order.
    pub const ALL: [DetectorId; 22] = [
        DetectorId::Email,
        DetectorId::Phone,
        DetectorId::Ssn,
        DetectorId::PaymentCard,
        DetectorId::Iban,
        DetectorId::Ipv4,
        DetectorId::Ipv6,
        DetectorId::Jwt,
        DetectorId::BearerCredential,
        DetectorId::BasicCredential,
        DetectorId::AwsAccessKeyId,
        DetectorId::AwsSecretKey,
        DetectorId::GithubToken,
        DetectorId::GitlabToken,
        DetectorId::SlackToken,
        DetectorId::StripeKey,
        DetectorId::GoogleApiKey,
        DetectorId::TwilioKey,
        DetectorId::SendgridKey,
        DetectorId::NpmToken,
        DetectorId::PemPrivateKey,
        DetectorId::HighEntropySecret,
    ];

    /// The rule name used in policies and reports (`email`, `payment_card`, ...).
    pub fn name(self) -> &'static str {
        match self {
            DetectorId::Email => "email",
            DetectorId::Phone => "phone",
            DetectorId::Ssn => "ssn",
            DetectorId::PaymentCard => "payment_card",
            DetectorId::Iban => "iban",
            DetectorId::Ipv4 => "ipv4",
            DetectorId::Ipv6 => "ipv6",
            DetectorId::Jwt => "jwt",
            DetectorId::BearerCredential => "bearer_credential",
            DetectorId::BasicCredential => "basic_credential",
            DetectorId::AwsAccessKeyId => "aws_access_key_id",
            DetectorId::AwsSecretKey => "aws_secret_key",
            DetectorId::GithubToken => "github_token",
            DetectorId::GitlabToken => "gitlab_token",
            DetectorId::SlackToken => "slack_token",
            DetectorId::StripeKey => "stripe_key",
            DetectorId::GoogleApiKey => "google_api_key",
            DetectorId::TwilioKey => "twilio_key",
            DetectorId::SendgridKey => "sendgrid_key",
            DetectorId::NpmToken => "npm_token",
            DetectorId::PemPrivateKey => "pem_private_key",
            DetectorId::HighEntropySecret => "high_entropy_secret",
        }
    }

    /// The label in Timetracer-style mask tokens (`[REDACTED:EMAIL]`).
    pub fn label(self) -> &'static str {
        match self {
            DetectorId::Email => "EMAIL",
            DetectorId::Phone => "PHONE",
            DetectorId::Ssn => "SSN",
            DetectorId::PaymentCard => "CREDIT_CARD",
            DetectorId::Iban => "IBAN",
            DetectorId::Ipv4 => "IPV4",
            DetectorId::Ipv6 => "IPV6",
            DetectorId::Jwt => "JWT",
            DetectorId::BearerCredential | DetectorId::BasicCredential => "CREDENTIAL",
            DetectorId::AwsAccessKeyId => "AWS_ACCESS_KEY_ID",
            DetectorId::AwsSecretKey => "AWS_SECRET_KEY",
            DetectorId::PemPrivateKey => "PRIVATE_KEY",
            DetectorId::GithubToken
            | DetectorId::GitlabToken
            | DetectorId::SlackToken
            | DetectorId::StripeKey
            | DetectorId::GoogleApiKey
            | DetectorId::TwilioKey
            | DetectorId::SendgridKey
            | DetectorId::NpmToken
            | DetectorId::HighEntropySecret => "TOKEN",
        }
    }

    pub fn from_name(name: &str) -> Option<DetectorId> {
        DetectorId::ALL.into_iter().find(|d| d.name() == name)
    }
}

/// Where a value sits, for detectors that decide by context.
#[derive(Clone, Copy, Debug, Default)]
pub struct FieldContext<'a> {
    /// Lower-cased words of the nearest key or header name: `awsSecretAccessKey` gives
    /// `["aws", "secret", "access", "key"]`. Empty for free text.
    pub key_words: &'a [&'a str],
}

/// One value found in a string: the byte range `start..end` of the text given to the detector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub detector: DetectorId,
}

/// Finds one kind of sensitive value in text.
pub trait Detector: Send + Sync {
    fn id(&self) -> DetectorId;
    /// Pushes every match in `text` into `out`, in order, without overlaps of its own.
    fn find(&self, text: &str, context: &FieldContext<'_>, out: &mut Vec<Match>);
    /// Necessary conditions of any match [`Detector::find`] reports, so a [`DetectorSet`] can
    /// skip texts that cannot hold one. The default needs nothing: the detector always runs.
    fn needs(&self) -> Needs {
        Needs::NOTHING
    }
}

mod credentials;
mod entropy;
mod pii;
mod profile;
mod set;
mod text;
mod tokens;

pub use credentials::{AwsAccessKeyId, AwsSecretKey, BasicCredential, BearerCredential, Jwt};
pub use entropy::{
    HighEntropySecret, class_transition_rate, looks_random, shannon_entropy, wordy_share,
};
pub(crate) use pii::iban_mod97 as iban_checksum;
pub use pii::{Email, Iban, Ipv4, Ipv6, PaymentCard, Phone, Ssn};
pub(crate) use profile::classes_and_digits;
pub use profile::{Needs, TextProfile, class};
pub use set::DetectorSet;
pub use tokens::{
    GithubToken, GitlabToken, GoogleApiKey, NpmToken, PemPrivateKey, SendgridKey, SlackToken,
    StripeKey, TwilioKey,
};

/// Every built-in detector, one per [`DetectorId`], in [`DetectorId::ALL`] order.
pub fn builtin() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(Email),
        Box::new(Phone),
        Box::new(Ssn),
        Box::new(PaymentCard),
        Box::new(Iban),
        Box::new(Ipv4),
        Box::new(Ipv6),
        Box::new(Jwt::default()),
        Box::new(BearerCredential),
        Box::new(BasicCredential),
        Box::new(AwsAccessKeyId),
        Box::new(AwsSecretKey),
        Box::new(GithubToken),
        Box::new(GitlabToken::default()),
        Box::new(SlackToken::default()),
        Box::new(StripeKey),
        Box::new(GoogleApiKey::default()),
        Box::new(TwilioKey),
        Box::new(SendgridKey::default()),
        Box::new(NpmToken::default()),
        Box::new(PemPrivateKey::default()),
        Box::new(HighEntropySecret::default()),
    ]
}
