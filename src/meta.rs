//! Meta's WhatsApp Cloud API webhooks: from the body's bytes to a [`NormalizedWebhook`], the
//! exact mirror of Kapso's `normalizeWebhook`, with typed items and typed per-field events.
//!
//! - [`normalize_webhook`] (bytes) and [`normalize_webhook_value`] (an already parsed body): the
//!   entry points;
//! - [`NormalizedWebhook`]: the result (`contacts()`, `messages()`, `statuses()`, `calls()`,
//!   `raw()`), with [`Change`] and [`ChangeOrigin`] telling where each item came from and
//!   [`RawFields`] holding every change value, camelCased, by field;
//! - [`message`], [`status`], [`call`], [`contact`]: the typed items of its lists;
//! - [`event`]: every other webhook field (account alerts, templates, flows, history, …), typed.

mod envelope;
pub(crate) mod normalize;
pub(crate) mod webhook;

pub mod call;
pub mod contact;
pub mod event;
pub mod message;
pub mod status;

pub use normalize::{normalize_webhook, normalize_webhook_value};
pub use webhook::{Change, ChangeOrigin, NormalizedWebhook, RawFields};
