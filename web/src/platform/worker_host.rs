//! The page's end of the redaction worker: starts it, queues requests until it is ready, and
//! hands every answer (decoded) to a callback.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::JsCast as _;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use web_sys::{MessageEvent, Worker};

use super::PlatformError;
use crate::redaction::protocol::{self, Request, Response};

/// The worker's start-up script, next to `index.html` (web/redact-worker.js).
const WORKER_SCRIPT: &str = "./redact-worker.js";
/// In the single-file viewer, the element holding the whole worker (glue and wasm) as text,
/// started from a `blob:` URL because a page opened from disk cannot start a worker file.
const INLINE_WORKER_ID: &str = "tapedeck-redact-worker";

/// A message waiting to be posted: its JSON text and buffers.
type Pending = (String, Vec<Uint8Array>);
/// Messages made before the worker said it was ready (`None` once it is).
type Queue = Rc<RefCell<Option<Vec<Pending>>>>;

/// A running redaction worker.
pub struct WorkerHost {
    worker: Worker,
    /// Requests made before the worker said it was ready (it drops earlier messages).
    queue: Queue,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl WorkerHost {
    /// Starts the worker; `on_response` gets each answer with its byte buffers, and
    /// `on_error` a readable reason when the worker fails to start or crashes.
    pub fn spawn(
        on_response: impl Fn(Response, Vec<Uint8Array>) + 'static,
        on_error: impl Fn(String) + 'static,
    ) -> Result<WorkerHost, PlatformError> {
        let worker = start_worker()?;
        let queue: Queue = Rc::new(RefCell::new(Some(Vec::new())));
        let on_error = Rc::new(on_error);
        let onmessage = {
            let worker = worker.clone();
            let queue = Rc::clone(&queue);
            let on_error = Rc::clone(&on_error);
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let (json, buffers) = unpack(&event.data());
                match protocol::decode::<Response>(&json) {
                    Ok(Response::Ready) => {
                        let pending = queue.borrow_mut().take().unwrap_or_default();
                        for (json, buffers) in pending {
                            post(&worker, &json, &buffers, &*on_error);
                        }
                    }
                    Ok(response) => on_response(response, buffers),
                    Err(e) => on_error(e),
                }
            })
        };
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        let error_handler =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
                event.prevent_default();
                on_error(format!("the redaction worker failed: {}", event.message()));
            });
        worker.set_onerror(Some(error_handler.as_ref().unchecked_ref()));
        Ok(WorkerHost {
            worker,
            queue,
            _onmessage: onmessage,
            _onerror: error_handler,
        })
    }

    /// Sends a request; `buffers` are transferred (the page's copies become empty).
    pub fn send(&self, request: &Request, buffers: Vec<Uint8Array>) {
        let json = protocol::encode(request);
        if let Some(queue) = self.queue.borrow_mut().as_mut() {
            queue.push((json, buffers));
            return;
        }
        post(&self.worker, &json, &buffers, &|e| {
            web_sys::console::error_1(&JsValue::from_str(&e));
        });
    }
}

impl Drop for WorkerHost {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// The worker from its file, or from the script the single-file viewer inlines.
fn start_worker() -> Result<Worker, PlatformError> {
    let inline = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(INLINE_WORKER_ID))
        .and_then(|e| e.text_content());
    let url = match inline {
        Some(source) => {
            let parts = Array::of1(&JsValue::from_str(&source));
            let options = web_sys::BlobPropertyBag::new();
            options.set_type("text/javascript");
            let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
                .map_err(|e| PlatformError::from_js("cannot start the redaction worker", &e))?;
            web_sys::Url::create_object_url_with_blob(&blob)
                .map_err(|e| PlatformError::from_js("cannot start the redaction worker", &e))?
        }
        None => String::from(WORKER_SCRIPT),
    };
    Worker::new(&url).map_err(|e| PlatformError::from_js("cannot start the redaction worker", &e))
}

/// Posts `{json, buffers}` to a worker (or from it), transferring the buffers.
pub(crate) fn pack(json: &str, buffers: &[Uint8Array]) -> (Object, Array) {
    let message = Object::new();
    let list = Array::new();
    let transfer = Array::new();
    for b in buffers {
        list.push(b);
        transfer.push(&b.buffer());
    }
    let _ = Reflect::set(
        &message,
        &JsValue::from_str("json"),
        &JsValue::from_str(json),
    );
    let _ = Reflect::set(&message, &JsValue::from_str("buffers"), &list);
    (message, transfer)
}

/// The JSON text and buffers of a message made by [`pack`].
pub(crate) fn unpack(data: &JsValue) -> (String, Vec<Uint8Array>) {
    let json = Reflect::get(data, &JsValue::from_str("json"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    let buffers = Reflect::get(data, &JsValue::from_str("buffers"))
        .ok()
        .and_then(|v| v.dyn_into::<Array>().ok())
        .map(|list| {
            list.iter()
                .filter_map(|b| b.dyn_into::<Uint8Array>().ok())
                .collect()
        })
        .unwrap_or_default();
    (json, buffers)
}

fn post(worker: &Worker, json: &str, buffers: &[Uint8Array], on_error: &dyn Fn(String)) {
    let (message, transfer) = pack(json, buffers);
    if let Err(e) = worker.post_message_with_transfer(&message, &transfer) {
        on_error(PlatformError::from_js("cannot reach the redaction worker", &e).0);
    }
}
