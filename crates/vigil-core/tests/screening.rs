//! The screening watchlist from intelligence: values from recruitment and
//! trafficking tips, found in any format, labelled only as far as the viewer
//! may see; ignored values and other tips' values are not listed.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::sync::Arc;

use time::OffsetDateTime;
use vigil_core::intake::{TipRequest, submit};
use vigil_core::keys::Keys;
use vigil_core::screening::{UNNAMED, WatchlistView, watchlist, watchlist_for};
use vigil_core::staff::Principal;
use vigil_core::{Settings, Vigil, pipeline};
use vigil_domain::{Category, Channel, DangerFlags, Jurisdiction, Location, NewTip, Role, StaffId};
use vigil_store_sqlite::SqliteStore;

async fn app(dir: &std::path::Path) -> Vigil {
    let mut settings = Settings::default();
    settings.receipts.argon2_memory_kib = 64;
    let store = SqliteStore::open(dir).await.expect("store");
    let keys = Keys::load_or_create(&dir.join("k")).expect("keys");
    Vigil::new(Arc::new(store), keys, settings)
}

async fn tip(v: &Vigil, category: Category, text: &str) {
    submit(
        v,
        TipRequest {
            tip: NewTip {
                channel: Channel::Web,
                category,
                text: text.into(),
                location: Location::default(),
                danger: DangerFlags::default(),
                received_at: OffsetDateTime::now_utc(),
                external_ref: None,
                language: None,
            },
            photos: vec![],
            use_photo_location: false,
            client_ref: None,
        },
    )
    .await
    .expect("submit");
}

fn principal(role: Role, jurisdiction: Jurisdiction) -> Principal {
    Principal {
        id: StaffId(1),
        username: "someone".into(),
        display_name: "Someone".into(),
        role,
        jurisdiction,
    }
}

fn labels(w: &vigil_screening::Watchlist, contact: &str) -> Vec<String> {
    w.find(contact)
        .into_iter()
        .flat_map(|(_, l)| l.to_vec())
        .collect()
}

#[tokio::test]
async fn recruiters_numbers_are_listed_and_labelled_as_far_as_the_viewer_may_see() {
    let dir = tempfile::tempdir().expect("dir");
    let v = app(dir.path()).await;
    tip(
        &v,
        Category::Recruitment,
        "The agent called from 012 345 678, Telegram @JobsAsia, see jobs-asia.com",
    )
    .await;
    tip(&v, Category::FraudVictim, "I lost money to 097 777 8888").await;
    pipeline::run_until_idle(&v, |_| {})
        .await
        .expect("pipeline");

    let all = watchlist(&v, &WatchlistView::operator()).await.expect("w");
    assert_eq!(labels(&all, "+855 12 345 678"), vec!["facility 1"]);
    assert_eq!(labels(&all, "t.me/jobsasia"), vec!["facility 1"]);
    assert!(
        labels(&all, "097 777 8888").is_empty(),
        "not a recruitment tip"
    );

    let analyst = principal(Role::Analyst, Jurisdiction::National);
    let w = watchlist_for(&v, &analyst).await.expect("w");
    assert_eq!(labels(&w, "0123-45678"), vec!["facility 1"]);
    // (The pipeline made the tip a facility of its own.) Immigration may see
    // which facility, never which tip; an analyst elsewhere sees neither.
    let immigration = principal(Role::Immigration, Jurisdiction::National);
    let w = watchlist_for(&v, &immigration).await.expect("w");
    assert_eq!(labels(&w, "012345678"), vec!["facility 1"]);
    let elsewhere = principal(Role::Analyst, Jurisdiction::Provinces(vec!["12".into()]));
    let w = watchlist_for(&v, &elsewhere).await.expect("w");
    assert_eq!(labels(&w, "012345678"), vec![UNNAMED]);

    // An ignored value is no longer listed.
    let admin = principal(Role::Admin, Jurisdiction::National);
    vigil_core::desk::set_observable_mode(
        &v,
        &admin,
        "phone",
        "+85512345678",
        vigil_store::ObservableMode::Ignore,
    )
    .await
    .expect("ignore");
    let w = watchlist(&v, &WatchlistView::operator()).await.expect("w");
    assert!(labels(&w, "012 345 678").is_empty());
    assert_eq!(labels(&w, "@jobsasia"), vec!["facility 1"]);
}
