//! Differential test on generated bodies: `normalize_webhook` must agree with
//! the reference `normalizeWebhook` on every body of
//! `fixtures/generated/bodies.ndjson`, whose reference outputs are committed in
//! `fixtures/generated/expected.ndjson` (the reference's exact text, one line each; compared
//! here as JSON values, and byte for byte by the `text` tests).
//!
//! After changing the generator, rewrite both files (needs Node.js and npm):
//!
//! ```text
//! cargo test --all-features --test suite -- --ignored generated::regenerate
//! ```
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::compare::js_equal;
use crate::support::fixtures::{generated, shared};
use crate::support::generator::{bodies, COUNT, SEED};
use serde_json::{json, Value};

/// Failures printed in full before the count assertion.
const SHOWN_FAILURES: usize = 20;

fn bodies_path() -> PathBuf {
    generated().bodies
}

fn expected_path() -> PathBuf {
    generated().expected
}

fn read_lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn generator_is_deterministic_and_matches_committed_bodies() {
    let generated = bodies(SEED, COUNT);
    assert_eq!(
        generated,
        bodies(SEED, COUNT),
        "generator is not deterministic"
    );
    let committed = read_lines(&bodies_path());
    let hint = "the generator changed: run `cargo test --all-features --test suite -- --ignored generated::regenerate` \
                and commit fixtures/generated/";
    for (index, (fresh, stored)) in generated.iter().zip(&committed).enumerate() {
        assert_eq!(
            fresh, stored,
            "body {index} differs from fixtures/generated/bodies.ndjson; {hint}"
        );
    }
    assert_eq!(
        generated.len(),
        committed.len(),
        "fixtures/generated/bodies.ndjson has {} lines, the generator {}; {hint}",
        committed.len(),
        generated.len()
    );
}

#[test]
fn generated_bodies_agree_with_reference() {
    let bodies = read_lines(&bodies_path());
    let expected = read_lines(&expected_path());
    assert_eq!(
        bodies.len(),
        expected.len(),
        "bodies.ndjson and expected.ndjson differ in length; run the regenerate test"
    );
    let total = bodies.len();
    assert!(total >= 2000, "only {total} generated bodies");

    let mut failures = Vec::new();
    for (index, (body, expected)) in bodies.iter().zip(&expected).enumerate() {
        let expected: Value = serde_json::from_str(expected)
            .unwrap_or_else(|err| panic!("expected.ndjson line {index} is not JSON: {err}"));
        assert!(
            expected.get("__error__").is_none(),
            "the reference threw on body {index}: the generator must avoid that case"
        );
        let outcome = match kapso_webhooks::normalize_webhook(body.as_bytes()) {
            Err(err) => Err(format!("normalize_webhook failed: {err}")),
            Ok(webhook) => match serde_json::to_value(&webhook) {
                Err(err) => Err(format!("serialization failed: {err}")),
                Ok(actual) => js_equal(&actual, &expected),
            },
        };
        if let Err(message) = outcome {
            failures.push((index, message));
        }
    }

    for (index, message) in failures.iter().take(SHOWN_FAILURES) {
        let body = &bodies[*index];
        let shown: String = body.chars().take(300).collect();
        eprintln!(
            "body {index} (line {}): {message}\n  body: {shown}\n",
            index + 1
        );
    }
    if failures.len() > SHOWN_FAILURES {
        eprintln!("… and {} more failures", failures.len() - SHOWN_FAILURES);
    }
    let agree = total - failures.len();
    eprintln!("{agree} of {total} agree");
    assert!(
        failures.is_empty(),
        "{agree} of {total} agree; {} bodies disagree with the reference (first: body {})",
        failures.len(),
        failures.first().map_or(0, |(index, _)| *index)
    );
}

/// Rewrites `fixtures/generated/` from the generator and the reference
/// (`../shared/reference/normalize-reference`, which needs Node.js and npm).
#[test]
#[ignore = "rewrites fixtures/generated/ with the reference (needs Node.js)"]
fn regenerate() {
    fs::create_dir_all(generated().dir).unwrap();
    let mut text = bodies(SEED, COUNT).join("\n");
    text.push('\n');
    fs::write(bodies_path(), text).unwrap();

    let reference = shared("reference/normalize-reference");
    let output = Command::new(&reference)
        .arg("--ndjson")
        .stdin(fs::File::open(bodies_path()).unwrap())
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", reference.display()));
    assert!(
        output.status.success(),
        "reference failed: {}",
        output.status
    );
    let expected = String::from_utf8(output.stdout).unwrap();
    let lines = expected.lines().count();
    assert_eq!(lines, COUNT, "the reference returned {lines} lines");
    let errors: Vec<usize> = expected
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains("\"__error__\""))
        .map(|(index, _)| index)
        .collect();
    assert!(
        errors.is_empty(),
        "the reference threw on bodies {errors:?}: fix the generator to avoid those cases"
    );
    fs::write(expected_path(), expected).unwrap();
}

#[test]
fn js_equal_ignores_key_order() {
    let actual = json!({"b": [1, {"y": null, "x": "s"}], "a": true});
    let expected = json!({"a": true, "b": [1, {"x": "s", "y": null}]});
    assert_eq!(js_equal(&actual, &expected), Ok(()));
}

#[test]
fn js_equal_compares_numbers_as_f64() {
    assert_eq!(js_equal(&json!({"n": 1}), &json!({"n": 1.0})), Ok(()));
    let minus_zero: Value = serde_json::from_str("-0").unwrap();
    assert_eq!(js_equal(&minus_zero, &json!(0)), Ok(()));
    assert!(js_equal(&json!(1), &json!(1.5)).is_err());
    assert!(js_equal(&json!(1), &json!("1")).is_err());
}

#[test]
fn js_equal_reports_the_path_of_the_first_difference() {
    let actual = json!({"messages": [{"id": "a"}, {"kapso": {"direction": "inbound"}}]});
    let expected = json!({"messages": [{"id": "a"}, {"kapso": {"direction": "outbound"}}]});
    let message = js_equal(&actual, &expected).unwrap_err();
    assert!(
        message.starts_with("at $.messages[1].kapso.direction: "),
        "{message}"
    );
    assert!(message.contains("\"inbound\"") && message.contains("\"outbound\""));
}

#[test]
fn js_equal_reports_missing_extra_keys_and_lengths() {
    let message = js_equal(&json!({"a": 1}), &json!({"a": 1, "b-c": null})).unwrap_err();
    assert!(
        message.starts_with("at $[\"b-c\"]: key missing"),
        "{message}"
    );

    let message = js_equal(&json!({"a": 1, "object": null}), &json!({"a": 1})).unwrap_err();
    assert!(
        message.starts_with("at $.object: unexpected key"),
        "{message}"
    );

    let message = js_equal(&json!({"calls": [1, 2]}), &json!({"calls": [1]})).unwrap_err();
    assert!(
        message.starts_with("at $.calls: array length 2"),
        "{message}"
    );

    let message = js_equal(&json!([null]), &json!([false])).unwrap_err();
    assert!(message.starts_with("at $[0]: values differ"), "{message}");
}

#[test]
fn js_equal_truncates_long_values() {
    let long = "x".repeat(1000);
    let message = js_equal(&json!(long), &json!("y")).unwrap_err();
    assert!(message.len() < 600, "{message}");
}
