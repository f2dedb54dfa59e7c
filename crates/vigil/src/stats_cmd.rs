//! `vigil stats [--format json|text] [--from DATE] [--to DATE]`: the
//! campaign's national totals for a period (dates in Cambodia time, both
//! included), the same figures the dashboard shows, as one JSON object:
//! `{"period": {"from", "to"}, "tips", "facilities", "locations_raided",
//! "networks_dismantled", "devices_seized": {"computer", "smartphone", …}, …,
//! "rewards_awarded", "rewards_claimed", "recruiters_arrested",
//! "recruiters_arrested_domestic", "recruiters_arrested_foreign",
//! "recruiters_arrested_by_province": {code: n}, "recruiters_arrested_by_commune":
//! {code: n}}` (the commune `""`: arrested in an operation that named none).

use anyhow::Context;
use serde_json::{Map, Value, json};
use vigil_core::figures::{self, Figures, Period};

use crate::context::Global;

/// Output format of `vigil stats`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    /// One JSON object.
    Json,
    /// One `name<TAB>count` line per figure.
    Text,
}

/// The figures as the JSON object `vigil stats` prints.
pub fn to_json(f: &Figures) -> Value {
    let devices: Map<String, Value> = f
        .devices_seized
        .iter()
        .map(|(k, n)| (k.clone(), json!(n)))
        .collect();
    json!({
        "period": {
            "from": f.period.from.map(|d| d.to_string()),
            "to": f.period.to.map(|d| d.to_string()),
        },
        "tips": f.tips,
        "facilities": f.facilities,
        "locations_raided": f.locations_raided,
        "networks_dismantled": f.networks_dismantled,
        "devices_seized": devices,
        "persons_met": f.persons_met,
        "persons_by_role": f.persons_by_role,
        "persons_by_nationality": f.persons_by_nationality,
        "victims_identified": f.victims_identified,
        "victims_referred": f.victims_referred,
        "deportations": f.deportations,
        "voluntary_departures": f.voluntary_departures,
        "detentions": f.detentions,
        "deportation_orders": f.deportation_orders,
        "departures_by_nationality": f
            .departures_by_nationality
            .iter()
            .map(|(k, (d, vol))| (k.clone(), json!({"deported": d, "voluntary": vol})))
            .collect::<Map<String, Value>>(),
        "cases": f.cases,
        "named_cases": f.named_cases,
        "defendants_prosecuted": f.defendants_prosecuted,
        "defendants_convicted": f.defendants_convicted,
        "rewards_awarded": f.rewards_awarded,
        "rewards_claimed": f.rewards_claimed,
        "recruiters_arrested": f.recruiters_arrested,
        "recruiters_arrested_domestic": f.recruiters_arrested_domestic,
        "recruiters_arrested_foreign": f.recruiters_arrested_foreign,
        "recruiters_arrested_by_province": f.recruiters_arrested_by_province,
        "recruiters_arrested_by_commune": f.recruiters_arrested_by_commune,
    })
}

fn text_lines(value: &Value, prefix: &str, out: &mut String) {
    if let Value::Object(map) = value {
        for (k, v) in map {
            let name = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                Value::Object(_) => text_lines(v, &name, out),
                Value::Null => {}
                other => out.push_str(&format!(
                    "{name}\t{}\n",
                    other
                        .as_str()
                        .map_or_else(|| other.to_string(), str::to_string)
                )),
            }
        }
    }
}

/// Runs the command.
pub async fn run(g: Global, format: StatsFormat, from: String, to: String) -> anyhow::Result<()> {
    let period = Period::parse(&from, &to).map_err(|e| anyhow::anyhow!("{e}"))?;
    let v = crate::context::open(&g).await?;
    let f = figures::national(&v.figures, period)
        .await
        .context("cannot count the figures")?;
    let value = to_json(&f);
    match format {
        StatsFormat::Json => println!("{value}"),
        StatsFormat::Text => {
            let mut out = String::new();
            text_lines(&value, "", &mut out);
            print!("{out}");
        }
    }
    Ok(())
}
