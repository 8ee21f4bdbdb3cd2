//! The page's side of redaction: the policy being applied, the run in progress and what each
//! file's report said. A [`Reducible`], changed only through [`RedactAction`]s and tested
//! natively like the viewer's own state.

use std::collections::HashMap;
use std::rc::Rc;

use tapedeck_core::redact::DEFAULT_POLICY;
use yew::Reducible;

use super::protocol::{DetectorState, FileReport, FindingView};
use crate::state::Row;

/// One file of a run: the page's id for it (its first row's id) and its path as loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedactFile {
    pub id: u32,
    pub name: Rc<str>,
}

/// What the table shows for a file once a run has seen it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileStatus {
    Clean,
    Findings(usize),
    Failed,
}

impl FileStatus {
    fn of(report: &FileReport) -> FileStatus {
        if report.error.is_some() {
            FileStatus::Failed
        } else if report.findings == 0 {
            FileStatus::Clean
        } else {
            FileStatus::Findings(report.findings as usize)
        }
    }
}

/// Everything the Redact view shows.
#[derive(Clone, Debug, PartialEq)]
pub struct RedactState {
    /// The policy text in force (the editor may hold a draft).
    pub policy: Rc<str>,
    /// The pseudonym key, in this page's memory only (never in the URL or storage).
    pub key: Rc<str>,
    /// Why the policy in force does not compile.
    pub policy_error: Option<String>,
    pub detectors: Rc<Vec<DetectorState>>,
    /// Number of the current run (answers of older runs are ignored).
    pub run: u32,
    /// The policy text the current run uses.
    pub run_policy: Rc<str>,
    pub files: Rc<Vec<RedactFile>>,
    /// Each file's path by id, for the reports as they come.
    names: Rc<HashMap<u32, Rc<str>>>,
    pub reports: Rc<HashMap<u32, Rc<FileReport>>>,
    /// Each loaded file's status, by its path as loaded (for the cassette table).
    pub statuses: Rc<HashMap<Rc<str>, FileStatus>>,
    /// Bytes the engine read and milliseconds it took, over the current run.
    pub bytes: u64,
    pub engine_ms: f64,
    /// Wall-clock start and end of the current run (page milliseconds).
    pub started_ms: f64,
    pub finished_ms: Option<f64>,
    /// The file whose findings are unfolded, and those findings once the worker sent them
    /// (for the current run).
    pub expanded: Option<u32>,
    pub details: Option<(u32, Rc<Vec<FindingView>>)>,
    /// A message for the person (a failed download, an edit that could not be made).
    pub notice: Option<String>,
}

impl Default for RedactState {
    fn default() -> Self {
        RedactState {
            policy: Rc::from(DEFAULT_POLICY),
            key: Rc::from(""),
            policy_error: None,
            detectors: Rc::default(),
            run: 0,
            run_policy: Rc::from(""),
            files: Rc::default(),
            names: Rc::default(),
            reports: Rc::default(),
            statuses: Rc::default(),
            bytes: 0,
            engine_ms: 0.0,
            started_ms: 0.0,
            finished_ms: None,
            expanded: None,
            details: None,
            notice: None,
        }
    }
}

/// Everything that changes the Redact view.
#[derive(Debug)]
pub enum RedactAction {
    /// A new policy text is in force (applied from the editor, imported, or edited by a switch
    /// or "allow this").
    SetPolicy(String),
    SetKey(String),
    /// The worker compiled the policy (or said why it could not).
    Configured {
        error: Option<String>,
        detectors: Vec<DetectorState>,
    },
    /// A run over these files began.
    Started {
        run: u32,
        policy: Rc<str>,
        files: Vec<RedactFile>,
        at_ms: f64,
    },
    /// Reports of some files of run `run`.
    Reports {
        run: u32,
        reports: Vec<FileReport>,
        bytes: u64,
        engine_ms: f64,
        at_ms: f64,
    },
    Expand(Option<u32>),
    /// The findings of one file, for run `run`.
    Details {
        run: u32,
        id: u32,
        findings: Vec<FindingView>,
    },
    Notice(Option<String>),
}

impl RedactState {
    /// Applies one action.
    pub fn apply(&mut self, action: RedactAction) {
        match action {
            RedactAction::SetPolicy(text) => {
                self.policy = Rc::from(text);
                self.notice = None;
            }
            RedactAction::SetKey(key) => self.key = Rc::from(key),
            RedactAction::Configured { error, detectors } => {
                self.policy_error = error;
                if !detectors.is_empty() {
                    self.detectors = Rc::new(detectors);
                }
            }
            RedactAction::Started {
                run,
                policy,
                files,
                at_ms,
            } => {
                self.run = run;
                self.run_policy = policy;
                self.details = None;
                self.names = Rc::new(files.iter().map(|f| (f.id, Rc::clone(&f.name))).collect());
                self.files = Rc::new(files);
                self.reports = Rc::default();
                self.bytes = 0;
                self.engine_ms = 0.0;
                self.started_ms = at_ms;
                self.finished_ms = self.files.is_empty().then_some(at_ms);
            }
            RedactAction::Reports {
                run,
                reports,
                bytes,
                engine_ms,
                at_ms,
            } => {
                if run != self.run {
                    return;
                }
                let by_id = Rc::make_mut(&mut self.reports);
                let statuses = Rc::make_mut(&mut self.statuses);
                for report in reports {
                    if let Some(name) = self.names.get(&report.id) {
                        statuses.insert(Rc::clone(name), FileStatus::of(&report));
                    }
                    by_id.insert(report.id, Rc::new(report));
                }
                self.bytes += bytes;
                self.engine_ms += engine_ms;
                if self.reports.len() >= self.files.len() {
                    self.finished_ms = Some(at_ms);
                }
            }
            RedactAction::Expand(id) => {
                self.expanded = id;
                self.details = None;
            }
            RedactAction::Details { run, id, findings } => {
                if run == self.run && self.expanded == Some(id) {
                    self.details = Some((id, Rc::new(findings)));
                }
            }
            RedactAction::Notice(text) => self.notice = text,
        }
    }

    /// Whether a run is under way.
    pub fn running(&self) -> bool {
        self.finished_ms.is_none() && !self.files.is_empty()
    }

    /// Files done in the current run.
    pub fn done(&self) -> usize {
        self.reports.len()
    }

    /// Findings over the files done.
    pub fn findings(&self) -> usize {
        self.reports.values().map(|r| r.findings as usize).sum()
    }

    /// Engine throughput over the current run, in MB/s (10^6 bytes).
    pub fn engine_mb_per_s(&self) -> Option<f64> {
        #[expect(clippy::cast_precision_loss, reason = "byte counts far below 2^52")]
        let bytes = self.bytes as f64;
        (self.engine_ms > 0.0).then(|| bytes / 1000.0 / self.engine_ms)
    }
}

impl Reducible for RedactState {
    type Action = RedactAction;

    fn reduce(self: Rc<Self>, action: RedactAction) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// The files behind a set of rows, once each (a HAR file has a row per exchange): the first
/// row's id names the file. In the rows' order.
pub fn files_of<'a>(rows: impl Iterator<Item = &'a Rc<Row>>) -> Vec<RedactFile> {
    let mut seen = std::collections::HashSet::new();
    rows.filter(|row| seen.insert(Rc::clone(&row.source)))
        .map(|row| RedactFile {
            id: row.id,
            name: Rc::clone(&row.source),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(id: u32, findings: u32) -> FileReport {
        FileReport {
            id,
            error: None,
            changed: findings > 0,
            findings,
        }
    }

    fn files(n: u32) -> Vec<RedactFile> {
        (0..n)
            .map(|id| RedactFile {
                id,
                name: Rc::from(format!("f{id}.json")),
            })
            .collect()
    }

    #[test]
    fn a_run_counts_progress_findings_and_statuses() {
        let mut s = RedactState::default();
        s.apply(RedactAction::Started {
            run: 1,
            policy: Rc::from(""),
            files: files(3),
            at_ms: 10.0,
        });
        assert!(s.running());
        s.apply(RedactAction::Reports {
            run: 1,
            reports: vec![report(0, 2), report(1, 0)],
            bytes: 2_000_000,
            engine_ms: 10.0,
            at_ms: 20.0,
        });
        assert_eq!((s.done(), s.findings()), (2, 2));
        assert!(s.running());
        s.apply(RedactAction::Reports {
            run: 1,
            reports: vec![report(2, 1)],
            bytes: 0,
            engine_ms: 10.0,
            at_ms: 30.0,
        });
        assert!(!s.running());
        assert_eq!(s.finished_ms, Some(30.0));
        assert_eq!(s.engine_mb_per_s(), Some(100.0));
        assert_eq!(s.statuses.get("f0.json"), Some(&FileStatus::Findings(2)));
        assert_eq!(s.statuses.get("f1.json"), Some(&FileStatus::Clean));
    }

    #[test]
    fn details_show_for_the_unfolded_file_of_the_current_run_only() {
        let mut s = RedactState::default();
        s.apply(RedactAction::Started {
            run: 3,
            policy: Rc::from(""),
            files: files(2),
            at_ms: 0.0,
        });
        s.apply(RedactAction::Expand(Some(1)));
        let view = FindingView {
            path: String::from("$.a"),
            field: None,
            rule: String::from("email"),
            operator: String::from("mask"),
            before: String::from("(5 chars)"),
            after: String::from("[REDACTED:EMAIL]"),
            allowable: true,
        };
        for (run, id) in [(2, 1), (3, 0)] {
            s.apply(RedactAction::Details {
                run,
                id,
                findings: vec![view.clone()],
            });
            assert!(s.details.is_none());
        }
        s.apply(RedactAction::Details {
            run: 3,
            id: 1,
            findings: vec![view],
        });
        assert_eq!(
            s.details.as_ref().map(|(id, f)| (*id, f.len())),
            Some((1, 1))
        );
        s.apply(RedactAction::Expand(None));
        assert!(s.details.is_none());
    }

    #[test]
    fn answers_of_an_older_run_are_ignored() {
        let mut s = RedactState::default();
        s.apply(RedactAction::Started {
            run: 2,
            policy: Rc::from(""),
            files: files(1),
            at_ms: 0.0,
        });
        s.apply(RedactAction::Reports {
            run: 1,
            reports: vec![report(0, 5)],
            bytes: 1,
            engine_ms: 1.0,
            at_ms: 1.0,
        });
        assert_eq!(s.done(), 0);
        assert!(s.statuses.is_empty());
    }

    #[test]
    fn the_default_policy_is_in_force_and_the_key_starts_empty() {
        let s = RedactState::default();
        assert_eq!(&*s.policy, DEFAULT_POLICY);
        assert!(s.key.is_empty());
    }
}
