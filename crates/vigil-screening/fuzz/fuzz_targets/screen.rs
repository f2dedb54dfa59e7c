//! Feeds arbitrary bytes as a policy file and as a traveller line, and checks the
//! promises: no panic; a traveller that reads is screened with a score equal to
//! the sum of its reasons' weights and an outcome that is never below what a
//! reason that refers alone demands.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigil_screening::{Outcome, Policy, Traveller, Watchlist, evaluate};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let custom = Policy::from_toml(&text);
    let Ok(default) = Policy::default_policy() else {
        panic!("the shipped policy must load");
    };
    let mut watchlist = Watchlist::new();
    watchlist.add(&text, "fuzz");
    if let Ok(t) = Traveller::from_json(&text) {
        for policy in [Some(&default), custom.as_ref().ok()].into_iter().flatten() {
            let s = evaluate(policy, &t, &watchlist);
            let sum = s
                .reasons
                .iter()
                .fold(0u32, |a, r| a.saturating_add(r.weight));
            assert_eq!(s.score, sum);
            if s.reasons.iter().any(|r| r.refers_alone) {
                assert_eq!(s.outcome, Outcome::Refer);
            }
        }
    }
});
