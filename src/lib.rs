//! # kapso-webhooks
//!
//! Typed, normalized WhatsApp webhooks for Rust: raw Meta Cloud API webhooks, normalized exactly
//! like Kapso's TypeScript `normalizeWebhook` (npm `@kapso/whatsapp-cloud-api` 0.3.0), with typed
//! messages, statuses, calls and contacts on top; Kapso's own events, typed; and signature checks.
//!
//! ## Map of the crate
//!
//! A webhook request goes in as headers and raw body bytes; typed values come out:
//!
//! 1. [`Verifier::verify`] (module [`verify`]) tells which of the three delivery kinds it is
//!    ([`DeliveryKind`]: Meta direct, a Meta body forwarded by Kapso, a Kapso event) and checks
//!    its signature with that sender's secrets; Meta's `GET` subscription handshake is
//!    [`verify::handshake`].
//! 2. [`Verified::parse`](verify::Verified::parse) gives a [`Delivery`]: a [`NormalizedWebhook`]
//!    for Meta bodies, a [`KapsoDelivery`] for Kapso events.
//!
//! The parsers are also entry points of their own, for bodies verified elsewhere (or read
//! from a queue or a file):
//!
//! | what arrives | call | what comes out | module |
//! | --- | --- | --- | --- |
//! | a Meta webhook body (direct or forwarded by Kapso) | [`normalize_webhook`] (or [`normalize_webhook_value`]) | [`NormalizedWebhook`]: [`Message`]s, [`Status`]es, [`Call`]s, [`Contact`]s, typed [`Event`]s | [`meta`] |
//! | a Kapso event | [`parse_kapso_delivery`] (or [`parse_kapso_delivery_value`]) with its [`KapsoHeaders`] | [`KapsoDelivery`]: [`KapsoEvent`]s, each with a [`Message`] when it is about one | [`kapso_event`] |
//!
//! - [`meta`]: the normalizer and its result; [`meta::message`], [`meta::status`],
//!   [`meta::call`], [`meta::contact`] hold the item types and their parts (`Text`, `Media`,
//!   `Pricing`, …); [`meta::event`] types every other webhook field (account alerts, templates,
//!   flows, history, …), one submodule per field.
//! - [`kapso_event`]: Kapso's own events: headers, the event catalog, typed payloads.
//! - [`verify`]: the [`Verifier`], the signature scheme under it, and Meta's handshake.
//! - [`timestamp`], [`numeric`], [`identity`]: the small value types every item uses.
//! - `axum` (feature `axum`): extractors that verify and parse, and a ready `Router`.
//!
//! ## Features
//!
//! | feature | what it adds |
//! | --- | --- |
//! | `axum` | the `axum` module: `Webhook` (any delivery kind), `MetaWebhook`, `KapsoWebhook` and `MetaHandshake` extractors, `WebhookConfig`, `router` |
//! | `server` | `axum` plus `axum::serve`, `axum::bind` and `axum::shutdown_signal`: an HTTP/1.1 server with a header deadline, a connection cap and graceful shutdown |
//! | `cli` | `server` plus the `kapso-webhooks` command-line tool (`normalize`, `kapso-event`, `verify`, `sign`, `listen`, `send`) |
//!
//! The root re-exports the entry points and the types every handler touches; everything else has
//! exactly one path, in its module.
//!
//! ## JSON text
//!
//! [`NormalizedWebhook::to_json`] returns the reference's text,
//! `JSON.stringify(normalizeWebhook(JSON.parse(body)))`, byte for byte (apart from the
//! deviations listed in the README): JavaScript's key order (integer-like keys first, then the
//! others as they came), numbers as JavaScript writes them (`1.0` → `1`, `1e21` → `1e+21`,
//! `0.000001`), strings escaped as `JSON.stringify` escapes them.
//! [`write_json`](NormalizedWebhook::write_json) appends the same text,
//! [`to_json_pretty`](NormalizedWebhook::to_json_pretty) only re-indents it, and
//! [`from_json`](NormalizedWebhook::from_json) reads it back to an equal webhook.
//!
//! `Serialize` (`serde_json::to_string`, `to_value`) writes the same keys and values, but
//! numbers in serde_json's spelling where it differs from JavaScript's (`1e-6` for `0.000001`,
//! `1e+20` for `100000000000000000000`, depending on serde_json's version), and an integer-like
//! key of a typed struct where it came rather than first; `to_json` is the exact text.
//!
//! What a typed struct does not type is kept as text, in its order: each `extra` field is an
//! [`Extra`] (unknown keys, values as [`RawJson`], parsed on first use), and free-form values
//! (a flow's response, template components, Kapso's `properties`, …) are [`RawJson`]. The crate
//! needs serde_json's default features only and imposes none on an application.
//! [`normalize_webhook_value`] normalizes a `serde_json::Value` in the order its maps iterate
//! (sorted keys, unless the application enables serde_json's `preserve_order`), so its text is
//! that of the value, not of the body the value was read from; Kapso events are read through a
//! `Value` too, so their free-form parts come in that order.
//!
//! ## Open enums
//!
//! Every enum of wire values (such as [`MessageType`], [`StatusKind`], [`KapsoEventName`]) is
//! *open*: a value this version does not know is kept in its `Other` case, as an
//! [`UnknownValue`]. Only parsing (`From<&str>`, `FromStr`, `Deserialize`) builds an
//! `UnknownValue`, and parsing maps every known value to its own variant, so a known value never
//! hides in `Other`: `MessageType::from("text")` is always `MessageType::Text`, and matching on
//! the variants is exhaustive for the values the crate knows.
//!
//! ## Deduplication
//!
//! Meta and Kapso deliver at least once. Every `dedupe_key()` returns `Option<String>`, a key that
//! is the same on every redelivery of one thing and differs between things:
//! [`Message::dedupe_key`] (a Meta message), [`Status::dedupe_key`] (one status of one message),
//! [`Call::dedupe_key`] (one call event), [`KapsoEvent::dedupe_key`] (one Kapso event) and
//! [`KapsoDelivery::dedupe_key`] (one Kapso delivery).
//!
//! ## Example
//!
//! ```
//! let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{
//!   "field":"messages","value":{"messaging_product":"whatsapp",
//!   "metadata":{"display_phone_number":"15550001111","phone_number_id":"109283746550123"},
//!   "contacts":[{"profile":{"name":"Ana"},"user_id":"US.13491208655302741918"}],
//!   "messages":[{"from_user_id":"US.13491208655302741918","id":"wamid.A","timestamp":"1732000000",
//!                "type":"text","text":{"body":"Hola"}}]}}]}]}"#;
//!
//! let webhook = kapso_webhooks::normalize_webhook(body)?;
//! for message in webhook.messages() {
//!     // A user may arrive with a business-scoped user ID and no phone number.
//!     let sender = message.sender();
//!     assert_eq!(sender.phone_number, None);
//!     assert_eq!(sender.preferred_id(), Some("US.13491208655302741918"));
//!     assert_eq!(message.text_body(), Some("Hola"));
//!     assert_eq!(message.direction(), Some(&kapso_webhooks::Direction::Inbound));
//! }
//! // The JSON text is exactly the reference's output, key order and all.
//! let text = webhook.to_json();
//! assert!(text.starts_with(r#"{"object":"whatsapp_business_account","phoneNumberId":"109283746550123","#));
//! assert_eq!(kapso_webhooks::NormalizedWebhook::from_json(&text)?, webhook);
//! // As a value, through serde.
//! let json = serde_json::to_value(&webhook)?;
//! assert_eq!(json["messages"][0]["fromUserId"], "US.13491208655302741918");
//! assert_eq!(json["raw"]["messages"][0]["messagingProduct"], "whatsapp");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! See the README for the output shape, the deliberate deviations from the reference, and the
//! command-line tool.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod extra;
mod json;
mod raw_json;
mod unknown_value;

#[cfg(feature = "axum")]
pub mod axum;
pub mod identity;
pub mod kapso_event;
pub mod meta;
pub mod numeric;
pub mod timestamp;
pub mod verify;

// The root: the entry points and the types every handler touches.
pub use error::{Error, ErrorCategory};
pub use extra::Extra;
pub use identity::UserIdentity;
pub use json::camel::camel_key;
pub use kapso_event::{
    parse_kapso_delivery, parse_kapso_delivery_value, KapsoDelivery, KapsoEvent, KapsoEventName,
    KapsoHeaders,
};
pub use meta::call::Call;
pub use meta::contact::Contact;
pub use meta::event::{Event, FieldEvent};
pub use meta::message::{Direction, Message, MessageType};
pub use meta::status::{Status, StatusKind};
pub use meta::{normalize_webhook, normalize_webhook_value, ChangeOrigin, NormalizedWebhook};
pub use raw_json::RawJson;
pub use timestamp::Timestamp;
pub use unknown_value::UnknownValue;
pub use verify::{Delivery, DeliveryKind, Verifier};

/// The type of every text field: a string that keeps up to 24 bytes inline, so that the short
/// ids, phone numbers and names of a webhook do not allocate. It derefs to `str`, compares with
/// `&str` and `String`, and converts into a `String` (`String::from`, `.into_string()`).
///
/// ```
/// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[
///   {"from":"15550104321","id":"wamid.A","type":"text","text":{"body":"Hola"}}]}}]}]}"#;
/// let webhook = kapso_webhooks::normalize_webhook(body)?;
/// let from: &kapso_webhooks::CompactString = webhook.messages()[0].from.as_ref().unwrap();
/// assert_eq!(from, "15550104321");
/// assert_eq!(webhook.messages()[0].from.as_deref(), Some("15550104321"));
/// let owned: String = from.clone().into_string();
/// assert_eq!(owned, "15550104321");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub use compact_str::CompactString;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
