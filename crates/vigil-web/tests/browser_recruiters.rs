//! Recruiters in Debian's Chromium, in a window 360 pixels wide: with
//! JavaScript off an officer types a victim's home village by name and
//! commune and the recruiter's number on the operation page, then opens the
//! person page, the recruiter's page, the commune view and the prevention
//! list, none wider than the screen; with JavaScript on, the home village
//! field offers the villages matching what is typed.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;
mod support;

use fantoccini::{Client, Locator};
use time::OffsetDateTime;
use vigil_core::operations::{self, OperationInput};
use vigil_core::persons::{self, PersonInput};
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{Backend, TestApp};

use staffkit::{code_for, principal};
use support::{Driver, browser, click_and_load, exists, find, sign_in, text_of, tools, wait_for};

const WIDTH: f64 = 360.0;

/// A screenshot under the target's test directory, to look at.
async fn shot(c: &Client, name: &str) {
    if let Ok(png) = c.screenshot().await {
        let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let _ = std::fs::write(dir.join(format!("browser-recruiters-{name}.png")), png);
    }
}

/// Every element matched by `css` ends within the narrow window.
async fn fits(c: &Client, css: &str) {
    let all = c.find_all(Locator::Css(css)).await.expect("find_all");
    assert!(!all.is_empty(), "no {css}");
    for e in all {
        let (x, _, w, _) = e.rectangle().await.expect("rect");
        assert!(
            x >= 0.0 && x + w <= WIDTH + 0.5,
            "{css} spans {x}..{} px",
            x + w
        );
    }
}

/// A commune of `province` with at least two villages.
fn commune_with_villages(province: &str) -> (String, Vec<String>) {
    let g = gazetteer();
    for d in g.children(province) {
        for c in g.children(&d.code) {
            let villages: Vec<String> = g.children(&c.code).map(|v| v.code.clone()).collect();
            if villages.len() >= 2 {
                return (c.code.clone(), villages);
            }
        }
    }
    panic!("no commune with villages in {province}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recruiter_pages_work_with_js_off_at_360_px() {
    let Some((driver_exe, chromium)) = tools() else {
        return;
    };
    let app = TestApp::new(Backend::Sqlite, |s| {
        s.staff.password_memory_kib = 64;
        s.staff.password_iterations = 1;
    })
    .await;
    let v = &app.vigil;
    let secret = staffkit::enrolled(
        v,
        "sok",
        "Sok",
        Role::Officer,
        Jurisdiction::Provinces(vec!["14".into()]),
    )
    .await;

    // A raid in the commune, two victims already recorded from its first
    // village.
    let g = gazetteer();
    let (home, villages) = commune_with_villages("14");
    let officer = principal(v, "sok").await;
    let op = operations::plan(
        &v.operations,
        &officer,
        &OperationInput {
            reference: "OP-B-1".into(),
            title: "Raid".into(),
            lead_agency: "Anti-Human Trafficking Police".into(),
            happened_at: "2026-11-20T05:00:00+07:00".into(),
            province_code: home[..2].into(),
            district_code: home[..4].into(),
            commune_code: home.clone(),
            place: "Compound".into(),
            status: "done".into(),
            outcome: "Raided".into(),
            ..OperationInput::default()
        },
    )
    .await
    .expect("operation");
    for given in ["Sokha", "Dara"] {
        persons::record(
            &v.persons,
            &officer,
            op,
            &PersonInput {
                role: "victim".into(),
                nationality: "KH".into(),
                language: "km".into(),
                sex: "f".into(),
                given_name: given.into(),
                family_name: "Chan".into(),
                home_village: villages[0].clone(),
                contacts: "012 345 678".into(),
                promised_job: "Casino cashier, 1,500 USD a month, food and a room".into(),
                route: "Van to the border at night, then a boat across the river".into(),
                ..PersonInput::default()
            },
        )
        .await
        .expect("victim");
    }
    let village = g.get(&villages[0]).expect("village");
    let commune = g.get(&home).expect("commune");

    let server = app.spawn().await;
    let driver = Driver::start(&driver_exe);
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&driver, &chromium, profile.path(), false).await;
    let base = server.url.clone();
    let journey = async {
        c.set_window_size(WIDTH as u32, 900).await.expect("narrow");
        c.goto(&format!("{base}/staff/operations/{op}?lang=en"))
            .await
            .expect("goto");
        sign_in(&c, "sok", "a long staff password", || {
            code_for(&secret, "sok", OffsetDateTime::now_utc().unix_timestamp())
        })
        .await;

        // The third victim, typed on the form with JavaScript off.
        c.goto(&format!("{base}/staff/operations/{op}?lang=en"))
            .await
            .expect("goto");
        for css in ["#recruitment", "#p_home", "#p_contacts"] {
            fits(&c, css).await;
        }
        find(&c, "#p_nationality")
            .await
            .send_keys("KH")
            .await
            .expect("type");
        find(&c, "#p_given")
            .await
            .send_keys("Srey")
            .await
            .expect("type");
        find(&c, "#p_home")
            .await
            .send_keys(&format!("{}, {}", village.name_en, commune.name_en))
            .await
            .expect("type");
        find(&c, "#p_contacts")
            .await
            .send_keys("+855 12 345 678")
            .await
            .expect("type");
        find(&c, "#p_job")
            .await
            .send_keys("Hotel receptionist")
            .await
            .expect("type");
        click_and_load(&c, "#person-submit").await;
        assert!(exists(&c, "#person-added").await, "recorded");
        find(&c, "#person-added a")
            .await
            .click()
            .await
            .expect("open");
        wait_for(&c, "#person-title").await;
        assert!(text_of(&c, "dd.home").await.contains(&village.name_en));
        fits(&c, "dl.fields").await;

        // The recruiter's page: three victims, stacked rows.
        find(&c, "a.recruiter-link")
            .await
            .click()
            .await
            .expect("open");
        wait_for(&c, "#recruiter-title").await;
        assert_eq!(
            c.find_all(Locator::Css("#victims-table tbody tr"))
                .await
                .expect("rows")
                .len(),
            3
        );
        for css in [
            "main",
            "#victims-table",
            "#victims-table tr",
            "#communes li",
        ] {
            fits(&c, css).await;
        }
        shot(&c, "recruiter").await;

        // The commune view: three victims from the village, the trend, the map.
        find(&c, &format!("#communes a[href='/staff/areas/{home}']"))
            .await
            .click()
            .await
            .expect("open");
        wait_for(&c, "#area-title").await;
        assert!(
            text_of(&c, &format!("tr[data-village='{}']", villages[0]))
                .await
                .contains('3')
        );
        for css in [
            "main",
            "#area-villages table",
            "figure.trend svg",
            "#area-map svg",
        ] {
            fits(&c, css).await;
        }
        shot(&c, "commune").await;

        // The prevention list, in Khmer.
        c.goto(&format!("{base}/staff/prevention?lang=km"))
            .await
            .expect("goto");
        wait_for(&c, "#prevention").await;
        assert_eq!(
            find(&c, "#prevention tbody tr")
                .await
                .attr("data-commune")
                .await
                .expect("attr")
                .as_deref(),
            Some(home.as_str())
        );
        for css in ["main", "#prevention", "#prevention tr", "#prevention-title"] {
            fits(&c, css).await;
        }
        shot(&c, "prevention-km").await;
    };
    journey.await;
    c.close().await.expect("close");

    // With JavaScript on, the field offers matching villages.
    let profile = tempfile::tempdir().expect("profile");
    let c = browser(&driver, &chromium, profile.path(), true).await;
    let journey = async {
        c.goto(&format!("{base}/staff/operations/{op}?lang=en"))
            .await
            .expect("goto");
        sign_in(&c, "sok", "a long staff password", || {
            code_for(
                &secret,
                "sok",
                OffsetDateTime::now_utc().unix_timestamp() + 30,
            )
        })
        .await;
        c.goto(&format!("{base}/staff/operations/{op}?lang=en"))
            .await
            .expect("goto");
        find(&c, "#p_home")
            .await
            .send_keys(&village.name_en)
            .await
            .expect("type");
        wait_for(&c, &format!("#p_home_list option[value='{}']", villages[0])).await;
    };
    journey.await;
    c.close().await.expect("close");
}
