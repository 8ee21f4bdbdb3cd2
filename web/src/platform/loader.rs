//! Loads many files without freezing the page: reads run ahead in the browser (one promise
//! per file, up to `READ_AHEAD` at once) while wasm decodes with core's listing decoder; rows
//! go to the state in batches (a small first batch so rows show at once, then one batch per
//! `BATCH_MS` of work), yielding to the event loop between batches so the page paints.
//!
//! Why not one blob read per batch: for files from disk, Chromium stats each file
//! synchronously when its size is asked (about 0.5 ms each), which a blob needs.

use std::collections::VecDeque;

use yew::UseReducerDispatcher;

use super::PlatformError;
use super::dom::now_ms;
use super::files::{PickedFile, start_read};
use crate::ingest::{Ingested, ingest};
use crate::state::{Action, AppState, LoadError};

/// Files in the first batch: enough to fill the first screen.
const FIRST_BATCH: usize = 24;
/// Work per later batch before the rows are handed over and the page may paint.
const BATCH_MS: f64 = 250.0;
/// Reads kept in flight ahead of decoding.
const READ_AHEAD: usize = 2048;

type Read = std::pin::Pin<Box<dyn Future<Output = Result<Vec<u8>, PlatformError>>>>;

/// Loads the files into the state, in the background.
pub fn load(files: Vec<PickedFile>, dispatch: UseReducerDispatcher<AppState>) {
    if files.is_empty() {
        return;
    }
    dispatch.dispatch(Action::BeginLoad(files.len()));
    wasm_bindgen_futures::spawn_local(async move {
        let mut pending = files.into_iter();
        let mut reads: VecDeque<(String, Read)> = VecDeque::new();
        let mut timing = Timing::default();
        let mut first = true;
        loop {
            let started = now_ms();
            let mut out = Ingested::default();
            let mut count = 0;
            loop {
                // Before the first rows show, read only what they need: reads started
                // together finish together.
                let ahead = if first { FIRST_BATCH } else { READ_AHEAD };
                while reads.len() < ahead {
                    let Some(file) = pending.next() else {
                        break;
                    };
                    let read = start_read(&file);
                    reads.push_back((file.name, read));
                }
                let Some((name, read)) = reads.pop_front() else {
                    break;
                };
                let t0 = now_ms();
                let result = read.await;
                let t1 = now_ms();
                match result {
                    Ok(bytes) => {
                        timing.bytes += bytes.len();
                        ingest(&name, bytes, &mut out);
                    }
                    Err(e) => out.errors.push(LoadError {
                        name,
                        reason: e.to_string(),
                    }),
                }
                timing.read_wait_ms += t1 - t0;
                timing.decode_ms += now_ms() - t1;
                count += 1;
                let full = if first {
                    count >= FIRST_BATCH
                } else {
                    now_ms() - started >= BATCH_MS
                };
                if full {
                    break;
                }
            }
            if count == 0 {
                break;
            }
            first = false;
            let t2 = now_ms();
            dispatch.dispatch(Action::Loaded {
                rows: out.rows,
                errors: out.errors,
                files: count,
            });
            let t3 = now_ms();
            // yew renders in a microtask: let it run, then give the browser a turn.
            let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(
                &wasm_bindgen::JsValue::NULL,
            ))
            .await;
            let t4 = now_ms();
            gloo_timers::future::TimeoutFuture::new(0).await;
            timing.dispatch_ms += t3 - t2;
            timing.render_ms += t4 - t3;
            timing.yield_ms += now_ms() - t4;
            timing.batches += 1;
        }
        timing.publish();
    });
}

/// Where the time of the last load went; published as `window.tapedeckLoadTiming` so the
/// benchmark (tools/bench-viewer.mjs) can report it.
#[derive(Default)]
struct Timing {
    bytes: usize,
    read_wait_ms: f64,
    decode_ms: f64,
    dispatch_ms: f64,
    render_ms: f64,
    yield_ms: f64,
    batches: u32,
}

impl Timing {
    fn publish(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let object = js_sys::Object::new();
        #[expect(clippy::cast_precision_loss, reason = "byte counts far below 2^52")]
        let fields = [
            ("bytes", self.bytes as f64),
            ("readWaitMs", self.read_wait_ms),
            ("decodeMs", self.decode_ms),
            ("dispatchMs", self.dispatch_ms),
            ("renderMs", self.render_ms),
            ("yieldMs", self.yield_ms),
            ("batches", f64::from(self.batches)),
        ];
        for (key, value) in fields {
            let _ = js_sys::Reflect::set(&object, &key.into(), &value.into());
        }
        let _ = js_sys::Reflect::set(&window, &"tapedeckLoadTiming".into(), &object);
    }
}
