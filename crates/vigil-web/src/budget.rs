//! Global budgets: request-body bytes held by all requests together and
//! requests handled at once (`[http] max_body_bytes_in_flight`,
//! `max_requests_in_flight`). A request beyond either is answered 503 with
//! `Retry-After` (a page in the reader's language, or the API's JSON error)
//! instead of being read. The health endpoints are never counted nor refused.
//!
//! A body counts as it arrives: its `Content-Length` is taken from the
//! budget before a byte is read, and every byte past it (a chunked body, a
//! length that lied) as its frame comes in. What a request took is given back
//! when its response is ready, since a handler holds what it read until then.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use crate::error::{ApiError, PageError, Problem};
use crate::state::{AppState, Budgets};

/// Seconds a client waits before trying again when the server is busy.
const BUSY_RETRY: &str = "10";

/// What one request took from a budget; given back when dropped (by the
/// middleware and the body both, whichever is last).
#[derive(Debug)]
struct Charge {
    budgets: Arc<Budgets>,
    bytes: AtomicUsize,
    /// Set when a frame found the budget spent: the answer is then 503,
    /// whatever the handler made of the cut body.
    refused: AtomicBool,
}

impl Charge {
    fn take(&self, n: usize) -> bool {
        if self.budgets.bytes.try_take(n) {
            self.bytes.fetch_add(n, Ordering::AcqRel);
            true
        } else {
            self.refused.store(true, Ordering::Release);
            false
        }
    }
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.budgets.bytes.give_back(*self.bytes.get_mut());
    }
}

/// A request's slot in the request budget.
struct Slot(Arc<Budgets>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.requests.give_back(1);
    }
}

/// The error a body stream ends with when the budget is spent.
#[derive(Debug)]
struct BudgetSpent;

impl std::fmt::Display for BudgetSpent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the server's body budget is spent")
    }
}

impl std::error::Error for BudgetSpent {}

fn is_health(path: &str) -> bool {
    path == "/healthz" || path == "/readyz"
}

/// The 503 answer for a busy server, as the API or a page.
fn busy(path: &str) -> Response {
    let problem = Problem::new(StatusCode::SERVICE_UNAVAILABLE, "busy");
    let mut r = if path.starts_with("/api/") {
        ApiError(problem).into_response()
    } else {
        PageError::from(problem).into_response()
    };
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static(BUSY_RETRY));
    r
}

/// The 413 answer for a body larger than any request may be.
fn too_large(path: &str) -> Response {
    let problem = Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large");
    if path.starts_with("/api/") {
        ApiError(problem).into_response()
    } else {
        PageError::from(problem).into_response()
    }
}

/// The middleware: counts the request and its body against the budgets.
pub async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if is_health(&path) {
        return next.run(req).await;
    }
    let budgets = state.budgets.clone();
    if !budgets.requests.try_take(1) {
        return busy(&path);
    }
    let _slot = Slot(budgets.clone());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let charge = Arc::new(Charge {
        budgets: budgets.clone(),
        bytes: AtomicUsize::new(0),
        refused: AtomicBool::new(false),
    });
    // A body larger than any request may be is refused as such, not as a
    // busy server.
    if declared > state.vigil.settings.intake.max_request_bytes() {
        return too_large(&path);
    }
    if declared > 0 && !charge.take(declared) {
        return busy(&path);
    }
    let (parts, body) = req.into_parts();
    let in_body = charge.clone();
    let mut seen = 0usize;
    let stream = body.into_data_stream().map(move |frame| {
        let bytes = frame?;
        seen = seen.saturating_add(bytes.len());
        let taken = in_body.bytes.load(Ordering::Acquire);
        if seen > taken && !in_body.take(seen - taken) {
            return Err(axum::Error::new(BudgetSpent));
        }
        Ok(bytes)
    });
    let req = Request::from_parts(parts, Body::from_stream(stream));
    let res = next.run(req).await;
    if charge.refused.load(Ordering::Acquire) {
        return busy(&path);
    }
    res
}
