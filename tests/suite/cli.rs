//! The `kapso-webhooks` binary, run as a user would: `normalize`, `verify`, `sign`,
//! `kapso-event`; `listen` and `send` in `cli/listen.rs`.
#![cfg(feature = "cli")]
use std::path::PathBuf;
use std::process::Output;

use kapso_webhooks::normalize_webhook;

use crate::support::cli::run;
use crate::support::fixtures;
use kapso_webhooks::verify::signature::SignatureScheme;

const FIXTURE_NAME: &str = "fixtures/meta/body/message_text.json";
const SECOND_FIXTURE_NAME: &str = "fixtures/meta/body/bsuid_text_from_user_id_no_from.json";
const APP_SECRET: &str = "cli-app-secret";
const KAPSO_SECRET: &str = "cli-kapso-secret";

fn fixture(name: &str) -> PathBuf {
    fixtures::path(name)
}

fn fixture_body(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The CLI's line for a body: the normalized webhook's exact text.
fn normalized_line(body: &[u8]) -> String {
    normalize_webhook(body).unwrap().to_json()
}

// ---------------------------------------------------------------------------
// normalize
// ---------------------------------------------------------------------------

#[test]
fn normalize_files_prints_one_compact_line_each() {
    let output = run(&["normalize", FIXTURE_NAME, SECOND_FIXTURE_NAME], b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!(
            "{}\n{}\n",
            normalized_line(&fixture_body(FIXTURE_NAME)),
            normalized_line(&fixture_body(SECOND_FIXTURE_NAME))
        )
    );
    assert!(output.stderr.is_empty());
}

#[test]
fn normalize_reads_standard_input_without_a_file_or_with_dash() {
    let body = fixture_body(FIXTURE_NAME);
    for args in [&["normalize"][..], &["normalize", "-"][..]] {
        let output = run(args, &body);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(stdout(&output), format!("{}\n", normalized_line(&body)));
    }
}

#[test]
fn normalize_pretty() {
    let output = run(&["normalize", "--pretty", FIXTURE_NAME], b"");
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.lines().count() > 10, "{text}");
    assert!(text.contains("\n  \"messages\": ["), "{text}");
    let webhook = normalize_webhook(&fixture_body(FIXTURE_NAME)).unwrap();
    assert_eq!(text, format!("{}\n", webhook.to_json_pretty()));
    let printed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(printed, serde_json::to_value(&webhook).unwrap());
}

/// `normalize` on every Meta fixture at once: line for line, the reference's exact text
/// (`fixtures/meta/normalized/<case>.json`, byte for byte); `--pretty` gives the same JSON
/// values, re-indented.
#[test]
fn normalize_prints_the_reference_text_of_every_fixture() {
    let cases = fixtures::meta_fixtures();
    assert!(cases.len() > 100, "{} fixtures", cases.len());
    let names: Vec<String> = cases
        .iter()
        .map(|case| format!("fixtures/meta/body/{}", case.name))
        .collect();
    let mut args = vec!["normalize"];
    args.extend(names.iter().map(String::as_str));
    let output = run(&args, b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.split_terminator('\n').collect();
    assert_eq!(lines.len(), cases.len());
    let mut expected_values = Vec::new();
    for (case, line) in cases.iter().zip(&lines) {
        let expected = std::fs::read_to_string(&case.text).unwrap();
        let expected = expected.strip_suffix('\n').unwrap_or(&expected);
        assert!(
            *line == expected,
            "{}: the CLI's line is not the reference's text\n  cli: {line}\n  ref: {expected}",
            case.name
        );
        expected_values.push(serde_json::from_str::<serde_json::Value>(expected).unwrap());
    }

    args.insert(1, "--pretty");
    let output = run(&args, b"");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let printed: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&text)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(printed.len(), cases.len());
    for ((case, printed), expected) in cases.iter().zip(&printed).zip(&expected_values) {
        assert_eq!(
            printed, expected,
            "{}: --pretty changed the value",
            case.name
        );
    }
    // Only whitespace was added: without it, each document is the compact line again.
    let documents: Vec<&str> = text.split_terminator("\n}\n").collect();
    assert_eq!(documents.len(), lines.len());
    for (document, line) in documents.iter().zip(&lines) {
        assert_eq!(strip_layout(&format!("{document}\n}}")), *line);
    }
}

/// `text` without the whitespace outside strings.
fn strip_layout(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if !c.is_ascii_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

#[test]
fn normalize_missing_file_names_it_and_goes_on() {
    let output = run(&["normalize", "no/such/body.json", FIXTURE_NAME], b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("no/such/body.json"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        stdout(&output),
        format!("{}\n", normalized_line(&fixture_body(FIXTURE_NAME)))
    );
}

#[test]
fn normalize_ndjson_reports_a_bad_line_and_goes_on() {
    let good = serde_json::to_vec(
        &serde_json::from_slice::<serde_json::Value>(&fixture_body(FIXTURE_NAME)).unwrap(),
    )
    .unwrap();
    let mut input = good.clone();
    input.extend_from_slice(b"\n{\"object\": oops}\n\n");
    input.extend_from_slice(&good);
    input.extend_from_slice(b"\r\n");
    let output = run(&["normalize", "--ndjson"], &input);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0], normalized_line(&good));
    let error: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("line 1 column 12"),
        "{error}"
    );
    assert_eq!(error.as_object().unwrap().len(), 1);
    assert_eq!(lines[2], normalized_line(&good));
    assert!(
        stderr(&output).contains("kapso-webhooks: -:2: "),
        "{}",
        stderr(&output)
    );
}

// ---------------------------------------------------------------------------
// verify
// ---------------------------------------------------------------------------

/// Runs `verify` and returns (exit code, stdout, stderr).
fn verify(args: &[&str], stdin: &[u8]) -> (Option<i32>, String, String) {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    let output = run(&all, stdin);
    (output.status.code(), stdout(&output), stderr(&output))
}

#[test]
fn verify_meta_valid() {
    let signature = SignatureScheme::Meta.sign(&fixture_body(FIXTURE_NAME), APP_SECRET);
    let result = verify(
        &[
            "--app-secret",
            APP_SECRET,
            "--signature",
            &signature,
            FIXTURE_NAME,
        ],
        b"",
    );
    assert_eq!(result, (Some(0), "valid\n".into(), String::new()));
}

#[test]
fn verify_meta_rotation_and_header_line() {
    let signature = SignatureScheme::Meta.sign(&fixture_body(FIXTURE_NAME), APP_SECRET);
    let line = format!("X-Hub-Signature-256: {signature}");
    let result = verify(
        &[
            "--app-secret",
            "old-secret",
            "--app-secret",
            APP_SECRET,
            "--signature",
            &line,
            FIXTURE_NAME,
        ],
        b"",
    );
    assert_eq!(result, (Some(0), "valid\n".into(), String::new()));
}

#[test]
fn verify_meta_wrong_secret() {
    let signature = SignatureScheme::Meta.sign(&fixture_body(FIXTURE_NAME), "another-secret");
    let result = verify(
        &[
            "--app-secret",
            APP_SECRET,
            "--signature",
            &signature,
            FIXTURE_NAME,
        ],
        b"",
    );
    assert_eq!(
        result,
        (
            Some(1),
            String::new(),
            "invalid: signature does not match the body under any configured secret\n".into()
        )
    );
}

#[test]
fn verify_meta_altered_body() {
    let signature = SignatureScheme::Meta.sign(&fixture_body(FIXTURE_NAME), APP_SECRET);
    let mut body = fixture_body(FIXTURE_NAME);
    body.push(b'\n');
    let result = verify(
        &["--app-secret", APP_SECRET, "--signature", &signature, "-"],
        &body,
    );
    assert_eq!(result.0, Some(1));
    assert!(
        result.2.starts_with("invalid: signature does not match"),
        "{}",
        result.2
    );
}

#[test]
fn verify_meta_malformed() {
    let digest = SignatureScheme::Kapso.sign(&fixture_body(FIXTURE_NAME), APP_SECRET);
    for (signature, reason) in [
        (
            digest.clone(),
            "invalid: malformed signature header: expected the `sha256=` prefix\n",
        ),
        (
            format!("sha256={}", &digest[..10]),
            "invalid: malformed signature header: digest has 10 hex digits, expected 64\n",
        ),
        (
            format!("sha256={}", "g".repeat(64)),
            "invalid: malformed signature header: digest is not hexadecimal\n",
        ),
        (
            String::from(" "),
            "invalid: missing signature header `x-hub-signature-256`\n",
        ),
    ] {
        let result = verify(
            &[
                "--app-secret",
                APP_SECRET,
                "--signature",
                &signature,
                FIXTURE_NAME,
            ],
            b"",
        );
        assert_eq!(
            result,
            (Some(1), String::new(), reason.into()),
            "{signature:?}"
        );
    }
}

#[test]
fn verify_kapso() {
    let body = "{\"event\":\"whatsapp.message.received\",\"text\":\"¿qué tal? 👋\"}".as_bytes();
    let signature = SignatureScheme::Kapso.sign(body, KAPSO_SECRET);
    let valid = verify(
        &[
            "--kapso-secret",
            KAPSO_SECRET,
            "--signature",
            &signature,
            "-",
        ],
        body,
    );
    assert_eq!(valid, (Some(0), "valid\n".into(), String::new()));

    let wrong = verify(
        &["--kapso-secret", "other", "--signature", &signature, "-"],
        body,
    );
    assert_eq!(wrong.0, Some(1));
    assert!(
        wrong.2.starts_with("invalid: signature does not match"),
        "{}",
        wrong.2
    );

    // Kapso's digest with a `sha256=` prefix, as some of Kapso's adapters send it.
    let prefixed = format!("sha256={signature}");
    let accepted = verify(
        &[
            "--kapso-secret",
            KAPSO_SECRET,
            "--signature",
            &prefixed,
            "-",
        ],
        body,
    );
    assert_eq!(accepted, (Some(0), "valid\n".into(), String::new()));
}

#[test]
fn verify_cannot_check() {
    let signature = SignatureScheme::Meta.sign(&fixture_body(FIXTURE_NAME), APP_SECRET);
    // Unreadable file: exit 2, the file named.
    let (code, out, err) = verify(
        &[
            "--app-secret",
            APP_SECRET,
            "--signature",
            &signature,
            "no/such/body.json",
        ],
        b"",
    );
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(err.contains("no/such/body.json"), "{err}");
    // Empty secret: never a key.
    let (code, _, err) = verify(
        &["--app-secret", "", "--signature", &signature, FIXTURE_NAME],
        b"",
    );
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "kapso-webhooks: refusing an empty Meta app secret: anyone could sign with it\n"
    );
    // Also next to a real one: an empty secret is never configured.
    let (code, _, err) = verify(
        &[
            "--kapso-secret",
            KAPSO_SECRET,
            "--kapso-secret",
            "",
            "--signature",
            &signature,
            FIXTURE_NAME,
        ],
        b"",
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("refusing an empty Kapso webhook secret"),
        "{err}"
    );
}

#[test]
fn verify_usage_errors() {
    let signature = SignatureScheme::Meta.sign(&fixture_body(FIXTURE_NAME), APP_SECRET);
    // Both schemes at once.
    let (code, _, err) = verify(
        &[
            "--app-secret",
            APP_SECRET,
            "--kapso-secret",
            KAPSO_SECRET,
            "--signature",
            &signature,
            FIXTURE_NAME,
        ],
        b"",
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot be used with"), "{err}");
    // No secret at all.
    let (code, _, err) = verify(&["--signature", &signature, FIXTURE_NAME], b"");
    assert_eq!(code, Some(2));
    assert!(err.contains("required"), "{err}");
    // No signature.
    let (code, _, err) = verify(&["--app-secret", APP_SECRET, FIXTURE_NAME], b"");
    assert_eq!(code, Some(2));
    assert!(err.contains("--signature"), "{err}");
}

// ---------------------------------------------------------------------------
// sign
// ---------------------------------------------------------------------------

#[test]
fn sign_meta_and_kapso() {
    let body = fixture_body(FIXTURE_NAME);
    let output = run(&["sign", "--app-secret", APP_SECRET, FIXTURE_NAME], b"");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        format!("{}\n", SignatureScheme::Meta.sign(&body, APP_SECRET))
    );

    let output = run(&["sign", "--kapso-secret", KAPSO_SECRET, "-"], &body);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        format!("{}\n", SignatureScheme::Kapso.sign(&body, KAPSO_SECRET))
    );

    let output = run(
        &["sign", "--header", "--app-secret", APP_SECRET, FIXTURE_NAME],
        b"",
    );
    assert_eq!(
        stdout(&output),
        format!(
            "X-Hub-Signature-256: {}\n",
            SignatureScheme::Meta.sign(&body, APP_SECRET)
        )
    );
    let output = run(
        &[
            "sign",
            "--header",
            "--kapso-secret",
            KAPSO_SECRET,
            FIXTURE_NAME,
        ],
        b"",
    );
    assert_eq!(
        stdout(&output),
        format!(
            "X-Webhook-Signature: {}\n",
            SignatureScheme::Kapso.sign(&body, KAPSO_SECRET)
        )
    );
}

#[test]
fn sign_then_verify_round_trip() {
    let output = run(
        &["sign", "--header", "--app-secret", APP_SECRET, FIXTURE_NAME],
        b"",
    );
    let line = stdout(&output);
    let result = verify(
        &[
            "--app-secret",
            APP_SECRET,
            "--signature",
            line.trim_end(),
            FIXTURE_NAME,
        ],
        b"",
    );
    assert_eq!(result, (Some(0), "valid\n".into(), String::new()));
}

#[test]
fn sign_refuses_bad_input() {
    let output = run(&["sign", "--app-secret", "", FIXTURE_NAME], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let output = run(
        &["sign", "--app-secret", APP_SECRET, "no/such/body.json"],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no/such/body.json"));
    let output = run(&["sign", FIXTURE_NAME], b"");
    assert_eq!(output.status.code(), Some(2));
    let output = run(
        &[
            "sign",
            "--app-secret",
            "a",
            "--kapso-secret",
            "b",
            FIXTURE_NAME,
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
}

/// `kapso-event`: one compact line per event of the delivery, exactly the library's JSON.
#[test]
fn kapso_event_prints_one_line_per_event() {
    let root = fixtures::path("fixtures/kapso");
    let cases = [
        (
            "whatsapp.message.received",
            "whatsapp.message.received/batch_three.json",
            3,
        ),
        (
            "whatsapp.conversation.inactive",
            "whatsapp.conversation.inactive/thirty_minutes.json",
            1,
        ),
        ("made.up.event", "whatsapp.conversation.ended/ended.json", 1),
    ];
    for (event, file, count) in cases {
        let path = root.join(file);
        let output = run(
            &["kapso-event", "--event", event, path.to_str().unwrap()],
            b"",
        );
        assert!(output.status.success(), "{file}: {}", stderr(&output));
        let body = std::fs::read(&path).unwrap();
        let expected: Vec<String> = kapso_webhooks::parse_kapso_delivery(
            &kapso_webhooks::KapsoHeaders::for_event(event),
            &body,
        )
        .unwrap()
        .into_events()
        .iter()
        .map(|e| serde_json::to_string(&e.to_json()).unwrap())
        .collect();
        let lines: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
        assert_eq!(lines.len(), count, "{file}");
        assert_eq!(lines, expected, "{file}");
        for line in &lines {
            let json: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(json["event"], event, "{file}");
        }
    }
    // Invalid JSON: exit 1, the file named.
    let output = run(
        &["kapso-event", "--event", "whatsapp.message.sent", "-"],
        b"{oops",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("line 1 column 2"),
        "{}",
        stderr(&output)
    );
}

// `listen` and `send`.
mod listen;
