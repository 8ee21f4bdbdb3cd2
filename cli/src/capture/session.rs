//! The current request's session, visible to outbound calls made while serving it.
//!
//! The layer runs each request inside a tokio task-local scope holding its [`Session`]; the
//! reqwest middleware finds it there. A call made from a task the handler spawned does not see
//! it unless the spawned future is wrapped with [`in_current_session`].

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use tapedeck_core::record::DependencyCall;
use tapedeck_core::replay::Replayer;

tokio::task_local! {
    static CURRENT: Arc<Session>;
}

/// One incoming request being recorded or replayed.
#[derive(Debug)]
pub struct Session {
    started: Instant,
    kind: SessionKind,
}

#[derive(Debug)]
enum SessionKind {
    Record(Mutex<Vec<DependencyCall>>),
    Replay(Box<Replay>),
}

/// A replay session: answers come from a replayer built for this request.
#[derive(Debug)]
pub struct Replay {
    pub replayer: Replayer,
    /// How many outbound calls were answered from the cassette.
    pub answered: Mutex<usize>,
}

impl Session {
    /// A session recording outbound calls.
    pub fn recording(started: Instant) -> Session {
        Session {
            started,
            kind: SessionKind::Record(Mutex::new(Vec::new())),
        }
    }

    /// A session answering outbound calls from `replayer`.
    pub fn replaying(started: Instant, replayer: Replayer) -> Session {
        Session {
            started,
            kind: SessionKind::Replay(Box::new(Replay {
                replayer,
                answered: Mutex::new(0),
            })),
        }
    }

    /// When the incoming request started.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// Milliseconds since the request started.
    pub fn offset_ms(&self, at: Instant) -> f64 {
        at.saturating_duration_since(self.started).as_secs_f64() * 1000.0
    }

    /// The replay state, in a replay session.
    pub fn replay(&self) -> Option<&Replay> {
        match &self.kind {
            SessionKind::Replay(r) => Some(r),
            SessionKind::Record(_) => None,
        }
    }

    /// Whether outbound calls are recorded.
    pub fn is_recording(&self) -> bool {
        matches!(self.kind, SessionKind::Record(_))
    }

    /// Adds a finished call (calls are kept in completion order, Timetracer's `eid` order).
    pub fn push_call(&self, call: DependencyCall) {
        if let SessionKind::Record(calls) = &self.kind {
            calls
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(call);
        }
    }

    /// The calls recorded so far, leaving none behind.
    pub fn take_calls(&self) -> Vec<DependencyCall> {
        match &self.kind {
            SessionKind::Record(calls) => {
                std::mem::take(&mut *calls.lock().unwrap_or_else(PoisonError::into_inner))
            }
            SessionKind::Replay(_) => Vec::new(),
        }
    }
}

/// The session of the request being served by this task, if any.
pub fn current() -> Option<Arc<Session>> {
    CURRENT.try_with(Arc::clone).ok()
}

/// Runs `future` with `session` as the current session.
pub async fn scope<F: Future>(session: Arc<Session>, future: F) -> F::Output {
    CURRENT.scope(session, future).await
}

/// Wraps a future so it runs in the current session (if any); use it for work a handler hands
/// to `tokio::spawn` whose outbound calls belong to the request.
pub fn in_current_session<F: Future>(future: F) -> impl Future<Output = F::Output> {
    let session = current();
    async move {
        match session {
            Some(s) => CURRENT.scope(s, future).await,
            None => future.await,
        }
    }
}
