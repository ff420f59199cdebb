//! A seeded, deterministic generator of webhook bodies for differential testing
//! against the reference `normalizeWebhook`.
//!
//! Most bodies are realistic WhatsApp Cloud API / Kapso payloads with
//! perturbations (odd keys, camelCase collisions, wrong types, nulls, missing
//! keys); a minority are structurally odd (non-object bodies, bad `entry` or
//! `changes`, skipped values, arrays as values).
//!
//! The generator deliberately avoids the inputs where the reference is wrong
//! or throws (deviations D1–D7 of the guide):
//! - D1: items of `contacts`, `messages`, `message_echoes`, `statuses` and
//!   `calls` lists (at the change value level) are always objects;
//! - D2: an existing `kapso` is an object or falsy, never a truthy non-object
//!   (an empty array only where nothing else is written into it);
//! - D3/D4: no `__proto__` key, no field named like an `Object.prototype` member;
//! - D5/D6: small integers, simple floats, no overflowing numbers, no lone
//!   surrogates;
//! - D7: no key that is, or camelCases to, all digits.
//!
//! Each body is generated from its own stream, seeded by `(seed, index)`, so a
//! prefix of `bodies(seed, n)` does not depend on `n`.

/// The seed of the committed fixtures (`fixtures/generated/`).
pub const SEED: u64 = 0x6b61_7073_6f5f_7765;

/// The number of committed generated bodies.
pub const COUNT: usize = 2500;

/// Generates `count` webhook bodies (compact JSON, one line each) from `seed`.
pub fn bodies(seed: u64, count: usize) -> Vec<String> {
    (0..count)
        .map(|index| {
            let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0xa076_1d64_78bd_642f));
            let mut out = String::new();
            body(&mut rng).write(&mut out);
            out
        })
        .collect()
}

// ---------------------------------------------------------------------------
// PRNG (SplitMix64)

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut rng = Rng(seed);
        rng.next_u64();
        rng
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// An integer in `lo..=hi`.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo + 1).max(1) as u64;
        lo + (self.next_u64() % span) as i64
    }

    fn pick<T: Copy + Default>(&mut self, items: &[T]) -> T {
        let index = self.below(items.len());
        items.get(index).copied().unwrap_or_default()
    }

    /// Index chosen with the given weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut roll = self.next_u64() % total.max(1);
        for (index, &weight) in weights.iter().enumerate() {
            if roll < u64::from(weight) {
                return index;
            }
            roll -= u64::from(weight);
        }
        0
    }

    fn digits(&mut self, len: usize) -> String {
        (0..len)
            .map(|i| {
                let low = if i == 0 { 1 } else { 0 };
                char::from(b'0' + self.int(low, 9) as u8)
            })
            .collect()
    }

    fn alnum(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len).map(|_| char::from(self.pick(CHARS))).collect()
    }
}

// ---------------------------------------------------------------------------
// A tiny JSON tree that keeps duplicate keys and exact number spellings.

#[derive(Clone)]
enum J {
    Null,
    Bool(bool),
    Int(i64),
    /// Verbatim JSON text (numbers like `1.5` or `1e3`, escaped strings).
    Raw(&'static str),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    fn write(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Int(n) => out.push_str(&n.to_string()),
            J::Raw(text) => out.push_str(text),
            J::Str(text) => write_str(text, out),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            J::Obj(pairs) => {
                out.push('{');
                for (i, (key, value)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }

    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

fn write_str(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn s(text: impl Into<String>) -> J {
    J::Str(text.into())
}

fn obj<const N: usize>(pairs: [(&str, J); N]) -> Vec<(String, J)> {
    pairs
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}

fn set(pairs: &mut Vec<(String, J)>, key: &str, value: J) {
    pairs.push((key.to_owned(), value));
}

// ---------------------------------------------------------------------------
// Key rules mirrored from the reference (only to stay clear of deviations).

/// The reference's key camelCasing: `_` or `-` followed by an ASCII letter or
/// digit is removed and the character uppercased.
fn camel(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(key.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match chars.get(i + 1) {
            Some(&next) if (c == '_' || c == '-') && next.is_ascii_alphanumeric() => {
                out.push(next.to_ascii_uppercase());
                i += 2;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The reference's field key: `_` followed by a lowercase ASCII letter.
fn field_key(field: &str) -> String {
    let chars: Vec<char> = field.chars().collect();
    let mut out = String::with_capacity(field.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match chars.get(i + 1) {
            Some(&next) if c == '_' && next.is_ascii_lowercase() => {
                out.push(next.to_ascii_uppercase());
                i += 2;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn all_digits(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit())
}

/// Keys whose value the generator controls (list items must be objects, `kapso`
/// must not be a truthy non-object, `order`/`interactive` write into `kapso`).
const RESERVED: &[&str] = &[
    "kapso",
    "contacts",
    "messages",
    "messageEchoes",
    "statuses",
    "calls",
    "order",
    "interactive",
];

/// JavaScript `Object.prototype` members (D4) and `__proto__` (D3).
const JS_MEMBERS: &[&str] = &[
    "__proto__",
    "constructor",
    "toString",
    "toLocaleString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "__defineGetter__",
    "__defineSetter__",
    "__lookupGetter__",
    "__lookupSetter__",
];

/// A key that is safe to add with an arbitrary value at any depth.
fn free_key_ok(key: &str) -> bool {
    let mut current = key.to_owned();
    // The reference camelCases a key at most twice; a collision twin is the
    // key camelCased once more, so look two passes further.
    for _ in 0..5 {
        if all_digits(&current) || RESERVED.contains(&current.as_str()) || current == "__proto__" {
            return false;
        }
        current = camel(&current);
    }
    true
}

/// A field name that the reference files under `raw` without throwing.
fn field_ok(field: &str) -> bool {
    let key = field_key(field);
    !all_digits(field) && !all_digits(&key) && !JS_MEMBERS.contains(&key.as_str())
}

// ---------------------------------------------------------------------------
// Vocabulary

const ODD_KEYS: &[&str] = &[
    "a__b",
    "a-b",
    "a_1",
    "_x",
    "ABC_DEF",
    "trailing_",
    "trailing-",
    "__double",
    "-lead",
    "_-a",
    "a_-b",
    "a-_b",
    "mixed_Case-key",
    "snake_case_key",
    "kebab-case-key",
    "HTTP_URL",
    "a1_b2",
    "x_2x",
    "field_2x",
    "a_b_c_d",
    "with space",
    "dot.key",
    "nom_é",
    "日本_語",
    "_",
    "-",
    "__",
    "",
    "UPPER",
    "camelCase",
    "x__y__z",
    "v_1_2",
    "a-1-b",
    "a_B",
    "aB",
    "meta_data",
    "ref_",
    "_A_b",
    "é_a",
    "constructor",
    "toString",
    "has_own_property",
    "value_of",
];

const WORDS: &[&str] = &[
    "hello",
    "Hola, ¿qué tal?",
    "ok",
    "Thanks!",
    "日本語のテキスト",
    "café crème",
    "line1\nline2",
    "tab\there",
    "quote \" and backslash \\",
    "",
    " ",
    "👍",
    "price: $10.50",
    "https://example.com/a?b=c&d=e",
    "<b>bold</b>",
    "1234",
    "null",
    "true",
];

const OTHER_FIELDS: &[&str] = &[
    "account_alerts",
    "account_update",
    "account_review_update",
    "business_capability_update",
    "message_template_status_update",
    "message_template_quality_update",
    "template_category_update",
    "phone_number_name_update",
    "phone_number_quality_update",
    "security",
    "history",
    "smb_app_state_sync",
    "user_preferences",
    "flows",
    "partner_solutions",
    "payment_configuration_update",
];

const UNKNOWN_FIELDS: &[&str] = &[
    "field_2x",
    "Messages",
    "MESSAGES",
    "foo-bar",
    "a__b",
    "_leading",
    "trailing_",
    "ABC_DEF",
    "x_1y",
    "future_field_v2",
    "smbMessageEchoes",
    "message_echoes",
    "kapso.message.received",
    "with space",
    "é_field",
    "to_string_x",
    "a-b_c",
    "_",
    "-",
];

// ---------------------------------------------------------------------------
// Random values

fn scalar(rng: &mut Rng) -> J {
    match rng.below(14) {
        0 => J::Null,
        1 => J::Bool(true),
        2 => J::Bool(false),
        3 => J::Int(0),
        4 => J::Int(rng.int(-1000, 100_000)),
        5 => J::Raw(rng.pick(&[
            "1.5", "-0.25", "2.0", "1e3", "0.1", "3.14", "-7", "1E2", "0.0", "-0",
        ])),
        6 => s(""),
        7 => J::Raw(rng.pick(&[
            "\"\\u00e9t\\u00e9\"",
            "\"a\\/b\"",
            "\"\\ud83d\\ude00\"",
            "\"\\u0041\\u005f\\u0062\"",
            "\"\\b\\f\"",
        ])),
        8 => s(rng.pick(&["x", "é", "日本", "wa_id", "a-b", "+1 555-000"])),
        _ => s(rng.pick(WORDS)),
    }
}

fn free_key(rng: &mut Rng) -> String {
    for _ in 0..20 {
        let key = if rng.chance(60) {
            rng.pick(ODD_KEYS).to_owned()
        } else {
            const ALPHABET: &[u8] = b"abcxyzABZ019__--";
            let len = rng.int(1, 9) as usize;
            (0..len).map(|_| char::from(rng.pick(ALPHABET))).collect()
        };
        if free_key_ok(&key) {
            return key;
        }
    }
    "fallback_key".to_owned()
}

fn junk(rng: &mut Rng, depth: u32) -> J {
    if depth == 0 || rng.chance(55) {
        return scalar(rng);
    }
    if rng.chance(50) {
        let len = rng.below(4);
        J::Arr((0..len).map(|_| junk(rng, depth - 1)).collect())
    } else {
        let len = rng.below(4);
        J::Obj(
            (0..len)
                .map(|_| (free_key(rng), junk(rng, depth - 1)))
                .collect(),
        )
    }
}

/// A value of the wrong type for a known key.
fn wrong(rng: &mut Rng) -> J {
    match rng.below(8) {
        0 => J::Null,
        1 => J::Int(5),
        2 => s("x"),
        3 => J::Bool(true),
        4 => J::Bool(false),
        5 => J::Arr(vec![]),
        6 => J::Obj(vec![]),
        _ => J::Raw("1.5"),
    }
}

/// Perturbs an object's keys: odd keys, camelCase collisions (both orders),
/// exact duplicates, wrong types, removals. Keys in [`RESERVED`] are left alone.
fn perturb(rng: &mut Rng, pairs: &mut Vec<(String, J)>, percent: u64) {
    if !rng.chance(percent) {
        return;
    }
    let edits = 1 + rng.below(3);
    for _ in 0..edits {
        match rng.weighted(&[30, 25, 8, 15, 10, 12]) {
            0 => {
                let key = free_key(rng);
                let value = junk(rng, 2);
                let at = rng.below(pairs.len() + 1);
                pairs.insert(at.min(pairs.len()), (key, value));
            }
            1 => {
                // A collision: a snake/kebab key next to its camelCase form.
                let candidates: Vec<usize> = pairs
                    .iter()
                    .enumerate()
                    .filter(|(_, (key, _))| {
                        (key.contains('_') || key.contains('-')) && free_key_ok(key)
                    })
                    .map(|(i, _)| i)
                    .collect();
                let index = candidates.get(rng.below(candidates.len())).copied();
                if let Some((key, _)) = index.and_then(|i| pairs.get(i)) {
                    let twin = camel(key);
                    let value = if rng.chance(50) {
                        junk(rng, 1)
                    } else {
                        wrong(rng)
                    };
                    let (first, second) = if rng.chance(50) {
                        (key.clone(), twin)
                    } else {
                        (twin, key.clone())
                    };
                    if let Some(i) = index {
                        let old = pairs.remove(i);
                        let before = i.min(pairs.len());
                        if first == old.0 {
                            pairs.insert(before, old);
                            pairs.insert((before + 1).min(pairs.len()), (second, value));
                        } else {
                            pairs.insert(before, (first, value));
                            pairs.insert((before + 1).min(pairs.len()), old);
                        }
                    }
                }
            }
            2 => {
                // An exact duplicate key: the later value wins.
                let index = rng.below(pairs.len());
                if let Some((key, _)) = pairs.get(index) {
                    if free_key_ok(key) {
                        let key = key.clone();
                        let value = wrong(rng);
                        pairs.push((key, value));
                    }
                }
            }
            3 => {
                let index = rng.below(pairs.len());
                if let Some((key, value)) = pairs.get_mut(index) {
                    if free_key_ok(key) {
                        *value = wrong(rng);
                    }
                }
            }
            4 => {
                let index = rng.below(pairs.len());
                if pairs.get(index).is_some_and(|(key, _)| free_key_ok(key)) {
                    pairs.remove(index);
                }
            }
            _ => {
                let index = rng.below(pairs.len());
                if let Some((key, value)) = pairs.get_mut(index) {
                    if free_key_ok(key) {
                        *value = J::Null;
                    }
                }
            }
        }
    }
}

fn finish(mut pairs: Vec<(String, J)>, percent: u64, rng: &mut Rng) -> J {
    perturb(rng, &mut pairs, percent);
    J::Obj(pairs)
}

// ---------------------------------------------------------------------------
// Phone numbers and ids

struct Biz {
    phone_number_id: String,
    display: String,
    /// `display` as 11 digits (country code 1).
    display_digits: String,
}

fn biz(rng: &mut Rng) -> Biz {
    let digits = format!("1555{}", rng.digits(7));
    let display = if rng.chance(25) {
        format_number(rng, &digits)
    } else {
        digits.clone()
    };
    Biz {
        phone_number_id: {
            let len = rng.int(12, 16) as usize;
            rng.digits(len)
        },
        display,
        display_digits: digits,
    }
}

/// `digits` (11 of them) written with punctuation.
fn format_number(rng: &mut Rng, digits: &str) -> String {
    let part = |from: usize, to: usize| digits.get(from..to).unwrap_or_default().to_owned();
    let (c, a, b, d) = (part(0, 1), part(1, 4), part(4, 7), part(7, 11));
    match rng.below(6) {
        0 => format!("+{c} {a}-{b}-{d}"),
        1 => format!("+{c} ({a}) {b} {d}"),
        2 => format!("{c}.{a}.{b}.{d}"),
        3 => format!("+{c}{a}{b}{d}"),
        4 => format!("{c}-{a}-{b}-{d} ext"),
        _ => format!("+{c} {a}-{b}"),
    }
}

fn customer(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => format!("+44 7700 {}", rng.digits(6)),
        1 => format!("٩٧١{}", rng.digits(8)),
        _ => format!(
            "{}{}",
            rng.pick(&["1", "44", "52", "91", "34", "81"]),
            rng.digits(10)
        ),
    }
}

fn wamid(rng: &mut Rng) -> String {
    format!("wamid.HBgL{}", rng.alnum(24))
}

fn timestamp(rng: &mut Rng) -> J {
    match rng.weighted(&[85, 8, 3, 2, 2]) {
        0 => s(format!("17{}", rng.digits(8))),
        1 => J::Int(rng.int(1_600_000_000, 1_800_000_000)),
        2 => J::Null,
        3 => s(""),
        _ => J::Raw("1700000000.5"),
    }
}

fn bsuid(rng: &mut Rng) -> String {
    format!("US.{}", rng.alnum(16))
}

// ---------------------------------------------------------------------------
// Webhook pieces

fn metadata(rng: &mut Rng, b: &Biz) -> Option<J> {
    match rng.weighted(&[80, 3, 2, 2, 2, 2, 2, 3, 2, 2]) {
        0 => Some(finish(
            obj([
                ("display_phone_number", s(b.display.clone())),
                ("phone_number_id", s(b.phone_number_id.clone())),
            ]),
            10,
            rng,
        )),
        1 => None,
        2 => Some(J::Null),
        3 => Some(J::Int(5)),
        4 => Some(s("metadata")),
        5 => Some(J::Arr(vec![])),
        6 => Some(J::Obj(vec![])),
        7 => Some(J::Obj(obj([
            ("display_phone_number", s(rng.pick(&["", "+", "n/a"]))),
            (
                "phone_number_id",
                if rng.chance(50) {
                    J::Int(rng.int(1, 99_999))
                } else {
                    s("")
                },
            ),
        ]))),
        8 => Some(J::Obj(obj([
            ("phoneNumberId", s(b.phone_number_id.clone())),
            ("displayPhoneNumber", s(b.display.clone())),
        ]))),
        _ => {
            // Collision of the snake and camel forms, in both orders.
            let other = rng.digits(12);
            let mut pairs = obj([("phone_number_id", s(b.phone_number_id.clone()))]);
            let twin = ("phoneNumberId".to_owned(), s(other));
            if rng.chance(50) {
                pairs.push(twin);
            } else {
                pairs.insert(0, twin);
            }
            set(&mut pairs, "display-phone-number", s(b.display.clone()));
            Some(J::Obj(pairs))
        }
    }
}

fn contact(rng: &mut Rng, wa_id: &str) -> J {
    let mut pairs = Vec::new();
    match rng.weighted(&[80, 5, 5, 5, 5]) {
        0 => set(
            &mut pairs,
            "profile",
            finish(obj([("name", s(rng.pick(WORDS)))]), 10, rng),
        ),
        1 => {}
        2 => set(&mut pairs, "profile", wrong(rng)),
        3 => set(
            &mut pairs,
            "profile",
            J::Obj(obj([("name", J::Null), ("user_name", s("kerry_f"))])),
        ),
        _ => set(&mut pairs, "profile", J::Obj(vec![])),
    }
    match rng.weighted(&[75, 8, 8, 5, 4]) {
        0 => set(&mut pairs, "wa_id", s(wa_id)),
        1 => {
            set(&mut pairs, "wa_id", s(wa_id));
            set(&mut pairs, "waId", s(rng.digits(11)));
        }
        2 => {
            set(&mut pairs, "waId", s(rng.digits(11)));
            set(&mut pairs, "wa_id", s(wa_id));
        }
        3 => set(&mut pairs, "wa-id", s(wa_id)),
        _ => {}
    }
    if rng.chance(20) {
        set(&mut pairs, "user_id", s(bsuid(rng)));
    }
    if rng.chance(10) {
        set(&mut pairs, "identity_key_hash", s(rng.alnum(12)));
    }
    finish(pairs, 15, rng)
}

fn media(rng: &mut Rng, kind: &str) -> J {
    let mime = match kind {
        "image" => "image/jpeg",
        "video" => "video/mp4",
        "audio" => "audio/ogg; codecs=opus",
        "sticker" => "image/webp",
        _ => "application/pdf",
    };
    let mut pairs = obj([
        ("mime_type", s(mime)),
        ("sha256", s(rng.alnum(20))),
        ("id", s(rng.digits(15))),
    ]);
    if rng.chance(40) {
        set(&mut pairs, "caption", s(rng.pick(WORDS)));
    }
    match kind {
        "document" => set(&mut pairs, "filename", s("report_2024.pdf")),
        "audio" => set(&mut pairs, "voice", J::Bool(rng.chance(50))),
        "sticker" => set(&mut pairs, "animated", J::Bool(false)),
        _ => {}
    }
    if rng.chance(20) {
        set(
            &mut pairs,
            "url",
            s("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"),
        );
    }
    finish(pairs, 10, rng)
}

/// The JSON text of a Flow `response_json`, and whether it is JSON at all.
fn response_json(rng: &mut Rng) -> String {
    match rng.weighted(&[20, 8, 6, 5, 6, 6, 5, 5, 7, 6, 8, 5, 5, 3]) {
        0 => {
            let mut pairs = obj([("flow_token", s(format!("flow-{}", rng.alnum(8))))]);
            set(&mut pairs, "screen_0_Option_0", s("0_yes"));
            set(&mut pairs, "full_name", s(rng.pick(WORDS)));
            if rng.chance(50) {
                set(
                    &mut pairs,
                    "nested_obj",
                    J::Obj(obj([
                        (
                            "inner_key",
                            J::Arr(vec![J::Obj(obj([("deep_key", J::Int(1))]))]),
                        ),
                        ("a__b", J::Bool(true)),
                    ])),
                );
            }
            perturb(rng, &mut pairs, 30);
            J::Obj(pairs).to_json()
        }
        1 => {
            let pairs = obj([("name_of_user", s("Ana")), ("opt-in", J::Bool(true))]);
            finish(pairs, 30, rng).to_json()
        }
        2 => J::Obj(obj([("flow_token", wrong(rng))])).to_json(),
        3 => {
            let mut pairs = obj([("flowToken", s("camel-token")), ("x", J::Int(1))]);
            if rng.chance(50) {
                set(&mut pairs, "flow_token", s("snake-token"));
            } else {
                pairs.insert(0, ("flow_token".to_owned(), s("snake-token")));
            }
            J::Obj(pairs).to_json()
        }
        4 => J::Arr(vec![
            J::Int(1),
            J::Obj(obj([("a_b", J::Int(2)), ("flow_token", s("in-array"))])),
        ])
        .to_json(),
        5 => s(rng.pick(WORDS)).to_json(),
        6 => rng.pick(&["42", "1.5", "-3", "0"]).to_owned(),
        7 => rng.pick(&["true", "false"]).to_owned(),
        8 => "null".to_owned(),
        9 => rng.pick(&["", " ", "   ", "\t\n", "\n"]).to_owned(),
        10 => rng
            .pick(&[
                "{bad json",
                "{\"a\":1,}",
                "[1,]",
                "undefined",
                "NaN",
                "'x'",
                "{\"a\" 1}",
                "01",
                "1 2",
                "{\"flow_token\":\"t\"} x",
                "Infinity",
                "-",
                "{'flow_token':'t'}",
            ])
            .to_owned(),
        11 => format!(
            "  {}  ",
            J::Obj(obj([("flow_token", s("padded")), ("k_v", J::Null)])).to_json()
        ),
        12 => J::Obj(obj([
            ("flow_token", s("deep")),
            ("list_of_items", J::Arr(vec![junk(rng, 3), junk(rng, 3)])),
            ("extra_data", junk(rng, 3)),
        ]))
        .to_json(),
        _ => J::Obj(vec![]).to_json(),
    }
}

fn interactive(rng: &mut Rng) -> J {
    match rng.weighted(&[55, 15, 12, 6, 4, 4, 4]) {
        0 => {
            let mut nfm = Vec::new();
            match rng.weighted(&[70, 10, 10, 10]) {
                0 => set(&mut nfm, "name", s("flow")),
                1 => {}
                2 => set(&mut nfm, "name", wrong(rng)),
                _ => set(&mut nfm, "name", s(rng.pick(&["", "Sign up", "nfm_name"]))),
            }
            set(&mut nfm, "body", s("Sent"));
            let text = response_json(rng);
            match rng.weighted(&[80, 8, 6, 6]) {
                0 => set(&mut nfm, "response_json", s(text)),
                1 => set(&mut nfm, "responseJson", s(text)),
                2 => set(&mut nfm, "response-json", s(text)),
                _ => set(&mut nfm, "response_json", wrong(rng)),
            }
            let nfm = match rng.weighted(&[85, 5, 5, 5]) {
                0 => finish(nfm, 10, rng),
                1 => wrong(rng),
                2 => J::Obj(vec![]),
                _ => s("nfm"),
            };
            let key = rng.pick(&[
                "nfm_reply",
                "nfm_reply",
                "nfm_reply",
                "nfmReply",
                "nfm-reply",
            ]);
            let kind = match rng.weighted(&[90, 4, 3, 3]) {
                0 => s("nfm_reply"),
                1 => s("NFM_REPLY"),
                2 => s("nfmReply"),
                _ => wrong(rng),
            };
            J::Obj(vec![("type".to_owned(), kind), (key.to_owned(), nfm)])
        }
        1 => J::Obj(obj([
            ("type", s("button_reply")),
            (
                "button_reply",
                finish(obj([("id", s("btn_1")), ("title", s("Yes"))]), 10, rng),
            ),
        ])),
        2 => J::Obj(obj([
            ("type", s("list_reply")),
            (
                "list_reply",
                finish(
                    obj([
                        ("id", s("row_2")),
                        ("title", s("Option")),
                        ("description", s("desc")),
                    ]),
                    10,
                    rng,
                ),
            ),
        ])),
        3 => J::Obj(obj([
            ("type", s("call_permission_reply")),
            (
                "call_permission_reply",
                J::Obj(obj([
                    ("response", s("accept")),
                    ("is_permanent", J::Bool(false)),
                    ("expiration_timestamp", J::Int(1_700_000_000)),
                ])),
            ),
        ])),
        4 => wrong(rng),
        5 => s("interactive"),
        _ => J::Obj(obj([("type", s("nfm_reply"))])),
    }
}

fn order(rng: &mut Rng) -> J {
    let mut pairs = obj([("catalog_id", s(rng.digits(15)))]);
    match rng.weighted(&[40, 15, 10, 25, 5, 5]) {
        0 => set(&mut pairs, "text", s(rng.pick(WORDS))),
        1 => set(&mut pairs, "text", J::Null),
        2 => set(&mut pairs, "text", J::Int(rng.int(-5, 500))),
        3 => {}
        4 => set(&mut pairs, "text", J::Obj(obj([("a_b", J::Int(1))]))),
        _ => {
            set(&mut pairs, "order_text", s("pre-existing"));
            set(&mut pairs, "text", s("wins"));
        }
    }
    let item = J::Obj(obj([
        ("product_retailer_id", s(format!("SKU-{}", rng.digits(4)))),
        ("quantity", J::Int(rng.int(1, 9))),
        ("item_price", J::Raw(rng.pick(&["1.5", "10", "99.99", "0"]))),
        ("currency", s("USD")),
    ]));
    set(&mut pairs, "product_items", J::Arr(vec![item]));
    match rng.weighted(&[90, 5, 5]) {
        0 => finish(pairs, 10, rng),
        1 => wrong(rng),
        _ => s("order"),
    }
}

/// The type-specific part of a message.
fn message_body(rng: &mut Rng, pairs: &mut Vec<(String, J)>) -> &'static str {
    let kind = rng.pick(&[
        "text",
        "text",
        "text",
        "text",
        "image",
        "video",
        "audio",
        "document",
        "sticker",
        "location",
        "contacts",
        "interactive",
        "interactive",
        "interactive",
        "interactive",
        "button",
        "reaction",
        "order",
        "order",
        "system",
        "unsupported",
        "unknown",
        "request_welcome",
        "hologram",
        "future_type_v2",
        "Poll",
        "edit",
        "revoke",
    ]);
    let value = match kind {
        "text" => Some(finish(obj([("body", s(rng.pick(WORDS)))]), 10, rng)),
        "image" | "video" | "audio" | "document" | "sticker" => Some(media(rng, kind)),
        "location" => Some(finish(
            obj([
                ("latitude", J::Raw("37.483307")),
                ("longitude", J::Raw("-122.148981")),
                ("name", s("Main St")),
                ("address", s("1 Hacker Way")),
            ]),
            10,
            rng,
        )),
        "contacts" => Some(J::Arr(vec![finish(
            obj([
                (
                    "name",
                    J::Obj(obj([
                        ("formatted_name", s("Ana B")),
                        ("first_name", s("Ana")),
                    ])),
                ),
                (
                    "phones",
                    J::Arr(vec![J::Obj(obj([
                        ("phone", s("+1 (940) 555-1234")),
                        ("type", s("HOME")),
                        ("wa_id", s(rng.digits(11))),
                    ]))]),
                ),
            ]),
            15,
            rng,
        )])),
        "interactive" => Some(interactive(rng)),
        "button" => Some(finish(
            obj([("payload", s("PAYLOAD_1")), ("text", s("Yes"))]),
            10,
            rng,
        )),
        "reaction" => Some(J::Obj(obj([
            ("message_id", s(wamid(rng))),
            ("emoji", s(rng.pick(&["👍", "", "é"]))),
        ]))),
        "order" => Some(order(rng)),
        "system" => Some(J::Obj(obj([
            ("body", s("User changed number")),
            ("new_wa_id", s(rng.digits(11))),
            ("type", s("user_changed_number")),
        ]))),
        "unsupported" | "unknown" => {
            set(
                pairs,
                "errors",
                J::Arr(vec![J::Obj(obj([
                    ("code", J::Int(131_051)),
                    ("title", s("Message type unknown")),
                    ("message", s("Message type unknown")),
                    (
                        "error_data",
                        J::Obj(obj([(
                            "details",
                            s("Message type is not currently supported"),
                        )])),
                    ),
                ]))]),
            );
            None
        }
        "request_welcome" => None,
        _ => Some(junk(rng, 3)),
    };
    if let Some(value) = value {
        let key = match kind {
            "future_type_v2" if rng.chance(50) => "futureTypeV2",
            other => other,
        };
        set(pairs, key, value);
    }
    kind
}

#[derive(Clone, Copy, PartialEq)]
enum KapsoWrites {
    /// Order text or a flow reply may write into `kapso`.
    Maybe,
    /// Nothing but the direction writes into `kapso`.
    No,
}

/// An existing `kapso` value (objects or falsy values only: D2).
fn existing_kapso(rng: &mut Rng, writes: KapsoWrites) -> Option<J> {
    match rng.weighted(&[78, 6, 4, 3, 2, 2, 2, 2, 1]) {
        0 => None,
        1 => {
            let mut pairs = obj([
                ("direction", s(rng.pick(&["inbound", "weird"]))),
                ("custom_field", J::Int(1)),
                ("status", s("queued")),
                ("has_media", J::Bool(false)),
            ]);
            if rng.chance(30) {
                // Keys the normalization writes (after camelCasing).
                set(&mut pairs, "order_text", s("old"));
                set(&mut pairs, "flow_response", J::Obj(vec![]));
                set(&mut pairs, "source", s("api"));
            }
            Some(finish(pairs, 20, rng))
        }
        2 => Some(J::Obj(vec![])),
        3 => Some(J::Null),
        4 => Some(J::Bool(false)),
        5 => Some(J::Int(0)),
        6 => Some(s("")),
        7 => Some(J::Raw(rng.pick(&["0.0", "-0"]))),
        _ => match writes {
            KapsoWrites::No => Some(J::Arr(vec![])),
            KapsoWrites::Maybe => Some(J::Obj(obj([("flow_name", s("earlier"))]))),
        },
    }
}

fn context(from: J, rng: &mut Rng) -> J {
    let mut pairs = obj([("from", from), ("id", s(wamid(rng)))]);
    if rng.chance(20) {
        set(&mut pairs, "forwarded", J::Bool(true));
    }
    if rng.chance(10) {
        set(&mut pairs, "frequently_forwarded", J::Bool(true));
    }
    finish(pairs, 10, rng)
}

fn message(rng: &mut Rng, b: &Biz, echo: bool) -> J {
    let mut pairs: Vec<(String, J)> = Vec::new();
    let business_number = |rng: &mut Rng| -> String {
        match rng.below(6) {
            0 => b.phone_number_id.clone(),
            1 => format!("+{}", b.phone_number_id),
            2 => b.display.clone(),
            3 => b.display_digits.clone(),
            _ => format_number(rng, &b.display_digits),
        }
    };
    let mut from: Option<J> = None;
    let mut to: Option<J> = None;
    let mut ctx: Option<J> = None;
    let mut from_user_id: Option<J> = None;
    let scenario = if echo {
        rng.weighted(&[70, 10, 10, 10])
    } else {
        100 + rng.weighted(&[35, 8, 8, 5, 5, 5, 5, 6, 3, 6, 4, 3, 4, 3])
    };
    match scenario {
        // Echoes: from the business to a customer.
        0 => {
            from = Some(s(business_number(rng)));
            to = Some(s(customer(rng)));
        }
        1 => to = Some(s(customer(rng))),
        2 => {
            from = Some(s(customer(rng)));
            to = Some(s(business_number(rng)));
        }
        3 => from = Some(wrong(rng)),
        // Regular messages.
        100 => from = Some(s(customer(rng))),
        101 => from = Some(s(b.phone_number_id.clone())),
        102 => from = Some(s(business_number(rng))),
        103 => {
            from = Some(s(customer(rng)));
            to = Some(s(business_number(rng)));
        }
        104 => to = Some(s(business_number(rng))),
        105 => {
            from = Some(s(business_number(rng)));
            to = Some(s(customer(rng)));
        }
        106 => ctx = Some(context(s(customer(rng)), rng)),
        107 => {
            let number = customer(rng);
            ctx = Some(context(s(number.clone()), rng));
            from = Some(s(number));
        }
        108 => {
            ctx = Some(context(s(customer(rng)), rng));
            from = Some(s(customer(rng)));
        }
        109 => {
            from_user_id = Some(s(bsuid(rng)));
            if rng.chance(40) {
                to = Some(s(customer(rng)));
            }
        }
        110 => {
            from_user_id = Some(match rng.below(3) {
                0 => s(""),
                1 => J::Int(5),
                _ => J::Null,
            });
        }
        111 => from = Some(s(rng.pick(&["", "+", "abc", "+ -", "()"]))),
        112 => {
            from = Some(match rng.below(3) {
                0 => J::Int(rng.int(1, 99_999)),
                1 => J::Null,
                _ => J::Arr(vec![]),
            });
            ctx = Some(match rng.below(4) {
                0 => context(s(""), rng),
                1 => context(J::Int(5), rng),
                2 => s("context"),
                _ => J::Null,
            });
        }
        _ => {}
    }
    if from_user_id.is_none() && rng.chance(10) {
        from_user_id = Some(s(bsuid(rng)));
    }
    if ctx.is_none() && rng.chance(12) {
        let from = if rng.chance(60) {
            s(business_number(rng))
        } else {
            s(customer(rng))
        };
        ctx = Some(context(from, rng));
    }
    if let Some(from) = from {
        set(&mut pairs, "from", from);
    }
    if let Some(to) = to {
        set(&mut pairs, "to", to);
    }
    if let Some(id) = from_user_id {
        let key = rng.pick(&["from_user_id", "from_user_id", "fromUserId", "from-user-id"]);
        set(&mut pairs, key, id);
    }
    set(&mut pairs, "id", s(wamid(rng)));
    set(&mut pairs, "timestamp", timestamp(rng));
    if let Some(ctx) = ctx {
        set(&mut pairs, "context", ctx);
    }
    let mut body = Vec::new();
    let kind = message_body(rng, &mut body);
    let type_value = match rng.weighted(&[92, 3, 3, 2]) {
        0 => s(kind),
        1 => J::Null,
        2 => J::Int(3),
        _ => s(""),
    };
    if rng.chance(95) {
        set(&mut pairs, "type", type_value);
    }
    pairs.extend(body);
    if rng.chance(5) {
        set(
            &mut pairs,
            "referral",
            J::Obj(obj([
                ("source_url", s("https://fb.me/x")),
                ("source_id", s(rng.digits(10))),
                ("source_type", s("ad")),
                ("ctwa_clid", s(rng.alnum(10))),
            ])),
        );
    }
    let writes = if matches!(kind, "order" | "interactive") {
        KapsoWrites::Maybe
    } else {
        KapsoWrites::No
    };
    if let Some(kapso) = existing_kapso(rng, writes) {
        let at = rng.below(pairs.len() + 1).min(pairs.len());
        pairs.insert(at, ("kapso".to_owned(), kapso));
        if rng.chance(10) {
            // A duplicate `kapso` key: the later value wins, so the earlier
            // one may be anything (even a truthy non-object).
            let earlier = rng.pick(&["\"x\"", "5", "true", "[1]", "{\"a_b\":1}", "null"]);
            pairs.insert(at, ("kapso".to_owned(), J::Raw(earlier)));
        }
    }
    finish(pairs, 25, rng)
}

fn status(rng: &mut Rng) -> J {
    let mut pairs = obj([
        ("id", s(wamid(rng))),
        (
            "status",
            s(rng.pick(&[
                "sent",
                "delivered",
                "read",
                "failed",
                "deleted",
                "played",
                "weird",
            ])),
        ),
        ("timestamp", timestamp(rng)),
        ("recipient_id", s(customer(rng))),
    ]);
    if rng.chance(20) {
        set(&mut pairs, "recipient_user_id", s(bsuid(rng)));
    }
    if rng.chance(60) {
        set(
            &mut pairs,
            "conversation",
            finish(
                obj([
                    ("id", s(rng.alnum(16))),
                    ("expiration_timestamp", timestamp(rng)),
                    (
                        "origin",
                        J::Obj(obj([(
                            "type",
                            s(rng.pick(&[
                                "service",
                                "marketing",
                                "utility",
                                "authentication",
                                "referral_conversion",
                            ])),
                        )])),
                    ),
                ]),
                10,
                rng,
            ),
        );
        set(
            &mut pairs,
            "pricing",
            finish(
                obj([
                    ("billable", J::Bool(rng.chance(70))),
                    ("pricing_model", s(rng.pick(&["CBP", "PMP"]))),
                    (
                        "category",
                        s(rng.pick(&["service", "marketing", "utility", "marketing_lite"])),
                    ),
                    (
                        "type",
                        s(rng.pick(&["regular", "free_customer_service", "free_entry_point"])),
                    ),
                ]),
                10,
                rng,
            ),
        );
    }
    if rng.chance(15) {
        set(
            &mut pairs,
            "errors",
            J::Arr(vec![J::Obj(obj([
                ("code", J::Int(131_047)),
                ("title", s("Re-engagement message")),
                ("message", s("Re-engagement message")),
                (
                    "error_data",
                    J::Obj(obj([("details", s("More than 24 hours have passed"))])),
                ),
                ("href", s("https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/")),
            ]))]),
        );
    }
    if rng.chance(10) {
        set(&mut pairs, "biz_opaque_callback_data", s("tracking_123"));
    }
    if rng.chance(8) {
        // A call status.
        set(&mut pairs, "type", s("call"));
    }
    finish(pairs, 20, rng)
}

fn call(rng: &mut Rng, b: &Biz) -> J {
    let mut pairs = Vec::new();
    let wacid = format!("wacid.HBgL{}", rng.alnum(20));
    match rng.weighted(&[30, 25, 10, 8, 8, 6, 5, 4, 4]) {
        0 => set(&mut pairs, "id", s(wacid)),
        1 => set(&mut pairs, "wacid", s(wacid)),
        2 => {
            set(&mut pairs, "wacid", s(wacid));
            let falsy = match rng.below(5) {
                0 => J::Null,
                1 => s(""),
                2 => J::Int(0),
                3 => J::Bool(false),
                _ => J::Raw("0.0"),
            };
            let key = rng.pick(&["call_id", "callId", "call-id"]);
            if rng.chance(50) {
                set(&mut pairs, key, falsy);
            } else {
                pairs.insert(0, (key.to_owned(), falsy));
            }
        }
        3 => {
            set(&mut pairs, "call_id", s(format!("call-{}", rng.alnum(6))));
            set(&mut pairs, "wacid", s(wacid));
        }
        4 => {
            set(&mut pairs, "wacid", s(wacid));
            let truthy = match rng.below(4) {
                0 => J::Arr(vec![]),
                1 => J::Obj(vec![]),
                2 => J::Int(5),
                _ => J::Bool(true),
            };
            set(&mut pairs, "call_id", truthy);
        }
        5 => set(&mut pairs, "wacid", wrong(rng)),
        6 => {
            // Collision of call_id and callId, in both orders.
            let (first, second) = if rng.chance(50) {
                ("call_id", "callId")
            } else {
                ("callId", "call_id")
            };
            set(&mut pairs, first, s("first"));
            set(
                &mut pairs,
                second,
                if rng.chance(50) { s("") } else { s("second") },
            );
            set(&mut pairs, "wacid", s(wacid));
        }
        7 => {
            set(&mut pairs, "id", s(wacid.clone()));
            set(&mut pairs, "wacid", s(wacid));
        }
        _ => {}
    }
    set(&mut pairs, "from", s(customer(rng)));
    set(&mut pairs, "to", s(b.display_digits.clone()));
    set(
        &mut pairs,
        "event",
        s(rng.pick(&["connect", "terminate", "ringing", "accepted", "rejected"])),
    );
    set(&mut pairs, "timestamp", timestamp(rng));
    set(
        &mut pairs,
        "direction",
        s(rng.pick(&["USER_INITIATED", "BUSINESS_INITIATED"])),
    );
    if rng.chance(50) {
        set(
            &mut pairs,
            "session",
            J::Obj(obj([
                ("sdp_type", s("offer")),
                (
                    "sdp",
                    s("v=0\r\no=- 7669997803033704573 2 IN IP4 127.0.0.1\r\n"),
                ),
            ])),
        );
    }
    if rng.chance(20) {
        set(&mut pairs, "status", s(rng.pick(&["COMPLETED", "FAILED"])));
        set(&mut pairs, "start_time", timestamp(rng));
        set(&mut pairs, "duration", J::Int(rng.int(0, 600)));
    }
    finish(pairs, 20, rng)
}

fn list_of(rng: &mut Rng, len: usize, mut item: impl FnMut(&mut Rng) -> J) -> J {
    J::Arr((0..len).map(|_| item(rng)).collect())
}

/// A list value for one of the reserved list keys: usually an array of
/// objects, sometimes empty or of the wrong (non-array) type.
fn list_or_wrong(rng: &mut Rng, len: usize, item: impl FnMut(&mut Rng) -> J) -> J {
    match rng.weighted(&[88, 4, 8]) {
        0 => list_of(rng, len, item),
        1 => J::Arr(vec![]),
        _ => match rng.below(5) {
            0 => J::Obj(vec![]),
            1 => J::Int(5),
            2 => J::Null,
            3 => s("messages"),
            _ => J::Obj(obj([("a_b", J::Int(1))])),
        },
    }
}

fn small(rng: &mut Rng) -> usize {
    rng.pick(&[1, 1, 1, 1, 1, 2, 2, 3])
}

fn echo_key(rng: &mut Rng) -> &'static str {
    rng.pick(&[
        "message_echoes",
        "message_echoes",
        "message_echoes",
        "messageEchoes",
        "message-echoes",
        "message_Echoes",
    ])
}

fn base_value(rng: &mut Rng, b: &Biz) -> Vec<(String, J)> {
    let mut pairs = Vec::new();
    if rng.chance(95) {
        set(&mut pairs, "messaging_product", s("whatsapp"));
    }
    if let Some(meta) = metadata(rng, b) {
        set(&mut pairs, "metadata", meta);
    }
    pairs
}

fn messages_value(rng: &mut Rng, b: &Biz) -> Vec<(String, J)> {
    let mut pairs = base_value(rng, b);
    let customer_id = customer(rng);
    if rng.chance(85) {
        let n = small(rng);
        let contacts = list_or_wrong(rng, n, |rng| contact(rng, &customer_id));
        set(&mut pairs, "contacts", contacts);
    }
    if rng.chance(92) {
        if rng.chance(4) {
            // A duplicate list key: only the later value counts, so the
            // earlier one may hold non-object items.
            let earlier = J::Arr(vec![J::Int(5), J::Null, s("x"), J::Arr(vec![])]);
            set(&mut pairs, "messages", earlier);
        }
        let n = small(rng);
        let messages = list_or_wrong(rng, n, |rng| message(rng, b, false));
        set(&mut pairs, "messages", messages);
        if rng.chance(3) {
            let statuses = list_of(rng, 1, status);
            set(&mut pairs, "statuses", statuses);
        }
    }
    if rng.chance(12) {
        let n = small(rng);
        let echoes = list_or_wrong(rng, n, |rng| message(rng, b, true));
        set(&mut pairs, echo_key(rng), echoes);
    }
    if rng.chance(5) {
        // Two spellings of the echo list: the later one wins.
        let first = list_of(rng, 1, |rng| message(rng, b, true));
        let second = list_of(rng, 1, |rng| message(rng, b, true));
        set(&mut pairs, "message_echoes", first);
        set(&mut pairs, "messageEchoes", second);
    }
    if rng.chance(8) {
        let n = small(rng);
        let statuses = list_of(rng, n, status);
        set(&mut pairs, "statuses", statuses);
    }
    if rng.chance(3) {
        let n = small(rng);
        let calls = list_of(rng, n, |rng| call(rng, b));
        set(&mut pairs, "calls", calls);
    }
    pairs
}

fn echoes_value(rng: &mut Rng, b: &Biz) -> Vec<(String, J)> {
    let mut pairs = base_value(rng, b);
    let n = small(rng);
    let echoes = list_or_wrong(rng, n, |rng| message(rng, b, true));
    set(&mut pairs, echo_key(rng), echoes);
    if rng.chance(10) {
        let n = small(rng);
        let messages = list_of(rng, n, |rng| message(rng, b, false));
        set(&mut pairs, "messages", messages);
    }
    pairs
}

fn statuses_value(rng: &mut Rng, b: &Biz) -> Vec<(String, J)> {
    let mut pairs = base_value(rng, b);
    let n = small(rng);
    let statuses = list_or_wrong(rng, n, status);
    set(&mut pairs, "statuses", statuses);
    pairs
}

fn calls_value(rng: &mut Rng, b: &Biz) -> Vec<(String, J)> {
    let mut pairs = base_value(rng, b);
    if rng.chance(70) {
        let wa_id = customer(rng);
        let contacts = list_of(rng, 1, |rng| contact(rng, &wa_id));
        set(&mut pairs, "contacts", contacts);
    }
    if rng.chance(80) {
        let n = small(rng);
        let calls = list_or_wrong(rng, n, |rng| call(rng, b));
        set(&mut pairs, "calls", calls);
    } else {
        let n = small(rng);
        let statuses = list_of(rng, n, status);
        set(&mut pairs, "statuses", statuses);
    }
    pairs
}

fn other_value(rng: &mut Rng, b: &Biz, field: &str) -> Vec<(String, J)> {
    match field {
        "account_alerts" => obj([
            ("entity_type", s("WABA")),
            ("entity_id", s(rng.digits(15))),
            (
                "alert_severity",
                s(rng.pick(&["CRITICAL", "WARNING", "INFORMATIONAL", "NEW_LEVEL"])),
            ),
            ("alert_status", s("ACTIVE")),
            ("alert_type", s("OBA_APPROVED")),
            ("alert_description", s(rng.pick(WORDS))),
        ]),
        "message_template_status_update" | "message_template_quality_update" => obj([
            (
                "event",
                s(rng.pick(&["APPROVED", "REJECTED", "PAUSED", "FLAGGED"])),
            ),
            ("message_template_id", J::Int(rng.int(1, 9_999_999))),
            ("message_template_name", s("order_update_v2")),
            ("message_template_language", s("en_US")),
            ("reason", if rng.chance(50) { J::Null } else { s("NONE") }),
        ]),
        "history" => {
            let mut pairs = base_value(rng, b);
            let thread = J::Obj(obj([
                ("id", s(customer(rng))),
                (
                    "messages",
                    J::Arr(vec![message(rng, b, false), J::Int(3), J::Null]),
                ),
            ]));
            set(
                &mut pairs,
                "history",
                J::Arr(vec![J::Obj(obj([
                    (
                        "metadata",
                        J::Obj(obj([
                            ("phase", J::Int(rng.int(0, 2))),
                            ("chunk_order", J::Int(rng.int(1, 5))),
                            ("progress", J::Int(rng.int(0, 100))),
                        ])),
                    ),
                    ("threads", J::Arr(vec![thread])),
                ]))]),
            );
            pairs
        }
        "smb_app_state_sync" => {
            let mut pairs = base_value(rng, b);
            set(
                &mut pairs,
                "state_sync",
                J::Arr(vec![J::Obj(obj([
                    ("type", s("contact")),
                    (
                        "contact",
                        J::Obj(obj([
                            ("full_name", s("Ana B")),
                            ("first_name", s("Ana")),
                            ("phone_number", s(customer(rng))),
                        ])),
                    ),
                    ("action", s(rng.pick(&["add", "remove"]))),
                    ("metadata", J::Obj(obj([("timestamp", timestamp(rng))]))),
                ]))]),
            );
            pairs
        }
        "user_preferences" => {
            let mut pairs = base_value(rng, b);
            let wa_id = customer(rng);
            let contacts = list_of(rng, 1, |rng| contact(rng, &wa_id));
            set(&mut pairs, "contacts", contacts);
            set(
                &mut pairs,
                "user_preferences",
                J::Arr(vec![J::Obj(obj([
                    ("wa_id", s(wa_id)),
                    ("detail", s("User requested to stop marketing messages")),
                    ("category", s("marketing_messages")),
                    ("value", s("stop")),
                    ("timestamp", J::Int(1_700_000_000)),
                ]))]),
            );
            pairs
        }
        _ => {
            let mut pairs = Vec::new();
            let len = 1 + rng.below(5);
            for _ in 0..len {
                let key = free_key(rng);
                let value = junk(rng, 3);
                pairs.push((key, value));
            }
            if rng.chance(30) {
                set(&mut pairs, "metadata", metadata(rng, b).unwrap_or(J::Null));
            }
            pairs
        }
    }
}

fn random_field(rng: &mut Rng) -> String {
    for _ in 0..20 {
        let field = if rng.chance(60) {
            rng.pick(UNKNOWN_FIELDS).to_owned()
        } else {
            const ALPHABET: &[u8] = b"abxyzAB12_-";
            let len = rng.int(1, 10) as usize;
            (0..len).map(|_| char::from(rng.pick(ALPHABET))).collect()
        };
        if field_ok(&field) {
            return field;
        }
    }
    "unknown_field".to_owned()
}

fn change(rng: &mut Rng, b: &Biz) -> J {
    let kind = rng.weighted(&[48, 14, 8, 8, 12, 6, 4]);
    let field = match kind {
        0 => s("messages"),
        1 => s("messages"),
        2 => s("smb_message_echoes"),
        3 => s("calls"),
        4 => s(rng.pick(OTHER_FIELDS)),
        5 => s(random_field(rng)),
        _ => match rng.below(5) {
            0 => s(""),
            1 => J::Null,
            2 => J::Int(5),
            3 => J::Obj(vec![]),
            _ => J::Arr(vec![s("messages")]),
        },
    };
    let mut value = match kind {
        0 | 6 => messages_value(rng, b),
        1 => statuses_value(rng, b),
        2 => echoes_value(rng, b),
        3 => calls_value(rng, b),
        _ => {
            let name = match &field {
                J::Str(name) => name.clone(),
                _ => String::new(),
            };
            other_value(rng, b, &name)
        }
    };
    perturb(rng, &mut value, 20);
    let value = J::Obj(value);
    let mut pairs = Vec::new();
    let field_absent = kind == 6 && rng.chance(30);
    if rng.chance(85) {
        set(&mut pairs, "value", value);
        if !field_absent {
            set(&mut pairs, "field", field);
        }
    } else {
        if !field_absent {
            set(&mut pairs, "field", field);
        }
        set(&mut pairs, "value", value);
    }
    J::Obj(pairs)
}

fn entry(rng: &mut Rng) -> J {
    let b = biz(rng);
    let n = rng.pick(&[1, 1, 1, 1, 1, 1, 2, 2, 3]);
    let changes = (0..n).map(|_| change(rng, &b)).collect();
    let mut pairs = obj([("id", s(rng.digits(15)))]);
    if rng.chance(60) {
        set(
            &mut pairs,
            "time",
            J::Int(rng.int(1_600_000_000, 1_800_000_000)),
        );
    }
    set(&mut pairs, "changes", J::Arr(changes));
    J::Obj(pairs)
}

/// A change that the reference skips or only files under `raw`.
fn odd_change(rng: &mut Rng) -> J {
    let field = s(rng.pick(&["messages", "statuses", "calls", "weird_field"]));
    match rng.below(12) {
        0 => J::Null,
        1 => J::Int(5),
        2 => s("change"),
        3 => J::Arr(vec![J::Obj(obj([("field", s("messages"))]))]),
        4 => J::Obj(obj([("field", field)])),
        5 => J::Obj(obj([
            ("field", field),
            (
                "value",
                match rng.below(8) {
                    0 => J::Null,
                    1 => J::Bool(false),
                    2 => J::Int(0),
                    3 => s(""),
                    4 => s("value"),
                    5 => J::Int(5),
                    6 => J::Bool(true),
                    _ => J::Raw("1.5"),
                },
            ),
        ])),
        6 | 7 => {
            // An array as the change value: only `raw` sees it.
            let items = (0..rng.below(4)).map(|_| junk(rng, 3)).collect();
            let mut value: Vec<J> = items;
            if rng.chance(50) {
                let b = biz(rng);
                value.push(message(rng, &b, false));
            }
            J::Obj(obj([("field", field), ("value", J::Arr(value))]))
        }
        8 => J::Obj(obj([("field", field), ("value", J::Obj(vec![]))])),
        9 => J::Obj(obj([(
            "Value",
            J::Obj(obj([("messages", J::Arr(vec![]))])),
        )])),
        10 => J::Obj(obj([
            ("field", field),
            ("value", J::Obj(obj([("metadata", J::Obj(vec![]))]))),
        ])),
        _ => J::Obj(vec![]),
    }
}

fn odd_entry(rng: &mut Rng) -> J {
    match rng.below(10) {
        0 => J::Null,
        1 => J::Int(5),
        2 => s("entry"),
        3 => J::Arr(vec![]),
        4 => J::Obj(vec![]),
        5 => J::Obj(obj([("changes", wrong(rng))])),
        6 => J::Obj(obj([("id", s("1")), ("changes", J::Arr(vec![]))])),
        _ => {
            let b = biz(rng);
            let mut changes = vec![odd_change(rng), odd_change(rng)];
            if rng.chance(50) {
                changes.insert(1, change(rng, &b));
            }
            J::Obj(obj([
                ("id", s(rng.digits(15))),
                ("changes", J::Arr(changes)),
            ]))
        }
    }
}

fn object_value(rng: &mut Rng) -> Option<J> {
    match rng.weighted(&[85, 4, 3, 3, 3, 2]) {
        0 => Some(s("whatsapp_business_account")),
        1 => None,
        2 => Some(J::Null),
        3 => Some(J::Int(5)),
        4 => Some(s("")),
        _ => Some(s(rng.pick(&["page", "instagram", "kapso"]))),
    }
}

fn body(rng: &mut Rng) -> J {
    match rng.weighted(&[3, 5, 92]) {
        0 => match rng.below(12) {
            0 => J::Null,
            1 => J::Int(5),
            2 => s("whatsapp_business_account"),
            3 => J::Bool(true),
            4 => J::Bool(false),
            5 => J::Arr(vec![]),
            6 => {
                let b = biz(rng);
                J::Arr(vec![J::Obj(obj([(
                    "entry",
                    J::Arr(vec![J::Obj(obj([(
                        "changes",
                        J::Arr(vec![change(rng, &b)]),
                    )]))]),
                )]))])
            }
            7 => J::Raw("1.5"),
            8 => J::Obj(vec![]),
            9 => s(""),
            10 => J::Int(0),
            _ => J::Obj(obj([("object", s("whatsapp_business_account"))])),
        },
        1 => {
            let mut pairs = Vec::new();
            if let Some(object) = object_value(rng) {
                set(&mut pairs, "object", object);
            }
            let entry_value = match rng.below(6) {
                0 => wrong(rng),
                1 => J::Obj(obj([("changes", J::Arr(vec![]))])),
                _ => {
                    let n = 1 + rng.below(3);
                    J::Arr((0..n).map(|_| odd_entry(rng)).collect())
                }
            };
            set(&mut pairs, "entry", entry_value);
            finish(pairs, 20, rng)
        }
        _ => {
            let mut pairs = Vec::new();
            if let Some(object) = object_value(rng) {
                set(&mut pairs, "object", object);
            }
            let n = rng.pick(&[1, 1, 1, 1, 1, 1, 1, 1, 2, 3]);
            let entries = (0..n).map(|_| entry(rng)).collect();
            set(&mut pairs, "entry", J::Arr(entries));
            finish(pairs, 10, rng)
        }
    }
}
