//! The reqwest middleware: outbound calls recorded as `http.client` events, or answered from
//! the replayed cassette.

use std::time::Instant;

use anyhow::anyhow;
use reqwest_middleware::{Error, Next, Result};
use tapedeck_core::record::{CallOutcome, DependencyCall};
use tapedeck_core::replay::{Call, MatchOutcome};

use super::exchange::header_pairs;
use super::session::{self, Replay};

/// Add it to a `reqwest_middleware::ClientBuilder`. Inside a request served through
/// [`super::RecordLayer`] it records (record mode) or answers (replay mode) each call; outside
/// one, or in `off` mode, it does nothing.
///
/// In record mode the response body is read in full (to record it) and handed back from
/// memory, so `Response::url()` of a recorded call reads `http://no.url.provided.local`.
#[derive(Clone, Copy, Debug, Default)]
pub struct CaptureMiddleware;

#[async_trait::async_trait]
impl reqwest_middleware::Middleware for CaptureMiddleware {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> Result<reqwest::Response> {
        let Some(session) = session::current() else {
            return next.run(request, extensions).await;
        };
        if let Some(replay) = session.replay() {
            return answer(replay, &request);
        }
        if !session.is_recording() {
            return next.run(request, extensions).await;
        }
        let method = request.method().as_str().to_owned();
        let url = request.url().to_string();
        let request_headers = header_pairs(request.headers());
        let request_body = request_body(&request);
        let start = Instant::now();
        let (outcome, result) = match next.run(request, extensions).await {
            Ok(response) => read_response(response).await,
            Err(err) => (failure(&err), Err(err)),
        };
        session.push_call(DependencyCall {
            event_type: String::from("http.client"),
            lib: String::from("reqwest"),
            method,
            url,
            request_headers,
            request_body,
            start_offset_ms: session.offset_ms(start),
            duration_ms: start.elapsed().as_secs_f64() * 1000.0,
            outcome,
        });
        result
    }
}

fn request_body(request: &reqwest::Request) -> Vec<u8> {
    request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .map(<[u8]>::to_vec)
        .unwrap_or_default()
}

/// Reads the whole body, records it, and gives the caller an equivalent response.
async fn read_response(response: reqwest::Response) -> (CallOutcome, Result<reqwest::Response>) {
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    match response.bytes().await {
        Ok(body) => {
            let outcome = CallOutcome::Response {
                status: i64::from(status.as_u16()),
                headers: header_pairs(&headers),
                body: body.to_vec(),
            };
            let mut rebuilt = http::Response::new(body);
            *rebuilt.status_mut() = status;
            *rebuilt.version_mut() = version;
            *rebuilt.headers_mut() = headers;
            (outcome, Ok(reqwest::Response::from(rebuilt)))
        }
        Err(err) => {
            let err = Error::Reqwest(err);
            (failure(&err), Err(err))
        }
    }
}

/// A failed call as Timetracer records one: an error type name (httpx's class names where
/// they correspond) and the message.
fn failure(err: &Error) -> CallOutcome {
    let error_type = match err {
        Error::Reqwest(e) if e.is_connect() => "ConnectError",
        Error::Reqwest(e) if e.is_timeout() => "TimeoutException",
        Error::Reqwest(e) if e.is_redirect() => "TooManyRedirects",
        Error::Reqwest(e) if e.is_decode() || e.is_body() => "DecodingError",
        Error::Reqwest(_) => "RequestError",
        Error::Middleware(_) => "MiddlewareError",
    };
    CallOutcome::Failed {
        error_type: error_type.to_owned(),
        message: error_chain(err),
    }
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

/// The recorded answer, or an error naming the closest recording and what differed.
fn answer(replay: &Replay, request: &reqwest::Request) -> Result<reqwest::Response> {
    let mut call = Call::http(request.method().as_str(), request.url().as_str());
    call.lib = Some(String::from("reqwest"));
    call.headers = header_pairs(request.headers());
    call.body = request_body(request);
    match replay.replayer.answer(&call) {
        MatchOutcome::Matched(matched) => {
            *replay
                .answered
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) += 1;
            let answer = &matched.answer;
            if let Some(error) = &answer.error {
                return Err(Error::Middleware(anyhow!(
                    "Recorded error: {}",
                    error.message
                )));
            }
            let mut response = http::Response::new(answer.body.clone());
            *response.status_mut() =
                http::StatusCode::from_u16(answer.status).unwrap_or(http::StatusCode::OK);
            for (name, value) in &answer.headers {
                if let (Ok(name), Ok(value)) = (
                    http::HeaderName::try_from(name.as_str()),
                    http::HeaderValue::try_from(value.as_str()),
                ) {
                    response.headers_mut().append(name, value);
                }
            }
            Ok(reqwest::Response::from(response))
        }
        MatchOutcome::Miss(miss) => Err(Error::Middleware(anyhow!("{}", miss.message()))),
    }
}
