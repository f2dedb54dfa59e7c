//! `GET /staff/alerts`: server-sent events telling an open queue page at once
//! about a new tip that reports people in danger, within the staff member's
//! jurisdiction. Without JavaScript the queue page refreshes itself instead.

use std::convert::Infallible;
use std::time::Duration;
use vigil_domain::Capability;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;
use vigil_core::CoreError;
use vigil_core::pipeline::Alert;
use vigil_core::staff::Principal;

use super::Staff;
use crate::error::PageError;
use crate::state::AppState;

fn alerts(
    principal: Principal,
    rx: tokio::sync::broadcast::Receiver<Alert>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    futures::stream::unfold((principal, rx), |(p, mut rx)| async move {
        loop {
            match rx.recv().await {
                Ok(a) if p.jurisdiction.covers(a.province_code.as_deref()) => {
                    let data = serde_json::json!({
                        "tip": a.tip_id.0,
                        "url": format!("/staff/tips/{}", a.tip_id.0),
                        "signals": a.signals,
                    });
                    let event = Event::default().event("alert").data(data.to_string());
                    return Some((Ok(event), (p, rx)));
                }
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return None,
            }
        }
    })
}

/// `GET /staff/alerts`.
pub async fn stream(State(state): State<AppState>, Staff(s): Staff) -> Result<Response, PageError> {
    if !s.principal.role.can(Capability::ReadTips) {
        return Err(CoreError::Forbidden.into());
    }
    let rx = state.vigil.pipeline.alerts.subscribe();
    Ok(Sse::new(alerts(s.principal, rx))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response())
}

/// Routes of the alert stream.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    axum::Router::new().route("/staff/alerts", get(stream))
}
