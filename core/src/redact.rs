//! Redaction: make cassettes safe to share without destroying what makes them useful.
//!
//! [`RedactorBuilder`] compiles a [`Policy`] (one TOML file, [`DEFAULT_POLICY`] by default) and
//! an optional key into a [`Redactor`]. [`Redactor::redact`] returns the redacted bytes, the
//! [`Edits`] made and a [`Finding`] per change; [`Redactor::scan`] returns the findings only.
//!
//! Surgical: the output is the input with only the redacted spans replaced ([`Edits::apply`]),
//! so a diff shows only the redactions and the result is a cassette of the same shape.
//! Idempotent: every replacement is a token no rule acts on again. Pure: no I/O, no clock, no
//! randomness (pseudonyms are keyed HMACs), so the browser runs the same code.
//!
//! Where Timetracer's own redaction falls short (substring key matching, whole-string
//! detectors without validators, no redaction of dependency traffic, query strings, URL
//! userinfo or custom auth headers), this module covers every scope a secret can sit in; see
//! `docs/redaction-policy.md`.

mod deferred_hash;
pub mod detect;
pub mod edits;
mod engine;
mod json_path;
pub mod keywords;
pub mod labelled;
pub mod operators;
pub mod policy;
pub mod policy_edit;
pub mod report;
mod text;
mod walk;

pub use edits::{Edit, Edits, EditsIter};
pub use engine::{RedactError, Redactor, RedactorBuilder};
pub use operators::{Operator, preview};
pub use policy::{DEFAULT_POLICY, Policy, PolicyError};
pub use report::{Finding, Findings, FindingsIter, Redaction};
