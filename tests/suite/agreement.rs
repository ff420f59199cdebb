//! Agreement with the reference `normalizeWebhook`: the JSON of our result must equal the
//! reference's recorded output for every body of the shared corpus and of our own fixtures
//! (compared as JavaScript sees JSON: key order ignored, numbers as float64).
use std::fs;

use crate::support::compare::js_equal;
use crate::support::fixtures::{meta_corpus, meta_fixtures, MetaCase};
use kapso_webhooks::{normalize_webhook, NormalizedWebhook};
use serde_json::Value;

/// Normalizes every body and compares with its expected output; returns (agreeing, total).
fn check_folder(label: &str, cases: &[MetaCase]) -> (usize, usize) {
    let mut failures = Vec::new();
    for case in cases {
        let (name, expected_path) = (&case.name, &case.expected);
        let body = fs::read(&case.body).unwrap();
        let expected: Value =
            serde_json::from_slice(&fs::read(expected_path).unwrap_or_else(|err| {
                panic!("missing expected output {}: {err}", expected_path.display())
            }))
            .unwrap();
        match normalize_webhook(&body) {
            Ok(webhook) => {
                let actual = serde_json::to_value(&webhook).unwrap();
                if let Err(diff) = js_equal(&actual, &expected) {
                    failures.push(format!("{name}: {diff}"));
                }
            }
            Err(err) => failures.push(format!("{name}: error {err}")),
        }
    }
    let total = cases.len();
    println!("{label}: {} of {total} agree", total - failures.len());
    assert!(
        failures.is_empty(),
        "{} of {total} bodies disagree with the reference:\n{}",
        failures.len(),
        failures.join("\n")
    );
    (total - failures.len(), total)
}

#[test]
fn shared_corpus_agrees_with_reference() {
    let (agree, total) = check_folder("../shared/corpus/meta", &meta_corpus());
    assert!(
        total >= 199,
        "expected the 199 corpus bodies, found {total}"
    );
    assert_eq!(agree, total);
}

#[test]
fn own_fixtures_agree_with_reference() {
    let (agree, total) = check_folder("fixtures/meta", &meta_fixtures());
    assert!(total >= 80, "expected at least 80 fixtures, found {total}");
    assert_eq!(agree, total);
}

/// Serialize → deserialize gives an equal value, and serializing again gives the same JSON.
fn round_trips(cases: &[MetaCase]) -> usize {
    for case in cases {
        let body_path = &case.body;
        let webhook = normalize_webhook(&fs::read(body_path).unwrap()).unwrap();
        let json = serde_json::to_string(&webhook).unwrap();
        let back: NormalizedWebhook = serde_json::from_str(&json)
            .unwrap_or_else(|err| panic!("{}: {err}", body_path.display()));
        assert_eq!(back, webhook, "{}", body_path.display());
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            json,
            "{}",
            body_path.display()
        );
    }
    cases.len()
}

#[test]
fn normalized_json_round_trips() {
    let own = round_trips(&meta_fixtures());
    assert!(own >= 80);
    assert!(round_trips(&meta_corpus()) >= 199);
}

/// Every key of every message, status, call and contact in the corpus and our fixtures lands
/// in a typed field, except the deliberately invented future ones listed here.
#[test]
fn items_are_fully_typed() {
    // Keys that stand for things Meta has not sent yet: they must stay in `extra`.
    const ALLOWED: &[&str] = &[
        "message: hologram",                  // our fixture's unknown future message type
        "message: interactive.pollVoteReply", // our fixture's unknown interactive type
        "message: someFutureType",            // the corpus's unknown future message type
        "contact: note\"quoted",              // our escaped-keys fixture's made-up keys
        "message: xEscapedKey",
        // netflie-php's order and location fixtures hold doc placeholders where Meta sends
        // numbers ("LOCATION_LATITUDE", "number-of-item"): not numbers, so kept as received.
        "message: location.latitude",
        "message: location.longitude",
        "message: order.productItems[0].itemPrice",
        "message: order.productItems[0].quantity",
        "message: order.productItems[1].itemPrice",
        "message: order.productItems[1].quantity",
    ];
    let mut left = std::collections::BTreeSet::new();
    let mut items = 0;
    for cases in [meta_fixtures(), meta_corpus()] {
        for case in cases {
            let webhook = normalize_webhook(&fs::read(&case.body).unwrap()).unwrap();
            let kinds = [
                (
                    "message",
                    webhook
                        .messages()
                        .iter()
                        .map(|m| m.unknown_keys())
                        .collect::<Vec<_>>(),
                ),
                (
                    "status",
                    webhook
                        .statuses()
                        .iter()
                        .map(|s| s.unknown_keys())
                        .collect(),
                ),
                (
                    "call",
                    webhook.calls().iter().map(|c| c.unknown_keys()).collect(),
                ),
                (
                    "contact",
                    webhook
                        .contacts()
                        .iter()
                        .map(|c| c.unknown_keys())
                        .collect(),
                ),
            ];
            for (kind, per_item) in kinds {
                items += per_item.len();
                for key in per_item.into_iter().flatten() {
                    left.insert(format!("{kind}: {key}"));
                }
            }
        }
    }
    println!("{items} items typed; keys left in extra: {left:?}");
    assert!(items > 300, "only {items} items");
    let unexpected: Vec<_> = left
        .iter()
        .filter(|k| !ALLOWED.contains(&k.as_str()))
        .collect();
    assert!(unexpected.is_empty(), "keys left untyped: {unexpected:?}");
}
