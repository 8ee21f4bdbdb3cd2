//! Loads many files without freezing the page: reads run ahead in the browser while wasm
//! decodes, rows are handed to the state in batches (a small first batch so rows show at
//! once, then batches of about a frame's worth of work), yielding to the event loop between.

use std::collections::VecDeque;

use yew::UseReducerDispatcher;

use super::PlatformError;
use super::dom::now_ms;
use super::files::{PickedFile, start_read};
use crate::ingest::{Ingested, ingest};
use crate::state::{Action, AppState, LoadError};

/// Files in the first batch: enough to fill the first screen.
const FIRST_BATCH: usize = 24;
/// Decoding time per later batch before the rows are handed over and the page may paint.
const BATCH_MS: f64 = 80.0;
/// Reads kept in flight ahead of decoding.
const READ_AHEAD: usize = 256;

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
        let mut first = true;
        loop {
            let started = now_ms();
            let mut out = Ingested::default();
            let mut count = 0;
            loop {
                while reads.len() < READ_AHEAD {
                    let Some(file) = pending.next() else { break };
                    let read = start_read(&file);
                    reads.push_back((file.name, read));
                }
                let Some((name, read)) = reads.pop_front() else {
                    break;
                };
                match read.await {
                    Ok(bytes) => ingest(&name, bytes, &mut out),
                    Err(e) => out.errors.push(LoadError {
                        name,
                        reason: e.to_string(),
                    }),
                }
                count += 1;
                let done = if first {
                    count >= FIRST_BATCH
                } else {
                    now_ms() - started >= BATCH_MS
                };
                if done {
                    break;
                }
            }
            if count == 0 {
                break;
            }
            first = false;
            dispatch.dispatch(Action::Loaded {
                rows: out.rows,
                errors: out.errors,
                files: count,
            });
            gloo_timers::future::TimeoutFuture::new(0).await;
        }
    });
}
