//! Latency of related-tip reads through the `Store` trait, and of the naive
//! peer query over the same database.

use std::future::Future;
use std::time::Instant;

use anyhow::Result;

/// Latencies of one query set, in microseconds.
pub struct Stats {
    /// Queries timed.
    pub n: usize,
    /// Median.
    pub p50: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Slowest.
    pub max: f64,
    /// Rows returned, summed (a check that the queries did their work).
    pub rows: usize,
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "n={} p50={:.1} µs p99={:.1} µs max={:.1} µs rows/query={:.1}",
            self.n,
            self.p50,
            self.p99,
            self.max,
            self.rows as f64 / self.n.max(1) as f64
        )
    }
}

/// Runs `f(0..n)` one after another and times each call.
pub async fn time<F, Fut>(n: usize, mut f: F) -> Result<Stats>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<usize>>,
{
    let mut us = Vec::with_capacity(n);
    let mut rows = 0;
    for i in 0..n {
        let t0 = Instant::now();
        rows += f(i).await?;
        us.push(t0.elapsed().as_secs_f64() * 1e6);
    }
    us.sort_by(f64::total_cmp);
    let at = |q: f64| us[((us.len() as f64 * q).ceil() as usize).clamp(1, us.len()) - 1];
    Ok(Stats {
        n,
        p50: at(0.50),
        p99: at(0.99),
        max: us.last().copied().unwrap_or(0.0),
        rows,
    })
}
