//! Bad input, table-driven: each body with its exact expected outcome, through the library,
//! the command-line tool (feature `cli`) and the axum router (feature `axum`).
//!
//! Errors are stated as category, line, column and message (the message is serde_json's; the
//! position is the whole body's). Every error is also checked against serde_json's own error
//! for the same bytes: the body is refused exactly where serde_json would refuse it.
//!
//! Run with `--nocapture` to print the table of outcomes.
use kapso_webhooks::{
    normalize_webhook, normalize_webhook_value, ErrorCategory, NormalizedWebhook,
};
use serde_json::{json, Value};

const MIB: usize = 1024 * 1024;

/// What a case must give.
enum Expect {
    /// `Ok`, and these checks on the result hold.
    Ok(Box<dyn Fn(&NormalizedWebhook)>),
    /// `Err` with this category, position and message (serde_json's, without the position).
    Err {
        category: ErrorCategory,
        line: usize,
        column: usize,
        message: &'static str,
    },
}

struct Case {
    name: &'static str,
    body: Vec<u8>,
    expect: Expect,
}

fn ok(
    name: &'static str,
    body: impl Into<Vec<u8>>,
    check: impl Fn(&NormalizedWebhook) + 'static,
) -> Case {
    Case {
        name,
        body: body.into(),
        expect: Expect::Ok(Box::new(check)),
    }
}

fn err(
    name: &'static str,
    body: impl Into<Vec<u8>>,
    category: ErrorCategory,
    (line, column): (usize, usize),
    message: &'static str,
) -> Case {
    Case {
        name,
        body: body.into(),
        expect: Expect::Err {
            category,
            line,
            column,
            message,
        },
    }
}

/// `{"object":…,"entry":[{"id":"1","changes":[{"field":"messages","value":VALUE}]}]}`.
fn one_change(value: &str) -> String {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages","value":{value}}}]}}]}}"#
    )
}

const LONG_HEAD: &str = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","padding":""#;
const LONG_TAIL: &str = r#""}}]}]}"#;

/// A body of exactly `len` bytes that is mostly one long string in an unknown key of a change
/// value (cheap to parse, so even 64 MB stays fast in debug builds).
fn long_string_body(len: usize) -> Vec<u8> {
    let mut body = LONG_HEAD.as_bytes().to_vec();
    body.resize(len - LONG_TAIL.len(), b'a');
    body.extend_from_slice(LONG_TAIL.as_bytes());
    assert_eq!(body.len(), len);
    body
}

/// A body of exactly `len` bytes holding as many small text messages as fit, then padding.
fn many_messages_body(len: usize) -> (Vec<u8>, usize) {
    let message = |i: usize| {
        format!(
            r#"{{"from":"15551234567","id":"wamid.{i:08}","timestamp":"1732000000","type":"text","text":{{"body":"message {i}: {}"}}}}"#,
            "lorem ipsum ".repeat(80)
        )
    };
    let head = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"109283746550123"},"messages":["#;
    let tail_start = r#"],"padding":""#;
    let tail_end = r#""}}]}]}"#;
    let mut body = head.to_owned();
    let mut count = 0;
    loop {
        let next = message(count);
        if body.len() + next.len() + 1 + tail_start.len() + tail_end.len() > len {
            break;
        }
        if count > 0 {
            body.push(',');
        }
        body.push_str(&next);
        count += 1;
    }
    body.push_str(tail_start);
    let mut body = body.into_bytes();
    body.resize(len - tail_end.len(), b'p');
    body.extend_from_slice(tail_end.as_bytes());
    assert_eq!(body.len(), len);
    (body, count)
}

/// A change value whose string holds `0xC3 0x28` (a lead byte without its continuation).
fn invalid_utf8_in_change() -> Vec<u8> {
    let mut body = one_change(r#"{"text":"é!"}"#).into_bytes();
    let at = body.windows(2).position(|w| w == "é".as_bytes()).unwrap();
    body[at + 1] = b'(';
    body
}

fn table() -> Vec<Case> {
    let (three_mb, three_mb_messages) = many_messages_body(3 * MIB);
    let ten_mb_text = "x".repeat(10 * MIB);
    let ten_mb = one_change(&format!(
        r#"{{"messages":[{{"from":"15551234567","id":"wamid.big","type":"text","text":{{"body":"{ten_mb_text}"}}}}]}}"#
    ));
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));

    vec![
        err(
            "empty body",
            "",
            ErrorCategory::Eof,
            (1, 0),
            "EOF while parsing a value",
        ),
        err(
            "only whitespace",
            " \t\r\n ",
            ErrorCategory::Eof,
            (2, 1),
            "EOF while parsing a value",
        ),
        err(
            "UTF-8 BOM before a JSON object",
            b"\xEF\xBB\xBF{\"object\":\"whatsapp_business_account\"}".to_vec(),
            ErrorCategory::Syntax,
            (1, 1),
            "expected value",
        ),
        err(
            "invalid UTF-8 (a lone 0xFF byte)",
            b"\xFF".to_vec(),
            ErrorCategory::Syntax,
            (1, 1),
            "expected value",
        ),
        err(
            "invalid UTF-8 inside a string",
            b"{\"object\":\"a\xFFb\"}".to_vec(),
            ErrorCategory::Syntax,
            (1, 13),
            "invalid unicode code point",
        ),
        err(
            "invalid UTF-8 inside a change value",
            invalid_utf8_in_change(),
            ErrorCategory::Syntax,
            (1, 106),
            "invalid unicode code point",
        ),
        err(
            "truncated JSON",
            r#"{"object":"whatsapp_business_account","entry":[{"changes":["#,
            ErrorCategory::Eof,
            (1, 59),
            "EOF while parsing a list",
        ),
        err(
            "truncated inside a change value",
            r#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"#,
            ErrorCategory::Eof,
            (1, 69),
            "EOF while parsing a value",
        ),
        err(
            "trailing garbage",
            r#"{"object":"whatsapp_business_account"} garbage"#,
            ErrorCategory::Syntax,
            (1, 40),
            "trailing characters",
        ),
        err(
            "two JSON values",
            "{} {}",
            ErrorCategory::Syntax,
            (1, 4),
            "trailing characters",
        ),
        err(
            "100,000 nested arrays",
            nested,
            ErrorCategory::Syntax,
            (1, 128),
            "recursion limit exceeded",
        ),
        ok(
            "3 MB body (3 MiB of ~1 KB text messages)",
            three_mb,
            move |w| {
                assert_eq!(w.messages().len(), three_mb_messages);
                let last = w.messages()[three_mb_messages - 1].text_body().unwrap();
                assert!(last.starts_with(&format!("message {}: lorem", three_mb_messages - 1)));
                assert_eq!(w.raw().fields().collect::<Vec<_>>(), ["messages"]);
                assert_eq!(w.changes().count(), 1);
            },
        ),
        ok(
            "64 MB body (one 64 MiB string in an unknown key)",
            long_string_body(64 * MIB),
            |w| {
                let raw = &w.raw().get("messages").unwrap()[0];
                let padding = 64 * MIB - LONG_HEAD.len() - LONG_TAIL.len();
                assert_eq!(raw["padding"].as_str().map(str::len), Some(padding));
                assert_eq!(raw["messagingProduct"], "whatsapp");
            },
        ),
        ok(
            "duplicate keys: the last one wins",
            r#"{"object":"first","object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"a","id":"b","from":"1"}]},"value":{"messages":[{"id":"c","from":"1"}]}}]}]}"#,
            |w| {
                assert_eq!(w.object(), Some("whatsapp_business_account"));
                assert_eq!(w.messages().len(), 1);
                assert_eq!(w.messages()[0].id.as_deref(), Some("c"));
                let raw = w.raw().get("messages").unwrap();
                assert_eq!(raw, [json!({"messages": [{"id": "c", "from": "1"}]})]);
            },
        ),
        ok(
            "duplicate keys inside an item: the last one wins",
            one_change(r#"{"messages":[{"id":"a","from":"1","id":"b"}]}"#),
            |w| assert_eq!(w.messages()[0].id.as_deref(), Some("b")),
        ),
        ok(
            "integers beyond 2^64: kept as float64",
            one_change(
                r#"{"messages":[{"id":"a","from":"1","timestamp":123456789012345678901234567890,"big":18446744073709551616,"max":18446744073709551615,"min":-9223372036854775808,"below":-9223372036854775809}]}"#,
            ),
            |w| {
                let message = serde_json::to_value(&w.messages()[0]).unwrap();
                assert_eq!(message["timestamp"], json!(1.2345678901234568e29));
                assert!(message["timestamp"].is_f64());
                assert_eq!(message["big"], json!(18_446_744_073_709_551_616.0_f64));
                assert!(message["big"].is_f64());
                // What fits 64 bits keeps every digit.
                assert_eq!(message["max"], json!(u64::MAX));
                assert_eq!(message["min"], json!(i64::MIN));
                assert_eq!(message["below"], json!(-9_223_372_036_854_775_809.0_f64));
            },
        ),
        err(
            "1e400 (overflows float64)",
            one_change(r#"{"n":1e400}"#),
            ErrorCategory::Syntax,
            (1, 106),
            "number out of range",
        ),
        err(
            "-1e400 at the top level",
            r#"{"object":"whatsapp_business_account","n":-1e400}"#,
            ErrorCategory::Syntax,
            (1, 48),
            "number out of range",
        ),
        ok(
            "1e-400 (underflows to 0)",
            one_change(r#"{"messages":[{"id":"a","from":"1","n":1e-400}]}"#),
            |w| {
                let message = serde_json::to_value(&w.messages()[0]).unwrap();
                // Written as JavaScript writes it: `0`.
                assert_eq!(message["n"], json!(0));
            },
        ),
        err(
            "lone leading surrogate in a change value",
            one_change(r#"{"s":"\ud800"}"#),
            ErrorCategory::Syntax,
            (1, 109),
            "unexpected end of hex escape",
        ),
        // serde_json's message says "leading" for `\udc00` too.
        err(
            "lone trailing surrogate at the top level",
            r#"{"object":"\udc00"}"#,
            ErrorCategory::Syntax,
            (1, 17),
            "lone leading surrogate in hex escape",
        ),
        ok(
            "a surrogate pair is fine",
            one_change(
                r#"{"messages":[{"id":"a","from":"1","type":"text","text":{"body":"\ud83c\udffa"}}]}"#,
            ),
            |w| assert_eq!(w.messages()[0].text_body(), Some("🏺")),
        ),
        ok("10 MB string (a text message's body)", ten_mb, |w| {
            assert_eq!(w.messages()[0].text_body().map(str::len), Some(10 * MIB));
        }),
        ok(
            "every change value null",
            r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":null},{"field":"statuses","value":null},{"value":null}]},{"id":"2","changes":[{"field":"calls","value":null}]}]}"#,
            |w| {
                assert_eq!(w.object(), Some("whatsapp_business_account"));
                assert!(w.messages().is_empty() && w.statuses().is_empty() && w.calls().is_empty());
                assert!(w.raw().is_empty());
                assert_eq!(w.changes().count(), 0);
            },
        ),
        ok(
            "change values false, 0, \"\", \"text\", true: skipped",
            r#"{"entry":[{"changes":[{"field":"a","value":false},{"field":"b","value":0},{"field":"c","value":""},{"field":"d","value":"text"},{"field":"e","value":true}]}]}"#,
            |w| {
                assert!(w.is_empty());
            },
        ),
        ok("JSON null", "null", |w| assert!(w.is_empty())),
        ok("a JSON array", "[1,2,3]", |w| assert!(w.is_empty())),
        ok("a JSON string", r#""whatsapp_business_account""#, |w| {
            assert!(w.is_empty())
        }),
    ]
}

/// What `normalize_webhook` gave, as one line of the printed table.
fn describe(result: &Result<NormalizedWebhook, kapso_webhooks::Error>) -> String {
    match result {
        Ok(w) => format!(
            "Ok: {} messages, {} raw fields, object {:?}",
            w.messages().len(),
            w.raw().len(),
            w.object()
        ),
        Err(e) => format!(
            "Err({}, line {}, column {}): {}",
            e.category(),
            e.line(),
            e.column(),
            e
        ),
    }
}

#[test]
fn bad_input_table() {
    for case in table() {
        let result = normalize_webhook(&case.body);
        println!("{:<50} {}", case.name, describe(&result));
        let serde_says = serde_json::from_slice::<Value>(&case.body);
        match (&case.expect, result) {
            (Expect::Ok(check), Ok(webhook)) => {
                assert!(serde_says.is_ok(), "{}: serde_json refuses it", case.name);
                check(&webhook);
            }
            (
                Expect::Err {
                    category,
                    line,
                    column,
                    message,
                },
                Err(error),
            ) => {
                assert_eq!(error.category(), *category, "{}", case.name);
                assert_eq!(
                    (error.line(), error.column()),
                    (*line, *column),
                    "{}",
                    case.name
                );
                assert_eq!(
                    error.to_string(),
                    format!("invalid webhook body: {message} at line {line} column {column}"),
                    "{}",
                    case.name
                );
                let serde_error = serde_says.expect_err(case.name);
                assert_eq!(
                    (serde_error.line(), serde_error.column()),
                    (*line, *column),
                    "{}: serde_json stops elsewhere",
                    case.name
                );
            }
            (Expect::Ok(_), Err(error)) => panic!("{}: expected Ok, got {error}", case.name),
            (Expect::Err { .. }, Ok(_)) => panic!("{}: expected an error, got Ok", case.name),
        }
    }
}

// ---------------------------------------------------------------------------
// A deeply nested `Value` handed to the `Value` entry point
// ---------------------------------------------------------------------------

const DEEP: usize = 100_000;

/// `levels` nested arrays (or objects `{"a_b": …}`) around `null`, built without recursion.
fn deep_value(levels: usize, objects: bool) -> Value {
    let mut value = Value::Null;
    for _ in 0..levels {
        value = if objects {
            let mut map = serde_json::Map::new();
            map.insert("a_b".to_owned(), value);
            Value::Object(map)
        } else {
            Value::Array(vec![value])
        };
    }
    value
}

/// The nesting depth of `value`, counted without recursion.
fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut pending = vec![(value, 0)];
    while let Some((value, level)) = pending.pop() {
        let children: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            Value::Object(fields) => fields.values().collect(),
            _ => continue,
        };
        deepest = deepest.max(level + 1);
        pending.extend(children.into_iter().map(|child| (child, level + 1)));
    }
    deepest
}

/// Drops (or otherwise uses) deep values on a thread with a stack big enough for serde_json's
/// recursive `Drop` (~150 bytes per level in debug builds; 512 MiB is far more than needed).
fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(512 * MIB)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// `normalize_webhook_value` on a value nested 100,000 levels deep, in a change value's unknown key and
/// in a message's, as arrays and as objects: no stack overflow on the caller's (test thread's,
/// 2 MiB) stack, and nothing lost.
#[test]
fn deeply_nested_value_entry_point() {
    for objects in [false, true] {
        let mut body = json!({
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [
                {"field": "messages", "value": {
                    "metadata": {"phone_number_id": "111"},
                    "messages": [{"from": "15551234567", "id": "wamid.deep", "type": "text",
                                  "text": {"body": "deep"}, "extra": null}],
                    "deep": null
                }},
                {"field": "statuses", "value": {"statuses": [{"id": "wamid.s", "status": "read"}]}}
            ]}]
        });
        body["entry"][0]["changes"][0]["value"]["deep"] = deep_value(DEEP, objects);
        body["entry"][0]["changes"][0]["value"]["messages"][0]["extra"] = deep_value(DEEP, objects);

        // On this test thread: normalize_webhook_value must move the work to a big enough stack.
        let webhook = normalize_webhook_value(&body);

        assert_eq!(webhook.phone_number_id(), Some("111"));
        assert_eq!(webhook.messages().len(), 1);
        assert_eq!(webhook.messages()[0].text_body(), Some("deep"));
        assert_eq!(webhook.statuses().len(), 1);
        let extra = webhook.messages()[0].extra.get("extra").unwrap();
        assert_eq!(depth(extra), DEEP);
        let raw = webhook.raw().get("messages").unwrap();
        assert_eq!(raw.len(), 1);
        assert_eq!(depth(&raw[0]["deep"]), DEEP);
        if objects {
            // camelCased at every depth.
            let mut level = &raw[0]["deep"];
            let mut levels = 0;
            while let Some(inner) = level.get("aB") {
                level = inner;
                levels += 1;
            }
            assert_eq!(levels, DEEP);
        }
        assert_eq!(webhook.raw().get("statuses").map(<[Value]>::len), Some(1));

        // serde_json's `Value` drops recursively: drop both on a big stack.
        on_big_stack(move || drop((body, webhook)));
    }
}

/// The other `Value` entry point, `parse_kapso_delivery_value`: a Kapso message event whose
/// message holds a value nested 100,000 levels deep, alone and in a batch.
#[test]
fn deeply_nested_value_kapso_entry_point() {
    use kapso_webhooks::kapso_event::KapsoPayload;
    use kapso_webhooks::{parse_kapso_delivery_value, KapsoHeaders};
    // Built twice rather than cloned: `Value::clone` recurses too.
    let payload = || {
        let mut body = json!({"message": {"id": "wamid.deep", "type": "text",
                                          "text": {"body": "deep"}, "extra": null},
                              "phone_number_id": "111"});
        body["message"]["extra"] = deep_value(DEEP, true);
        body
    };
    let body = payload();
    let mut batch = json!({"type": "whatsapp.message.received", "batch": true,
                           "data": [{"message": {"id": "wamid.first"}}, null]});
    batch["data"][1] = payload();
    let headers = KapsoHeaders::for_event("whatsapp.message.received");

    let delivery = parse_kapso_delivery_value(&headers, &body);
    assert_eq!(delivery.events().len(), 1);
    assert_eq!(delivery.events()[0].phone_number_id(), Some("111"));
    let message = delivery.events()[0].message().unwrap();
    assert_eq!(message.text_body(), Some("deep"));
    assert_eq!(depth(message.extra.get("extra").unwrap()), DEEP);

    let batch_delivery = parse_kapso_delivery_value(&KapsoHeaders::default(), &batch);
    assert!(batch_delivery.is_batch());
    assert_eq!(batch_delivery.events().len(), 2);
    assert!(matches!(
        batch_delivery.events()[1].payload(),
        KapsoPayload::Message(_)
    ));

    on_big_stack(move || drop((body, batch, delivery, batch_delivery)));
}

/// A value just at the depth handled on the caller's stack, and one just past it, give the same
/// result shape (the thread is invisible).
#[test]
fn value_entry_point_on_either_side_of_the_thread_threshold() {
    for levels in [120, 127, 128, 129, 300] {
        let mut body = json!({"entry": [{"changes": [{"field": "x", "value": {"deep": null}}]}]});
        body["entry"][0]["changes"][0]["value"]["deep"] = deep_value(levels, true);
        let webhook = normalize_webhook_value(&body);
        let raw = webhook.raw().get("x").unwrap();
        assert_eq!(depth(&raw[0]), levels + 1, "{levels}");
        if levels < 120 {
            continue;
        }
        // Shallow enough for serde_json: the bytes entry point agrees.
        let text = serde_json::to_string(&body).unwrap();
        match normalize_webhook(text.as_bytes()) {
            Ok(from_bytes) => assert_eq!(from_bytes, webhook, "{levels}"),
            Err(error) => {
                assert!(levels + 5 >= 127, "{levels}: {error}");
                assert_eq!(error.category(), ErrorCategory::Syntax);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The same table through the command-line tool
// ---------------------------------------------------------------------------

#[cfg(feature = "cli")]
mod cli {
    use super::*;
    use crate::support::cli::run;

    /// Bodies larger than this are checked by shape in the CLI tests.
    const BIG: usize = MIB;

    /// `kapso-webhooks normalize FILE` for each case: the normalized line and exit 0, or the
    /// error on stderr and exit 1; never a crash (a signal, or another exit code).
    #[test]
    fn bad_input_table_through_the_cli() {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad_inputs_cli");
        std::fs::create_dir_all(&dir).unwrap();
        for (index, case) in table().into_iter().enumerate() {
            let path = dir.join(format!("case-{index}.json"));
            std::fs::write(&path, &case.body).unwrap();
            let output = run(&["normalize", path.to_str().unwrap()], b"");
            let stdout = String::from_utf8(output.stdout).unwrap();
            let stderr = String::from_utf8(output.stderr).unwrap();
            if case.body.len() > BIG && matches!(case.expect, Expect::Ok(_)) {
                // Big bodies: checked by shape (comparing with the library's output would
                // normalize and serialize them once more, for seconds in debug builds).
                assert_eq!(output.status.code(), Some(0), "{}: {stderr}", case.name);
                assert_eq!(stderr, "", "{}", case.name);
                assert_eq!(stdout.lines().count(), 1, "{}", case.name);
                assert!(stdout.starts_with(r#"{"object":"whatsapp_business_account","#));
                assert!(stdout.ends_with("]}}\n"), "{}", case.name);
                assert!(stdout.len() > case.body.len() / 2, "{}", case.name);
                continue;
            }
            match (&case.expect, normalize_webhook(&case.body)) {
                (Expect::Ok(_), Ok(webhook)) => {
                    assert_eq!(output.status.code(), Some(0), "{}: {stderr}", case.name);
                    assert_eq!(stdout, format!("{}\n", webhook.to_json()), "{}", case.name);
                    assert_eq!(stderr, "", "{}", case.name);
                }
                (Expect::Err { .. }, Err(error)) => {
                    assert_eq!(output.status.code(), Some(1), "{}: {stderr}", case.name);
                    assert_eq!(stdout, "", "{}", case.name);
                    assert_eq!(
                        stderr,
                        format!("kapso-webhooks: {}: {error}\n", path.display()),
                        "{}",
                        case.name
                    );
                }
                _ => panic!("{}: the library disagrees with the table", case.name),
            }
            std::fs::remove_file(&path).unwrap();
        }
    }

    /// `kapso-webhooks normalize --ndjson`: every case that is one line (and not big: those
    /// are in the test above), in one stream; a bad line gets `{"error": …}` and the others
    /// still print; exit 1.
    #[test]
    fn bad_input_table_through_the_cli_ndjson() {
        let cases: Vec<Case> = table()
            .into_iter()
            .filter(|case| case.body.len() <= BIG)
            .filter(|case| !case.body.contains(&b'\n') && !case.body.contains(&b'\r'))
            .filter(|case| !case.body.iter().all(u8::is_ascii_whitespace))
            .collect();
        let mut input = Vec::new();
        for case in &cases {
            input.extend_from_slice(&case.body);
            input.push(b'\n');
        }
        let output = run(&["normalize", "--ndjson"], &input);
        assert_eq!(output.status.code(), Some(1));
        let stdout = String::from_utf8(output.stdout).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), cases.len());
        for (case, line) in cases.iter().zip(lines) {
            let expected = match normalize_webhook(&case.body) {
                Ok(webhook) => webhook.to_json(),
                Err(error) => json!({ "error": error.to_string() }).to_string(),
            };
            assert!(line == expected, "{}: unexpected output line", case.name);
            let is_error = line.starts_with(r#"{"error":"#);
            assert_eq!(
                is_error,
                matches!(case.expect, Expect::Err { .. }),
                "{}",
                case.name
            );
        }
        // The empty body is a blank line, skipped.
        assert!(cases.iter().all(|case| !case.body.is_empty()));
    }
}

// ---------------------------------------------------------------------------
// The same table through the axum router
// ---------------------------------------------------------------------------

#[cfg(feature = "axum")]
mod server {
    use super::*;
    use std::net::SocketAddr;
    use std::time::Duration;

    use axum::http::StatusCode;
    use kapso_webhooks::axum::{router, MetaWebhook, WebhookConfig, DEFAULT_BODY_LIMIT};
    use kapso_webhooks::Verifier;
    use tokio::net::TcpListener;

    use crate::support::http_client::{send, Req};

    const APP_SECRET: &str = "bad-inputs-app-secret";
    const TIMEOUT: Duration = Duration::from_secs(120);

    /// Serves the library's router; the handler answers 200 with the number of messages.
    async fn start() -> SocketAddr {
        let app = router(
            WebhookConfig::new(Verifier::new().with_app_secret(APP_SECRET).unwrap()),
            |MetaWebhook { webhook, .. }: MetaWebhook| async move {
                (
                    StatusCode::OK,
                    format!("{} messages", webhook.messages().len()),
                )
            },
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        addr
    }

    /// POSTs `body` signed, on a fresh connection; returns the status and the response body.
    async fn post(addr: SocketAddr, body: &[u8]) -> (u16, String) {
        let response = send(addr, &Req::post(body).signed(APP_SECRET), TIMEOUT).await;
        (response.status, response.text())
    }

    /// Each case POSTed signed: 200 for valid JSON within the limit (the handler ran), 400 with
    /// the error for invalid JSON, 413 over the 3 MiB limit; after all of it, the server still
    /// answers.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bad_input_table_through_the_axum_router() {
        let addr = start().await;
        for case in table() {
            let (status, text) = post(addr, &case.body).await;
            let expected = if case.body.len() > DEFAULT_BODY_LIMIT {
                (
                    413,
                    format!("request body is larger than the limit of {DEFAULT_BODY_LIMIT} bytes"),
                )
            } else {
                match (&case.expect, normalize_webhook(&case.body)) {
                    (Expect::Ok(_), Ok(webhook)) => {
                        (200, format!("{} messages", webhook.messages().len()))
                    }
                    (Expect::Err { .. }, Err(error)) => (400, error.to_string()),
                    _ => panic!("{}: the library disagrees with the table", case.name),
                }
            };
            println!(
                "{:<50} {status} {}",
                case.name,
                text.chars().take(100).collect::<String>()
            );
            assert_eq!((status, text), expected, "{}", case.name);
        }
        // Still answering.
        let (status, text) = post(addr, br#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"id":"a","from":"1"}]}}]}]}"#).await;
        assert_eq!((status, text.as_str()), (200, "1 messages"));
    }
}
