//! Kapso event parsing: `parse_kapso_delivery` on arbitrary bytes.
//!
//! Input layout: byte 0 picks the `X-Webhook-Event` header (see `EVENTS`; 0 = no header),
//! byte 1 picks `X-Webhook-Batch` (bits 0–1) and `X-Webhook-Payload-Version` (bits 2–3), the
//! rest is the body. `run-all.sh` seeds it with every `fixtures/kapso/<event>/*.json` behind
//! the two bytes naming that event.
//!
//! Checks, besides "never panics": the body is accepted exactly when it is JSON; the bytes and
//! `Value` entry points give the same delivery; a batch has one event per `data` item, any
//! other body exactly one; every event serializes to an object whose `event` is its name.
#![no_main]

use kapso_webhooks::{parse_kapso_delivery, parse_kapso_delivery_value, KapsoHeaders};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Byte 0 (modulo the length + 1) picks one of these; 0 means no event header.
const EVENTS: &[&str] = &[
    "whatsapp.message.received",
    "whatsapp.message.sent",
    "whatsapp.message.delivered",
    "whatsapp.message.read",
    "whatsapp.message.failed",
    "whatsapp.conversation.created",
    "whatsapp.conversation.ended",
    "whatsapp.conversation.inactive",
    "whatsapp.contact.identity_changed",
    "whatsapp.contact.marketing_preference_changed",
    "whatsapp.meta_business_agent.handover",
    "whatsapp.phone_number.created",
    "whatsapp.phone_number.deleted",
    "whatsapp.config.created",
    "workflow.execution.handoff",
    "workflow.execution.failed",
    "project.event",
    "whatsapp.order.refunded",
    "   ",
];

const BATCH: &[Option<&str>] = &[None, Some("true"), Some("FALSE"), Some("yes")];
const VERSION: &[Option<&str>] = &[None, Some("v1"), Some("v2"), Some("v3")];

fuzz_target!(|data: &[u8]| {
    let (event, flags, body) = match data {
        [event, flags, body @ ..] => (*event, *flags, body),
        _ => return,
    };
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let event_index = usize::from(event) % (EVENTS.len() + 1);
    if let Some(name) = event_index.checked_sub(1).and_then(|i| EVENTS.get(i)) {
        pairs.push(("X-Webhook-Event", name));
    }
    if let Some(Some(batch)) = BATCH.get(usize::from(flags & 3)) {
        pairs.push(("x-webhook-batch", batch));
    }
    if let Some(Some(version)) = VERSION.get(usize::from((flags >> 2) & 3)) {
        pairs.push(("X-Webhook-Payload-Version", version));
    }
    let headers = KapsoHeaders::from_pairs(pairs);

    let parsed = serde_json::from_slice::<Value>(body);
    let delivery = match (parse_kapso_delivery(&headers, body), parsed) {
        (Ok(delivery), Ok(value)) => {
            assert_eq!(
                delivery,
                parse_kapso_delivery_value(&headers, &value),
                "bytes and Value entry points disagree"
            );
            let expected_events = match (delivery.batch(), &value) {
                (Some(_), Value::Object(fields)) => match fields.get("data") {
                    Some(Value::Array(items)) => items.len(),
                    _ => panic!("a batch without a data array"),
                },
                (Some(_), _) => panic!("a batch that is not an object"),
                (None, _) => 1,
            };
            assert_eq!(delivery.events().len(), expected_events);
            delivery
        }
        (Err(err), Err(_)) => {
            assert!(err.line() >= 1, "error without a line: {err}");
            return;
        }
        (Ok(_), Err(err)) => panic!("accepted what serde_json refuses: {err}"),
        (Err(err), Ok(_)) => panic!("refused valid JSON: {err}"),
    };

    serde_json::to_string(&delivery).expect("serialize the delivery");
    for (event, line) in delivery.events().iter().zip(delivery.event_values()) {
        let Value::Object(fields) = &line else {
            panic!("an event line that is not an object: {line}");
        };
        let name = fields.get("event").expect("every line has `event`");
        match event.name() {
            Some(expected) => assert_eq!(name.as_str(), Some(expected.as_str())),
            None => assert!(name.is_null()),
        }
        let _ = (
            event.message(),
            event.conversation(),
            event.phone_number_id(),
        );
    }
    let _ = delivery.messages().count();
});
