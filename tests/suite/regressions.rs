//! One test per problem found by the fuzz targets (`fuzz/`) or while writing the reliability
//! tests, with the input that showed it. Each names where it was found and what was wrong.
use kapso_webhooks::{
    normalize_webhook, normalize_webhook_value, ErrorCategory, NormalizedWebhook,
};
use serde_json::Value;

/// `body` parsed into a `Value` and normalized through `normalize_webhook_value`, after checking
/// that this gives what `normalize_webhook` gives for the value's own text (the same result and
/// the same JSON text).
fn value_entry_point_follows_its_text(body: &str) -> (Value, NormalizedWebhook) {
    let value: Value = serde_json::from_str(body).unwrap();
    let from_value = normalize_webhook_value(&value);
    let from_value_text =
        normalize_webhook(serde_json::to_string(&value).unwrap().as_bytes()).unwrap();
    assert_eq!(from_value, from_value_text);
    assert_eq!(from_value.to_json(), from_value_text.to_json());
    (value, from_value)
}

/// Found by `fuzz/normalize` on a seed from `fixtures/generated/` (its first input): a contact
/// with a duplicate key (`profile`, an object and then a string) and a camelCase collision
/// (`wa_id`, `waId`). Which key wins a collision depends on the order the keys come in, which a
/// parsed `Value` does not keep (`serde_json::Map` sorts its keys, unless the application
/// enables `preserve_order`): the `Value` entry point normalizes the value as its map iterates,
/// exactly as the bytes entry point normalizes that value's text.
#[test]
fn fuzz_normalize_entry_points_agree_on_duplicate_key_after_collision() {
    let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"806047525307068","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1.555.261.4160","phone_number_id":"x","v_1_2":{}},"contacts":[{"profile":{"name":"Hola, ¿qué tal?"},"wa_id":"446154954084","waId":[],"meta_data":"tab\there","identity_key_hash":"3kz60pHnM0F8","profile":"x"}]},"field":"messages"}]}]}"#;
    let from_bytes = normalize_webhook(body.as_bytes()).unwrap();
    value_entry_point_follows_its_text(body);
    let json = serde_json::to_value(&from_bytes).unwrap();
    // The later `profile` and `waId` win (JSON.parse, then the camelCase collision).
    assert_eq!(json["contacts"][0]["profile"], "x");
    assert_eq!(json["contacts"][0]["waId"], Value::Array(Vec::new()));
    assert_eq!(json["contacts"][0]["metaData"], "tab\there");
}

/// Found by `fuzz/normalize` once the fuzz build used serde_json's default features: its check
/// that both entry points give equal results held only with `preserve_order`. In `{"_z":…,"Z":0}`
/// both keys camelCase to `Z` and the later one wins: `Z` in the body, `_z` in a sorted
/// `serde_json::Map` (`Z` sorts before `_`). The `Value` entry point gives what the bytes entry
/// point gives for the value's own text, which is what the target now checks.
#[test]
fn fuzz_normalize_value_entry_point_follows_the_maps_order() {
    let body = r#"{"object":"whatsapp_business_account","entry":[{"id":"862576078036540","changes":[{"value":{"_z":[{},false],"Z":0},"field":"future_field_v2"}]}]}"#;
    let from_bytes = normalize_webhook(body.as_bytes()).unwrap();
    assert!(from_bytes
        .to_json()
        .ends_with(r#""raw":{"futureFieldV2":[{"Z":0}]}}"#));
    let (value, from_value) = value_entry_point_follows_its_text(body);
    if value["entry"][0]["changes"][0]["value"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        == Some(&"Z".to_owned())
    {
        // Sorted keys (serde_json without `preserve_order`): `_z` comes later and wins.
        assert!(from_value
            .to_json()
            .ends_with(r#""raw":{"futureFieldV2":[{"Z":[{},false]}]}}"#));
    }
}

/// Found by `fuzz/normalize`, whose oracle camelCased a change's `field` as keys are camelCased
/// (`-y` → `Y`): the reference's key in `raw` only turns `_` and a lowercase letter into the
/// uppercase letter, so `-y_BAaa_` stays as it is (the library was right; the target now uses
/// that rule). The value's own keys are camelCased as keys are.
#[test]
fn fuzz_normalize_raw_key_keeps_hyphens_and_capitals() {
    let body = r#"{"object":5,"entry":[{"id":"458259232515503","time":1658819808,"changes":[{"value":{"Ax0":"1234","a-b":1},"field":"-y_BAaa_"}]}]}"#;
    let webhook = normalize_webhook(body.as_bytes()).unwrap();
    let keys: Vec<&str> = webhook.raw().iter().map(|(field, _)| field).collect();
    assert_eq!(keys, ["-y_BAaa_"]);
    assert_eq!(
        webhook.to_json(),
        r#"{"contacts":[],"messages":[],"statuses":[],"calls":[],"raw":{"-y_BAaa_":[{"Ax0":"1234","aB":1}]}}"#
    );
    let webhook =
        normalize_webhook(br#"{"entry":[{"changes":[{"value":{},"field":"a__b_c-d_2"}]}]}"#)
            .unwrap();
    let keys: Vec<&str> = webhook.raw().iter().map(|(field, _)| field).collect();
    assert_eq!(keys, ["a_BC-d_2"]);
}

/// `{"entry":[{"changes":[{"field":"x","value": <n nested arrays>}]}]}`.
fn change_nested(levels: usize) -> String {
    format!(
        r#"{{"entry":[{{"changes":[{{"field":"x","value":{}{}}}]}}]}}"#,
        "[".repeat(levels),
        "]".repeat(levels)
    )
}

/// Found while writing `tests/suite/bad_inputs.rs`: serde_json reads at most 127 levels of nesting,
/// counted per reader, and a change value was read again by a reader of its own, which gave it
/// back the 5 levels around it. A body nested 128 to 132 levels deep inside a change value was
/// accepted (serde_json, and the README's deviation D6, refuse it), and from 130 levels on the
/// normalized JSON could not be read back (`recursion limit exceeded`). Fixed in
/// `src/meta/normalize.rs`: a change value nested deeper than 122 levels gives the body's own
/// error.
#[test]
fn change_value_nesting_is_limited_like_the_whole_body() {
    // 122 levels in the value: 127 in the body, the most serde_json reads.
    let body = change_nested(122);
    assert!(serde_json::from_str::<Value>(&body).is_ok());
    let webhook = normalize_webhook(body.as_bytes()).unwrap();
    let json = serde_json::to_string(&webhook).unwrap();
    let back: NormalizedWebhook = serde_json::from_str(&json).unwrap();
    assert_eq!(back, webhook);

    // Brackets inside strings (after escaped quotes and backslashes) are not nesting.
    let brackets = format!(r#"\\\"{}\"{}"#, "[{".repeat(200), "]}".repeat(10));
    let body = format!(
        r#"{{"entry":[{{"changes":[{{"field":"x","value":{{"s":"{brackets}","t":[{{"u":"{brackets}"}}]}}}}]}}]}}"#
    );
    let webhook = normalize_webhook(body.as_bytes()).unwrap();
    let raw = &webhook.raw().get("x").unwrap()[0];
    assert_eq!(raw["s"].as_str().map(str::len), Some(2 + 400 + 1 + 20));

    for levels in [123, 125, 127] {
        let body = change_nested(levels);
        let expected = serde_json::from_str::<Value>(&body).unwrap_err();
        let err = normalize_webhook(body.as_bytes()).unwrap_err();
        assert_eq!(err.category(), ErrorCategory::Syntax, "{levels}");
        assert_eq!((err.line(), err.column()), (1, 166), "{levels}");
        assert_eq!(
            (err.line(), err.column()),
            (expected.line(), expected.column())
        );
        assert_eq!(
            err.to_string(),
            "invalid webhook body: recursion limit exceeded at line 1 column 166"
        );
    }
}

/// A message whose flow reply's `response_json` is `levels` nested arrays.
fn flow_nested(levels: usize) -> String {
    let flow = format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    format!(
        r#"{{"entry":[{{"changes":[{{"field":"messages","value":{{"messages":[{{"from":"1","id":"a","type":"interactive","interactive":{{"type":"nfm_reply","nfm_reply":{{"name":"flow","response_json":{}}}}}}}]}}}}]}}]}}"#,
        serde_json::to_string(&flow).unwrap()
    )
}

/// Found while writing `tests/suite/bad_inputs.rs`: a flow reply's `response_json` (a string, parsed
/// by its own reader) nested 124 to 127 levels deep was stored as `kapso.flowResponse`, 4
/// levels into the normalized JSON, which then could not be read back (`recursion limit
/// exceeded`): no round trip. Fixed in `src/meta/normalize.rs`: such a response is left unparsed,
/// like one that is not JSON (deviation D6).
#[test]
fn deep_flow_response_is_left_unparsed_and_round_trips() {
    let webhook = normalize_webhook(flow_nested(123).as_bytes()).unwrap();
    let kapso = serde_json::to_value(&webhook.messages()[0]).unwrap()["kapso"].clone();
    assert!(kapso["flowResponse"].is_array(), "123 levels are parsed");
    assert_eq!(kapso["flowName"], "flow");

    for levels in [124, 127] {
        let webhook = normalize_webhook(flow_nested(levels).as_bytes()).unwrap();
        let json = serde_json::to_string(&webhook).unwrap();
        let back: NormalizedWebhook = serde_json::from_str(&json)
            .unwrap_or_else(|err| panic!("{levels} levels: no round trip: {err}"));
        assert_eq!(back, webhook);
        let kapso = serde_json::to_value(&webhook.messages()[0]).unwrap()["kapso"].clone();
        assert_eq!(kapso.get("flowResponse"), None, "{levels}");
        assert_eq!(kapso.get("flowName"), None, "{levels}");
        assert_eq!(kapso["direction"], "inbound");
    }
}

/// Found by `tests/suite/properties.rs` (`serialize_deserialize_gives_an_equal_value`) and by
/// `fuzz/round_trip` (after about a million runs: a message `timestamp` of
/// `175217930444444444444444444444444444444444482`, read as `1.7521793044444445e44`, which
/// serde_json reads back from its own text as `…443e44`): serde_json, without its
/// `float_roundtrip` feature, reads some floats 1 ULP off (`-4.617355421918812e59` reads as
/// `-4.617355421918813e59`, and that text as `…814e59`). So a float in a body drifts at each
/// serialize → deserialize of the normalized webhook, and may differ from what the reference
/// (JavaScript's correctly rounded `JSON.parse`) outputs. Fixed first by serde_json's
/// `float_roundtrip` feature, which the crate no longer imposes on applications: its own reader
/// parses numbers correctly rounded, and [`NormalizedWebhook::from_json`] reads normalized JSON
/// back with it.
#[test]
fn float_round_trip() {
    let body = r#"{"entry":[{"changes":[{"field":"messages","value":{"n":-4.617355421918812e59,
        "messages":[{"id":"a","timestamp":175217930444444444444444444444444444444444482}]}}]}]}"#;
    let webhook = normalize_webhook(body.as_bytes()).unwrap();
    // What JavaScript's JSON.parse (the reference) reads: the nearest float64.
    let raw = &webhook.raw().get("messages").unwrap()[0];
    assert_eq!(raw["n"].as_f64(), Some(-4.617_355_421_918_812e59));
    let timestamp = serde_json::to_value(&webhook.messages()[0]).unwrap()["timestamp"].as_f64();
    assert_eq!(timestamp, Some(1.752_179_304_444_444_5e44));
    let json = webhook.to_json();
    assert!(
        json.contains(r#""timestamp":1.7521793044444445e+44"#),
        "{json}"
    );
    let back = NormalizedWebhook::from_json(&json).unwrap();
    assert_eq!(back, webhook);
    assert_eq!(back.to_json(), json);
}

/// Found by `fuzz/round_trip`: an integer field sent as a number with an exponent or a fraction
/// (`"code":1310E1`, an error's code) was left in `extra`, a float not being an integer; the
/// normalized text says `13100`, which reads back typed, so normalize → `to_json` →
/// `from_json` gave a different value. To `JSON.parse` both are the same number: a number is
/// now typed by its value (the integer JavaScript writes for it), not by its spelling.
#[test]
fn fuzz_round_trip_an_integer_spelled_as_a_float_is_typed() {
    for code in ["1310E1", "13100.0", "131.0e2", "13100"] {
        let body = format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"id":"1","changes":[{{"field":"messages","value":{{"messages":[{{"from":"1","id":"wamid.x","type":"unsupported","errors":[{{"code":{code},"title":"Message type unknown"}}]}}]}}}}]}}]}}"#
        );
        let webhook = normalize_webhook(body.as_bytes()).unwrap();
        let error = &webhook.messages()[0].errors.as_ref().unwrap()[0];
        assert_eq!(error.code, Some(13100), "{code}");
        assert!(error.extra.is_empty(), "{code}");
        let json = webhook.to_json();
        assert!(json.contains(r#"{"code":13100,"title""#), "{json}");
        let back = NormalizedWebhook::from_json(&json).unwrap();
        assert_eq!(back, webhook, "{code}");
        assert_eq!(back.to_json(), json);
    }
}

/// Found in review of the camelCase adapter: an object whose many keys all camelCase to one
/// form (`a_b_c…`, `a-b-c…`, `aB-c…`: 3^9 spellings of one key) made the exact duplicate rule
/// cost grow with the square of the keys seen so far and more: a 500 kB body took minutes. The
/// rule now costs a few hash lookups per key. The winners must still be JavaScript's: checked
/// here against `JSON.parse` + two camelCase passes written the obvious way (a `Map` keeps a
/// key's first place and its last value), on every spelling in order, then each again shuffled.
#[test]
fn many_keys_with_one_camel_form_stay_linear_and_exact() {
    let letters = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    let mut spellings = vec![letters[0].to_owned()];
    for letter in &letters[1..] {
        spellings = spellings
            .iter()
            .flat_map(|s| {
                [
                    format!("{s}_{letter}"),
                    format!("{s}-{letter}"),
                    format!("{s}{}", letter.to_uppercase()),
                ]
            })
            .collect();
    }
    assert_eq!(spellings.len(), 19_683);
    // Every spelling once, then a pseudo-random run of repeats.
    let mut keys = spellings.clone();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..20_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        keys.push(spellings[(state % spellings.len() as u64) as usize].clone());
    }
    let object: String = keys
        .iter()
        .enumerate()
        .map(|(i, key)| format!(r#""{key}":{i}"#))
        .collect::<Vec<_>>()
        .join(",");
    let body = format!(
        r#"{{"entry":[{{"changes":[{{"field":"messages","value":{{"messages":[{{{object}}}]}}}}]}}]}}"#
    );
    let webhook = normalize_webhook(body.as_bytes()).unwrap();
    let json = serde_json::to_value(&webhook).unwrap();

    // JSON.parse merges duplicates (first place, last value); each pass re-inserts the keys
    // camelCased, in order, a later one replacing the value in its place (a JavaScript object).
    let insert = |mut pairs: Vec<(String, Value)>, (key, value): (String, Value)| {
        match pairs.iter_mut().find(|(known, _)| *known == key) {
            Some((_, slot)) => *slot = value,
            None => pairs.push((key, value)),
        }
        pairs
    };
    let parsed = keys
        .iter()
        .enumerate()
        .map(|(i, key)| (key.clone(), Value::from(i)))
        .fold(Vec::new(), insert);
    let camel_pass = |pairs: Vec<(String, Value)>| {
        pairs
            .into_iter()
            .map(|(key, value)| (kapso_webhooks::camel_key(&key).into_owned(), value))
            .fold(Vec::new(), insert)
    };
    let once = camel_pass(parsed);
    let twice = camel_pass(once.clone());
    assert_eq!(once.len(), 1);
    let object = |pairs: Vec<(String, Value)>| Value::Object(pairs.into_iter().collect());
    let message = json["messages"][0].as_object().unwrap();
    assert_eq!(message.get("aBCDEFGHIJ"), object(twice).get("aBCDEFGHIJ"));
    assert_eq!(json["raw"]["messages"][0]["messages"][0], object(once));
}
