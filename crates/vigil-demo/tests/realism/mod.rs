//! What a demo store must look like to a person walking it: one clock for
//! everything (no raid still planned for a day gone by, cases opened after
//! their raid, hearings after the opening, verdicts after the hearings,
//! nothing after today), and screenings at several posts over several
//! months, some on a recruiter the analysts confirmed, with their fairness
//! report filled in.

use std::collections::BTreeSet;

use time::{OffsetDateTime, UtcOffset};
use vigil_core::staff::Principal;
use vigil_core::{Vigil, cases, fairness, screenings};

async fn principal(v: &Vigil, username: &str) -> Principal {
    let row = v
        .store
        .staff_by_username(username)
        .await
        .expect("staff")
        .expect(username);
    Principal::of(&row)
}

fn ict(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(UtcOffset::from_hms(7, 0, 0).expect("offset"))
}

/// Past operations are done with an outcome; only future ones are planned.
pub async fn operations_follow_the_clock(v: &Vigil) {
    let now = OffsetDateTime::now_utc();
    let ops = v.store.operations(None, None).await.expect("operations");
    let mut planned = 0;
    for o in &ops {
        let op = &o.operation;
        let planned_for = op.planned_for.expect("planned for");
        match op.status.as_str() {
            "planned" => {
                planned += 1;
                assert!(
                    planned_for > now,
                    "{} planned for {planned_for}",
                    op.reference
                );
            }
            "done" => {
                let happened = op.happened_at.expect("happened");
                assert!(happened <= now && planned_for <= happened, "{op:?}");
                assert!(!op.outcome.is_empty(), "{op:?}");
            }
            other => panic!("{}: status {other}", op.reference),
        }
    }
    assert!(
        planned > 0 && planned < ops.len(),
        "{planned} of {}",
        ops.len()
    );
}

/// Every case was opened after its raid, charged after it was opened, heard
/// after that, and decided at its last hearing, none of it after today; a
/// case without a verdict has a hearing to come.
pub async fn cases_follow_the_clock(v: &Vigil) {
    let now = OffsetDateTime::now_utc();
    let today = ict(now).date();
    let p = principal(v, "demo.prosecutor").await;
    let rows = cases::list(&v.cases, &p, None).await.expect("cases");
    assert!(!rows.is_empty());
    let (mut heard, mut decided, mut scheduled) = (0, 0, 0);
    for row in rows {
        let view = cases::case(&v.cases, &p, row.id).await.expect("case");
        let c = &view.case.case;
        let opened = c.created_at;
        assert!(opened <= now, "{} opened {opened}", c.reference);
        for op in &c.operations {
            let raid = v.store.operation(*op).await.expect("operation");
            let happened = raid.operation.happened_at.expect("raid happened");
            assert!(
                opened >= happened,
                "{} opened {opened} before its raid {happened}",
                c.reference
            );
        }
        let mut last_held = None;
        for h in &view.hearings {
            let at = h.hearing.at;
            assert!(
                at > opened,
                "{}: hearing {at} before opening {opened}",
                c.reference
            );
            if at <= now {
                assert!(!h.hearing.outcome.is_empty(), "{h:?}");
                last_held = Some(ict(at).date());
                heard += 1;
            } else {
                assert!(h.hearing.outcome.is_empty(), "{h:?}");
                scheduled += 1;
            }
        }
        let decided_here = view.charges.iter().any(|c| c.verdict_on.is_some());
        let next = view.hearings.iter().any(|h| h.hearing.at > now);
        assert!(
            decided_here || next,
            "{}: no verdict and no hearing to come",
            c.reference
        );
        for charge in &view.charges {
            assert!(charge.charge.charged_on >= ict(opened).date(), "{charge:?}");
            if let Some(on) = charge.verdict_on {
                let held = last_held.expect("a verdict after hearings");
                assert!(
                    on >= held && on <= today,
                    "{}: verdict {on}, last hearing {held}",
                    c.reference
                );
                assert!(on >= charge.charge.charged_on);
                decided += 1;
            }
        }
    }
    assert!(heard > 0 && decided > 0, "{heard} {decided} {scheduled}");
}

/// Screenings at several posts over several months, cleared and referred,
/// some on a confirmed recruiter's contact; the fairness report counts them.
pub async fn screenings_are_there(v: &Vigil) {
    let p = principal(v, "demo.immigration").await;
    let listed = fairness::recent(&v.screening, &p, 500)
        .await
        .expect("recent");
    assert!(listed.len() >= 10, "{}", listed.len());
    let posts: BTreeSet<&str> = listed.iter().map(|s| s.post.as_str()).collect();
    let month = |s: &fairness::Listed| {
        let t = ict(s.created_at);
        format!("{:04}-{:02}", t.year(), u8::from(t.month()))
    };
    let months: BTreeSet<String> = listed.iter().map(month).collect();
    assert!(
        posts.len() >= 3 && months.len() >= 3,
        "{posts:?} {months:?}"
    );
    let outcomes: BTreeSet<&str> = listed.iter().map(|s| s.outcome.as_str()).collect();
    assert!(
        outcomes.contains("clear") && outcomes.contains("refer"),
        "{outcomes:?}"
    );
    assert!(listed.iter().all(|s| s.decision.is_some()));
    assert!(listed.iter().any(|s| s.referral.is_some()));
    let mut on_watchlist = 0;
    for s in &listed {
        let row = v.store.screening(s.id).await.expect("screening");
        on_watchlist += usize::from(row.screening.reasons.contains("watchlist_match"));
    }
    assert!(on_watchlist > 0, "no screening named a confirmed recruiter");
    // A screening opens like one made at the counter.
    let opened = screenings::open(&v.screening, &p, listed[0].id)
        .await
        .expect("open");
    assert!(
        opened.traveller.contains("EX-DEMO-"),
        "{}",
        opened.traveller
    );
    let first = &listed[listed.len() - 1];
    let report = fairness::report(&v.screening, &p, &first.post, &month(first))
        .await
        .expect("report");
    assert!(
        report.total.screenings > 0 && !report.policies.is_empty(),
        "{report:?}"
    );
}
