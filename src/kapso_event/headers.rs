//! [`KapsoHeaders`]: the headers of a Kapso webhook delivery, typed.

use std::borrow::Cow;

use crate::json::wire::open_enum;
use crate::kapso_event::name::KapsoEventName;
use crate::verify::signature::KAPSO_SIGNATURE_HEADER;

/// Name of the header carrying the event name, lowercase.
///
/// ```
/// assert_eq!(kapso_webhooks::kapso_event::EVENT_HEADER, "x-webhook-event");
/// ```
pub const EVENT_HEADER: &str = "x-webhook-event";

/// Name of the header carrying the idempotency key (the dedupe key of a delivery), lowercase.
///
/// ```
/// assert_eq!(kapso_webhooks::kapso_event::IDEMPOTENCY_KEY_HEADER, "x-idempotency-key");
/// ```
pub const IDEMPOTENCY_KEY_HEADER: &str = "x-idempotency-key";

/// Name of the header carrying the payload version (`v1` or `v2`), lowercase.
///
/// ```
/// assert_eq!(kapso_webhooks::kapso_event::PAYLOAD_VERSION_HEADER, "x-webhook-payload-version");
/// ```
pub const PAYLOAD_VERSION_HEADER: &str = "x-webhook-payload-version";

/// Name of the header that is `true` on buffered (batched) deliveries, lowercase.
///
/// ```
/// assert_eq!(kapso_webhooks::kapso_event::BATCH_HEADER, "x-webhook-batch");
/// ```
pub const BATCH_HEADER: &str = "x-webhook-batch";

/// Name of the header carrying the number of events in a batch, lowercase.
///
/// ```
/// assert_eq!(kapso_webhooks::kapso_event::BATCH_SIZE_HEADER, "x-batch-size");
/// ```
pub const BATCH_SIZE_HEADER: &str = "x-batch-size";

open_enum! {
    /// The payload format of a Kapso webhook (`X-Webhook-Payload-Version`).
    ///
    /// ```
    /// use kapso_webhooks::kapso_event::PayloadVersion;
    /// assert_eq!(PayloadVersion::from("v1"), PayloadVersion::V1);
    /// assert!(PayloadVersion::from("v3").is_other());
    /// ```
    pub enum PayloadVersion {
        /// Legacy: a nested `whatsapp_config`, flat message fields (`message_type`, `content`).
        V1 = "v1",
        /// Current: `phone_number_id` at the top, Meta-shaped messages with a `kapso` object.
        V2 = "v2",
    }
}

/// The Kapso headers of a webhook request, typed. Build it from any header list with
/// [`KapsoHeaders::from_pairs`] (names are matched case-insensitively), or from just an event
/// name with [`KapsoHeaders::for_event`]. To check the signature, use
/// [`Verifier`](crate::verify::Verifier) on the same headers.
///
/// Every field is `None` when its header is absent or blank (or, for `batch` and `batch_size`,
/// not a boolean / number). When a header appears more than once, the first one counts.
///
/// ```
/// use kapso_webhooks::{KapsoEventName, KapsoHeaders};
/// use kapso_webhooks::kapso_event::PayloadVersion;
/// let headers = KapsoHeaders::from_pairs([
///     ("X-Webhook-Event", "whatsapp.message.received"),
///     ("x-webhook-signature", "0b1c…"),
///     ("X-IDEMPOTENCY-KEY", "5f0e6a52-0f7c-4a8e-9d1b-2c3d4e5f6a7b"),
///     ("X-Webhook-Payload-Version", "v2"),
///     ("X-Webhook-Batch", "true"),
///     ("X-Batch-Size", "3"),
///     ("Content-Type", "application/json"),
/// ]);
/// assert_eq!(headers.event, Some(KapsoEventName::MessageReceived));
/// assert_eq!(headers.idempotency_key.as_deref(), Some("5f0e6a52-0f7c-4a8e-9d1b-2c3d4e5f6a7b"));
/// assert_eq!(headers.payload_version, Some(PayloadVersion::V2));
/// assert_eq!((headers.batch, headers.batch_size), (Some(true), Some(3)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct KapsoHeaders {
    /// `X-Webhook-Event`: the event name.
    pub event: Option<KapsoEventName>,
    /// `X-Webhook-Signature`: the hex HMAC-SHA256 of the raw body; checked by
    /// [`Verifier`](crate::verify::Verifier).
    pub signature: Option<String>,
    /// `X-Idempotency-Key`: the same on every redelivery of one delivery. **This is the dedupe
    /// key**: Kapso delivers at least once (and retries when you do not answer 200 in time), so
    /// remember the keys you processed and skip repeats.
    pub idempotency_key: Option<String>,
    /// `X-Webhook-Payload-Version`: `v1` (legacy) or `v2`.
    pub payload_version: Option<PayloadVersion>,
    /// `X-Webhook-Batch`: `true` on buffered deliveries (`true`/`false`, any case).
    pub batch: Option<bool>,
    /// `X-Batch-Size`: how many events a buffered delivery holds.
    pub batch_size: Option<u64>,
}

impl KapsoHeaders {
    /// Reads the Kapso headers from any list of `(name, value)` pairs: an `http::HeaderMap`'s
    /// `iter()`, a `Vec<(String, String)>`, an array of `(&str, &str)`, … Names are compared
    /// case-insensitively; values are bytes or text (bytes that are not UTF-8 are read lossily,
    /// so a bad signature still fails verification as malformed rather than missing). Surrounding
    /// whitespace is removed from every value.
    ///
    /// ```
    /// use kapso_webhooks::KapsoHeaders;
    /// let pairs: Vec<(String, Vec<u8>)> = vec![
    ///     ("x-webhook-event".into(), b"workflow.execution.failed".to_vec()),
    ///     ("X-Webhook-Event".into(), b"ignored: the first one counts".to_vec()),
    ///     ("x-batch-size".into(), b"many".to_vec()),
    /// ];
    /// let headers = KapsoHeaders::from_pairs(pairs);
    /// assert_eq!(headers.event.unwrap().as_str(), "workflow.execution.failed");
    /// assert_eq!(headers.batch_size, None);
    /// ```
    pub fn from_pairs<I, N, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (N, V)>,
        N: AsRef<str>,
        V: AsRef<[u8]>,
    {
        let mut out = KapsoHeaders::default();
        // The headers already seen: the first occurrence counts, even when its value does not
        // parse.
        let mut seen: Vec<HeaderKey> = Vec::new();
        for (name, value) in pairs {
            let Some(key) = HeaderKey::of(name.as_ref()) else {
                continue;
            };
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let text = String::from_utf8_lossy(value.as_ref());
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            match key {
                HeaderKey::Event => out.event = Some(KapsoEventName::from(text)),
                HeaderKey::Signature => out.signature = Some(text.to_owned()),
                HeaderKey::IdempotencyKey => out.idempotency_key = Some(text.to_owned()),
                HeaderKey::PayloadVersion => {
                    out.payload_version = Some(PayloadVersion::from(text));
                }
                HeaderKey::Batch => out.batch = parse_bool(text),
                HeaderKey::BatchSize => out.batch_size = text.parse().ok(),
            }
        }
        out
    }

    /// Headers that name only the event, for when the name comes from elsewhere (a command-line
    /// argument, a queue message).
    ///
    /// ```
    /// use kapso_webhooks::{KapsoEventName, KapsoHeaders};
    /// let headers = KapsoHeaders::for_event(KapsoEventName::MessageSent);
    /// assert_eq!(headers.event, Some(KapsoEventName::MessageSent));
    /// assert_eq!(headers.signature, None);
    /// ```
    pub fn for_event(event: impl Into<KapsoEventName>) -> Self {
        KapsoHeaders {
            event: Some(event.into()),
            ..KapsoHeaders::default()
        }
    }
}

/// The headers [`KapsoHeaders`] reads, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderKey {
    Event,
    Signature,
    IdempotencyKey,
    PayloadVersion,
    Batch,
    BatchSize,
}

impl HeaderKey {
    /// The header named `name`, compared case-insensitively (without allocating when `name` is
    /// already lowercase, as in an `http::HeaderMap`).
    fn of(name: &str) -> Option<Self> {
        let lower: Cow<'_, str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        match lower.as_ref() {
            EVENT_HEADER => Some(HeaderKey::Event),
            KAPSO_SIGNATURE_HEADER => Some(HeaderKey::Signature),
            IDEMPOTENCY_KEY_HEADER => Some(HeaderKey::IdempotencyKey),
            PAYLOAD_VERSION_HEADER => Some(HeaderKey::PayloadVersion),
            BATCH_HEADER => Some(HeaderKey::Batch),
            BATCH_SIZE_HEADER => Some(HeaderKey::BatchSize),
            _ => None,
        }
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}
