//! The analyst's desk: what a signed-in staff member may see and do with tips.
//! Every object is checked here, never in templates: outside the principal's
//! jurisdiction a tip, its thread and its photos are `NotFound` (not
//! "forbidden", which would confirm they exist); a role that may not act gets
//! `Forbidden`. Every read of a tip is written to the audit chain.

use vigil_domain::{
    AnalystOp, AnalystOpKind, AttachmentId, AuditAction, Capability, TipId, TipStatus,
};
use vigil_store::{AttachmentMeta, TipQuery, TipRow};

use crate::CoreError;
use crate::followup::{self, ThreadView};
use crate::staff::Principal;
use vigil_store::DynStore;

/// The analyst's desk: tips, facilities and observables as a role may see them, and the analyst's decisions. Cheap to clone.
#[derive(Clone)]
pub struct DeskService {
    pub(crate) store: DynStore,
    /// Opens the attachments it shows.
    pub(crate) keys: std::sync::Arc<crate::keys::Keys>,
    /// Reclustered after an analyst's decision.
    pub(crate) intel: crate::facilities::IntelService,
    /// Its watchlists forgotten after a hub/ignore mark.
    pub(crate) screening: crate::screening::ScreeningService,
    pub(crate) intake: crate::intake::IntakeService,
}

impl DeskService {
    /// The slice over its parts.
    pub fn new(
        store: DynStore,
        keys: std::sync::Arc<crate::keys::Keys>,
        intel: crate::facilities::IntelService,
        screening: crate::screening::ScreeningService,
        intake: crate::intake::IntakeService,
    ) -> Self {
        DeskService {
            store,
            keys,
            intel,
            screening,
            intake,
        }
    }
}

/// Tips per queue page.
pub const PAGE: i64 = 50;

/// One page of the queue.
#[derive(Debug, Clone)]
pub struct QueuePage {
    /// The tips, most dangerous first, then newest.
    pub tips: Vec<crate::views::Tip>,
    /// How many tips match in all (within the jurisdiction).
    pub total: i64,
    /// The facility of each listed tip that is in one the principal may see:
    /// (tip, facility, its readable name as JSON).
    pub facilities: Vec<(TipId, vigil_domain::FacilityId, String)>,
}

fn may_read(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::ReadTips) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

fn may_triage(p: &Principal) -> Result<(), CoreError> {
    if p.role.can(Capability::TriageTips) {
        Ok(())
    } else {
        Err(CoreError::Forbidden)
    }
}

/// A tip, if it lies within the principal's jurisdiction (no audit entry).
async fn visible_tip(v: &DeskService, p: &Principal, id: TipId) -> Result<TipRow, CoreError> {
    may_read(p)?;
    let tip = v.store.tip(id).await?;
    if p.jurisdiction.covers(tip.location.province_code.as_deref()) {
        Ok(tip)
    } else {
        Err(CoreError::NotFound)
    }
}

/// The facility's readable name (JSON; empty: none yet) if it exists and
/// lies within the principal's jurisdiction (a tip may belong to a facility
/// placed in another province).
async fn visible_facility(
    v: &DeskService,
    p: &Principal,
    id: vigil_domain::FacilityId,
) -> Result<Option<String>, CoreError> {
    match v.store.facility(id).await {
        Ok((row, _)) if p.jurisdiction.covers(row.province_code.as_deref()) => Ok(Some(row.name)),
        Ok(_) | Err(vigil_store::StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The queue within the principal's jurisdiction.
pub async fn queue(
    v: &DeskService,
    p: &Principal,
    status: Option<TipStatus>,
    page: i64,
) -> Result<QueuePage, CoreError> {
    may_read(p)?;
    let (tips, total) = v
        .store
        .list_tips(&TipQuery {
            provinces: p.jurisdiction.provinces().map(<[String]>::to_vec),
            status,
            limit: PAGE,
            offset: page.max(0).saturating_mul(PAGE),
        })
        .await?;
    let ids: Vec<TipId> = tips.iter().map(|t| t.id).collect();
    let facilities = v
        .store
        .facilities_of(&ids)
        .await?
        .into_iter()
        .filter(|(_, _, _, province)| p.jurisdiction.covers(province.as_deref()))
        .map(|(t, f, name, _)| (t, f, name))
        .collect();
    Ok(QueuePage {
        tips: crate::views::tips(tips),
        total,
        facilities,
    })
}

/// A tip as the desk shows it.
#[derive(Debug, Clone)]
pub struct TipView {
    /// The tip.
    pub tip: crate::views::Tip,
    /// Identifiers found in its text (byte spans into `tip.text`).
    pub identifiers: Vec<vigil_extract::Found>,
    /// Its thread with the reporter.
    pub thread: ThreadView,
    /// Its photos (metadata).
    pub photos: Vec<AttachmentMeta>,
    /// The suspected facility it belongs to, once the pipeline has run.
    pub facility: Option<vigil_domain::FacilityId>,
    /// That facility's readable name (`vigil_intel::FacilityName` as JSON;
    /// empty: none yet).
    pub facility_name: String,
    /// Its reward, once awarded (staff never see the code).
    pub reward: Option<crate::rewards::RewardStatus>,
}

/// A tip with its identifiers, thread and photos, recorded on the audit chain
/// as read.
pub async fn tip(v: &DeskService, p: &Principal, id: TipId) -> Result<TipView, CoreError> {
    let tip = visible_tip(v, p, id).await?;
    v.store
        .append_audit(p.audit(AuditAction::TipRead, format!("tip:{id}"), String::new()))
        .await?;
    let mut thread = followup::thread_of(&v.intake, id).await?;
    // The code is the reporter's alone: staff see the award, not the code.
    let reward = thread.reward.take().map(|r| r.status);
    let photos = v.store.attachments(id).await?;
    let identifiers = vigil_extract::extract(&tip.text);
    let (facility, facility_name) = match v.store.facility_of(id).await? {
        Some(f) => match visible_facility(v, p, f).await? {
            Some(name) => (Some(f), name),
            None => (None, String::new()),
        },
        None => (None, String::new()),
    };
    Ok(TipView {
        tip: tip.into(),
        identifiers,
        thread,
        photos,
        facility,
        facility_name,
        reward,
    })
}

/// A photo of a tip (decrypted), if the tip is visible; audited.
pub async fn photo(
    v: &DeskService,
    p: &Principal,
    id: AttachmentId,
) -> Result<(String, Vec<u8>), CoreError> {
    may_read(p)?;
    let row = v.store.attachment(id).await?;
    visible_tip(v, p, row.meta.tip_id).await?;
    v.store
        .append_audit(p.audit(
            AuditAction::AttachmentRead,
            format!("attachment:{id}"),
            format!("tip:{}", row.meta.tip_id),
        ))
        .await?;
    let bytes = v
        .keys
        .open(crate::intake::ATTACHMENT_PURPOSE, &row.data_enc)?;
    Ok((row.meta.mime, bytes))
}

/// Writes to the reporter through the receipt thread.
pub async fn reply(v: &DeskService, p: &Principal, id: TipId, body: &str) -> Result<(), CoreError> {
    may_triage(p)?;
    visible_tip(v, p, id).await?;
    followup::staff_reply(&v.intake, id, &format!("staff:{}", p.username), body).await?;
    Ok(())
}

/// Changes a tip's coarse status (what the reporter sees).
pub async fn set_status(
    v: &DeskService,
    p: &Principal,
    id: TipId,
    status: TipStatus,
) -> Result<(), CoreError> {
    may_triage(p)?;
    visible_tip(v, p, id).await?;
    v.store
        .set_status(
            id,
            status,
            p.audit(
                AuditAction::TipStatus,
                format!("tip:{id}"),
                status.as_str().into(),
            ),
        )
        .await?;
    Ok(())
}

/// One reason of a facility's priority.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ReasonView {
    /// Stable code (`held`, `corroboration`, …).
    pub code: String,
    /// Its weight in the score.
    pub weight: f64,
    /// The evidence in plain English (for the API).
    #[serde(default)]
    pub detail: String,
    /// The evidence as numbers by name (see `vigil_intel::Reason::args`);
    /// empty in reasons stored before they were kept.
    #[serde(default)]
    pub args: std::collections::BTreeMap<String, f64>,
}

/// A facility as the desk shows it.
#[derive(Debug, Clone)]
pub struct FacilityView {
    /// The facility.
    pub facility: crate::views::Facility,
    /// Its reasons, largest first.
    pub reasons: Vec<ReasonView>,
    /// Its tips within the principal's jurisdiction, newest first: all of
    /// them ([`facility`]) or one page of at most [`PAGE`] ([`facility_page`]).
    pub tips: Vec<crate::views::Tip>,
    /// How many of its tips lie within the jurisdiction.
    pub total_tips: i64,
    /// The cursor of the next (older) page, when there is one: pass it to
    /// [`facility_page`] as `after`.
    pub next: Option<String>,
}

/// The text form of a page cursor of a facility's tips (the last tip shown);
/// opaque to callers.
fn tip_cursor(tip: TipId) -> String {
    format!("k{:x}", tip.0)
}

/// Reads [`tip_cursor`]'s form; `None` if it is not one.
fn parse_tip_cursor(s: &str) -> Option<TipId> {
    let hex = s.strip_prefix('k')?;
    if hex.is_empty() || hex.len() > 16 {
        return None;
    }
    i64::from_str_radix(hex, 16)
        .ok()
        .filter(|n| *n > 0)
        .map(TipId)
}

fn reasons_of(f: &vigil_store::FacilityRow) -> Vec<ReasonView> {
    serde_json::from_str(&f.reasons).unwrap_or_default()
}

/// Facilities within the principal's jurisdiction, highest priority first.
pub async fn facilities(
    v: &DeskService,
    p: &Principal,
    page: i64,
) -> Result<(Vec<(crate::views::Facility, Vec<ReasonView>)>, i64), CoreError> {
    may_read(p)?;
    let (rows, total) = v
        .store
        .facilities(&vigil_store::FacilityQuery {
            provinces: p.jurisdiction.provinces().map(<[String]>::to_vec),
            limit: PAGE,
            offset: page.max(0).saturating_mul(PAGE),
        })
        .await?;
    Ok((
        rows.into_iter()
            .map(|f| {
                let r = reasons_of(&f);
                (f.into(), r)
            })
            .collect(),
        total,
    ))
}

/// The facilities of `ids` that lie within the principal's jurisdiction, in
/// the order asked; unknown ids and those outside it are left out. Not
/// audited, as the queue is not: what is read is what the queue lists.
pub async fn facilities_by_id(
    v: &DeskService,
    p: &Principal,
    ids: &[vigil_domain::FacilityId],
) -> Result<Vec<crate::views::Facility>, CoreError> {
    may_read(p)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match v.store.facility(*id).await {
            Ok((f, _)) if p.jurisdiction.covers(f.province_code.as_deref()) => out.push(f.into()),
            Ok(_) | Err(vigil_store::StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// A facility, if it lies within the principal's jurisdiction; audited.
pub async fn facility(
    v: &DeskService,
    p: &Principal,
    id: vigil_domain::FacilityId,
) -> Result<FacilityView, CoreError> {
    may_read(p)?;
    let (facility, tip_ids) = v.store.facility(id).await?;
    if !p.jurisdiction.covers(facility.province_code.as_deref()) {
        return Err(CoreError::NotFound);
    }
    v.store
        .append_audit(p.audit(
            AuditAction::FacilityRead,
            format!("facility:{id}"),
            String::new(),
        ))
        .await?;
    // Newest first, in one query.
    let tips: Vec<_> = v
        .store
        .tips_by_ids(&tip_ids)
        .await?
        .into_iter()
        .rev()
        .filter(|t| p.jurisdiction.covers(t.location.province_code.as_deref()))
        .collect();
    let reasons = reasons_of(&facility);
    Ok(FacilityView {
        facility: facility.into(),
        reasons,
        total_tips: tips.len() as i64,
        tips: crate::views::tips(tips),
        next: None,
    })
}

/// A facility with one page of its tips (newest first, within the
/// principal's jurisdiction), those older than the cursor `after` (the
/// `next` of the previous page) when given: a keyset read, so every tip
/// comes once however many the facility has. Audited as [`facility`].
pub async fn facility_page(
    v: &DeskService,
    p: &Principal,
    id: vigil_domain::FacilityId,
    after: Option<&str>,
) -> Result<FacilityView, CoreError> {
    may_read(p)?;
    let before = match after.filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => Some(parse_tip_cursor(a).ok_or_else(|| {
            crate::error::invalid("after", crate::field::FieldMessage::NotAQuery)
        })?),
    };
    let (facility, _) = v.store.facility(id).await?;
    if !p.jurisdiction.covers(facility.province_code.as_deref()) {
        return Err(CoreError::NotFound);
    }
    v.store
        .append_audit(p.audit(
            AuditAction::FacilityRead,
            format!("facility:{id}"),
            String::new(),
        ))
        .await?;
    let scope = p.jurisdiction.provinces().map(<[String]>::to_vec);
    // One more than the page, to know whether an older page exists.
    let (mut ids, total_tips) = v
        .store
        .facility_tips_page(id, scope.as_deref(), before, PAGE + 1)
        .await?;
    let next = if ids.len() > PAGE as usize {
        ids.truncate(PAGE as usize);
        ids.last().copied().map(tip_cursor)
    } else {
        None
    };
    let mut rows: std::collections::HashMap<TipId, TipRow> = v
        .store
        .tips_by_ids(&ids)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let tips: Vec<_> = ids.iter().filter_map(|id| rows.remove(id)).collect();
    let reasons = reasons_of(&facility);
    Ok(FacilityView {
        facility: facility.into(),
        reasons,
        tips: crate::views::tips(tips),
        total_tips,
        next,
    })
}

/// An observable as the desk shows it: "this number: 14 tips, 3 facilities,
/// 2 provinces, first seen, last seen" — counted within the jurisdiction.
#[derive(Debug, Clone)]
pub struct ObservableView {
    /// The observable.
    pub observable: crate::views::Observable,
    /// Its tips within the jurisdiction, newest first: one page of at most
    /// [`PAGE`] (older than the cursor, when one was given).
    pub tips: Vec<crate::views::Tip>,
    /// The cursor of the next (older) page, when there is one.
    pub next: Option<TipId>,
    /// How many tips carry it in all, when the reader's jurisdiction is
    /// national (the stored count is not split by province).
    pub total: Option<i64>,
    /// Facilities those tips belong to, each with its readable name
    /// (`vigil_intel::FacilityName` as JSON; empty: none yet).
    pub facilities: Vec<(vigil_domain::FacilityId, String)>,
    /// Provinces of those tips.
    pub provinces: Vec<String>,
    /// Earliest and latest of those tips.
    pub seen: Option<(time::OffsetDateTime, time::OffsetDateTime)>,
    /// Recruiters it is a contact of, as the reader may see them.
    pub recruiters: Vec<i64>,
}

/// An observable by kind and value (typed in any format: it is normalised
/// first), if any tip within the jurisdiction carries it; audited. Its first
/// page of tips.
pub async fn observable(
    v: &DeskService,
    p: &Principal,
    kind: &str,
    value: &str,
) -> Result<ObservableView, CoreError> {
    observable_page(v, p, kind, value, None).await
}

/// [`observable`] with the page of tips older than `before` (the `next` of
/// the previous page): a keyset read, so every tip comes once however many
/// carry the value.
pub async fn observable_page(
    v: &DeskService,
    p: &Principal,
    kind: &str,
    value: &str,
    before: Option<TipId>,
) -> Result<ObservableView, CoreError> {
    may_read(p)?;
    let value = vigil_extract::extract(value)
        .into_iter()
        .find(|f| f.kind.as_str() == kind)
        .map_or_else(|| value.trim().to_string(), |f| f.value);
    let o = v
        .store
        .observable(kind, &value)
        .await?
        .ok_or(CoreError::NotFound)?;
    let provinces_scope = p.jurisdiction.provinces().map(<[String]>::to_vec);
    // One more than the page, to know whether an older page exists.
    let mut ids = v
        .store
        .related_tips_page(o.id, provinces_scope.as_deref(), before, PAGE + 1)
        .await?;
    let next = if ids.len() > PAGE as usize {
        ids.truncate(PAGE as usize);
        ids.last().copied()
    } else {
        None
    };
    // A value no tip within the jurisdiction carries is still shown when
    // it is a visible recruiter's contact (victims gave it).
    let recruiters = crate::recruiters::of_observable(&v.store, p, o.id).await?;
    if before.is_none() && ids.is_empty() && recruiters.is_empty() {
        return Err(CoreError::NotFound);
    }
    v.store
        .append_audit(p.audit(
            AuditAction::ObservableRead,
            format!("observable:{}", o.id.0),
            String::new(),
        ))
        .await?;
    let mut facilities = Vec::new();
    for &id in &ids {
        if let Some(f) = v.store.facility_of(id).await? {
            facilities.push(f);
        }
    }
    // In the order the related tips came (newest first), read in one query.
    let mut rows: std::collections::HashMap<TipId, TipRow> = v
        .store
        .tips_by_ids(&ids)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let tips: Vec<_> = ids.iter().filter_map(|id| rows.remove(id)).collect();
    facilities.sort();
    facilities.dedup();
    // A tip here may belong to a facility placed in another province: that
    // facility is neither listed nor counted.
    let mut visible = Vec::with_capacity(facilities.len());
    for f in facilities {
        if let Some(name) = visible_facility(v, p, f).await? {
            visible.push((f, name));
        }
    }
    let facilities = visible;
    let mut provinces: Vec<String> = tips
        .iter()
        .filter_map(|t| t.location.province_code.clone())
        .collect();
    provinces.sort();
    provinces.dedup();
    let seen = tips
        .iter()
        .map(|t| t.received_at)
        .min()
        .zip(tips.iter().map(|t| t.received_at).max());
    let total = provinces_scope.is_none().then_some(o.tips);
    Ok(ObservableView {
        observable: o.into(),
        tips: crate::views::tips(tips),
        next,
        total,
        facilities,
        provinces,
        seen,
        recruiters,
    })
}

/// An analyst operation in words, for the audit entry's detail.
fn describe(op: &AnalystOp) -> String {
    let tips = |t: &[i64]| {
        t.iter()
            .map(|t| format!("tip:{t}"))
            .collect::<Vec<_>>()
            .join("+")
    };
    match op {
        AnalystOp::Merge { a, b } => format!("{} {}", op.kind(), tips(&[*a, *b])),
        AnalystOp::Split { tip } => format!("{} {}", op.kind(), tips(&[*tip])),
        AnalystOp::KeepApart { tips: t } => format!("{} {}", op.kind(), tips(t)),
    }
}

async fn apply_op(
    v: &DeskService,
    p: &Principal,
    kind: AnalystOpKind,
    ops: Vec<AnalystOp>,
    object: String,
) -> Result<(), CoreError> {
    let detail = ops.iter().map(describe).collect::<Vec<_>>().join("; ");
    v.store
        .add_analyst_op(&ops, p.audit(kind.audit_action(), object, detail))
        .await?;
    crate::facilities::invalidate(&v.intel).await;
    crate::screening::invalidate(&v.screening).await;
    crate::facilities::recluster(&v.intel).await?;
    Ok(())
}

/// Merges two facilities (both must be visible); survives reclustering.
pub async fn merge(
    v: &DeskService,
    p: &Principal,
    a: vigil_domain::FacilityId,
    b: vigil_domain::FacilityId,
) -> Result<(), CoreError> {
    may_triage(p)?;
    let fa = facility(v, p, a).await?;
    let fb = facility(v, p, b).await?;
    // Every tip of both, as they stand now, stays together.
    let tips: Vec<i64> = fa.tips.iter().chain(&fb.tips).map(|t| t.id.0).collect();
    let Some(first) = tips.first().copied() else {
        return Err(CoreError::NotFound);
    };
    let ops = tips
        .iter()
        .skip(1)
        .map(|t| AnalystOp::Merge { a: first, b: *t })
        .collect();
    apply_op(
        v,
        p,
        AnalystOpKind::Merge,
        ops,
        format!("facility:{a}+facility:{b}"),
    )
    .await
}

/// Takes a tip out of its facility (it stands alone unless merged again);
/// survives reclustering.
pub async fn split(v: &DeskService, p: &Principal, tip: TipId) -> Result<(), CoreError> {
    may_triage(p)?;
    visible_tip(v, p, tip).await?;
    apply_op(
        v,
        p,
        AnalystOpKind::Split,
        vec![AnalystOp::Split { tip: tip.0 }],
        format!("tip:{tip}"),
    )
    .await
}

/// Keeps tips apart: no two of them end up in one facility again, whatever
/// they share (each must be visible); survives reclustering.
pub async fn keep_apart(v: &DeskService, p: &Principal, tips: &[TipId]) -> Result<(), CoreError> {
    may_triage(p)?;
    let mut ids: Vec<i64> = tips.iter().map(|t| t.0).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() < 2 {
        return Err(crate::error::invalid(
            "tip",
            (crate::field::FieldMessage::TooFew, "min", 2),
        ));
    }
    for t in &ids {
        visible_tip(v, p, TipId(*t)).await?;
    }
    let object = ids
        .iter()
        .map(|t| format!("tip:{t}"))
        .collect::<Vec<_>>()
        .join("+");
    apply_op(
        v,
        p,
        AnalystOpKind::KeepApart,
        vec![AnalystOp::KeepApart { tips: ids }],
        object,
    )
    .await
}

/// An admin marks a value as a hub (a lead that never merges facilities), to
/// ignore, or back to automatic.
pub async fn set_observable_mode(
    v: &DeskService,
    p: &Principal,
    kind: &str,
    value: &str,
    mode: crate::views::LinkMode,
) -> Result<(), CoreError> {
    let mode = vigil_store::ObservableMode::from(mode);
    if !p.role.can(Capability::Administer) {
        return Err(CoreError::Forbidden);
    }
    let o = v
        .store
        .observable(kind, value)
        .await?
        .ok_or(CoreError::NotFound)?;
    v.store
        .set_observable_mode(
            o.id,
            mode,
            p.audit(
                AuditAction::ObservableMode,
                format!("observable:{}", o.id.0),
                mode.as_str().into(),
            ),
        )
        .await?;
    crate::facilities::invalidate(&v.intel).await;
    crate::screening::invalidate(&v.screening).await;
    crate::facilities::recluster(&v.intel).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{parse_tip_cursor, tip_cursor};
    use vigil_domain::TipId;

    #[test]
    fn a_tip_cursor_reads_back_and_nothing_else_does() {
        for id in [1, 42, 371, i64::MAX] {
            assert_eq!(parse_tip_cursor(&tip_cursor(TipId(id))), Some(TipId(id)));
        }
        for bad in ["", "k", "42", "kzz", "k-1", "k0", "k10000000000000000"] {
            assert_eq!(parse_tip_cursor(bad), None, "{bad}");
        }
    }
}
