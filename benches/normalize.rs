//! Throughput of `normalize_webhook` beside serde_json baselines on the same bytes.
//!
//! Groups (each with `Throughput::Bytes`, so criterion reports MiB/s and per-byte cost is
//! comparable across groups):
//! * `corpus`: all minified Meta corpus bodies (`../shared/corpus/meta/body`, or
//!   `fixtures/meta/body` without `../shared`), one batch of all of them per iteration;
//! * `batch_1000`: one generated change with 1,000 messages and 1,000 statuses;
//! * `body_3mb`: one generated ~3 MB `history` chunk (Meta's maximum body size).
//!
//! Functions in each group:
//! * `ignored_any`: `serde_json::from_slice::<IgnoredAny>`, a validating scan (the floor);
//! * `value`: `serde_json::from_slice::<Value>` (with `preserve_order`);
//! * `normalize_webhook`: our entry point, result dropped;
//! * `normalize_webhook_raw`: the same, then every `raw` value read, which makes the crate
//!   build the camelCased `raw` it otherwise builds lazily (the reference always builds it).
//!
//!
//! And a group `to_json`: body text to normalized JSON text, `normalize_webhook(body)?.to_json()`,
//! on each of the three (`corpus`, `batch_1000`, `body_3mb`), each with its own bytes throughput.
//!
//! `cargo bench --bench normalize` (about three minutes); `-- --quick` for a rough pass;
//! `-- corpus` for one group, `-- to_json` for body → JSON text.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/bodies.rs"]
mod bodies;

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput};
use serde::de::IgnoredAny;
use serde_json::Value;

/// Every body of `bodies`, once, through one function.
fn each(bodies: &[Vec<u8>], f: impl Fn(&[u8]) -> usize) -> usize {
    bodies.iter().map(|body| f(black_box(body))).sum()
}

fn ignored_any(body: &[u8]) -> usize {
    serde_json::from_slice::<IgnoredAny>(body).unwrap();
    1
}

fn value(body: &[u8]) -> usize {
    match serde_json::from_slice::<Value>(body).unwrap() {
        Value::Object(map) => map.len(),
        _ => 0,
    }
}

fn normalize(body: &[u8]) -> usize {
    kapso_webhooks::normalize_webhook(body)
        .unwrap()
        .messages()
        .len()
}

fn normalize_raw(body: &[u8]) -> usize {
    let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
    let raw_values: usize = webhook.raw().iter().map(|(_, values)| values.len()).sum();
    webhook.messages().len() + raw_values
}

fn to_json(body: &[u8]) -> usize {
    kapso_webhooks::normalize_webhook(body)
        .unwrap()
        .to_json()
        .len()
}

/// The four functions on `bodies` in `group`.
fn functions(group: &mut BenchmarkGroup<'_, WallTime>, bodies: &[Vec<u8>]) {
    let total: usize = bodies.iter().map(Vec::len).sum();
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("ignored_any", |b| b.iter(|| each(bodies, ignored_any)));
    group.bench_function("value", |b| b.iter(|| each(bodies, value)));
    group.bench_function("normalize_webhook", |b| b.iter(|| each(bodies, normalize)));
    group.bench_function("normalize_webhook_raw", |b| {
        b.iter(|| each(bodies, normalize_raw))
    });
}

fn corpus(c: &mut Criterion) {
    let (bodies, dir) = bodies::corpus();
    let total: usize = bodies.iter().map(Vec::len).sum();
    eprintln!(
        "corpus: {} bodies from {}, {total} bytes minified ({} bytes on average)",
        bodies.len(),
        dir.display(),
        total / bodies.len().max(1)
    );
    let mut group = c.benchmark_group("corpus");
    group.measurement_time(Duration::from_secs(5));
    functions(&mut group, &bodies);
    group.finish();
}

fn batch_1000(c: &mut Criterion) {
    let body = bodies::batch_1000();
    eprintln!("batch_1000: {} bytes", body.len());
    let mut group = c.benchmark_group("batch_1000");
    group
        .measurement_time(Duration::from_secs(5))
        .sample_size(30);
    functions(&mut group, &[body]);
    group.finish();
}

fn body_3mb(c: &mut Criterion) {
    let body = bodies::body_3mb();
    eprintln!("body_3mb: {} bytes", body.len());
    let mut group = c.benchmark_group("body_3mb");
    group
        .measurement_time(Duration::from_secs(5))
        .sample_size(30);
    functions(&mut group, &[body]);
    group.finish();
}

/// Body text → JSON text on the corpus, the batch and the 3 MB body.
fn to_json_group(c: &mut Criterion) {
    let (corpus, _) = bodies::corpus();
    let sets = [
        ("corpus", corpus),
        ("batch_1000", vec![bodies::batch_1000()]),
        ("body_3mb", vec![bodies::body_3mb()]),
    ];
    let mut group = c.benchmark_group("to_json");
    group
        .measurement_time(Duration::from_secs(5))
        .sample_size(30);
    for (name, bodies) in &sets {
        let total: usize = bodies.iter().map(Vec::len).sum();
        group.throughput(Throughput::Bytes(total as u64));
        group.bench_function(*name, |b| b.iter(|| each(bodies, to_json)));
    }
    group.finish();
}

// What `criterion_group!`/`criterion_main!` expand to, without their undocumented `pub fn`.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    corpus(&mut criterion);
    batch_1000(&mut criterion);
    body_3mb(&mut criterion);
    to_json_group(&mut criterion);
    criterion.final_summary();
}
