//! How the vocabulary is spelled in the database. Existing databases hold
//! these exact strings: a spelling here never changes, whatever the domain
//! calls the word. Audit actions are also hashed into the audit chain, so
//! their stored spelling is the domain's name, checked equal by a test.

use vigil_domain::{
    AnalystOp, AnalystOpKind, AuditAction, CaseStage, EventKind, Outcome, RewardReason, Standing,
    StandingReason, Verdict,
};
use vigil_store::StoreError;

/// A word of the vocabulary with a stored spelling.
pub trait Spelling: Sized + Copy + 'static {
    /// What the word is, for errors.
    const WHAT: &'static str;
    /// Every word.
    const ALL: &'static [Self];

    /// The stored spelling.
    fn stored(self) -> &'static str;

    /// Reads a stored spelling; an unknown one is corrupt data.
    fn from_stored(s: &str) -> Result<Self, StoreError> {
        Self::ALL
            .iter()
            .copied()
            .find(|w| w.stored() == s)
            .ok_or_else(|| StoreError::Other(format!("unknown {} {s:?} stored", Self::WHAT)))
    }
}

/// The stored spelling of `w`.
pub fn stored<W: Spelling>(w: W) -> &'static str {
    w.stored()
}

/// Reads a stored spelling.
pub fn from_stored<W: Spelling>(s: &str) -> Result<W, StoreError> {
    W::from_stored(s)
}

impl Spelling for EventKind {
    const WHAT: &'static str = "event kind";
    const ALL: &'static [Self] = EventKind::ALL;
    fn stored(self) -> &'static str {
        match self {
            EventKind::TipCreated => "tip.created",
            EventKind::TipStatus => "tip.status",
            EventKind::MessageCreated => "message.created",
        }
    }
}

impl Spelling for AuditAction {
    const WHAT: &'static str = "audit action";
    const ALL: &'static [Self] = AuditAction::ALL;
    fn stored(self) -> &'static str {
        // The chain hashes `AuditAction::name`; the test below keeps the two
        // equal.
        self.name()
    }
}

impl Spelling for CaseStage {
    const WHAT: &'static str = "case stage";
    const ALL: &'static [Self] = CaseStage::ALL;
    fn stored(self) -> &'static str {
        match self {
            CaseStage::Investigation => "investigation",
            CaseStage::Charged => "charged",
            CaseStage::Trial => "trial",
            CaseStage::Verdict => "verdict",
            CaseStage::Appeal => "appeal",
        }
    }
}

impl Spelling for Verdict {
    const WHAT: &'static str = "verdict";
    const ALL: &'static [Self] = Verdict::ALL;
    fn stored(self) -> &'static str {
        match self {
            Verdict::Convicted => "convicted",
            Verdict::Acquitted => "acquitted",
            Verdict::Dropped => "dropped",
        }
    }
}

impl Spelling for Standing {
    const WHAT: &'static str = "standing";
    const ALL: &'static [Self] = Standing::ALL;
    fn stored(self) -> &'static str {
        match self {
            Standing::Confirmed => "confirmed",
            Standing::Investigating => "investigating",
            Standing::Cleared => "cleared",
        }
    }
}

impl Spelling for StandingReason {
    const WHAT: &'static str = "standing reason";
    const ALL: &'static [Self] = StandingReason::ALL;
    fn stored(self) -> &'static str {
        match self {
            StandingReason::Reports => "reports",
            StandingReason::Operation => "operation",
            StandingReason::Impersonation => "impersonation",
            StandingReason::Recruitment => "recruitment",
            StandingReason::Money => "money",
            StandingReason::Legitimate => "legitimate",
        }
    }
}

impl Spelling for Outcome {
    const WHAT: &'static str = "defendant outcome";
    const ALL: &'static [Self] = Outcome::ALL;
    fn stored(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Convicted => "convicted",
            Outcome::Acquitted => "acquitted",
            Outcome::Dismissed => "dismissed",
        }
    }
}

impl Spelling for AnalystOpKind {
    const WHAT: &'static str = "analyst operation";
    const ALL: &'static [Self] = AnalystOpKind::ALL;
    fn stored(self) -> &'static str {
        match self {
            AnalystOpKind::Merge => "merge",
            AnalystOpKind::Split => "split",
            AnalystOpKind::KeepApart => "keep_apart",
        }
    }
}

impl Spelling for RewardReason {
    const WHAT: &'static str = "reward reason";
    const ALL: &'static [Self] = RewardReason::ALL;
    fn stored(self) -> &'static str {
        match self {
            RewardReason::Raid => "raid",
            RewardReason::Rescue => "rescue",
            RewardReason::Arrest => "arrest",
            RewardReason::Seizure => "seizure",
            RewardReason::Other => "other",
        }
    }
}

/// One analyst decision as stored: a JSON array of operations, each an
/// object tagged by `op` (`[{"op":"merge","a":1,"b":2}]`).
pub fn analyst_ops_to_stored(ops: &[AnalystOp]) -> String {
    // Written by hand to keep the tag first, as the rows already stored.
    let items: Vec<String> = ops
        .iter()
        .map(|op| {
            let tag = op.kind().stored();
            match op {
                AnalystOp::Merge { a, b } => format!(r#"{{"op":"{tag}","a":{a},"b":{b}}}"#),
                AnalystOp::Split { tip } => format!(r#"{{"op":"{tag}","tip":{tip}}}"#),
                AnalystOp::KeepApart { tips } => {
                    let tips: Vec<String> = tips.iter().map(i64::to_string).collect();
                    format!(r#"{{"op":"{tag}","tips":[{}]}}"#, tips.join(","))
                }
            }
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// Reads one stored analyst decision (see [`analyst_ops_to_stored`]).
pub fn analyst_ops_from_stored(s: &str) -> Result<Vec<AnalystOp>, StoreError> {
    let bad = |why: &str| StoreError::Other(format!("analyst operation {s:?}: {why}"));
    let value: serde_json::Value = serde_json::from_str(s).map_err(|e| bad(&e.to_string()))?;
    // One operation alone reads as a decision of one.
    let items = match &value {
        serde_json::Value::Array(items) => items.as_slice(),
        one => std::slice::from_ref(one),
    };
    let int = |o: &serde_json::Value, k: &str| {
        o.get(k)
            .and_then(serde_json::Value::as_i64)
            .ok_or_else(|| bad(&format!("no integer {k}")))
    };
    items
        .iter()
        .map(|o| {
            let tag = o
                .get("op")
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| bad("no op"))?;
            Ok(match AnalystOpKind::from_stored(tag)? {
                AnalystOpKind::Merge => AnalystOp::Merge {
                    a: int(o, "a")?,
                    b: int(o, "b")?,
                },
                AnalystOpKind::Split => AnalystOp::Split {
                    tip: int(o, "tip")?,
                },
                AnalystOpKind::KeepApart => AnalystOp::KeepApart {
                    tips: o
                        .get("tips")
                        .and_then(serde_json::Value::as_array)
                        .ok_or_else(|| bad("no tips"))?
                        .iter()
                        .map(|t| t.as_i64().ok_or_else(|| bad("a tip is not an integer")))
                        .collect::<Result<_, _>>()?,
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pinned<W: Spelling + PartialEq + std::fmt::Debug>(expected: &[&str]) {
        let got: Vec<&str> = W::ALL.iter().map(|w| w.stored()).collect();
        assert_eq!(got, expected, "{}: the stored spellings changed", W::WHAT);
        for &w in W::ALL {
            assert_eq!(W::from_stored(w.stored()).ok(), Some(w));
        }
        assert!(W::from_stored("no such word").is_err());
    }

    #[test]
    fn stored_spellings_are_todays_strings_and_round_trip() {
        pinned::<EventKind>(&["tip.created", "tip.status", "message.created"]);
        pinned::<CaseStage>(&["investigation", "charged", "trial", "verdict", "appeal"]);
        pinned::<Verdict>(&["convicted", "acquitted", "dropped"]);
        pinned::<Outcome>(&["pending", "convicted", "acquitted", "dismissed"]);
        pinned::<AnalystOpKind>(&["merge", "split", "keep_apart"]);
        pinned::<Standing>(&["confirmed", "investigating", "cleared"]);
        pinned::<StandingReason>(&[
            "reports",
            "operation",
            "impersonation",
            "recruitment",
            "money",
            "legitimate",
        ]);
        pinned::<RewardReason>(&["raid", "rescue", "arrest", "seizure", "other"]);
        pinned::<AuditAction>(&[
            "attachment.read",
            "case.charge",
            "case.create",
            "case.defendant",
            "case.figures",
            "case.hearing",
            "case.link",
            "case.list",
            "case.outcome",
            "case.read",
            "case.stage",
            "case.verdict",
            "departure.create",
            "departure.import",
            "deportation_order.create",
            "detention.create",
            "evidence.export",
            "evidence.image",
            "evidence.list",
            "evidence.read",
            "evidence.seize",
            "evidence.transfer",
            "facility.assign",
            "facility.keep_apart",
            "facility.merge",
            "facility.read",
            "facility.split",
            "facility.unassign",
            "immigration.export",
            "immigration.list",
            "message.create",
            "network.create",
            "network.dismantle",
            "network.read",
            "observable.mode",
            "observable.read",
            "observable.standing",
            "operation.create",
            "operation.list",
            "operation.read",
            "operation.update",
            "person.read",
            "person.victim_ack",
            "persons.list",
            "persons.record",
            "persons.review",
            "persons.reviews",
            "prevention.list",
            "recruiter.read",
            "recruiters.area",
            "recruiters.list",
            "reward.award",
            "reward.claim",
            "screening.create",
            "screening.decide",
            "screening.list",
            "screening.read",
            "screening.referral",
            "staff.change",
            "staff.create",
            "staff.disable",
            "staff.reset",
            "staff.session_end",
            "staff.setup",
            "staff.setup_link",
            "staff.sign_in",
            "staff.sign_in_password",
            "staff.sign_out",
            "staff.token_create",
            "staff.totp",
            "sync.pull",
            "sync.receive",
            "sync.watchlist",
            "tip.assign",
            "tip.create",
            "tip.import",
            "tip.read",
            "tip.search",
            "tip.status",
            "tip.unassign",
        ]);
    }

    #[test]
    fn audit_actions_are_stored_as_the_chain_hashes_them() {
        for &a in AuditAction::ALL {
            assert_eq!(a.stored(), a.name());
        }
    }

    #[test]
    fn analyst_ops_keep_todays_json() {
        let ops = vec![
            AnalystOp::Merge { a: 1, b: 2 },
            AnalystOp::Split { tip: 3 },
            AnalystOp::KeepApart { tips: vec![4, 5] },
        ];
        let s = analyst_ops_to_stored(&ops);
        assert_eq!(
            s,
            r#"[{"op":"merge","a":1,"b":2},{"op":"split","tip":3},{"op":"keep_apart","tips":[4,5]}]"#
        );
        assert_eq!(analyst_ops_from_stored(&s).ok(), Some(ops));
        // Another key order reads the same.
        assert_eq!(
            analyst_ops_from_stored(r#"[{"b":8,"a":7,"op":"merge"}]"#).ok(),
            Some(vec![AnalystOp::Merge { a: 7, b: 8 }])
        );
        assert_eq!(
            analyst_ops_from_stored(r#"{"op":"split","tip":3}"#).ok(),
            Some(vec![AnalystOp::Split { tip: 3 }])
        );
        assert!(analyst_ops_from_stored(r#"[{"op":"fuse","a":1}]"#).is_err());
    }
}
