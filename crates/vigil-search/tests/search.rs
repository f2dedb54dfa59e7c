//! The index as its callers use it: write, commit, search, reopen.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use proptest::prelude::*;
use vigil_search::{IndexDoc, SearchError, SearchIndex, SearchQuery, Sort};

fn doc(tip_id: i64, text: &str, province: &str) -> IndexDoc {
    IndexDoc {
        tip_id,
        text: text.to_string(),
        place: None,
        province_code: Some(province.to_string()),
        district_code: None,
        category: "scam_compound".into(),
        status: "new".into(),
        received_at_unix: 1_700_000_000 + tip_id,
        priority: tip_id as f64,
        observables: Vec::new(),
    }
}

fn index_of(docs: &[IndexDoc]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let mut w = index.writer().unwrap();
    for d in docs {
        w.upsert(d).unwrap();
    }
    w.commit(1).unwrap();
    index
}

fn ids(index: &SearchIndex, q: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = index
        .search(&SearchQuery::text(q))
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.tip_id)
        .collect();
    ids.sort();
    ids
}

fn corpus() -> SearchIndex {
    index_of(&[
        doc(1, "ខ្ញុំឃើញមនុស្សជាប់ឃុំនៅក្នុងអគារ", "18"),
        doc(
            2,
            "ពួកគេបានយកលិខិតឆ្លងដែនរបស់ខ្ញុំ ហើយមិនអោយខ្ញុំចេញទេ។ លេខ ០១២ ៣៤៥ ៦៧៨",
            "12",
        ),
        doc(3, "พวกเขายึดหนังสือเดินทางของฉันและไม่ให้ออกไป", "01"),
        doc(
            4,
            "他们收走了我的护照，不让我离开。门口有拿枪的保安。",
            "18",
        ),
        doc(
            5,
            "Họ đã lấy hộ chiếu của tôi và không cho tôi rời đi.",
            "20",
        ),
        doc(
            6,
            "They took my passport. Armed guards watch the gate day and night.",
            "20",
        ),
        doc(
            7,
            "The guards beat people who miss targets. Call 012 345 678.",
            "12",
        ),
        doc(8, "Ho chieu written without accents by a reporter.", "20"),
        doc(9, "មានឆ្មាំកាន់កាំភ្លើងយាមនៅច្រកចូលទាំងយប់ទាំងថ្ងៃ។", "09"),
    ])
}

#[test]
fn khmer_words_are_found_inside_unspaced_text() {
    let index = corpus();
    assert_eq!(ids(&index, "មនុស្ស"), vec![1]);
    assert_eq!(ids(&index, "អគារ"), vec![1]);
    assert_eq!(ids(&index, "លិខិតឆ្លងដែន"), vec![2]);
    assert_eq!(ids(&index, "ខ្ញុំ"), vec![1, 2]);
    // The LSTM splits "gun" (កាំ|ភ្លើង); the dictionary's word is indexed too.
    assert_eq!(ids(&index, "កាំភ្លើង"), vec![9]);
    assert_eq!(ids(&index, "ច្រកចូល"), vec![9]);
    assert_eq!(ids(&index, "\"ខ្ញុំ ឃើញ\""), vec![1]);
}

#[test]
fn thai_chinese_vietnamese_english() {
    let index = corpus();
    assert_eq!(ids(&index, "หนังสือเดินทาง"), vec![3]);
    assert_eq!(ids(&index, "护照"), vec![4]);
    assert_eq!(ids(&index, "保安"), vec![4]);
    assert_eq!(ids(&index, "hộ chiếu"), vec![5]);
    // Without diacritics: both the accented tip and the unaccented one.
    assert_eq!(ids(&index, "chieu"), vec![5, 8]);
    assert_eq!(ids(&index, "passport"), vec![6]);
    assert_eq!(ids(&index, "GUARDS"), vec![6, 7]);
}

#[test]
fn exact_diacritics_rank_first_and_stay_precise() {
    let index = corpus();
    // With diacritics only the exact spelling matches.
    assert_eq!(ids(&index, "chiếu"), vec![5]);
}

#[test]
fn digits_in_khmer_match_ascii() {
    let index = corpus();
    assert_eq!(ids(&index, "\"012 345 678\""), vec![2, 7]);
    assert_eq!(ids(&index, "០១២"), vec![2, 7]);
}

#[test]
fn syntax_phrase_prefix_or_exclude() {
    let index = corpus();
    assert_eq!(ids(&index, "\"armed guards\""), vec![6]);
    assert_eq!(ids(&index, "\"guards armed\""), Vec::<i64>::new());
    assert_eq!(ids(&index, "pass*"), vec![6]);
    assert_eq!(ids(&index, "guards -passport"), vec![7]);
    assert_eq!(ids(&index, "passport OR 护照"), vec![4, 6]);
    assert_eq!(ids(&index, "guards gate"), vec![6]);
}

#[test]
fn malformed_queries_error_without_panicking() {
    let index = corpus();
    for q in ["\"unclosed", "OR", "a OR", "-", "x*", "!!!"] {
        match index.search(&SearchQuery::text(q)) {
            Err(SearchError::Query(_)) => {}
            other => panic!("{q}: {other:?}"),
        }
    }
}

#[test]
fn snippets_highlight_matches() {
    let index = corpus();
    let r = index.search(&SearchQuery::text("passport")).unwrap();
    let hit = &r.hits[0];
    assert!(!hit.highlights.is_empty());
    assert_eq!(&hit.snippet[hit.highlights[0].clone()], "passport");
    let r = index.search(&SearchQuery::text("អគារ")).unwrap();
    let hit = &r.hits[0];
    assert_eq!(&hit.snippet[hit.highlights[0].clone()], "អគារ");
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let index = corpus();
    let mut w = index.writer().unwrap();
    w.upsert(&doc(6, "Now it says nothing about travel documents.", "20"))
        .unwrap();
    w.delete(7).unwrap();
    w.commit(2).unwrap();
    assert_eq!(ids(&index, "passport"), Vec::<i64>::new());
    assert_eq!(ids(&index, "documents"), vec![6]);
    assert_eq!(ids(&index, "guards"), Vec::<i64>::new());
    assert_eq!(index.num_docs(), 8);
}

#[test]
fn sorts_and_filters() {
    let index = corpus();
    let mut q = SearchQuery::text("");
    q.sort = Sort::Newest;
    q.limit = 3;
    let r = index.search(&q).unwrap();
    assert_eq!(r.total, 9);
    assert_eq!(
        r.hits.iter().map(|h| h.tip_id).collect::<Vec<_>>(),
        vec![9, 8, 7]
    );
    q.sort = Sort::Priority;
    q.min_priority = Some(5.0);
    q.to_unix = Some(1_700_000_007);
    q.provinces = Some(vec!["12".into(), "20".into()]);
    let r = index.search(&q).unwrap();
    assert_eq!(r.total, 3);
    assert_eq!(r.hits[0].tip_id, 7);
    q.provinces = Some(vec![]);
    assert_eq!(index.search(&q).unwrap().total, 0);
}

#[test]
fn resume_sequence_survives_reopen_and_old_versions_need_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(index.last_seq().unwrap(), 0);
        let mut w = index.writer().unwrap();
        w.upsert(&doc(1, "armed guards", "12")).unwrap();
        w.commit(1234).unwrap();
        w.finish().unwrap();
    }
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.last_seq().unwrap(), 1234);
    assert_eq!(ids(&index, "guards"), vec![1]);
    // A second writer while one is held is refused.
    let w = index.writer().unwrap();
    assert!(matches!(index.writer(), Err(SearchError::Locked)));
    drop(w);
    drop(index);

    // Rewrite the payload as if an older version had written it.
    let meta = dir.path().join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let current = format!("vigil-search/v{} ", vigil_search::SCHEMA_VERSION);
    assert!(text.contains(&current), "{text}");
    std::fs::write(&meta, text.replace(&current, "vigil-search/v0 ")).unwrap();
    assert!(matches!(
        SearchIndex::open(dir.path()),
        Err(SearchError::NeedsRebuild(_))
    ));
    let index = SearchIndex::recreate(dir.path()).unwrap();
    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.last_seq().unwrap(), 0);
}

#[test]
fn clear_empties_for_rebuild() {
    let index = corpus();
    let mut w = index.writer().unwrap();
    w.clear().unwrap();
    w.upsert(&doc(9, "fresh start", "12")).unwrap();
    w.commit(10).unwrap();
    assert_eq!(index.num_docs(), 1);
    assert_eq!(index.last_seq().unwrap(), 10);
}

#[test]
fn synthetic_tips_are_searchable() {
    let docs: Vec<IndexDoc> = vigil_synth::tips(7, 300)
        .enumerate()
        .map(|(i, t)| doc(i as i64, &t.text, t.province_code))
        .collect();
    let index = index_of(&docs);
    for (word, lang) in [
        ("មនុស្ស", "km"),
        ("护照", "zh"),
        ("passport", "en"),
        ("ประตู", "th"),
    ] {
        let expected = vigil_synth::tips(7, 300)
            .filter(|t| t.language == lang && t.text.contains(word))
            .count();
        let mut q = SearchQuery::text(word);
        q.limit = 0;
        let total = index.search(&q).unwrap().total;
        assert!(expected > 0, "{word}");
        assert_eq!(total, expected, "{word}");
    }
}

const PROVINCES: &[&str] = &["01", "09", "12", "17", "18", "20"];
const WORDS: &[&str] = &["guards", "passport", "gate", "មនុស្ស", "អគារ", "护照"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn jurisdiction_never_leaks(
        tips in proptest::collection::vec((0usize..6, 0usize..6, 0usize..6), 1..60),
        allowed in proptest::collection::btree_set(0usize..6, 0..4),
        word in 0usize..6,
        sort in 0usize..3,
    ) {
        let docs: Vec<IndexDoc> = tips
            .iter()
            .enumerate()
            .map(|(i, &(p, a, b))| doc(i as i64, &format!("{} {}", WORDS[a], WORDS[b]), PROVINCES[p]))
            .collect();
        let index = index_of(&docs);
        let allowed: Vec<String> = allowed.iter().map(|&i| PROVINCES[i].to_string()).collect();
        let mut q = SearchQuery::text(WORDS[word]);
        q.provinces = Some(allowed.clone());
        q.limit = 100;
        q.sort = [Sort::Relevance, Sort::Newest, Sort::Priority][sort];
        let r = index.search(&q).unwrap();
        let expected: Vec<&IndexDoc> = docs
            .iter()
            .filter(|d| allowed.contains(d.province_code.as_ref().unwrap()))
            .filter(|d| d.text.split(' ').any(|w| w == WORDS[word]))
            .collect();
        prop_assert_eq!(r.total, expected.len());
        prop_assert_eq!(r.hits.len(), expected.len());
        for h in &r.hits {
            let d = &docs[h.tip_id as usize];
            prop_assert!(allowed.contains(d.province_code.as_ref().unwrap()));
        }
    }
}

/// Walks every page of `q` with the cursor; the ids in order.
fn walk(index: &SearchIndex, mut q: SearchQuery) -> (usize, Vec<i64>) {
    let mut seen = Vec::new();
    let mut total = None;
    loop {
        let r = index.search(&q).unwrap();
        assert!(r.hits.len() <= q.limit);
        assert_eq!(
            *total.get_or_insert(r.total),
            r.total,
            "the total is the same on every page"
        );
        seen.extend(r.hits.iter().map(|h| h.tip_id));
        match r.next {
            Some(c) => {
                assert_eq!(r.hits.len(), q.limit, "only a full page has a next");
                let c = vigil_search::Cursor::parse(&c.encode()).unwrap();
                q.after = Some(c);
            }
            None => return (total.unwrap_or(0), seen),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn walking_the_pages_returns_every_tip_once(
        tips in proptest::collection::vec((0usize..3, 0usize..6, 0usize..4), 1..120),
        limit in 1usize..9,
        sort in 0usize..3,
    ) {
        // Few distinct texts, dates and priorities: many ties to break.
        let docs: Vec<IndexDoc> = tips
            .iter()
            .enumerate()
            .map(|(i, &(w, p, r))| IndexDoc {
                received_at_unix: 1_700_000_000 + r as i64,
                priority: (r % 2) as f64,
                ..doc(i as i64, &format!("passport {}", WORDS[w]), PROVINCES[p])
            })
            .collect();
        let index = index_of(&docs);
        let mut q = SearchQuery::text("passport");
        q.limit = limit;
        q.sort = [Sort::Relevance, Sort::Newest, Sort::Priority][sort];
        let (total, seen) = walk(&index, q.clone());
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(sorted.len(), seen.len(), "no tip twice");
        prop_assert_eq!(total, docs.len());
        prop_assert_eq!(sorted, (0..docs.len() as i64).collect::<Vec<_>>());
        // The walk is the single big page, in the same order.
        q.limit = 1000;
        let one: Vec<i64> = index.search(&q).unwrap().hits.iter().map(|h| h.tip_id).collect();
        prop_assert_eq!(one, seen);
    }
}

#[test]
fn identifiers_are_exact_terms_combined_with_the_words() {
    let phone = "phone:+85512345678".to_string();
    let tg = "telegram:recruiterkh".to_string();
    let with = |id: i64, text: &str, obs: &[&String]| IndexDoc {
        observables: obs.iter().map(|s| s.to_string()).collect(),
        ..doc(id, text, "12")
    };
    let index = index_of(&[
        with(1, "call 012 345 678 about the passport", &[&phone]),
        with(2, "passport taken, +855 12 345 678", &[&phone, &tg]),
        with(3, "(+855) 12-345-678 guards", &[&phone]),
        with(4, "passport 012 999 999", &[]),
        with(5, "@RecruiterKH", &[&tg]),
    ]);
    let search = |text: &str, ids: Vec<Vec<String>>| {
        let mut q = SearchQuery::text(text);
        q.identifiers = ids;
        let r = index.search(&q).unwrap();
        let mut hits: Vec<i64> = r.hits.iter().map(|h| h.tip_id).collect();
        hits.sort();
        (r.total, hits)
    };
    assert_eq!(search("", vec![vec![phone.clone()]]), (3, vec![1, 2, 3]));
    // Only punctuation left once the identifier is taken out.
    assert_eq!(search(" , ", vec![vec![phone.clone()]]), (3, vec![1, 2, 3]));
    assert_eq!(
        search("passport", vec![vec![phone.clone()]]),
        (2, vec![1, 2])
    );
    assert_eq!(
        search("", vec![vec![phone.clone()], vec![tg.clone()]]),
        (1, vec![2])
    );
    assert_eq!(
        search("", vec![vec![phone.clone(), tg.clone()]]),
        (4, vec![1, 2, 3, 5])
    );
    assert_eq!(search("", vec![vec![]]), (0, vec![]));
}

#[test]
fn a_cursor_of_another_order_or_garbage_is_refused() {
    let index = index_of(&[doc(1, "passport", "12"), doc(2, "passport", "12")]);
    let mut q = SearchQuery::text("passport");
    q.limit = 1;
    let next = index.search(&q).unwrap().next.unwrap();
    q.sort = Sort::Newest;
    q.after = Some(next);
    assert!(matches!(index.search(&q), Err(SearchError::Query(_))));
    for bad in [
        "",
        "x0000000000000000.1",
        "r00.1",
        "r7ff8000000000000.1",
        "r3ff0000000000000.x",
    ] {
        assert_eq!(vigil_search::Cursor::parse(bad), None, "{bad}");
    }
}
