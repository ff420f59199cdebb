//! [`NormalizedWebhook`]: the result of normalizing a webhook body, its per-field [`RawFields`]
//! passthrough, and where each item came from ([`Change`], [`ChangeOrigin`]).

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use compact_str::CompactString;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use smallvec::SmallVec;

use crate::identity::UserIdentity;
use crate::json::camel::camel_field;
use crate::json::reader::{Edits, Reader, Spans};
use crate::json::rewrite::{
    with_buffers, write_camel, write_camel_marked, write_camel_with, write_edited, Buffers, Marks,
};
use crate::json::stringify::{transcode, write_js, write_str};
use crate::meta::call::Call;
use crate::meta::contact::Contact;
use crate::meta::message::{Kapso, Message};
use crate::meta::status::Status;
use crate::raw_json::RawJson;
use crate::timestamp::Timestamp;

/// The normalized form of one webhook body: the reference's
/// `{object, phoneNumberId, displayPhoneNumber, contacts, messages, statuses, calls, raw}`.
///
/// `Serialize` writes exactly the reference's JSON; `Deserialize` reads it back into an equal
/// value. Equality compares that JSON-visible content; where each item came from
/// ([`NormalizedWebhook::changes`]) is known only for a webhook normalized from a body.
///
/// ```
/// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
///   "value":{"metadata":{"phone_number_id":"111","display_phone_number":"15550001111"},
///   "contacts":[{"profile":{"name":"Ana"},"wa_id":"15551234567"}],
///   "messages":[{"from":"15551234567","id":"wamid.A","timestamp":"1732000000","type":"text","text":{"body":"Hi"}}]}}]}]}"#;
/// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
/// assert_eq!(webhook.phone_number_id(), Some("111"));
/// assert_eq!(webhook.contacts()[0].name(), Some("Ana"));
/// assert_eq!(webhook.raw().get("messages").map(|values| values.len()), Some(1));
///
/// let json = serde_json::to_value(&webhook).unwrap();
/// assert_eq!(json["messages"][0]["kapso"]["direction"], "inbound");
/// let back: kapso_webhooks::NormalizedWebhook = serde_json::from_value(json).unwrap();
/// assert_eq!(back, webhook);
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct NormalizedWebhook {
    /// The body's `object`, such as `whatsapp_business_account`.
    pub(crate) object: Option<CompactString>,
    /// `metadata.phone_number_id` of the last change that had one, for a result without
    /// `changes` (read back from normalized JSON); otherwise found in `changes`, not copied.
    pub(crate) phone_number_id: Option<CompactString>,
    /// `metadata.display_phone_number`, in the same way.
    pub(crate) display_phone_number: Option<CompactString>,
    /// Contacts of every change, in document order.
    pub(crate) contacts: Vec<Contact>,
    /// Messages and echoes of every change, in document order.
    pub(crate) messages: Vec<Message>,
    /// Statuses of every change, in document order.
    pub(crate) statuses: Vec<Status>,
    /// Calls of every change, in document order.
    pub(crate) calls: Vec<Call>,
    pub(crate) raw: RawFields,
    /// Most bodies have one change: it is kept inline, without an allocation.
    pub(crate) changes: SmallVec<[ChangeRecord; 1]>,
    /// While reading: how many values of the body the reader was asked to record the place
    /// of (change values and items).
    pub(crate) values_read: usize,
    /// For each item, which of those values it is, while the item's text is exactly that
    /// value's (camelCased twice), `kapso` aside.
    pub(crate) item_values: ItemValues,
    /// The body, when `raw` does not keep it (see [`NormalizedWebhook::kept_text`]), and where
    /// its recorded values are.
    pub(crate) text: Option<Arc<str>>,
    pub(crate) spans: Spans,
}

/// For each item of each list, which recorded value of the body it is, if its text can be
/// written from the body (see [`NormalizedWebhook::write_json`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct ItemValues {
    pub(crate) contacts: ItemValueList,
    pub(crate) messages: ItemValueList,
    pub(crate) statuses: ItemValueList,
    pub(crate) calls: ItemValueList,
}

impl ItemValues {
    /// Whether some item has a recorded value.
    pub(crate) fn any(&self) -> bool {
        [&self.contacts, &self.messages, &self.statuses, &self.calls]
            .iter()
            .any(|values| values.iter().any(Option::is_some))
    }
}

/// The values of one list's items: inline for the usual one or two items.
pub(crate) type ItemValueList = SmallVec<[Option<u32>; 2]>;

/// The result's content and where each change came from (the kept body is not shown).
impl fmt::Debug for NormalizedWebhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NormalizedWebhook")
            .field("object", &self.object)
            .field("phone_number_id", &self.phone_number_id())
            .field("display_phone_number", &self.display_phone_number())
            .field("contacts", &self.contacts)
            .field("messages", &self.messages)
            .field("statuses", &self.statuses)
            .field("calls", &self.calls)
            .field("raw", &self.raw)
            .field("changes", &self.changes)
            .finish()
    }
}

impl PartialEq for NormalizedWebhook {
    fn eq(&self, other: &Self) -> bool {
        self.object == other.object
            && self.phone_number_id() == other.phone_number_id()
            && self.display_phone_number() == other.display_phone_number()
            && self.contacts == other.contacts
            && self.messages == other.messages
            && self.statuses == other.statuses
            && self.calls == other.calls
            && self.raw == other.raw
    }
}

/// Where a change came from: the entry's WABA ID and time, the change's field, and its own
/// metadata. The reference's result keeps only the *last* phone number; this keeps each one.
///
/// ```
/// let body = br#"{"entry":[
///   {"id":"WABA-1","time":1732000000,"changes":[{"field":"messages","value":{
///     "metadata":{"phone_number_id":"111"},"messages":[{"from":"1","id":"a"}]}}]},
///   {"id":"WABA-2","changes":[{"field":"messages","value":{
///     "metadata":{"phone_number_id":"222"},"messages":[{"from":"2","id":"b"}]}}]}]}"#;
/// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
/// assert_eq!(webhook.phone_number_id(), Some("222")); // the reference's view
/// let origins: Vec<_> = webhook
///     .messages_with_origin()
///     .map(|(message, origin)| (message.id.as_deref(), origin.phone_number_id.as_deref(), origin.waba_id.as_deref()))
///     .collect();
/// assert_eq!(origins, [(Some("a"), Some("111"), Some("WABA-1")), (Some("b"), Some("222"), Some("WABA-2"))]);
/// assert_eq!(webhook.changes().next().unwrap().origin().time.as_ref().unwrap().to_unix_seconds(), Some(1732000000));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ChangeOrigin {
    /// The entry's `id`: the WhatsApp Business Account ID.
    pub waba_id: Option<CompactString>,
    /// The entry's `time`, when present.
    pub time: Option<Timestamp>,
    /// The change's `field` as sent (snake_case), when it is a string.
    pub field: Option<CompactString>,
    /// This change's `metadata.phone_number_id`.
    pub phone_number_id: Option<CompactString>,
    /// This change's `metadata.display_phone_number`.
    pub display_phone_number: Option<CompactString>,
}

/// One normalized change: its origin and where its items landed in the flat lists.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChangeRecord {
    pub(crate) origin: ChangeOrigin,
    /// Which filed value of `raw` is its value (the changes with a field, counted in order).
    pub(crate) raw: Option<usize>,
    /// Which change value of the body it is: where its span is.
    pub(crate) value: Option<usize>,
    pub(crate) contacts: Range<usize>,
    pub(crate) messages: Range<usize>,
    pub(crate) statuses: Range<usize>,
    pub(crate) calls: Range<usize>,
}

/// One change of the body, as normalized (see [`NormalizedWebhook::changes`]).
///
/// ```
/// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"1","id":"wamid.X"}]}}]}]}"#;
/// let webhook = kapso_webhooks::normalize_webhook(body)?;
/// let change = webhook.changes().next().unwrap();
/// assert_eq!(change.messages()[0].id.as_deref(), Some("wamid.X"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    webhook: &'a NormalizedWebhook,
    record: &'a ChangeRecord,
}

impl<'a> Change<'a> {
    /// Where the change came from.
    ///
    /// ```
    /// let body = br#"{"entry":[{"id":"WABA-9","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"555"}}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let origin = webhook.changes().next().unwrap().origin();
    /// assert_eq!((origin.waba_id.as_deref(), origin.phone_number_id.as_deref()), (Some("WABA-9"), Some("555")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn origin(&self) -> &'a ChangeOrigin {
        &self.record.origin
    }

    /// The change's camelCased field name, as used in `raw` (`None` without a string field).
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"template_category_update","value":{}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert_eq!(webhook.changes().next().unwrap().field(), Some("templateCategoryUpdate"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn field(&self) -> Option<&'a str> {
        Some(self.webhook.raw.at(self.record.raw?)?.0)
    }

    /// The change's value, camelCased once (as in `raw`); `None` without a string field.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"account_update","value":{"event":"VERIFIED_ACCOUNT","waba_info":{}}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let value = webhook.changes().next().unwrap().value().unwrap();
    /// assert_eq!(value["event"], "VERIFIED_ACCOUNT");
    /// assert!(value.get("wabaInfo").is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn value(&self) -> Option<&'a Value> {
        Some(self.webhook.raw.at(self.record.raw?)?.1)
    }

    /// The contacts of this change.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{"contacts":[{"wa_id":"15557654321"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let change = webhook.changes().next().unwrap();
    /// assert_eq!(change.contacts()[0].wa_id.as_deref(), Some("15557654321"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contacts(&self) -> &'a [Contact] {
        items(&self.webhook.contacts, &self.record.contacts)
    }

    /// The messages (and echoes) of this change.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[
    ///   {"field":"messages","value":{"messages":[{"from":"1","id":"wamid.P"}]}},
    ///   {"field":"messages","value":{"messages":[{"from":"2","id":"wamid.Q"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let second = webhook.changes().nth(1).unwrap();
    /// assert_eq!(second.messages()[0].id.as_deref(), Some("wamid.Q"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn messages(&self) -> &'a [Message] {
        items(&self.webhook.messages, &self.record.messages)
    }

    /// The statuses of this change.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.S","status":"read"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let change = webhook.changes().next().unwrap();
    /// assert_eq!(change.statuses()[0].id.as_deref(), Some("wamid.S"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn statuses(&self) -> &'a [Status] {
        items(&self.webhook.statuses, &self.record.statuses)
    }

    /// The calls of this change.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"calls","value":{"calls":[{"id":"wacid.C","event":"connect"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let change = webhook.changes().next().unwrap();
    /// assert_eq!(change.calls()[0].id_or_call_id(), Some("wacid.C"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn calls(&self) -> &'a [Call] {
        items(&self.webhook.calls, &self.record.calls)
    }
}

/// The items of one change: `range` of a result's list (empty if out of range, which the
/// result's own records never are).
/// Appends `"key":value` to the object `out` ends with.
fn append_key<T: Serialize>(out: &mut String, key: &str, value: &T) {
    if out.pop() != Some('}') {
        return;
    }
    if !out.ends_with('{') {
        out.push(',');
    }
    write_str(out, key);
    out.push(':');
    if write_js(value, out).is_err() {
        out.push_str("null");
    }
    out.push('}');
}

/// The items' texts found in `raw`'s text, by recorded value.
#[derive(Default)]
struct ItemTexts<'a> {
    raw: &'a str,
    found: &'a [Option<Range<usize>>],
}

impl ItemTexts<'_> {
    fn get(&self, value: usize) -> Option<&str> {
        let range = self.found.get(value)?.clone()?;
        self.raw.get(range)
    }
}

fn items<'a, T>(list: &'a [T], range: &Range<usize>) -> &'a [T] {
    list.get(range.clone()).unwrap_or_default()
}

impl NormalizedWebhook {
    /// The body's `object`, such as `whatsapp_business_account`.
    ///
    /// ```
    /// let webhook = kapso_webhooks::normalize_webhook(br#"{"object":"whatsapp_business_account"}"#)?;
    /// assert_eq!(webhook.object(), Some("whatsapp_business_account"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn object(&self) -> Option<&str> {
        self.object.as_deref()
    }

    /// `metadata.phone_number_id` of the last change that had one (the reference's view; each
    /// change's own is in its [`ChangeOrigin`]).
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
    ///   "metadata":{"phone_number_id":"111","display_phone_number":"15550001111"}}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert_eq!(webhook.phone_number_id(), Some("111"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn phone_number_id(&self) -> Option<&str> {
        self.business_number(&self.phone_number_id, |origin| &origin.phone_number_id)
    }

    /// `metadata.display_phone_number` of the last change that had one.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
    ///   "metadata":{"phone_number_id":"111","display_phone_number":"15550001111"}}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert_eq!(webhook.display_phone_number(), Some("15550001111"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn display_phone_number(&self) -> Option<&str> {
        self.business_number(&self.display_phone_number, |origin| {
            &origin.display_phone_number
        })
    }

    /// A business number: `kept` (a result read back from normalized JSON keeps its own), else
    /// `number` of the last change that has one.
    fn business_number<'a>(
        &'a self,
        kept: &'a Option<CompactString>,
        number: impl Fn(&ChangeOrigin) -> &Option<CompactString>,
    ) -> Option<&'a str> {
        kept.as_deref().or_else(|| {
            self.changes
                .iter()
                .rev()
                .find_map(|change| number(&change.origin).as_deref())
        })
    }

    /// The contacts of every change, in document order.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
    ///   "contacts":[{"profile":{"name":"Ana"},"wa_id":"15551234567"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert_eq!(webhook.contacts()[0].name(), Some("Ana"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn contacts(&self) -> &[Contact] {
        &self.contacts
    }

    /// The messages and echoes of every change, in document order (a change's echoes after its
    /// messages), each with its direction in `kapso`.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
    ///   "messages":[{"from":"15551234567","id":"wamid.A","type":"text","text":{"body":"Hi"}}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert_eq!(webhook.messages()[0].text_body(), Some("Hi"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The statuses of every change (message and call statuses), in document order.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
    ///   "statuses":[{"id":"wamid.A","status":"read","recipient_id":"15551234567"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert_eq!(webhook.statuses()[0].status, Some(kapso_webhooks::StatusKind::Read));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn statuses(&self) -> &[Status] {
        &self.statuses
    }

    /// The calls of every change, in document order.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"calls","value":{
    ///   "calls":[{"id":"wacid.A","event":"connect","from":"15551234567"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert_eq!(webhook.calls()[0].id.as_deref(), Some("wacid.A"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    /// Takes the messages, dropping the rest.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
    ///   "messages":[{"from":"15551234567","id":"wamid.A"}]}}]}]}"#;
    /// let messages: Vec<kapso_webhooks::Message> = kapso_webhooks::normalize_webhook(body)?.into_messages();
    /// assert_eq!(messages.len(), 1);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn into_messages(self) -> Vec<Message> {
        self.messages
    }

    /// Takes the statuses, dropping the rest.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
    ///   "statuses":[{"id":"wamid.A","status":"sent"}]}}]}]}"#;
    /// let statuses = kapso_webhooks::normalize_webhook(body)?.into_statuses();
    /// assert_eq!(statuses.len(), 1);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn into_statuses(self) -> Vec<Status> {
        self.statuses
    }

    /// Takes the calls, dropping the rest.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"calls","value":{"calls":[{"id":"wacid.A"}]}}]}]}"#;
    /// let calls = kapso_webhooks::normalize_webhook(body)?.into_calls();
    /// assert_eq!(calls.len(), 1);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn into_calls(self) -> Vec<Call> {
        self.calls
    }

    /// Takes the contacts, dropping the rest.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{"contacts":[{"wa_id":"1"}]}}]}]}"#;
    /// let contacts = kapso_webhooks::normalize_webhook(body)?.into_contacts();
    /// assert_eq!(contacts.len(), 1);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn into_contacts(self) -> Vec<Contact> {
        self.contacts
    }

    /// The normalized JSON text: the reference's `JSON.stringify(normalizeWebhook(body))`.
    ///
    /// ```
    /// let webhook = kapso_webhooks::normalize_webhook(br#"{"object":"page"}"#).unwrap();
    /// assert!(webhook.to_json().starts_with(r#"{"object":"page""#));
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.json_len_estimate());
        self.write_json(&mut out);
        out
    }

    /// About how long [`NormalizedWebhook::to_json`]'s text is (the body's parts it writes,
    /// and room for what the normalizer adds), so that it is written without growing.
    fn json_len_estimate(&self) -> usize {
        let values = &self.item_values;
        let items = [
            &values.contacts,
            &values.messages,
            &values.statuses,
            &values.calls,
        ];
        let item_text: usize = items
            .iter()
            .flat_map(|values| values.iter())
            .map(|value| {
                let span = value.and_then(|value| self.spans.get(usize::try_from(value).ok()?));
                // An item written from its fields: a guess.
                span.map_or(512, |span| span.len() + 64)
            })
            .sum();
        self.raw.text_len() + item_text + 256
    }

    /// [`NormalizedWebhook::to_json`]'s text, pretty-printed: only whitespace is added (two
    /// spaces per level, `": "` after a key, as `serde_json::to_string_pretty` lays it out);
    /// keys, strings and numbers are the exact text's, so removing the whitespace outside
    /// strings gives [`to_json`](NormalizedWebhook::to_json) back.
    ///
    /// ```
    /// let body = br#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages",
    ///   "value":{"metadata":{"phone_number_id":"1"},"statuses":[{"id":"wamid.A","n":1e21}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let pretty = webhook.to_json_pretty();
    /// assert!(pretty.starts_with("{\n  \"object\": \"whatsapp_business_account\",\n  \"phoneNumberId\": \"1\","));
    /// assert!(pretty.contains("\"n\": 1e+21"));
    /// let value: serde_json::Value = serde_json::from_str(&pretty)?;
    /// assert_eq!(value, serde_json::from_str::<serde_json::Value>(&webhook.to_json())?);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn to_json_pretty(&self) -> String {
        crate::json::stringify::pretty(&self.to_json())
    }

    /// Reads normalized JSON (such as [`NormalizedWebhook::to_json`]'s text) back, with the
    /// crate's own reader: numbers are read correctly rounded, so a webhook written and read
    /// back is equal to itself, whatever serde_json's features. (`serde_json::from_str` works
    /// too; without serde_json's `float_roundtrip` feature it may read a float one ULP off.)
    ///
    /// # Errors
    ///
    /// [`Error`](crate::Error) when `json` is not valid JSON of the normalized shape.
    ///
    /// ```
    /// let webhook = kapso_webhooks::normalize_webhook(br#"{"entry":[{"changes":[{"field":"messages",
    ///   "value":{"messages":[{"from":"1","id":"wamid.A","n":1.7521793044444445e44}]}}]}]}"#)?;
    /// let back = kapso_webhooks::NormalizedWebhook::from_json(&webhook.to_json())?;
    /// assert_eq!(back, webhook);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn from_json(json: &str) -> Result<NormalizedWebhook, crate::Error> {
        let mut reader = Reader::new(json);
        match NormalizedWebhook::deserialize(&mut reader).and_then(|webhook| {
            reader.end()?;
            Ok(webhook)
        }) {
            Ok(webhook) => Ok(webhook),
            // serde_json reads it again, to word the error.
            Err(_) => serde_json::from_str(json).map_err(crate::Error::from),
        }
    }

    /// Appends [`NormalizedWebhook::to_json`]'s text to `out`.
    ///
    /// ```
    /// let webhook = kapso_webhooks::normalize_webhook(br#"{"object":"page"}"#).unwrap();
    /// let mut out = String::from("webhook: ");
    /// webhook.write_json(&mut out);
    /// assert!(out.starts_with(r#"webhook: {"object":"page","contacts":[]"#));
    /// ```
    pub fn write_json(&self, out: &mut String) {
        self.write_json_with(out, true);
    }

    /// The body's text, kept once: by `raw` when a change was filed there, else by the result
    /// itself (for its items' spans).
    fn kept_text(&self) -> Option<&str> {
        self.raw.body.as_deref().or(self.text.as_deref())
    }

    /// [`NormalizedWebhook::write_json`]; `from_body`: items written from the body's text
    /// where they can be (otherwise every item is serialized from its typed fields: the same
    /// text, which a test checks).
    ///
    /// When items have recorded values, `raw` is written first, apart, noting where each item's
    /// text is in it: an item's text in `raw` (its change value camelCased once) is its own
    /// text (camelCased twice) when no key of it changes in the second pass, and is then copied
    /// from there. Otherwise `raw` is written in place.
    pub(crate) fn write_json_with(&self, out: &mut String, from_body: bool) {
        with_buffers(|buffers| self.write_json_in(out, from_body, buffers));
    }

    /// [`NormalizedWebhook::write_json_with`] with the text writer's working space.
    fn write_json_in(&self, out: &mut String, from_body: bool, buffers: &mut Buffers) {
        let values = if from_body && self.kept_text().is_some() {
            &self.item_values
        } else {
            &ItemValues::default()
        };
        if !values.any() {
            // No item text to take from `raw`: it is written in place, last.
            self.write_head(out, values, &ItemTexts::default(), buffers);
            self.raw.write_json_with(out, buffers);
            out.push('}');
            return;
        }
        let mut raw = std::mem::take(&mut buffers.text);
        raw.reserve(self.raw.text_len() + 16);
        let mut item_texts: SmallVec<[Option<Range<usize>>; 8]> = SmallVec::new();
        item_texts.resize(self.spans.len(), None);
        self.write_raw_noting_items(&mut raw, buffers, &mut item_texts);
        out.reserve(raw.len());
        let texts = ItemTexts {
            raw: &raw,
            found: &item_texts,
        };
        self.write_head(out, values, &texts, buffers);
        out.push_str(&raw);
        out.push('}');
        raw.clear();
        buffers.text = raw;
    }

    /// Writes the normalized JSON up to `raw`'s value: `{"object":…,"calls":[…],"raw":`. Items
    /// with a text in `texts` are copied from it.
    fn write_head(
        &self,
        out: &mut String,
        values: &ItemValues,
        texts: &ItemTexts<'_>,
        buffers: &mut Buffers,
    ) {
        // Each key with what comes before it: `{` first, `,` after a value.
        let mut before = "{";
        for (key, value) in [
            ("\"object\":", self.object.as_deref()),
            ("\"phoneNumberId\":", self.phone_number_id()),
            ("\"displayPhoneNumber\":", self.display_phone_number()),
        ] {
            if let Some(value) = value {
                out.push_str(before);
                out.push_str(key);
                write_str(out, value);
                before = ",";
            }
        }
        out.push_str(before);
        out.push_str("\"contacts\":");
        self.write_list(
            &self.contacts,
            &values.contacts,
            texts,
            out,
            buffers,
            |_| None,
        );
        out.push_str(",\"messages\":");
        self.write_list(&self.messages, &values.messages, texts, out, buffers, |m| {
            m.kapso.as_deref()
        });
        out.push_str(",\"statuses\":");
        self.write_list(
            &self.statuses,
            &values.statuses,
            texts,
            out,
            buffers,
            |_| None,
        );
        out.push_str(",\"calls\":");
        self.write_list(&self.calls, &values.calls, texts, out, buffers, |_| None);
        out.push_str(",\"raw\":");
    }

    /// Writes `raw`, noting in `item_texts` (by recorded value) where the text of each item
    /// with a recorded value is in it, when that text is also the item's own.
    fn write_raw_noting_items(
        &self,
        raw: &mut String,
        buffers: &mut Buffers,
        item_texts: &mut [Option<Range<usize>>],
    ) {
        let values = &self.item_values;
        let mut items: SmallVec<[(usize, &Range<usize>); 8]> = [
            &values.contacts,
            &values.messages,
            &values.statuses,
            &values.calls,
        ]
        .into_iter()
        .flatten()
        .filter_map(|value| {
            let index = usize::try_from((*value)?).ok()?;
            Some((index, self.spans.get(index)?))
        })
        .collect();
        // In document order, so that each change value finds its items by a binary search
        // (linear time however many changes a body has).
        items.sort_unstable_by_key(|(_, item)| item.start);
        let inside = |value: &Range<usize>| {
            let value = value.clone();
            let first = items.partition_point(|(_, item)| item.start < value.start);
            items
                .get(first..)
                .unwrap_or_default()
                .iter()
                .take_while(move |(_, item)| item.start < value.end)
                .filter(move |(_, item)| item.end <= value.end)
        };
        self.raw.write_json_noting(
            raw,
            buffers,
            |value| {
                Marks::new(
                    inside(value)
                        .flat_map(|(_, item)| [item.start - value.start, item.end - value.start]),
                )
            },
            |value, marks| {
                for &(index, item) in inside(value) {
                    let start = marks.output_of(item.start - value.start);
                    let end = marks.output_of(item.end - value.start);
                    if let (Some(start), Some(end), Some(slot)) =
                        (start, end, item_texts.get_mut(index))
                    {
                        if !marks.changes_between(start, end) {
                            *slot = Some(start..end);
                        }
                    }
                }
            },
        );
    }

    /// Writes `items` as a JSON array: each from the body's text (camelCased twice, then the
    /// `kapso` the normalizer appended) when it has a recorded value, else from its fields.
    fn write_list<T: Serialize>(
        &self,
        items: &[T],
        values: &[Option<u32>],
        texts: &ItemTexts<'_>,
        out: &mut String,
        buffers: &mut Buffers,
        kapso: impl Fn(&T) -> Option<&Kapso>,
    ) {
        out.push('[');
        for (n, item) in items.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            let value = values
                .get(n)
                .copied()
                .flatten()
                .and_then(|value| usize::try_from(value).ok());
            let written = match value.and_then(|value| texts.get(value)) {
                // Already written once, in `raw`.
                Some(text) => {
                    out.push_str(text);
                    true
                }
                None => value
                    .and_then(|value| self.spans.get(value))
                    .and_then(|span| self.kept_text()?.get(span.clone()))
                    .is_some_and(|text| write_camel_with(buffers, text, 2, out).is_ok()),
            };
            if written {
                if let Some(kapso) = kapso(item) {
                    append_key(out, "kapso", kapso);
                }
            } else if write_js(item, out).is_err() {
                // Typed items serialize without fail (every key a string).
                out.push_str("null");
            }
        }
        out.push(']');
    }

    /// The filed change values, camelCased, grouped by camelCased field name in first-seen order.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"account_alerts","value":{"entity_type":"WABA"}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert_eq!(webhook.raw().fields().collect::<Vec<_>>(), ["accountAlerts"]);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn raw(&self) -> &RawFields {
        &self.raw
    }

    /// Who sent `message`, with what the change's contacts add: Meta puts a user's username
    /// on the contact (`contacts[].profile.username`), not on the message, so
    /// [`Message::sender`] alone cannot see it. The username of the contact that
    /// [is the same user](crate::UserIdentity::is_same_user) fills a missing one; everything else
    /// is the message's own. A message of another webhook gets its own sender.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
    ///   "contacts":[{"profile":{"name":"Ana","username":"ana.ruiz"},"user_id":"US.7"}],
    ///   "messages":[{"from_user_id":"US.7","id":"wamid.U","type":"text","text":{"body":"Hola"}}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let message = &webhook.messages()[0];
    /// assert_eq!(message.sender().username, None);
    /// assert_eq!(webhook.sender(message).username, Some("ana.ruiz"));
    /// assert_eq!(webhook.sender(message).user_id, Some("US.7"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sender<'a>(&'a self, message: &'a Message) -> UserIdentity<'a> {
        let mut sender = message.sender();
        if sender.username.is_none() {
            let change = self
                .changes()
                .find(|change| change.messages().iter().any(|m| std::ptr::eq(m, message)));
            sender.username = change
                .map(|change| change.contacts())
                .unwrap_or_default()
                .iter()
                .map(Contact::identity)
                .find(|contact| contact.is_same_user(&sender))
                .and_then(|contact| contact.username);
        }
        sender
    }

    /// Every change whose value was normalized, in document order, with its origin and items.
    ///
    /// Known only for a webhook normalized from a body (empty after `Deserialize`).
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{}},{"field":"calls","value":{}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let fields: Vec<_> = webhook.changes().map(|change| change.field()).collect();
    /// assert_eq!(fields, [Some("messages"), Some("calls")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn changes(&self) -> impl Iterator<Item = Change<'_>> {
        self.changes.iter().map(move |record| Change {
            webhook: self,
            record,
        })
    }

    /// Each message with the origin of the change it came from.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
    ///   "metadata":{"phone_number_id":"777"},"messages":[{"from":"1","id":"wamid.M"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let (message, origin) = webhook.messages_with_origin().next().unwrap();
    /// assert_eq!((message.id.as_deref(), origin.phone_number_id.as_deref()), (Some("wamid.M"), Some("777")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn messages_with_origin(&self) -> impl Iterator<Item = (&Message, &ChangeOrigin)> {
        self.changes()
            .flat_map(|c| c.messages().iter().map(move |m| (m, c.origin())))
    }

    /// Each status with the origin of the change it came from.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
    ///   "metadata":{"phone_number_id":"888"},"statuses":[{"id":"wamid.T","status":"sent"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let (status, origin) = webhook.statuses_with_origin().next().unwrap();
    /// assert_eq!((status.id.as_deref(), origin.phone_number_id.as_deref()), (Some("wamid.T"), Some("888")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn statuses_with_origin(&self) -> impl Iterator<Item = (&Status, &ChangeOrigin)> {
        self.changes()
            .flat_map(|c| c.statuses().iter().map(move |s| (s, c.origin())))
    }

    /// Each call with the origin of the change it came from.
    ///
    /// ```
    /// let body = br#"{"entry":[{"id":"WABA-3","changes":[{"field":"calls","value":{"calls":[{"id":"wacid.K"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let (call, origin) = webhook.calls_with_origin().next().unwrap();
    /// assert_eq!((call.id_or_call_id(), origin.waba_id.as_deref()), (Some("wacid.K"), Some("WABA-3")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn calls_with_origin(&self) -> impl Iterator<Item = (&Call, &ChangeOrigin)> {
        self.changes()
            .flat_map(|c| c.calls().iter().map(move |k| (k, c.origin())))
    }

    /// Whether nothing was found: no object, phone number, item or change value (what
    /// `raw()` would hold). Cheap: it does not build `raw()`.
    ///
    /// ```
    /// assert!(kapso_webhooks::normalize_webhook(b"[]").unwrap().is_empty());
    /// let body = br#"{"entry":[{"changes":[{"field":"account_alerts","value":{}}]}]}"#;
    /// assert!(!kapso_webhooks::normalize_webhook(body).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.object.is_none()
            && self.phone_number_id().is_none()
            && self.display_phone_number().is_none()
            && self.contacts.is_empty()
            && self.messages.is_empty()
            && self.statuses.is_empty()
            && self.calls.is_empty()
            && self.raw.is_empty()
    }
}

/// The per-field passthrough: each change value camelCased once, under its camelCased `field`.
///
/// The values are kept as the body's text: they are camelCased as they are written (by
/// [`NormalizedWebhook::to_json`] or `Serialize`), and parsed into `Value`s only when first
/// asked for. A handler that only reads the typed lists never pays for them.
///
/// ```
/// let body = br#"{"entry":[{"changes":[{"field":"account_alerts","value":{"entity_type":"WABA"}}]}]}"#;
/// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
/// let alerts = webhook.raw().get("accountAlerts").unwrap();
/// assert_eq!(alerts[0]["entityType"], "WABA");
/// assert_eq!(webhook.raw().fields().collect::<Vec<_>>(), ["accountAlerts"]);
/// ```
#[derive(Clone, Default)]
pub struct RawFields {
    /// The body the spans are in.
    body: Option<Arc<str>>,
    /// Each filed change value, in document order, with its camelCased field.
    filed: SmallVec<[(CompactString, RawText); 1]>,
    /// The edits the reader noted in the body (see [`RawText::Span`]).
    edits: Edits,
    /// The values parsed, grouped by field: built on first use.
    built: OnceLock<Built>,
}

/// How many field names are looked for one by one.
const FEW_FIELDS: usize = 16;

/// Field names, each with the indices of its values: inline for the usual few.
type Groups<'a> = SmallVec<[(&'a str, SmallVec<[usize; 2]>); 2]>;

/// The text of one filed change value.
#[derive(Clone)]
enum RawText {
    /// A span of the body, camelCased once as it is written: with the range of its edits in
    /// [`RawFields::edits`] when those are all it needs (then the text between them is copied
    /// as it is), else by the text writer.
    Span(Range<usize>, Option<Range<usize>>),
    /// Text in its written form already (read back from normalized JSON).
    Json(RawJson),
}

/// What [`RawFields`] holds once parsed.
#[derive(Clone, Default)]
struct Built {
    /// Each field name with its values, in first-seen order.
    fields: Vec<(CompactString, Vec<Value>)>,
    /// Where each filed value landed: (index in `fields`, index in its list).
    filed: Vec<(usize, usize)>,
}

impl RawFields {
    /// The change values filed under `field` (camelCased, such as `messageTemplateStatusUpdate`).
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"phone_number_name_update","value":{"decision":"APPROVED"}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert_eq!(webhook.raw().get("phoneNumberNameUpdate").unwrap()[0]["decision"], "APPROVED");
    /// assert!(webhook.raw().get("phone_number_name_update").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self, field: &str) -> Option<&[Value]> {
        self.built()
            .fields
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, values)| values.as_slice())
    }

    /// The field names, in first-seen order.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"calls","value":{}},{"field":"account_update","value":{}},{"field":"calls","value":{}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert_eq!(webhook.raw().fields().collect::<Vec<_>>(), ["calls", "accountUpdate"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.groups().into_iter().map(|(name, _)| name)
    }

    /// Each field name with its change values, in first-seen order.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"flows","value":{"a":1}},{"field":"flows","value":{"a":2}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let counts: Vec<_> = webhook.raw().iter().map(|(field, values)| (field, values.len())).collect();
    /// assert_eq!(counts, [("flows", 2)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[Value])> {
        self.built()
            .fields
            .iter()
            .map(|(name, values)| (name.as_str(), values.as_slice()))
    }

    /// How many distinct fields there are.
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"flows","value":{}},{"field":"flows","value":{}},{"field":"security","value":{}}]}]}"#;
    /// assert_eq!(kapso_webhooks::normalize_webhook(body)?.raw().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.groups().len()
    }

    /// Whether no change was filed.
    ///
    /// ```
    /// let webhook = kapso_webhooks::normalize_webhook(br#"{"object":"page"}"#).unwrap();
    /// assert!(webhook.raw().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.filed.is_empty()
    }

    /// How long the filed values' text is (about what writing them takes).
    pub(crate) fn text_len(&self) -> usize {
        self.filed
            .iter()
            .map(|(field, raw)| field.len() + self.text(raw).0.len())
            .sum()
    }

    /// The field name and value of the `index`-th filed change value.
    pub(crate) fn at(&self, index: usize) -> Option<(&str, &Value)> {
        let built = self.built();
        let &(field, position) = built.filed.get(index)?;
        let (name, values) = built.fields.get(field)?;
        Some((name.as_str(), values.get(position)?))
    }

    /// Files the change values of `body` found at `spans`, each with its field as sent, in these
    /// fields (empty): in place, as they are part of a large result.
    #[inline]
    pub(crate) fn file_spans<'a>(
        &mut self,
        body: Arc<str>,
        spans: impl IntoIterator<Item = (&'a CompactString, Range<usize>, Option<Range<usize>>)>,
        edits: Edits,
    ) {
        for (field, span, edited) in spans {
            self.filed
                .push((camel_field(field), RawText::Span(span, edited)));
        }
        self.body = Some(body);
        self.edits = edits;
    }

    /// The field names in first-seen order, each with the indices of its values in `filed`.
    fn groups(&self) -> Groups<'_> {
        let mut groups = Groups::new();
        // Past a few names, each is found through a map (linear time however many there are).
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        for (index, (field, _)) in self.filed.iter().enumerate() {
            let name = field.as_str();
            let group = if groups.len() < FEW_FIELDS {
                groups.iter().position(|(known, _)| *known == name)
            } else {
                if by_name.is_empty() {
                    by_name.extend(
                        groups
                            .iter()
                            .enumerate()
                            .map(|(at, (known, _))| (*known, at)),
                    );
                }
                by_name.get(name).copied()
            };
            match group.and_then(|group| groups.get_mut(group)) {
                Some((_, indices)) => indices.push(index),
                None => {
                    if !by_name.is_empty() {
                        by_name.insert(name, groups.len());
                    }
                    groups.push((name, smallvec::smallvec![index]));
                }
            }
        }
        groups
    }

    /// The groups in the order a JavaScript object keeps its keys: array-index-like names first,
    /// ascending, then the others in first-seen order.
    fn groups_in_js_order(&self) -> Groups<'_> {
        let mut groups = self.groups();
        groups.sort_by_key(|(name, _)| array_index(name).map_or((1, 0), |index| (0, index)));
        groups
    }

    /// The text of a filed value: a span of the body (to be camelCased once), or written text.
    fn text<'a>(&'a self, raw: &'a RawText) -> (&'a str, u8) {
        match raw {
            RawText::Span(span, _) => (
                self.body
                    .as_deref()
                    .and_then(|body| body.get(span.clone()))
                    .unwrap_or("null"),
                1,
            ),
            RawText::Json(json) => (json.as_str(), 0),
        }
    }

    /// Writes `raw` as the normalized JSON writes it.
    pub(crate) fn write_json(&self, out: &mut String) {
        with_buffers(|buffers| self.write_json_with(out, buffers));
    }

    /// [`RawFields::write_json`] with the text writer's working space.
    fn write_json_with(&self, out: &mut String, buffers: &mut Buffers) {
        self.write_json_noting(out, buffers, |_| Marks::default(), |_, _| {});
    }

    /// [`RawFields::write_json_with`], noting places in the values that are spans of the body:
    /// `marks_in(span)` gives the offsets in the value at `span` whose output positions are
    /// wanted, `noted(span, marks)` gets them once it is written.
    fn write_json_noting(
        &self,
        out: &mut String,
        buffers: &mut Buffers,
        mut marks_in: impl FnMut(&Range<usize>) -> Marks,
        mut noted: impl FnMut(&Range<usize>, &Marks),
    ) {
        out.push('{');
        for (n, (name, indices)) in self.groups_in_js_order().into_iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            write_str(out, name);
            out.push_str(":[");
            for (m, index) in indices.into_iter().enumerate() {
                if m > 0 {
                    out.push(',');
                }
                if let Some((_, raw)) = self.filed.get(index) {
                    let (text, levels) = self.text(raw);
                    let mut marks = match raw {
                        RawText::Span(span, _) => marks_in(span),
                        RawText::Json(_) => Marks::default(),
                    };
                    let edited = match (raw, &self.body) {
                        (RawText::Span(span, Some(edits)), Some(body)) => self
                            .edits
                            .get(edits.clone())
                            .map(|edits| (body, span, edits)),
                        _ => None,
                    };
                    let written = match edited {
                        Some((body, span, edits)) => {
                            write_edited(buffers, body, span.clone(), edits, out, &mut marks)
                                .or_else(|_| {
                                    // Edits that do not fit their value (never seen): the text
                                    // writer writes it from its text alone, with fresh marks.
                                    marks = marks_in(span);
                                    write_camel_marked(buffers, text, levels, out, &mut marks)
                                })
                        }
                        None => write_camel_marked(buffers, text, levels, out, &mut marks),
                    };
                    // The body was read whole: its spans are valid JSON.
                    if written.is_err() {
                        out.push_str("null");
                    } else if let RawText::Span(span, _) = raw {
                        noted(span, &marks);
                    }
                }
            }
            out.push(']');
        }
        out.push('}');
    }

    fn built(&self) -> &Built {
        self.built.get_or_init(|| {
            let groups = self.groups();
            let mut built = Built {
                fields: Vec::with_capacity(groups.len()),
                filed: vec![(0, 0); self.filed.len()],
            };
            for (group, (name, indices)) in groups.into_iter().enumerate() {
                let mut values = Vec::with_capacity(indices.len());
                for index in indices {
                    let Some((_, raw)) = self.filed.get(index) else {
                        continue;
                    };
                    // The value as the normalized JSON writes it.
                    let (text, levels) = self.text(raw);
                    let mut written = String::with_capacity(text.len());
                    if write_camel(text, levels, &mut written).is_err() {
                        written = "null".to_owned();
                    }
                    if let Some(slot) = built.filed.get_mut(index) {
                        *slot = (group, values.len());
                    }
                    values.push(RawJson::from_js_text(written).into_value());
                }
                built.fields.push((CompactString::from(name), values));
            }
            built
        })
    }
}

/// The index a key names when it is a JavaScript array index (`"0"`, `"42"`; not `"01"`).
fn array_index(key: &str) -> Option<u32> {
    let bytes = key.as_bytes();
    let canonical = match bytes {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] => rest.len() < 10 && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if !canonical {
        return None;
    }
    key.parse::<u32>().ok().filter(|&index| index < u32::MAX)
}

/// Equal when the same fields hold equal values (as JSON values: key order aside).
impl PartialEq for RawFields {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(field, values)| other.get(field) == Some(values))
    }
}

impl fmt::Debug for RawFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        self.write_json(&mut text);
        f.write_str(&text)
    }
}

/// One filed value, for `Serialize`.
struct FiledValue<'a>(&'a str, u8);

/// Its written text, read again: repeated keys are merged there, which a serializer could not
/// do as the pairs stream through.
impl Serialize for FiledValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut written = String::with_capacity(self.0.len());
        write_camel(self.0, self.1, &mut written).map_err(serde::ser::Error::custom)?;
        transcode(&mut Reader::new(&written).unbounded(), serializer)
    }
}

/// The values of one field, for `Serialize`.
struct FieldValues<'a>(&'a RawFields, SmallVec<[usize; 2]>);

impl Serialize for FieldValues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.1.iter().filter_map(|&index| {
            let (_, raw) = self.0.filed.get(index)?;
            let (text, levels) = self.0.text(raw);
            Some(FiledValue(text, levels))
        }))
    }
}

impl Serialize for RawFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.groups_in_js_order()
                .into_iter()
                .map(|(name, indices)| (name, FieldValues(self, indices))),
        )
    }
}

impl<'de> Deserialize<'de> for RawFields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;

        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = RawFields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of arrays of change values")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFields, A::Error> {
                let mut filed = Vec::new();
                while let Some(field) = map.next_key::<CompactString>()? {
                    let values: Vec<RawJson> = map.next_value()?;
                    filed.extend(
                        values
                            .into_iter()
                            .map(|value| (field.clone(), RawText::Json(value))),
                    );
                }
                Ok(RawFields {
                    body: None,
                    filed: filed.into(),
                    edits: Edits::new(),
                    built: OnceLock::new(),
                })
            }
        }

        d.deserialize_map(FieldsVisitor)
    }
}

/// The reference's JSON shape, used by `Serialize` and `Deserialize`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire<T, C, M, S, K, R> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    object: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    phone_number_id: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display_phone_number: Option<T>,
    contacts: C,
    messages: M,
    statuses: S,
    calls: K,
    raw: R,
}

impl Serialize for NormalizedWebhook {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Wire {
            object: self.object.as_deref(),
            phone_number_id: self.phone_number_id(),
            display_phone_number: self.display_phone_number(),
            contacts: &self.contacts,
            messages: &self.messages,
            statuses: &self.statuses,
            calls: &self.calls,
            raw: &self.raw,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for NormalizedWebhook {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wire = Wire::<
            CompactString,
            Vec<Contact>,
            Vec<Message>,
            Vec<Status>,
            Vec<Call>,
            RawFields,
        >::deserialize(d)?;
        Ok(NormalizedWebhook {
            object: wire.object,
            phone_number_id: wire.phone_number_id,
            display_phone_number: wire.display_phone_number,
            contacts: wire.contacts,
            messages: wire.messages,
            statuses: wire.statuses,
            calls: wire.calls,
            raw: wire.raw,
            changes: SmallVec::new(),
            values_read: 0,
            item_values: ItemValues::default(),
            text: None,
            spans: SmallVec::new(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::{NormalizedWebhook, RawText};
    use crate::json::reader::tests::{fixture_bodies, random_bodies};

    /// `text` without the whitespace outside its strings.
    fn compact(text: &str) -> String {
        let (mut out, mut in_string, mut escaped) = (String::new(), false, false);
        for c in text.chars() {
            if in_string {
                in_string = escaped || c != '"';
                escaped = !escaped && c == '\\';
            } else if c.is_ascii_whitespace() {
                continue;
            } else {
                in_string = c == '"';
            }
            out.push(c);
        }
        out
    }

    /// `webhook` with its change values written by the text writer alone, and how many of them
    /// had edits.
    fn without_edits(webhook: &NormalizedWebhook) -> (NormalizedWebhook, usize) {
        let mut plain = webhook.clone();
        let mut edited = 0;
        for (_, raw) in &mut plain.raw.filed {
            if let RawText::Span(_, edits @ Some(_)) = raw {
                edited += 1;
                *edits = None;
            }
        }
        (plain, edited)
    }

    /// Change values written from the reader's edits are written exactly as the text writer
    /// writes them from their text (and with them, the items taken from `raw`), on every
    /// fixture and corpus body and random bodies of every shape, each as it is and compact.
    #[test]
    fn values_written_from_edits_equal_values_written_by_the_text_writer() {
        let (mut values, mut edited) = (0, 0);
        let mut bodies = fixture_bodies();
        bodies.extend(random_bodies(1_500));
        for body in bodies.iter().flat_map(|body| [body.clone(), compact(body)]) {
            let Ok(webhook) = crate::normalize_webhook(body.as_bytes()) else {
                panic!("{body:.200}");
            };
            let (plain, with_edits) = without_edits(&webhook);
            values += webhook.raw.filed.len();
            edited += with_edits;
            assert_eq!(webhook.to_json(), plain.to_json(), "{body:.300}");
        }
        // Most values are written from their edits, the others by the text writer.
        assert!(
            edited * 2 > values,
            "{edited} of {values} written from edits"
        );
        assert!(edited < values, "{edited} of {values} written from edits");
    }

    /// Edits that do not fit their value (which the reader never notes) are not trusted: the
    /// value is written by the text writer, as without edits.
    #[test]
    fn edits_that_do_not_fit_are_not_trusted() {
        use crate::json::reader::{Edit, EditKind};
        let mut checked = 0;
        for body in fixture_bodies().iter().take(300).map(|body| compact(body)) {
            let webhook = crate::normalize_webhook(body.as_bytes()).unwrap();
            let (plain, _) = without_edits(&webhook);
            let mut broken = webhook.clone();
            let end = broken.raw.edits.len();
            for (_, raw) in &mut broken.raw.filed {
                if let RawText::Span(span, edits @ Some(_)) = raw {
                    // An edit past the value's end, then one going backwards.
                    let start = u32::try_from(span.start).unwrap();
                    let stop = u32::try_from(span.end).unwrap();
                    broken.raw.edits.push(Edit {
                        start,
                        end: stop + 1,
                        kind: EditKind::Value,
                    });
                    broken.raw.edits.push(Edit {
                        start: stop,
                        end: start,
                        kind: EditKind::Key,
                    });
                    *edits = Some(end..end + 2);
                    checked += 1;
                    break;
                }
            }
            assert_eq!(broken.to_json(), plain.to_json(), "{body:.200}");
        }
        assert!(checked > 50, "{checked}");
    }

    /// Items written from the body's text are exactly what their typed fields serialize to.
    #[test]
    fn items_from_the_body_equal_items_from_their_fields() {
        let mut from_body_count = 0;
        for body in fixture_bodies() {
            let webhook = crate::normalize_webhook(body.as_bytes()).unwrap();
            let (mut from_body, mut from_fields) = (String::new(), String::new());
            webhook.write_json_with(&mut from_body, true);
            webhook.write_json_with(&mut from_fields, false);
            assert_eq!(from_body, from_fields, "{body:.200}");
            let values = &webhook.item_values;
            from_body_count += [
                &values.contacts,
                &values.messages,
                &values.statuses,
                &values.calls,
            ]
            .iter()
            .map(|values| values.iter().flatten().count())
            .sum::<usize>();
        }
        // Most items are written from the body.
        assert!(from_body_count > 3_000, "{from_body_count}");
    }

    /// Many field names (past those looked for one by one), repeated out of order: grouped in
    /// first-seen order, each value in its group, as the text and the values say alike.
    #[test]
    fn many_fields_are_grouped_in_first_seen_order() {
        let names: Vec<String> = (0..60).map(|n| format!("f_{}", (n * 7) % 23)).collect();
        let changes: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(n, name)| format!(r#"{{"field":"{name}","value":{{"n":{n}}}}}"#))
            .collect();
        let body = format!(r#"{{"entry":[{{"changes":[{}]}}]}}"#, changes.join(","));
        let webhook = crate::normalize_webhook(body.as_bytes()).unwrap();
        let raw = webhook.raw();
        let mut expected: Vec<String> = Vec::new();
        for name in &names {
            let camel = crate::json::camel::camel_field(name).to_string();
            if !expected.contains(&camel) {
                expected.push(camel);
            }
        }
        assert_eq!(raw.fields().collect::<Vec<_>>(), expected);
        for (field, values) in raw.iter() {
            let ns: Vec<u64> = values.iter().filter_map(|v| v["n"].as_u64()).collect();
            let want: Vec<u64> = (0..60u64)
                .filter(|&n| crate::json::camel::camel_field(&names[n as usize]) == field)
                .collect();
            assert_eq!(ns, want, "{field}");
        }
        let text: serde_json::Value = serde_json::from_str(&webhook.to_json()).unwrap();
        let values: serde_json::Map<String, serde_json::Value> = raw
            .iter()
            .map(|(field, values)| (field.to_owned(), serde_json::Value::from(values.to_vec())))
            .collect();
        assert_eq!(text["raw"], serde_json::Value::Object(values));
    }

    /// Items of many changes, interleaved lists, fields filed out of document order (`raw`
    /// groups values by field): each item's text is taken from its own change value.
    #[test]
    fn items_of_many_changes_are_copied_from_their_own_values() {
        let changes: Vec<String> = (0..40)
            .map(|n| {
                let field = ["messages", "calls", "messages", "smb_message_echoes"][n % 4];
                format!(
                    r#"{{"field":"{field}","value":{{"statuses":[{{"id":"s{n}","recipient_id":"{n}"}}],
                    "contacts":[{{"wa_id":"{n}","profile":{{"name":"N{n}"}}}}],
                    "messages":[{{"from":"{n}","id":"m{n}","a_b":{n}}},{{"id":"x{n}","x__y":1}}],
                    "calls":[{{"id":"c{n}","wacid":"w{n}"}}],"message_echoes":[{{"id":"e{n}"}}]}}}}"#
                )
            })
            .collect();
        let body = format!(r#"{{"entry":[{{"changes":[{}]}}]}}"#, changes.join(","));
        let webhook = crate::normalize_webhook(body.as_bytes()).unwrap();
        assert_eq!(webhook.messages().len(), 120);
        let (mut from_body, mut from_fields) = (String::new(), String::new());
        webhook.write_json_with(&mut from_body, true);
        webhook.write_json_with(&mut from_fields, false);
        assert_eq!(from_body, from_fields);
        // `x__y` changes in the second camelCase pass: that item is written again.
        assert!(from_body.contains(r#""xY":1"#) && from_body.contains(r#""x_Y":1"#));
    }
}
