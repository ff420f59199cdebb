//! [`normalize_webhook`]: from a Meta webhook body to a [`NormalizedWebhook`], exactly as Kapso's
//! `normalizeWebhook` does it (see the README for the deliberate deviations).
//!
//! The one path for data, a single streaming pass over the body, read by [`crate::json::reader`]'s
//! [`Reader`] (the only reader of valid bodies; serde_json reads an invalid one again only to
//! word the error):
//! 1. the outer levels (`object`, `entry`, `changes`, `field`, `value`) are read as they are,
//!    straight from the reader (`walk_direct`, below); a body whose envelope has an escaped key,
//!    or whose change value or `metadata` has keys that need the merging rules (see
//!    [`each_direct_key`]), is read instead by the envelope walk of [`crate::meta::envelope`],
//!    which applies `JSON.parse`'s and the camelCase passes' rules through serde (and reads the
//!    same as the direct reading everywhere else: the reader's tests compare them); either hands
//!    each change value to the normalizer ([`Changes`] for [`NormalizedWebhook`], below);
//! 2. each change value's keys are camelCased on the fly: `metadata` gives the business
//!    numbers, and `contacts`, `messages`, `message_echoes`, `statuses` and `calls` are built
//!    straight into typed structs in the result's lists (a second camelCase pass on their keys,
//!    as in the reference; [`read_object_direct`]); the rest of the value is checked by a scan,
//!    not built;
//! 3. when a change ends, its messages are normalized (order text, flow reply, `kapso`) and
//!    given a direction, and the change is recorded with its origin;
//! 4. the reader records where each change value and each item is in the body: `raw` keeps the
//!    body's text and those spans (camelCased as they are written, parsed only when asked for),
//!    and `to_json` writes an item from its span when the normalizer added nothing but `kapso`.

use std::fmt;
use std::sync::Arc;

use compact_str::CompactString;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::Error;
use crate::json::camel::{Camel, CamelSeed};
use crate::json::depth::{depth_up_to, with_stack_for, SHALLOW_DEPTH};
use crate::json::reader::{GaveUp, NextKey, Reader, SPAN};
use crate::json::stringify::JsText;
use crate::json::wire::{
    each_direct_key, for_each_key, key_enum, read_object_direct, read_text_direct, seed_by_visitor,
    skip_other_shapes, Checked, Field, FieldSeed, FromObject,
};
use crate::meta::call::Call;
use crate::meta::contact::Contact;
use crate::meta::envelope::{self, Changes, Object};
use crate::meta::message::Message;
use crate::meta::message::{Direction, Kapso, ECHO_SOURCE};
use crate::meta::status::Status;
use crate::meta::webhook::{ChangeOrigin, ChangeRecord, ItemValueList, NormalizedWebhook};
use crate::raw_json::RawJson;
use crate::timestamp::Timestamp;

/// Normalizes a raw webhook body (the bytes of the HTTP request).
///
/// # Errors
///
/// [`Error`] when the body is not valid JSON or not valid UTF-8; the error names the line and
/// column. Any valid JSON normalizes: a body that is not a webhook gives the empty result.
///
/// ```
/// let webhook = kapso_webhooks::normalize_webhook(br#"{"object":"page"}"#).unwrap();
/// assert_eq!(webhook.object(), Some("page"));
/// assert!(webhook.messages().is_empty());
/// assert!(kapso_webhooks::normalize_webhook(b"{").is_err());
/// ```
pub fn normalize_webhook(body: &[u8]) -> Result<NormalizedWebhook, Error> {
    let Ok(text) = simdutf8::basic::from_utf8(body) else {
        return Err(utf8_error(body));
    };
    let mut out = NormalizedWebhook::default();
    match read_into(text, false, &mut out) {
        Ok(()) => Ok(out),
        // Invalid JSON: serde_json reads the body again to word the error.
        Err(GaveUp) => Err(serde_json_error(text)),
    }
}

/// The error of a body that is not UTF-8: serde_json locates the bad byte and describes it.
#[cold]
fn utf8_error(body: &[u8]) -> Error {
    serde_json::from_slice::<Value>(body)
        .err()
        .map_or_else(Error::invalid_utf8, Error::from)
}

/// Reads a body with [`Reader`], the one reader of valid bodies, and keeps the body's text
/// for `raw` when a change is filed there.
///
/// `unbounded`: without the depth limit serde_json sets for bodies (for a body written from a
/// `Value`, on a stack sized for its depth).
pub(crate) fn read(text: &str, unbounded: bool) -> Result<NormalizedWebhook, GaveUp> {
    let mut out = NormalizedWebhook::default();
    read_into(text, unbounded, &mut out)?;
    Ok(out)
}

/// [`read`] into `out`, which is empty.
fn read_into(text: &str, unbounded: bool, out: &mut NormalizedWebhook) -> Result<(), GaveUp> {
    let new_reader = || {
        let reader = Reader::new(text);
        if unbounded {
            reader.unbounded()
        } else {
            reader
        }
    };
    // The change values read directly are written from the edits the reader notes.
    let mut reader = new_reader().recording();
    if !walk_direct(&mut reader, out)? {
        // A body whose envelope or change values need the rules the walk applies: read again
        // through it.
        *out = NormalizedWebhook::default();
        reader = new_reader();
        envelope::walk(&mut reader, out)?;
    }
    reader.end()?;
    out.spans = reader.take_spans();
    let (edits, edited) = reader.take_edits();
    let filed = out.finish();
    if filed || out.item_values.any() {
        let text: Arc<str> = Arc::from(text);
        if filed {
            let spans = &out.spans;
            let filed = out.changes.iter().filter_map(|record| {
                let field = record.origin.field.as_ref()?;
                let value = record.value?;
                // In the order of their spans.
                let edits = edited
                    .binary_search_by_key(&value, |(span, _)| *span)
                    .ok()
                    .and_then(|at| Some(edited.get(at)?.1.clone()));
                Some((field, spans.get(value)?.clone(), edits))
            });
            // Kept once, by `raw` (see `NormalizedWebhook::kept_text`).
            out.raw.file_spans(text, filed, edits);
        } else {
            out.text = Some(text);
        }
    }
    Ok(())
}

/// Whether [`read`] reads `text` straight from it, without the walk (for the tests that compare
/// the two).
#[cfg(test)]
pub(crate) fn reads_directly(text: &str) -> bool {
    let mut reader = Reader::new(text);
    matches!(
        walk_direct(&mut reader, &mut NormalizedWebhook::default()),
        Ok(true)
    )
}

/// Reads a body with serde_json's reader, through the same walk (no `raw`: serde_json does not
/// tell where values are). For the tests that check the reader against serde_json.
#[cfg(test)]
pub(crate) fn read_with_serde_json(text: &str) -> Result<NormalizedWebhook, serde_json::Error> {
    let mut out = NormalizedWebhook::default();
    let mut reader = serde_json::Deserializer::from_str(text);
    envelope::walk(&mut reader, &mut out)?;
    reader.end()?;
    out.finish();
    Ok(out)
}

/// Reads a body straight from the text, as [`envelope::walk`] reads it with the normalizer's
/// [`Changes`] but without serde's layers: the envelope's keys matched as they are
/// ([`envelope_keys`]), each change value's and its `metadata`'s keys camelCased once
/// ([`each_direct_key`]), its items read with [`read_object_direct`]. `false` (with `out` and
/// `reader` to be started afresh) for a body that needs more of the walk's rules: an escaped key
/// in the envelope, or a change value or `metadata` whose keys need the merging rules. The walk
/// reads those; what this reads is what the walk reads (the reader's tests compare them).
fn walk_direct(reader: &mut Reader<'_>, out: &mut NormalizedWebhook) -> Result<bool, GaveUp> {
    let start = out.mark();
    let read = envelope_keys(reader, |key, reader| {
        match key {
            "object" => {
                let object = read_text_direct::<Object>(reader, 0)?.ok();
                out.object = object.map(|Object(object)| object);
            }
            "entry" => {
                out.roll_back(start);
                return each_direct(reader, out, entry_direct);
            }
            _ => reader.skip_checked()?,
        }
        Ok(true)
    })?;
    Ok(read != Some(false))
}

/// Reads the envelope object that is next, giving each key, as it is, to `read` (which reads
/// its value). `None`: not an object (skipped); `Some(false)`: the walk is needed (an escaped
/// key, or `read` returned `false`); `Some(true)`: read.
fn envelope_keys<'de>(
    reader: &mut Reader<'de>,
    mut read: impl FnMut(&'de str, &mut Reader<'de>) -> Result<bool, GaveUp>,
) -> Result<Option<bool>, GaveUp> {
    if reader.next_byte() != Some(b'{') {
        reader.skip_checked()?;
        return Ok(None);
    }
    reader.open()?;
    let mut first = true;
    loop {
        match reader.next_key(&mut first)? {
            NextKey::Plain(key) => {
                if !read(key, reader)? {
                    return Ok(Some(false));
                }
            }
            NextKey::End => break,
            NextKey::Escaped => return Ok(Some(false)),
        }
    }
    reader.close(b'}')?;
    Ok(Some(true))
}

/// Reads the array that is next with `read` for each element (another value is skipped);
/// `false` as soon as `read` gives up reading directly.
fn each_direct<'de>(
    reader: &mut Reader<'de>,
    out: &mut NormalizedWebhook,
    read: fn(&mut Reader<'de>, &mut NormalizedWebhook) -> Result<bool, GaveUp>,
) -> Result<bool, GaveUp> {
    if reader.next_byte() != Some(b'[') {
        reader.skip_checked()?;
        return Ok(true);
    }
    reader.open()?;
    let mut first = true;
    while reader.next_element(&mut first)? {
        if !read(reader, out)? {
            return Ok(false);
        }
    }
    reader.close(b']')?;
    Ok(true)
}

/// One entry (see [`walk_direct`]): its `changes`, then its `id` and `time` given to them.
fn entry_direct(reader: &mut Reader<'_>, out: &mut NormalizedWebhook) -> Result<bool, GaveUp> {
    let start = out.mark();
    let (mut id, mut time) = (None, None);
    let read = envelope_keys(reader, |key, reader| {
        match key {
            "id" => id = read_text_direct::<CompactString>(reader, 0)?.ok(),
            "time" => time = Timestamp::read_direct(reader, 0)?.ok(),
            "changes" => {
                out.roll_back(start);
                return each_direct(reader, out, change_direct);
            }
            _ => reader.skip_checked()?,
        }
        Ok(true)
    })?;
    if read == Some(true) {
        out.entry(start, id, time);
    }
    Ok(read != Some(false))
}

/// One change (see [`walk_direct`]): its `field` and its `value`.
fn change_direct(reader: &mut Reader<'_>, out: &mut NormalizedWebhook) -> Result<bool, GaveUp> {
    let start = out.mark();
    let (mut field, mut value) = (None, None);
    let read = envelope_keys(reader, |key, reader| {
        match key {
            "field" => field = read_text_direct::<CompactString>(reader, 0)?.ok(),
            "value" => {
                out.roll_back(start);
                let index = out.values_read;
                out.values_read += 1;
                let span = reader.begin_edited_span();
                if !value_direct(reader, out, index, &mut value)? {
                    return Ok(false);
                }
                reader.end_edited_span(span);
            }
            _ => reader.skip_checked()?,
        }
        Ok(true)
    })?;
    if let (Some(true), Some(value)) = (read, value) {
        out.change(start, field.filter(|f| !f.is_empty()), value);
    }
    Ok(read != Some(false))
}

/// A change value (see [`Lists`]), the `index`-th value recorded, read into `value`; `false`
/// when it needs the walk's rules.
fn value_direct(
    reader: &mut Reader<'_>,
    out: &mut NormalizedWebhook,
    index: usize,
    value: &mut Option<ChangeItems>,
) -> Result<bool, GaveUp> {
    let counts = match reader.next_byte() {
        Some(b'{') => true,
        // An array counts, with nothing in it read.
        Some(b'[') => false,
        _ => {
            reader.skip_checked()?;
            *value = None;
            return Ok(true);
        }
    };
    let items = value.insert(ChangeItems {
        value: index,
        ..ChangeItems::default()
    });
    if !counts {
        reader.skip_checked()?;
        return Ok(true);
    }
    let values = &mut out.item_values;
    let mut contacts = List::new(&mut out.contacts, &mut values.contacts);
    let mut messages = List::new(&mut out.messages, &mut values.messages);
    let mut statuses = List::new(&mut out.statuses, &mut values.statuses);
    let mut calls = List::new(&mut out.calls, &mut values.calls);
    let values_read = &mut out.values_read;
    let ChangeItems {
        metadata,
        echoes,
        echo_values,
        ..
    } = items;
    let mut echo_list = List::new(echoes, echo_values);
    each_direct_key(reader, 1, |key, reader| {
        match key {
            "metadata" => match metadata_direct(reader)? {
                Some(read) => *metadata = read,
                None => return Ok(false),
            },
            "contacts" => items_direct(reader, &mut contacts, values_read)?,
            "messages" => items_direct(reader, &mut messages, values_read)?,
            "messageEchoes" => items_direct(reader, &mut echo_list, values_read)?,
            "statuses" => items_direct(reader, &mut statuses, values_read)?,
            "calls" => items_direct(reader, &mut calls, values_read)?,
            _ => reader.skip_checked()?,
        }
        Ok(true)
    })
}

/// A change value's `metadata` (see [`Metadata`]): `None` when it needs the walk's rules.
#[allow(clippy::type_complexity)]
fn metadata_direct(
    reader: &mut Reader<'_>,
) -> Result<Option<(Option<CompactString>, Option<CompactString>)>, GaveUp> {
    let (mut phone_number_id, mut display_phone_number) = (None, None);
    if reader.next_byte() != Some(b'{') {
        reader.skip_checked()?;
        return Ok(Some((None, None)));
    }
    let read = each_direct_key(reader, 1, |key, reader| {
        match key {
            "phoneNumberId" => {
                phone_number_id = read_text_direct::<CompactString>(reader, 1)?.ok();
            }
            "displayPhoneNumber" => {
                display_phone_number = read_text_direct::<CompactString>(reader, 1)?.ok();
            }
            _ => reader.skip_checked()?,
        }
        Ok(true)
    })?;
    Ok(read.then_some((phone_number_id, display_phone_number)))
}

/// A list of items (see [`Items`]), each read with [`Item::read_direct`].
fn items_direct<T: FromObject + Field>(
    reader: &mut Reader<'_>,
    list: &mut List<'_, T>,
    values_read: &mut usize,
) -> Result<(), GaveUp> {
    if reader.next_byte() != Some(b'[') {
        return reader.skip_checked();
    }
    reader.open()?;
    let mut first = true;
    while reader.next_element(&mut first)? {
        Item {
            list: &mut *list,
            values_read: &mut *values_read,
            value: 0,
        }
        .read_direct(reader)?;
    }
    reader.close(b']')
}

/// The error serde_json finds in a body the reader gave up on.
#[cold]
fn serde_json_error(text: &str) -> Error {
    match serde_json::from_str::<Value>(text) {
        Err(err) => Error::from(err),
        // Valid after all: the reader gave up on JSON it should read (a bug); say so rather
        // than guess.
        Ok(_) => Error::from(<serde_json::Error as serde::de::Error>::custom(
            "the body could not be read (please report this body)",
        )),
    }
}

/// Normalizes an already parsed body. Never fails.
///
/// The value is written as JSON text (in the order its maps iterate) and normalized as a body.
/// Any depth is handled: a value nested deeper than the 128 levels serde_json allows in a body
/// (one built in code, or parsed with `unbounded_depth`) is normalized on a scoped thread whose
/// stack is sized for its depth. The result then holds text as deep as the input: like the
/// input itself, it needs a deep stack to be serialized or parsed.
///
/// ```
/// let body = serde_json::json!({"object": "whatsapp_business_account", "entry": []});
/// let webhook = kapso_webhooks::normalize_webhook_value(&body);
/// assert_eq!(webhook.object(), Some("whatsapp_business_account"));
/// ```
pub fn normalize_webhook_value(body: &Value) -> NormalizedWebhook {
    with_stack_for(body, || normalize_value_here(body)).unwrap_or_else(|| {
        // The system refused a stack that large: normalize what fits on this thread's stack,
        // leaving out the changes nested too deeply.
        normalize_value_here(&without_deep_changes(body))
    })
}

fn normalize_value_here(body: &Value) -> NormalizedWebhook {
    // Writing a `Value` as text cannot fail (its keys are strings), nor can reading it back.
    let text = serde_json::to_string(body).unwrap_or_default();
    read(&text, true).unwrap_or_default()
}

/// `body` with only its envelope and the changes whose values nest at most [`SHALLOW_DEPTH`]
/// levels: what can be normalized on an ordinary stack.
fn without_deep_changes(body: &Value) -> Value {
    let shallow = |value: &Value| depth_up_to(value, SHALLOW_DEPTH) <= SHALLOW_DEPTH;
    let scalar = |value: Option<&Value>| value.filter(|v| !v.is_array() && !v.is_object()).cloned();
    let Value::Object(top) = body else {
        return Value::Null;
    };
    let entries = match top.get("entry") {
        Some(Value::Array(entries)) => entries
            .iter()
            .map(|entry| {
                let changes = match entry.get("changes") {
                    Some(Value::Array(changes)) => changes
                        .iter()
                        .filter_map(|change| {
                            let value = change.get("value").filter(|v| shallow(v))?;
                            let mut kept = Map::new();
                            kept.extend(
                                scalar(change.get("field")).map(|f| ("field".to_owned(), f)),
                            );
                            kept.insert("value".to_owned(), value.clone());
                            Some(Value::Object(kept))
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let mut kept = Map::new();
                for key in ["id", "time"] {
                    kept.extend(scalar(entry.get(key)).map(|v| (key.to_owned(), v)));
                }
                kept.insert("changes".to_owned(), Value::Array(changes));
                Value::Object(kept)
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut kept = Map::new();
    kept.extend(scalar(top.get("object")).map(|o| ("object".to_owned(), o)));
    kept.insert("entry".to_owned(), Value::Array(entries));
    Value::Object(kept)
}

impl NormalizedWebhook {
    /// After the body is read: the place in `raw` of each change with a field. Whether any
    /// change has one (so `raw` has values to file). (The business numbers of the last change
    /// that had them are found in `changes` when asked for, not copied.)
    pub(crate) fn finish(&mut self) -> bool {
        let mut filed = 0;
        for record in &mut self.changes {
            if record.origin.field.is_some() {
                record.raw = Some(filed);
                filed += 1;
            }
        }
        filed > 0
    }
}

/// How long the result's lists were at some point: what to cut back to when a repeated key
/// (`entry`, `changes`, `value`) replaces what its first occurrence added, as the last
/// duplicate wins in `JSON.parse`.
#[derive(Clone, Copy, Default, PartialEq)]
pub(crate) struct Mark {
    contacts: usize,
    messages: usize,
    statuses: usize,
    calls: usize,
    changes: usize,
}

impl Mark {
    #[inline]
    fn of(out: &NormalizedWebhook) -> Mark {
        Mark {
            contacts: out.contacts.len(),
            messages: out.messages.len(),
            statuses: out.statuses.len(),
            calls: out.calls.len(),
            changes: out.changes.len(),
        }
    }

    #[inline]
    fn roll_back(self, out: &mut NormalizedWebhook) {
        if Mark::of(out) == self {
            // Nothing was added since (the usual case: the key's first occurrence).
            return;
        }
        self.roll_back_items(out);
    }

    /// [`Mark::roll_back`] when something was added.
    #[cold]
    fn roll_back_items(self, out: &mut NormalizedWebhook) {
        out.contacts.truncate(self.contacts);
        out.messages.truncate(self.messages);
        out.statuses.truncate(self.statuses);
        out.calls.truncate(self.calls);
        let values = &mut out.item_values;
        values.contacts.truncate(self.contacts);
        values.messages.truncate(self.messages);
        values.statuses.truncate(self.statuses);
        values.calls.truncate(self.calls);
        out.changes.truncate(self.changes);
    }
}

/// The normalizer's side of the envelope walk: each change value's items are read straight
/// into the result's lists, and each change is recorded with its origin.
impl Changes for NormalizedWebhook {
    type Value = ChangeItems;
    type Mark = Mark;

    fn mark(&self) -> Mark {
        Mark::of(self)
    }

    fn roll_back(&mut self, mark: Mark) {
        mark.roll_back(self);
    }

    fn value<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<ChangeItems>, A::Error> {
        let index = self.values_read;
        self.values_read += 1;
        let values = &mut self.item_values;
        let items = map.next_value_seed(Lists {
            contacts: List::new(&mut self.contacts, &mut values.contacts),
            messages: List::new(&mut self.messages, &mut values.messages),
            statuses: List::new(&mut self.statuses, &mut values.statuses),
            calls: List::new(&mut self.calls, &mut values.calls),
            values_read: &mut self.values_read,
        })?;
        Ok(items.map(|items| ChangeItems {
            value: index,
            ..items
        }))
    }

    fn change(&mut self, start: Mark, field: Option<CompactString>, items: ChangeItems) {
        finish_change(self, start, field, items);
    }

    fn object(&mut self, object: Option<CompactString>) {
        self.object = object;
    }

    /// Gives the entry's `id` and `time` to each of its changes.
    fn entry(&mut self, start: Mark, id: Option<CompactString>, time: Option<Timestamp>) {
        let records = self.changes.get_mut(start.changes..).unwrap_or_default();
        if let Some((last, others)) = records.split_last_mut() {
            for record in others {
                record.origin.waba_id.clone_from(&id);
                record.origin.time.clone_from(&time);
            }
            last.origin.waba_id = id;
            last.origin.time = time;
        }
    }
}

/// Normalizes the items a change added to the result (from `start` on) and records the change.
fn finish_change(
    out: &mut NormalizedWebhook,
    start: Mark,
    field: Option<CompactString>,
    items: ChangeItems,
) {
    let (phone_number_id, display_phone_number) = items.metadata;
    // Messages need the change's metadata, which may come after them in the value.
    let business =
        BusinessNumbers::new(phone_number_id.as_deref(), display_phone_number.as_deref());
    // An item the normalizer changes beyond appending `kapso` is written from its fields.
    let values = &mut out.item_values;
    let messages = out.messages.iter_mut().zip(&mut values.messages);
    for (message, value) in messages.skip(start.messages) {
        if !finish_message(message, &business, false) {
            *value = None;
        }
    }
    for (mut echo, mut value) in items.echoes.into_iter().zip(items.echo_values) {
        if !finish_message(&mut echo, &business, true) {
            value = None;
        }
        out.messages.push(echo);
        values.messages.push(value);
    }
    for (call, value) in out
        .calls
        .iter_mut()
        .zip(&mut values.calls)
        .skip(start.calls)
    {
        if !finish_call(call) {
            *value = None;
        }
    }
    out.changes.push(ChangeRecord {
        origin: ChangeOrigin {
            waba_id: None,
            time: None,
            field,
            phone_number_id,
            display_phone_number,
        },
        raw: None,
        value: Some(items.value),
        contacts: start.contacts..out.contacts.len(),
        messages: start.messages..out.messages.len(),
        statuses: start.statuses..out.statuses.len(),
        calls: start.calls..out.calls.len(),
    });
}

key_enum! {
    /// The keys of a change value the normalizer reads (camelCased once).
    enum ValueKey {
        Metadata = "metadata",
        Contacts = "contacts",
        Messages = "messages",
        MessageEchoes = "messageEchoes",
        Statuses = "statuses",
        Calls = "calls",
    }
}

key_enum! {
    /// The keys of a change's `metadata` the normalizer reads (camelCased twice).
    enum MetadataKey {
        PhoneNumberId = "phoneNumberId",
        DisplayPhoneNumber = "displayPhoneNumber",
    }
}

/// The result's item lists, which a change value's items are appended to as they are read.
struct Lists<'o> {
    contacts: List<'o, Contact>,
    messages: List<'o, Message>,
    statuses: List<'o, Status>,
    calls: List<'o, Call>,
    /// How many values of the body the reader was asked to record the place of.
    values_read: &'o mut usize,
}

/// One of the result's lists, and for each item which value of the body it is (its text, when
/// the normalizer adds nothing but `kapso` to it: see [`NormalizedWebhook::write_json`]).
struct List<'o, T> {
    items: &'o mut Vec<T>,
    values: &'o mut ItemValueList,
}

impl<'o, T> List<'o, T> {
    fn new(items: &'o mut Vec<T>, values: &'o mut ItemValueList) -> Self {
        List { items, values }
    }

    fn len(&self) -> usize {
        self.items.len()
    }
}
/// What else the normalizer takes from one change value: its metadata, and its echoes (which
/// follow its messages whatever the order in the value).
#[derive(Default)]
pub(crate) struct ChangeItems {
    /// `metadata.phoneNumberId` and `metadata.displayPhoneNumber`, when strings.
    metadata: (Option<CompactString>, Option<CompactString>),
    echoes: Vec<Message>,
    /// Which value of the body each echo is.
    echo_values: ItemValueList,
    /// Which change value of the body this is (counted in document order): where its span is.
    value: usize,
}

/// Reads a change value (its own keys camelCased once): `metadata` camelCased once more
/// deeply, and each item of `contacts`, `messages`, `message_echoes`, `statuses` and `calls`
/// twice (the reference's `toCamelCaseDeep` of the already camelCased value), straight into
/// the result's lists. A repeated key replaces what an earlier one added.
impl<'de> DeserializeSeed<'de> for Lists<'_> {
    type Value = Option<ChangeItems>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<ChangeItems>, D::Error> {
        // The reader records where the value is, for `raw`.
        d.deserialize_newtype_struct(SPAN, Spanned(self))
    }
}

/// [`Lists`] reading a change value whose span the reader records.
struct Spanned<'o>(Lists<'o>);

impl<'de> Visitor<'de> for Spanned<'_> {
    type Value = Option<ChangeItems>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a change value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> Result<Option<ChangeItems>, D::Error> {
        Camel::keys_only(d, 1).deserialize_any(self.0)
    }
}

impl<'de> Visitor<'de> for Lists<'_> {
    type Value = Option<ChangeItems>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a change value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<ChangeItems>, A::Error> {
        let Lists {
            mut contacts,
            mut messages,
            mut statuses,
            mut calls,
            values_read,
        } = self;
        let starts = (contacts.len(), messages.len(), statuses.len(), calls.len());
        let mut items = ChangeItems::default();
        let ChangeItems {
            metadata,
            echoes,
            echo_values,
            ..
        } = &mut items;
        let mut echo_list = List::new(echoes, echo_values);
        for_each_key(&mut map, |key, map| match key {
            ValueKey::Metadata => {
                *metadata = map.next_value_seed(CamelSeed::new(Metadata, 1))?;
                Ok(())
            }
            ValueKey::Contacts => replace_items(map, &mut contacts, starts.0, values_read),
            ValueKey::Messages => replace_items(map, &mut messages, starts.1, values_read),
            ValueKey::MessageEchoes => replace_items(map, &mut echo_list, 0, values_read),
            ValueKey::Statuses => replace_items(map, &mut statuses, starts.2, values_read),
            ValueKey::Calls => replace_items(map, &mut calls, starts.3, values_read),
        })?;
        Ok(Some(items))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<ChangeItems>, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Some(ChangeItems::default()))
    }

    skip_other_shapes!(map, seq);
}

/// Reads a list's items into `list`, replacing those an earlier occurrence of its key added
/// (from `start` on).
fn replace_items<'de, T: FromObject + Field, A: MapAccess<'de>>(
    map: &mut A,
    list: &mut List<'_, T>,
    start: usize,
    values_read: &mut usize,
) -> Result<(), A::Error> {
    list.items.truncate(start);
    list.values.truncate(start);
    map.next_value_seed(Items { list, values_read })
}

/// `metadata`: the two numbers, when they are strings (`value.metadata ?? {}`; later
/// duplicates win, like everything else).
struct Metadata;

seed_by_visitor!([] Metadata);

impl<'de> Visitor<'de> for Metadata {
    type Value = (Option<CompactString>, Option<CompactString>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("metadata")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut phone_number_id, mut display_phone_number) = (None, None);
        for_each_key(&mut map, |key, map| {
            let number = map.next_value_seed(FieldSeed::<CompactString>::new())?.ok();
            match key {
                MetadataKey::PhoneNumberId => phone_number_id = number,
                MetadataKey::DisplayPhoneNumber => display_phone_number = number,
            }
            Ok(())
        })?;
        Ok((phone_number_id, display_phone_number))
    }

    skip_other_shapes!(map);
}

/// A list of items, appended to a vector: each object item, camelCased twice, typed; other
/// items are left out (deviation D1; they stay in `raw`). A value that is not an array adds
/// nothing.
struct Items<'l, 'o, T> {
    list: &'l mut List<'o, T>,
    values_read: &'l mut usize,
}

seed_by_visitor!([T: FromObject + Field] Items<'_, '_, T>);

impl<'de, T: FromObject + Field> Visitor<'de> for Items<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let item = Item {
                list: &mut *self.list,
                values_read: &mut *self.values_read,
                value: 0,
            };
            if seq
                .next_element_seed(CamelSeed::new(item, ITEM_LEVELS))?
                .is_none()
            {
                return Ok(());
            }
        }
    }

    skip_other_shapes!(seq);
}

/// How many times an item's keys are camelCased (the reference camelCases the change value,
/// then each item again).
const ITEM_LEVELS: u8 = 2;

/// One item of a list, which value of the body it is: typed and appended when it is an
/// object, skipped otherwise.
struct Item<'l, 'o, T> {
    list: &'l mut List<'o, T>,
    values_read: &'l mut usize,
    /// Which value of the body it is (set when it is read).
    value: usize,
}

impl<'de, T: FromObject + Field> DeserializeSeed<'de> for Item<'_, '_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(mut self, d: D) -> Result<(), D::Error> {
        // The reader records where the item is, for the normalized JSON.
        self.value = *self.values_read;
        *self.values_read += 1;
        d.deserialize_newtype_struct(SPAN, self)
    }
}

impl<'de, T: FromObject + Field> Visitor<'de> for Item<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an item")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Built where it stays (items are large). Should the body turn out invalid, the
        // partial item is dropped with the rest of the result.
        push_default(self.list.items);
        self.list.values.push(u32::try_from(self.value).ok());
        if let Some(item) = self.list.items.last_mut() {
            while item.take_entry(&mut map)? {}
        }
        Ok(())
    }

    skip_other_shapes!(map);
}

impl<T: FromObject + Field> Item<'_, '_, T> {
    /// What [`Item::deserialize`] reads, straight from `reader` (see [`walk_direct`]).
    fn read_direct(mut self, reader: &mut Reader<'_>) -> Result<(), GaveUp> {
        self.value = *self.values_read;
        *self.values_read += 1;
        let span = reader.begin_span();
        if reader.next_byte() == Some(b'{') {
            push_default(self.list.items);
            self.list.values.push(u32::try_from(self.value).ok());
            match self.list.items.last_mut() {
                Some(item) => read_object_direct(item, reader, ITEM_LEVELS)?,
                None => return Err(GaveUp),
            }
        } else {
            reader.skip_checked()?;
        }
        reader.end_span(span);
        Ok(())
    }
}

/// Appends an empty item to a list that, for most bodies, gets only this one: the first push
/// allocates room for one (items are large), later ones grow as usual. The item is built in
/// its place rather than moved there.
fn push_default<T: Default>(list: &mut Vec<T>) {
    if list.capacity() == 0 {
        // Empty: allocated directly (growing an empty vector takes a longer path).
        *list = Vec::with_capacity(1);
    }
    list.resize_with(list.len() + 1, T::default);
}

/// The business's own numbers for one change (`metadata`), compared by their digits.
struct BusinessNumbers<'a> {
    numbers: [Option<&'a str>; 2],
}

impl<'a> BusinessNumbers<'a> {
    fn new(phone_number_id: Option<&'a str>, display_phone_number: Option<&'a str>) -> Self {
        let non_empty = |n: Option<&'a str>| n.filter(|n| !n.is_empty());
        BusinessNumbers {
            numbers: [non_empty(phone_number_id), non_empty(display_phone_number)],
        }
    }

    /// Whether `number` (with digits) is one of the business numbers or the replied-to sender.
    fn contains(&self, number: &str, context_from: Option<&str>) -> bool {
        self.numbers
            .iter()
            .flatten()
            .chain(&context_from)
            .any(|business| same_digits(business, number))
    }
}

/// The digits of `text` (the reference's `value.replace(/[^0-9]/g, "")`).
fn digits(text: &str) -> impl Iterator<Item = u8> + '_ {
    // ASCII digits are single bytes, never part of another character's encoding.
    text.bytes().filter(u8::is_ascii_digit)
}

/// Whether two strings have the same digits, in order.
fn same_digits(a: &str, b: &str) -> bool {
    digits(a).eq(digits(b))
}

/// Whether `text` has a digit at all.
fn has_digits(text: &str) -> bool {
    digits(text).next().is_some()
}

/// The reference's `normalizeMessage` and `applyDirection`.
///
/// Whether the message changed only by a `kapso` appended last: it had none, and no order text
/// moved.
fn finish_message(message: &mut Message, business: &BusinessNumbers, is_echo: bool) -> bool {
    let had_kapso = message.kapso.is_some() || message.extra.contains_key("kapso");
    let mut order_text_moved = false;
    let mut kapso = KapsoSlot::take(message);

    // Order text: `order.text` moves to `order.orderText` and `kapso.orderText` (both last).
    if let Some(order) = &mut message.order {
        if let Some(text) = order.extra.remove("text") {
            order_text_moved = true;
            set_from_raw!(order, order_text, "orderText", text.clone());
            if let Some(k) = kapso.ensure() {
                set_from_raw!(k, order_text, "orderText", text);
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
                        .value()
                        .get("flowToken")
                        .and_then(Value::as_str)
                        .map(CompactString::from);
                    set_from_raw!(k, flow_response, "flowResponse", parsed);
                    if !is_null {
                        if let Some(token) = token {
                            set_typed!(k, flow_token, "flowToken", token);
                        }
                        if let Some(name) = name {
                            set_typed!(k, flow_name, "flowName", name);
                        }
                    }
                }
            }
        }
    }
    kapso.drop_if_empty(message);

    // Direction.
    let context_from = message
        .context
        .as_ref()
        .and_then(|c| c.from.as_deref())
        .filter(|from| !from.is_empty());
    // `from` and `to` count only when they have digits.
    let from = message.from.as_deref().filter(|from| has_digits(from));
    let to = message.to.as_deref().filter(|to| has_digits(to));
    let from_user_id = message.from_user_id.as_deref().filter(|id| !id.is_empty());
    let is_business =
        |number: Option<&str>| number.is_some_and(|n| business.contains(n, context_from));
    // The reference's rules, first match wins: echoes and messages from a business number are
    // outbound; messages to a business number, replies, and anything with a sender are inbound.
    let direction = if is_echo || is_business(from) {
        Some(Direction::Outbound)
    } else if is_business(to) || context_from.is_some() || from.is_some() || from_user_id.is_some()
    {
        Some(Direction::Inbound)
    } else {
        None
    };
    if let Some(direction) = direction {
        if let Some(k) = kapso.ensure() {
            set_typed!(k, direction, "direction", direction);
            if is_echo {
                set_typed!(k, source, "source", ECHO_SOURCE.into());
            }
        }
    }
    kapso.put_back(message);
    !had_kapso && !order_text_moved
}

/// Sets a typed field from kept text (a value the reference moves), or keeps the text in
/// `extra` when it does not fit the field: in the place of the key's earlier value, or last.
macro_rules! set_from_raw {
    ($owner:expr, $field:ident, $key:literal, $raw:expr) => {{
        let owner = &mut *$owner;
        match Field::from_raw($raw) {
            Ok(value) => {
                owner.$field = Some(value);
                owner.record_typed($key);
            }
            Err(raw) => owner.keep_raw($key, raw),
        }
    }};
}

/// Sets a typed field to a value the normalizer computed: in the place of the key's earlier
/// value, or last.
macro_rules! set_typed {
    ($owner:expr, $field:ident, $key:literal, $value:expr) => {{
        let owner = &mut *$owner;
        owner.$field = Some($value);
        owner.record_typed($key);
    }};
}

use {set_from_raw, set_typed};

/// `JSON.parse` of a flow's `responseJson`, camelCased; `None` when blank or invalid.
fn parse_flow_response(text: &str) -> Option<RawJson> {
    if text.chars().all(is_js_whitespace) {
        return None;
    }
    let mut reader = Reader::new(text);
    let parsed = JsText.deserialize(Camel::new(&mut reader, 1)).ok()?;
    reader.end().ok()?;
    let parsed = RawJson::from_js_text(parsed);
    if depth_up_to(parsed.value(), FLOW_RESPONSE_DEPTH) > FLOW_RESPONSE_DEPTH {
        // Deeper, the normalized JSON could not be read back (left unparsed, deviation D6).
        return None;
    }
    Some(parsed)
}

/// `kapso.flowResponse` starts 4 levels into the normalized JSON (`{messages: [{kapso: {…`):
/// a flow response nested deeper than 123 levels would make that JSON unreadable by serde_json.
const FLOW_RESPONSE_DEPTH: usize = 123;

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

/// A message's `kapso` while the message is normalized.
enum KapsoSlot {
    /// None usable: absent, falsy (kept in `extra` as it is until one is needed), or a truthy
    /// value that is not an object (deviation D2: treated as absent, left out).
    Absent,
    /// An object, extended in place.
    Object(Box<Kapso>),
    /// `[]` (kept in `extra`): truthy in JavaScript, so it is "extended", which shows nothing.
    EmptyArray { touched: bool },
}

impl KapsoSlot {
    fn take(message: &mut Message) -> Self {
        if let Some(kapso) = message.kapso.take() {
            return KapsoSlot::Object(kapso);
        }
        let Some(kept) = message.extra.get("kapso") else {
            return KapsoSlot::Absent;
        };
        match kept {
            Value::Array(items) if items.is_empty() => KapsoSlot::EmptyArray { touched: false },
            value if is_falsy(value) => KapsoSlot::Absent,
            // Deviation D2: a truthy `kapso` that is not an object is treated as absent.
            _ => {
                message.forget("kapso");
                KapsoSlot::Absent
            }
        }
    }

    /// The `kapso` object, created when absent (in the place of a falsy one).
    fn ensure(&mut self) -> Option<&mut Kapso> {
        if let KapsoSlot::Absent = self {
            *self = KapsoSlot::Object(Box::default());
        }
        match self {
            KapsoSlot::Object(kapso) => Some(kapso),
            KapsoSlot::EmptyArray { touched } => {
                *touched = true;
                None
            }
            KapsoSlot::Absent => None,
        }
    }

    /// Removes a `kapso` left empty by the order and flow steps (a later one comes last).
    fn drop_if_empty(&mut self, message: &mut Message) {
        let empty = match self {
            KapsoSlot::Object(kapso) => kapso.is_empty(),
            KapsoSlot::EmptyArray { touched } => !*touched,
            KapsoSlot::Absent => false,
        };
        if empty {
            message.forget("kapso");
            *self = KapsoSlot::Absent;
        }
    }

    fn put_back(self, message: &mut Message) {
        if let KapsoSlot::Object(kapso) = self {
            message.kapso = Some(kapso);
            message.record_typed("kapso");
        }
    }
}

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
///
/// Whether the call is unchanged.
fn finish_call(call: &mut Call) -> bool {
    let call_id_is_falsy = match (&call.call_id, call.extra.get("callId")) {
        (Some(id), _) => id.is_empty(),
        (None, Some(value)) => is_falsy(value),
        (None, None) => true,
    };
    if call_id_is_falsy {
        if let Some(Value::String(wacid)) = call.extra.get("wacid") {
            let wacid = CompactString::from(wacid.as_str());
            call.extra.remove("wacid");
            set_typed!(call, call_id, "callId", wacid);
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// When the system refuses a deep stack, `normalize_webhook_value` falls back to the changes that fit
    /// an ordinary one: the deep change is left out, everything else is normalized as usual.
    #[test]
    fn fallback_leaves_out_only_the_deep_changes() {
        let mut deep = json!("bottom");
        for _ in 0..SHALLOW_DEPTH + 10 {
            deep = json!([deep]);
        }
        let shallow = json!({"messages": [{"from": "1", "id": "a", "type": "text"}]});
        let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "W", "time": 5,
            "changes": [{"field": "messages", "value": shallow},
                        {"field": "deep", "value": {"messages": [{"id": "b", "x": deep}]}}]}]});
        let pruned = without_deep_changes(&body);
        let webhook = normalize_value_here(&pruned);
        assert_eq!(webhook.object.as_deref(), Some("whatsapp_business_account"));
        let ids: Vec<_> = webhook.messages.iter().map(|m| m.id.as_deref()).collect();
        assert_eq!(ids, [Some("a")]);
        assert_eq!(webhook.raw().fields().collect::<Vec<_>>(), ["messages"]);
        let origin = webhook
            .changes()
            .next()
            .map(|change| change.origin().clone());
        assert_eq!(origin.and_then(|o| o.waba_id).as_deref(), Some("W"));
        // Without the pruning, both changes are there.
        assert_eq!(normalize_webhook_value(&body).messages.len(), 2);
    }
}
