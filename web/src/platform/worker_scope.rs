//! The worker's end: runs inside the redaction worker, turns each message into a call on the
//! [`Session`] and posts the answer back.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Uint8Array;
use wasm_bindgen::JsCast as _;
use wasm_bindgen::prelude::Closure;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::worker_host::{pack, unpack};
use crate::redaction::protocol::{self, Request, Response};
use crate::redaction::session::Session;

/// Whether this code runs in a dedicated worker (not in a page).
pub fn in_worker() -> bool {
    js_sys::global()
        .dyn_into::<DedicatedWorkerGlobalScope>()
        .is_ok()
}

/// Serves requests until the page terminates the worker.
pub fn serve() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let session = Rc::new(RefCell::new(Session::default()));
    let onmessage = {
        let scope = scope.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let (json, buffers) = unpack(&event.data());
            let answer = match protocol::decode::<Request>(&json) {
                Ok(request) => handle(&mut session.borrow_mut(), &scope, request, &buffers),
                Err(error) => Some((Response::failed("?", &error), Vec::new())),
            };
            if let Some((response, out)) = answer {
                reply(&scope, &response, &out);
            }
        })
    };
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    reply(&scope, &Response::Ready, &[]);
}

fn handle(
    session: &mut Session,
    scope: &DedicatedWorkerGlobalScope,
    request: Request,
    buffers: &[Uint8Array],
) -> Option<(Response, Vec<Uint8Array>)> {
    let answer = match request {
        Request::Configure { policy, key } => (session.configure(&policy, &key), Vec::new()),
        Request::Add { files } => {
            let bytes = buffers.iter().map(Uint8Array::to_vec).collect();
            session.add(files, bytes);
            return None;
        }
        Request::Run { run, ids } => {
            let clock = scope.performance();
            let now = move || clock.as_ref().map_or(0.0, web_sys::Performance::now);
            (session.run(run, &ids, &now), Vec::new())
        }
        Request::Findings { run, id } => (session.findings(run, id), Vec::new()),
        Request::Output { id } => match session.output(id) {
            Some((name, bytes)) => (
                Response::Output {
                    id,
                    name: name.to_owned(),
                },
                vec![Uint8Array::from(bytes)],
            ),
            None => (Response::failed("output", "unknown file"), Vec::new()),
        },
        Request::Zip { ids } => match session.zip(&ids) {
            Ok(bytes) => (
                Response::Zip {
                    files: u32::try_from(ids.len()).unwrap_or(u32::MAX),
                },
                vec![Uint8Array::from(bytes.as_slice())],
            ),
            Err(e) => (Response::failed("zip", &e), Vec::new()),
        },
        Request::EditPolicy { policy, edit } => (session.edit_policy(&policy, &edit), Vec::new()),
    };
    Some(answer)
}

fn reply(scope: &DedicatedWorkerGlobalScope, response: &Response, buffers: &[Uint8Array]) {
    let (message, transfer) = pack(&protocol::encode(response), buffers);
    let _ = scope.post_message_with_transfer(&message, &transfer);
}
