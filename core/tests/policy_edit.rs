//! Editing a policy's text: the intended lines change, every other byte stays, and the parsed
//! policy changes in exactly the intended way; what a line scanner cannot edit safely is an
//! error asking for a hand edit.

use proptest::prelude::*;
use tapedeck_core::redact::detect::DetectorId;
use tapedeck_core::redact::policy::{DetectorSetting, DetectorTable};
use tapedeck_core::redact::policy_edit::{allow_value, detector_enabled, set_detector_enabled};
use tapedeck_core::redact::{DEFAULT_POLICY, Policy, PolicyError};

/// The lines that differ once the common first and last lines are set aside:
/// (removed, added).
fn changed_lines<'a>(before: &'a str, after: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    (
        old[head..old.len() - tail].to_vec(),
        new[head..new.len() - tail].to_vec(),
    )
}

#[expect(
    clippy::unwrap_used,
    reason = "test helper: a failure is a test failure"
)]
fn parsed(text: &str) -> Policy {
    Policy::from_toml(text).unwrap()
}

#[expect(
    clippy::unwrap_used,
    reason = "test helper: a failure is a test failure"
)]
fn assert_hand_edit(result: Result<String, PolicyError>, rule: &str) {
    let err = result.unwrap_err();
    assert_eq!(err.rule, rule);
    assert!(err.reason.contains("edit it by hand"), "{err}");
}

// -------------------------------------------------------------------------------------------
// Detectors

#[test]
fn turning_a_detector_off_in_the_default_policy_adds_one_line_after_the_header() {
    let edited = set_detector_enabled(DEFAULT_POLICY, "email", false).unwrap();
    assert_eq!(
        changed_lines(DEFAULT_POLICY, &edited),
        (vec![], vec!["email = false\n"])
    );
    assert!(edited.contains("[detectors]\nemail = false\n# email = \"hmac\"\n"));
    let policy = parsed(&edited);
    assert!(!detector_enabled(&policy, "email"));
    let mut expected = Policy::default();
    expected
        .detectors
        .insert(String::from("email"), DetectorSetting::Enabled(false));
    assert_eq!(policy, expected);
}

#[test]
fn turning_it_back_on_rewrites_the_same_line() {
    let off = set_detector_enabled(DEFAULT_POLICY, "email", false).unwrap();
    let on = set_detector_enabled(&off, "email", true).unwrap();
    assert_eq!(
        changed_lines(&off, &on),
        (vec!["email = false\n"], vec!["email = true\n"])
    );
    assert!(detector_enabled(&parsed(&on), "email"));
}

#[test]
fn every_detector_turns_off_and_on_alone() {
    let mut all_off = String::from(DEFAULT_POLICY);
    for id in DetectorId::ALL {
        let name = id.name();
        let off = set_detector_enabled(DEFAULT_POLICY, name, false).unwrap();
        let policy = parsed(&off);
        for other in DetectorId::ALL {
            assert_eq!(
                detector_enabled(&policy, other.name()),
                other != id,
                "{name}"
            );
        }
        all_off = set_detector_enabled(&all_off, name, false).unwrap();
    }
    let policy = parsed(&all_off);
    assert!(
        DetectorId::ALL
            .iter()
            .all(|id| !detector_enabled(&policy, id.name()))
    );
    let (removed, added) = changed_lines(DEFAULT_POLICY, &all_off);
    assert!(removed.is_empty());
    assert_eq!(added.len(), DetectorId::ALL.len());
}

#[test]
fn keeps_the_operator_and_the_comment_when_turning_off_and_on() {
    let text = "[detectors]\nemail   =   \"hmac\"   # pseudonyms\nphone = false\n";
    let off = set_detector_enabled(text, "email", false).unwrap();
    assert_eq!(
        off,
        "[detectors]\nemail   =   { enabled = false, operator = \"hmac\" }   # pseudonyms\nphone = false\n"
    );
    assert_eq!(
        parsed(&off).detectors.get("email"),
        Some(&DetectorSetting::Table(DetectorTable {
            enabled: false,
            operator: Some(String::from("hmac"))
        }))
    );
    let on = set_detector_enabled(&off, "email", true).unwrap();
    assert_eq!(on, text);
}

#[test]
fn long_forms_become_the_shortest_spelling() {
    let text = "[detectors]\nssn = { enabled = true }\niban = { enabled = false }\n";
    let edited = set_detector_enabled(text, "ssn", false).unwrap();
    assert_eq!(
        edited,
        "[detectors]\nssn = false\niban = { enabled = false }\n"
    );
    let edited = set_detector_enabled(&edited, "iban", true).unwrap();
    assert_eq!(edited, "[detectors]\nssn = false\niban = true\n");
    let text = "[detectors]\nssn = { operator = \"keep_last:4\" }\n";
    assert_eq!(
        set_detector_enabled(text, "ssn", false).unwrap(),
        "[detectors]\nssn = { enabled = false, operator = \"keep_last:4\" }\n"
    );
}

#[test]
fn a_detector_already_in_that_state_leaves_the_text_alone() {
    assert_eq!(
        set_detector_enabled(DEFAULT_POLICY, "jwt", true).unwrap(),
        DEFAULT_POLICY
    );
    let text = "[detectors]\nemail = \"hmac\"  # on\nphone = false\n";
    assert_eq!(set_detector_enabled(text, "email", true).unwrap(), text);
    assert_eq!(set_detector_enabled(text, "phone", false).unwrap(), text);
}

#[test]
fn commented_lines_and_other_tables_are_left_alone() {
    let text = "\
# email = \"hmac\"
[[patterns]]
name = \"email\"
regex = '''
[detectors]
email = \"hmac\"
'''

[detectors]
  # email = false
  \"ipv4\" = false # quoted key
";
    let edited = set_detector_enabled(text, "email", false).unwrap();
    assert_eq!(
        changed_lines(text, &edited),
        (vec![], vec!["email = false\n"])
    );
    assert!(edited.ends_with(
        "[detectors]\nemail = false\n  # email = false\n  \"ipv4\" = false # quoted key\n"
    ));
    let edited = set_detector_enabled(&edited, "ipv4", true).unwrap();
    assert!(edited.ends_with("  \"ipv4\" = true # quoted key\n"));
}

#[test]
fn appends_a_detectors_table_when_there_is_none() {
    assert_eq!(
        set_detector_enabled("", "phone", false).unwrap(),
        "[detectors]\nphone = false\n"
    );
    assert_eq!(
        set_detector_enabled("version = 1", "phone", false).unwrap(),
        "version = 1\n\n[detectors]\nphone = false\n"
    );
    assert_eq!(
        set_detector_enabled("version = 1\n\n", "phone", false).unwrap(),
        "version = 1\n\n[detectors]\nphone = false\n"
    );
    assert_eq!(
        set_detector_enabled("[detectors]", "phone", false).unwrap(),
        "[detectors]\nphone = false"
    );
}

#[test]
fn keeps_crlf_line_endings() {
    let text = DEFAULT_POLICY.replace('\n', "\r\n");
    let edited = set_detector_enabled(&text, "iban", false).unwrap();
    assert_eq!(
        changed_lines(&text, &edited),
        (vec![], vec!["iban = false\r\n"])
    );
    let edited = allow_value(&edited, "x").unwrap();
    assert!(edited.contains("\r\nvalues = [\"x\"]\r\n"));
}

#[test]
fn dotted_keys_and_sub_tables_need_a_hand_edit() {
    for text in [
        "detectors.email = \"hmac\"\n",
        "detectors = { email = \"hmac\" }\n",
        "[detectors.email]\noperator = \"hmac\"\n",
        "[detectors]\nemail.operator = \"hmac\"\n",
        "[detectors]\n\"em\\u0061il\" = \"hmac\"\n",
    ] {
        assert!(detector_enabled(&parsed(text), "email"), "{text}");
        assert_hand_edit(
            set_detector_enabled(text, "email", false),
            "detectors.email",
        );
    }
}

#[test]
fn an_unknown_detector_is_named() {
    let err = set_detector_enabled(DEFAULT_POLICY, "emial", false).unwrap_err();
    assert_eq!(err.rule, "detectors.emial");
    assert_eq!(
        err.to_string(),
        "policy rule `detectors.emial`: unknown detector"
    );
}

#[test]
fn a_policy_that_does_not_parse_reports_why() {
    let err = set_detector_enabled("[detectors\n", "email", false).unwrap_err();
    assert_eq!(err.rule, "toml");
    let err = allow_value("version = 2\n", "x").unwrap_err();
    assert_eq!(err.rule, "version");
}

#[test]
fn detector_enabled_reads_every_spelling() {
    let policy = parsed(
        "[detectors]\nemail = \"hmac\"\nphone = false\nssn = { operator = \"mask\" }\n\
         iban = { enabled = false, operator = \"hmac\" }\nipv4 = true\n",
    );
    let states: Vec<bool> = ["email", "phone", "ssn", "iban", "ipv4", "jwt"]
        .iter()
        .map(|name| detector_enabled(&policy, name))
        .collect();
    assert_eq!(states, [true, false, true, false, true, true]);
}

// -------------------------------------------------------------------------------------------
// Allowed values

#[test]
fn allowing_a_value_in_the_default_policy_changes_one_line() {
    let edited = allow_value(DEFAULT_POLICY, "test@example.com").unwrap();
    assert_eq!(
        changed_lines(DEFAULT_POLICY, &edited),
        (
            vec!["values = []\n"],
            vec!["values = [\"test@example.com\"]\n"]
        )
    );
    let mut expected = Policy::default();
    expected.allow.values.push(String::from("test@example.com"));
    assert_eq!(parsed(&edited), expected);
    let again = allow_value(&edited, "second").unwrap();
    assert_eq!(
        changed_lines(&edited, &again),
        (
            vec!["values = [\"test@example.com\"]\n"],
            vec!["values = [\"test@example.com\", \"second\"]\n"]
        )
    );
}

#[test]
fn appends_to_inline_arrays_in_their_style() {
    let cases = [
        ("values = [ ]  # none", "values = [\"v\"]  # none"),
        (
            "values = ['a', \"b\"] # c",
            "values = ['a', \"b\", \"v\"] # c",
        ),
        ("values = [\"a\",]", "values = [\"a\", \"v\",]"),
        (
            "values = [\n  \"a\",\n  \"b\"]",
            "values = [\n  \"a\",\n  \"b\", \"v\"]",
        ),
    ];
    for (before, after) in cases {
        let text = format!("[allow]\n{before}\nkeys = []\n");
        let expected = format!("[allow]\n{after}\nkeys = []\n");
        assert_eq!(allow_value(&text, "v").unwrap(), expected, "{before}");
    }
}

#[test]
fn appends_to_multi_line_arrays_one_value_per_line() {
    let text =
        "[allow]\nvalues = [\n    \"a\", # first\n    # a comment\n    \"b\",   # second\n]\n";
    assert_eq!(
        allow_value(text, "v").unwrap(),
        "[allow]\nvalues = [\n    \"a\", # first\n    # a comment\n    \"b\",   # second\n    \"v\",\n]\n"
    );
    let text = "[allow]\nvalues = [\n  \"a\",\n  \"b\" # no comma\n]\n";
    assert_eq!(
        allow_value(text, "v").unwrap(),
        "[allow]\nvalues = [\n  \"a\",\n  \"b\", # no comma\n  \"v\"\n]\n"
    );
    let text = "[allow]\nvalues = [\n  # none yet\n]\n";
    assert_eq!(
        allow_value(text, "v").unwrap(),
        "[allow]\nvalues = [\n  # none yet\n    \"v\",\n]\n"
    );
}

#[test]
fn inserts_the_key_or_the_table_when_missing() {
    let text = "[allow] # allowed\nkeys = [\"host\"]\n";
    assert_eq!(
        allow_value(text, "v").unwrap(),
        "[allow] # allowed\nvalues = [\"v\"]\nkeys = [\"host\"]\n"
    );
    let text = "version = 1\n[hashes]\nbody_hash = \"keep\"\n";
    assert_eq!(
        allow_value(text, "v").unwrap(),
        format!("{text}\n[allow]\nvalues = [\"v\"]\n")
    );
}

#[test]
fn an_allowed_value_is_not_added_twice() {
    let text = "[allow]\nvalues = [\"a\\u0062\"]\n";
    assert_eq!(allow_value(text, "ab").unwrap(), text);
}

#[test]
fn values_are_escaped_as_toml_basic_strings() {
    let value = "q\"uote \\back\nline\ttab\r\u{1}\u{7f} é 日本 😀";
    let edited = allow_value(DEFAULT_POLICY, value).unwrap();
    assert!(
        edited.contains(
            "values = [\"q\\\"uote \\\\back\\nline\\ttab\\r\\u0001\\u007F é 日本 😀\"]\n"
        )
    );
    assert_eq!(parsed(&edited).allow.values, [value]);
}

#[test]
fn inline_and_dotted_allow_tables_need_a_hand_edit() {
    for text in [
        "allow.values = [\"a\"]\n",
        "allow = { values = [] }\n",
        "[allow]\n\"v\\u0061lues\" = [\"a\"]\n",
    ] {
        assert_hand_edit(allow_value(text, "v"), "allow.values");
    }
}

#[test]
fn errors_never_quote_the_value() {
    let err = allow_value("allow.values = []\n", "s3cr3t-value").unwrap_err();
    assert!(!err.to_string().contains("s3cr3t"), "{err}");
}

// -------------------------------------------------------------------------------------------
// Properties

fn policy_texts() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::from(DEFAULT_POLICY)),
        Just(DEFAULT_POLICY.replace('\n', "\r\n")),
        Just(String::new()),
        Just(String::from("[allow]\nvalues = [\n  \"a\", # x\n]\n")),
        Just(String::from(
            "[allow]\nvalues = ['a', '''b''']\n[detectors]\nemail = \"hmac\"\n"
        )),
    ]
}

/// Text built from TOML's punctuation, to reach the scanner's corners.
fn toml_like() -> impl Strategy<Value = String> {
    "[\\[\\]{}=,.#'\"\\\\ \t\r\na-z0-9]{0,80}"
}

proptest! {
    #[test]
    fn any_value_round_trips_through_the_parsed_policy(text in policy_texts(), value in any::<String>()) {
        let edited = allow_value(&text, &value).unwrap();
        let mut expected = parsed(&text);
        if !expected.allow.values.contains(&value) {
            expected.allow.values.push(value);
        }
        prop_assert_eq!(parsed(&edited), expected);
    }

    #[test]
    fn any_text_gives_a_result_not_a_panic(
        prefix in toml_like(),
        middle in prop_oneof![Just("[detectors]\n"), Just("[allow]\nvalues = [\n"), Just("")],
        suffix in toml_like(),
        value in any::<String>(),
        detector in prop::sample::select(DetectorId::ALL.to_vec()),
        enabled in any::<bool>(),
    ) {
        let text = format!("{prefix}{middle}{suffix}");
        if let Ok(edited) = allow_value(&text, &value) {
            prop_assert!(parsed(&edited).allow.values.contains(&value));
        }
        if let Ok(edited) = set_detector_enabled(&text, detector.name(), enabled) {
            prop_assert_eq!(detector_enabled(&parsed(&edited), detector.name()), enabled);
        }
    }
}
