//! Near-duplicate detection: table, agreement and property tests.

use super::sketch::{EMPTY, sort_unique};
use super::*;
use crate::text::jaccard;
use proptest::prelude::*;

const AD: &str = "Urgent hiring! Customer service staff in Sihanoukville, salary 1500 USD, \
    free food and housing, visa provided. Contact @hr_golden_888 on Telegram now.";
const KM: &str = "ក្រុមហ៊ុនកំពុងជ្រើសរើសបុគ្គលិកផ្នែកសេវាអតិថិជន ប្រាក់ខែខ្ពស់ មានកន្លែងស្នាក់នៅ ទាក់ទងតេឡេក្រាម";
const TH: &str = "รับสมัครพนักงานบริการลูกค้า เงินเดือนสูง มีที่พักฟรี ติดต่อทางเทเลแกรม";
const ABUSE: &str = "My brother is held in Bavet and they beat him every night.";

/// A name, texts (ids 1, 2, …) and the pairs expected among them.
type Case<'a> = (&'a str, &'a [&'a str], &'a [(i64, i64)]);

/// The near-duplicate pairs among `texts` (ids 1, 2, …) are `expected`.
fn check(name: &str, texts: &[&str], expected: &[(i64, i64)]) {
    let with_ids: Vec<(i64, &str)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (i as i64 + 1, *t))
        .collect();
    let got: Vec<(i64, i64)> = near_duplicates(&with_ids, &NearDupConfig::default())
        .iter()
        .map(|p| (p.a, p.b))
        .collect();
    assert_eq!(got, expected, "{name}");
}

#[test]
fn table() {
    let ad_edited = AD.replace("1500", "1800").replace("Urgent", "URGENT!!");
    let ad_reworded = AD.replace("free food and housing", "meals and a room");
    let ad_half = format!(
        "{} Bring your passport, we pay the bus from Phnom Penh.",
        &AD[..70]
    );
    let km_longer = format!("{KM} ឥឡូវនេះ");
    let th_edited = TH.replace("ฟรี", "");
    let cases: &[Case] = &[
        ("identical texts", &[AD, AD], &[(1, 2)]),
        (
            "case and punctuation only",
            &[AD, &AD.to_uppercase().replace(',', " ;")],
            &[(1, 2)],
        ),
        (
            "pasted ad with small edits",
            &[AD, &ad_edited, ABUSE],
            &[(1, 2)],
        ),
        ("reworded ad", &[&ad_reworded, ABUSE, AD], &[(1, 3)]),
        ("half of an ad is not a duplicate", &[AD, &ad_half], &[]),
        ("unrelated texts", &[AD, ABUSE, KM, TH], &[]),
        (
            "Khmer, written without spaces",
            &[KM, TH, &km_longer],
            &[(1, 3)],
        ),
        ("Thai with a word dropped", &[&th_edited, KM, TH], &[(1, 3)]),
        (
            "three copies",
            &[AD, ABUSE, AD, &ad_edited],
            &[(1, 3), (1, 4), (3, 4)],
        ),
        ("empty and punctuation only", &["", " !", "", "?!"], &[]),
        ("tiny texts", &["ab", "cd", "x"], &[]),
    ];
    for (name, texts, expected) in cases {
        check(name, texts, expected);
    }
}

#[test]
fn pairs_are_exact_and_order_free() {
    let edited = AD.replace("free food", "meals");
    let texts = [
        (5, AD),
        (2, edited.as_str()),
        (9, "unrelated short text here"),
    ];
    let mut rev = texts;
    rev.reverse();
    let a = near_duplicates(&texts, &NearDupConfig::default());
    assert_eq!(a.len(), 1);
    assert_eq!(a, near_duplicates(&rev, &NearDupConfig::default()));
    let s = Sketcher::new(&NearDupConfig::default());
    let j = jaccard(&s.sketch(AD).shingles, &s.sketch(&edited).shingles);
    assert_eq!((a[0].a, a[0].b, a[0].jaccard), (2, 5, j));
}

#[test]
fn incremental_index_agrees_with_the_batch() {
    let edited = AD.replace("1500", "2000");
    let texts = [(1, AD), (2, ABUSE), (3, edited.as_str()), (4, AD), (5, "")];
    let mut index = NearDupIndex::new(&NearDupConfig::default());
    let mut incremental = Vec::new();
    for (id, t) in texts {
        incremental.extend(index.insert(id, t));
    }
    incremental.sort_by_key(|p| (p.a, p.b));
    assert_eq!(
        incremental,
        near_duplicates(&texts, &NearDupConfig::default())
    );
    assert_eq!(index.len(), 5);
    assert_eq!(index.stats().pairs, 3);
}

#[test]
fn sketches_are_deterministic_and_sized() {
    let config = NearDupConfig::default();
    let a = Sketcher::new(&config).sketch(AD);
    assert_eq!(a, Sketcher::new(&config).sketch(AD));
    assert_eq!(a.signature.len(), config.bands * config.rows);
    assert!(a.signature.iter().all(|&v| v != EMPTY));
    assert!(a.shingles.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(Sketcher::new(&config).sketch(" .,"), Sketch::default());
}

#[test]
fn buckets_list_earlier_members_through_growth() {
    let mut buckets = Buckets::default();
    for text in 0..5000u32 {
        // 1,000 keys, some sharing their low bits (the probe start).
        let key = (text % 1000) << 20 | (text % 1000 % 7);
        let expected: Vec<u32> = (0..text / 1000).map(|k| k * 1000 + text % 1000).collect();
        assert_eq!(buckets.add(key, text), expected.as_slice());
    }
    assert_eq!((buckets.len, buckets.lists.len()), (1000, 1000));
}

proptest! {
    #[test]
    fn block_merge_counts_shared_values(
        a in proptest::collection::btree_set(0u32..400, 0..120),
        b in proptest::collection::btree_set(0u32..400, 0..120),
    ) {
        let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
        let naive = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
        prop_assert_eq!(common(&a, &b), naive);
        prop_assert_eq!(common(&b, &a), naive);
    }

    #[test]
    fn sort_unique_sorts(mut v in proptest::collection::vec(any::<u32>(), 0..600), dup in 0usize..50) {
        let extra: Vec<u32> = v.iter().take(dup).copied().collect();
        v.extend(extra);
        let mut expected = v.clone();
        expected.sort_unstable();
        expected.dedup();
        sort_unique(&mut v, &mut Scratch::default());
        prop_assert_eq!(v, expected);
    }

    #[test]
    fn bitmap_bound_never_undercounts(
        a in proptest::collection::btree_set(any::<u32>(), 0..3000),
        b in proptest::collection::btree_set(any::<u32>(), 0..3000),
        shared in proptest::collection::btree_set(any::<u32>(), 0..1000),
    ) {
        let a: Vec<u32> = a.union(&shared).copied().collect();
        let b: Vec<u32> = b.union(&shared).copied().collect();
        let (mut ba, mut bb) = ([0u64; BITMAP_WORDS], [0u64; BITMAP_WORDS]);
        bitmap(&a, &mut ba);
        bitmap(&b, &mut bb);
        let lost = (a.len() - shared_bits(&ba, &ba)).min(b.len() - shared_bits(&bb, &bb));
        prop_assert!(shared_bits(&ba, &bb) + lost >= common(&a, &b));
    }

    #[test]
    fn result_does_not_depend_on_input_order(
        picks in proptest::collection::vec((0usize..4, 0usize..60), 1..12),
        rotate in 0usize..12,
    ) {
        let bases = [AD, ABUSE, KM, TH];
        let texts: Vec<String> = picks
            .iter()
            .map(|&(b, cut)| {
                let t = bases[b];
                let cut = t.char_indices().nth(cut).map_or(t.len(), |(i, _)| i);
                format!("{}{}", &t[cut..], &t[..cut])
            })
            .collect();
        let items: Vec<(i64, &str)> =
            texts.iter().enumerate().map(|(i, t)| (i as i64 * 7 + 3, t.as_str())).collect();
        let mut rotated = items.clone();
        rotated.rotate_left(rotate % items.len());
        let config = NearDupConfig::default();
        let got = near_duplicates(&items, &config);
        prop_assert_eq!(&got, &near_duplicates(&rotated, &config));
        let s = Sketcher::new(&config);
        for p in &got {
            prop_assert!(p.a < p.b && p.jaccard >= config.threshold);
            let ta = items.iter().find(|(id, _)| *id == p.a).map(|x| x.1).unwrap_or("");
            let tb = items.iter().find(|(id, _)| *id == p.b).map(|x| x.1).unwrap_or("");
            prop_assert_eq!(p.jaccard, jaccard(&s.sketch(ta).shingles, &s.sketch(tb).shingles));
        }
    }
}
