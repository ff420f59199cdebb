//! [`normalize_webhook`]: from a Meta webhook body to a [`NormalizedWebhook`], exactly as Kapso's
//! `normalizeWebhook` does it (see the crate docs for the deliberate deviations).
//!
//! The one path for data: bytes → `serde_json::Value` → for each change, its value camelCased
//! once into `raw`, and its contacts, messages, echoes, statuses and calls camelCased a second
//! time straight into typed structs → message normalization and direction.

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::call::Call;
use crate::camel::{camel_field, Camel};
use crate::contact::Contact;
use crate::error::Error;
use crate::kapso::{Direction, Kapso, ECHO_SOURCE};
use crate::message::Message;
use crate::status::Status;
use crate::timestamp::Timestamp;
use crate::wire::{set, Field, Map};

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
/// assert_eq!(webhook.phone_number_id.as_deref(), Some("111"));
/// assert_eq!(webhook.contacts[0].name(), Some("Ana"));
/// assert_eq!(webhook.raw().get("messages").map(|values| values.len()), Some(1));
///
/// let json = serde_json::to_value(&webhook).unwrap();
/// assert_eq!(json["messages"][0]["kapso"]["direction"], "inbound");
/// let back: kapso_webhooks::NormalizedWebhook = serde_json::from_value(json).unwrap();
/// assert_eq!(back, webhook);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct NormalizedWebhook {
    /// The body's `object`, such as `whatsapp_business_account`.
    pub object: Option<String>,
    /// `metadata.phone_number_id` of the last change that had one.
    pub phone_number_id: Option<String>,
    /// `metadata.display_phone_number` of the last change that had one.
    pub display_phone_number: Option<String>,
    /// Contacts of every change, in document order.
    pub contacts: Vec<Contact>,
    /// Messages and echoes of every change, in document order (a change's echoes after its
    /// messages), each with its direction in `kapso`.
    pub messages: Vec<Message>,
    /// Statuses of every change (message and call statuses), in document order.
    pub statuses: Vec<Status>,
    /// Calls of every change, in document order.
    pub calls: Vec<Call>,
    raw: Raw,
    changes: Vec<ChangeRecord>,
}

impl PartialEq for NormalizedWebhook {
    fn eq(&self, other: &Self) -> bool {
        self.object == other.object
            && self.phone_number_id == other.phone_number_id
            && self.display_phone_number == other.display_phone_number
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
/// assert_eq!(webhook.phone_number_id.as_deref(), Some("222")); // the reference's view
/// let origins: Vec<_> = webhook
///     .messages_with_origin()
///     .map(|(message, origin)| (message.id.as_deref(), origin.phone_number_id.as_deref(), origin.waba_id.as_deref()))
///     .collect();
/// assert_eq!(origins, [(Some("a"), Some("111"), Some("WABA-1")), (Some("b"), Some("222"), Some("WABA-2"))]);
/// assert_eq!(webhook.changes().next().unwrap().origin().time.as_ref().unwrap().unix_seconds(), Some(1732000000));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ChangeOrigin {
    /// The entry's `id`: the WhatsApp Business Account ID.
    pub waba_id: Option<String>,
    /// The entry's `time`, when present.
    pub time: Option<Timestamp>,
    /// The change's `field` as sent (snake_case), when it is a string.
    pub field: Option<String>,
    /// This change's `metadata.phone_number_id`.
    pub phone_number_id: Option<String>,
    /// This change's `metadata.display_phone_number`.
    pub display_phone_number: Option<String>,
}

/// One normalized change: its origin and where its items landed in the flat lists.
#[derive(Debug, Clone, Default)]
struct ChangeRecord {
    origin: ChangeOrigin,
    /// Position of its value in `raw`: (field index, value index).
    raw: Option<(usize, usize)>,
    contacts: Range<usize>,
    messages: Range<usize>,
    statuses: Range<usize>,
    calls: Range<usize>,
}

/// One change of the body, as normalized (see [`NormalizedWebhook::changes`]).
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    webhook: &'a NormalizedWebhook,
    record: &'a ChangeRecord,
}

impl<'a> Change<'a> {
    /// Where the change came from.
    pub fn origin(&self) -> &'a ChangeOrigin {
        &self.record.origin
    }

    /// The change's camelCased field name, as used in `raw` (`None` without a string field).
    pub fn field(&self) -> Option<&'a str> {
        let (field, _) = self.record.raw?;
        self.webhook
            .raw
            .fields
            .get(field)
            .map(|(name, _)| name.as_str())
    }

    /// The change's value, camelCased once (as in `raw`); `None` without a string field.
    pub fn value(&self) -> Option<&'a Value> {
        let (field, index) = self.record.raw?;
        self.webhook.raw.fields.get(field)?.1.get(index)
    }

    /// The contacts of this change.
    pub fn contacts(&self) -> &'a [Contact] {
        self.webhook
            .contacts
            .get(self.record.contacts.clone())
            .unwrap_or_default()
    }

    /// The messages (and echoes) of this change.
    pub fn messages(&self) -> &'a [Message] {
        self.webhook
            .messages
            .get(self.record.messages.clone())
            .unwrap_or_default()
    }

    /// The statuses of this change.
    pub fn statuses(&self) -> &'a [Status] {
        self.webhook
            .statuses
            .get(self.record.statuses.clone())
            .unwrap_or_default()
    }

    /// The calls of this change.
    pub fn calls(&self) -> &'a [Call] {
        self.webhook
            .calls
            .get(self.record.calls.clone())
            .unwrap_or_default()
    }
}

impl NormalizedWebhook {
    /// Every change value, camelCased, grouped by camelCased field name in first-seen order.
    pub fn raw(&self) -> &Raw {
        &self.raw
    }

    /// Every change whose value was normalized, in document order, with its origin and items.
    ///
    /// Known only for a webhook normalized from a body (empty after `Deserialize`). The item
    /// slices follow the public lists as normalized; after editing those lists, they may not.
    pub fn changes(&self) -> impl Iterator<Item = Change<'_>> {
        self.changes.iter().map(move |record| Change {
            webhook: self,
            record,
        })
    }

    /// Each message with the origin of the change it came from.
    pub fn messages_with_origin(&self) -> impl Iterator<Item = (&Message, &ChangeOrigin)> {
        self.changes()
            .flat_map(|c| c.messages().iter().map(move |m| (m, c.origin())))
    }

    /// Each status with the origin of the change it came from.
    pub fn statuses_with_origin(&self) -> impl Iterator<Item = (&Status, &ChangeOrigin)> {
        self.changes()
            .flat_map(|c| c.statuses().iter().map(move |s| (s, c.origin())))
    }

    /// Each call with the origin of the change it came from.
    pub fn calls_with_origin(&self) -> impl Iterator<Item = (&Call, &ChangeOrigin)> {
        self.changes()
            .flat_map(|c| c.calls().iter().map(move |k| (k, c.origin())))
    }

    /// Whether nothing was found: no object, number, item or change.
    ///
    /// ```
    /// assert!(kapso_webhooks::normalize_webhook(b"[]").unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self == &NormalizedWebhook::default()
    }
}

/// The per-field passthrough: each change value camelCased once, under its camelCased `field`.
///
/// ```
/// let body = br#"{"entry":[{"changes":[{"field":"account_alerts","value":{"entity_type":"WABA"}}]}]}"#;
/// let webhook = kapso_webhooks::normalize_webhook(body).unwrap();
/// let alerts = webhook.raw().get("accountAlerts").unwrap();
/// assert_eq!(alerts[0]["entityType"], "WABA");
/// assert_eq!(webhook.raw().fields().collect::<Vec<_>>(), ["accountAlerts"]);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Raw {
    fields: Vec<(String, Vec<Value>)>,
}

impl Raw {
    /// The change values filed under `field` (camelCased, such as `messageTemplateStatusUpdate`).
    pub fn get(&self, field: &str) -> Option<&[Value]> {
        self.fields
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, values)| values.as_slice())
    }

    /// The field names, in first-seen order.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(name, _)| name.as_str())
    }

    /// Each field name with its change values, in first-seen order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[Value])> {
        self.fields
            .iter()
            .map(|(name, values)| (name.as_str(), values.as_slice()))
    }

    /// How many distinct fields there are.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether no change was filed.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Files a value under `field`; returns its position (field index, value index).
    fn push(&mut self, field: String, value: Value) -> (usize, usize) {
        let index = match self.fields.iter().position(|(name, _)| *name == field) {
            Some(index) => index,
            None => {
                self.fields.push((field, Vec::new()));
                self.fields.len() - 1
            }
        };
        match self.fields.get_mut(index) {
            Some((_, values)) => {
                values.push(value);
                (index, values.len() - 1)
            }
            None => (index, 0),
        }
    }
}

impl Serialize for Raw {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = indexmap_like::<D>(Map::deserialize(d)?)?;
        Ok(Raw { fields: map })
    }
}

fn indexmap_like<'de, D: Deserializer<'de>>(
    map: Map,
) -> Result<Vec<(String, Vec<Value>)>, D::Error> {
    map.into_iter()
        .map(|(field, values)| match values {
            Value::Array(values) => Ok((field, values)),
            _ => Err(serde::de::Error::custom(
                "expected an array of change values in `raw`",
            )),
        })
        .collect()
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
            phone_number_id: self.phone_number_id.as_deref(),
            display_phone_number: self.display_phone_number.as_deref(),
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
        let wire =
            Wire::<String, Vec<Contact>, Vec<Message>, Vec<Status>, Vec<Call>, Raw>::deserialize(
                d,
            )?;
        Ok(NormalizedWebhook {
            object: wire.object,
            phone_number_id: wire.phone_number_id,
            display_phone_number: wire.display_phone_number,
            contacts: wire.contacts,
            messages: wire.messages,
            statuses: wire.statuses,
            calls: wire.calls,
            raw: wire.raw,
            changes: Vec::new(),
        })
    }
}

/// Normalizes a raw webhook body (the bytes of the HTTP request).
///
/// # Errors
///
/// [`Error`] when the body is not valid JSON or not valid UTF-8; the error names the line and
/// column. Any valid JSON normalizes: a body that is not a webhook gives the empty result.
///
/// ```
/// let webhook = kapso_webhooks::normalize_webhook(br#"{"object":"page"}"#).unwrap();
/// assert_eq!(webhook.object.as_deref(), Some("page"));
/// assert!(webhook.messages.is_empty());
/// assert!(kapso_webhooks::normalize_webhook(b"{").is_err());
/// ```
pub fn normalize_webhook(body: &[u8]) -> Result<NormalizedWebhook, Error> {
    let value: Value = serde_json::from_slice(body)?;
    Ok(normalize_value(&value))
}

/// Normalizes an already parsed body. Never fails.
///
/// ```
/// let body = serde_json::json!({"object": "whatsapp_business_account", "entry": []});
/// let webhook = kapso_webhooks::normalize_value(&body);
/// assert_eq!(webhook.object.as_deref(), Some("whatsapp_business_account"));
/// ```
pub fn normalize_value(body: &Value) -> NormalizedWebhook {
    let mut out = NormalizedWebhook::default();
    let Value::Object(top) = body else {
        return out;
    };
    if let Some(Value::String(object)) = top.get("object") {
        out.object = Some(object.clone());
    }
    let Some(Value::Array(entries)) = top.get("entry") else {
        return out;
    };
    for entry in entries {
        let Some(Value::Array(changes)) = entry.get("changes") else {
            continue;
        };
        let waba_id = entry.get("id").and_then(Value::as_str);
        let time = entry
            .get("time")
            .and_then(|t| Timestamp::from_value(t.clone()).ok());
        for change in changes {
            normalize_change(change, waba_id, time.as_ref(), &mut out);
        }
    }
    out
}

fn normalize_change(
    change: &Value,
    waba_id: Option<&str>,
    time: Option<&Timestamp>,
    out: &mut NormalizedWebhook,
) {
    let Some(value) = change
        .get("value")
        .filter(|v| v.is_object() || v.is_array())
    else {
        return;
    };
    let value = camel_once(value);
    let field = change
        .get("field")
        .and_then(Value::as_str)
        .filter(|f| !f.is_empty());
    let mut record = ChangeRecord {
        origin: ChangeOrigin {
            waba_id: waba_id.map(str::to_owned),
            time: time.cloned(),
            field: field.map(str::to_owned),
            ..ChangeOrigin::default()
        },
        contacts: out.contacts.len()..out.contacts.len(),
        messages: out.messages.len()..out.messages.len(),
        statuses: out.statuses.len()..out.statuses.len(),
        calls: out.calls.len()..out.calls.len(),
        raw: None,
    };

    if let Value::Object(fields) = &value {
        let metadata = fields.get("metadata").and_then(Value::as_object);
        let text_of = |key: &str| metadata.and_then(|m| m.get(key)).and_then(Value::as_str);
        let phone_number_id = text_of("phoneNumberId");
        let display_phone_number = text_of("displayPhoneNumber");
        if let Some(id) = phone_number_id {
            out.phone_number_id = Some(id.to_owned());
            record.origin.phone_number_id = Some(id.to_owned());
        }
        if let Some(number) = display_phone_number {
            out.display_phone_number = Some(number.to_owned());
            record.origin.display_phone_number = Some(number.to_owned());
        }
        let business = BusinessNumbers::new(phone_number_id, display_phone_number);

        out.contacts
            .extend(typed_items::<Contact>(fields.get("contacts")));
        for message in typed_items::<Message>(fields.get("messages")) {
            out.messages.push(finish_message(message, &business, false));
        }
        for echo in typed_items::<Message>(fields.get("messageEchoes")) {
            out.messages.push(finish_message(echo, &business, true));
        }
        out.statuses
            .extend(typed_items::<Status>(fields.get("statuses")));
        out.calls
            .extend(typed_items::<Call>(fields.get("calls")).map(finish_call));
    }

    record.contacts.end = out.contacts.len();
    record.messages.end = out.messages.len();
    record.statuses.end = out.statuses.len();
    record.calls.end = out.calls.len();
    if let Some(field) = field {
        record.raw = Some(out.raw.push(camel_field(field), value));
    }
    out.changes.push(record);
}

/// camelCases every key of `value` once (the reference's `toCamelCaseDeep`).
fn camel_once(value: &Value) -> Value {
    // Deserializing a `Value` from a `&Value` cannot fail.
    Value::deserialize(Camel::new(value, 1)).unwrap_or(Value::Null)
}

/// The object items of a list, camelCased once more and typed. Other items (deviation D1) are
/// left out; they stay in `raw`.
fn typed_items<'a, T: Field + 'a>(list: Option<&'a Value>) -> impl Iterator<Item = T> + 'a {
    let items = match list {
        Some(Value::Array(items)) => items.as_slice(),
        _ => &[],
    };
    items
        .iter()
        .filter(|item| item.is_object())
        .filter_map(|item| match T::deserialize_field(Camel::new(item, 1)) {
            Ok(Ok(typed)) => Some(typed),
            // An object always fits a typed item, and reading a `&Value` cannot fail.
            Ok(Err(_)) | Err(_) => None,
        })
}

/// The business's own numbers for one change, digits only.
struct BusinessNumbers {
    numbers: Vec<String>,
}

impl BusinessNumbers {
    fn new(phone_number_id: Option<&str>, display_phone_number: Option<&str>) -> Self {
        let numbers = [phone_number_id, display_phone_number]
            .into_iter()
            .flatten()
            .filter(|n| !n.is_empty())
            .map(digits)
            .collect();
        BusinessNumbers { numbers }
    }

    fn contains(&self, number: &str, context_from: Option<&str>) -> bool {
        self.numbers.iter().any(|n| n == number)
            || context_from.is_some_and(|c| digits(c) == number)
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// The reference's `normalizeMessage` and `applyDirection`.
fn finish_message(mut message: Message, business: &BusinessNumbers, is_echo: bool) -> Message {
    let mut kapso = KapsoSlot::take(&mut message);

    // Order text: `order.text` moves to `order.orderText` and `kapso.orderText`.
    if let Some(order) = &mut message.order {
        if let Some(text) = order.extra.shift_remove("text") {
            set_json(
                &mut order.order_text,
                &mut order.extra,
                "orderText",
                text.clone(),
            );
            if let Some(k) = kapso.ensure() {
                set_json(&mut k.order_text, &mut k.extra, "orderText", text);
            }
        }
    }

    // Flow reply: parse `interactive.nfmReply.responseJson`.
    if let Some(interactive) = &message.interactive {
        let is_flow = interactive
            .interactive_type
            .as_ref()
            .is_some_and(|t| t.as_str() == "nfm_reply");
        if let (true, Some(reply)) = (is_flow, &interactive.nfm_reply) {
            if let Some(parsed) = reply.response_json.as_deref().and_then(parse_flow_response) {
                let name = reply.name.clone();
                if let Some(k) = kapso.ensure() {
                    let is_null = parsed.is_null();
                    let token = parsed
                        .get("flowToken")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    set_json(&mut k.flow_response, &mut k.extra, "flowResponse", parsed);
                    if !is_null {
                        if let Some(token) = token {
                            set(&mut k.flow_token, &mut k.extra, "flowToken", token);
                        }
                        if let Some(name) = name {
                            set(&mut k.flow_name, &mut k.extra, "flowName", name);
                        }
                    }
                }
            }
        }
    }
    kapso.drop_if_empty();

    // Direction.
    let context_from = message
        .context
        .as_ref()
        .and_then(|c| c.from.as_deref())
        .filter(|from| !from.is_empty());
    let from = message
        .from
        .as_deref()
        .map(digits)
        .filter(|d| !d.is_empty());
    let to = message.to.as_deref().map(digits).filter(|d| !d.is_empty());
    let from_user_id = message.from_user_id.as_deref().filter(|id| !id.is_empty());
    let is_business = |number: &Option<String>| {
        number
            .as_deref()
            .is_some_and(|n| business.contains(n, context_from))
    };
    // The reference's rules, first match wins: echoes and messages from a business number are
    // outbound; messages to a business number, replies, and anything with a sender are inbound.
    let direction = if is_echo || is_business(&from) {
        Some(Direction::Outbound)
    } else if is_business(&to) || context_from.is_some() || from.is_some() || from_user_id.is_some()
    {
        Some(Direction::Inbound)
    } else {
        None
    };
    if let Some(direction) = direction {
        if let Some(k) = kapso.ensure() {
            set(&mut k.direction, &mut k.extra, "direction", direction);
            if is_echo {
                set(
                    &mut k.source,
                    &mut k.extra,
                    "source",
                    ECHO_SOURCE.to_owned(),
                );
            }
        }
    }
    kapso.put_back(&mut message);
    message
}

/// Stores a computed JSON value in a typed slot when it fits, otherwise in `extra`.
fn set_json<T: Field>(slot: &mut Option<T>, extra: &mut Map, key: &str, value: Value) {
    crate::wire::place(slot, extra, Cow::Borrowed(key), T::from_value(value));
}

/// `JSON.parse` of a flow's `responseJson`, camelCased; `None` when blank or invalid.
fn parse_flow_response(text: &str) -> Option<Value> {
    if text.chars().all(is_js_whitespace) {
        return None;
    }
    let parsed: Value = serde_json::from_str(text).ok()?;
    Some(camel_once(&parsed))
}

/// The characters JavaScript's `String.prototype.trim` removes.
fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{D}'
            | ' '
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}'
            | '\u{FEFF}'
    )
}

/// The message's `kapso` while it is being normalized, with JavaScript's truthiness rules.
enum KapsoSlot {
    /// No usable `kapso` yet; `original` is a falsy value (null, false, 0, "") to keep when
    /// nothing is added.
    Absent { original: Option<Value> },
    /// A `kapso` object.
    Object(Box<Kapso>),
    /// An empty array: the reference writes properties onto it that JSON never shows.
    /// `touched` records whether any were written.
    EmptyArray { touched: bool },
}

impl KapsoSlot {
    fn take(message: &mut Message) -> Self {
        if let Some(kapso) = message.kapso.take() {
            return KapsoSlot::Object(Box::new(kapso));
        }
        match message.extra.shift_remove("kapso") {
            None => KapsoSlot::Absent { original: None },
            Some(Value::Array(items)) if items.is_empty() => {
                KapsoSlot::EmptyArray { touched: false }
            }
            Some(value) if is_falsy(&value) => KapsoSlot::Absent {
                original: Some(value),
            },
            // Deviation D2: a truthy `kapso` that is not an object is treated as absent.
            Some(_) => KapsoSlot::Absent { original: None },
        }
    }

    /// The reference's `ensureKapso`: the object to write into, created when absent. `None`
    /// when writes go to an empty array and vanish.
    fn ensure(&mut self) -> Option<&mut Kapso> {
        if let KapsoSlot::Absent { .. } = self {
            *self = KapsoSlot::Object(Box::default());
        }
        match self {
            KapsoSlot::Object(kapso) => Some(kapso),
            KapsoSlot::EmptyArray { touched } => {
                *touched = true;
                None
            }
            KapsoSlot::Absent { .. } => None,
        }
    }

    /// The end of `normalizeMessage`: an empty `kapso` is deleted.
    fn drop_if_empty(&mut self) {
        let empty = match self {
            KapsoSlot::Object(kapso) => kapso.is_empty(),
            KapsoSlot::EmptyArray { touched } => !*touched,
            KapsoSlot::Absent { .. } => false,
        };
        if empty {
            *self = KapsoSlot::Absent { original: None };
        }
    }

    fn put_back(self, message: &mut Message) {
        match self {
            KapsoSlot::Object(kapso) => message.kapso = Some(*kapso),
            KapsoSlot::EmptyArray { .. } => {
                message
                    .extra
                    .insert("kapso".to_owned(), Value::Array(Vec::new()));
            }
            KapsoSlot::Absent {
                original: Some(value),
            } => {
                message.extra.insert("kapso".to_owned(), value);
            }
            KapsoSlot::Absent { original: None } => {}
        }
    }
}

/// JavaScript's falsiness for JSON values.
fn is_falsy(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(_) | Value::Object(_) => false,
    }
}

/// A Kapso-style `wacid` becomes `callId` when `callId` is missing or falsy.
fn finish_call(mut call: Call) -> Call {
    let call_id_is_falsy = match (&call.call_id, call.extra.get("callId")) {
        (Some(id), _) => id.is_empty(),
        (None, Some(value)) => is_falsy(value),
        (None, None) => true,
    };
    if call_id_is_falsy {
        if let Some(Value::String(wacid)) = call.extra.get("wacid") {
            let wacid = wacid.clone();
            call.extra.shift_remove("wacid");
            set(&mut call.call_id, &mut call.extra, "callId", wacid);
        }
    }
    call
}
