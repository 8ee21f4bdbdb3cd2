//! The redaction worker's state: the files handed to it, the compiled policy, and what each
//! request does. Pure (no browser calls), so the worker's behaviour is tested natively and the
//! bytes it writes are exactly those of `tapedeck redact` (same `Redactor::redact`).

use std::collections::HashMap;

use tapedeck_core::archive;
use tapedeck_core::format::{MAX_INFLATED_BYTES, gzip};
use tapedeck_core::redact::detect::DetectorId;
use tapedeck_core::redact::{Policy, Redactor, RedactorBuilder, policy_edit};

use super::findings::{allowable_value, views};
use super::protocol::{DetectorState, FileMeta, FileReport, PolicyEdit, Response};

/// One file the page handed over.
struct Stored {
    name: String,
    input: Vec<u8>,
    /// The redacted bytes of the last run, when they differ from the input.
    output: Option<Vec<u8>>,
}

/// Everything the worker holds.
#[derive(Default)]
pub struct Session {
    redactor: Option<Redactor>,
    files: HashMap<u32, Stored>,
}

impl Session {
    /// Compiles a policy and key; on error the previous policy is dropped (a run then fails
    /// loudly rather than using a policy the person no longer sees).
    pub fn configure(&mut self, policy_text: &str, key: &str) -> Response {
        self.redactor = None;
        let policy = match Policy::from_toml(policy_text) {
            Ok(p) => p,
            Err(e) => {
                return Response::Configured {
                    error: Some(e.to_string()),
                    detectors: Vec::new(),
                };
            }
        };
        let detectors = DetectorId::ALL
            .iter()
            .map(|d| DetectorState {
                name: d.name().to_owned(),
                label: d.label().to_owned(),
                enabled: policy_edit::detector_enabled(&policy, d.name()),
            })
            .collect();
        let mut builder = RedactorBuilder::new().with_policy(policy);
        if !key.is_empty() {
            builder = builder.with_key(key.as_bytes().to_vec());
        }
        match builder.build() {
            Ok(redactor) => {
                self.redactor = Some(redactor);
                Response::Configured {
                    error: None,
                    detectors,
                }
            }
            Err(e) => Response::Configured {
                error: Some(e.to_string()),
                detectors: Vec::new(),
            },
        }
    }

    /// Keeps files for later runs (replacing any of the same id).
    pub fn add(&mut self, files: Vec<FileMeta>, buffers: Vec<Vec<u8>>) {
        for (meta, input) in files.into_iter().zip(buffers) {
            self.files.insert(
                meta.id,
                Stored {
                    name: meta.name,
                    input,
                    output: None,
                },
            );
        }
    }

    /// Redacts the files `ids` with the current policy. `now` reads a clock in milliseconds,
    /// to report the engine's own time.
    pub fn run(&mut self, run: u32, ids: &[u32], now: &dyn Fn() -> f64) -> Response {
        let Some(redactor) = &self.redactor else {
            return Response::failed("run", "no valid policy");
        };
        let mut reports = Vec::with_capacity(ids.len());
        let mut bytes = 0u64;
        let mut engine_ms = 0.0;
        for &id in ids {
            let Some(file) = self.files.get_mut(&id) else {
                reports.push(FileReport {
                    id,
                    error: Some(String::from("the file was not handed to the worker")),
                    changed: false,
                    findings: 0,
                });
                continue;
            };
            let started = now();
            let result = redactor.redact(&file.input);
            engine_ms += now() - started;
            match result {
                Ok(redaction) => {
                    bytes += inflated_len(&file.input);
                    let changed = redaction.changed();
                    let findings = u32::try_from(redaction.findings.len()).unwrap_or(u32::MAX);
                    file.output = changed.then_some(redaction.output);
                    reports.push(FileReport {
                        id,
                        error: None,
                        changed,
                        findings,
                    });
                }
                Err(e) => {
                    file.output = None;
                    reports.push(FileReport {
                        id,
                        error: Some(e.to_string()),
                        changed: false,
                        findings: 0,
                    });
                }
            }
        }
        Response::Ran {
            run,
            reports,
            bytes,
            engine_ms,
        }
    }

    /// One file's findings as the page shows them (masked previews, tokens), redacting it
    /// again: the same policy gives the same findings in the same order as the run reported.
    pub fn findings(&self, run: u32, id: u32) -> Response {
        let Some(redactor) = &self.redactor else {
            return Response::failed("findings", "no valid policy");
        };
        let Some(file) = self.files.get(&id) else {
            return Response::failed("findings", "unknown file");
        };
        match redactor.redact(&file.input) {
            Ok(redaction) => Response::Findings {
                run,
                id,
                findings: views(
                    &plain_text(&file.input),
                    &redaction.findings.to_vec(),
                    &redaction.edits,
                ),
            },
            Err(e) => Response::failed("findings", &e.to_string()),
        }
    }

    /// The bytes to download for one file: redacted, or the input when nothing changed.
    pub fn output(&self, id: u32) -> Option<(&str, &[u8])> {
        let file = self.files.get(&id)?;
        Some((
            file.name.as_str(),
            file.output.as_deref().unwrap_or(&file.input),
        ))
    }

    /// A `.zip` of the files `ids` (redacted where the last run changed them), under their
    /// paths as loaded.
    pub fn zip(&self, ids: &[u32]) -> Result<Vec<u8>, String> {
        let mut entries = Vec::with_capacity(ids.len());
        for id in ids {
            let (name, bytes) = self
                .output(*id)
                .ok_or_else(|| String::from("a file was not handed to the worker"))?;
            entries.push((zip_path(name), bytes));
        }
        archive::write_zip(entries.iter().map(|(n, b)| (n.as_str(), *b))).map_err(|e| e.to_string())
    }

    /// Applies an edit to the policy text; the page then configures the new text.
    pub fn edit_policy(&self, policy: &str, edit: &PolicyEdit) -> Response {
        let result = match edit {
            PolicyEdit::Detector { name, enabled } => {
                policy_edit::set_detector_enabled(policy, name, *enabled).map_err(|e| e.to_string())
            }
            PolicyEdit::AllowFinding { id, finding } => {
                self.finding_value(*id, *finding).and_then(|value| {
                    policy_edit::allow_value(policy, &value).map_err(|e| e.to_string())
                })
            }
        };
        match result {
            Ok(text) => Response::PolicyEdited {
                policy: Some(text),
                error: None,
            },
            Err(error) => Response::PolicyEdited {
                policy: None,
                error: Some(error),
            },
        }
    }

    /// The matched value of one finding of one file, redacting the file again to find it.
    fn finding_value(&self, id: u32, index: u32) -> Result<String, String> {
        let redactor = self.redactor.as_ref().ok_or("no valid policy")?;
        let file = self.files.get(&id).ok_or("unknown file")?;
        let redaction = redactor.redact(&file.input).map_err(|e| e.to_string())?;
        let text = plain_text(&file.input);
        let i = usize::try_from(index).map_err(|_| "no such finding")?;
        if i >= redaction.findings.len() {
            return Err(String::from("no such finding"));
        }
        allowable_value(&text, &redaction.findings.to_vec(), &redaction.edits, i)
            .ok_or_else(|| String::from("this finding cannot be allowed by value"))
    }
}

/// The text the engine's spans refer to: the input, inflated when it is gzip.
fn plain_text(input: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if gzip::is_gzip(input) {
        gzip::inflate(input, MAX_INFLATED_BYTES)
            .map_or(std::borrow::Cow::Borrowed(&[][..]), std::borrow::Cow::Owned)
    } else {
        std::borrow::Cow::Borrowed(input)
    }
}

/// The size the engine reads: the inflated size of gzip input (from its trailer, which holds it
/// modulo 4 GiB), the length otherwise.
fn inflated_len(input: &[u8]) -> u64 {
    if gzip::is_gzip(input)
        && let Some(tail) = input.len().checked_sub(4).and_then(|at| input.get(at..))
        && let Ok(size) = <[u8; 4]>::try_from(tail)
    {
        u64::from(u32::from_le_bytes(size))
    } else {
        input.len() as u64
    }
}

/// A loaded name as a path inside the download `.zip`: an archive's entries go under a folder
/// named after it (`x.zip/a.json` → `x/a.json`); no leading slash.
pub fn zip_path(name: &str) -> String {
    name.trim_start_matches('/')
        .split('/')
        .map(|seg| {
            match seg
                .len()
                .checked_sub(4)
                .and_then(|cut| seg.split_at_checked(cut))
            {
                Some((stem, ext)) if !stem.is_empty() && ext.eq_ignore_ascii_case(".zip") => stem,
                _ => seg,
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use tapedeck_core::redact::DEFAULT_POLICY;

    use super::*;
    use crate::redaction::protocol::FindingView;

    const CASSETTE: &str = r#"{
  "schema_version": "1.0",
  "session": {"id": "s", "recorded_at": "2026-11-30T07:25:12+00:00"},
  "request": {"method": "GET", "path": "/x"},
  "response": {"status": 200, "duration_ms": 1.0, "body": {"_captured": true, "encoding": "json",
    "data": {"notes": "mail bob.smith@example.org, ip 10.20.30.40", "page": 2}}},
  "events": []
}"#;

    fn session(policy: &str, files: &[(u32, &str, Vec<u8>)]) -> Session {
        let mut s = Session::default();
        let configured = s.configure(policy, "");
        assert!(
            matches!(&configured, Response::Configured { error: None, detectors } if detectors.len() == DetectorId::ALL.len()),
            "{configured:?}"
        );
        s.add(
            files
                .iter()
                .map(|(id, name, _)| FileMeta {
                    id: *id,
                    name: (*name).to_owned(),
                })
                .collect(),
            files.iter().map(|(_, _, b)| b.clone()).collect(),
        );
        s
    }

    fn details(s: &Session, id: u32) -> Vec<FindingView> {
        match s.findings(1, id) {
            Response::Findings { findings, .. } => findings,
            other => panic!("{other:?}"),
        }
    }

    fn reports(s: &mut Session, ids: &[u32]) -> Vec<FileReport> {
        match s.run(1, ids, &|| 0.0) {
            Response::Ran { reports, .. } => reports,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn findings_show_masked_previews_and_the_tokens_that_replace_them() {
        let mut s = session(
            DEFAULT_POLICY,
            &[(7, "a/x.json", CASSETTE.as_bytes().to_vec())],
        );
        let report = reports(&mut s, &[7]).remove(0);
        assert!(report.changed);
        let findings = details(&s, 7);
        assert_eq!(report.findings as usize, findings.len());
        let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules.get(..2), Some(&["email", "ipv4"][..]), "{rules:?}");
        let email = &findings[0];
        assert_eq!(email.rule, "email");
        assert_eq!(email.before, "b\u{2026}g (21 chars)");
        assert_eq!(email.after, "[REDACTED:EMAIL]");
        assert!(email.allowable);
        let ip = &findings[1];
        assert_eq!(
            (ip.rule.as_str(), ip.before.as_str()),
            ("ipv4", "1\u{2026}0 (11 chars)")
        );
        for f in &findings {
            assert!(!f.before.contains("bob.smith") && !f.before.contains("10.20.30.40"));
        }
        // The download is exactly what the engine wrote.
        let expected = RedactorBuilder::new()
            .build()
            .unwrap()
            .redact(CASSETTE.as_bytes())
            .unwrap()
            .output;
        assert_eq!(s.output(7).unwrap(), ("a/x.json", expected.as_slice()));
    }

    #[test]
    fn allowing_a_finding_adds_its_value_and_the_next_run_keeps_it() {
        let mut s = session(
            DEFAULT_POLICY,
            &[(1, "x.json", CASSETTE.as_bytes().to_vec())],
        );
        reports(&mut s, &[1]);
        let Response::PolicyEdited {
            policy: Some(policy),
            error: None,
        } = s.edit_policy(
            DEFAULT_POLICY,
            &PolicyEdit::AllowFinding { id: 1, finding: 0 },
        )
        else {
            panic!("the edit failed");
        };
        assert!(policy.contains("\"bob.smith@example.org\""));
        s.configure(&policy, "");
        reports(&mut s, &[1]);
        assert!(details(&s, 1).iter().all(|f| f.rule != "email"));
        let (_, out) = s.output(1).unwrap();
        let out = String::from_utf8(out.to_vec()).unwrap();
        assert!(out.contains("bob.smith@example.org") && !out.contains("10.20.30.40"));
    }

    #[test]
    fn a_detector_switched_off_stops_finding() {
        let s = session(DEFAULT_POLICY, &[]);
        let Response::PolicyEdited {
            policy: Some(policy),
            ..
        } = s.edit_policy(
            DEFAULT_POLICY,
            &PolicyEdit::Detector {
                name: String::from("ipv4"),
                enabled: false,
            },
        )
        else {
            panic!("the edit failed");
        };
        let mut s = session(&policy, &[(1, "x.json", CASSETTE.as_bytes().to_vec())]);
        reports(&mut s, &[1]);
        let findings = details(&s, 1);
        assert!(findings.iter().all(|f| f.rule != "ipv4"));
        assert!(findings.iter().any(|f| f.rule == "email"));
        match s.configure(&policy, "") {
            Response::Configured { detectors, .. } => {
                assert!(detectors.iter().any(|d| d.name == "ipv4" && !d.enabled));
                assert!(detectors.iter().any(|d| d.name == "email" && d.enabled));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_bad_policy_is_reported_and_runs_fail_until_fixed() {
        let mut s = Session::default();
        match s.configure("version = 1\n[detectors]\nemail = \"explode\"\n", "") {
            Response::Configured { error: Some(e), .. } => assert!(e.contains("email"), "{e}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(s.run(1, &[], &|| 0.0), Response::Failed { .. }));
    }

    #[test]
    fn gzip_stays_gzip_and_clean_files_come_back_untouched() {
        let packed = gzip::deflate(CASSETTE.as_bytes());
        let clean = br#"{"schema_version": "1.0", "session": {"id": "s", "recorded_at": "2026-11-30T07:25:12+00:00"}, "request": {"method": "GET", "path": "/x"}, "response": {"status": 200, "duration_ms": 1.0}, "events": []}"#;
        let mut s = session(
            DEFAULT_POLICY,
            &[(1, "x.json.gz", packed), (2, "clean.json", clean.to_vec())],
        );
        let r = reports(&mut s, &[1, 2]);
        assert!(r[0].changed && !r[1].changed && r[1].findings == 0);
        let (_, out) = s.output(1).unwrap();
        assert!(gzip::is_gzip(out));
        assert_eq!(s.output(2).unwrap().1, clean);
        let zip = s.zip(&[1, 2]).unwrap();
        let entries: Vec<_> = archive::zip_entries(&zip, 1 << 20)
            .unwrap()
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(entries[0].name, "x.json.gz");
        assert_eq!(entries[0].bytes, out);
        assert_eq!(entries[1].bytes, clean);
    }

    #[test]
    fn zip_paths_keep_folders_and_unwrap_archives() {
        assert_eq!(zip_path("pii/2026-11-30/a.json"), "pii/2026-11-30/a.json");
        assert_eq!(zip_path("/x.json"), "x.json");
        assert_eq!(zip_path("bundle.zip/day/a.json"), "bundle/day/a.json");
    }
}
