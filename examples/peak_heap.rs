//! Peak heap and allocation counts of `normalize_webhook`, with a counting global allocator.
//!
//! ```text
//! cargo run --release --example peak_heap
//! ```
//!
//! For the 1,000-message batch, the ~3 MB `history` body and the largest corpus body, prints
//! the body size and, for each function (`normalize_webhook`; body → JSON text, that is
//! `normalize_webhook(body)?.to_json()`, whose retained heap is the text; `normalize_webhook`
//! with `raw` read; serde_json's `Value` and `IgnoredAny`), the peak heap while it runs (bytes live at the peak
//! minus bytes live before the call; the body itself was allocated before), that peak over the
//! body size, the heap still held by the result (`retained`) and the number of allocations.
//! Bytes are the sizes asked of the allocator (`Layout::size`), without the allocator's own
//! overhead; a `realloc` counts as its new size only.
//!
//! The allocator delegates to `std::alloc::System` and keeps three atomic counters. Implementing
//! `GlobalAlloc` needs `unsafe impl`: this example is the one target that allows `unsafe_code`
//! (the crate's lint is `deny`, and the library itself keeps `#![forbid(unsafe_code)]`).
#![allow(unsafe_code)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../benches/support/bodies.rs"]
mod bodies;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use serde::de::IgnoredAny;
use serde_json::Value;

/// `System`, counting live bytes, their peak and the allocations.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn grow(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(live, Relaxed);
}

fn shrink(bytes: usize) {
    LIVE.fetch_sub(bytes, Relaxed);
}

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counters never affect the pointers returned.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` are passed on to `System`.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            ALLOCATIONS.fetch_add(1, Relaxed);
            grow(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            ALLOCATIONS.fetch_add(1, Relaxed);
            grow(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (through this allocator) with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by `System` with `layout`; the caller vouches for `new_size`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            ALLOCATIONS.fetch_add(1, Relaxed);
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                shrink(layout.size() - new_size);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What one call cost on the heap.
struct Usage {
    peak: usize,
    retained: usize,
    allocations: usize,
}

/// Runs `f` once and reports its heap usage (the result is dropped after `retained` is read).
fn usage<T>(f: impl FnOnce() -> T) -> Usage {
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let allocations = ALLOCATIONS.load(Relaxed);
    let result = black_box(f());
    let usage = Usage {
        peak: PEAK.load(Relaxed) - before,
        retained: LIVE.load(Relaxed).saturating_sub(before),
        allocations: ALLOCATIONS.load(Relaxed) - allocations,
    };
    drop(result);
    usage
}

/// `bytes` in MB, or in kB below one MB.
fn mb(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{:.2} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} kB", bytes as f64 / 1e3)
    }
}

fn report(name: &str, body: &[u8]) {
    println!("{name}: {} ({} bytes)", mb(body.len()), body.len());
    println!(
        "  {:<24} {:>12} {:>8} {:>12} {:>12}",
        "function", "peak heap", "÷ body", "retained", "allocations"
    );
    let rows: [(&str, Usage); 5] = [
        (
            "normalize_webhook",
            usage(|| kapso_webhooks::normalize_webhook(body).unwrap()),
        ),
        (
            "body → JSON text",
            usage(|| kapso_webhooks::normalize_webhook(body).unwrap().to_json()),
        ),
        (
            "normalize_webhook_raw",
            usage(|| {
                let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
                let raw_values: usize = webhook.raw().iter().map(|(_, values)| values.len()).sum();
                (webhook, raw_values)
            }),
        ),
        (
            "serde_json Value",
            usage(|| serde_json::from_slice::<Value>(body).unwrap()),
        ),
        (
            "serde_json IgnoredAny",
            usage(|| serde_json::from_slice::<IgnoredAny>(body).unwrap()),
        ),
    ];
    for (function, u) in rows {
        println!(
            "  {function:<24} {:>12} {:>7.2}× {:>12} {:>12}",
            mb(u.peak),
            u.peak as f64 / body.len() as f64,
            mb(u.retained),
            u.allocations
        );
    }
    println!();
}

/// Allocations per body, on average over the corpus, and the heap the results hold.
fn corpus_allocations(corpus: &[Vec<u8>]) {
    let bytes: usize = corpus.iter().map(Vec::len).sum();
    println!(
        "corpus: {} bodies, {} on average",
        corpus.len(),
        mb(bytes / corpus.len().max(1))
    );
    println!(
        "  {:<24} {:>12} {:>12}",
        "function", "allocations", "retained"
    );
    let per_body = |f: &dyn Fn(&[u8]) -> Usage| {
        let (mut allocations, mut retained) = (0, 0);
        for body in corpus {
            let u = f(body);
            allocations += u.allocations;
            retained += u.retained;
        }
        let n = corpus.len().max(1) as f64;
        (allocations as f64 / n, retained as f64 / n)
    };
    let rows: [(&str, (f64, f64)); 2] = [
        (
            "normalize_webhook",
            per_body(&|body| usage(|| kapso_webhooks::normalize_webhook(body).unwrap())),
        ),
        (
            "serde_json Value",
            per_body(&|body| usage(|| serde_json::from_slice::<Value>(body).unwrap())),
        ),
    ];
    for (function, (allocations, retained)) in rows {
        println!(
            "  {function:<24} {allocations:>12.1} {:>12}",
            mb(retained as usize)
        );
    }
    println!();
}

fn main() {
    // Once first, so one-time allocations (std's lazy statics, …) do not count below.
    let (corpus, _) = bodies::corpus();
    for body in &corpus {
        drop(kapso_webhooks::normalize_webhook(body));
    }
    corpus_allocations(&corpus);
    report("batch_1000", &bodies::batch_1000());
    report("body_3mb", &bodies::body_3mb());
    let largest = corpus
        .iter()
        .max_by_key(|body| body.len())
        .expect("a corpus body");
    report("largest corpus body", largest);
}
