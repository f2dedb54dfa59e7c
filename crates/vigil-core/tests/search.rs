//! Staff search: an identifier typed in any format is one search (same total,
//! same first page), and the cursor walks every matching tip exactly once.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use vigil_core::search;
use vigil_core::staff::Principal;
use vigil_domain::{Category, Role};

const WALLET: &str = "0x52908400098527886E0F7030069857D2E4169EE7";

/// Tips writing the number, the handle and the wallet in many ways, and
/// tips with look-alike numbers and words around them.
fn tips() -> Vec<String> {
    let mut out = Vec::new();
    let phones = [
        "012 345 678",
        "+855 12 345 678",
        "012345678",
        "(+855) 12-345-678",
        "០១២ ៣៤៥ ៦៧៨",
        "+85512345678",
    ];
    for (i, phone) in phones.iter().enumerate() {
        for j in 0..3 {
            out.push(format!(
                "The recruiter called me from {phone} about a job in Bavet, tip {i}{j}."
            ));
        }
    }
    for i in 0..5 {
        out.push(format!(
            "ពួកគេយកលិខិតឆ្លងដែនរបស់ខ្ញុំ ហើយប្រាប់ឱ្យទាក់ទង @RecruiterKH លើកទី {i}"
        ));
        out.push(format!("Message t.me/recruiterkh for the job, number {i}"));
        out.push(format!("He paid into {WALLET} on day {i}"));
        out.push(format!(
            "He paid into {} again, time {i}",
            WALLET.to_lowercase()
        ));
    }
    // Noise: other numbers sharing groups of digits, other handles.
    for i in 0..20 {
        out.push(format!(
            "Call 012 345 {:03} or 097 345 678 for work in Poipet, ref {i}",
            100 + i
        ));
        out.push(format!("@recruiter{i} and 345 678 people"));
    }
    out
}

async fn walk(v: &vigil_core::Vigil, p: &Principal, q: &str, limit: usize) -> (usize, Vec<i64>) {
    let mut after: Option<String> = None;
    let mut seen = Vec::new();
    let mut total = None;
    loop {
        let r = search::search(&v.search, p, q, limit, after.as_deref())
            .await
            .expect("search");
        assert_eq!(*total.get_or_insert(r.total), r.total, "{q}");
        seen.extend(r.found.iter().map(|f| f.tip.id.0));
        match r.next {
            Some(n) => after = Some(n),
            None => return (total.unwrap_or(0), seen),
        }
    }
}

#[tokio::test]
async fn an_identifier_typed_any_way_gives_the_same_total_and_page() {
    for env in common::envs("search").await {
        let v = &env.v;
        for text in tips() {
            common::report(v, Category::ScamCompound, &text, "12").await;
        }
        search::reindex(&v.search, |_| {}).await.expect("index");
        let p = common::staff(v, "analyst", Role::Analyst, &[]).await;
        let lower = WALLET.to_lowercase();
        let upper = WALLET.to_uppercase().replace("0X", "0x");
        let same = [
            (
                "phone",
                vec![
                    "012 345 678",
                    "+855 12 345 678",
                    "012345678",
                    "(+855) 12-345-678",
                    "0 12 345 678",
                    "៨៥៥ ១២ ៣៤៥ ៦៧៨",
                ],
                18,
            ),
            (
                "handle",
                vec![
                    "@RecruiterKH",
                    "RecruiterKH",
                    "recruiterkh",
                    "t.me/RecruiterKH",
                ],
                10,
            ),
            ("wallet", vec![WALLET, lower.as_str(), upper.as_str()], 10),
        ];
        for (what, queries, expected) in same {
            let mut first: Option<(usize, Vec<i64>, BTreeSet<i64>)> = None;
            for q in queries {
                let page = search::search(&v.search, &p, q, 7, None)
                    .await
                    .expect("search");
                let ids: Vec<i64> = page.found.iter().map(|f| f.tip.id.0).collect();
                let (total, all) = walk(v, &p, q, 4).await;
                let all_set: BTreeSet<i64> = all.iter().copied().collect();
                assert_eq!(all_set.len(), all.len(), "{q}: a tip came back twice");
                assert_eq!(
                    total,
                    all.len(),
                    "{q}: the total counts what the pages hold"
                );
                assert_eq!(total, expected, "{what}: {q}");
                match &first {
                    None => first = Some((page.total, ids, all_set)),
                    Some((t, f, s)) => {
                        assert_eq!(page.total, *t, "{what}: {q}");
                        assert_eq!(&ids, f, "{what}: {q}: the same first page");
                        assert_eq!(&all_set, s, "{what}: {q}");
                    }
                }
            }
        }
        // Words around the number narrow it; the snippet shows the number
        // as the tip wrote it.
        let r = search::search(&v.search, &p, "Bavet 012 345 678", 50, None)
            .await
            .expect("search");
        assert_eq!(r.total, 18);
        for f in &r.found {
            assert!(f.by_identifier);
            assert!(!f.marks.is_empty(), "{}", f.snippet);
        }
        assert_eq!(
            search::search(&v.search, &p, "Poipet 012 345 678", 50, None)
                .await
                .expect("search")
                .total,
            0
        );
        assert!(matches!(
            search::search(&v.search, &p, "bavet", 5, Some("not-a-cursor")).await,
            Err(vigil_core::CoreError::InvalidField(_))
        ));
    }
}

#[test]
fn queries_split_into_identifiers_and_words() {
    let q = search::parse_query("passport 012 345 678 Poipet");
    assert_eq!(q.words, "passport Poipet");
    assert_eq!(q.identifiers.len(), 1);
    assert!(q.identifiers[0].contains(&"phone:+85512345678".to_string()));
    let q = search::parse_query("t.me/RecruiterKH guards");
    assert_eq!(q.words, "recruiterkh guards");
    assert!(q.identifiers.is_empty());
    let q = search::parse_query("អគារ");
    assert_eq!(q.words, "អគារ");
    assert!(q.identifiers.is_empty());
}
