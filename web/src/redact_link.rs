//! Wires the Redact view to the redaction worker: starts the worker on first use, hands it
//! each file once, splits runs into batches (so progress shows and answers stay small) and
//! turns the worker's answers into [`RedactAction`]s and downloads.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::Rc;

use js_sys::Uint8Array;
use yew::UseReducerDispatcher;

use crate::platform::dom;
use crate::platform::download;
use crate::platform::worker_host::WorkerHost;
use crate::redaction::page::{RedactAction, RedactFile, RedactState};
use crate::redaction::protocol::{FileMeta, PolicyEdit, Request, Response};
use crate::state::Row;

/// Files per `Add` + `Run` pair: small enough for the progress bar to move often.
const RUN_BATCH: usize = 64;
/// Batches sent between two pauses that let the page draw.
const YIELD_EVERY: usize = 4;

/// The page's link to the worker (one per page).
#[derive(Default)]
pub struct RedactLink {
    host: RefCell<Option<WorkerHost>>,
    /// Files the worker already holds.
    sent: RefCell<HashSet<u32>>,
    next_run: Cell<u32>,
}

impl RedactLink {
    /// Sends a request, starting the worker first if needed.
    fn send(
        &self,
        request: &Request,
        buffers: Vec<Uint8Array>,
        dispatch: &UseReducerDispatcher<RedactState>,
    ) {
        if self.host.borrow().is_none() {
            match spawn(dispatch.clone()) {
                Ok(host) => *self.host.borrow_mut() = Some(host),
                Err(e) => {
                    dispatch.dispatch(RedactAction::Notice(Some(e)));
                    return;
                }
            }
        }
        if let Some(host) = self.host.borrow().as_ref() {
            host.send(request, buffers);
        }
    }

    /// Redacts `files` (their bytes taken from `rows`, indexed by id) with `policy` and `key`.
    /// Files go to the worker batch by batch, each followed by its `Run`, from a task that
    /// yields between batches: the worker starts on the first batch while the page keeps
    /// drawing, and a newer run stops the feeding of an older one.
    pub fn run(
        this: &Rc<RedactLink>,
        rows: Rc<Vec<Rc<Row>>>,
        files: Vec<RedactFile>,
        policy: &str,
        key: &str,
        dispatch: &UseReducerDispatcher<RedactState>,
    ) {
        let run = this.next_run.get() + 1;
        this.next_run.set(run);
        this.send(
            &Request::Configure {
                policy: policy.to_owned(),
                key: key.to_owned(),
            },
            Vec::new(),
            dispatch,
        );
        let batches: Vec<Vec<RedactFile>> = files.chunks(RUN_BATCH).map(<[_]>::to_vec).collect();
        dispatch.dispatch(RedactAction::Started {
            run,
            policy: Rc::from(policy),
            files,
            at_ms: dom::now_ms(),
        });
        let this = Rc::clone(this);
        let dispatch = dispatch.clone();
        wasm_bindgen_futures::spawn_local(async move {
            for (n, batch) in batches.iter().enumerate() {
                if this.next_run.get() != run {
                    return;
                }
                this.hand_over(&rows, batch, &dispatch);
                let ids = batch.iter().map(|f| f.id).collect();
                this.send(&Request::Run { run, ids }, Vec::new(), &dispatch);
                if n % YIELD_EVERY == YIELD_EVERY - 1 {
                    gloo_timers::future::TimeoutFuture::new(0).await;
                }
            }
        });
    }

    /// Sends the worker the files of `batch` it does not hold yet.
    fn hand_over(
        &self,
        rows: &[Rc<Row>],
        batch: &[RedactFile],
        dispatch: &UseReducerDispatcher<RedactState>,
    ) {
        let mut metas = Vec::new();
        let mut buffers = Vec::new();
        for file in batch {
            let Some(row) = rows.get(file.id as usize) else {
                continue;
            };
            if !self.sent.borrow_mut().insert(file.id) {
                continue;
            }
            metas.push(FileMeta {
                id: file.id,
                name: file.name.to_string(),
            });
            buffers.push(Uint8Array::from(row.raw.as_deref().unwrap_or(&row.text)));
        }
        if !metas.is_empty() {
            self.send(&Request::Add { files: metas }, buffers, dispatch);
        }
    }

    /// Asks the worker to edit the policy text; the answer sets the new policy.
    pub fn edit_policy(
        &self,
        policy: &str,
        edit: PolicyEdit,
        dispatch: &UseReducerDispatcher<RedactState>,
    ) {
        self.send(
            &Request::EditPolicy {
                policy: policy.to_owned(),
                edit,
            },
            Vec::new(),
            dispatch,
        );
    }

    /// Asks for the findings of one file (answered as [`RedactAction::Details`]).
    pub fn findings(&self, run: u32, id: u32, dispatch: &UseReducerDispatcher<RedactState>) {
        self.send(&Request::Findings { run, id }, Vec::new(), dispatch);
    }

    /// Downloads one redacted file.
    pub fn download(&self, id: u32, dispatch: &UseReducerDispatcher<RedactState>) {
        self.send(&Request::Output { id }, Vec::new(), dispatch);
    }

    /// Downloads the redacted files `ids` as one `.zip`.
    pub fn download_zip(&self, ids: Vec<u32>, dispatch: &UseReducerDispatcher<RedactState>) {
        self.send(&Request::Zip { ids }, Vec::new(), dispatch);
    }
}

/// Name of the `.zip` of all redacted files.
pub const ZIP_NAME: &str = "redacted-cassettes.zip";

fn spawn(dispatch: UseReducerDispatcher<RedactState>) -> Result<WorkerHost, String> {
    let on_error = {
        let dispatch = dispatch.clone();
        move |e: String| dispatch.dispatch(RedactAction::Notice(Some(e)))
    };
    WorkerHost::spawn(
        move |response, buffers| answer(&dispatch, response, &buffers),
        on_error,
    )
    .map_err(|e| e.0)
}

/// What the page does with each answer.
fn answer(
    dispatch: &UseReducerDispatcher<RedactState>,
    response: Response,
    buffers: &[Uint8Array],
) {
    match response {
        Response::Ready => {}
        Response::Configured { error, detectors } => {
            dispatch.dispatch(RedactAction::Configured { error, detectors });
        }
        Response::Ran {
            run,
            reports,
            bytes,
            engine_ms,
        } => dispatch.dispatch(RedactAction::Reports {
            run,
            reports,
            bytes,
            engine_ms,
            at_ms: dom::now_ms(),
        }),
        Response::Findings { run, id, findings } => {
            dispatch.dispatch(RedactAction::Details { run, id, findings });
        }
        Response::Output { name, .. } => {
            if let Some(bytes) = buffers.first() {
                let file = name.rsplit('/').next().unwrap_or(&name);
                save(dispatch, file, bytes, mime_of(file));
            }
        }
        Response::Zip { .. } => {
            if let Some(bytes) = buffers.first() {
                save(dispatch, ZIP_NAME, bytes, "application/zip");
            }
        }
        Response::PolicyEdited { policy, error } => {
            if let Some(policy) = policy {
                dispatch.dispatch(RedactAction::SetPolicy(policy));
            }
            if let Some(error) = error {
                dispatch.dispatch(RedactAction::Notice(Some(error)));
            }
        }
        Response::Failed { request, error } => {
            dispatch.dispatch(RedactAction::Notice(Some(format!("{request}: {error}"))));
        }
    }
}

fn save(dispatch: &UseReducerDispatcher<RedactState>, name: &str, bytes: &Uint8Array, mime: &str) {
    if let Err(e) = download::save(name, bytes, mime) {
        dispatch.dispatch(RedactAction::Notice(Some(e.0)));
    }
}

/// The content type of a downloaded cassette, by its name.
fn mime_of(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    let extension = lower.rsplit('.').next().unwrap_or("");
    if extension == "gz" {
        "application/gzip"
    } else if extension == "json" || extension == "har" {
        "application/json"
    } else {
        "application/octet-stream"
    }
}

/// A shared [`RedactLink`] as a component property (equal when it is the same link).
#[derive(Clone, Default)]
pub struct Link(pub Rc<RedactLink>);

impl PartialEq for Link {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
