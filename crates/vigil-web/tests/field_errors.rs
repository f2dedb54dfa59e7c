//! A wrong field on a staff form is shown in the officer's language: the
//! field's label and what is wrong with it both come from the catalogue, in
//! Khmer for a Khmer-speaking officer and in English for an English one; the
//! API answers in the request's language. Every message id of
//! `vigil_core::FieldMessage` and every field label used is in every
//! catalogue.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod staffkit;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use staffkit::{call, post_form, signed_in};
use vigil_core::FieldMessage;
use vigil_core::field::{self, FieldError};
use vigil_domain::gazetteer::gazetteer;
use vigil_domain::{Jurisdiction, Role};
use vigil_testkit::{TestApp, backends};
use vigil_web::i18n::{I18n, LOCALES, Tr};

#[tokio::test]
async fn a_missing_title_is_named_in_the_officers_language() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let pp = Jurisdiction::Provinces(vec!["12".into()]);
        let (cookie, csrf) = signed_in(v, "sok", Role::Officer, pp).await;
        let district = gazetteer()
            .children("12")
            .next()
            .expect("a district")
            .code
            .clone();
        let plan = [
            ("csrf", csrf.as_str()),
            ("ref", "OP-2026-015"),
            ("title", ""),
            ("lead_agency", "Anti-Human Trafficking Police"),
            ("partners", ""),
            ("planned_local", "2026-11-20T05:00"),
            ("planned_offset", "+07:00"),
            ("province_code", "12"),
            ("district_code", district.as_str()),
            ("commune_code", ""),
            ("place", "Compound by the river"),
            ("facilities", ""),
        ];

        let r = call(&app, post_form("/staff/operations?lang=km", &cookie, &plan)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("data-field=\"title\""), "{}", r.body);
        assert!(r.body.contains("ចំណងជើង៖ ត្រូវតែបំពេញ"), "{}", r.body);
        for english in ["must be given", "Title", "field-required", "field-name-"] {
            assert!(!r.body.contains(english), "{english} in {}", r.body);
        }

        let r = call(&app, post_form("/staff/operations?lang=en", &cookie, &plan)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Title: must be given"), "{}", r.body);
        assert!(!r.body.contains("field-required"), "{}", r.body);
    }
}

/// The text of message `id` in a catalogue's source, continuation lines
/// (a select's variants) included.
fn message_source(src: &str, id: &str) -> Option<String> {
    let start = format!("{id} = ");
    let mut lines = src.lines().skip_while(|l| !l.starts_with(&start));
    let first = lines.next()?;
    let mut text = first[start.len()..].to_string();
    for l in lines.take_while(|l| l.starts_with(' ')) {
        text.push('\n');
        text.push_str(l);
    }
    Some(text)
}

/// The variables a message's text uses (`$name`).
fn variables(text: &str) -> Vec<String> {
    text.split('$')
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn every_field_message_is_in_every_catalogue_with_only_its_arguments() {
    let i18n = I18n::load().expect("catalogues");
    assert!(FieldMessage::ALL.len() > 90);
    for (lang, src, _) in LOCALES {
        for m in FieldMessage::ALL {
            let text =
                message_source(src, m.id()).unwrap_or_else(|| panic!("{lang} lacks {}", m.id()));
            for var in variables(&text) {
                assert!(
                    m.args().contains(&var.as_str()),
                    "{lang} {}: ${var} is not an argument of {m:?} ({:?})",
                    m.id(),
                    m.args()
                );
            }
            let args: Vec<(&str, String)> = m.args().iter().map(|a| (*a, "7".into())).collect();
            let shown = i18n.format(lang, m.id(), &args);
            assert!(
                !shown.is_empty() && !shown.contains('{') && !shown.contains("field-"),
                "{lang} {}: {shown:?}",
                m.id()
            );
        }
        for place in [
            "field-error",
            "field-name-unknown",
            "field-at-row",
            "field-at-line",
            "field-of-item",
            "field-of-screening",
        ] {
            assert!(message_source(src, place).is_some(), "{lang} lacks {place}");
        }
    }
}

/// Field names passed as literals to the helpers that build field errors,
/// in the sources of the crates whose errors reach a page or the API.
fn field_names_in_sources() -> BTreeSet<String> {
    const HELPERS: &[&str] = &[
        "invalid(",
        "FieldError::new(",
        "FieldError::of(",
        "text(",
        "code(",
        "day(",
        "parse_date(",
        "parse_stage(",
        "time_field(",
        "nationality(",
        "country(",
        "parse_time(",
        "check_party(",
        "check_text(",
        "check_field(",
        "check_date(",
        "parse_sha256(",
        "hashes(",
        "conflict(",
        "field(",
        "err(",
        "one_id(",
        "ids(",
        "field: ",
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in [
        "vigil-core/src",
        "vigil-custody/src",
        "vigil-web/src/staff",
        "vigil-web/src/api",
    ] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    files.push(p);
                }
            }
        }
    }
    files.push(root.join("vigil-domain/src/documents.rs"));
    let mut names = BTreeSet::new();
    for f in files {
        let src = std::fs::read_to_string(&f).expect("source");
        let src = src.split("#[cfg(test)]").next().unwrap_or_default();
        for helper in HELPERS {
            for (at, _) in src.match_indices(helper) {
                // A method (`e.text(…)`) or a longer name is not the helper.
                let before = src[..at].chars().next_back().unwrap_or(' ');
                if before == '.' || before == '_' || before.is_ascii_alphanumeric() {
                    continue;
                }
                let mut rest = src[at + helper.len()..].trim_start();
                // `err(row, "field", …)`: the field after the row.
                if *helper == "err(" && !rest.starts_with('"') {
                    let Some((row, after)) = rest.split_once(',') else {
                        continue;
                    };
                    if !row.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        continue;
                    }
                    rest = after.trim_start();
                }
                let Some(lit) = rest.strip_prefix('"') else {
                    continue;
                };
                let name: String = lit.chars().take_while(|c| *c != '"').collect();
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                {
                    names.insert(name);
                }
            }
        }
    }
    names
}

#[test]
fn every_field_label_used_exists_in_every_catalogue() {
    let mut names = field_names_in_sources();
    assert!(names.len() > 80, "the scan found too few: {names:?}");
    for known in ["reference", "title", "imei", "passport_number", "username"] {
        assert!(names.contains(known), "{known} not found by the scan");
    }
    // Fields named by a lower layer at run time: a traveller record's
    // (`vigil_screening::Traveller`), a new network's on the outcome form.
    names.extend(
        [
            "traveller",
            "ref",
            "sex",
            "age",
            "nationality",
            "destination",
            "purpose",
            "documents",
            "passport",
            "visa",
            "work_permit",
            "employment_contract",
            "return_ticket",
            "guarantor",
            "cash_usd",
            "ticket_paid_by",
            "documents_held_by_other",
            "companion_answers",
            "job_offer",
            "text",
            "contact",
            "employer",
            "officer_notes",
            "ethnicity",
            "religion",
            "network_name",
            "network_leaders",
        ]
        .map(String::from),
    );
    let i18n = I18n::load().expect("catalogues");
    for (lang, _, _) in LOCALES {
        let keys = i18n.keys(lang);
        let missing: Vec<&String> = names
            .iter()
            .filter(|n| !keys.contains(&format!("field-name-{n}")))
            .collect();
        assert!(missing.is_empty(), "{lang} has no label for {missing:?}");
    }
}

#[test]
fn new_field_messages_read_in_khmer() {
    let i18n = I18n::load().expect("catalogues");
    let km = Tr::new(&i18n, "km");
    let used = FieldError::of(
        "reference",
        FieldMessage::AlreadyUsed.with("value", "OP-2026-015"),
    );
    assert_eq!(
        km.field_error(&used),
        "លេខយោង៖ «OP-2026-015» ត្រូវបានប្រើរួចហើយ"
    );
    let card = FieldError::of("card", FieldMessage::NotForKind.with("kind", "sim_card"));
    assert_eq!(km.field_error(&card), "លេខកាត៖ មិនអនុវត្តចំពោះស៊ីមកាតទេ");
    let order = FieldError::of(
        "order_id",
        FieldMessage::OrderNotIssued
            .with("value", "OD-7")
            .arg("status", "executed"),
    );
    assert_eq!(
        km.field_error(&order),
        "ដីកាបណ្តេញចេញ៖ ដីកា OD-7 ត្រូវបានអនុវត្តរួចហើយ"
    );
    // A bad CSV row, as custody refuses it: placed at its row, the IMEI quoted
    // whole (not as a number).
    let rows = vigil_custody::parse_items_csv(
        "ref,kind,iccid\nS1,sim_card,89014103211118510721\nS2,sim_card,890141032111\n",
    )
    .expect_err("bad ICCIDs");
    let lines: Vec<String> = rows
        .iter()
        .map(|r| km.field_error(&field::from_row(r, "row")))
        .collect();
    assert_eq!(
        lines,
        [
            "ជួរទី 2, ICCID៖ 89014103211118510721៖ លេខផ្ទៀងផ្ទាត់ (ខ្ទង់ចុងក្រោយ) មិនត្រូវគ្នាទេ៖ មានលេខមួយខ្ទង់វាយខុស",
            "ជួរទី 3, ICCID៖ 890141032111 មាន 12 ខ្ទង់៖ ICCID មាន ១៩ ឬ ២០ ខ្ទង់",
        ]
    );
    // Every wrong row of an input refused whole.
    let mut whole = field::from_row(&rows[0], "row");
    whole.more.push(field::from_row(&rows[1], "row"));
    assert_eq!(km.field_errors(&whole), lines);
    for line in &lines {
        assert!(
            !line.contains("field-") && !line.contains("check digit"),
            "{line}"
        );
    }
}

#[test]
fn field_labels_read_in_thai_vietnamese_and_chinese() {
    let i18n = I18n::load().expect("catalogues");
    let visa = FieldError::new("documents.visa", FieldMessage::WrongValue);
    for (lang, want) in [
        ("th", "วีซ่า: มีค่าผิดประเภท หรืออยู่นอกช่วงที่รับได้"),
        (
            "vi",
            "Thị thực: có giá trị sai kiểu, hoặc nằm ngoài phạm vi cho phép",
        ),
        ("zh", "签证：值的类型不对，或超出允许范围"),
    ] {
        assert_eq!(Tr::new(&i18n, lang).field_error(&visa), want);
    }
    let row = FieldError::new("departed_on", FieldMessage::InFuture).arg("row", 4);
    assert_eq!(
        Tr::new(&i18n, "th").field_error(&row),
        "แถวที่ 4, วันที่ออกนอกประเทศ: เป็นวันที่ในอนาคต"
    );
}

#[tokio::test]
async fn a_reference_already_used_is_named_in_khmer() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        let pp = Jurisdiction::Provinces(vec!["12".into()]);
        let (cookie, csrf) = signed_in(v, "dara", Role::Officer, pp).await;
        let plan = [
            ("csrf", csrf.as_str()),
            ("ref", "OP-2026-016"),
            ("title", "Riverside compound"),
            ("lead_agency", "Anti-Human Trafficking Police"),
            ("partners", ""),
            ("planned_local", "2026-11-20T05:00"),
            ("planned_offset", "+07:00"),
            ("province_code", "12"),
            ("district_code", ""),
            ("commune_code", ""),
            ("place", "Compound by the river"),
            ("facilities", ""),
        ];
        let r = call(&app, post_form("/staff/operations?lang=km", &cookie, &plan)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = call(&app, post_form("/staff/operations?lang=km", &cookie, &plan)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("លេខយោង៖ «OP-2026-016» ត្រូវបានប្រើរួចហើយ"),
            "{}",
            r.body
        );
        for english in ["already used", "operation reference", "field-"] {
            assert!(!r.body.contains(english), "{english} in {}", r.body);
        }
    }
}

#[tokio::test]
async fn an_api_field_error_is_in_the_readers_language() {
    for b in backends() {
        let app = TestApp::new(b, |s| {
            s.staff.password_memory_kib = 64;
            s.staff.password_iterations = 1;
        })
        .await;
        let v = &app.vigil;
        vigil_testkit::staff_account(
            v,
            "border.poipet",
            "Border system",
            Role::Immigration,
            Jurisdiction::Provinces(vec!["01".into()]),
        )
        .await;
        let token = vigil_core::staff::create_api_token(&v.staff, "border.poipet", "border system")
            .await
            .expect("token");
        let traveller = r#"{"ref":"AIR-2","sex":"female","age":121,"nationality":"KH","destination":"MM","purpose":"tourism","documents":{"passport":true,"visa":"tourist","work_permit":false,"employment_contract":false,"return_ticket":true},"guarantor":"verified","cash_usd":300,"ticket_paid_by":"self","documents_held_by_other":false,"companion_answers":false,"job_offer":null,"officer_notes":""}"#;
        for (lang, want) in [
            ("th", "อายุ: มีค่าผิดประเภท หรืออยู่นอกช่วงที่รับได้"),
            (
                "vi",
                "Tuổi: có giá trị sai kiểu, hoặc nằm ngoài phạm vi cho phép",
            ),
            ("zh", "年龄：值的类型不对，或超出允许范围"),
            ("km", "អាយុ៖ មានតម្លៃខុសប្រភេទ ឬនៅក្រៅតម្លៃដែលវាទទួលយក"),
        ] {
            let req = Request::post("/api/v1/screenings?post=POIPET")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT_LANGUAGE, lang)
                .body(Body::from(traveller))
                .expect("request");
            let r = call(&app, req).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            let body: serde_json::Value = serde_json::from_str(&r.body).expect("json");
            assert_eq!(body["error"]["field"], "age", "{}", r.body);
            assert_eq!(body["error"]["message"], want, "{lang}");
        }
    }
}
