//! Clustering: one test per linking rule, hubs, analyst overrides, stable ids, and
//! properties (order independence, hubs never merge, overrides survive).

use proptest::prelude::*;
use vigil_extract::Kind;
use vigil_intel::{
    AnalystOp, ClusterConfig, Clustering, FacilityId, HubView, Ident, Overrides, Rule, TipFacts,
    assign_ids, cluster,
};

fn tip(id: i64, text: &str) -> TipFacts {
    TipFacts::from_text(id, 1_700_000_000 + id, text)
}

fn at(mut t: TipFacts, province: &str, commune: Option<&str>, place: Option<&str>) -> TipFacts {
    t.province_code = Some(province.into());
    t.commune_code = commune.map(Into::into);
    t.place = place.map(Into::into);
    t
}

fn groups(out: &Clustering) -> Vec<Vec<i64>> {
    out.clusters.iter().map(|c| c.tips.clone()).collect()
}

/// Clusters `tips` with default settings and checks the groups.
fn check(tips: Vec<TipFacts>, overrides: &Overrides, expected: &[&[i64]]) -> Clustering {
    let out = cluster(&tips, &ClusterConfig::default(), overrides);
    let want: Vec<Vec<i64>> = expected.iter().map(|g| g.to_vec()).collect();
    assert_eq!(groups(&out), want, "{:#?}", out.clusters);
    out
}

#[test]
fn shared_identifier_links_across_formats() {
    let out = check(
        vec![
            tip(1, "Boss phone 012 345 678"),
            tip(2, "call +855 12 345 678 now"),
            tip(3, "WhatsApp +85512345678"),
            tip(4, "nothing to see here"),
        ],
        &Overrides::default(),
        &[&[1, 2, 3], &[4]],
    );
    assert_eq!(out.clusters[0].links[0].rule, Rule::Identifier);
    assert_eq!(out.clusters[0].links[0].key, "phone:+85512345678");
    assert_eq!(out.clusters[0].links[0].tips, 3);
}

#[test]
fn same_commune_needs_similar_place_text() {
    check(
        vec![
            at(
                tip(1, "a report"),
                "18",
                Some("180201"),
                Some("Golden Sun compound, building B"),
            ),
            at(
                tip(2, "another report"),
                "18",
                Some("180201"),
                Some("golden sun compound"),
            ),
            at(
                tip(3, "third report"),
                "18",
                Some("180201"),
                Some("the old casino by the river"),
            ),
            at(
                tip(4, "fourth report"),
                "18",
                Some("180202"),
                Some("Golden Sun compound"),
            ),
        ],
        &Overrides::default(),
        &[&[1, 2], &[3], &[4]],
    );
}

#[test]
fn coordinates_within_radius() {
    let mut a = tip(1, "first");
    (a.lat, a.lon) = (Some(10.6000), Some(103.5000));
    let mut b = tip(2, "second");
    (b.lat, b.lon) = (Some(10.6015), Some(103.5000)); // ≈ 167 m
    let mut c = tip(3, "third");
    (c.lat, c.lon) = (Some(10.6100), Some(103.5000)); // ≈ 1.1 km
    let out = check(vec![a, b, c], &Overrides::default(), &[&[1, 2], &[3]]);
    assert_eq!(out.clusters[0].links[0].rule, Rule::Coordinates);
}

#[test]
fn near_identical_text_links_and_counts_once() {
    let ad = "Urgent hiring customer service staff, salary 1500 USD, free food and housing, \
              visa provided, flight paid, apply today through our agent office";
    let out = check(
        vec![
            tip(1, ad),
            tip(2, &ad.replace("1500", "1600")),
            tip(3, "My brother is missing"),
        ],
        &Overrides::default(),
        &[&[1, 2], &[3]],
    );
    assert_eq!(out.clusters[0].independent_tips, 1);
    assert_eq!(out.clusters[0].links[0].rule, Rule::Text);
}

/// A recruiter seen in tips about three compounds in three provinces.
fn recruiter_tips() -> Vec<TipFacts> {
    vec![
        at(
            tip(
                1,
                "Sihanoukville: recruiter @hr_lucky_77 sent me; the boss 012 111 111",
            ),
            "18",
            None,
            None,
        ),
        at(
            tip(2, "guards with guns, manager number 012 111 111"),
            "18",
            None,
            None,
        ),
        at(
            tip(
                3,
                "My cousin went to Bavet after @hr_lucky_77 promised work. 012 222 222",
            ),
            "20",
            None,
            None,
        ),
        at(
            tip(4, "They beat people at the place of 012 222 222"),
            "20",
            None,
            None,
        ),
        at(
            tip(
                5,
                "Poipet casino hotel; agent @hr_lucky_77; office 012 333 333",
            ),
            "01",
            None,
            None,
        ),
        at(
            tip(6, "Passports taken, call 012 333 333"),
            "01",
            None,
            None,
        ),
    ]
}

#[test]
fn recruiter_across_provinces_is_a_hub_and_a_lead() {
    let out = check(
        recruiter_tips(),
        &Overrides::default(),
        &[&[1, 2], &[3, 4], &[5, 6]],
    );
    assert_eq!(out.hubs.len(), 1);
    assert_eq!(out.hubs[0].ident, Ident::new(Kind::Telegram, "hr_lucky_77"));
    assert_eq!(out.hubs[0].verdict.view, HubView::Province);
    assert!(out.clusters[0].leads.contains(&out.hubs[0].ident));
}

#[test]
fn busy_facility_number_is_not_a_hub() {
    // 30 tips, one misreported province, all carrying the facility's number.
    let tips: Vec<TipFacts> = (1..=30)
        .map(|i| {
            at(
                tip(i, &format!("compound 012 999 888, report {i}")),
                if i == 7 { "12" } else { "18" },
                None,
                None,
            )
        })
        .collect();
    let out = cluster(&tips, &ClusterConfig::default(), &Overrides::default());
    assert!(out.hubs.is_empty());
    assert_eq!(out.clusters.len(), 1);
}

#[test]
fn recruiter_named_mostly_about_one_compound_is_still_a_hub() {
    // Compound A (commune 180101) is reported 10 times, each naming the recruiter;
    // compound B (commune 180202, same province) 3 times, once naming him.
    let mut tips: Vec<TipFacts> = (1..=10)
        .map(|i| {
            at(
                tip(i, &format!("boss 012 111 111, sent by @hr_lucky_77 ({i})")),
                "18",
                Some("180101"),
                None,
            )
        })
        .collect();
    tips.push(at(
        tip(11, "office 012 222 222, sent by @hr_lucky_77"),
        "18",
        Some("180202"),
        None,
    ));
    for i in 12..=13 {
        tips.push(at(
            tip(i, &format!("office 012 222 222 ({i})")),
            "18",
            Some("180202"),
            None,
        ));
    }
    let out = check(
        tips,
        &Overrides::default(),
        &[&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], &[11, 12, 13]],
    );
    assert_eq!(out.hubs.len(), 1);
    assert_eq!(out.hubs[0].ident, Ident::new(Kind::Telegram, "hr_lucky_77"));
    assert_eq!(out.hubs[0].verdict.view, HubView::Commune);
}

#[test]
fn a_lone_misplaced_tip_does_not_make_a_hub() {
    // Four tips agree on the compound (its number and handle); one more names the
    // number and a handle of its own in the wrong province: nothing else places
    // it, so it cannot outweigh them and the number still links it.
    let mut tips: Vec<TipFacts> = (1..=4)
        .map(|i| {
            at(
                tip(i, &format!("compound 012 999 888 and @kefu_99 ({i})")),
                "18",
                None,
                None,
            )
        })
        .collect();
    tips.push(at(
        tip(5, "call 012 999 888 or @boss_777"),
        "12",
        None,
        None,
    ));
    tips.push(at(tip(6, "number 012 999 888"), "18", None, None));
    let out = check(tips, &Overrides::default(), &[&[1, 2, 3, 4, 5, 6]]);
    assert!(out.hubs.is_empty());
}

#[test]
fn overrides_force_never_and_ignore() {
    let hub = Ident::new(Kind::Telegram, "hr_lucky_77");
    let never = Overrides {
        never_hub: vec![hub.clone()],
        ..Overrides::default()
    };
    check(recruiter_tips(), &never, &[&[1, 2, 3, 4, 5, 6]]);
    let ignore = Overrides {
        ignore: vec![hub.clone()],
        ..Overrides::default()
    };
    let out = check(recruiter_tips(), &ignore, &[&[1, 2], &[3, 4], &[5, 6]]);
    assert!(out.hubs.is_empty() && out.clusters.iter().all(|c| c.leads.is_empty()));
    let forced = Overrides {
        force_hub: vec![Ident::new(Kind::Phone, "+85512111111")],
        ..Overrides::default()
    };
    let out = check(recruiter_tips(), &forced, &[&[1], &[2], &[3, 4], &[5, 6]]);
    assert_eq!(
        out.hubs
            .iter()
            .filter(|h| h.verdict.view == HubView::Forced)
            .count(),
        1
    );
}

#[test]
fn analyst_merge_split_and_keep_apart() {
    let ops = |ops: Vec<AnalystOp>| Overrides {
        ops,
        ..Overrides::default()
    };
    let base = || recruiter_tips();
    check(
        base(),
        &ops(vec![AnalystOp::Merge { a: 1, b: 3 }]),
        &[&[1, 2, 3, 4], &[5, 6]],
    );
    check(
        base(),
        &ops(vec![AnalystOp::Split { tip: 2 }]),
        &[&[1], &[2], &[3, 4], &[5, 6]],
    );
    check(
        base(),
        &ops(vec![
            AnalystOp::Merge { a: 1, b: 3 },
            AnalystOp::KeepApart { tips: vec![2, 4] },
        ]),
        // The merge stands; 4 cannot follow its number into the cluster that holds 2.
        &[&[1, 2, 3], &[4], &[5, 6]],
    );
    check(
        vec![
            tip(1, "012 345 678"),
            tip(2, "012 345 678"),
            tip(3, "012 345 678"),
        ],
        &ops(vec![AnalystOp::KeepApart { tips: vec![1, 3] }]),
        &[&[1, 2], &[3]],
    );
}

#[test]
fn ids_follow_the_greatest_overlap() {
    let out = cluster(
        &recruiter_tips(),
        &ClusterConfig::default(),
        &Overrides::default(),
    );
    let previous = vec![
        (FacilityId(10), vec![1, 2, 3]),
        (FacilityId(11), vec![4]),
        (FacilityId(12), vec![99]),
    ];
    // [1,2] shares 2 with 10; [3,4] shares 1 with 10 (taken) and 1 with 11.
    assert_eq!(
        assign_ids(&previous, &out.clusters),
        vec![Some(FacilityId(10)), Some(FacilityId(11)), None]
    );
}

fn arb_tips() -> impl Strategy<Value = Vec<TipFacts>> {
    let phones = [
        "012 111 111",
        "012 222 222",
        "012 333 333",
        "@boss_1",
        "@boss_2",
        "t.me/hr_9",
        "",
    ];
    let provinces = ["18", "20", "01"];
    prop::collection::vec((0..7usize, 0..7usize, 0..3usize, any::<bool>()), 1..30).prop_map(
        move |rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (a, b, p, coords))| {
                    let mut t = at(
                        tip(i as i64 + 1, &format!("x {} y {}", phones[a], phones[b])),
                        provinces[p],
                        None,
                        None,
                    );
                    if coords {
                        (t.lat, t.lon) = (Some(10.6 + p as f64 * 0.001), Some(103.5));
                    }
                    t
                })
                .collect()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn order_does_not_matter(tips in arb_tips(), seed in any::<u64>()) {
        let a = cluster(&tips, &ClusterConfig::default(), &Overrides::default());
        let mut shuffled = tips.clone();
        let n = shuffled.len();
        for i in (1..n).rev() {
            shuffled.swap(i, (seed.wrapping_mul(i as u64 + 7) % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(a, cluster(&shuffled, &ClusterConfig::default(), &Overrides::default()));
    }

    #[test]
    fn hubs_never_merge_two_clusters(tips in arb_tips()) {
        let out = cluster(&tips, &ClusterConfig::default(), &Overrides::default());
        let hubs: Vec<String> = out.hubs.iter().map(|h| h.ident.to_string()).collect();
        for c in &out.clusters {
            // No identifier link of any cluster is a hub value …
            for l in &c.links {
                if l.rule == Rule::Identifier {
                    prop_assert!(!hubs.contains(&l.key), "{} links {:?}", l.key, c.tips);
                }
            }
            // … and every hub value its tips carry is listed as a lead.
            for t in tips.iter().filter(|t| c.tips.contains(&t.id)) {
                for i in &t.identifiers {
                    if out.hubs.iter().any(|h| h.ident == *i) {
                        prop_assert!(c.leads.contains(i), "{i} is not a lead of {:?}", c.tips);
                    }
                }
            }
        }
    }

    #[test]
    fn analyst_ops_survive_new_tips(tips in arb_tips(), extra in arb_tips()) {
        let n = tips.len() as i64;
        let ops = Overrides {
            ops: vec![
                AnalystOp::Merge { a: 1, b: n },
                AnalystOp::Split { tip: 2 },
                AnalystOp::KeepApart { tips: vec![1, 3] },
            ],
            ..Overrides::default()
        };
        let mut all = tips.clone();
        all.extend(extra.into_iter().map(|mut t| { t.id += 1000; t }));
        for set in [&tips, &all] {
            let out = cluster(set, &ClusterConfig::default(), &ops);
            let of = |id: i64| out.clusters.iter().position(|c| c.tips.contains(&id));
            if n >= 3 {
                prop_assert_ne!(of(1), of(3));
            }
            if n != 2 && n != 3 {
                prop_assert_eq!(of(1), of(n));
            }
            if n > 2 {
                let c = of(2).map(|c| out.clusters[c].tips.clone()).unwrap_or_default();
                prop_assert_eq!(c, vec![2]);
            }
        }
    }
}
