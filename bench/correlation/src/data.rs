//! The synthetic occurrences: tips carrying 3-5 identifiers each; a few hot
//! values carried by exactly `hot_tips` tips each; every other occurrence drawn
//! from a Zipf-Mandelbrot law (a long tail of values seen once or twice, a
//! head of values seen thousands of times).

/// xorshift64*: small, fast, reproducible from the seed.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Kinds given to observables in turn.
const KINDS: [&str; 6] = ["phone", "telegram", "whatsapp", "line", "wechat", "domain"];

/// The (kind, normalised value) of observable `id`.
pub fn kind_value(id: u32) -> (&'static str, String) {
    let kind = KINDS[id as usize % KINDS.len()];
    let value = match kind {
        "phone" => format!("+855{id:09}"),
        "domain" => format!("site{id}.example"),
        _ => format!("user_{id}"),
    };
    (kind, value)
}

/// The generated data set.
pub struct Data {
    /// Tips are numbered 1..=tips.
    pub tips: u32,
    /// Observables are numbered 1..=observables.
    pub observables: u32,
    /// (tip, observable), in tip order (the order the pipeline writes them).
    pub occurrences: Vec<(u32, u32)>,
    /// The hot observables (ids 1..=hot).
    pub hot: Vec<u32>,
    /// Tips per observable, indexed by id (index 0 unused).
    pub tips_per_value: Vec<u32>,
    /// Occurrences lost because a tip would have carried a value twice.
    pub dropped: usize,
}

impl Data {
    /// Pairs of tips sharing a value, summed over values: the rows a
    /// pairwise correlation table (MISP's) holds for the same data.
    pub fn pairs(&self) -> u64 {
        self.tips_per_value
            .iter()
            .map(|&n| u64::from(n) * u64::from(n.saturating_sub(1)) / 2)
            .sum()
    }
}

/// `n` occurrences: `hot` values with `hot_tips` tips each, the rest Zipf.
pub fn generate(n: usize, hot: u32, hot_tips: u32, seed: u64) -> Data {
    let mut rng = Rng::new(seed);
    let mut sizes = Vec::new();
    let mut total = 0usize;
    while total < n {
        let k = (3 + rng.below(3) as usize).min(n - total);
        sizes.push(k);
        total += k;
    }
    // Ranks 0..hot are the hot values; the tail follows P(r) ~ (r + Q)^-S
    // (continuous inverse CDF), so its head is seen about as often as a hot
    // value and most of it once or twice.
    let tail_ranks = (n / 2).max(1) as u32;
    let mut vals: Vec<u32> = Vec::with_capacity(n);
    for h in 0..hot {
        vals.extend(std::iter::repeat_n(h, hot_tips as usize));
    }
    vals.truncate(n);
    let (q, s) = (100.0f64, 1.1f64);
    let e = 1.0 - s;
    let (lo, hi) = (q.powf(e), (f64::from(tail_ranks) + q).powf(e));
    while vals.len() < n {
        let x = (lo + rng.unit() * (hi - lo)).powf(1.0 / e) - q;
        vals.push(hot + (x.max(0.0) as u32).min(tail_ranks - 1));
    }
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        vals.swap(i, j);
    }
    // A tip carries a value once: a repeat is swapped with a later slot.
    let mut occ: Vec<(u32, u32)> = Vec::with_capacity(n);
    let mut pos = 0usize;
    let mut dropped = 0usize;
    for (t, &k) in sizes.iter().enumerate() {
        let start = occ.len();
        for _ in 0..k {
            let mut tries = 0;
            loop {
                let v = vals[pos];
                if !occ[start..].iter().any(|&(_, o)| o == v) {
                    occ.push((t as u32 + 1, v));
                    break;
                }
                if pos + 1 >= n || tries > 64 {
                    dropped += 1;
                    break;
                }
                let j = pos + 1 + rng.below((n - pos - 1) as u64) as usize;
                vals.swap(pos, j);
                tries += 1;
            }
            pos += 1;
        }
    }
    // Dense ids: hot values first, then the tail ranks actually drawn.
    let ranks = (hot + tail_ranks) as usize;
    let mut used = vec![false; ranks];
    for &(_, r) in &occ {
        used[r as usize] = true;
    }
    let mut id_of = vec![0u32; ranks];
    let mut next = 0u32;
    for (r, u) in used.iter().enumerate() {
        if *u || (r as u32) < hot {
            next += 1;
            id_of[r] = next;
        }
    }
    let mut tips_per_value = vec![0u32; next as usize + 1];
    for o in &mut occ {
        o.1 = id_of[o.1 as usize];
        tips_per_value[o.1 as usize] += 1;
    }
    Data {
        tips: sizes.len() as u32,
        observables: next,
        occurrences: occ,
        hot: (1..=hot).collect(),
        tips_per_value,
        dropped,
    }
}
