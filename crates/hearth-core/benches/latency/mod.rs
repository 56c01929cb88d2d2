//! Latency figures the benches share: percentiles of sorted samples, in milliseconds.
use std::time::Duration;

/// The `p` quantile (0–1) of latencies sorted ascending.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
