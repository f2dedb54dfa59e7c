//! Synthetic reports at scale, loaded straight into a fresh store: tips with
//! texts made of sentences (so that near-duplicates exist, as when one
//! advert is pasted many times), values with a skewed popularity and 100 hot
//! values seen 12,000 times each, and one sighting per (value, tip), with
//! every index in place. The schema comes from opening Vigil itself.

use std::path::Path;
use std::str::FromStr;
use std::time::Instant;

use anyhow::Result;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection, Executor, SqliteConnection};
use vigil_domain::check::ValueDigest;

/// A small, fast, seeded generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// Seeded.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Hot values, each in exactly [`HOT_TIPS`] tips.
pub const HOT: u32 = 100;
/// Tips of each hot value.
pub const HOT_TIPS: u32 = 12_000;

/// The handle of value `id` (1-based), a Telegram account as `t.me/…`
/// writes it.
pub fn handle(id: u32) -> String {
    format!("acct{id:08}x")
}

/// The value ids seen exactly twice (k - 1 with the default k), for the
/// timing of "seen k - 1 times" against "never seen".
pub struct Loaded {
    /// Tips loaded.
    pub tips: u32,
    /// Distinct values.
    pub values: u32,
    /// Occurrences.
    pub occurrences: u64,
    /// Values seen exactly twice.
    pub twice: Vec<u32>,
    /// Values seen 3 to 49 times.
    pub middling: Vec<u32>,
}

const SENTENCES: [&str; 24] = [
    "They promised a job in a hotel with a good salary",
    "My brother was taken across the border at night",
    "The guards keep our passports in the office",
    "We have to type messages to foreigners all day",
    "The building has blue windows and a high wall",
    "They ask the family for 3000 dollars to let her go",
    "A recruiter came to the village with a minivan",
    "The boss says we owe him for the flight",
    "Nobody may leave the compound without permission",
    "They beat people who do not reach the target",
    "The advert said no experience needed and free visa",
    "She answered a post in a Facebook group about work",
    "There are about two hundred workers from many countries",
    "We sleep twenty in one room on the fifth floor",
    "The phone number belongs to the woman who recruits",
    "Trucks come at night to the back gate",
    "He sent a voice message crying for help",
    "They took us by boat and then by car",
    "The contract was in a language we could not read",
    "The manager speaks Chinese and Khmer",
    "Police came once but left after an hour",
    "People say the casino owns the building",
    "My cousin escaped and told us everything",
    "The salary was never paid, only food",
];

fn text(r: &mut Rng) -> String {
    let mut out = String::new();
    for _ in 0..3 {
        out.push_str(SENTENCES[r.below(SENTENCES.len() as u64) as usize]);
        out.push_str(". ");
    }
    out.push_str(&format!("Case {}.", r.below(1_000_000)));
    out
}

async fn conn(dir: &Path) -> Result<SqliteConnection> {
    let opts = SqliteConnectOptions::from_str("sqlite:")?
        .filename(dir.join(vigil_backends::SQLITE_DB_FILE))
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Off)
        .pragma("cache_size", "-1000000");
    Ok(SqliteConnection::connect_with(&opts).await?)
}

fn progress(what: &str, done: u64, t0: Instant) {
    eprintln!(
        "  {what}: {done} rows in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
}

/// Loads `occurrences` sightings (a quarter as many tips, four values
/// each) into the store in `dir`, made by opening Vigil there first.
pub async fn load(dir: &Path, occurrences: u64, seed: u64) -> Result<Loaded> {
    let mut r = Rng::new(seed);
    let tips = (occurrences / 4) as u32;
    let values = (occurrences / 7) as u32;
    let mut c = conn(dir).await?;
    let t0 = Instant::now();
    // Tips: a third of each hot value's tips are one advert pasted again.
    c.execute("BEGIN").await?;
    let mut batch: Vec<(u32, String, String)> = Vec::with_capacity(300);
    let adverts: Vec<String> = (0..HOT).map(|_| text(&mut r)).collect();
    for id in 1..=tips {
        let hot_slot = (id - 1) % 200;
        let t = if hot_slot < HOT && r.below(3) == 0 {
            adverts[hot_slot as usize].clone()
        } else {
            text(&mut r)
        };
        let province = format!("{:02}", 1 + r.below(25));
        batch.push((id, t, province));
        if batch.len() == 300 || id == tips {
            let sql = format!(
                "INSERT INTO tips (id, channel, category, text, province_code, received_at, created_at) VALUES {}",
                vec!["(?, 'web', 'recruitment', ?, ?, 0, 0)"; batch.len()].join(", ")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (id, t, p) in batch.drain(..) {
                q = q.bind(i64::from(id)).bind(t).bind(p);
            }
            q.execute(&mut c).await?;
        }
    }
    c.execute("COMMIT").await?;
    progress("tips", u64::from(tips), t0);

    // Occurrences: hot value h in every 200th tip from h (12,000 of them
    // when there are 2.4 million tips or more), then values drawn
    // log-uniformly (a few common, most seen once or twice) up to four per
    // tip.
    let t0 = Instant::now();
    let mut count = vec![0u32; values as usize + 1];
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(occurrences as usize);
    for tip in 1..=tips {
        let mut mine: Vec<u32> = Vec::with_capacity(4);
        let hot_slot = (tip - 1) % 200;
        if hot_slot < HOT && count[hot_slot as usize + 1] < HOT_TIPS {
            mine.push(hot_slot + 1);
        }
        while mine.len() < 4 {
            let v =
                HOT + 1 + ((f64::from(values - HOT)).powf(r.unit()) as u32).min(values - HOT - 1);
            if !mine.contains(&v) {
                mine.push(v);
            }
        }
        for v in mine {
            count[v as usize] += 1;
            pairs.push((v, tip));
        }
    }
    pairs.sort_unstable();
    c.execute("BEGIN").await?;
    let used: Vec<u32> = (1..=values).filter(|&v| count[v as usize] > 0).collect();
    for chunk in used.chunks(250) {
        let sql = format!(
            "INSERT INTO observables (id, kind, value, tips, digest_key) VALUES {}",
            vec!["(?, 'telegram', ?, ?, ?)"; chunk.len()].join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for &v in chunk {
            let h = handle(v);
            let key = ValueDigest::of(&h).key();
            q = q
                .bind(i64::from(v))
                .bind(h)
                .bind(i64::from(count[v as usize]))
                .bind(key);
        }
        q.execute(&mut c).await?;
    }
    c.execute("COMMIT").await?;
    progress("values", used.len() as u64, t0);
    let t0 = Instant::now();
    for block in pairs.chunks(1_000_000) {
        c.execute("BEGIN").await?;
        for chunk in block.chunks(400) {
            let sql = format!(
                "INSERT INTO sightings (observable_id, tip_id) VALUES {}",
                vec!["(?, ?)"; chunk.len()].join(", ")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for &(v, t) in chunk {
                q = q.bind(i64::from(v)).bind(i64::from(t));
            }
            q.execute(&mut c).await?;
        }
        c.execute("COMMIT").await?;
    }
    progress("sightings", pairs.len() as u64, t0);
    c.execute("ANALYZE").await?;
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    c.close().await?;
    let twice = used
        .iter()
        .copied()
        .filter(|&v| count[v as usize] == 2)
        .take(2_000)
        .collect();
    let middling = used
        .iter()
        .copied()
        .filter(|&v| (3..50).contains(&count[v as usize]))
        .take(2_000)
        .collect();
    Ok(Loaded {
        tips,
        values: used.len() as u32,
        occurrences: pairs.len() as u64,
        twice,
        middling,
    })
}

/// A connection for the plain-SQL peer.
pub async fn peer(dir: &Path) -> Result<SqliteConnection> {
    conn(dir).await
}
