//! Persons met end to end, on SQLite and (with `VIGIL_TEST_POSTGRES_URL`) on
//! PostgreSQL: the referral rule's outcome stored with each record, the
//! charge gate, linkage of one person met twice under two spellings, an
//! uncertain pair in the review queue and its merge, a batch refused whole
//! with its row and field named, who may do what where, and identities that
//! are not readable in the database file.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use common::{Env, envs, staff};

use sqlx::Connection;
use vigil_core::CoreError;
use vigil_core::operations::{self, OperationInput};
use vigil_core::persons::{self, DocumentInput, PersonInput, review};
use vigil_domain::Role;
use vigil_domain::gazetteer::gazetteer;

fn op_input(reference: &str, province: &str) -> OperationInput {
    let g = gazetteer();
    let district = g.children(province).next().expect("district").code.clone();
    OperationInput {
        reference: reference.into(),
        title: "Raid".into(),
        lead_agency: "Anti-Human Trafficking Police".into(),
        planned_for: "2026-11-20T05:00:00+07:00".into(),
        province_code: province.into(),
        district_code: district,
        place: "Compound".into(),
        status: "planned".into(),
        ..OperationInput::default()
    }
}

fn met(role: &str, nationality: &str, given: &str, family: &str, dob: &str) -> PersonInput {
    PersonInput {
        role: role.into(),
        nationality: nationality.into(),
        language: "km".into(),
        sex: "f".into(),
        date_of_birth: dob.into(),
        given_name: given.into(),
        family_name: family.into(),
        ..PersonInput::default()
    }
}

fn field_of(r: Result<impl std::fmt::Debug, CoreError>) -> (String, String) {
    match r {
        Err(CoreError::InvalidField(fe)) => (fe.field.clone(), fe.to_string()),
        other => panic!("expected a field error, got {other:?}"),
    }
}

async fn scenario(env: &Env) {
    let v = &env.v;
    let officer = staff(v, "sok.officer", Role::Officer, &["12"]).await;
    let far = staff(v, "far.officer", Role::Officer, &["18"]).await;
    let supervisor = staff(v, "chan.supervisor", Role::Supervisor, &[]).await;
    let analyst = staff(v, "lim.analyst", Role::Analyst, &[]).await;
    let immigration = staff(v, "immigration", Role::Immigration, &[]).await;
    let prosecutor = staff(v, "prosecutor", Role::Prosecutor, &[]).await;
    let op1 = operations::plan(&v.operations, &officer, &op_input("OP-P-1", "12"))
        .await
        .expect("op1");
    let op2 = operations::plan(&v.operations, &officer, &op_input("OP-P-2", "12"))
        .await
        .expect("op2");

    // The referral rule: an adult with a strong indicator who refused is a
    // likely victim, not referred; a child is referred whatever they say.
    let mut adult = met("victim", "kh", "Sokha", "Chan", "1990-03-07");
    adult.indicators = vec!["cannot_leave".into()];
    adult.consent = "refused".into();
    adult.documents = vec![DocumentInput {
        kind: "passport".into(),
        number: "N0123456".into(),
        country: "KHM".into(),
        check_digit: String::new(),
    }];
    let (r1, p1) = persons::record(&v.persons, &officer, op1, &adult)
        .await
        .expect("adult");
    let view = persons::person(&v.persons, &officer, p1)
        .await
        .expect("person");
    let rec = &view.records[0].row;
    assert!(rec.record.likely_victim && !rec.record.referred);
    assert!(
        rec.record.referral_reason.contains("adult_not_consented"),
        "{}",
        rec.record.referral_reason
    );
    assert_eq!(rec.record.nationality, "KH");
    assert_eq!(rec.record.province_code, "12");
    let child = met("witness", "VN", "Thi", "Nguyen", "2012-01-01");
    let (_, pc) = persons::record(&v.persons, &officer, op1, &child)
        .await
        .expect("child");
    let c = &persons::person(&v.persons, &officer, pc)
        .await
        .expect("child")
        .records[0]
        .row;
    assert!(c.record.minor && c.record.likely_victim && c.record.referred);
    assert!(c.record.referral_reason.contains("child_aged"));

    // Linkage: the same woman met again, her names spelled another way, is
    // one person; a Chinese man with his passport likewise.
    let again = met("witness", "KH", "Sokhar", "Chan", "1990-03-07");
    let (r2, p2) = persons::record(&v.persons, &officer, op2, &again)
        .await
        .expect("again");
    assert_eq!(p2, p1, "Sokha / Sokhar Chan, same birth date: one person");
    let passport = |n: &str| DocumentInput {
        kind: "passport".into(),
        number: n.into(),
        country: "CN".into(),
        check_digit: String::new(),
    };
    let mut zhang = met("suspect", "CN", "Xiaoming", "Zhang", "1979-11-30");
    zhang.sex = "m".into();
    zhang.documents = vec![passport("E12345678")];
    let mut cheung = met("suspect", "CN", "Hsiao-Ming", "Cheung", "1979-11-30");
    cheung.sex = "m".into();
    cheung.documents = vec![passport("E12345678")];
    let ids = persons::record_batch(&v.persons, &officer, op2, &[zhang, cheung])
        .await
        .expect("batch");
    assert_eq!(ids[0].1, ids[1].1, "linked within a batch too");
    let both = persons::person(&v.persons, &officer, p1)
        .await
        .expect("both");
    assert_eq!(
        both.records.iter().map(|r| r.row.id).collect::<Vec<_>>(),
        vec![r1, r2]
    );

    // An uncertain pair: the same names, born a year apart.
    let vague = met("witness", "KH", "Sokha", "Chan", "1991");
    let (r3, p3) = persons::record(&v.persons, &officer, op2, &vague)
        .await
        .expect("vague");
    assert_ne!(p3, p1, "an uncertain pair is not merged");
    let queue = review::pending(&v.persons, &analyst).await.expect("queue");
    let pair = queue
        .iter()
        .find(|q| q.b.row.id == r3)
        .expect("the pair is in the review queue");
    assert!(!pair.reasons.is_empty());
    assert!(pair.a.identity.is_some());
    assert!(matches!(
        review::pending(&v.persons, &immigration).await,
        Err(CoreError::Forbidden)
    ));
    assert!(
        review::pending(&v.persons, &far)
            .await
            .expect("far")
            .is_empty()
    );
    assert!(matches!(
        review::decide(&v.persons, &far, pair.row.id, true).await,
        Err(CoreError::NotFound)
    ));
    let kept = review::decide(&v.persons, &analyst, pair.row.id, true)
        .await
        .expect("merge");
    assert_eq!(kept, p1.min(p3));
    assert_eq!(
        persons::person(&v.persons, &officer, p3)
            .await
            .expect("merged")
            .records
            .len(),
        3
    );
    let (f, _) = field_of(review::decide(&v.persons, &analyst, pair.row.id, false).await);
    assert_eq!(f, "decision");

    // A batch with a bad row stores nothing and names the row and field.
    let before = persons::operation_persons(&v.persons, &officer, op2)
        .await
        .expect("list")
        .len();
    let bad = vec![
        met("victim", "TH", "Somchai", "Dee", ""),
        met("victim", "Cambodia", "Dara", "Keo", ""),
    ];
    let (f, m) = field_of(persons::record_batch(&v.persons, &officer, op2, &bad).await);
    assert_eq!(f, "persons[2].nationality", "{m}");
    assert_eq!(
        persons::operation_persons(&v.persons, &officer, op2)
            .await
            .expect("list")
            .len(),
        before
    );

    // Who may do what, where.
    assert!(matches!(
        persons::record(&v.persons, &far, op1, &adult).await,
        Err(CoreError::NotFound)
    ));
    assert!(matches!(
        persons::person(&v.persons, &far, p1).await,
        Err(CoreError::NotFound)
    ));
    for who in [&immigration, &prosecutor, &analyst] {
        assert!(matches!(
            persons::record(&v.persons, who, op1, &adult).await,
            Err(CoreError::Forbidden)
        ));
    }
    let seen = persons::person(&v.persons, &immigration, p1)
        .await
        .expect("immigration reads");
    assert!(
        seen.records.iter().all(|r| r.identity.is_none()),
        "no names for immigration"
    );
    assert!(
        seen.operations.is_empty(),
        "no operations for a role that cannot open them"
    );
    let named = persons::person(&v.persons, &prosecutor, p1)
        .await
        .expect("prosecutor reads");
    assert_eq!(
        named.records[0].identity.as_ref().map(|i| i.display_name()),
        Some("Sokha Chan".into())
    );
    assert_eq!(
        named.operations.get(&op1).map(String::as_str),
        Some("OP-P-1"),
        "the operation by its reference"
    );
    assert!(matches!(
        persons::operation_persons(&v.persons, &immigration, op1).await,
        Err(CoreError::Forbidden)
    ));

    // The charge gate: a flagged person is blocked until a supervisor
    // acknowledges every flag; a suspect never flagged is not.
    assert!(matches!(
        persons::charge_gate(&v.persons, &prosecutor, 999_999).await,
        Err(CoreError::NotFound)
    ));
    // Outside the asker's jurisdiction the gate answers as for nobody: it
    // does not tell whether the person exists or is flagged.
    for someone in [p1, ids[0].1] {
        assert!(matches!(
            persons::charge_gate(&v.persons, &far, someone).await,
            Err(CoreError::NotFound)
        ));
    }
    let (f, m) = field_of(persons::charge_gate(&v.persons, &prosecutor, p1).await);
    assert_eq!(f, "likely_victim");
    assert_eq!(m, "likely_victim: field-likely-victim");
    persons::charge_gate(&v.persons, &prosecutor, ids[0].1)
        .await
        .expect("a suspect may be charged");
    assert!(matches!(
        persons::acknowledge(&v.persons, &officer, r1, "ok").await,
        Err(CoreError::Forbidden)
    ));
    let (f, _) = field_of(persons::acknowledge(&v.persons, &supervisor, r1, "  ").await);
    assert_eq!(f, "note");
    persons::acknowledge(
        &v.persons,
        &supervisor,
        r1,
        "forced to scam; referred to MoSAVY",
    )
    .await
    .expect("ack");
    persons::charge_gate(&v.persons, &prosecutor, p1)
        .await
        .expect("acknowledged: may be charged");

    // Figures: distinct persons, by jurisdiction.
    let all = persons::person_figures(&v.persons, &supervisor, None, None)
        .await
        .expect("figures");
    assert_eq!(all.persons_met, 3, "Sokha, Thi and Xiaoming");
    assert_eq!(all.victims_identified, 2);
    assert_eq!(all.victims_referred, 1);
    assert_eq!(all.by_nationality.get("CN"), Some(&1));
    assert_eq!(
        persons::person_figures(&v.persons, &far, None, None)
            .await
            .expect("far")
            .persons_met,
        0
    );

    // The identity is sealed: no name in the database file.
    if let Some(path) = env.url.strip_prefix("sqlite://") {
        let mut bytes = Vec::new();
        for suffix in ["", "-wal"] {
            if let Ok(b) = std::fs::read(format!("{path}{suffix}")) {
                bytes.extend(b);
            }
        }
        assert!(bytes.len() > 10_000);
        for name in ["Sokha", "Xiaoming", "Cheung", "N0123456", "E12345678"] {
            assert!(
                !bytes.windows(name.len()).any(|w| w == name.as_bytes()),
                "{name} is readable in the database file"
            );
        }
    } else {
        let mut c = sqlx::PgConnection::connect(&env.url).await.expect("pg");
        let rows: Vec<Vec<u8>> = sqlx::query_scalar("SELECT identity FROM person_records")
            .fetch_all(&mut c)
            .await
            .expect("rows");
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| !r.windows(5).any(|w| w == b"Sokha")));
    }
    let report = vigil_core::audit::verify(&*v.store, &v.keys, &[], |_| {})
        .await
        .expect("audit chain");
    assert!(report.is_whole(), "{report:?}");
}

#[tokio::test]
async fn persons_met_on_every_backend() {
    for env in envs("persons").await {
        scenario(&env).await;
        if let Some(name) = env
            .url
            .strip_prefix("postgres")
            .and(env.url.rsplit('/').next())
        {
            let name = name.split('?').next().unwrap_or(name).to_string();
            let admin = std::env::var("VIGIL_TEST_POSTGRES_URL").expect("admin");
            drop(env);
            let mut c = sqlx::PgConnection::connect(&admin).await.expect("admin");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut c)
            .await
            .expect("drop");
        }
    }
}
