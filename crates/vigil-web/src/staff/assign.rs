//! Assignment to officers: the panel on the facility and tip pages, and
//! `POST /staff/facilities/{id}/assign`, `POST /staff/tips/{id}/assign`.

use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;
use vigil_core::CoreError;
use vigil_core::assign;
use vigil_core::staff::Session;
use vigil_core::views::Target;
use vigil_domain::Capability;
use vigil_domain::{FacilityId, TipId};

use super::form::StaffForm;
use crate::display::when;
use crate::error::PageError;
use crate::state::AppState;

/// What the pages show about an object's assignment.
pub struct Panel {
    /// "Name (username)", when assigned.
    pub to: Option<String>,
    /// Who assigned it and when.
    pub by: String,
    /// Whether it is assigned to the reader.
    pub mine: bool,
    /// Accounts it may be given to (username, label), when the reader may assign.
    pub candidates: Vec<(String, String, bool)>,
    /// Where the form posts.
    pub action: String,
}

/// The panel for an object the reader already may see.
pub async fn panel(
    state: &AppState,
    s: &Session,
    object: Target,
    lang: &str,
) -> Result<Panel, CoreError> {
    let v = &state.vigil;
    let current = assign::assignment(&v.desk, &s.principal, object).await?;
    let candidates = if s.principal.role.can(Capability::TriageTips) {
        assign::candidates(&v.desk, &s.principal, object)
            .await?
            .into_iter()
            .map(|c| {
                let chosen = current.as_ref().is_some_and(|a| a.username == c.username);
                let role = state
                    .i18n
                    .format(lang, &format!("acc-role-{}", c.role.as_str()), &[]);
                let label = format!("{} ({}, {role})", c.display_name, c.username);
                (c.username, label, chosen)
            })
            .collect()
    } else {
        Vec::new()
    };
    let action = match object {
        Target::Facility(f) => format!("/staff/facilities/{f}/assign"),
        Target::Tip(t) => format!("/staff/tips/{t}/assign"),
    };
    Ok(Panel {
        mine: current
            .as_ref()
            .is_some_and(|a| a.username == s.principal.username),
        to: current
            .as_ref()
            .map(|a| format!("{} ({})", a.display_name, a.username)),
        by: current
            .as_ref()
            .map(|a| format!("{} · {}", a.by, when(lang, a.at)))
            .unwrap_or_default(),
        candidates,
        action,
    })
}

/// The assignment form: an account's username, or empty to clear.
#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    to: String,
}

async fn apply(
    state: &AppState,
    s: &Session,
    f: &AssignForm,
    object: Target,
    back: String,
) -> Result<Redirect, PageError> {
    let v = &state.vigil;
    if f.to.trim().is_empty() {
        assign::unassign(&v.desk, &s.principal, object).await?;
    } else {
        assign::assign(&v.desk, &s.principal, object, &f.to).await?;
    }
    Ok(Redirect::to(&back))
}

/// `POST /staff/facilities/{id}/assign`.
pub async fn facility(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<AssignForm>,
) -> Result<Redirect, PageError> {
    let object = Target::Facility(FacilityId(id));
    let back = format!("/staff/facilities/{id}");
    apply(&state, &s, &f, object, back).await
}

/// `POST /staff/tips/{id}/assign`.
pub async fn tip(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm(s, f): StaffForm<AssignForm>,
) -> Result<Redirect, PageError> {
    let object = Target::Tip(TipId(id));
    let back = format!("/staff/tips/{id}");
    apply(&state, &s, &f, object, back).await
}

/// Routes of assigning facilities and tips.
pub(super) fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::post;
    axum::Router::new()
        .route("/staff/facilities/{id}/assign", post(facility))
        .route("/staff/tips/{id}/assign", post(tip))
}
