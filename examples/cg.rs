//! Callgrind harness (temporary).
#![allow(clippy::unwrap_used)]
fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap();
    let bodies: Vec<Vec<u8>> = args.map(|p| std::fs::read(p).unwrap()).collect();
    for _ in 0..20 {
        for b in &bodies {
            if mode == "n" {
                std::hint::black_box(
                    kapso_webhooks::normalize_webhook(std::hint::black_box(b)).ok(),
                );
            } else {
                std::hint::black_box(
                    serde_json::from_slice::<serde::de::IgnoredAny>(std::hint::black_box(b)).ok(),
                );
            }
        }
    }
}
