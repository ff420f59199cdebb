//! The deliberate deviations from the reference (README, "Deviations"), one test each. Each
//! test states what the reference does and checks exactly what we do instead.
use kapso_webhooks::{normalize_webhook, ErrorCategory};
use serde_json::{json, Value};

fn normalize(body: &str) -> Value {
    serde_json::to_value(normalize_webhook(body.as_bytes()).unwrap()).unwrap()
}

/// D1: non-object items of `contacts`, `messages`, `messageEchoes`, `statuses`, `calls`.
/// The reference appends them as they are (or throws on a `null` message or call); we leave
/// them out of the typed lists and keep them in `raw`.
#[test]
fn d1_non_object_items_stay_in_raw_only() {
    let body = r#"{"entry":[{"changes":[{"field":"messages","value":{
        "metadata":{"phone_number_id":"1"},
        "contacts":[5,{"wa_id":"2"}],
        "messages":["x",null,{"from":"2","id":"m"}],
        "message_echoes":[[1]],
        "statuses":[[1],{"id":"s"}],
        "calls":[true,null,{"id":"c"}]}}]}]}"#;
    let out = normalize(body);
    assert_eq!(out["contacts"], json!([{"waId": "2"}]));
    assert_eq!(
        out["messages"],
        json!([{"from": "2", "id": "m", "kapso": {"direction": "inbound"}}])
    );
    assert_eq!(out["statuses"], json!([{"id": "s"}]));
    assert_eq!(out["calls"], json!([{"id": "c"}]));
    let raw = &out["raw"]["messages"][0];
    assert_eq!(raw["contacts"], json!([5, {"waId": "2"}]));
    assert_eq!(
        raw["messages"],
        json!(["x", null, {"from": "2", "id": "m"}])
    );
    assert_eq!(raw["messageEchoes"], json!([[1]]));
    assert_eq!(raw["calls"], json!([true, null, {"id": "c"}]));
}

/// D2: a `kapso` holding a string, non-zero number, `true` or non-empty array. The reference
/// throws ("Cannot create property 'direction' on string") or silently loses the direction;
/// we treat such a `kapso` as absent. The original stays in `raw`.
#[test]
fn d2_truthy_non_object_kapso_is_treated_as_absent() {
    for kapso in [r#""x""#, "5", "true", "[1]"] {
        let body = format!(
            r#"{{"entry":[{{"changes":[{{"field":"messages","value":{{"messages":[{{"from":"2","kapso":{kapso},"order":{{"text":"t"}}}}]}}}}]}}]}}"#
        );
        let out = normalize(&body);
        assert_eq!(
            out["messages"][0]["kapso"],
            json!({"orderText": "t", "direction": "inbound"}),
            "kapso = {kapso}"
        );
        let original: Value = serde_json::from_str(kapso).unwrap();
        assert_eq!(out["raw"]["messages"][0]["messages"][0]["kapso"], original);
    }
    // Without anything to add, the odd value is dropped from the message (kept in raw).
    let out = normalize(
        r#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"kapso":"x"}]}}]}]}"#,
    );
    assert_eq!(out["messages"][0], json!({}));
    assert_eq!(
        out["raw"]["messages"][0]["messages"][0]["kapso"],
        json!("x")
    );
}

/// Falsy `kapso` values and the empty array are *not* deviations: they are mirrored exactly.
#[test]
fn falsy_and_empty_array_kapso_follow_the_reference() {
    let out = normalize(
        r#"{"entry":[{"changes":[{"value":{"messages":[{"kapso":null},{"kapso":0},{"kapso":""},{"kapso":false}]}}]}]}"#,
    );
    assert_eq!(
        out["messages"],
        json!([{"kapso": null}, {"kapso": 0}, {"kapso": ""}, {"kapso": false}])
    );
    // The reference writes properties onto an empty array that JSON never shows.
    let out = normalize(
        r#"{"entry":[{"changes":[{"value":{"messages":[{"kapso":[],"order":{"text":"t"}}]}}]}]}"#,
    );
    assert_eq!(
        out["messages"],
        json!([{"kapso": [], "order": {"orderText": "t"}}])
    );
    let out =
        normalize(r#"{"entry":[{"changes":[{"value":{"messages":[{"from":"2","kapso":[]}]}}]}]}"#);
    assert_eq!(
        out["messages"],
        json!([{"from": "2", "kapso": {"direction": "inbound"}}])
    );
}

/// D3: `__proto__` keys. JavaScript objects treat `__proto__` specially; we keep such keys as
/// ordinary keys, camelCased like any other (`__proto__` → `_Proto__` → `Proto__`).
#[test]
fn d3_proto_keys_are_ordinary_keys() {
    let out = normalize(
        r#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"2","__proto__":{"a":1},"b":{"__proto__":"x"}}]}}]}]}"#,
    );
    assert_eq!(out["messages"][0]["Proto__"], json!({"a": 1}));
    assert_eq!(out["messages"][0]["b"], json!({"Proto__": "x"}));
    assert_eq!(
        out["raw"]["messages"][0]["messages"][0]["_Proto__"],
        json!({"a": 1})
    );
    // A key that is `__proto__` after nothing changes it: the top-level keys of the body.
    let out = normalize(r#"{"__proto__":{"object":"x"},"object":"y"}"#);
    assert_eq!(out["object"], json!("y"));
}

/// D4: a `field` named like a JavaScript object member. The reference throws
/// ("list.push is not a function"); we file it under `raw` like any field.
#[test]
fn d4_object_member_field_names_are_ordinary_fields() {
    for field in [
        "constructor",
        "toString",
        "valueOf",
        "hasOwnProperty",
        "__proto__",
        "is_prototype_of",
    ] {
        let body =
            format!(r#"{{"entry":[{{"changes":[{{"field":"{field}","value":{{"a_b":1}}}}]}}]}}"#);
        let webhook = normalize_webhook(body.as_bytes()).unwrap();
        let key = match field {
            "is_prototype_of" => "isPrototypeOf",
            "__proto__" => "_Proto__",
            other => other,
        };
        assert_eq!(
            webhook.raw().get(key),
            Some(&[json!({"aB": 1})][..]),
            "{field}"
        );
    }
}

/// D5: integers beyond ±2^53. The reference rounds them to float64; we keep every digit of
/// integers that fit 64 bits (i64 or u64). Larger ones are float64, as in JavaScript.
#[test]
fn d5_large_integers_keep_every_digit() {
    let body = r#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"2","big":12345678901234567891,"neg":-9007199254740993}]}}]}]}"#;
    let webhook = normalize_webhook(body.as_bytes()).unwrap();
    let json = serde_json::to_string(&webhook).unwrap();
    assert!(json.contains(r#""big":12345678901234567891"#), "{json}");
    assert!(json.contains(r#""neg":-9007199254740993"#), "{json}");
    assert_eq!(
        webhook.messages()[0].extra["big"],
        json!(12_345_678_901_234_567_891_u64)
    );
}

/// D6: numbers that overflow float64 and lone UTF-16 surrogates. JavaScript accepts them
/// (`Infinity`, an unpaired code unit); we reject the body with an error naming the place.
#[test]
fn d6_overflowing_numbers_and_lone_surrogates_are_errors() {
    let err = normalize_webhook(br#"{"entry":[{"changes":[{"value":{"n":1e400}}]}]}"#).unwrap_err();
    assert_eq!(err.category(), ErrorCategory::Syntax);
    assert_eq!((err.line(), err.column()), (1, 41));
    assert!(err.to_string().contains("number out of range"), "{err}");

    let err = normalize_webhook(b"{\n  \"text\": \"\\ud800\"\n}").unwrap_err();
    assert_eq!(err.category(), ErrorCategory::Syntax);
    assert_eq!(err.line(), 2);
    assert!(err.to_string().contains("hex escape"), "{err}");
}

/// D7: camelCase collisions involving integer-like keys (`"1"` and `"_1"`). JavaScript visits
/// integer-like keys first, so the reference keeps the value of `_1`; we apply plain document
/// order: the later key wins.
#[test]
fn d7_integer_like_collisions_follow_document_order() {
    let out = normalize(
        r#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"2","_1":"first","1":"second"}]}}]}]}"#,
    );
    assert_eq!(out["messages"][0]["1"], json!("second"));
    assert_eq!(
        out["raw"]["messages"][0]["messages"][0]["1"],
        json!("second")
    );
    // Collisions between ordinary keys follow document order in both.
    let out =
        normalize(r#"{"entry":[{"changes":[{"value":{"contacts":[{"waId":"a","wa_id":"b"}]}}]}]}"#);
    assert_eq!(out["contacts"][0], json!({"waId": "b"}));
}
