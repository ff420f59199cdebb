//! Kapso's own webhook events (`kind: kapso` webhooks), typed.
//!
//! Kapso delivers WhatsApp events two ways: raw Meta webhooks (see [`crate::normalize_webhook`])
//! or its own structured events, handled here. Both give the same [`Message`] type.
//!
//! A delivery is one HTTP request: the event name in the `X-Webhook-Event` header, the payload
//! in the body, or, for buffered `whatsapp.message.received` events, a batch
//! `{type, batch: true, data: [payload, …], batch_info}`. [`parse_kapso_delivery`] turns the
//! headers ([`KapsoHeaders`]) and the raw body into a [`KapsoDelivery`] holding every event
//! (`parse_kapso_delivery(..)?.into_events()` when only the events matter; [`KapsoHeaders::for_event`]
//! when only the event name is known).
//!
//! Keys are camelCased as in the normalized Meta output. Every typed struct keeps what it does
//! not type in its `extra` map, an event outside Kapso's catalog is kept whole as
//! [`KapsoPayload::Unknown`], a catalog event whose body is not an object as
//! [`KapsoPayload::Unexpected`], and only a body that is not JSON is an [`Error`].
//!
//! [`CATALOG`] lists every event name Kapso accepts in a webhook subscription, with the
//! [`EventScope`] (project or phone-number webhooks) that receives it; each is a variant of
//! [`KapsoEventName`]. [`unsupported_events`] finds the names Kapso would refuse with `422`, and
//! [`events_outside_scope`] the ones a webhook of a given scope would never receive.
//!
//! Kapso delivers at least once. [`KapsoEvent::dedupe_key`] identifies one event (its name, IDs
//! and status: a message's `received`, `delivered` and `read` events share the message ID but
//! not this key); [`KapsoDelivery::dedupe_key`] identifies one delivery (`X-Idempotency-Key`).
//!
//! ```
//! use kapso_webhooks::{parse_kapso_delivery, KapsoEventName, KapsoHeaders};
//! use kapso_webhooks::kapso_event::KapsoPayload;
//!
//! let body = br#"{"message":{"id":"wamid.HBgLMTU1NTAxMDQzMjE","timestamp":"1772442000","type":"text",
//!   "text":{"body":"Hola"},"kapso":{"direction":"inbound","status":"received","origin":"cloud_api"}},
//!   "conversation":{"id":"conv_41","business_scoped_user_id":"US.8410736325491046","status":"active"},
//!   "is_new_conversation":true,"phone_number_id":"109283746550123"}"#;
//! let headers = KapsoHeaders::from_pairs([
//!     ("X-Webhook-Event", "whatsapp.message.received"),
//!     ("X-Idempotency-Key", "0d6c1f5e-8f4a-4b7e-a1c2-93e8d7f6b5a4"),
//! ]);
//! let delivery = parse_kapso_delivery(&headers, body)?;
//! assert_eq!(delivery.dedupe_key().as_deref(), Some("0d6c1f5e-8f4a-4b7e-a1c2-93e8d7f6b5a4"));
//! for event in delivery.events() {
//!     assert_eq!(
//!         event.dedupe_key().as_deref(),
//!         Some("whatsapp.message.received:wamid.HBgLMTU1NTAxMDQzMjE:received")
//!     );
//!     assert_eq!(event.name(), Some(&KapsoEventName::MessageReceived));
//!     let message = event.message().unwrap();
//!     assert_eq!(message.text_body(), Some("Hola"));
//!     // No phone number here: only a business-scoped user ID.
//!     let KapsoPayload::Message(payload) = event.payload() else { unreachable!() };
//!     assert_eq!(payload.user().preferred_id(), Some("US.8410736325491046"));
//!     // One JSON line per event: the name, then the payload camelCased.
//!     let line = event.to_json();
//!     assert_eq!(line["event"], "whatsapp.message.received");
//!     assert_eq!(line["isNewConversation"], true);
//! }
//! # Ok::<(), kapso_webhooks::Error>(())
//! ```

mod headers;
mod name;
mod payload;

use serde::de::Deserialize;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::error::Error;
use crate::json::camel::Camel;
use crate::json::wire::Field;

type Map = serde_json::Map<String, Value>;
use crate::meta::message::Message;
use name::PayloadKind;

pub use headers::{
    KapsoHeaders, PayloadVersion, BATCH_HEADER, BATCH_SIZE_HEADER, EVENT_HEADER,
    IDEMPOTENCY_KEY_HEADER, PAYLOAD_VERSION_HEADER,
};
pub use name::{events_outside_scope, unsupported_events, EventScope, KapsoEventName, CATALOG};
pub use payload::{
    AccountBan, AccountEvent, AccountPhoneNumber, AccountRestriction, AccountViolation, AgentRun,
    AgentRunError, AgentRunEvent, AgentRunStatus, BanState, BatchInfo, ConnectionType,
    ContactEvent, ConversationEvent, ConversationStatus, ConversationSummary, CustomEvent,
    Disconnection, EventSource, Handoff, HandoffSource, Inactivity, KapsoBatch, KapsoContact,
    KapsoConversation, KapsoCustomer, KapsoProject, LegacyMessage, LegacyPayload,
    MarketingPreference, MarketingPreferenceStatus, MessageEvent, PhoneNumberEvent,
    PreviousIdentity, SetupLink, SinceMessage, WhatsappConfig, WorkflowError, WorkflowEvent,
};

/// The payload of one Kapso event, typed by the event's name.
///
/// | name | payload |
/// | --- | --- |
/// | `whatsapp.message.*` (received, sent, delivered, read, failed) | [`KapsoPayload::Message`] |
/// | `whatsapp.conversation.*` (created, ended, inactive) | [`KapsoPayload::Conversation`] |
/// | `whatsapp.contact.*` (identity_changed, marketing_preference_changed) | [`KapsoPayload::Contact`] |
/// | `whatsapp.meta_business_agent.handover` (no documented payload) | [`KapsoPayload::Handover`] |
/// | `whatsapp.phone_number.*` (created, deleted, offboarded, disconnected, reconnected) | [`KapsoPayload::PhoneNumber`] |
/// | `whatsapp.account.*` (disabled, restricted, reinstated, violation) | [`KapsoPayload::Account`] |
/// | `workflow.execution.*` (handoff, failed) | [`KapsoPayload::Workflow`] |
/// | `project.event` | [`KapsoPayload::Custom`] |
/// | `kapso_agent.run.*` (approval_required, completed, failed, cancelled) | [`KapsoPayload::AgentRun`] |
/// | any event in a v1 payload, and `whatsapp.config.created` | [`KapsoPayload::Legacy`] |
/// | a name outside Kapso's catalog (or no name) | [`KapsoPayload::Unknown`] |
/// | a catalog name whose payload is not a JSON object | [`KapsoPayload::Unexpected`] |
///
/// `Serialize` writes the payload as received, camelCased.
///
/// ```
/// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
/// use kapso_webhooks::kapso_event::KapsoPayload;
/// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.order.refunded"), br#"{"order_id":"o-1"}"#)?.into_events();
/// assert_eq!(*events[0].payload(), KapsoPayload::Unknown(serde_json::json!({"orderId": "o-1"})));
/// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.message.sent"), b"[7]")?.into_events();
/// assert_eq!(*events[0].payload(), KapsoPayload::Unexpected(serde_json::json!([7])));
/// # Ok::<(), kapso_webhooks::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum KapsoPayload {
    /// A `whatsapp.message.*` event.
    Message(Box<MessageEvent>),
    /// A `whatsapp.conversation.*` event.
    Conversation(Box<ConversationEvent>),
    /// A `whatsapp.contact.*` event.
    Contact(Box<ContactEvent>),
    /// A `whatsapp.meta_business_agent.handover` event. Kapso documents no payload for it,
    /// so the object is kept whole, camelCased.
    Handover(Value),
    /// A `whatsapp.phone_number.*` event.
    PhoneNumber(Box<PhoneNumberEvent>),
    /// A `whatsapp.account.*` enforcement event.
    Account(Box<AccountEvent>),
    /// A `workflow.execution.*` event.
    Workflow(Box<WorkflowEvent>),
    /// A custom `project.event`.
    Custom(Box<CustomEvent>),
    /// A `kapso_agent.run.*` event.
    AgentRun(Box<AgentRunEvent>),
    /// A legacy v1 payload.
    Legacy(Box<LegacyPayload>),
    /// An event whose name is outside Kapso's catalog (or that has no name), kept whole,
    /// camelCased.
    Unknown(Value),
    /// A catalog event whose body is not the documented shape (not a JSON object: an array, a
    /// string, `null`, …), kept whole, camelCased.
    Unexpected(Value),
}

impl KapsoPayload {
    /// The paths of the keys this payload did not type, at any depth (see the `unknown_keys()`
    /// of each payload struct): empty when everything was typed. A payload kept whole
    /// ([`KapsoPayload::Handover`], [`KapsoPayload::Unknown`], [`KapsoPayload::Unexpected`])
    /// lists each of its top-level keys
    /// (or `""` when it is not an object).
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// let body = br#"{"phone_number_id":"109283746550123","project":{"id":"p-1","tier":"pro"}}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.phone_number.created"), body)?.into_events();
    /// assert_eq!(events[0].payload().unknown_keys(), ["project.tier"]);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn unknown_keys(&self) -> Vec<String> {
        match self {
            KapsoPayload::Message(payload) => payload.unknown_keys(),
            KapsoPayload::Conversation(payload) => payload.unknown_keys(),
            KapsoPayload::Contact(payload) => payload.unknown_keys(),
            KapsoPayload::PhoneNumber(payload) => payload.unknown_keys(),
            KapsoPayload::Account(payload) => payload.unknown_keys(),
            KapsoPayload::Workflow(payload) => payload.unknown_keys(),
            KapsoPayload::Custom(payload) => payload.unknown_keys(),
            KapsoPayload::AgentRun(payload) => payload.unknown_keys(),
            KapsoPayload::Legacy(payload) => payload.unknown_keys(),
            KapsoPayload::Handover(value)
            | KapsoPayload::Unknown(value)
            | KapsoPayload::Unexpected(value) => match value {
                Value::Object(fields) => fields.keys().cloned().collect(),
                _ => vec![String::new()],
            },
        }
    }
}

impl Serialize for KapsoPayload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            KapsoPayload::Message(payload) => payload.serialize(serializer),
            KapsoPayload::Conversation(payload) => payload.serialize(serializer),
            KapsoPayload::Contact(payload) => payload.serialize(serializer),
            KapsoPayload::Handover(value) => value.serialize(serializer),
            KapsoPayload::PhoneNumber(payload) => payload.serialize(serializer),
            KapsoPayload::Account(payload) => payload.serialize(serializer),
            KapsoPayload::Workflow(payload) => payload.serialize(serializer),
            KapsoPayload::Custom(payload) => payload.serialize(serializer),
            KapsoPayload::AgentRun(payload) => payload.serialize(serializer),
            KapsoPayload::Legacy(payload) => payload.serialize(serializer),
            KapsoPayload::Unknown(value) | KapsoPayload::Unexpected(value) => {
                value.serialize(serializer)
            }
        }
    }
}

/// One Kapso event: its name and its typed payload.
///
/// `Serialize` (and [`KapsoEvent::to_json`]) writes one flat object: `event` (the name, or
/// `null` when unknown) followed by the payload's keys, camelCased, the way the
/// `kapso-webhooks kapso-event` command prints it. A payload that has its own `event` key (the
/// workflow events) does not repeat it; a payload that is not an object is written under
/// `payload`.
///
/// ```
/// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
/// let body = br#"{"phone_number_id":"109283746550123","project":{"id":"p-1"}}"#;
/// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.phone_number.deleted"), body)?.into_events();
/// assert_eq!(
///     serde_json::to_string(&events[0]).unwrap(),
///     r#"{"event":"whatsapp.phone_number.deleted","phoneNumberId":"109283746550123","project":{"id":"p-1"}}"#
/// );
/// # Ok::<(), kapso_webhooks::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct KapsoEvent {
    name: Option<KapsoEventName>,
    payload: KapsoPayload,
}

impl KapsoEvent {
    /// The event name: the `X-Webhook-Event` header, else the batch's `type`, else the body's
    /// own `event`. `None` when none of them gives one.
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoEventName, KapsoHeaders};
    /// let delivery = parse_kapso_delivery(&KapsoHeaders::default(), br#"{"event":"project.event"}"#)?;
    /// assert_eq!(delivery.events()[0].name(), Some(&KapsoEventName::ProjectEvent));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn name(&self) -> Option<&KapsoEventName> {
        self.name.as_ref()
    }

    /// The payload, typed by the event name.
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// use kapso_webhooks::kapso_event::KapsoPayload;
    /// let headers = KapsoHeaders::for_event("whatsapp.conversation.ended");
    /// let delivery = parse_kapso_delivery(&headers, br#"{"conversation":{"id":"conv_5"}}"#)?;
    /// assert!(matches!(delivery.events()[0].payload(), KapsoPayload::Conversation(_)));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn payload(&self) -> &KapsoPayload {
        &self.payload
    }

    /// The payload, owned.
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// use kapso_webhooks::kapso_event::KapsoPayload;
    /// let headers = KapsoHeaders::for_event("project.event");
    /// let delivery = parse_kapso_delivery(&headers, br#"{"id":"evt-1"}"#)?;
    /// for event in delivery.into_events() {
    ///     let KapsoPayload::Custom(custom) = event.into_payload() else { unreachable!() };
    ///     assert_eq!(custom.id.as_deref(), Some("evt-1"));
    /// }
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn into_payload(self) -> KapsoPayload {
        self.payload
    }

    /// The message of a `whatsapp.message.*` event.
    ///
    /// ```
    /// let events = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::for_event("whatsapp.message.read"),
    ///     br#"{"message":{"id":"wamid.K2","kapso":{"status":"read"}}}"#,
    /// )?.into_events();
    /// assert_eq!(events[0].message().and_then(|m| m.id.as_deref()), Some("wamid.K2"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn message(&self) -> Option<&Message> {
        match &self.payload {
            KapsoPayload::Message(payload) => payload.message.as_ref(),
            _ => None,
        }
    }

    /// The conversation of a message, conversation or legacy v1 event.
    ///
    /// ```
    /// let events = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::for_event("whatsapp.conversation.ended"),
    ///     br#"{"conversation":{"id":"conv_5","status":"ended"}}"#,
    /// )?.into_events();
    /// assert_eq!(events[0].conversation().and_then(|c| c.id.as_deref()), Some("conv_5"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn conversation(&self) -> Option<&KapsoConversation> {
        match &self.payload {
            KapsoPayload::Message(payload) => payload.conversation.as_ref(),
            KapsoPayload::Conversation(payload) => payload.conversation.as_ref(),
            KapsoPayload::Legacy(payload) => payload.conversation.as_ref(),
            _ => None,
        }
    }

    /// The business phone number ID the event concerns (for routing): the payload's
    /// `phone_number_id`, or `whatsapp_config.phone_number_id` in v1 payloads. `None` for the
    /// events that are not about one number (account enforcement events list theirs in
    /// [`AccountEvent::phone_numbers`]; workflow, custom and agent-run events have none).
    ///
    /// ```
    /// let events = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::for_event("whatsapp.something.new"),
    ///     br#"{"phone_number_id":"109283746550123"}"#,
    /// )?.into_events();
    /// assert_eq!(events[0].phone_number_id(), Some("109283746550123"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn phone_number_id(&self) -> Option<&str> {
        match &self.payload {
            KapsoPayload::Message(payload) => payload.phone_number_id.as_deref(),
            KapsoPayload::Conversation(payload) => payload.phone_number_id.as_deref(),
            KapsoPayload::Contact(payload) => payload.phone_number_id.as_deref(),
            KapsoPayload::PhoneNumber(payload) => payload.phone_number_id.as_deref(),
            KapsoPayload::Account(_)
            | KapsoPayload::Workflow(_)
            | KapsoPayload::Custom(_)
            | KapsoPayload::AgentRun(_) => None,
            KapsoPayload::Legacy(payload) => payload
                .whatsapp_config
                .as_ref()
                .and_then(|config| config.phone_number_id.as_deref()),
            KapsoPayload::Handover(value)
            | KapsoPayload::Unknown(value)
            | KapsoPayload::Unexpected(value) => value.get("phoneNumberId").and_then(Value::as_str),
        }
    }

    /// Whether the payload is in the legacy v1 format.
    ///
    /// ```
    /// let events = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::for_event("whatsapp.config.created"),
    ///     br#"{"whatsapp_config":{"id":"cfg-1"}}"#,
    /// )?.into_events();
    /// assert!(events[0].is_legacy());
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn is_legacy(&self) -> bool {
        matches!(self.payload, KapsoPayload::Legacy(_))
    }

    /// The key that identifies this event across Kapso's redeliveries, read from the event
    /// itself (so it is the same with or without `X-Idempotency-Key`, and for an event alone or
    /// inside a batch): the event name, then the IDs (and status) that tell it apart from every
    /// other event. `None` when the payload lacks those IDs, or is not typed
    /// ([`KapsoPayload::Handover`], [`KapsoPayload::Unknown`], [`KapsoPayload::Unexpected`]); use
    /// [`KapsoDelivery::dedupe_key`] then.
    ///
    /// | event | key |
    /// | --- | --- |
    /// | `whatsapp.message.*` | `<name>:<message id>:<kapso.status>` |
    /// | `whatsapp.conversation.*` | `<name>:<conversation id>:<since_message id>` |
    /// | `whatsapp.contact.*` | `<name>:<contact id>:<previous BSUID>:<BSUID>:<marketing status>:<sequence>` |
    /// | `whatsapp.phone_number.*` | `<name>:<phone_number_id>:<id>` with an event `id` (v2 lifecycle events), else `<name>:<phone_number_id>::<occurred_at>`, else `None` |
    /// | `whatsapp.account.*` | `<name>:<id>` |
    /// | `workflow.execution.*` | `<name>:<workflow_execution_id>` |
    /// | `project.event` | `<name>:<id>` |
    /// | `kapso_agent.run.*` | `<name>:<id>`, else `<name>:<data.run_id>` |
    /// | legacy v1 | `<name>:<message id>:<status>`, else `<name>:<conversation id>`, else `<name>:<whatsapp_config id>` |
    ///
    /// An absent part is empty (`<name>` too, when the event has no name). The name is part of
    /// the key: Kapso sends one message as `received` (or `sent`), then `delivered`, `read` or
    /// `failed`, all with the same message ID, and each of these is a different event with a
    /// different key. Keep the keys you processed and skip an event whose key you have seen.
    ///
    /// The parts are joined with `:`. The IDs Kapso and Meta send (`wamid.…`, UUIDs, digits,
    /// `US.…` BSUIDs) contain no `:`, but a timestamp, a custom ID or an event name from outside
    /// the catalog may; so that the join stays unambiguous, each part is written with `%` as
    /// `%25` and `:` as `%3A`. A key whose parts contain neither reads as the plain IDs.
    ///
    /// A `whatsapp.phone_number.created` or `.deleted` event carries only the number
    /// (`{phone_number_id, project, customer}`): a number created, deleted and created again
    /// gives two `created` events that nothing in the body tells apart, so such an event has no
    /// key of its own; deduplicate it by its delivery's `X-Idempotency-Key`
    /// ([`KapsoDelivery::dedupe_key`]).
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// let body = br#"{"message":{"id":"wamid.A","kapso":{"status":"delivered"}}}"#;
    /// let headers = KapsoHeaders::for_event("whatsapp.message.delivered");
    /// let events = parse_kapso_delivery(&headers, body)?.into_events();
    /// assert_eq!(
    ///     events[0].dedupe_key().as_deref(),
    ///     Some("whatsapp.message.delivered:wamid.A:delivered")
    /// );
    /// // A timestamp's `:` are escaped.
    /// let body = br#"{"phone_number_id":"109","occurred_at":"2026-04-11T08:42:17Z"}"#;
    /// let headers = KapsoHeaders::for_event("whatsapp.phone_number.disconnected");
    /// let events = parse_kapso_delivery(&headers, body)?.into_events();
    /// assert_eq!(
    ///     events[0].dedupe_key().as_deref(),
    ///     Some("whatsapp.phone_number.disconnected:109::2026-04-11T08%3A42%3A17Z")
    /// );
    /// // Only the number: no key of the event's own.
    /// let headers = KapsoHeaders::for_event("whatsapp.phone_number.created");
    /// let events = parse_kapso_delivery(&headers, br#"{"phone_number_id":"109"}"#)?.into_events();
    /// assert_eq!(events[0].dedupe_key(), None);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn dedupe_key(&self) -> Option<String> {
        // Owned text for the parts that are not already strings.
        let sequence;
        let occurred_at;
        let parts: Vec<&str> = match &self.payload {
            KapsoPayload::Message(payload) => {
                let message = payload.message.as_ref()?;
                let status = message.kapso.as_ref().and_then(|k| k.status.as_ref());
                vec![message.id.as_deref()?, status.map_or("", |s| s.as_str())]
            }
            KapsoPayload::Conversation(payload) => {
                let id = payload.conversation.as_ref()?.id.as_deref()?;
                let since = payload
                    .since_message
                    .as_ref()
                    .and_then(|m| m.id.as_deref().or(m.whatsapp_message_id.as_deref()));
                vec![id, since.unwrap_or("")]
            }
            KapsoPayload::Contact(payload) => {
                let contact = payload.contact.as_ref()?;
                let id = contact
                    .id
                    .as_deref()
                    .or(contact.wa_id.as_deref())
                    .or(contact.business_scoped_user_id.as_deref())?;
                let previous = payload
                    .previous
                    .as_ref()
                    .and_then(|p| p.business_scoped_user_id.as_deref());
                let preference = payload.marketing_preference.as_ref();
                sequence = preference.and_then(|p| p.sequence).map(|n| n.to_string());
                let status = preference.and_then(|p| p.status.as_ref());
                vec![
                    id,
                    previous.unwrap_or(""),
                    contact.business_scoped_user_id.as_deref().unwrap_or(""),
                    status.map_or("", |s| s.as_str()),
                    sequence.as_deref().unwrap_or(""),
                ]
            }
            KapsoPayload::PhoneNumber(payload) => {
                let number = payload.phone_number_id.as_deref()?;
                match payload.id.as_deref() {
                    Some(id) => vec![number, id],
                    None => {
                        occurred_at = payload.occurred_at.as_ref()?.to_string();
                        vec![number, "", occurred_at.as_str()]
                    }
                }
            }
            KapsoPayload::Account(payload) => vec![payload.id.as_deref()?],
            KapsoPayload::Workflow(payload) => vec![payload.workflow_execution_id.as_deref()?],
            KapsoPayload::Custom(payload) => vec![payload.id.as_deref()?],
            KapsoPayload::AgentRun(payload) => {
                let run = || payload.data.as_ref()?.run_id.as_deref();
                vec![payload.id.as_deref().or_else(run)?]
            }
            KapsoPayload::Legacy(payload) => {
                let message = payload.message.as_ref().and_then(|m| {
                    let id = m.id.as_deref().or(m.whatsapp_message_id.as_deref())?;
                    Some(vec![id, m.status.as_ref().map_or("", |s| s.as_str())])
                });
                let conversation = || Some(vec![payload.conversation.as_ref()?.id.as_deref()?]);
                let config = || Some(vec![payload.whatsapp_config.as_ref()?.id.as_deref()?]);
                message.or_else(conversation).or_else(config)?
            }
            KapsoPayload::Handover(_) | KapsoPayload::Unknown(_) | KapsoPayload::Unexpected(_) => {
                return None
            }
        };
        let mut key = String::new();
        push_key_part(&mut key, self.name_str());
        for part in parts {
            key.push(':');
            push_key_part(&mut key, part);
        }
        Some(key)
    }

    /// The event name as sent, or `""` without one.
    fn name_str(&self) -> &str {
        self.name.as_ref().map_or("", KapsoEventName::as_str)
    }

    /// The event as one JSON object: `{"event": name, ...payload}` (see [`KapsoEvent`]). This
    /// is what `kapso-webhooks kapso-event` prints, one compact line per event.
    ///
    /// ```
    /// let events = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::for_event("whatsapp.conversation.created"),
    ///     br#"{"conversation":{"id":"conv_6","phone_number_id":"109283746550123"}}"#,
    /// )?.into_events();
    /// assert_eq!(
    ///     events[0].to_json(),
    ///     serde_json::json!({
    ///         "event": "whatsapp.conversation.created",
    ///         "conversation": {"id": "conv_6", "phoneNumberId": "109283746550123"}
    ///     })
    /// );
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn to_json(&self) -> Value {
        // Serializing into a `Value` cannot fail: every key is a string.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl Serialize for KapsoEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let payload = serde_json::to_value(&self.payload).map_err(serde::ser::Error::custom)?;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("event", &self.name)?;
        match &payload {
            Value::Object(fields) => {
                for (key, value) in fields {
                    if key != "event" {
                        map.serialize_entry(key, value)?;
                    }
                }
            }
            other => map.serialize_entry("payload", other)?,
        }
        map.end()
    }
}

/// Everything one Kapso webhook request delivered: its events (one, or all of a batch), the
/// batch envelope when buffered, the payload version and the idempotency key.
///
/// `Serialize` writes the body back, camelCased: the single payload, or the batch envelope with
/// its `data`.
///
/// ```
/// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
/// use kapso_webhooks::kapso_event::PayloadVersion;
/// let body = br#"{"type":"whatsapp.message.received","batch":true,"data":[
///   {"message":{"id":"wamid.A","type":"text","text":{"body":"one"}}},
///   {"message":{"id":"wamid.B","type":"text","text":{"body":"two"}}}],
///   "batch_info":{"size":2,"window_ms":5000}}"#;
/// let headers = KapsoHeaders::from_pairs([("x-webhook-batch", "true"), ("x-batch-size", "2")]);
/// let delivery = parse_kapso_delivery(&headers, body)?;
/// assert!(delivery.is_batch());
/// assert_eq!(delivery.version(), &PayloadVersion::V2);
/// let texts: Vec<_> = delivery.messages().filter_map(|m| m.text_body()).collect();
/// assert_eq!(texts, ["one", "two"]);
/// let json = serde_json::to_value(&delivery).unwrap();
/// assert_eq!(json["batchInfo"]["windowMs"], 5000);
/// assert_eq!(json["data"][1]["message"]["id"], "wamid.B");
/// # Ok::<(), kapso_webhooks::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct KapsoDelivery {
    headers: KapsoHeaders,
    events: Vec<KapsoEvent>,
    batch: Option<KapsoBatch>,
    version: PayloadVersion,
}

impl KapsoDelivery {
    /// The headers the delivery was parsed with.
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// let headers = KapsoHeaders::from_pairs([("X-Idempotency-Key", "k-1")]);
    /// let delivery = parse_kapso_delivery(&headers, b"{}")?;
    /// assert_eq!(delivery.headers(), &headers);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn headers(&self) -> &KapsoHeaders {
        &self.headers
    }

    /// The events, in body order: one for an ordinary delivery, each item of `data` for a batch
    /// (possibly none).
    ///
    /// ```
    /// let delivery = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::for_event("whatsapp.message.received"),
    ///     br#"{"type":"whatsapp.message.received","batch":true,"data":[{"message":{"id":"a"}},{"message":{"id":"b"}}]}"#,
    /// )?;
    /// assert_eq!(delivery.events().len(), 2);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn events(&self) -> &[KapsoEvent] {
        &self.events
    }

    /// The events, owned (see [`KapsoDelivery::events`]).
    ///
    /// ```
    /// let delivery = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::for_event("whatsapp.message.sent"),
    ///     br#"{"message":{"id":"wamid.A"}}"#,
    /// )?;
    /// let events: Vec<kapso_webhooks::KapsoEvent> = delivery.into_events();
    /// assert_eq!(events.len(), 1);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn into_events(self) -> Vec<KapsoEvent> {
        self.events
    }

    /// The batch envelope (type, `batch_info`, unknown keys), for buffered deliveries.
    ///
    /// ```
    /// let delivery = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::default(),
    ///     br#"{"type":"whatsapp.message.received","batch":true,"data":[],"batch_info":{"size":0}}"#,
    /// )?;
    /// let batch = delivery.batch().unwrap();
    /// assert_eq!(batch.batch_info.as_ref().and_then(|info| info.size), Some(0));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn batch(&self) -> Option<&KapsoBatch> {
        self.batch.as_ref()
    }

    /// The payload version: the `X-Webhook-Payload-Version` header; without it, `v1` when the
    /// body has a `whatsapp_config` object, otherwise `v2`.
    ///
    /// ```
    /// use kapso_webhooks::kapso_event::PayloadVersion;
    /// let delivery = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::for_event("whatsapp.config.created"),
    ///     br#"{"whatsapp_config":{"id":"cfg-1"}}"#,
    /// )?;
    /// assert_eq!(delivery.version(), &PayloadVersion::V1);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn version(&self) -> &PayloadVersion {
        &self.version
    }

    /// Whether the body was a batch (buffered `whatsapp.message.received` events).
    ///
    /// ```
    /// let delivery = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::for_event("whatsapp.message.received"),
    ///     br#"{"message":{"id":"wamid.A"}}"#,
    /// )?;
    /// assert!(!delivery.is_batch());
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn is_batch(&self) -> bool {
        self.batch.is_some()
    }

    /// `X-Idempotency-Key`, when present: the same on every retry of this delivery (see
    /// [`KapsoDelivery::dedupe_key`]).
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// let headers = KapsoHeaders::from_pairs([("X-Idempotency-Key", "k-1")]);
    /// let delivery = parse_kapso_delivery(&headers, b"{}")?;
    /// assert_eq!(delivery.idempotency_key(), Some("k-1"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn idempotency_key(&self) -> Option<&str> {
        self.headers.idempotency_key.as_deref()
    }

    /// The key that identifies this delivery (this request, retried) across Kapso's
    /// redeliveries: `X-Idempotency-Key` when present, else, for a delivery of one event (not a
    /// batch), that event's [`KapsoEvent::dedupe_key`]; `None` otherwise.
    ///
    /// The idempotency key is per delivery: every retry of one request carries the same key,
    /// and every other delivery (the next status of the same message, too) another one. For a
    /// batch it identifies the whole batch, every event in it together: skip a retried batch
    /// whole by this key. A batch without the header has no delivery key: deduplicate its
    /// events one by one with [`KapsoEvent::dedupe_key`] (which is also the key to use when you
    /// store events from several deliveries, or deliveries both with and without the header).
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// let body = br#"{"message":{"id":"wamid.A","kapso":{"status":"read"}}}"#;
    /// let with_key = KapsoHeaders::from_pairs([
    ///     ("X-Webhook-Event", "whatsapp.message.read"),
    ///     ("X-Idempotency-Key", "0d6c1f5e-8f4a-4b7e-a1c2-93e8d7f6b5a4"),
    /// ]);
    /// let delivery = parse_kapso_delivery(&with_key, body)?;
    /// assert_eq!(delivery.dedupe_key().as_deref(), Some("0d6c1f5e-8f4a-4b7e-a1c2-93e8d7f6b5a4"));
    /// // Without the header: the event's own key.
    /// let delivery = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.message.read"), body)?;
    /// assert_eq!(delivery.dedupe_key().as_deref(), Some("whatsapp.message.read:wamid.A:read"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn dedupe_key(&self) -> Option<String> {
        if let Some(key) = self.idempotency_key() {
            return Some(key.to_owned());
        }
        match (&self.batch, self.events.as_slice()) {
            (None, [event]) => event.dedupe_key(),
            _ => None,
        }
    }

    /// The messages of the delivery's message events, in order.
    ///
    /// ```
    /// let delivery = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::for_event("whatsapp.message.sent"),
    ///     br#"{"message":{"id":"wamid.A"}}"#,
    /// )?;
    /// assert_eq!(delivery.messages().count(), 1);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn messages(&self) -> impl Iterator<Item = &Message> {
        self.events.iter().filter_map(KapsoEvent::message)
    }

    /// Each event as one JSON value ([`KapsoEvent::to_json`]): what the
    /// `kapso-webhooks kapso-event` command prints, one line per event.
    ///
    /// ```
    /// let delivery = kapso_webhooks::parse_kapso_delivery(
    ///     &kapso_webhooks::KapsoHeaders::for_event("whatsapp.message.received"),
    ///     br#"{"type":"whatsapp.message.received","batch":true,"data":[{"message":{"id":"a"}},{"message":{"id":"b"}}]}"#,
    /// )?;
    /// let lines: Vec<String> = delivery.event_values().map(|value| value.to_string()).collect();
    /// assert_eq!(lines, [
    ///     r#"{"event":"whatsapp.message.received","message":{"id":"a"}}"#,
    ///     r#"{"event":"whatsapp.message.received","message":{"id":"b"}}"#,
    /// ]);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn event_values(&self) -> impl Iterator<Item = Value> + '_ {
        self.events.iter().map(KapsoEvent::to_json)
    }
}

impl Serialize for KapsoDelivery {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.batch {
            Some(batch) => {
                let envelope = serde_json::to_value(batch).map_err(serde::ser::Error::custom)?;
                let mut map = serializer.serialize_map(None)?;
                if let Value::Object(fields) = &envelope {
                    for (key, value) in fields {
                        map.serialize_entry(key, value)?;
                    }
                }
                let data: Vec<&KapsoPayload> =
                    self.events.iter().map(|event| event.payload()).collect();
                map.serialize_entry("data", &data)?;
                map.end()
            }
            None => match self.events.first() {
                Some(event) => event.payload().serialize(serializer),
                None => serializer.serialize_unit(),
            },
        }
    }
}

/// Parses a Kapso webhook request: its headers and its raw body. Returns every event of the
/// delivery (one, or every item of a batch) with its payload typed by the event name.
///
/// - The event name comes from the `X-Webhook-Event` header; without it, from the batch's
///   `type`, or the body's own `event` (workflow events carry one).
/// - A body is a batch when it is an object with a `data` array and either `batch: true` or the
///   `X-Webhook-Batch: true` header.
/// - A payload is read as legacy v1 when `X-Webhook-Payload-Version` is `v1`, or, without that
///   header, when it has a `whatsapp_config` object.
///
/// The signature is not checked here: check it first on the raw body with
/// [`Verifier`](crate::verify::Verifier), whose [`Verified::parse`](crate::verify::Verified::parse)
/// calls this function.
///
/// # Errors
///
/// [`Error`] only when the body is not valid JSON (or not UTF-8). Any JSON parses: an unknown
/// event is kept whole in [`KapsoPayload::Unknown`], an unexpected shape in
/// [`KapsoPayload::Unexpected`].
///
/// ```
/// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
/// use kapso_webhooks::kapso_event::KapsoPayload;
/// let headers = KapsoHeaders::from_pairs([("x-webhook-event", "whatsapp.conversation.created")]);
/// let delivery = parse_kapso_delivery(&headers, br#"{"conversation":{"id":"conv_8"}}"#)?;
/// assert!(matches!(delivery.events()[0].payload(), KapsoPayload::Conversation(_)));
/// assert!(parse_kapso_delivery(&headers, b"{\"conversation\":").is_err());
/// # Ok::<(), kapso_webhooks::Error>(())
/// ```
pub fn parse_kapso_delivery(headers: &KapsoHeaders, body: &[u8]) -> Result<KapsoDelivery, Error> {
    let value: Value = serde_json::from_slice(body)?;
    Ok(parse_kapso_delivery_value(headers, &value))
}

/// Parses an already parsed Kapso webhook body (see [`parse_kapso_delivery`]). Never fails.
///
/// Any depth is handled: a body nested deeper than the 128 levels serde_json allows is read on
/// a scoped thread whose stack is sized for its depth (as [`crate::normalize_webhook_value`]
/// does). In the unlikely case that the system refuses such a stack (a body nested millions of
/// levels deep), the delivery has no events.
///
/// ```
/// use kapso_webhooks::{parse_kapso_delivery_value, KapsoHeaders};
/// let body = serde_json::json!({"phone_number_id": "109283746550123"});
/// let headers = KapsoHeaders::for_event("whatsapp.phone_number.created");
/// let delivery = parse_kapso_delivery_value(&headers, &body);
/// assert_eq!(delivery.events()[0].phone_number_id(), Some("109283746550123"));
/// ```
pub fn parse_kapso_delivery_value(headers: &KapsoHeaders, body: &Value) -> KapsoDelivery {
    crate::json::depth::with_stack_for(body, || delivery_from_value(headers, body)).unwrap_or_else(
        || KapsoDelivery {
            headers: headers.clone(),
            events: Vec::new(),
            batch: None,
            version: headers
                .payload_version
                .clone()
                .unwrap_or(PayloadVersion::V2),
        },
    )
}

/// Appends one part of a dedupe key to `key`, with `%` written `%25` and `:` written `%3A` so
/// that the `:` between parts is unambiguous.
fn push_key_part(key: &mut String, part: &str) {
    for c in part.chars() {
        match c {
            '%' => key.push_str("%25"),
            ':' => key.push_str("%3A"),
            c => key.push(c),
        }
    }
}

/// [`parse_kapso_delivery_value`], on a stack deep enough for `body`.
fn delivery_from_value(headers: &KapsoHeaders, body: &Value) -> KapsoDelivery {
    let header_batch = headers.batch == Some(true);
    let batch_items = match body {
        Value::Object(fields) => match fields.get("data") {
            Some(Value::Array(items))
                if header_batch || fields.get("batch") == Some(&Value::Bool(true)) =>
            {
                Some((fields, items))
            }
            _ => None,
        },
        _ => None,
    };

    let (batch, items): (Option<KapsoBatch>, Vec<&Value>) = match batch_items {
        Some((fields, items)) => {
            let envelope: Map = fields
                .iter()
                .filter(|(key, _)| key.as_str() != "data")
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            let envelope = Value::Object(envelope);
            let batch = typed::<KapsoBatch>(&envelope).unwrap_or_default();
            (Some(batch), items.iter().collect())
        }
        None => (None, vec![body]),
    };

    let batch_type = batch.as_ref().and_then(|b| b.event_type.clone());
    let version = headers.payload_version.clone().unwrap_or_else(|| {
        if items.iter().any(|item| has_whatsapp_config(item)) {
            PayloadVersion::V1
        } else {
            PayloadVersion::V2
        }
    });

    let events = items
        .into_iter()
        .map(|item| {
            let name = headers
                .event
                .clone()
                .or_else(|| batch_type.clone())
                .or_else(|| match item.get("event") {
                    Some(Value::String(event)) if !event.is_empty() => {
                        Some(KapsoEventName::from(event.as_str()))
                    }
                    _ => None,
                });
            let legacy = match &headers.payload_version {
                Some(version) => *version == PayloadVersion::V1,
                None => has_whatsapp_config(item),
            };
            let payload = typed_payload(name.as_ref(), legacy, item);
            KapsoEvent { name, payload }
        })
        .collect();

    KapsoDelivery {
        headers: headers.clone(),
        events,
        batch,
        version,
    }
}

fn has_whatsapp_config(item: &Value) -> bool {
    item.get("whatsapp_config").is_some_and(Value::is_object)
}

/// Builds `T` from `value` camelCased once; `None` when `value` does not fit (not an object).
fn typed<T: Field>(value: &Value) -> Option<T> {
    match T::deserialize_field(Camel::new(value, 1)) {
        Ok(Ok(typed)) => Some(typed),
        // Reading a `&Value` cannot fail; a value of another shape is handed back.
        Ok(Err(_)) | Err(_) => None,
    }
}

/// `value` camelCased once.
fn camel_value(value: &Value) -> Value {
    // Deserializing a `Value` from a `&Value` cannot fail.
    Value::deserialize(Camel::new(value, 1)).unwrap_or(Value::Null)
}

fn typed_payload(name: Option<&KapsoEventName>, legacy: bool, value: &Value) -> KapsoPayload {
    let kind = name.and_then(KapsoEventName::payload_kind);
    let payload = if !value.is_object() {
        None
    } else if legacy || kind == Some(PayloadKind::Legacy) {
        typed(value).map(|p| KapsoPayload::Legacy(Box::new(p)))
    } else {
        match kind {
            Some(PayloadKind::Message) => typed(value).map(|p| KapsoPayload::Message(Box::new(p))),
            Some(PayloadKind::Conversation) => {
                typed(value).map(|p| KapsoPayload::Conversation(Box::new(p)))
            }
            Some(PayloadKind::Contact) => typed(value).map(|p| KapsoPayload::Contact(Box::new(p))),
            Some(PayloadKind::Handover) => Some(KapsoPayload::Handover(camel_value(value))),
            Some(PayloadKind::PhoneNumber) => {
                typed(value).map(|p| KapsoPayload::PhoneNumber(Box::new(p)))
            }
            Some(PayloadKind::Account) => typed(value).map(|p| KapsoPayload::Account(Box::new(p))),
            Some(PayloadKind::Workflow) => {
                typed(value).map(|p| KapsoPayload::Workflow(Box::new(p)))
            }
            Some(PayloadKind::Custom) => typed(value).map(|p| KapsoPayload::Custom(Box::new(p))),
            Some(PayloadKind::AgentRun) => {
                typed(value).map(|p| KapsoPayload::AgentRun(Box::new(p)))
            }
            Some(PayloadKind::Legacy) | None => None,
        }
    };
    payload.unwrap_or_else(|| {
        // A catalog name whose body did not type (not an object) is `Unexpected`; `Unknown` is
        // only for names outside the catalog (a v1 payload of such a name is still `Legacy`).
        let value = camel_value(value);
        if kind.is_some() {
            KapsoPayload::Unexpected(value)
        } else {
            KapsoPayload::Unknown(value)
        }
    })
}
