//! Throughput of `normalize_webhook` on files, measured like the reference's `--bench`, beside
//! serde_json baselines on the same bytes. Used by `benches/compare-reference.sh`.
//!
//! ```text
//! cargo run --release --example throughput -- --seconds 5 FILE...   # measure
//! cargo run --release --example throughput -- --minify DIR FILE...  # compact copies of FILEs in DIR
//! cargo run --release --example throughput -- --write-bodies DIR    # batch_1000.json, body_3mb.json
//! ```
//!
//! Measuring prints one JSON line per function, with the reference's fields
//! (`payloads_per_s`, `mb_per_s`, `ns_per_payload`) plus `ns_per_byte`:
//! * `normalize_webhook`: our entry point, result dropped;
//! * `normalize_webhook_raw`: the same, then every `raw` value read (the crate builds the
//!   camelCased `raw` lazily; the reference always builds it);
//! * `to_json`: body text to normalized JSON text, `normalize_webhook(body)?.to_json()` (what
//!   the reference's `--bench-json` measures: `JSON.parse` + `normalizeWebhook` +
//!   `JSON.stringify`);
//! * `ignored_any`: `serde_json::from_slice::<IgnoredAny>` (a validating scan);
//! * `value`: `serde_json::from_slice::<Value>` (with `preserve_order`).
//!
//! Like the reference: all files are read first, warmed up (200 rounds or one second, whichever
//! comes first), then parsed in whole rounds until SECONDS have passed; one thread.
//!
//! After the JSON lines, a summary for people goes to stderr: per-body time and MB/s of body
//! text → JSON text, and `normalize_webhook`'s time over the `IgnoredAny` scan's.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../benches/support/bodies.rs"]
mod bodies;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde::de::IgnoredAny;
use serde_json::{json, Value};

const USAGE: &str =
    "usage: throughput [--seconds N] FILE... | --minify DIR FILE... | --write-bodies DIR";

/// A measured function: returns something, to keep the work from being optimized out.
type Measured = fn(&[u8]) -> usize;

/// The measured functions, by name.
const FUNCTIONS: [(&str, Measured); 5] = [
    ("normalize_webhook", normalize),
    ("normalize_webhook_raw", normalize_raw),
    ("to_json", to_json),
    ("ignored_any", ignored_any),
    ("value", value),
];

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

/// One function over all bodies for about `seconds`.
fn measure(name: &str, f: Measured, bodies: &[Vec<u8>], seconds: f64) -> Value {
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    let round = || bodies.iter().map(|body| f(black_box(body))).sum::<usize>();
    let mut sink = 0;
    let warm_up = Instant::now();
    for _ in 0..200 {
        sink += round();
        if warm_up.elapsed() > Duration::from_secs(1) {
            break;
        }
    }
    let mut rounds = 0_u64;
    let start = Instant::now();
    let elapsed = loop {
        sink += round();
        rounds += 1;
        let elapsed = start.elapsed().as_secs_f64();
        if elapsed >= seconds {
            break elapsed;
        }
    };
    black_box(sink);
    let payloads = rounds as f64 * bodies.len() as f64;
    let total_bytes = rounds as f64 * bytes as f64;
    json!({
        "bench": name,
        "files": bodies.len(),
        "bytes": bytes,
        "payloads_per_s": payloads / elapsed,
        "mb_per_s": total_bytes / 1e6 / elapsed,
        "ns_per_payload": elapsed * 1e9 / payloads,
        "ns_per_byte": elapsed * 1e9 / total_bytes,
    })
}

/// The figures people ask for, on stderr: body text → JSON text per body and in MB/s, and
/// `normalize_webhook`'s time over the `IgnoredAny` scan's.
fn summary(results: &[Value]) {
    let field = |name: &str, key: &str| {
        results
            .iter()
            .find(|r| r["bench"] == name)
            .and_then(|r| r[key].as_f64())
    };
    if let (Some(ns), Some(mb)) = (
        field("to_json", "ns_per_payload"),
        field("to_json", "mb_per_s"),
    ) {
        eprintln!(
            "body text → JSON text (to_json): {:.2} µs a body, {mb:.1} MB/s",
            ns / 1000.0
        );
    }
    if let (Some(ours), Some(scan)) = (
        field("normalize_webhook", "ns_per_payload"),
        field("ignored_any", "ns_per_payload"),
    ) {
        eprintln!(
            "normalize_webhook: {:.2}× the IgnoredAny scan's time",
            ours / scan
        );
    }
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--minify") if args.len() >= 2 => {
            let dir = PathBuf::from(&args[1]);
            std::fs::create_dir_all(&dir).unwrap();
            for file in &args[2..] {
                let path = Path::new(file);
                let body = std::fs::read(path).unwrap_or_else(|e| panic!("read {file}: {e}"));
                write(
                    &dir.join(path.file_name().expect("a file name")),
                    &bodies::minify(&body),
                );
            }
            ExitCode::SUCCESS
        }
        Some("--write-bodies") if args.len() == 2 => {
            let dir = PathBuf::from(&args[1]);
            std::fs::create_dir_all(&dir).unwrap();
            write(&dir.join("batch_1000.json"), &bodies::batch_1000());
            write(&dir.join("body_3mb.json"), &bodies::body_3mb());
            ExitCode::SUCCESS
        }
        _ => {
            let (seconds, files) = match args.first().map(String::as_str) {
                Some("--seconds") if args.len() >= 2 => match args[1].parse::<f64>() {
                    Ok(seconds) if seconds > 0.0 => (seconds, &args[2..]),
                    _ => {
                        eprintln!("{USAGE}");
                        return ExitCode::from(2);
                    }
                },
                _ => (5.0, &args[..]),
            };
            if files.is_empty() || files.iter().any(|f| f.starts_with("--")) {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
            let bodies: Vec<Vec<u8>> = files
                .iter()
                .map(|file| std::fs::read(file).unwrap_or_else(|e| panic!("read {file}: {e}")))
                .collect();
            for (file, body) in files.iter().zip(&bodies) {
                if let Err(e) = kapso_webhooks::normalize_webhook(body) {
                    eprintln!("{file}: {e}");
                    return ExitCode::FAILURE;
                }
            }
            // THROUGHPUT_ONLY=NAME measures one function (e.g. under a profiler).
            let only = std::env::var("THROUGHPUT_ONLY").ok();
            let mut results = Vec::new();
            for (name, f) in FUNCTIONS {
                if only.as_deref().is_some_and(|only| only != name) {
                    continue;
                }
                let result = measure(name, f, &bodies, seconds);
                println!("{result}");
                results.push(result);
            }
            summary(&results);
            ExitCode::SUCCESS
        }
    }
}
