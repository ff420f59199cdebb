//! Exact text agreement with the reference: `normalize_webhook(body)?.to_json()` must equal the
//! reference's output text, `JSON.stringify(normalizeWebhook(JSON.parse(body)))`, **byte for
//! byte** (key order, number spelling, string escapes), for every body of
//!
//! - the shared corpus: `../shared/corpus/meta/body/` with the texts of `../shared/corpus/meta/text/`
//!   (absent `../shared` fails, never skips: CI always has it);
//! - our fixtures: `fixtures/meta/body/` with the texts of `fixtures/meta/normalized/`;
//! - the generated bodies: `fixtures/generated/bodies.ndjson` with `expected.ndjson`, line by line;
//! - the corpus and fixture bodies again, compact (no whitespace between tokens, as Meta sends
//!   them), which takes the other way of writing `raw` (see [`compacted`]).
//!
//! Expected files hold the reference's line followed by a newline; the newline is not part of the
//! text. The only bodies allowed to differ are listed in [`DEVIATIONS`], each with the deviation
//! of `../shared/GUIDE.md` (section 5) that explains it. A listed body must still agree as JSON
//! values (`js_equal`: numbers as float64) and must really differ as text: a listed body whose
//! text became identical fails, so the list stays exact. A body whose expected output is a
//! reference error (`{"__error__":…}`) fails, as in the agreement tests: such bodies are inputs
//! of the deviation tests, not of the expected outputs.
//!
//! Each test prints its counts (identical, listed, failing) and, on failure, the first differing
//! byte of up to [`SHOWN_FAILURES`] bodies with the text around it in both outputs.
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::support::compare::js_equal;
use crate::support::fixtures::{generated, meta_corpus, meta_fixtures, MetaCase};
use kapso_webhooks::normalize_webhook;
use serde_json::Value;

/// Bodies whose failures are printed in full.
const SHOWN_FAILURES: usize = 10;

/// Further failing bodies named (without details) after the shown ones.
const MORE_NAMED: usize = 20;

/// Bytes of context shown on each side of the first difference.
const CONTEXT: usize = 40;

/// Where a body comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// `../shared/corpus/meta/body/<name>`; listed by file name.
    Corpus,
    /// `fixtures/meta/body/<name>`; listed by file name.
    Fixtures,
    /// `fixtures/generated/bodies.ndjson`; listed as `line <n>` (1-based).
    Generated,
}

/// A body whose text differs from the reference's because of a deliberate deviation.
#[derive(Debug)]
struct Listed {
    source: Source,
    /// The file name, or `line <n>` for a generated body.
    body: &'static str,
    /// `D1` … `D7` (`../shared/GUIDE.md`, section 5).
    deviation: &'static str,
    reason: &'static str,
}

/// Every body whose exact text is allowed to differ from the reference's, and why.
///
/// Found by inspecting the inputs, not the outputs: every body of the three sources was scanned
/// for what D1–D7 cover, counting only what reaches the output (the change values, a duplicate
/// key's last value): integer literals beyond ±2^53 (D5; the largest in the corpus and the
/// fixtures is `message_template_id` 1689556908129835, below 2^53 = 9007199254740992; the
/// generated bodies have no integer over 15 digits), numbers that overflow float64 and lone
/// surrogate escapes (D6; the generated bodies' `\ud83d\ude00` are pairs), non-object items of
/// `contacts`, `messages`, `messageEchoes`, `statuses`, `calls` (D1; the generated bodies'
/// `"messages":[5,null,"x",[]]` is a duplicate key that a later `messages` replaces), a truthy
/// non-object `kapso` (D2), `__proto__` keys (D3), `field` names of JavaScript object members
/// (D4) and camelCase collisions involving an integer-like key (D7). None was found, so the list
/// is empty: every body must give the reference's text exactly.
///
/// An entry looks like
/// `Listed { source: Source::Corpus, body: "x.json", deviation: "D5", reason: "integer beyond 2^53 kept digit for digit" }`.
const DEVIATIONS: &[Listed] = &[];

/// What became of one body.
#[derive(Debug)]
enum Outcome<'a> {
    Identical,
    /// Differs as text, agrees as JSON values, and is listed.
    Listed(&'a Listed),
    Failing(String),
}

/// Compares our text with the reference's for one body, given its entry in the list, if any.
fn classify<'a>(
    listed: Option<&'a Listed>,
    ours: Result<String, String>,
    expected: &str,
) -> Outcome<'a> {
    if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(expected) {
        if let Some(error) = map.get("__error__") {
            return Outcome::Failing(format!(
                "the reference threw ({error}): an expected output must not be a reference error \
                 (bodies that make the reference throw are inputs of the deviation tests)"
            ));
        }
    }
    let ours = match ours {
        Ok(text) => text,
        Err(err) => return Outcome::Failing(format!("normalize_webhook failed: {err}")),
    };
    let identical = ours == expected;
    match (listed, identical) {
        (None, true) => Outcome::Identical,
        (Some(entry), true) => Outcome::Failing(format!(
            "listed as {} ({}) but the text is identical to the reference's: remove it from \
             DEVIATIONS in tests/suite/text.rs",
            entry.deviation, entry.reason
        )),
        (None, false) => Outcome::Failing(format!(
            "{}\n  as JSON values: {}",
            first_difference(&ours, expected),
            values_agree(&ours, expected).map_or_else(|diff| diff, |()| "equal".to_owned())
        )),
        (Some(entry), false) => match values_agree(&ours, expected) {
            Ok(()) => Outcome::Listed(entry),
            Err(diff) => Outcome::Failing(format!(
                "listed as {} ({}), but differs as JSON values too: {diff}\n{}",
                entry.deviation,
                entry.reason,
                first_difference(&ours, expected)
            )),
        },
    }
}

/// Both texts read as JSON values and compared as JavaScript sees them (`js_equal`).
fn values_agree(ours: &str, expected: &str) -> Result<(), String> {
    let ours: Value =
        serde_json::from_str(ours).map_err(|err| format!("our text is not JSON: {err}"))?;
    let expected: Value = serde_json::from_str(expected)
        .map_err(|err| format!("the reference's text is not JSON: {err}"))?;
    js_equal(&ours, &expected)
}

/// The offset of the first differing byte and [`CONTEXT`] bytes around it in both texts, with a
/// caret under the difference.
fn first_difference(ours: &str, expected: &str) -> String {
    let (a, b) = (ours.as_bytes(), expected.as_bytes());
    let offset = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    // The bytes before `offset` are the same in both texts, so both excerpts start at the same
    // character boundary and the caret is under the difference in both.
    let mut start = offset.saturating_sub(CONTEXT);
    while start > 0 && !expected.is_char_boundary(start) {
        start -= 1;
    }
    let excerpt = |text: &str| {
        let mut end = (offset + CONTEXT).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let mut from = start.min(text.len());
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let prefix = if from > 0 { "…" } else { "" };
        let suffix = if end < text.len() { "…" } else { "" };
        format!("{prefix}{}{suffix}", &text[from..end])
    };
    let column =
        usize::from(start > 0) + String::from_utf8_lossy(&b[start..offset]).chars().count();
    format!(
        "first difference at byte {offset} (ours {} bytes, the reference's {} bytes)\n  \
         ours:      {}\n  reference: {}\n             {}^",
        a.len(),
        b.len(),
        excerpt(ours),
        excerpt(expected),
        " ".repeat(column)
    )
}

/// One body to check: its name (as listed), its bytes and the reference's text (or why it
/// could not be read).
struct Case {
    name: String,
    body: Vec<u8>,
    expected: Result<String, String>,
}

/// The text of an expected-output file: one line followed by a newline, the newline removed.
fn expected_text(path: &Path) -> Result<String, String> {
    let text = fs::read_to_string(path)
        .map_err(|err| format!("cannot read the expected text {}: {err}", path.display()))?;
    match text.strip_suffix('\n') {
        Some(line) if !line.contains('\n') => Ok(line.to_owned()),
        _ => Err(format!(
            "{} is not one line followed by a newline (the reference's exact text): regenerate it",
            path.display()
        )),
    }
}

fn meta_cases(cases: Vec<MetaCase>) -> Vec<Case> {
    cases
        .into_iter()
        .map(|case| Case {
            body: fs::read(&case.body)
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", case.body.display())),
            expected: expected_text(&case.text),
            name: case.name,
        })
        .collect()
}

/// The lines of an ndjson file, each without its newline; the file must end with one.
fn ndjson_lines(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let lines = text
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("{} does not end with a newline", path.display()));
    lines.split('\n').map(str::to_owned).collect()
}

fn generated_cases() -> Vec<Case> {
    let files = generated();
    let bodies = ndjson_lines(&files.bodies);
    let expected = ndjson_lines(&files.expected);
    assert_eq!(
        bodies.len(),
        expected.len(),
        "bodies.ndjson and expected.ndjson differ in length: run the generated::regenerate test"
    );
    bodies
        .into_iter()
        .zip(expected)
        .enumerate()
        .map(|(index, (body, expected))| Case {
            name: format!("line {}", index + 1),
            body: body.into_bytes(),
            expected: Ok(expected),
        })
        .collect()
}

/// The counts of one source.
#[derive(Debug, Default)]
struct Report {
    identical: usize,
    listed: Vec<String>,
    failing: Vec<(String, String)>,
}

/// Checks every case of `source` against the reference's text, with `table` as the list of
/// deviations.
fn check(source: Source, cases: &[Case], table: &[Listed]) -> Report {
    let mut report = Report::default();
    for entry in table.iter().filter(|entry| entry.source == source) {
        if !cases.iter().any(|case| case.name == entry.body) {
            report.failing.push((
                entry.body.to_owned(),
                format!(
                    "listed as {} ({}) but there is no such {source:?} body: remove or fix the entry",
                    entry.deviation, entry.reason
                ),
            ));
        }
        if table
            .iter()
            .filter(|other| other.source == source && other.body == entry.body)
            .count()
            > 1
        {
            report.failing.push((
                entry.body.to_owned(),
                "listed more than once in DEVIATIONS".to_owned(),
            ));
        }
    }
    for case in cases {
        let listed = table
            .iter()
            .find(|entry| entry.source == source && entry.body == case.name);
        let outcome = match &case.expected {
            Err(err) => Outcome::Failing(err.clone()),
            Ok(expected) => classify(
                listed,
                normalize_webhook(&case.body)
                    .map(|webhook| webhook.to_json())
                    .map_err(|err| err.to_string()),
                expected,
            ),
        };
        match outcome {
            Outcome::Identical => report.identical += 1,
            Outcome::Listed(entry) => report.listed.push(format!(
                "{} ({}: {})",
                case.name, entry.deviation, entry.reason
            )),
            Outcome::Failing(message) => report.failing.push((case.name.clone(), message)),
        }
    }
    report
}

/// Prints the counts and the first failures, then fails if any body failed.
fn assert_exact(label: &str, source: Source, cases: &[Case], minimum: usize) {
    assert!(
        cases.len() >= minimum,
        "{label}: expected at least {minimum} bodies, found {}",
        cases.len()
    );
    let report = check(source, cases, DEVIATIONS);
    let summary = format!(
        "text, {label}: {} identical, {} listed, {} failing, of {} bodies",
        report.identical,
        report.listed.len(),
        report.failing.len(),
        cases.len()
    );
    println!("{summary}");
    for listed in &report.listed {
        println!("  listed: {listed}");
    }
    if report.failing.is_empty() {
        return;
    }
    let mut shown = String::new();
    for (name, message) in report.failing.iter().take(SHOWN_FAILURES) {
        let _ = writeln!(shown, "\n{label} {name}: {message}");
    }
    if report.failing.len() > SHOWN_FAILURES {
        let more = report.failing.len() - SHOWN_FAILURES;
        let names: Vec<&str> = report
            .failing
            .iter()
            .skip(SHOWN_FAILURES)
            .take(MORE_NAMED)
            .map(|(name, _)| name.as_str())
            .collect();
        let etc = if more > MORE_NAMED { ", …" } else { "" };
        let _ = writeln!(shown, "\n… and {more} more: {}{etc}", names.join(", "));
    }
    panic!("{summary}: to_json() must equal the reference's text byte for byte\n{shown}");
}

#[test]
fn corpus_text_is_the_reference_text() {
    // `meta_corpus()` fails with a message naming ../shared when it is absent.
    assert_exact(
        "../shared/corpus/meta",
        Source::Corpus,
        &meta_cases(meta_corpus()),
        199,
    );
}

#[test]
fn fixture_text_is_the_reference_text() {
    assert_exact(
        "fixtures/meta",
        Source::Fixtures,
        &meta_cases(meta_fixtures()),
        80,
    );
}

/// `cases` with each body written without the whitespace between its tokens, as Meta sends
/// bodies (`JSON.parse` reads the same value, so the expected text is the same). Compact change
/// values are written from the notes the reader takes while reading them; the files as they are
/// (pretty-printed, most of them) by the text writer alone: both ways are checked.
fn compacted(mut cases: Vec<Case>) -> Vec<Case> {
    for case in &mut cases {
        let (mut out, mut in_string, mut escaped) = (Vec::new(), false, false);
        for &byte in &case.body {
            if in_string {
                in_string = escaped || byte != b'"';
                escaped = !escaped && byte == b'\\';
            } else if matches!(byte, b' ' | b'\n' | b'\t' | b'\r') {
                continue;
            } else {
                in_string = byte == b'"';
            }
            out.push(byte);
        }
        // The same name: a deviation listed for a body holds for it compact too.
        case.body = out;
    }
    cases
}

#[test]
fn compact_corpus_text_is_the_reference_text() {
    assert_exact(
        "../shared/corpus/meta, compact",
        Source::Corpus,
        &compacted(meta_cases(meta_corpus())),
        199,
    );
}

#[test]
fn compact_fixture_text_is_the_reference_text() {
    assert_exact(
        "fixtures/meta, compact",
        Source::Fixtures,
        &compacted(meta_cases(meta_fixtures())),
        80,
    );
}

#[test]
fn generated_text_is_the_reference_text() {
    assert_exact(
        "fixtures/generated",
        Source::Generated,
        &generated_cases(),
        2000,
    );
}

// The checker itself, on made-up texts (not reference outputs).

const D5: Listed = Listed {
    source: Source::Generated,
    body: "line 1",
    deviation: "D5",
    reason: "integer beyond 2^53 kept digit for digit",
};

/// A case whose expected text is our own (so identical whatever `to_json` writes).
fn case(name: &str, body: &str) -> Case {
    Case {
        name: name.to_owned(),
        body: body.as_bytes().to_vec(),
        expected: Ok(normalize_webhook(body.as_bytes()).unwrap().to_json()),
    }
}

#[test]
fn a_listed_body_must_differ_as_text_and_agree_as_values() {
    let ours = r#"{"n":9007199254740993}"#;
    // JavaScript's text for the same number, rounded to float64.
    let reference = r#"{"n":9007199254740992}"#;
    assert!(matches!(
        classify(Some(&D5), Ok(ours.to_owned()), reference),
        Outcome::Listed(_)
    ));
    let Outcome::Failing(message) = classify(Some(&D5), Ok(ours.to_owned()), ours) else {
        panic!("a listed body with identical text must fail");
    };
    assert!(message.contains("remove it from DEVIATIONS"), "{message}");
    let Outcome::Failing(message) = classify(Some(&D5), Ok(r#"{"n":1}"#.to_owned()), reference)
    else {
        panic!("a listed body that differs as values must fail");
    };
    assert!(message.contains("differs as JSON values too"), "{message}");
    let Outcome::Failing(message) = classify(None, Ok(ours.to_owned()), reference) else {
        panic!("an unlisted difference must fail");
    };
    assert!(message.contains("first difference at byte 20"), "{message}");
    assert!(message.contains("as JSON values: equal"), "{message}");
}

#[test]
fn reference_errors_and_our_errors_fail() {
    let Outcome::Failing(message) = classify(None, Ok("{}".to_owned()), r#"{"__error__":"x"}"#)
    else {
        panic!("a reference error must fail");
    };
    assert!(message.contains("the reference threw"), "{message}");
    let Outcome::Failing(message) = classify(Some(&D5), Err("bad".to_owned()), "{}") else {
        panic!("our error must fail");
    };
    assert!(
        message.contains("normalize_webhook failed: bad"),
        "{message}"
    );
}

#[test]
fn stale_and_duplicate_entries_fail() {
    let cases = [case("line 2", "{}")];
    let report = check(Source::Generated, &cases, &[D5]);
    assert_eq!(report.identical, 1);
    assert_eq!(report.failing.len(), 1, "{:?}", report.failing);
    assert!(report.failing[0].1.contains("no such Generated body"));

    let cases = [case("line 1", "{}")];
    let report = check(Source::Generated, &cases, &[D5, D5]);
    assert!(report
        .failing
        .iter()
        .any(|(_, message)| message.contains("listed more than once")));
    // Entries of another source are not this source's business.
    let report = check(Source::Corpus, &cases, &[D5]);
    assert_eq!((report.identical, report.failing.len()), (1, 0));
}

#[test]
fn first_difference_shows_the_offset_and_both_texts() {
    let ours = format!(r#"{{"text":"{}é","n":1}}"#, "x".repeat(60));
    let reference = format!(r#"{{"text":"{}é","n":1.5}}"#, "x".repeat(60));
    let shown = first_difference(&ours, &reference);
    let offset = ours.find('}').unwrap();
    assert!(
        shown.starts_with(&format!("first difference at byte {offset} ")),
        "{shown}"
    );
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines[1].ends_with(r#"xé","n":1}"#), "{shown}");
    assert!(lines[2].ends_with(r#"xé","n":1.5}"#), "{shown}");
    // The caret is under the first differing character of both lines.
    let caret = lines[3].chars().count() - 1;
    assert_eq!(lines[1].chars().nth(caret), Some('}'), "{shown}");
    assert_eq!(lines[2].chars().nth(caret), Some('.'), "{shown}");
    // One text a prefix of the other.
    assert!(first_difference("{}", "{} ").starts_with("first difference at byte 2 "));
}

#[test]
fn expected_files_must_be_one_line_and_a_newline() {
    let dir = std::env::temp_dir().join(format!("kapso-text-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join("x.json");
    fs::write(&file, "{\"a\":1}\n").unwrap();
    assert_eq!(expected_text(&file), Ok("{\"a\":1}".to_owned()));
    for bad in ["{\"a\":1}", "{\n\"a\":1\n}\n", "{\"a\":1}\n\n"] {
        fs::write(&file, bad).unwrap();
        assert!(expected_text(&file).is_err(), "{bad:?}");
    }
    fs::remove_dir_all(&dir).unwrap();
}
