//! Meta's WhatsApp Cloud API webhooks: from the body's bytes to a [`NormalizedWebhook`], the
//! exact mirror of Kapso's `normalizeWebhook`, with typed items and typed per-field events.
//!
//! - [`normalize`](crate::normalize_webhook): the entry points and the one pass over the body;
//! - [`NormalizedWebhook`]: the result (`contacts`, `messages`, `statuses`, `calls`, `raw`);
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

pub use normalize::{normalize_value, normalize_webhook};
pub use webhook::{Change, ChangeOrigin, NormalizedWebhook, Raw};
