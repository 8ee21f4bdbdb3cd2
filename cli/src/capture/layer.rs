//! The tower layer: one cassette per incoming request.

use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt as _, Full};
use tapedeck_core::record::{AppFailure, Exchange, OutgoingResponse};
use tower_service::Service;

use super::exchange::{CatchUnwind, header_pairs, incoming_request, panic_message};
use super::session::{self, Session};
use super::{Capture, Mode, new_session_id, unix_micros_now};

/// Records each request and response passing through it (see the module docs of
/// [`crate::capture`]). Request and response bodies are buffered: the inner service gets a
/// `Full<Bytes>` body and the client gets the response once the cassette is written.
#[derive(Clone, Debug)]
pub struct RecordLayer {
    capture: Arc<Capture>,
}

impl RecordLayer {
    pub fn new(capture: Arc<Capture>) -> RecordLayer {
        RecordLayer { capture }
    }
}

impl<S> tower_layer::Layer<S> for RecordLayer {
    type Service = RecordService<S>;

    fn layer(&self, inner: S) -> RecordService<S> {
        RecordService {
            inner,
            capture: Arc::clone(&self.capture),
        }
    }
}

/// The service [`RecordLayer`] wraps around an application.
#[derive(Clone, Debug)]
pub struct RecordService<S> {
    inner: S,
    capture: Arc<Capture>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for RecordService<S>
where
    S: Service<Request<Full<Bytes>>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Display + Send + 'static,
    ReqBody: http_body::Body + Send + 'static,
    ReqBody::Data: Send,
    ResBody: http_body::Body + Send + 'static,
    ResBody::Data: Send,
    ResBody::Error: Display,
{
    type Response = Response<Full<Bytes>>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Response<Full<Bytes>>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        // The clone is not ready; the polled service goes into the future (tower's idiom).
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(handle(Arc::clone(&self.capture), inner, request))
    }
}

async fn handle<S, ReqBody, ResBody>(
    capture: Arc<Capture>,
    mut inner: S,
    request: Request<ReqBody>,
) -> Result<Response<Full<Bytes>>, S::Error>
where
    S: Service<Request<Full<Bytes>>, Response = Response<ResBody>> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Display + Send + 'static,
    ReqBody: http_body::Body + Send + 'static,
    ResBody: http_body::Body + Send + 'static,
    ResBody::Error: Display,
{
    let started = Instant::now();
    let started_at_unix_micros = unix_micros_now();
    let (parts, body) = request.into_parts();
    let Ok(collected) = body.collect().await else {
        // The client went away mid-body: nothing sensible to serve or record.
        return Ok(status_only(StatusCode::BAD_REQUEST));
    };
    let body = collected.to_bytes();
    let session = match capture.mode() {
        Mode::Record if !capture.settings().excludes(parts.uri.path()) && capture.sampled() => {
            Some(Session::recording(started))
        }
        Mode::Replay => match capture.replayer() {
            Ok(Some(replayer)) => Some(Session::replaying(started, replayer)),
            _ => None,
        },
        _ => None,
    };
    let client_ip = parts
        .extensions
        .get::<std::net::SocketAddr>()
        .map(|a| a.ip().to_string());
    let incoming = session
        .as_ref()
        .filter(|s| s.is_recording())
        .map(|_| incoming_request(&parts, &body, client_ip));
    let endpoint = format!("{} {}", parts.method, parts.uri.path());
    let request = Request::from_parts(parts, Full::new(body));
    let Some(session) = session.map(Arc::new) else {
        let response = inner.call(request).await?;
        return Ok(buffer(response).await.0);
    };
    let outcome = CatchUnwind(Box::pin(session::scope(
        Arc::clone(&session),
        inner.call(request),
    )))
    .await;
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Some(replay) = session.replay() {
        report_replay(&endpoint, replay, duration_ms);
    }
    let Some(incoming) = incoming else {
        return match outcome {
            Ok(result) => Ok(buffer(result?).await.0),
            Err(payload) => std::panic::resume_unwind(payload),
        };
    };
    let mut exchange = Exchange {
        session_id: new_session_id(),
        started_at_unix_micros,
        duration_ms,
        request: incoming,
        response: None,
        calls: Vec::new(),
        failure: None,
    };
    let result = match outcome {
        Err(payload) => {
            exchange.failure = Some(AppFailure {
                error_type: String::from("panic"),
                message: panic_message(payload.as_ref()),
            });
            finish(&capture, &session, exchange).await;
            std::panic::resume_unwind(payload);
        }
        Ok(Err(error)) => {
            exchange.failure = Some(AppFailure {
                error_type: String::from("service error"),
                message: error.to_string(),
            });
            Err(error)
        }
        Ok(Ok(response)) => {
            let (response, body, body_error) = buffer(response).await;
            exchange.response = Some(OutgoingResponse {
                status: response.status().as_u16(),
                headers: header_pairs(response.headers()),
                body: body.to_vec(),
            });
            exchange.failure = body_error.map(|message| AppFailure {
                error_type: String::from("body error"),
                message,
            });
            Ok(response)
        }
    };
    // Re-measure so the duration covers the response body too.
    exchange.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    finish(&capture, &session, exchange).await;
    result
}

/// Takes the session's calls into the exchange and writes the cassette; a write failure is
/// reported on stderr and never fails the request.
async fn finish(capture: &Capture, session: &Session, mut exchange: Exchange) {
    exchange.calls = session.take_calls();
    if let Err(err) = capture.write(&exchange).await {
        eprintln!("tapedeck: {err:#}");
    }
}

fn report_replay(endpoint: &str, replay: &session::Replay, duration_ms: f64) {
    let answered = *replay
        .answered
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let left = replay.replayer.unconsumed();
    let matched = if left == 0 {
        String::from("OK")
    } else {
        format!("WARN ({left} unconsumed)")
    };
    eprintln!(
        "tapedeck replay {endpoint}  mocked={answered}  matched={matched}  runtime={duration_ms:.0}ms"
    );
}

/// The response with its body collected (and a copy of the body: `Bytes` is
/// reference-counted); the error text when the body failed midway.
async fn buffer<B>(response: Response<B>) -> (Response<Full<Bytes>>, Bytes, Option<String>)
where
    B: http_body::Body,
    B::Error: Display,
{
    let (parts, body) = response.into_parts();
    let (bytes, error) = match body.collect().await {
        Ok(collected) => (collected.to_bytes(), None),
        Err(err) => (Bytes::new(), Some(err.to_string())),
    };
    (
        Response::from_parts(parts, Full::new(bytes.clone())),
        bytes,
        error,
    )
}

fn status_only(status: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}
