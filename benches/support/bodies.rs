//! Webhook bodies for the benchmarks and the measuring examples: the minified Meta corpus, a
//! 1,000-message batch and a ~3 MB `history` chunk, all deterministic.
//!
//! Included with `#[path]` by `benches/normalize.rs`, `examples/throughput.rs` and
//! `examples/peak_heap.rs`, so all three measure exactly the same bytes. (It lives in
//! `benches/support/` so that Cargo does not take it for a benchmark of its own.)
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The shared corpus of real-world Meta bodies, relative to the crate root.
pub const SHARED_CORPUS: &str = "../shared/corpus/meta/body";
/// Our own committed Meta bodies, used when `../shared` is not there.
pub const FIXTURE_CORPUS: &str = "fixtures/meta/body";

/// Meta's maximum webhook body size, which [`body_3mb`] stays just under.
pub const MAX_BODY: usize = 3_000_000;

/// The minified corpus bodies in file-name order, and the folder they came from.
///
/// Reads `../shared/corpus/meta/body/*.json` (the 199 bodies); falls back to
/// `fixtures/meta/body/*.json` when the shared folder is missing, and says so on stderr.
pub fn corpus() -> (Vec<Vec<u8>>, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join(SHARED_CORPUS);
    let dir = if shared.is_dir() {
        shared
    } else {
        let fixtures = root.join(FIXTURE_CORPUS);
        eprintln!(
            "note: {} not found; using {} instead (figures are not comparable with the issue's)",
            shared.display(),
            fixtures.display()
        );
        fixtures
    };
    let bodies = json_files(&dir)
        .iter()
        .map(|path| minify(&fs::read(path).expect("read a corpus body")))
        .collect();
    (bodies, dir)
}

/// The `*.json` files of `dir`, sorted by name.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("read a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// One compact line, as Meta sends it (key order kept: serde_json has `preserve_order`).
pub fn minify(body: &[u8]) -> Vec<u8> {
    let value: Value = serde_json::from_slice(body).expect("a corpus body is JSON");
    serde_json::to_vec(&value).expect("serialize a Value")
}

/// A small deterministic generator (SplitMix64), so every run builds the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|i| {
                char::from(
                    b'0' + (self.below(if i == 0 { 9 } else { 10 }) as u8 + u8::from(i == 0)),
                )
            })
            .collect()
    }

    fn base64(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        (0..n)
            .map(|_| char::from(ALPHABET[self.below(64) as usize]))
            .collect()
    }

    fn wamid(&mut self) -> String {
        format!("wamid.HBgL{}==", self.base64(48))
    }
}

const WORDS: &[&str] = &[
    "hola",
    "gracias",
    "pedido",
    "order",
    "the",
    "please",
    "send",
    "me",
    "price",
    "¿cuánto",
    "cuesta?",
    "delivery",
    "tomorrow",
    "mañana",
    "ok",
    "👍",
    "size",
    "M",
    "L",
    "café",
    "São",
    "Paulo",
    "invoice",
    "#4821",
    "\"urgent\"",
    "can",
    "you",
    "help",
    "with",
    "my",
    "account",
    "😊",
    "thanks!",
    "and",
];

const NAMES: &[&str] = &[
    "Ana María",
    "João Silva",
    "Priya Patel",
    "Mauricio Binda",
    "Chen Wei",
    "Fatima Zahra",
    "Olu",
    "Zoë",
    "Dmitri",
    "Lucía Fernández",
    "Sam 🚀",
    "Kwame Mensah",
];

/// A text body of 1 to 60 words, sometimes over several lines.
fn text(rng: &mut Rng) -> String {
    let longest = if rng.below(5) == 0 { 60 } else { 12 };
    let words = 1 + rng.below(longest);
    let mut text = String::new();
    for i in 0..words {
        if i > 0 {
            text.push(if rng.below(15) == 0 { '\n' } else { ' ' });
        }
        text.push_str(rng.pick(WORDS));
    }
    text
}

/// One inbound message from `from`, of a type drawn with rough real-world frequencies.
fn message(rng: &mut Rng, from: &str, timestamp: u64) -> Value {
    let mut message = json!({"from": from, "id": rng.wamid(), "timestamp": timestamp.to_string()});
    let kind = rng.below(100);
    let (kind, body) = match kind {
        0..=49 => ("text", json!({"body": text(rng)})),
        50..=59 => ("image", {
            let mut image =
                json!({"mime_type": "image/jpeg", "sha256": rng.base64(44), "id": rng.digits(16)});
            if rng.below(2) == 0 {
                image["caption"] = json!(text(rng));
            }
            image
        }),
        60..=64 => (
            "audio",
            json!({"mime_type": "audio/ogg; codecs=opus", "sha256": rng.base64(44), "id": rng.digits(16), "voice": true}),
        ),
        65..=67 => (
            "video",
            json!({"mime_type": "video/mp4", "sha256": rng.base64(44), "id": rng.digits(16)}),
        ),
        68..=71 => (
            "document",
            json!({"filename": format!("invoice-{}.pdf", rng.digits(5)), "mime_type": "application/pdf", "sha256": rng.base64(44), "id": rng.digits(16)}),
        ),
        72..=74 => (
            "sticker",
            json!({"mime_type": "image/webp", "sha256": rng.base64(44), "id": rng.digits(16), "animated": false}),
        ),
        75..=79 => (
            "reaction",
            json!({"message_id": rng.wamid(), "emoji": rng.pick(&["👍", "❤️", "😂", "🙏"])}),
        ),
        80..=82 => (
            "location",
            json!({"latitude": 38.9, "longitude": -77.03, "name": "Main Street Store", "address": "1 Main St, Springfield"}),
        ),
        83..=87 => (
            "interactive",
            if rng.below(2) == 0 {
                json!({"type": "button_reply", "button_reply": {"id": format!("btn_{}", rng.below(5)), "title": "Confirm"}})
            } else {
                json!({"type": "list_reply", "list_reply": {"id": format!("row_{}", rng.below(9)), "title": "Express shipping", "description": "2-3 business days"}})
            },
        ),
        88..=91 => (
            "button",
            json!({"payload": "STOP_PROMOTIONS", "text": "Stop promotions"}),
        ),
        92..=93 => (
            "contacts",
            json!([{
                "name": {"formatted_name": rng.pick(NAMES), "first_name": "Ana"},
                "phones": [{"phone": format!("+{}", rng.digits(11)), "wa_id": rng.digits(11), "type": "CELL"}],
            }]),
        ),
        94..=95 => (
            "order",
            json!({
                "catalog_id": rng.digits(15),
                "text": "Please deliver before noon",
                "product_items": [
                    {"product_retailer_id": format!("SKU-{}", rng.digits(4)), "quantity": 1 + rng.below(3), "item_price": 12.5, "currency": "USD"},
                    {"product_retailer_id": format!("SKU-{}", rng.digits(4)), "quantity": 1, "item_price": 3, "currency": "USD"},
                ],
            }),
        ),
        _ => ("text", json!({"body": text(rng)})),
    };
    message["type"] = json!(kind);
    message[kind] = body;
    match rng.below(20) {
        0 | 1 => message["context"] = json!({"from": rng.digits(11), "id": rng.wamid()}),
        2 => {
            message["referral"] = json!({
                "source_url": "https://fb.me/2ZulEu42P", "source_id": rng.digits(15), "source_type": "ad",
                "headline": "Summer sale", "body": "Up to 50% off", "media_type": "image",
                "image_url": "https://scontent.xx.fbcdn.net/v/t45.1600-4/img.png", "ctwa_clid": rng.base64(40),
            });
        }
        _ => {}
    }
    message
}

/// One status of an outbound message, mostly `delivered`/`read`, sometimes `failed`.
fn status(rng: &mut Rng, timestamp: u64) -> Value {
    let recipient = rng.digits(12);
    let kind = rng.pick(&["sent", "delivered", "delivered", "read", "read", "failed"]);
    let mut status = json!({"id": rng.wamid(), "status": kind, "timestamp": timestamp.to_string(), "recipient_id": recipient});
    if kind == "failed" {
        status["errors"] = json!([{
            "code": 131047, "title": "Re-engagement message",
            "message": "Re-engagement message",
            "error_data": {"details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
            "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
        }]);
    } else {
        status["conversation"] = json!({"id": rng.base64(32), "origin": {"type": rng.pick(&["service", "marketing", "utility"])}});
        status["pricing"] = json!({"billable": true, "pricing_model": "PMP", "category": "service", "type": "regular"});
    }
    status
}

/// The envelope around one change value.
fn envelope(field: &str, value: Value) -> Value {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": field}]}],
    })
}

fn metadata() -> Value {
    json!({"display_phone_number": "15550783881", "phone_number_id": "106540352242922"})
}

/// One `messages` change batching 1,000 inbound messages (each with its sender in `contacts`,
/// some senders known only by a business-scoped user ID) and 1,000 statuses: Meta batches up to
/// 1,000 updates per webhook. About 0.7 MB, one compact line.
pub fn batch_1000() -> Vec<u8> {
    let mut rng = Rng(1000);
    let mut contacts = Vec::with_capacity(1000);
    let mut messages = Vec::with_capacity(1000);
    for i in 0..1000 {
        let wa_id = rng.digits(12);
        let name = rng.pick(NAMES);
        let mut message = message(&mut rng, &wa_id, 1_739_230_000 + i);
        if rng.below(10) == 0 {
            let user_id = format!("US.{}", rng.digits(20));
            contacts.push(json!({"profile": {"name": name}, "wa_id": wa_id, "user_id": user_id}));
            message["from_user_id"] = json!(user_id);
        } else {
            contacts.push(json!({"profile": {"name": name}, "wa_id": wa_id}));
        }
        messages.push(message);
    }
    let statuses: Vec<Value> = (0..1000)
        .map(|i| status(&mut rng, 1_739_230_000 + i))
        .collect();
    let value = json!({
        "messaging_product": "whatsapp", "metadata": metadata(),
        "contacts": contacts, "messages": messages, "statuses": statuses,
    });
    serde_json::to_vec(&envelope("messages", value)).expect("serialize a Value")
}

/// One `history` change (a chat-history sync chunk) with as many threads of 5 to 80 messages as
/// fit in [`MAX_BODY`] bytes (Meta's maximum body). One compact line.
pub fn body_3mb() -> Vec<u8> {
    let mut rng = Rng(3);
    let business = "15550783881";
    let chunk = |threads: Vec<Value>| {
        envelope(
            "history",
            json!({
                "messaging_product": "whatsapp", "metadata": metadata(),
                "history": [{"metadata": {"phase": 0, "chunk_order": 1, "progress": 55}, "threads": threads}],
            }),
        )
    };
    let mut size = serde_json::to_vec(&chunk(Vec::new()))
        .expect("serialize a Value")
        .len();
    let mut threads = Vec::new();
    let mut timestamp = 1_700_000_000;
    loop {
        let user = rng.digits(11);
        let messages: Vec<Value> = (0..5 + rng.below(76))
            .map(|_| {
                timestamp += 1 + rng.below(600);
                let from = if rng.below(2) == 0 { business } else { user.as_str() };
                let mut message = if rng.below(10) == 0 {
                    json!({"from": from, "id": rng.wamid(), "timestamp": timestamp.to_string(), "type": "media_placeholder"})
                } else {
                    message(&mut rng, from, timestamp)
                };
                let status = rng.pick(&["READ", "DELIVERED", "SENT", "PLAYED", "ERROR", "PENDING"]);
                message["history_context"] = json!({"status": status});
                message
            })
            .collect();
        let thread = json!({"id": user, "messages": messages});
        let len = serde_json::to_vec(&thread)
            .expect("serialize a Value")
            .len()
            + usize::from(!threads.is_empty());
        if size + len > MAX_BODY {
            break;
        }
        size += len;
        threads.push(thread);
    }
    let body = serde_json::to_vec(&chunk(threads)).expect("serialize a Value");
    assert_eq!(body.len(), size, "size bookkeeping");
    body
}
