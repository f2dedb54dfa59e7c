//! The public check over both backends: bands only from k independent
//! reports, the same answer below k as for a value never seen, provinces,
//! standings, ranges, and that a check writes nothing.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use vigil_core::check::{self, Reported};
use vigil_core::{CoreError, Vigil, pipeline};
use vigil_domain::check::{RangePrefix, ReportBand, ValueDigest};
use vigil_domain::{Category, Role, Standing, StandingReason};
use vigil_extract::Kind;

async fn tip(v: &Vigil, text: &str, province: &str) {
    common::report(v, Category::Recruitment, text, province).await;
}

/// Distinct stories, so that each tip is an independent report.
const STORIES: [&str; 6] = [
    "My cousin answered a job advert and was driven across the border at night",
    "A recruiter came to our village school promising hotel work in Thailand",
    "They keep forty people in the blue building behind the casino, guards at the gate",
    "I escaped last week, we had to type love messages to foreigners all day",
    "Our neighbour's daughter sent a voice message crying, they want 3000 dollars",
    "The agency took my passport at the airport and said I owe them for the flight",
];

fn value<'a>(a: &'a check::CheckAnswer, kind: Kind, v: &str) -> &'a Reported {
    &a.values
        .iter()
        .find(|c| c.kind == kind && c.value == v)
        .unwrap_or_else(|| panic!("{v} not in {a:?}"))
        .reported
}

#[tokio::test]
async fn bands_provinces_standings_and_ranges_on_both_backends() {
    for env in common::envs("check").await {
        let v = &env.v;
        // Seen twice (k - 1): answered as if never seen.
        for s in &STORIES[..2] {
            tip(v, &format!("{s}. Call 012 345 678"), "12").await;
        }
        // Five independent reports, three naming province 12.
        for (i, s) in STORIES[..5].iter().enumerate() {
            let province = if i < 3 { "12" } else { "18" };
            tip(v, &format!("{s}. Telegram @recruit_boss"), province).await;
        }
        // One advert pasted four times and one other report: two
        // independent reports.
        let ad = "URGENT customer service job Sihanoukville salary 2500 USD free visa \
                  contact WhatsApp +855 96 555 0101 today only";
        for _ in 0..4 {
            tip(v, ad, "18").await;
        }
        tip(v, &format!("{}. Number +855 96 555 0101", STORIES[5]), "18").await;
        while pipeline::run_once(&v.pipeline, 100)
            .await
            .expect("pipeline")
            .events
            > 0
        {}

        let tips_before = v.store.count_tips().await.expect("count");
        let audit_before = v.store.audit_after(0, -1).await.expect("audit").len();

        let answer = check::check_text(
            &v.check,
            "Did they message you from 012345678 or @recruit_boss? \
             Also +85596 555 0101 and 011 999 888",
        )
        .await
        .expect("check");
        let twice = value(&answer, Kind::Phone, "+85512345678");
        let never = value(&answer, Kind::Phone, "+85511999888");
        assert_eq!(twice, never, "k - 1 reports answer as none");
        assert_eq!(*never, Reported::nothing());
        let boss = value(&answer, Kind::Telegram, "recruit_boss");
        assert_eq!(boss.reports, ReportBand::of(5, 3));
        assert_eq!(boss.provinces, vec!["12".to_string()], "18 has only two");
        let copied = value(&answer, Kind::Phone, "+855965550101");
        assert_eq!(
            *copied,
            Reported::nothing(),
            "copies of one advert count once"
        );

        // A check writes nothing: no tip, no audit entry.
        assert_eq!(v.store.count_tips().await.expect("count"), tips_before);
        assert_eq!(
            v.store.audit_after(0, -1).await.expect("audit").len(),
            audit_before
        );

        // Standings: analysts set them, officers may not; cleared hides
        // the band; unknown values are not found.
        let analyst = common::staff(v, "ana", Role::Analyst, &["12"]).await;
        let officer = common::staff(v, "off", Role::Officer, &[]).await;
        let partner = common::staff(v, "telco", Role::Partner, &[]).await;
        let confirm = Some((Standing::Confirmed, StandingReason::Recruitment));
        assert!(matches!(
            check::set_standing(&v.check, &officer, "whatsapp", "+855965550101", confirm).await,
            Err(CoreError::Forbidden)
        ));
        assert!(matches!(
            check::set_standing(&v.check, &analyst, "phone", "+85500000001", confirm).await,
            Err(CoreError::NotFound)
        ));
        check::set_standing(&v.check, &analyst, "phone", "+855965550101", confirm)
            .await
            .expect("confirm");
        check::set_standing(
            &v.check,
            &analyst,
            "telegram",
            "recruit_boss",
            Some((Standing::Cleared, StandingReason::Legitimate)),
        )
        .await
        .expect("clear");
        assert_eq!(
            v.store.audit_after(0, -1).await.expect("audit").len(),
            audit_before + 5,
            "three accounts and two standings"
        );
        let again = check::check_text(&v.check, "+855 96 555 0101 @recruit_boss")
            .await
            .expect("check");
        let copied = value(&again, Kind::Phone, "+855965550101");
        assert_eq!(copied.reports, None);
        assert_eq!(
            copied.standing.map(|s| (s.standing, s.reason)),
            Some((Standing::Confirmed, StandingReason::Recruitment))
        );
        let boss = value(&again, Kind::Telegram, "recruit_boss");
        assert_eq!(boss.reports, None, "a cleared value shows no band");
        assert_eq!(boss.standing.map(|s| s.standing), Some(Standing::Cleared));

        // Ranges: the confirmed number is listed by its suffix; the number
        // seen twice is not, though it shares nothing but its range.
        let digest = ValueDigest::of("+855965550101");
        let entries = check::range(&v.check, digest.range()).await.expect("range");
        assert!(
            entries.iter().any(|e| e.suffix == digest.suffix()),
            "{entries:?}"
        );
        let twice = ValueDigest::of("+85512345678");
        assert!(
            !check::range(&v.check, twice.range())
                .await
                .expect("range")
                .iter()
                .any(|e| e.suffix == twice.suffix())
        );
        let asked = vec![digest.range().hex(), twice.range().hex()];
        let bulk = check::ranges(&v.check, &partner, &asked)
            .await
            .expect("bulk");
        assert_eq!(bulk.len(), 2);
        assert!(matches!(
            check::ranges(&v.check, &officer, &asked).await,
            Err(CoreError::Forbidden)
        ));
        let bad = check::ranges(&v.check, &partner, &["xyz".to_string()]).await;
        assert!(matches!(bad, Err(CoreError::InvalidField(ref f)) if f.field == "prefixes[0]"));
        let many = vec!["00000".to_string(); check::MAX_PREFIXES + 1];
        assert!(matches!(
            check::ranges(&v.check, &partner, &many).await,
            Err(CoreError::InvalidField(_))
        ));
        assert!(RangePrefix::parse(&digest.range().hex()).is_some());
        assert_eq!(check::fill_digests(&v.check).await.expect("fill"), 0);
    }
}

#[tokio::test]
async fn empty_and_overlong_checks_are_field_errors() {
    for env in common::envs("check_input").await {
        let v = &env.v;
        for text in ["", "   "] {
            assert!(matches!(
                check::check_text(&v.check, text).await,
                Err(CoreError::InvalidField(ref f)) if f.field == "text"
            ));
        }
        let long = "x".repeat(v.settings.intake.max_text_chars + 1);
        assert!(matches!(
            check::check_text(&v.check, &long).await,
            Err(CoreError::InvalidField(ref f)) if f.field == "text"
        ));
        let plain = check::check_text(&v.check, "hello, no identifiers here")
            .await
            .expect("check");
        assert!(plain.values.is_empty() && !plain.cut);
    }
}

#[tokio::test]
async fn warning_signs_and_look_alike_hosts() {
    let env = common::envs("check_signs").await.remove(0);
    let answer = check::check_text(
        &env.v.check,
        "URGENT! Customer service job in Sihanoukville, salary 3000 USD per month, \
         no experience needed, free flight and visa. Log in at https://ạba.com.kh/login \
         to receive your advance.",
    )
    .await
    .expect("check");
    let signs: Vec<&str> = answer.signs.iter().map(|s| s.sign.as_str()).collect();
    for sign in ["pay-too-high", "no-experience", "travel-paid"] {
        assert!(signs.contains(&sign), "{sign} not in {signs:?}");
    }
    assert!(answer.signs.iter().all(|s| !s.evidence.is_empty()));
    let link = answer
        .values
        .iter()
        .find(|v| v.kind == Kind::Url)
        .expect("the link");
    assert!(
        link.warnings
            .contains(&check::ValueWarning::LooksLike("aba.com.kh".into())),
        "{link:?}"
    );
    let plain = check::check_text(&env.v.check, "See you at the market tomorrow at 9.")
        .await
        .expect("check");
    assert!(plain.signs.is_empty(), "{:?}", plain.signs);
}
