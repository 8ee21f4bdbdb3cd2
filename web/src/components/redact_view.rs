//! The Redact view: what the policy finds in the loaded cassettes, per file and per field,
//! with detector switches, "allow this", the policy editor and the downloads. The engine runs
//! in the redaction worker; this view only draws the state and sends requests.

use std::fmt::Write as _;
use std::rc::Rc;

use yew::prelude::*;

use crate::platform::{dom, download, files};
use crate::redact_link::{Link, RedactLink};
use crate::redaction::page::{FileStatus, RedactAction, RedactFile, RedactState, files_of};
use crate::redaction::protocol::{FileReport, FindingView, PolicyEdit};
use crate::state::Row;

/// Files listed at most (the rest are counted); findings listed at most per file.
const MAX_FILES_SHOWN: usize = 200;
const MAX_FINDINGS_SHOWN: usize = 500;
/// Name of an exported policy.
const POLICY_FILE: &str = "tapedeck-policy.toml";

#[derive(Properties, PartialEq)]
pub struct RedactViewProps {
    pub rows: Rc<Vec<Rc<Row>>>,
    /// Ids of the rows the filters show.
    pub visible: Rc<Vec<u32>>,
    pub state: UseReducerHandle<RedactState>,
    pub link: Link,
}

/// Which files a run covers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    All,
    Shown,
}

#[component]
pub fn RedactView(props: &RedactViewProps) -> Html {
    let state = &props.state;
    let scope = use_state(|| Scope::All);
    let draft = use_state(|| state.policy.to_string());
    let key_draft = use_state(|| state.key.to_string());
    let import_input = use_node_ref();

    let scope_files = {
        let rows = Rc::clone(&props.rows);
        let visible = Rc::clone(&props.visible);
        move |scope: Scope| -> Vec<RedactFile> {
            match scope {
                Scope::All => files_of(rows.iter()),
                Scope::Shown => files_of(visible.iter().filter_map(|id| rows.get(*id as usize))),
            }
        }
    };
    let run = {
        let rows = Rc::clone(&props.rows);
        let link = props.link.clone();
        let dispatch = state.dispatcher();
        move |scope: Scope, policy: &str, key: &str| {
            RedactLink::run(
                &link.0,
                Rc::clone(&rows),
                scope_files(scope),
                policy,
                key,
                &dispatch,
            );
        }
    };

    // A new policy in force (applied, imported, a switch, "allow this"): show it in the editor
    // and, once something has been redacted, redact again with it.
    {
        let draft = draft.clone();
        let run = run.clone();
        let scope = *scope;
        let key = Rc::clone(&state.key);
        let stale = state.run > 0 && state.run_policy != state.policy;
        use_effect_with(Rc::clone(&state.policy), move |policy| {
            draft.set(policy.to_string());
            if stale {
                run(scope, policy, &key);
            }
        });
    }

    // The unfolded file's findings, asked for again after each run that reports it.
    {
        let link = props.link.clone();
        let dispatch = state.dispatcher();
        let wanted = state
            .expanded
            .filter(|id| state.reports.contains_key(id))
            .map(|id| (state.run, id));
        use_effect_with(wanted, move |wanted| {
            if let Some((run, id)) = *wanted {
                link.0.findings(run, id, &dispatch);
            }
        });
    }

    // File counts for the scope menu, recounted only when the rows or the filtered set change
    // (not on every progress update of a run).
    let (all_files, shown_files) = *use_memo(
        (
            Rc::as_ptr(&props.rows).addr(),
            Rc::as_ptr(&props.visible).addr(),
        ),
        {
            let rows = Rc::clone(&props.rows);
            let visible = Rc::clone(&props.visible);
            move |_| {
                (
                    files_of(rows.iter()).len(),
                    files_of(visible.iter().filter_map(|id| rows.get(*id as usize))).len(),
                )
            }
        },
    );
    let target = if *scope == Scope::All {
        all_files
    } else {
        shown_files
    };

    let on_scope = {
        let scope = scope.clone();
        Callback::from(move |e: Event| {
            scope.set(if dom::event_value(&e) == "shown" {
                Scope::Shown
            } else {
                Scope::All
            });
        })
    };
    let on_key = {
        let key_draft = key_draft.clone();
        Callback::from(move |e: InputEvent| key_draft.set(dom::event_value(&e)))
    };
    let on_run = {
        let run = run.clone();
        let scope = *scope;
        let key_draft = key_draft.clone();
        let policy = Rc::clone(&state.policy);
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(RedactAction::SetKey((*key_draft).clone()));
            run(scope, &policy, &key_draft);
        })
    };
    let on_zip = {
        let link = props.link.clone();
        let dispatch = state.dispatcher();
        let ids: Vec<u32> = state.files.iter().map(|f| f.id).collect();
        Callback::from(move |_: MouseEvent| link.0.download_zip(ids.clone(), &dispatch))
    };
    let on_draft = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| draft.set(dom::event_value(&e)))
    };
    let on_apply = {
        let draft = draft.clone();
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(RedactAction::SetPolicy((*draft).clone()));
        })
    };
    let on_reset = {
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(RedactAction::SetPolicy(
                tapedeck_core::redact::DEFAULT_POLICY.to_owned(),
            ));
        })
    };
    let on_export = {
        let policy = Rc::clone(&state.policy);
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = download::save_text(POLICY_FILE, &policy, "application/toml") {
                dispatch.dispatch(RedactAction::Notice(Some(e.0)));
            }
        })
    };
    let open_import = {
        let node = import_input.clone();
        Callback::from(move |_: MouseEvent| dom::click(&node))
    };
    let on_import = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: Event| {
            let Some(input) = dom::event_input(&e) else {
                return;
            };
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match files::read_chosen_text(&input).await {
                    Some(Ok((_, text))) => dispatch.dispatch(RedactAction::SetPolicy(text)),
                    Some(Err(e)) => dispatch.dispatch(RedactAction::Notice(Some(e.0))),
                    None => {}
                }
            });
        })
    };
    let on_detector = {
        let link = props.link.clone();
        let dispatch = state.dispatcher();
        let policy = Rc::clone(&state.policy);
        Callback::from(move |(name, enabled): (String, bool)| {
            link.0
                .edit_policy(&policy, PolicyEdit::Detector { name, enabled }, &dispatch);
        })
    };
    let on_allow = {
        let link = props.link.clone();
        let dispatch = state.dispatcher();
        let policy = Rc::clone(&state.policy);
        Callback::from(move |(id, finding): (u32, u32)| {
            link.0
                .edit_policy(&policy, PolicyEdit::AllowFinding { id, finding }, &dispatch);
        })
    };
    let on_download = {
        let link = props.link.clone();
        let dispatch = state.dispatcher();
        Callback::from(move |id: u32| link.0.download(id, &dispatch))
    };
    let on_expand = {
        let dispatch = state.dispatcher();
        let expanded = state.expanded;
        Callback::from(move |id: u32| {
            dispatch.dispatch(RedactAction::Expand((expanded != Some(id)).then_some(id)));
        })
    };

    let running = state.running();
    let finished = state.run > 0 && !running;
    let progress_max = state.files.len().max(1);
    html! {
        <section class="redact" id="redact-view" aria-label="Redact">
            <div class="redact-bar">
                <label class="field">{"Redact "}
                    <select id="redact-scope" onchange={on_scope}>
                        <option value="all" selected={*scope == Scope::All}>{format!("all loaded files ({all_files})")}</option>
                        <option value="shown" selected={*scope == Scope::Shown}>{format!("the files the filters show ({shown_files})")}</option>
                    </select>
                </label>
                <label class="field" title="Needed by the hmac operator; kept in this page's memory only">{"Pseudonym key "}
                    <input id="redact-key" type="password" autocomplete="off" value={(*key_draft).clone()} oninput={on_key} />
                </label>
                <button id="redact-run" class="btn primary" onclick={on_run} disabled={running || target == 0}>
                    {format!("Redact {target} files")}
                </button>
                <button id="redact-zip" class="btn" onclick={on_zip} disabled={!finished || state.files.is_empty()}>
                    {"Download all (.zip)"}
                </button>
            </div>
            if state.run > 0 {
                <div class="redact-progress">
                    <progress id="redact-progress" max={progress_max.to_string()} value={state.done().to_string()} />
                    <span id="redact-status" class="muted">{status_line(state)}</span>
                </div>
            }
            if let Some(notice) = &state.notice {
                <div class="notice" role="alert" id="redact-notice">{notice}</div>
            }
            if let Some(error) = &state.policy_error {
                <div class="notice error" role="alert" id="policy-error">{format!("Policy: {error}")}</div>
            }
            <div class="redact-body">
                <aside class="redact-side">
                    <h3>{"Detectors"}</h3>
                    <ul class="detectors" id="detectors">
                        { for state.detectors.iter().map(|d| {
                            let on_detector = on_detector.clone();
                            let name = d.name.clone();
                            let onchange = Callback::from(move |e: Event| on_detector.emit((name.clone(), dom::event_checked(&e))));
                            html! {
                                <li key={d.name.clone()}>
                                    <label title={format!("{} ({})", d.name, d.label)}>
                                        <input type="checkbox" data-detector={d.name.clone()} checked={d.enabled} {onchange} disabled={running} />
                                        {" "}{d.name.replace('_', " ")}
                                    </label>
                                </li>
                            }
                        }) }
                    </ul>
                    if state.detectors.is_empty() {
                        <p class="muted">{"The detectors show once the policy is compiled (press Redact)."}</p>
                    }
                    <h3>{"Policy"}</h3>
                    <textarea id="policy-text" spellcheck="false" aria-label="Policy (TOML)" value={(*draft).clone()} oninput={on_draft} />
                    <div class="policy-actions">
                        <button id="policy-apply" class="btn" onclick={on_apply} disabled={*draft == *state.policy}>{"Apply"}</button>
                        <button id="policy-import" class="btn" onclick={open_import}>{"Import…"}</button>
                        <button id="policy-export" class="btn" onclick={on_export}>{"Export"}</button>
                        <button id="policy-reset" class="btn" onclick={on_reset}>{"Default"}</button>
                        <input ref={import_input} id="policy-file" class="hidden-input" type="file" accept=".toml,text/plain" onchange={on_import} />
                    </div>
                </aside>
                <div class="redact-files" id="redact-files">
                    if state.run == 0 {
                        <p class="muted">{"Press Redact to see what the policy finds. The files never leave this page."}</p>
                    }
                    { for state.files.iter().take(MAX_FILES_SHOWN).map(|f| file_html(f, state, &on_expand, &on_download, &on_allow)) }
                    if state.files.len() > MAX_FILES_SHOWN {
                        <p class="muted">{format!("… and {} more files (all are in the .zip)", state.files.len() - MAX_FILES_SHOWN)}</p>
                    }
                </div>
            </div>
        </section>
    }
}

fn status_line(state: &RedactState) -> String {
    let mut line = format!(
        "{} / {} files · {} findings",
        state.done(),
        state.files.len(),
        state.findings()
    );
    if let Some(end) = state.finished_ms {
        let seconds = (end - state.started_ms) / 1000.0;
        let _ = write!(line, " · done in {seconds:.2} s");
        if let Some(rate) = state.engine_mb_per_s() {
            let _ = write!(line, " · engine {rate:.0} MB/s");
        }
    }
    line
}

fn file_html(
    file: &RedactFile,
    state: &RedactState,
    on_expand: &Callback<u32>,
    on_download: &Callback<u32>,
    on_allow: &Callback<(u32, u32)>,
) -> Html {
    let report = state.reports.get(&file.id);
    let status = state.statuses.get(&file.name).copied();
    let badge = match (report, status) {
        (None, _) => html! { <span class="badge pending">{"…"}</span> },
        (Some(_), Some(s)) => status_badge(s),
        (Some(_), None) => html! {},
    };
    let id = file.id;
    let expanded = state.expanded == Some(id);
    let expand = {
        let on_expand = on_expand.clone();
        Callback::from(move |_: MouseEvent| on_expand.emit(id))
    };
    let download = {
        let on_download = on_download.clone();
        Callback::from(move |_: MouseEvent| on_download.emit(id))
    };
    html! {
        <div class="rfile" key={id} data-file={file.name.to_string()}>
            <div class="rfile-head">
                <button class="rfile-name" onclick={expand} aria-expanded={expanded.to_string()}>{&*file.name}</button>
                {badge}
                <button class="btn small rfile-download" onclick={download} disabled={report.is_none()}
                    title="Download this file, redacted">{"Download"}</button>
            </div>
            if let (true, Some(report)) = (expanded, report) {
                {findings_html(report, state.details.as_ref().filter(|(d, _)| *d == id).map(|(_, f)| f), on_allow)}
            }
        </div>
    }
}

/// The badge of a file's status, as the Redact view and the cassette table show it.
pub fn status_badge(status: FileStatus) -> Html {
    match status {
        FileStatus::Clean => html! { <span class="badge clean">{"clean"}</span> },
        FileStatus::Findings(1) => html! { <span class="badge findings">{"1 finding"}</span> },
        FileStatus::Findings(n) => {
            html! { <span class="badge findings">{format!("{n} findings")}</span> }
        }
        FileStatus::Failed => html! { <span class="badge failed">{"not redacted"}</span> },
    }
}

fn findings_html(
    report: &Rc<FileReport>,
    details: Option<&Rc<Vec<FindingView>>>,
    on_allow: &Callback<(u32, u32)>,
) -> Html {
    if let Some(error) = &report.error {
        return html! { <p class="notice error">{error}</p> };
    }
    if report.findings == 0 {
        return html! { <p class="muted">{"Nothing to redact in this file."}</p> };
    }
    let Some(findings) = details else {
        return html! { <p class="muted">{"Loading the findings…"}</p> };
    };
    let id = report.id;
    html! {
        <table class="findings-table">
            <thead><tr><th>{"Rule"}</th><th>{"Where"}</th><th>{"Before"}</th><th>{"After"}</th><th></th></tr></thead>
            <tbody>
                { for findings.iter().take(MAX_FINDINGS_SHOWN).enumerate().map(|(i, f)| finding_html(id, i, f, on_allow)) }
            </tbody>
            if findings.len() > MAX_FINDINGS_SHOWN {
                <tfoot><tr><td colspan="5" class="muted">{format!("… and {} more", findings.len() - MAX_FINDINGS_SHOWN)}</td></tr></tfoot>
            }
        </table>
    }
}

fn finding_html(id: u32, index: usize, f: &FindingView, on_allow: &Callback<(u32, u32)>) -> Html {
    let finding = u32::try_from(index).unwrap_or(u32::MAX);
    let allow = {
        let on_allow = on_allow.clone();
        Callback::from(move |_: MouseEvent| on_allow.emit((id, finding)))
    };
    let after = if f.after.is_empty() && f.operator == "drop" {
        String::from("(removed)")
    } else {
        f.after.clone()
    };
    html! {
        <tr class="finding" data-rule={f.rule.clone()}>
            <td><span class="rule">{&f.rule}</span><span class="muted">{" "}{&f.operator}</span></td>
            <td class="where"><code>{&f.path}</code>
                if let Some(field) = &f.field { <span class="muted">{" · "}{field}</span> }
            </td>
            <td class="before"><code>{&f.before}</code></td>
            <td class="after"><code>{after}</code></td>
            <td>
                if f.allowable {
                    <button class="btn small allow" onclick={allow} title="Add this value to the policy's allow-list">{"Allow"}</button>
                }
            </td>
        </tr>
    }
}
