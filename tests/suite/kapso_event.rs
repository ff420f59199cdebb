//! Kapso's own webhook events: every example of `../shared/corpus/kapso/` and every fixture of
//! `fixtures/kapso/` parses, types what Kapso documents, and serializes back to its input
//! camelCased (nothing lost).
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::support::fixtures::{
    kapso_corpus, kapso_fixture, kapso_fixtures, meta_fixture, shared, KapsoCase,
};

use kapso_webhooks::kapso_event::{
    events_outside_scope, unsupported_events, AccountEvent, AgentRunEvent, AgentRunStatus,
    BanState, ConnectionType, EventScope, CATALOG,
};
use kapso_webhooks::kapso_event::{
    ConversationStatus, HandoffSource, MarketingPreferenceStatus, MessageEvent,
};
use kapso_webhooks::kapso_event::{KapsoPayload, PayloadVersion};
use kapso_webhooks::meta::message::{KapsoStatus, MessageOrigin, ProcessingStatus};
use kapso_webhooks::meta::status::{PricingCategory, PricingModel};

use kapso_webhooks::verify::signature::{SignatureError, SignatureScheme};
use kapso_webhooks::verify::{Verifier, VerifyError};
use kapso_webhooks::{
    camel_key, normalize_webhook, parse_kapso_delivery, Direction, ErrorCategory, KapsoDelivery,
    KapsoEvent, KapsoEventName, KapsoHeaders, Message, MessageType, StatusKind,
};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Every key camelCased once, at every depth (a later duplicate replaces an earlier one in
/// place, as the crate's adapter does).
fn camel(value: &Value) -> Value {
    match value {
        Value::Object(fields) => {
            let mut out = serde_json::Map::new();
            for (key, value) in fields {
                out.insert(camel_key(key).into_owned(), camel(value));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(camel).collect()),
        other => other.clone(),
    }
}

fn without_event(value: &Value) -> Value {
    match value {
        Value::Object(fields) => {
            let mut fields = fields.clone();
            fields.remove("event");
            Value::Object(fields)
        }
        other => other.clone(),
    }
}

/// Parses `body` and checks that nothing is lost: the delivery serializes back to the body
/// camelCased, and each event's JSON line is `event` + its payload camelCased.
fn parse_lossless(headers: &KapsoHeaders, body: &[u8], context: &str) -> KapsoDelivery {
    let delivery = parse_kapso_delivery(headers, body)
        .unwrap_or_else(|err| panic!("{context}: does not parse: {err}"));
    let input: Value = serde_json::from_slice(body).unwrap();
    let expected = camel(&input);
    assert_eq!(
        serde_json::to_value(&delivery).unwrap(),
        expected,
        "{context}: the delivery does not serialize back to its body camelCased"
    );
    let items: Vec<&Value> = match (delivery.batch(), &expected) {
        (Some(_), Value::Object(fields)) => fields["data"].as_array().unwrap().iter().collect(),
        _ => vec![&expected],
    };
    assert_eq!(
        delivery.events().len(),
        items.len(),
        "{context}: event count"
    );
    for (event, item) in delivery.events().iter().zip(items) {
        let line = event.to_json();
        let name = event.name().map(|n| Value::String(n.to_string()));
        assert_eq!(
            line["event"],
            name.unwrap_or(Value::Null),
            "{context}: event key"
        );
        let rest = without_event(&line);
        let want = match item {
            Value::Object(_) => without_event(item),
            other => json!({ "payload": other }),
        };
        assert_eq!(
            rest, want,
            "{context}: the JSON line loses or adds something"
        );
        // A compact line is valid JSON that reads back to the same value.
        let text = serde_json::to_string(event).unwrap();
        assert!(!text.contains('\n'));
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), line);
    }
    delivery
}

fn headers_for(event: &str) -> KapsoHeaders {
    KapsoHeaders::from_pairs([("X-Webhook-Event", event)])
}

fn message_event(event: &KapsoEvent) -> &MessageEvent {
    match event.payload() {
        KapsoPayload::Message(payload) => payload,
        other => panic!("expected a message event, got {other:?}"),
    }
}

/// Asserts that a typed struct's `extra` holds only nulls: every documented, non-null field was
/// typed.
fn assert_only_nulls(extra: &kapso_webhooks::Extra, context: &str) {
    for (key, value) in extra {
        assert!(value.is_null(), "{context}: `{key}` was not typed: {value}");
    }
}

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// The corpus: the examples printed in Kapso's documentation (`../shared/corpus/kapso/`)
// ---------------------------------------------------------------------------------------------

/// The event each corpus file is an example of, and the body to parse (fragments of a message
/// are parsed as a message event; a status-history item inside a message's `kapso.statuses`).
fn corpus_case(file_name: &str, body: Vec<u8>) -> (&'static str, Vec<u8>) {
    let name = match file_name {
        "fragment.message.kapso.statuses-item.json" => {
            let item: Value = serde_json::from_slice(&body).unwrap();
            let wrapped = json!({"message": {"kapso": {"statuses": [item]}}});
            return (
                "whatsapp.message.failed",
                serde_json::to_vec(&wrapped).unwrap(),
            );
        }
        n if n.starts_with("fragment.message.") => "whatsapp.message.received",
        "whatsapp.account.restricted.UNVERIFIED.json" => "whatsapp.account.restricted",
        "whatsapp.config.created.v1.partial.json" => "whatsapp.config.created",
        "whatsapp.message.received.batch.json" | "whatsapp.message.received.bsuid.json" => {
            "whatsapp.message.received"
        }
        "whatsapp.conversation.created.json" => "whatsapp.conversation.created",
        "whatsapp.conversation.ended.json" => "whatsapp.conversation.ended",
        "whatsapp.conversation.inactive.json" => "whatsapp.conversation.inactive",
        "whatsapp.message.delivered.json" => "whatsapp.message.delivered",
        "whatsapp.message.failed.json" => "whatsapp.message.failed",
        "whatsapp.message.received.json" => "whatsapp.message.received",
        "whatsapp.message.sent.json" => "whatsapp.message.sent",
        "whatsapp.phone_number.created.json" => "whatsapp.phone_number.created",
        "whatsapp.phone_number.deleted.json" => "whatsapp.phone_number.deleted",
        "workflow.execution.failed.json" => "workflow.execution.failed",
        "workflow.execution.handoff.json" => "workflow.execution.handoff",
        other => panic!("new corpus file {other}: add it to corpus_case and check its fields"),
    };
    (name, body)
}

#[test]
fn every_corpus_example_parses_typed_and_lossless() {
    let files = kapso_corpus();
    assert!(files.len() >= 22, "corpus files: {}", files.len());
    for example in files {
        let file_name = example.name;
        let (name, body) = corpus_case(&file_name, read(&example.body));
        let delivery = parse_lossless(&headers_for(name), &body, &file_name);
        check_corpus_example(&file_name, &delivery);
    }
}

/// Typed fields of each corpus example, checked against the values in the file.
fn check_corpus_example(file: &str, delivery: &KapsoDelivery) {
    let event = &delivery.events()[0];
    match file {
        "whatsapp.message.received.json" => {
            let payload = message_event(event);
            let message = payload.message.as_ref().unwrap();
            assert_eq!(message.id.as_deref(), Some("wamid.123"));
            assert_eq!(message.message_type, Some(MessageType::Text));
            assert_eq!(message.text_body(), Some("Hello"));
            assert_eq!(message.to_datetime().unwrap().timestamp(), 1_730_092_800);
            let kapso = message.kapso.as_ref().unwrap();
            assert_eq!(kapso.direction, Some(Direction::Inbound));
            assert_eq!(kapso.status, Some(KapsoStatus::Received));
            assert_eq!(kapso.processing_status, Some(ProcessingStatus::Pending));
            assert_eq!(kapso.origin, Some(MessageOrigin::CloudApi));
            assert_eq!(kapso.has_media, Some(false));
            assert_eq!(kapso.content.as_deref(), Some("Hello"));
            assert!(kapso.extra.is_empty(), "{file}: {:?}", kapso.extra);
            let conversation = payload.conversation.as_ref().unwrap();
            assert_eq!(conversation.id.as_deref(), Some("conv_123"));
            assert_eq!(conversation.phone_number.as_deref(), Some("+15551234567"));
            assert_eq!(conversation.status, Some(ConversationStatus::Active));
            assert_eq!(conversation.contact_name(), Some("John Doe"));
            assert!(
                conversation.extra.is_empty(),
                "{file}: {:?}",
                conversation.extra
            );
            let summary = conversation.kapso.as_ref().unwrap();
            assert_eq!(summary.messages_count, Some(1));
            assert_eq!(summary.last_message_type, Some(MessageType::Text));
            assert_eq!(summary.last_outbound_at, None);
            assert_only_nulls(&summary.extra, file);
            assert_eq!(payload.is_new_conversation, Some(true));
            assert_eq!(event.phone_number_id(), Some("123456789012345"));
            assert_eq!(payload.user().preferred_id(), Some("+15551234567"));
        }
        "whatsapp.message.received.bsuid.json" => {
            let payload = message_event(event);
            let message = payload.message.as_ref().unwrap();
            assert_eq!(message.id.as_deref(), Some("wamid.123"));
            let sender = message.sender();
            assert_eq!(sender.phone_number, Some("16315551181"));
            assert_eq!(sender.user_id, Some("US.13491208655302741918"));
            assert_eq!(sender.parent_user_id, Some("US.ENT.506847293015824"));
            assert_eq!(message.username.as_deref(), Some("@testusername"));
            assert_eq!(sender.username, Some("@testusername"));
            let conversation = payload.conversation.as_ref().unwrap();
            assert_eq!(
                conversation.identity().user_id,
                Some("US.13491208655302741918")
            );
            assert_eq!(conversation.contact_name(), Some("John Doe"));
            // ISO 8601 with an offset.
            let last = conversation.last_active_at.as_ref().unwrap();
            assert_eq!(
                last.to_datetime().unwrap().to_rfc3339(),
                "2025-10-28T17:25:01+00:00"
            );
            let summary = conversation.kapso.as_ref().unwrap();
            assert_eq!(
                summary
                    .last_message_timestamp
                    .as_ref()
                    .unwrap()
                    .to_unix_seconds(),
                last.to_unix_seconds()
            );
            assert!(
                conversation.extra.is_empty(),
                "{file}: {:?}",
                conversation.extra
            );
            assert_eq!(
                payload.user().preferred_id(),
                Some("US.13491208655302741918")
            );
        }
        "whatsapp.message.sent.json"
        | "whatsapp.message.delivered.json"
        | "whatsapp.message.failed.json" => {
            let payload = message_event(event);
            let message = payload.message.as_ref().unwrap();
            let kapso = message.kapso.as_ref().unwrap();
            assert!(kapso.extra.is_empty(), "{file}: {:?}", kapso.extra);
            assert_eq!(kapso.direction, Some(Direction::Outbound));
            assert_eq!(kapso.processing_status, Some(ProcessingStatus::Completed));
            let statuses = kapso.statuses.as_ref().unwrap();
            for status in statuses {
                assert_eq!(status.id, message.id);
                assert_eq!(status.recipient_id.as_deref(), Some("15551234567"));
                assert!(status.extra.is_empty(), "{file}: {:?}", status.extra);
            }
            assert_eq!(
                payload.conversation.as_ref().unwrap().id.as_deref(),
                Some("conv_123")
            );
            assert_eq!(payload.is_new_conversation, Some(false));
            let last = statuses.last().unwrap();
            match file {
                "whatsapp.message.sent.json" => {
                    assert_eq!(message.id.as_deref(), Some("wamid.456"));
                    assert_eq!(kapso.status, Some(KapsoStatus::Sent));
                    assert_eq!(statuses.len(), 1);
                    assert_eq!(last.status, Some(StatusKind::Sent));
                }
                "whatsapp.message.delivered.json" => {
                    assert_eq!(message.id.as_deref(), Some("wamid.456"));
                    assert_eq!(kapso.status, Some(KapsoStatus::Delivered));
                    assert_eq!(statuses.len(), 2);
                    assert_eq!(last.status, Some(StatusKind::Delivered));
                    assert_eq!(last.to_datetime().unwrap().timestamp(), 1_730_092_888);
                }
                _ => {
                    assert_eq!(message.id.as_deref(), Some("wamid.789"));
                    assert_eq!(kapso.status, Some(KapsoStatus::Failed));
                    assert_eq!(last.status, Some(StatusKind::Failed));
                    let error = &last.errors.as_ref().unwrap()[0];
                    assert_eq!(error.code, Some(131_047));
                    assert_eq!(error.title.as_deref(), Some("Re-engagement message"));
                }
            }
        }
        "whatsapp.message.received.batch.json" => {
            assert!(delivery.is_batch());
            let batch = delivery.batch().unwrap();
            assert_eq!(batch.event_type, Some(KapsoEventName::MessageReceived));
            assert_eq!(batch.batch, Some(true));
            let info = batch.batch_info.as_ref().unwrap();
            assert_eq!(info.size, Some(2));
            assert_eq!(info.window_ms, Some(5000));
            assert_eq!(
                (info.first_sequence, info.last_sequence),
                (Some(101), Some(102))
            );
            assert_eq!(info.conversation_id.as_deref(), Some("conv_123"));
            assert!(info.extra.is_empty());
            let ids: Vec<_> = delivery
                .messages()
                .map(|m| m.id.as_deref().unwrap())
                .collect();
            assert_eq!(ids, ["wamid.111", "wamid.112"]);
            let texts: Vec<_> = delivery
                .messages()
                .map(|m| m.text_body().unwrap())
                .collect();
            assert_eq!(texts, ["First in batch", "Second in batch"]);
            for event in delivery.events() {
                let kapso = event.message().unwrap().kapso.as_ref().unwrap();
                assert_eq!(kapso.phone_number.as_deref(), Some("+15551234567"));
                assert_eq!(kapso.phone_number_id.as_deref(), Some("123456789012345"));
                assert!(kapso.extra.is_empty());
                assert_eq!(event.conversation().unwrap().id, info.conversation_id);
            }
        }
        "fragment.message.audio.json" => {
            let message = event.message().unwrap();
            assert_eq!(message.id.as_deref(), Some("wamid.790"));
            assert_eq!(message.media().unwrap().id.as_deref(), Some("media_id_456"));
            let kapso = message.kapso.as_ref().unwrap();
            assert_eq!(
                kapso.transcript.as_ref().unwrap().text.as_deref(),
                Some("Hello, I need help with my order")
            );
            let media = kapso.media_data.as_ref().unwrap();
            assert_eq!(media.filename.as_deref(), Some("voice.ogg"));
            assert_eq!(media.content_type.as_deref(), Some("audio/ogg"));
            assert_eq!(media.byte_size, Some(51_200));
            assert_eq!(kapso.has_media, Some(true));
            assert!(kapso.extra.is_empty());
            // A fragment has no conversation: not required.
            assert_eq!(event.conversation(), None);
        }
        "fragment.message.image.json" => {
            let message = event.message().unwrap();
            assert_eq!(message.id.as_deref(), Some("wamid.789"));
            assert_eq!(message.text_body(), Some("Photo description"));
            let kapso = message.kapso.as_ref().unwrap();
            assert_eq!(kapso.media_data.as_ref().unwrap().byte_size, Some(204_800));
            assert_eq!(
                kapso.media_url.as_deref(),
                Some("https://api.kapso.ai/media/...")
            );
            assert_eq!(
                kapso.message_type_data.as_ref().map(|raw| raw.value()),
                Some(&json!({"caption": "Photo description"}))
            );
            assert!(kapso.extra.is_empty());
        }
        "fragment.message.interactive.json" => {
            let message = event.message().unwrap();
            assert_eq!(message.message_type, Some(MessageType::Interactive));
            assert_eq!(message.text_body(), Some("Confirm"));
            let reply = message.interactive.as_ref().unwrap().button_reply.as_ref();
            assert_eq!(reply.unwrap().id.as_deref(), Some("btn_1"));
        }
        "fragment.message.location.json" => {
            let location = event.message().unwrap().location.as_ref().unwrap();
            assert_eq!(location.coordinates(), Some((37.7749, -122.4194)));
            assert_eq!(location.name.as_deref(), Some("San Francisco"));
        }
        "fragment.message.reaction.json" => {
            let reaction = event.message().unwrap().reaction.as_ref().unwrap();
            assert_eq!(
                reaction.message_id.as_deref(),
                Some("wamid.HBgNNTU0MTIzNDU2Nzg5MA")
            );
            assert_eq!(reaction.emoji.as_deref(), Some("👍"));
        }
        "fragment.message.template.json" => {
            let message = event.message().unwrap();
            assert_eq!(message.message_type, Some(MessageType::Template));
            let template = message.template.as_ref().unwrap();
            assert_eq!(template.name.as_deref(), Some("order_confirmation"));
            assert_eq!(
                template.language.as_ref().and_then(|l| l.code.as_deref()),
                Some("en_US")
            );
            assert!(
                message.unknown_keys().is_empty(),
                "{:?}",
                message.unknown_keys()
            );
        }
        "fragment.message.kapso.statuses-item.json" => {
            let kapso = event.message().unwrap().kapso.as_ref().unwrap();
            let status = &kapso.statuses.as_ref().unwrap()[0];
            assert_eq!(status.id.as_deref(), Some("<WHATSAPP_MESSAGE_ID>"));
            assert_eq!(status.status, Some(StatusKind::from("<STATUS>")));
            assert_eq!(status.recipient_id.as_deref(), Some("<PHONE_NUMBER>"));
            let pricing = status.pricing.as_ref().unwrap();
            assert_eq!(pricing.billable, Some(true));
            assert_eq!(
                pricing.pricing_model,
                Some(PricingModel::from("<PRICING_MODEL>"))
            );
            let error = &status.errors.as_ref().unwrap()[0];
            assert_eq!(error.code, Some(131_031));
            assert_eq!(error.description(), Some("<ERROR_DETAILS>"));
            assert_eq!(error.href.as_deref(), Some("<ERROR_CODES_URL>"));
        }
        "whatsapp.conversation.created.json"
        | "whatsapp.conversation.ended.json"
        | "whatsapp.conversation.inactive.json" => {
            let KapsoPayload::Conversation(payload) = event.payload() else {
                panic!("{file}: {:?}", event.payload())
            };
            let conversation = payload.conversation.as_ref().unwrap();
            assert_eq!(conversation.id.as_deref(), Some("conv_789"));
            assert_eq!(
                conversation.phone_number_id.as_deref(),
                Some("123456789012345")
            );
            assert_eq!(event.phone_number_id(), Some("123456789012345"));
            assert!(
                conversation.extra.is_empty(),
                "{file}: {:?}",
                conversation.extra
            );
            if let Some(summary) = &conversation.kapso {
                assert_only_nulls(&summary.extra, file);
            }
            match file {
                "whatsapp.conversation.created.json" => {
                    let summary = conversation.kapso.as_ref().unwrap();
                    assert_eq!(summary.messages_count, Some(0));
                    assert_eq!(summary.extra.len(), 6);
                }
                "whatsapp.conversation.ended.json" => {
                    assert_eq!(conversation.status, Some(ConversationStatus::Ended));
                    let summary = conversation.kapso.as_ref().unwrap();
                    assert_eq!(summary.messages_count, Some(15));
                    assert_eq!(summary.last_message_text.as_deref(), Some("Thanks!"));
                    assert_eq!(summary.last_message_id.as_deref(), Some("wamid.999"));
                }
                _ => {
                    let since = payload.since_message.as_ref().unwrap();
                    assert_eq!(since.id.as_deref(), Some("msg_anchor"));
                    assert_eq!(since.whatsapp_message_id.as_deref(), Some("wamid.ANCHOR"));
                    assert_eq!(since.direction, Some(Direction::Inbound));
                    assert_eq!(payload.inactivity.as_ref().unwrap().minutes, Some(60));
                    assert!(payload.extra.is_empty());
                }
            }
        }
        "whatsapp.phone_number.created.json" | "whatsapp.phone_number.deleted.json" => {
            let KapsoPayload::PhoneNumber(payload) = event.payload() else {
                panic!("{file}: {:?}", event.payload())
            };
            assert_eq!(payload.phone_number_id.as_deref(), Some("123456789012345"));
            assert_eq!(
                payload.project.as_ref().unwrap().id.as_deref(),
                Some("990e8400-e29b-41d4-a716-446655440004")
            );
            assert_eq!(
                payload.customer.as_ref().unwrap().id.as_deref(),
                Some("880e8400-e29b-41d4-a716-446655440003")
            );
        }
        "workflow.execution.handoff.json" | "workflow.execution.failed.json" => {
            let KapsoPayload::Workflow(payload) = event.payload() else {
                panic!("{file}: {:?}", event.payload())
            };
            assert_eq!(payload.event.as_ref(), event.name());
            assert_eq!(
                payload.workflow_execution_id.as_deref(),
                Some("770e8400-e29b-41d4-a716-446655440002")
            );
            assert_eq!(
                payload.whatsapp_conversation_id.as_deref(),
                Some("conv_789")
            );
            assert_eq!(
                payload.occurred_at.as_ref().unwrap().to_unix_seconds(),
                Some(1_765_195_200)
            );
            assert!(payload.extra.is_empty(), "{file}: {:?}", payload.extra);
            if file == "workflow.execution.handoff.json" {
                let handoff = payload.handoff.as_ref().unwrap();
                assert_eq!(handoff.source, Some(HandoffSource::AgentTool));
                assert_eq!(
                    handoff.reason.as_deref(),
                    Some("User requested human assistance")
                );
            } else {
                let error = payload.error.as_ref().unwrap();
                assert_eq!(
                    error.message.as_deref(),
                    Some("Workflow execution timed out")
                );
            }
        }
        "whatsapp.config.created.v1.partial.json" => {
            assert!(event.is_legacy());
            assert_eq!(delivery.version(), &PayloadVersion::V1);
            let KapsoPayload::Legacy(payload) = event.payload() else {
                unreachable!()
            };
            let config = payload.whatsapp_config.as_ref().unwrap();
            assert_eq!(
                config.id.as_deref(),
                Some("770e8400-e29b-41d4-a716-446655440002")
            );
            assert_eq!(config.is_coexistence, Some(false));
            assert_eq!(
                config.display_phone_number_normalized.as_deref(),
                Some("15551234567")
            );
            assert!(config.extra.is_empty(), "{:?}", config.extra);
            assert_eq!(event.phone_number_id(), Some("123456789012345"));
            let customer = payload.customer.as_ref().unwrap();
            assert_eq!(
                customer.external_customer_id.as_deref(),
                Some("acme-corp-123")
            );
            assert_eq!(
                payload.setup_link.as_ref().unwrap().id.as_deref(),
                Some("aa0e8400-e29b-41d4-a716-446655440005")
            );
        }
        "whatsapp.account.restricted.UNVERIFIED.json" => {
            assert_eq!(
                event.name(),
                Some(&KapsoEventName::from("whatsapp.account.restricted"))
            );
            assert_eq!(event.name(), Some(&KapsoEventName::AccountRestricted));
            let KapsoPayload::Account(payload) = event.payload() else {
                panic!("{file}: {:?}", event.payload())
            };
            assert_eq!(
                payload.business_account_id.as_deref(),
                Some("102290129340398")
            );
            assert_eq!(payload.event, Some(KapsoEventName::AccountRestricted));
            let restriction = &payload.restrictions.as_ref().unwrap()[0];
            assert_eq!(
                restriction.restriction_type.as_deref(),
                Some("RESTRICTED_BIZ_INITIATED_MESSAGING")
            );
            assert_eq!(
                restriction.expires_at.as_ref().unwrap().to_unix_seconds(),
                Some(1_789_387_200)
            );
            let numbers = payload.phone_numbers.as_ref().unwrap();
            assert_eq!(numbers[0].id.as_deref(), Some("123456789012345"));
            let source = payload.source.as_ref().unwrap();
            assert_eq!(source.event.as_deref(), Some("ACCOUNT_RESTRICTION"));
            assert!(payload
                .occurred_at
                .as_ref()
                .and_then(|t| t.to_datetime())
                .is_some());
            assert!(
                event.payload().unknown_keys().is_empty(),
                "{file}: {:?}",
                event.payload().unknown_keys()
            );
            assert_eq!(
                event.dedupe_key().as_deref(),
                Some("whatsapp.account.restricted:wae_restricted_1")
            );
        }
        other => panic!("no checks for {other}"),
    }
}

#[test]
fn corpus_names_come_from_the_body_when_there_is_no_header() {
    let dir = shared("corpus/kapso");
    // The workflow events and the unverified account event name themselves in the body.
    for (file, name) in [
        (
            "workflow.execution.handoff.json",
            "workflow.execution.handoff",
        ),
        (
            "workflow.execution.failed.json",
            "workflow.execution.failed",
        ),
        (
            "whatsapp.account.restricted.UNVERIFIED.json",
            "whatsapp.account.restricted",
        ),
    ] {
        let events = parse_kapso_delivery(&KapsoHeaders::default(), &read(&dir.join(file)))
            .unwrap()
            .into_events();
        assert_eq!(events[0].name().map(KapsoEventName::as_str), Some(name));
    }
    // The batch names its items in `type`.
    let body = read(&dir.join("whatsapp.message.received.batch.json"));
    let events = parse_kapso_delivery(&KapsoHeaders::default(), &body)
        .unwrap()
        .into_events();
    assert_eq!(events.len(), 2);
    assert!(events
        .iter()
        .all(|e| e.name() == Some(&KapsoEventName::MessageReceived)));
    assert!(events
        .iter()
        .all(|e| matches!(e.payload(), KapsoPayload::Message(_))));
    // v2 message events carry no name: without a header they are kept whole.
    let body = read(&dir.join("whatsapp.message.received.json"));
    let events = parse_kapso_delivery(&KapsoHeaders::default(), &body)
        .unwrap()
        .into_events();
    assert_eq!(events[0].name(), None);
    assert!(matches!(events[0].payload(), KapsoPayload::Unknown(_)));
    assert_eq!(events[0].to_json()["event"], Value::Null);
}

// ---------------------------------------------------------------------------------------------
// Our own fixtures (`fixtures/kapso/<event name>/<case>.json`, invented values)
// ---------------------------------------------------------------------------------------------

/// The headers a fixture is delivered with: its event (the folder name), `v1` for `v1_*`
/// cases, the batch headers for `batch_*` cases.
fn fixture_headers(event: &str, case: &str, body: &[u8]) -> KapsoHeaders {
    let mut pairs = vec![
        ("X-Webhook-Event".to_owned(), event.to_owned()),
        ("X-Idempotency-Key".to_owned(), format!("{event}/{case}")),
    ];
    if case.starts_with("v1") {
        pairs.push(("X-Webhook-Payload-Version".to_owned(), "v1".to_owned()));
    } else {
        pairs.push(("X-Webhook-Payload-Version".to_owned(), "v2".to_owned()));
    }
    if case.starts_with("batch") {
        let value: Value = serde_json::from_slice(body).unwrap();
        let size = value["data"].as_array().unwrap().len();
        pairs.push(("X-Webhook-Batch".to_owned(), "true".to_owned()));
        pairs.push(("X-Batch-Size".to_owned(), size.to_string()));
    }
    KapsoHeaders::from_pairs(pairs)
}

fn fixture(event: &str, case: &str) -> KapsoDelivery {
    let body = read(&kapso_fixture(event, case));
    let headers = fixture_headers(event, case, &body);
    parse_lossless(&headers, &body, &format!("{event}/{case}"))
}

#[test]
fn every_fixture_parses_lossless_with_and_without_headers() {
    let mut count = 0;
    for KapsoCase {
        event,
        case,
        body: path,
        ..
    } in kapso_fixtures()
    {
        let delivery = fixture(&event, &case);
        assert_eq!(
            delivery.idempotency_key(),
            Some(format!("{event}/{case}").as_str())
        );
        for parsed in delivery.events() {
            assert_eq!(
                parsed.name().map(KapsoEventName::as_str),
                Some(event.as_str())
            );
            // Each known event is typed (the handover event, whose payload Kapso does not
            // document, is kept whole as `Handover`); only the invented event is `Unknown`.
            let unknown = matches!(parsed.payload(), KapsoPayload::Unknown(_));
            assert_eq!(
                unknown,
                KapsoEventName::from(event.as_str()).is_other(),
                "{event}/{case}"
            );
        }
        // With the event name only (as the command line gives it), the same events.
        let body = read(&path);
        let by_name = parse_kapso_delivery(&KapsoHeaders::for_event(event.as_str()), &body)
            .unwrap()
            .into_events();
        assert_eq!(by_name, delivery.events(), "{event}/{case}");
        count += 1;
    }
    assert!(count >= 22, "fixtures: {count}");
}

#[test]
fn fixture_text_with_phone_and_bsuid() {
    let delivery = fixture("whatsapp.message.received", "text_phone_and_bsuid");
    assert_eq!(delivery.version(), &PayloadVersion::V2);
    let event = &delivery.events()[0];
    let payload = message_event(event);
    let message = payload.message.as_ref().unwrap();
    assert_eq!(message.text_body(), Some("Hola, ¿tienen la talla M?"));
    assert_eq!(message.sender().phone_number, Some("15550104321"));
    assert_eq!(message.direction(), Some(&Direction::Inbound));
    assert_eq!(message.dedupe_key().as_deref(), message.id.as_deref());
    let conversation = payload.conversation.as_ref().unwrap();
    // 06:00 at -03:00 is 09:00 UTC; fractional seconds are read too.
    let last = conversation
        .last_active_at
        .as_ref()
        .unwrap()
        .to_datetime()
        .unwrap();
    assert_eq!(last.to_rfc3339(), "2026-03-02T09:00:00+00:00");
    let updated = conversation
        .updated_at
        .as_ref()
        .unwrap()
        .to_datetime()
        .unwrap();
    assert_eq!(updated.timestamp_subsec_millis(), 250);
    // Metadata keys are camelCased like every other key.
    assert_eq!(
        conversation.metadata.as_ref().unwrap()["crmId"],
        "lead-2291"
    );
    assert_eq!(conversation.contact_name(), Some("Ana Ruiz"));
    let user = payload.user();
    assert_eq!(user.phone_number, Some("+15550104321"));
    assert_eq!(user.preferred_id(), Some("US.8410736325491046"));
    let summary = conversation.kapso.as_ref().unwrap();
    assert_eq!(summary.last_message_id, message.id);
    assert_eq!(summary.extra.keys().collect::<Vec<_>>(), ["lastOutboundAt"]);
}

#[test]
fn fixture_bsuid_only_user_has_no_phone_number() {
    let delivery = fixture("whatsapp.message.received", "bsuid_only");
    let payload = message_event(&delivery.events()[0]);
    let message = payload.message.as_ref().unwrap();
    assert_eq!(message.from, None);
    assert_eq!(message.sender().preferred_id(), Some("US.5520918374650021"));
    assert_eq!(
        message.sender().parent_user_id,
        Some("US.ENT.7301928374655")
    );
    let conversation = payload.conversation.as_ref().unwrap();
    let identity = conversation.identity();
    assert_eq!(identity.phone_number, None);
    assert_eq!(identity.user_id, Some("US.5520918374650021"));
    assert_eq!(identity.username, Some("@lucia.dev"));
    let user = payload.user();
    assert_eq!(user.phone_number, None);
    assert_eq!(user.preferred_id(), Some("US.5520918374650021"));
    assert!(conversation.extra.is_empty(), "{:?}", conversation.extra);

    let created = fixture("whatsapp.conversation.created", "bsuid_only");
    let conversation = created.events()[0].conversation().unwrap();
    assert_eq!(conversation.identity().phone_number, None);
    assert_eq!(
        conversation.identity().parent_user_id,
        Some("US.ENT.7301928374655")
    );
    assert_eq!(conversation.contact_name(), Some("Lucía"));
    let summary = conversation.kapso.as_ref().unwrap();
    assert_eq!(summary.messages_count, Some(0));
    assert_eq!(summary.extra.len(), 6);
    assert_only_nulls(&summary.extra, "conversation.created/bsuid_only");
}

#[test]
fn fixture_media_and_transcript() {
    let image = fixture("whatsapp.message.received", "image_media");
    let message = image.events()[0].message().unwrap();
    assert_eq!(message.text_body(), Some("Así llegó la caja"));
    assert_eq!(
        message.media().unwrap().mime_type.as_deref(),
        Some("image/jpeg")
    );
    let kapso = message.kapso.as_ref().unwrap();
    assert_eq!(kapso.has_media, Some(true));
    let media = kapso.media_data.as_ref().unwrap();
    assert_eq!(media.url, kapso.media_url);
    assert_eq!(media.byte_size, Some(317_440));
    assert_eq!(
        kapso.message_type_data.as_ref().unwrap()["caption"],
        "Así llegó la caja"
    );
    assert!(kapso.extra.is_empty());

    let audio = fixture("whatsapp.message.received", "audio_transcript");
    let message = audio.events()[0].message().unwrap();
    assert_eq!(message.audio.as_ref().unwrap().voice, Some(true));
    let kapso = message.kapso.as_ref().unwrap();
    assert_eq!(
        kapso.transcript.as_ref().unwrap().text.as_deref(),
        Some("¿A qué hora abren mañana?")
    );
    assert!(kapso
        .content
        .as_deref()
        .unwrap()
        .ends_with("¿A qué hora abren mañana?"));
}

#[test]
fn fixture_missing_optional_parts() {
    let delivery = fixture("whatsapp.message.received", "minimal");
    let event = &delivery.events()[0];
    let payload = message_event(event);
    assert_eq!(payload.conversation, None);
    assert_eq!(payload.is_new_conversation, None);
    assert_eq!(event.phone_number_id(), None);
    let message = payload.message.as_ref().unwrap();
    assert_eq!(message.kapso, None);
    assert_eq!(message.direction(), None);
    assert_eq!(message.text_body(), Some("ok"));
    assert!(payload.user().is_empty());
}

#[test]
fn fixture_batch_of_three() {
    let delivery = fixture("whatsapp.message.received", "batch_three");
    assert!(delivery.is_batch());
    assert_eq!(delivery.headers().batch, Some(true));
    assert_eq!(delivery.headers().batch_size, Some(3));
    let info = delivery.batch().unwrap().batch_info.as_ref().unwrap();
    assert_eq!(info.size, Some(3));
    assert_eq!(info.window_ms, Some(3000));
    assert_eq!(
        (info.first_sequence, info.last_sequence),
        (Some(41), Some(43))
    );
    assert_eq!(delivery.events().len(), 3);
    let ids: Vec<_> = delivery
        .messages()
        .map(|m| m.id.as_deref().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["wamid.BATCH0001", "wamid.BATCH0002", "wamid.BATCH0003"]
    );
    let new: Vec<_> = delivery
        .events()
        .iter()
        .map(|e| message_event(e).is_new_conversation.unwrap())
        .collect();
    assert_eq!(new, [true, false, false]);
    for event in delivery.events() {
        assert_eq!(event.name(), Some(&KapsoEventName::MessageReceived));
        assert_eq!(event.conversation().unwrap().id, info.conversation_id);
    }
    let location = delivery.events()[2]
        .message()
        .unwrap()
        .location
        .as_ref()
        .unwrap();
    assert_eq!(location.coordinates(), Some((-34.6037, -58.3816)));
    // The lines the CLI prints: one per event, each with the name.
    let lines: Vec<Value> = delivery.event_values().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["event"], "whatsapp.message.received");
    assert_eq!(lines[1]["message"]["text"]["body"], "quería preguntar");
    assert_eq!(
        lines[2]["message"]["kapso"]["phoneNumberId"],
        "109283746550123"
    );
}

#[test]
fn batches_are_detected_from_the_body_or_the_header() {
    let path = kapso_fixture("whatsapp.message.received", "batch_three");
    let body = read(&path);
    // From the body alone (`batch: true` and a `data` array).
    let delivery = parse_kapso_delivery(&KapsoHeaders::default(), &body).unwrap();
    assert!(delivery.is_batch());
    assert_eq!(delivery.events().len(), 3);
    // From the header alone, when the body lacks `batch: true`.
    let mut value: Value = serde_json::from_slice(&body).unwrap();
    value.as_object_mut().unwrap().remove("batch");
    let body = serde_json::to_vec(&value).unwrap();
    let single = parse_kapso_delivery(&KapsoHeaders::default(), &body).unwrap();
    assert!(!single.is_batch());
    assert_eq!(single.events().len(), 1);
    let headers = KapsoHeaders::from_pairs([("x-webhook-batch", "TRUE")]);
    let batch = parse_kapso_delivery(&headers, &body).unwrap();
    assert!(batch.is_batch());
    assert_eq!(batch.events().len(), 3);
    // The header without a `data` array: an ordinary delivery.
    let headers = KapsoHeaders::from_pairs([
        ("x-webhook-batch", "true"),
        ("x-webhook-event", "whatsapp.message.received"),
    ]);
    let delivery = parse_lossless(&headers, br#"{"message":{"id":"wamid.X"}}"#, "no data");
    assert!(!delivery.is_batch());
    assert_eq!(delivery.messages().count(), 1);
    // An empty batch has no events.
    let empty = parse_lossless(
        &KapsoHeaders::default(),
        br#"{"type":"whatsapp.message.received","batch":true,"data":[],"batch_info":{"size":0}}"#,
        "empty batch",
    );
    assert!(empty.is_batch());
    assert!(empty.events().is_empty());
    // An item that is not an object is kept whole; the others are typed.
    let mixed = parse_lossless(
        &KapsoHeaders::default(),
        br#"{"type":"whatsapp.message.received","batch":true,"data":[{"message":{"id":"a"}},7,null]}"#,
        "mixed batch",
    );
    assert!(matches!(
        mixed.events()[0].payload(),
        KapsoPayload::Message(_)
    ));
    assert_eq!(
        *mixed.events()[1].payload(),
        KapsoPayload::Unexpected(json!(7))
    );
    assert_eq!(
        *mixed.events()[2].payload(),
        KapsoPayload::Unexpected(Value::Null)
    );
    assert_eq!(
        mixed.events()[1].to_json(),
        json!({"event": "whatsapp.message.received", "payload": 7})
    );
}

#[test]
fn fixture_legacy_v1_message() {
    let delivery = fixture("whatsapp.message.received", "v1_legacy");
    assert_eq!(delivery.version(), &PayloadVersion::V1);
    let event = &delivery.events()[0];
    assert!(event.is_legacy());
    let KapsoPayload::Legacy(payload) = event.payload() else {
        unreachable!()
    };
    let message = payload.message.as_ref().unwrap();
    assert_eq!(message.message_type, Some(MessageType::Text));
    assert_eq!(message.content.as_deref(), Some("Hola desde v1"));
    assert_eq!(message.direction, Some(Direction::Inbound));
    assert_eq!(message.origin, Some(MessageOrigin::CloudApi));
    assert_eq!(
        message.whatsapp_message_id.as_deref(),
        Some("wamid.V1LEGACY0001")
    );
    assert!(message.extra.is_empty(), "{:?}", message.extra);
    let conversation = event.conversation().unwrap();
    assert_eq!(
        conversation.whatsapp_config_id,
        payload.whatsapp_config.as_ref().unwrap().id
    );
    assert_eq!(event.phone_number_id(), Some("109283746550123"));
    assert_eq!(event.message(), None);

    // Without the version header, `whatsapp_config` marks the body as v1.
    let body = read(&kapso_fixture("whatsapp.message.received", "v1_legacy"));
    let inferred = parse_kapso_delivery(&headers_for("whatsapp.message.received"), &body).unwrap();
    assert_eq!(inferred.version(), &PayloadVersion::V1);
    assert_eq!(inferred.events(), delivery.events());
    // An explicit `v2` header wins: the body is read as a v2 message event.
    let headers = KapsoHeaders::from_pairs([
        ("X-Webhook-Event", "whatsapp.message.received"),
        ("X-Webhook-Payload-Version", "v2"),
    ]);
    let v2 = parse_lossless(&headers, &body, "v1 body read as v2");
    assert_eq!(v2.version(), &PayloadVersion::V2);
    assert!(!v2.events()[0].is_legacy());
    assert!(message_event(&v2.events()[0])
        .extra
        .contains_key("whatsappConfig"));
}

#[test]
fn fixture_legacy_v1_config_created() {
    let delivery = fixture("whatsapp.config.created", "v1_connected");
    let event = &delivery.events()[0];
    assert_eq!(event.name(), Some(&KapsoEventName::ConfigCreated));
    let KapsoPayload::Legacy(payload) = event.payload() else {
        unreachable!()
    };
    let config = payload.whatsapp_config.as_ref().unwrap();
    assert_eq!(config.is_coexistence, Some(true));
    assert_eq!(
        config.display_phone_number_normalized.as_deref(),
        Some("447700900100")
    );
    assert_eq!(event.phone_number_id(), Some("118273645546372"));
    let project = payload.project.as_ref().unwrap();
    assert_eq!(project.description, None);
    assert!(project.extra["description"].is_null());
    let link = payload.setup_link.as_ref().unwrap();
    assert_eq!(link.extra["expiresAt"], "2026-02-27T08:00:00Z");
    assert_eq!(
        payload
            .customer
            .as_ref()
            .unwrap()
            .external_customer_id
            .as_deref(),
        Some("tsur-001")
    );
}

#[test]
fn fixture_outbound_statuses() {
    let sent = fixture("whatsapp.message.sent", "template");
    let message = sent.events()[0].message().unwrap();
    assert_eq!(message.message_type, Some(MessageType::Template));
    assert_eq!(message.recipient().phone_number, Some("15550104321"));
    let kapso = message.kapso.as_ref().unwrap();
    assert_eq!(kapso.status, Some(KapsoStatus::Sent));
    let pricing = kapso.statuses.as_ref().unwrap()[0]
        .pricing
        .as_ref()
        .unwrap();
    assert_eq!(pricing.pricing_model, Some(PricingModel::Pmp));
    assert_eq!(pricing.category, Some(PricingCategory::Utility));
    assert_eq!(pricing.pricing_type.as_deref(), Some("regular"));

    let delivered = fixture("whatsapp.message.delivered", "business_app_echo");
    let kapso = delivered.events()[0]
        .message()
        .unwrap()
        .kapso
        .as_ref()
        .unwrap();
    assert_eq!(kapso.origin, Some(MessageOrigin::BusinessApp));
    assert_eq!(kapso.status, Some(KapsoStatus::Delivered));
    let statuses = kapso.statuses.as_ref().unwrap();
    assert_eq!(statuses[1].pricing.as_ref().unwrap().billable, Some(false));
    assert_eq!(
        statuses[1].dedupe_key().as_deref(),
        Some("wamid.ECHO00000000000000000001:delivered")
    );

    let read_event = fixture("whatsapp.message.read", "bsuid_recipient");
    let payload = message_event(&read_event.events()[0]);
    let message = payload.message.as_ref().unwrap();
    assert_eq!(message.recipient().user_id, Some("US.5520918374650021"));
    let kinds: Vec<_> = message
        .kapso
        .as_ref()
        .unwrap()
        .statuses
        .as_ref()
        .unwrap()
        .iter()
        .map(|s| s.status.clone().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [StatusKind::Sent, StatusKind::Delivered, StatusKind::Read]
    );
    let last = &message.kapso.as_ref().unwrap().statuses.as_ref().unwrap()[2];
    assert_eq!(last.recipient().phone_number, None);
    assert_eq!(last.recipient().user_id, Some("US.5520918374650021"));
    assert_eq!(payload.user().phone_number, None);

    let failed = fixture("whatsapp.message.failed", "outside_window");
    let kapso = failed.events()[0]
        .message()
        .unwrap()
        .kapso
        .as_ref()
        .unwrap();
    assert_eq!(kapso.status, Some(KapsoStatus::Failed));
    let error = &kapso.statuses.as_ref().unwrap()[0].errors.as_ref().unwrap()[0];
    assert_eq!(error.code, Some(131_047));
    assert!(error
        .description()
        .unwrap()
        .starts_with("Message failed to send"));
}

#[test]
fn fixture_conversation_events() {
    let ended = fixture("whatsapp.conversation.ended", "ended");
    let conversation = ended.events()[0].conversation().unwrap();
    assert_eq!(conversation.status, Some(ConversationStatus::Ended));
    assert_eq!(
        conversation.metadata.as_ref().unwrap()["resolvedBy"],
        "agent-7"
    );
    let summary = conversation.kapso.as_ref().unwrap();
    assert_eq!(summary.messages_count, Some(9));
    assert_eq!(summary.last_message_type, Some(MessageType::Text));
    assert!(summary.extra.is_empty());

    let inactive = fixture("whatsapp.conversation.inactive", "thirty_minutes");
    let KapsoPayload::Conversation(payload) = inactive.events()[0].payload() else {
        unreachable!()
    };
    assert_eq!(payload.inactivity.as_ref().unwrap().minutes, Some(30));
    let since = payload.since_message.as_ref().unwrap();
    assert_eq!(
        since.whatsapp_message_id.as_deref(),
        Some("wamid.BATCH0003")
    );
    assert_eq!(
        since.created_at.as_ref().unwrap().to_unix_seconds(),
        payload
            .conversation
            .as_ref()
            .unwrap()
            .last_active_at
            .as_ref()
            .unwrap()
            .to_unix_seconds()
    );
}

#[test]
fn fixture_contact_events() {
    let changed = fixture("whatsapp.contact.identity_changed", "new_bsuid");
    let KapsoPayload::Contact(payload) = changed.events()[0].payload() else {
        unreachable!()
    };
    let contact = payload.contact.as_ref().unwrap();
    assert_eq!(contact.identity().user_id, Some("US.9988776655443322"));
    assert_eq!(contact.identity().phone_number, Some("15550104321"));
    assert_eq!(contact.sandbox, Some(false));
    let previous = payload.previous.as_ref().unwrap();
    assert_eq!(
        previous.business_scoped_user_id.as_deref(),
        Some("US.8410736325491046")
    );
    assert_eq!(previous.parent_business_scoped_user_id, None);
    assert!(previous.extra["parentBusinessScopedUserId"].is_null());

    let stopped = fixture("whatsapp.contact.marketing_preference_changed", "stopped");
    let KapsoPayload::Contact(payload) = stopped.events()[0].payload() else {
        unreachable!()
    };
    let preference = payload.marketing_preference.as_ref().unwrap();
    assert_eq!(preference.status, Some(MarketingPreferenceStatus::Stopped));
    assert_eq!(preference.previous_status, None);
    assert_eq!(preference.sequence, Some(3));
    assert_eq!(
        stopped.events()[0].phone_number_id(),
        Some("109283746550123")
    );
}

#[test]
fn fixture_project_events() {
    let created = fixture("whatsapp.phone_number.created", "connected");
    assert_eq!(
        serde_json::to_value(&created.events()[0]).unwrap(),
        json!({"event": "whatsapp.phone_number.created", "phoneNumberId": "118273645546372",
               "project": {"id": "2f3e4d5c-6b7a-4890-9a1b-2c3d4e5f6a7b"},
               "customer": {"id": "6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2910"}})
    );
    let deleted = fixture("whatsapp.phone_number.deleted", "removed");
    assert_eq!(
        deleted.events()[0].name(),
        Some(&KapsoEventName::PhoneNumberDeleted)
    );
    assert!(deleted.events()[0].name().unwrap().is_project_event());
    assert_eq!(
        deleted.events()[0].phone_number_id(),
        Some("118273645546372")
    );

    let handoff = fixture("workflow.execution.handoff", "action_step");
    let KapsoPayload::Workflow(payload) = handoff.events()[0].payload() else {
        unreachable!()
    };
    let details = payload.handoff.as_ref().unwrap();
    assert_eq!(details.source, Some(HandoffSource::ActionStep));
    assert_eq!(payload.tracking_id.as_deref(), Some("pedido-A-1042"));
    // The body's own `event` is not repeated in the line.
    let line = serde_json::to_string(&handoff.events()[0]).unwrap();
    assert_eq!(line.matches("\"event\"").count(), 1);

    let failed = fixture("workflow.execution.failed", "function_error");
    let KapsoPayload::Workflow(payload) = failed.events()[0].payload() else {
        unreachable!()
    };
    assert_eq!(payload.tracking_id, None);
    assert_eq!(
        payload.error.as_ref().unwrap().message.as_deref(),
        Some("Function step 'lookup_order' returned HTTP 502")
    );
}

#[test]
fn fixture_unknown_event_is_kept_whole() {
    let delivery = fixture("whatsapp.order.refunded", "unknown_event");
    let event = &delivery.events()[0];
    assert_eq!(
        event.name(),
        Some(&KapsoEventName::from("whatsapp.order.refunded"))
    );
    assert_eq!(event.phone_number_id(), Some("109283746550123"));
    assert_eq!(event.conversation(), None);
    assert_eq!(
        event.to_json(),
        json!({
            "event": "whatsapp.order.refunded",
            "refund": {"orderId": "A-1042", "amountCents": 15900, "currency": "ARS"},
            "conversation": {"id": "7c1e9a40-52d3-4f8b-9e61-0a2b3c4d5e6f"},
            "phoneNumberId": "109283746550123"
        })
    );
}

// ---------------------------------------------------------------------------------------------
// Headers, signatures, errors, odd bodies
// ---------------------------------------------------------------------------------------------

#[test]
fn headers_are_read_case_insensitively_first_one_wins() {
    let headers = KapsoHeaders::from_pairs([
        ("CONTENT-TYPE", "application/json"),
        ("x-WEBHOOK-event", " whatsapp.message.sent "),
        ("X-Webhook-Event", "whatsapp.message.read"),
        ("X-Webhook-Signature", "ab12"),
        ("x-idempotency-key", "idem-1"),
        ("X-Webhook-Payload-Version", "v3"),
        ("X-Webhook-Batch", "yes"),
        ("X-Batch-Size", " 12 "),
    ]);
    assert_eq!(headers.event, Some(KapsoEventName::MessageSent));
    assert_eq!(headers.signature.as_deref(), Some("ab12"));
    assert_eq!(headers.idempotency_key.as_deref(), Some("idem-1"));
    assert_eq!(headers.payload_version, Some(PayloadVersion::from("v3")));
    assert_eq!(headers.batch, None);
    assert_eq!(headers.batch_size, Some(12));

    // Blank values are absent; the first occurrence counts even when blank.
    let headers = KapsoHeaders::from_pairs([
        ("x-webhook-event", "  "),
        ("x-webhook-event", "whatsapp.message.sent"),
        ("x-webhook-batch", "False"),
    ]);
    assert_eq!(headers.event, None);
    assert_eq!(headers.batch, Some(false));

    // Each header goes to its own field, and for each the first occurrence counts, even when
    // its value does not parse.
    let headers = KapsoHeaders::from_pairs([
        ("X-Batch-Size", "many"),
        ("X-Webhook-Batch", "yes"),
        ("x-webhook-signature", "first"),
        ("X-IDEMPOTENCY-KEY", "k-1"),
        ("x-webhook-payload-version", "v1"),
        ("x-batch-size", "3"),
        ("x-webhook-batch", "true"),
        ("X-Webhook-Signature", "second"),
        ("x-idempotency-key", "k-2"),
        ("X-Webhook-Payload-Version", "v2"),
        ("X-Webhook-Event", "project.event"),
        ("x-webhook-event", "whatsapp.message.sent"),
        ("x-webhook-event-extra", "whatsapp.message.read"),
    ]);
    assert_eq!(headers.batch_size, None);
    assert_eq!(headers.batch, None);
    assert_eq!(headers.signature.as_deref(), Some("first"));
    assert_eq!(headers.idempotency_key.as_deref(), Some("k-1"));
    assert_eq!(headers.payload_version, Some(PayloadVersion::V1));
    assert_eq!(headers.event, Some(KapsoEventName::ProjectEvent));

    // Byte values; invalid UTF-8 is read lossily.
    let pairs: Vec<(&str, &[u8])> = vec![
        ("x-webhook-event", b"workflow.execution.failed"),
        ("x-webhook-signature", b"\xff\xfe"),
    ];
    let headers = KapsoHeaders::from_pairs(pairs);
    assert_eq!(headers.event, Some(KapsoEventName::WorkflowExecutionFailed));
    assert_eq!(headers.signature.as_deref(), Some("\u{fffd}\u{fffd}"));
    assert!(matches!(
        kapso_verify(b"{}", headers.signature.as_deref(), &["secret"]),
        Err(VerifyError::Invalid {
            error: SignatureError::Malformed(_),
            ..
        })
    ));

    assert_eq!(
        KapsoHeaders::from_pairs(Vec::<(String, String)>::new()),
        KapsoHeaders::default()
    );
}

/// Checks a Kapso signature header value (`None`: absent) over `body` with a [`Verifier`]
/// holding `secrets` as Kapso webhook secrets.
fn kapso_verify(body: &[u8], signature: Option<&str>, secrets: &[&str]) -> Result<(), VerifyError> {
    let verifier = secrets.iter().fold(Verifier::new(), |verifier, secret| {
        verifier.with_kapso_secret(*secret).expect("non-empty")
    });
    let headers: Vec<(&str, &str)> = signature
        .map(|value| ("X-Webhook-Signature", value))
        .into_iter()
        .collect();
    verifier.verify(headers, body).map(|_| ())
}

/// [`VerifyError::Invalid`] for a Kapso signature.
fn kapso_invalid(error: SignatureError) -> Result<(), VerifyError> {
    Err(VerifyError::Invalid {
        scheme: SignatureScheme::Kapso,
        error,
    })
}

#[test]
fn the_signature_is_verified_on_the_raw_body() {
    let body = read(&kapso_fixture(
        "whatsapp.message.received",
        "text_phone_and_bsuid",
    ));
    let signature = SignatureScheme::Kapso.sign(&body, b"whsec_2026");
    let headers = KapsoHeaders::from_pairs([
        ("X-Webhook-Event", "whatsapp.message.received"),
        ("X-Webhook-Signature", signature.as_str()),
    ]);
    assert_eq!(
        kapso_verify(
            &body,
            headers.signature.as_deref(),
            &["whsec_2025", "whsec_2026"]
        ),
        Ok(())
    );
    assert_eq!(
        kapso_verify(&body, headers.signature.as_deref(), &["whsec_2025"]),
        kapso_invalid(SignatureError::Mismatch)
    );
    let mut tampered = body.clone();
    tampered[10] ^= 1;
    assert_eq!(
        kapso_verify(&tampered, headers.signature.as_deref(), &["whsec_2026"]),
        kapso_invalid(SignatureError::Mismatch)
    );
    assert_eq!(
        kapso_verify(&body, headers.signature.as_deref(), &[]),
        Err(VerifyError::NoSecrets)
    );
    let unsigned = headers_for("whatsapp.message.received");
    assert_eq!(
        kapso_verify(&body, unsigned.signature.as_deref(), &["whsec_2026"]),
        Err(VerifyError::Missing {
            expected: &["x-webhook-signature"]
        })
    );
    // Re-serialized JSON is not the raw body: the signature no longer matches.
    let reserialized =
        serde_json::to_vec(&serde_json::from_slice::<Value>(&body).unwrap()).unwrap();
    assert_eq!(
        kapso_verify(&reserialized, headers.signature.as_deref(), &["whsec_2026"]),
        kapso_invalid(SignatureError::Mismatch)
    );
}

#[test]
fn only_invalid_json_is_an_error() {
    let headers = headers_for("whatsapp.message.received");
    let err = parse_kapso_delivery(&headers, b"{\"message\": }").unwrap_err();
    assert_eq!(err.category(), ErrorCategory::Syntax);
    assert_eq!((err.line(), err.column()), (1, 13));
    assert_eq!(
        parse_kapso_delivery(&headers, b"").unwrap_err().category(),
        ErrorCategory::Eof
    );
    assert!(parse_kapso_delivery(
        &KapsoHeaders::for_event("whatsapp.message.received"),
        b"\xff"
    )
    .is_err());

    // Any JSON parses; what does not fit is kept.
    for body in [
        &b"null"[..],
        b"[]",
        b"\"text\"",
        b"42",
        b"{}",
        b"[{\"message\":{}}]",
    ] {
        let delivery = parse_lossless(&headers, body, &String::from_utf8_lossy(body));
        assert_eq!(delivery.events().len(), 1);
    }
    let odd = parse_lossless(
        &headers,
        br#"{"message":"oops","is_new_conversation":"yes"}"#,
        "odd",
    );
    let payload = message_event(&odd.events()[0]);
    assert_eq!(payload.message, None);
    assert_eq!(payload.is_new_conversation, None);
    assert_eq!(payload.extra["message"], "oops");
    assert_eq!(payload.extra["isNewConversation"], "yes");
}

#[test]
fn the_header_name_wins_over_the_body() {
    let body = br#"{"event":"workflow.execution.failed","error":{"message":"x"}}"#;
    let events = parse_kapso_delivery(&KapsoHeaders::for_event("workflow.execution.handoff"), body)
        .unwrap()
        .into_events();
    assert_eq!(
        events[0].name(),
        Some(&KapsoEventName::WorkflowExecutionHandoff)
    );
    let KapsoPayload::Workflow(payload) = events[0].payload() else {
        unreachable!()
    };
    assert_eq!(payload.event, Some(KapsoEventName::WorkflowExecutionFailed));
    // The line has one `event`: the delivery's name.
    assert_eq!(
        events[0].to_json(),
        json!({"event": "workflow.execution.handoff", "error": {"message": "x"}})
    );
}

#[test]
fn typed_payloads_read_their_own_json_back() {
    for (event, case) in [
        ("whatsapp.message.received", "text_phone_and_bsuid"),
        ("whatsapp.message.read", "bsuid_recipient"),
        ("whatsapp.message.failed", "outside_window"),
    ] {
        let delivery = fixture(event, case);
        let payload = message_event(&delivery.events()[0]);
        let json = serde_json::to_value(payload).unwrap();
        let back: MessageEvent = serde_json::from_value(json).unwrap();
        assert_eq!(&back, payload, "{event}/{case}");
    }
}

#[test]
fn a_kapso_message_and_a_meta_message_are_the_same_type() {
    fn describe(message: &Message) -> (Option<&str>, Option<&Direction>, Option<&str>) {
        (
            message.text_body(),
            message.direction(),
            message.sender().preferred_id(),
        )
    }
    let meta = normalize_webhook(
        r#"{"object":"whatsapp_business_account","entry":[{"id":"214736902158834","changes":[{
        "field":"messages","value":{"messaging_product":"whatsapp",
        "metadata":{"display_phone_number":"15550001111","phone_number_id":"109283746550123"},
        "messages":[{"from":"15550104321","from_user_id":"US.8410736325491046",
        "id":"wamid.META","timestamp":"1772442000","type":"text","text":{"body":"Hola, ¿tienen la talla M?"}}]}}]}]}"#
            .as_bytes(),
    )
    .unwrap();
    let kapso = fixture("whatsapp.message.received", "text_phone_and_bsuid");
    assert_eq!(
        describe(&meta.messages()[0]),
        describe(kapso.events()[0].message().unwrap())
    );
}

#[cfg(feature = "axum")]
#[test]
fn headers_come_straight_from_an_http_header_map() {
    use axum::http::{HeaderMap, HeaderValue};
    let body = read(&kapso_fixture("whatsapp.message.received", "batch_three"));
    let mut map = HeaderMap::new();
    map.insert(
        "x-webhook-event",
        HeaderValue::from_static("whatsapp.message.received"),
    );
    map.insert("x-webhook-batch", HeaderValue::from_static("true"));
    map.insert("x-batch-size", HeaderValue::from_static("3"));
    map.insert("x-idempotency-key", HeaderValue::from_static("idem-42"));
    let signature = SignatureScheme::Kapso.sign(&body, b"whsec_2026");
    map.insert(
        "x-webhook-signature",
        HeaderValue::from_str(&signature).unwrap(),
    );
    let headers = KapsoHeaders::from_pairs(map.iter());
    assert_eq!(
        kapso_verify(&body, headers.signature.as_deref(), &["whsec_2026"]),
        Ok(())
    );
    let delivery = parse_kapso_delivery(&headers, &body).unwrap();
    assert_eq!(delivery.idempotency_key(), Some("idem-42"));
    assert_eq!(delivery.events().len() as u64, headers.batch_size.unwrap());
}

// ---------------------------------------------------------------------------------------------
// Deduplication
// ---------------------------------------------------------------------------------------------

/// One Kapso message event: `name` for message `wamid` with Kapso status `status`, delivered
/// with `idempotency_key` when given.
fn message_delivery(name: &str, status: &str, idempotency_key: Option<&str>) -> KapsoDelivery {
    let body = json!({
        "message": {"id": "wamid.HBgLMTU1NTAxMDQzMjE", "type": "text", "text": {"body": "Hola"},
                    "kapso": {"direction": "outbound", "status": status}},
        "conversation": {"id": "conv_41"},
        "phone_number_id": "109283746550123",
    });
    let mut pairs = vec![("X-Webhook-Event", name)];
    pairs.extend(idempotency_key.map(|key| ("X-Idempotency-Key", key)));
    parse_kapso_delivery(
        &KapsoHeaders::from_pairs(pairs),
        body.to_string().as_bytes(),
    )
    .unwrap()
}

#[test]
fn each_status_of_one_message_has_its_own_dedupe_key() {
    let sequence = [
        ("whatsapp.message.sent", "sent", "idem-1"),
        ("whatsapp.message.delivered", "delivered", "idem-2"),
        ("whatsapp.message.read", "read", "idem-3"),
    ];
    let mut event_keys = Vec::new();
    let mut delivery_keys = Vec::new();
    let mut keys_without_header = Vec::new();
    for (name, status, idempotency_key) in sequence {
        let delivery = message_delivery(name, status, Some(idempotency_key));
        // The same message in all three.
        assert_eq!(
            delivery.messages().next().unwrap().dedupe_key().as_deref(),
            Some("wamid.HBgLMTU1NTAxMDQzMjE")
        );
        event_keys.push(delivery.events()[0].dedupe_key().unwrap());
        delivery_keys.push(delivery.dedupe_key().unwrap());
        keys_without_header.push(message_delivery(name, status, None).dedupe_key().unwrap());
    }
    assert_eq!(
        event_keys,
        [
            "whatsapp.message.sent:wamid.HBgLMTU1NTAxMDQzMjE:sent",
            "whatsapp.message.delivered:wamid.HBgLMTU1NTAxMDQzMjE:delivered",
            "whatsapp.message.read:wamid.HBgLMTU1NTAxMDQzMjE:read",
        ]
    );
    assert_eq!(delivery_keys, ["idem-1", "idem-2", "idem-3"]);
    // Without the header, the delivery's key is its event's.
    assert_eq!(keys_without_header, event_keys);
    for keys in [&event_keys, &delivery_keys] {
        let distinct: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(distinct.len(), 3, "{keys:?}");
    }

    // A received message: its own key again.
    let received = message_delivery("whatsapp.message.received", "received", None);
    assert_eq!(
        received.dedupe_key().as_deref(),
        Some("whatsapp.message.received:wamid.HBgLMTU1NTAxMDQzMjE:received")
    );
}

#[test]
fn a_redelivery_has_the_same_dedupe_key() {
    let name = "whatsapp.message.delivered";
    // With an idempotency key: a retry carries the same header.
    let first = message_delivery(name, "delivered", Some("idem-7"));
    let retry = message_delivery(name, "delivered", Some("idem-7"));
    assert_eq!(first.dedupe_key(), retry.dedupe_key());
    assert_eq!(first.dedupe_key().as_deref(), Some("idem-7"));
    assert_eq!(
        first.events()[0].dedupe_key(),
        retry.events()[0].dedupe_key()
    );
    // Without one: the event's own key, the same every time.
    let first = message_delivery(name, "delivered", None);
    let retry = message_delivery(name, "delivered", None);
    assert_eq!(first.dedupe_key(), retry.dedupe_key());
    assert!(first.dedupe_key().is_some());
    // The event's key does not depend on the header.
    assert_eq!(
        message_delivery(name, "delivered", Some("idem-7")).events()[0].dedupe_key(),
        first.events()[0].dedupe_key()
    );
}

#[test]
fn batch_dedupe_keys() {
    let body = br#"{"type":"whatsapp.message.received","batch":true,"data":[
      {"message":{"id":"wamid.A","kapso":{"status":"received"}}},
      {"message":{"id":"wamid.B","kapso":{"status":"received"}}}]}"#;
    let with_key = KapsoHeaders::from_pairs([("X-Idempotency-Key", "batch-1")]);
    let delivery = parse_kapso_delivery(&with_key, body).unwrap();
    // The idempotency key names the whole batch; each event keeps its own key.
    assert_eq!(delivery.dedupe_key().as_deref(), Some("batch-1"));
    let keys: Vec<_> = delivery
        .events()
        .iter()
        .map(KapsoEvent::dedupe_key)
        .collect();
    assert_eq!(
        keys,
        [
            Some("whatsapp.message.received:wamid.A:received".to_owned()),
            Some("whatsapp.message.received:wamid.B:received".to_owned()),
        ]
    );
    // Without the header, a batch has no delivery key: its events are deduplicated one by one.
    let delivery = parse_kapso_delivery(&KapsoHeaders::default(), body).unwrap();
    assert_eq!(delivery.dedupe_key(), None);
    assert!(delivery.events().iter().all(|e| e.dedupe_key().is_some()));
}

#[test]
fn dedupe_keys_of_the_other_events() {
    let key = |name: &str, body: &str| {
        parse_kapso_delivery(&KapsoHeaders::for_event(name), body.as_bytes())
            .unwrap()
            .events()[0]
            .dedupe_key()
    };
    assert_eq!(
        key(
            "whatsapp.conversation.inactive",
            r#"{"conversation":{"id":"conv_3"},"since_message":{"id":"msg_9"}}"#
        )
        .as_deref(),
        Some("whatsapp.conversation.inactive:conv_3:msg_9")
    );
    assert_eq!(
        key(
            "whatsapp.conversation.ended",
            r#"{"conversation":{"id":"conv_3"}}"#
        )
        .as_deref(),
        Some("whatsapp.conversation.ended:conv_3:")
    );
    assert_eq!(
        key(
            "whatsapp.contact.identity_changed",
            r#"{"contact":{"id":"ct-1","business_scoped_user_id":"US.2"},
                "previous":{"business_scoped_user_id":"US.1"}}"#
        )
        .as_deref(),
        Some("whatsapp.contact.identity_changed:ct-1:US.1:US.2::")
    );
    assert_eq!(
        key(
            "whatsapp.contact.marketing_preference_changed",
            r#"{"contact":{"id":"ct-1"},"marketing_preference":{"status":"opted_out","sequence":4}}"#
        )
        .as_deref(),
        Some("whatsapp.contact.marketing_preference_changed:ct-1:::opted_out:4")
    );
    assert_eq!(
        key(
            "whatsapp.phone_number.deleted",
            r#"{"phone_number_id":"109","id":"evt-3"}"#
        )
        .as_deref(),
        Some("whatsapp.phone_number.deleted:109:evt-3")
    );
    assert_eq!(
        key(
            "workflow.execution.failed",
            r#"{"workflow_execution_id":"wx-1"}"#
        )
        .as_deref(),
        Some("workflow.execution.failed:wx-1")
    );
    assert_eq!(
        key(
            "whatsapp.config.created",
            r#"{"whatsapp_config":{"id":"cfg-1"}}"#
        )
        .as_deref(),
        Some("whatsapp.config.created:cfg-1")
    );
    // Without the identifying IDs, or untyped: no key.
    assert_eq!(key("whatsapp.message.read", r#"{"message":{}}"#), None);
    assert_eq!(
        key("whatsapp.order.refunded", r#"{"order_id":"o-1"}"#),
        None
    );
}

#[test]
fn a_number_created_deleted_and_created_again_is_not_deduplicated_away() {
    let body = br#"{"phone_number_id":"109283746550123","project":{"id":"p-1"}}"#;
    let delivery = |name: &str, idempotency_key: &str| {
        let headers = KapsoHeaders::from_pairs([
            ("X-Webhook-Event", name),
            ("X-Idempotency-Key", idempotency_key),
        ]);
        parse_kapso_delivery(&headers, body).unwrap()
    };
    let sequence = [
        delivery("whatsapp.phone_number.created", "idem-1"),
        delivery("whatsapp.phone_number.deleted", "idem-2"),
        delivery("whatsapp.phone_number.created", "idem-3"),
    ];
    // The bodies name only the number: the events have no key of their own (the two
    // `created` would share it) ...
    assert!(sequence
        .iter()
        .all(|d| d.events()[0].dedupe_key().is_none()));
    // ... and each delivery is told apart by its idempotency key.
    let mut seen = BTreeSet::new();
    for delivery in &sequence {
        assert!(seen.insert(delivery.dedupe_key().unwrap()));
    }
    // A retry of the second `created` is still recognised.
    let retry = delivery("whatsapp.phone_number.created", "idem-3");
    assert!(seen.contains(&retry.dedupe_key().unwrap()));

    // With `occurred_at` (and no event `id`), the key tells the two `created` apart.
    let at = |name: &str, when: &str| {
        let body = format!(r#"{{"phone_number_id":"109","occurred_at":"{when}"}}"#);
        parse_kapso_delivery(&KapsoHeaders::for_event(name), body.as_bytes())
            .unwrap()
            .events()[0]
            .dedupe_key()
            .unwrap()
    };
    let keys = [
        at("whatsapp.phone_number.created", "2026-04-11T08:00:00Z"),
        at("whatsapp.phone_number.deleted", "2026-04-11T09:00:00Z"),
        at("whatsapp.phone_number.created", "2026-04-11T10:00:00Z"),
    ];
    assert_eq!(keys.iter().collect::<BTreeSet<_>>().len(), 3);
    assert_eq!(
        keys[0],
        "whatsapp.phone_number.created:109::2026-04-11T08%3A00%3A00Z"
    );
}

#[test]
fn dedupe_key_parts_are_escaped_so_the_join_is_unambiguous() {
    let key = |name: &str, body: &str| {
        let headers = KapsoHeaders::from_pairs([
            ("X-Webhook-Event", name),
            ("X-Webhook-Payload-Version", "v1"),
        ]);
        parse_kapso_delivery(&headers, body.as_bytes())
            .unwrap()
            .events()[0]
            .dedupe_key()
            .unwrap()
    };
    // Without escaping, both would be `x:m:s`.
    let message = key("x", r#"{"message":{"id":"m","status":"s"}}"#);
    let conversation = key("x:m", r#"{"conversation":{"id":"s"}}"#);
    assert_eq!(message, "x:m:s");
    assert_eq!(conversation, "x%3Am:s");
    assert_ne!(message, conversation);
    // `%` is escaped too, so an escaped-looking ID stays distinct.
    assert_eq!(key("x", r#"{"conversation":{"id":"a%3Ab"}}"#), "x:a%253Ab");
    // Custom IDs keep their text apart from the separators.
    let custom = parse_kapso_delivery(
        &KapsoHeaders::for_event("project.event"),
        br#"{"id":"lead:42"}"#,
    )
    .unwrap();
    assert_eq!(
        custom.events()[0].dedupe_key().as_deref(),
        Some("project.event:lead%3A42")
    );
}

#[test]
fn event_values_are_the_cli_lines() {
    let body = br#"{"type":"whatsapp.message.received","batch":true,"data":[
      {"message":{"id":"a"}},{"message":{"id":"b"}}]}"#;
    let delivery = parse_kapso_delivery(&KapsoHeaders::default(), body).unwrap();
    let values: Vec<Value> = delivery.event_values().collect();
    let expected: Vec<Value> = delivery.events().iter().map(KapsoEvent::to_json).collect();
    assert_eq!(values, expected);
    assert_eq!(values[1]["message"]["id"], "b");
}

// ---------------------------------------------------------------------------------------------
// The catalog: every event name Kapso accepts, its scope, and its fixtures
// ---------------------------------------------------------------------------------------------

/// Kapso's list of accepted event names and the scope Kapso documents for each (its webhook
/// reference: "Only the names below are accepted"), written out here independently of the
/// crate's table. `whatsapp.meta_business_agent.handover` is listed with the contact events,
/// which go to phone-number webhooks.
const DOCUMENTED_CATALOG: &[(&str, EventScope)] = &[
    ("whatsapp.message.received", EventScope::PhoneNumber),
    ("whatsapp.message.sent", EventScope::PhoneNumber),
    ("whatsapp.message.delivered", EventScope::PhoneNumber),
    ("whatsapp.message.read", EventScope::PhoneNumber),
    ("whatsapp.message.failed", EventScope::PhoneNumber),
    ("whatsapp.conversation.created", EventScope::PhoneNumber),
    ("whatsapp.conversation.ended", EventScope::PhoneNumber),
    ("whatsapp.conversation.inactive", EventScope::PhoneNumber),
    ("whatsapp.contact.identity_changed", EventScope::PhoneNumber),
    (
        "whatsapp.contact.marketing_preference_changed",
        EventScope::PhoneNumber,
    ),
    (
        "whatsapp.meta_business_agent.handover",
        EventScope::PhoneNumber,
    ),
    ("whatsapp.config.created", EventScope::Project),
    ("whatsapp.phone_number.created", EventScope::Project),
    ("whatsapp.phone_number.deleted", EventScope::Project),
    ("whatsapp.phone_number.offboarded", EventScope::Project),
    ("whatsapp.phone_number.disconnected", EventScope::Project),
    ("whatsapp.phone_number.reconnected", EventScope::Project),
    ("whatsapp.account.disabled", EventScope::Project),
    ("whatsapp.account.restricted", EventScope::Project),
    ("whatsapp.account.reinstated", EventScope::Project),
    ("whatsapp.account.violation", EventScope::Project),
    ("workflow.execution.handoff", EventScope::Project),
    ("workflow.execution.failed", EventScope::Project),
    ("project.event", EventScope::Project),
    ("kapso_agent.run.approval_required", EventScope::Project),
    ("kapso_agent.run.completed", EventScope::Project),
    ("kapso_agent.run.failed", EventScope::Project),
    ("kapso_agent.run.cancelled", EventScope::Project),
];

#[test]
fn the_catalog_is_kapsos_list_each_name_once_with_its_scope() {
    let names: Vec<&str> = CATALOG.iter().map(|(name, _)| name.as_str()).collect();
    let documented: Vec<&str> = DOCUMENTED_CATALOG.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, documented);
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "a name appears twice");
    assert_eq!(names.len(), 28);

    for ((name, scope), (wire, documented_scope)) in CATALOG.iter().zip(DOCUMENTED_CATALOG) {
        // Each name parses to its own variant, never `Other`, and back to the same text.
        let parsed = KapsoEventName::from(*wire);
        assert!(!parsed.is_other(), "{wire}");
        assert_eq!(&parsed, name);
        assert_eq!(parsed.as_str(), *wire);
        assert_eq!(wire.parse::<KapsoEventName>().unwrap(), parsed);
        assert_eq!(scope, documented_scope, "{wire}");
        assert_eq!(parsed.scope(), Some(*documented_scope), "{wire}");
        assert_eq!(
            parsed.is_project_event(),
            *documented_scope == EventScope::Project,
            "{wire}"
        );
        // Kapso's own grouping: message, conversation and contact events go to phone numbers.
        let phone_number_group = wire.starts_with("whatsapp.message.")
            || wire.starts_with("whatsapp.conversation.")
            || wire.starts_with("whatsapp.contact.")
            || wire.starts_with("whatsapp.meta_business_agent.");
        assert_eq!(
            *scope == EventScope::PhoneNumber,
            phone_number_group,
            "{wire}"
        );
        assert_eq!(
            parsed.is_account_event(),
            wire.starts_with("whatsapp.account."),
            "{wire}"
        );
        assert_eq!(
            parsed.is_agent_run_event(),
            wire.starts_with("kapso_agent.run."),
            "{wire}"
        );
    }

    // Names outside the catalog have no scope.
    for other in [
        "whatsapp.message.status_updated",
        "whatsapp.config.deleted",
        "",
    ] {
        let name = KapsoEventName::from(other);
        assert!(name.is_other(), "{other}");
        assert_eq!(name.scope(), None);
        assert!(!name.is_project_event());
    }
}

/// The payload variant each catalog name is typed as.
fn payload_kind(payload: &KapsoPayload) -> &'static str {
    match payload {
        KapsoPayload::Message(_) => "message",
        KapsoPayload::Conversation(_) => "conversation",
        KapsoPayload::Contact(_) => "contact",
        KapsoPayload::Handover(_) => "handover",
        KapsoPayload::PhoneNumber(_) => "phone_number",
        KapsoPayload::Account(_) => "account",
        KapsoPayload::Workflow(_) => "workflow",
        KapsoPayload::Custom(_) => "custom",
        KapsoPayload::AgentRun(_) => "agent_run",
        KapsoPayload::Legacy(_) => "legacy",
        KapsoPayload::Unknown(_) => "unknown",
        KapsoPayload::Unexpected(_) => "unexpected",
        _ => "new variant",
    }
}

fn expected_kind(name: &str) -> &'static str {
    match name {
        n if n.starts_with("whatsapp.message.") => "message",
        n if n.starts_with("whatsapp.conversation.") => "conversation",
        n if n.starts_with("whatsapp.contact.") => "contact",
        "whatsapp.meta_business_agent.handover" => "handover",
        "whatsapp.config.created" => "legacy",
        n if n.starts_with("whatsapp.phone_number.") => "phone_number",
        n if n.starts_with("whatsapp.account.") => "account",
        n if n.starts_with("workflow.execution.") => "workflow",
        "project.event" => "custom",
        n if n.starts_with("kapso_agent.run.") => "agent_run",
        _ => "unknown",
    }
}

/// Keys of our fixtures that are kept in `extra` on purpose (the corpus tests above check that
/// each is kept):
/// - `setupLink.expiresAt`: our guess at a field of the v1 setup link, whose documented example
///   is cut off after `id`.
const NOT_KAPSO_FIELDS: &[&str] = &["setupLink.expiresAt"];

#[test]
fn every_catalog_name_has_a_fixture_typed_with_nothing_left_over() {
    let fixtures = kapso_fixtures();
    let mut leftovers = Vec::new();
    for (name, _) in CATALOG {
        let cases: Vec<&KapsoCase> = fixtures
            .iter()
            .filter(|case| case.event == name.as_str())
            .collect();
        assert!(!cases.is_empty(), "no fixture for {name}");
        for case in cases {
            let context = format!("{}/{}", case.event, case.case);
            let delivery = fixture(&case.event, &case.case);
            for event in delivery.events() {
                assert_eq!(event.name(), Some(name), "{context}");
                let expected = if case.case.starts_with("v1") {
                    "legacy"
                } else {
                    expected_kind(name.as_str())
                };
                assert_eq!(payload_kind(event.payload()), expected, "{context}");
                if *name == KapsoEventName::MetaBusinessAgentHandover {
                    // No documented payload: kept whole, so every key is "unknown".
                    assert!(!event.payload().unknown_keys().is_empty(), "{context}");
                    continue;
                }
                // Every documented field is typed: nothing left in any `extra`, at any depth.
                let left: Vec<String> = event
                    .payload()
                    .unknown_keys()
                    .into_iter()
                    .filter(|key| !NOT_KAPSO_FIELDS.contains(&key.as_str()))
                    .collect();
                if !left.is_empty() {
                    leftovers.push(format!("{context}: {left:?}"));
                }
            }
        }
    }
    assert!(leftovers.is_empty(), "not typed:\n{}", leftovers.join("\n"));
}

#[test]
fn every_catalog_name_is_typed_without_a_header_when_the_body_names_it() {
    // The v2 lifecycle, account, custom and agent-run events repeat their name in `event`.
    for case in kapso_fixtures() {
        let body = read(&case.body);
        let value: Value = serde_json::from_slice(&body).unwrap();
        let Some(Value::String(in_body)) = value.get("event") else {
            continue;
        };
        assert_eq!(in_body, &case.event, "{}/{}", case.event, case.case);
        let events = parse_kapso_delivery(&KapsoHeaders::default(), &body)
            .unwrap()
            .into_events();
        assert_eq!(
            payload_kind(events[0].payload()),
            expected_kind(&case.event),
            "{}/{}",
            case.event,
            case.case
        );
    }
}

#[test]
fn fixture_phone_number_lifecycle_events() {
    let offboarded = fixture("whatsapp.phone_number.offboarded", "coexistence_offboarded");
    let event = &offboarded.events()[0];
    let KapsoPayload::PhoneNumber(payload) = event.payload() else {
        panic!("{:?}", event.payload())
    };
    assert_eq!(payload.event, Some(KapsoEventName::PhoneNumberOffboarded));
    assert_eq!(payload.connection_type, Some(ConnectionType::Coexistence));
    assert_eq!(
        payload.customer.as_ref().unwrap().external_id.as_deref(),
        Some("tienda-norte-17")
    );
    let source = payload.source.as_ref().unwrap();
    assert_eq!(source.provider.as_deref(), Some("meta"));
    assert_eq!(source.event.as_deref(), Some("ACCOUNT_OFFBOARDED"));
    assert_eq!(
        source.business_account_id.as_deref(),
        Some("200311422533644")
    );
    assert_eq!(event.phone_number_id(), Some("118273645546372"));
    assert_eq!(
        event.dedupe_key().as_deref(),
        Some(
            "whatsapp.phone_number.offboarded:118273645546372:b7d2c9e1-3f4a-4c5b-8d6e-7f8091a2b3c4"
        )
    );
    assert_eq!(
        payload
            .occurred_at
            .as_ref()
            .unwrap()
            .to_datetime()
            .unwrap()
            .to_rfc3339(),
        "2026-04-11T08:42:17+00:00"
    );

    let disconnected = fixture("whatsapp.phone_number.disconnected", "partner_removed");
    let KapsoPayload::PhoneNumber(payload) = disconnected.events()[0].payload() else {
        unreachable!()
    };
    assert_eq!(payload.customer, None);
    let why = payload.disconnection.as_ref().unwrap();
    assert_eq!(why.reason.as_deref(), Some("companion_inactivity"));
    assert_eq!(why.initiated_by.as_deref(), Some("system"));

    let reconnected = fixture("whatsapp.phone_number.reconnected", "restored");
    let KapsoPayload::PhoneNumber(payload) = reconnected.events()[0].payload() else {
        unreachable!()
    };
    assert_eq!(payload.connection_type, Some(ConnectionType::Dedicated));
    assert_eq!(payload.disconnection, None);
    assert!(reconnected.events()[0]
        .name()
        .as_ref()
        .unwrap()
        .is_project_event());
}

#[test]
fn fixture_account_enforcement_events() {
    let account = |name: &str, case: &str| -> AccountEvent {
        let delivery = fixture(name, case);
        match delivery.events()[0].payload() {
            KapsoPayload::Account(payload) => (**payload).clone(),
            other => panic!("{name}/{case}: {other:?}"),
        }
    };
    let disabled = account("whatsapp.account.disabled", "banned");
    assert_eq!(
        disabled.business_account_id.as_deref(),
        Some("200311422533644")
    );
    let numbers: Vec<_> = disabled
        .phone_numbers
        .as_ref()
        .unwrap()
        .iter()
        .map(|n| n.id.as_deref().unwrap())
        .collect();
    assert_eq!(numbers, ["109283746550123", "118273645546372"]);
    let ban = disabled.ban.as_ref().unwrap();
    assert_eq!(ban.state, Some(BanState::Disable));
    assert_eq!(ban.date_label.as_deref(), Some("20 de mayo de 2026"));
    assert_eq!(disabled.restrictions, None);

    let restricted = account("whatsapp.account.restricted", "messaging_limited");
    let restrictions = restricted.restrictions.as_ref().unwrap();
    assert_eq!(restrictions.len(), 2);
    assert_eq!(
        restrictions[0]
            .expires_at
            .as_ref()
            .unwrap()
            .to_unix_seconds(),
        Some(1_778_318_130)
    );
    assert_eq!(restrictions[1].expires_at, None);
    assert_eq!(
        restrictions[1].restriction_type.as_deref(),
        Some("RESTRICTED_ADD_PHONE_NUMBER_ACTION")
    );

    let reinstated = account("whatsapp.account.reinstated", "ban_lifted");
    assert_eq!(reinstated.ban.unwrap().state, Some(BanState::Reinstate));

    let violation = account("whatsapp.account.violation", "policy_violation");
    let details = violation.violation.as_ref().unwrap();
    assert_eq!(details.violation_type.as_deref(), Some("ADULT"));
    assert!(details.remediation.is_some());

    // Not about one number: no routing ID; the event ID identifies it.
    let delivery = fixture("whatsapp.account.violation", "policy_violation");
    assert_eq!(delivery.events()[0].phone_number_id(), None);
    assert_eq!(
        delivery.events()[0].dedupe_key().as_deref(),
        Some("whatsapp.account.violation:b8d0f2e4-6a8c-4e0a-9c5d-7e9a1c3d5f7b")
    );
}

#[test]
fn fixture_custom_project_events() {
    let delivery = fixture("project.event", "lead_qualified");
    let event = &delivery.events()[0];
    let KapsoPayload::Custom(payload) = event.payload() else {
        panic!("{:?}", event.payload())
    };
    assert_eq!(payload.event, Some(KapsoEventName::ProjectEvent));
    assert_eq!(payload.name.as_deref(), Some("lead.qualified"));
    assert_eq!(
        payload.conversation_id.as_deref(),
        Some("7c1e9a40-52d3-4f8b-9e61-0a2b3c4d5e6f")
    );
    // Your properties, camelCased like every key.
    assert_eq!(
        payload.properties.as_ref().map(|raw| raw.value()),
        Some(&json!({"score": 82, "plan": "anual", "interestedIn": ["envios", "facturacion"]}))
    );
    assert_eq!(
        event.dedupe_key().as_deref(),
        Some("project.event:0c2e4a6b-8d0f-4a2c-9e6b-8f0a2c4e6a8b")
    );

    let delivery = fixture("project.event", "no_conversation");
    let KapsoPayload::Custom(payload) = delivery.events()[0].payload() else {
        unreachable!()
    };
    assert_eq!(payload.conversation_id, None);
    assert_eq!(payload.name.as_deref(), Some("invoice.paid"));
}

#[test]
fn fixture_agent_run_events() {
    let run = |name: &str, case: &str| -> AgentRunEvent {
        let delivery = fixture(name, case);
        match delivery.events()[0].payload() {
            KapsoPayload::AgentRun(payload) => (**payload).clone(),
            other => panic!("{name}/{case}: {other:?}"),
        }
    };
    let approval = run("kapso_agent.run.approval_required", "send_template");
    let data = approval.data.as_ref().unwrap();
    assert_eq!(data.status, Some(AgentRunStatus::WaitingForApproval));
    assert_eq!(
        data.pending_approval.as_ref().unwrap()["tool"],
        "send_whatsapp_template"
    );
    assert_eq!(data.finished_at, None);

    let completed = run("kapso_agent.run.completed", "with_result");
    let data = completed.data.as_ref().unwrap();
    assert_eq!(data.status, Some(AgentRunStatus::Completed));
    assert_eq!(
        data.result.as_ref().unwrap()["summary"],
        "Recordatorio enviado a Ana Ruiz"
    );
    assert_eq!(
        data.metadata.as_ref().map(|raw| raw.value()),
        Some(&json!({"ticket": "T-5521"}))
    );
    assert_eq!(
        data.status_url.as_deref(),
        Some("/kapso-agent/runs/5a7c9e1f-3b5d-4f7a-8c9e-1f3a5c7e9b1d")
    );
    let took = data
        .finished_at
        .as_ref()
        .unwrap()
        .to_unix_seconds()
        .unwrap()
        - data.started_at.as_ref().unwrap().to_unix_seconds().unwrap();
    assert_eq!(took, 158);

    let failed = run("kapso_agent.run.failed", "run_failed");
    let error = failed.data.as_ref().unwrap().error.as_ref().unwrap();
    assert_eq!(error.code.as_deref(), Some("run_failed"));

    let cancelled = run("kapso_agent.run.cancelled", "by_caller");
    let data = cancelled.data.as_ref().unwrap();
    assert_eq!(data.status, Some(AgentRunStatus::Cancelled));
    assert_eq!(
        data.error.as_ref().unwrap().code.as_deref(),
        Some("run_cancelled")
    );

    // The event ID identifies the event; without one, the run ID.
    let delivery = fixture("kapso_agent.run.completed", "with_result");
    assert_eq!(
        delivery.events()[0].dedupe_key().as_deref(),
        Some("kapso_agent.run.completed:3f5b7d9e-1a3c-4d5f-8b0e-2c4d6f8a0c2e")
    );
    let events = parse_kapso_delivery(
        &headers_for("kapso_agent.run.failed"),
        br#"{"data":{"run_id":"run-7"}}"#,
    )
    .unwrap()
    .into_events();
    assert_eq!(
        events[0].dedupe_key().as_deref(),
        Some("kapso_agent.run.failed:run-7")
    );
}

#[test]
fn fixture_handover_is_named_and_kept_whole() {
    let delivery = fixture("whatsapp.meta_business_agent.handover", "placeholder");
    let event = &delivery.events()[0];
    assert_eq!(
        event.name(),
        Some(&KapsoEventName::MetaBusinessAgentHandover)
    );
    assert_eq!(event.name().unwrap().scope(), Some(EventScope::PhoneNumber));
    let KapsoPayload::Handover(value) = event.payload() else {
        panic!("{:?}", event.payload())
    };
    assert_eq!(value["handover"]["to"], "human");
    assert_eq!(event.phone_number_id(), Some("109283746550123"));
    // In `serde_json::Map`'s order (Kapso events are read through a `Value`).
    let mut unknown = event.payload().unknown_keys();
    unknown.sort();
    assert_eq!(unknown, ["handover", "phoneNumberId"]);
    assert_eq!(event.dedupe_key(), None);
    // A body that is not an object is `Unexpected`: the name is in the catalog.
    let events = parse_kapso_delivery(
        &headers_for("whatsapp.meta_business_agent.handover"),
        b"[1]",
    )
    .unwrap()
    .into_events();
    assert_eq!(*events[0].payload(), KapsoPayload::Unexpected(json!([1])));
}

#[test]
fn unknown_is_a_name_outside_the_catalog_and_unexpected_a_catalog_body_of_another_shape() {
    let parse = |headers: &KapsoHeaders, body: &[u8]| {
        parse_kapso_delivery(headers, body)
            .unwrap()
            .into_events()
            .into_iter()
            .map(KapsoEvent::into_payload)
            .collect::<Vec<_>>()
    };
    // A name outside the catalog: `Unknown`, whatever the body.
    let invented = headers_for("whatsapp.order.refunded");
    assert_eq!(
        parse(&invented, br#"{"order_id":"o-1"}"#),
        [KapsoPayload::Unknown(json!({"orderId": "o-1"}))]
    );
    assert_eq!(
        parse(&invented, b"\"refunded\""),
        [KapsoPayload::Unknown(json!("refunded"))]
    );
    // No name at all: `Unknown` too.
    assert_eq!(
        parse(&KapsoHeaders::default(), b"[1,2]"),
        [KapsoPayload::Unknown(json!([1, 2]))]
    );
    // A catalog name whose body is not an object: `Unexpected`, for every payload kind.
    for (name, _) in CATALOG {
        let headers = KapsoHeaders::for_event(name.clone());
        for body in [&b"[]"[..], b"null", b"42", b"\"text\""] {
            let payloads = parse(&headers, body);
            let expected: Value = serde_json::from_slice(body).unwrap();
            assert_eq!(payloads, [KapsoPayload::Unexpected(expected)], "{name}");
        }
    }
    // Legacy v1, too: an object of any name is `Legacy`; a catalog name with another shape is
    // `Unexpected`, an invented one `Unknown`.
    let v1 = |name: &str| {
        KapsoHeaders::from_pairs([
            ("X-Webhook-Event", name),
            ("X-Webhook-Payload-Version", "v1"),
        ])
    };
    assert!(matches!(
        parse(
            &v1("whatsapp.order.refunded"),
            br#"{"whatsapp_config":{"id":"c"}}"#
        )
        .as_slice(),
        [KapsoPayload::Legacy(_)]
    ));
    assert_eq!(
        parse(&v1("whatsapp.message.received"), b"[]"),
        [KapsoPayload::Unexpected(json!([]))]
    );
    assert_eq!(
        parse(&v1("whatsapp.order.refunded"), b"[]"),
        [KapsoPayload::Unknown(json!([]))]
    );
    // Both are written back as received, and neither has a dedupe key.
    let delivery = parse_kapso_delivery(&headers_for("whatsapp.message.read"), b"[\"x\"]").unwrap();
    assert_eq!(serde_json::to_value(&delivery).unwrap(), json!(["x"]));
    assert_eq!(delivery.events()[0].dedupe_key(), None);
    assert_eq!(delivery.events()[0].payload().unknown_keys(), [""]);
}

// ---------------------------------------------------------------------------------------------
// Subscriptions and the message's `kapso` object
// ---------------------------------------------------------------------------------------------

#[test]
fn subscription_lists_are_checked_before_kapso_refuses_them() {
    // Every catalog name is accepted.
    let every: Vec<&str> = CATALOG.iter().map(|(name, _)| name.as_str()).collect();
    assert!(unsupported_events(every.iter().copied()).is_empty());
    // Kapso's own example of a refused name, a stale one, a typo, a different case.
    let wanted = [
        "whatsapp.message.received",
        "whatsapp.message.status_updated",
        "whatsapp.config.deleted",
        "whatsapp.conversation.create",
        "WhatsApp.Message.Sent",
        "project.event",
        "whatsapp.message.status_updated",
    ];
    assert_eq!(
        unsupported_events(wanted),
        [
            "whatsapp.message.status_updated",
            "whatsapp.config.deleted",
            "whatsapp.conversation.create",
            "WhatsApp.Message.Sent",
            "whatsapp.message.status_updated",
        ]
    );
    // Works on owned strings too (such as names read from a config file).
    let owned: Vec<String> = vec!["kapso_agent.run.completed".into(), "agent.run.done".into()];
    assert_eq!(
        unsupported_events(owned.iter().map(String::as_str)),
        ["agent.run.done"]
    );

    // Scope: what each kind of webhook would never receive.
    let project = events_outside_scope(every.iter().copied(), EventScope::Project);
    let phone = events_outside_scope(every.iter().copied(), EventScope::PhoneNumber);
    assert_eq!(project.len(), 11);
    assert_eq!(phone.len(), 17);
    assert_eq!(project.len() + phone.len(), CATALOG.len());
    assert!(project.contains(&"whatsapp.meta_business_agent.handover"));
    assert!(phone.contains(&"project.event"));
    assert!(phone.contains(&"kapso_agent.run.cancelled"));
    assert!(events_outside_scope(["nope"], EventScope::Project).is_empty());
}

#[test]
fn the_kapso_media_helper_prefers_media_data() {
    let image = fixture("whatsapp.message.received", "image_media");
    let message = image.events()[0].message().unwrap();
    let media = message.kapso_media().unwrap();
    assert_eq!(media.url, "https://media.example.com/k/8f3a");
    assert_eq!(media.content_type, Some("image/jpeg"));
    assert_eq!(media.filename, Some("caja.jpg"));
    assert_eq!(media.byte_size, Some(317_440));
    assert_eq!(message.kapso.as_ref().unwrap().media(), Some(media));

    let audio = fixture("whatsapp.message.received", "audio_transcript");
    let media = audio.events()[0].message().unwrap().kapso_media().unwrap();
    assert_eq!(media.url, "https://media.example.com/k/91bc");

    // `media_url` alone; `media_data` without a URL still gives its details.
    let body = br#"{"message":{"id":"wamid.M1","type":"document","kapso":{
        "media_url":"https://media.example.com/k/only-url",
        "media_data":{"filename":"lista.pdf","content_type":"application/pdf"}}}}"#;
    let events = parse_kapso_delivery(&headers_for("whatsapp.message.received"), body)
        .unwrap()
        .into_events();
    let media = events[0].message().unwrap().kapso_media().unwrap();
    assert_eq!(media.url, "https://media.example.com/k/only-url");
    assert_eq!(media.filename, Some("lista.pdf"));
    assert_eq!(media.byte_size, None);

    // No URL at all: no media. A text message, and a Meta webhook's message.
    let text = fixture("whatsapp.message.received", "text_phone_and_bsuid");
    assert_eq!(text.events()[0].message().unwrap().kapso_media(), None);
    let webhook = normalize_webhook(&read(&meta_fixture("message_image_with_url"))).unwrap();
    assert!(!webhook.messages().is_empty());
    for message in webhook.messages() {
        assert!(message.media().is_some());
        assert_eq!(message.kapso_media(), None);
    }
}

#[test]
fn the_message_history_fields_of_kapso_are_typed() {
    // Kapso's message-history API (`fields=kapso(...)`) gives the same message type with these
    // fields; every one is typed.
    let body = br#"{"message":{"id":"wamid.H1","type":"text","text":{"body":"Hola"},"kapso":{
        "direction":"inbound","status":"read","processing_status":"completed",
        "phone_number":"+15550104321","has_media":false,
        "whatsapp_conversation_id":"7c1e9a40-52d3-4f8b-9e61-0a2b3c4d5e6f",
        "contact_name":"Ana Ruiz","content":"Hola","order_text":"2 x Caja",
        "flow_token":"ft-1","flow_name":"encuesta","flow_response":{"rating":"5"},
        "message_type_data":{},"statuses":[]}}}"#;
    let events = parse_kapso_delivery(&headers_for("whatsapp.message.read"), body)
        .unwrap()
        .into_events();
    let kapso = events[0].message().unwrap().kapso.as_ref().unwrap();
    assert_eq!(
        kapso.whatsapp_conversation_id.as_deref(),
        Some("7c1e9a40-52d3-4f8b-9e61-0a2b3c4d5e6f")
    );
    assert_eq!(kapso.contact_name.as_deref(), Some("Ana Ruiz"));
    assert_eq!(kapso.phone_number.as_deref(), Some("+15550104321"));
    assert_eq!(kapso.unknown_keys(), Vec::<String>::new());
    assert_eq!(events[0].payload().unknown_keys(), Vec::<String>::new());
}
