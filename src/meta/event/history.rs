//! WhatsApp Business app coexistence events: `history` (chat history sync: phases, chunks,
//! threads of messages) and `smb_app_state_sync` (contacts added or removed in the app).

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::json::stringify::{to_js_string, write_str};
use crate::json::wire::Field;
use crate::json::wire::{join_path, open_enum, wire_struct, UnknownKeys};
use crate::meta::event::PhoneNumberMetadata;
use crate::meta::message::{ApiError, Message};
use crate::raw_json::RawJson;
use crate::timestamp::Timestamp;

wire_struct! {
    /// A `history` value: one chunk (or more) of a business's WhatsApp Business app chat history,
    /// or a refusal to share it (`errors` with code `2593109`). A media sync change carries
    /// `messages` instead, which the normalizer also lists among the webhook's messages.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::{HistoryMessageStatus, HistoryUpdate};
    /// let update: HistoryUpdate = serde_json::from_str(r#"{"messagingProduct":"whatsapp",
    ///   "history":[{"metadata":{"phase":1,"chunkOrder":2,"progress":64},"threads":[{"id":"15550104321",
    ///   "messages":[{"from":"15550104321","id":"wamid.A","timestamp":"1731400600","type":"text",
    ///   "text":{"body":"See you tomorrow"},"historyContext":{"status":"DELIVERED"}}]}]}]}"#).unwrap();
    /// let chunk = &update.history.as_ref().unwrap()[0];
    /// assert_eq!(chunk.metadata.as_ref().unwrap().progress, Some(64));
    /// let message = &chunk.threads.as_ref().unwrap()[0].messages.as_ref().unwrap()[0];
    /// assert_eq!(message.message.text_body(), Some("See you tomorrow"));
    /// assert_eq!(message.status(), Some(&HistoryMessageStatus::Delivered));
    /// assert!(update.unknown_keys().is_empty());
    /// ```
    pub struct HistoryUpdate {
        /// Always `whatsapp`.
        messaging_product: CompactString = "messagingProduct",
        /// The business phone number.
        metadata: PhoneNumberMetadata = "metadata",
        /// The history chunks.
        history: Vec<HistoryChunk> = "history",
        /// Media messages of a media sync, camelCased once as in `raw` (the normalized ones,
        /// with their direction, are the change's messages).
        messages: Vec<Message> = "messages",
    }
}

wire_struct! {
    /// One chunk of chat history.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::HistoryChunk;
    /// let chunk: HistoryChunk = serde_json::from_str(r#"{"errors":[{"code":2593109,"title":"History sharing is turned off"}]}"#)?;
    /// assert_eq!(chunk.errors.unwrap()[0].code, Some(2593109));
    /// assert!(chunk.threads.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct HistoryChunk {
        /// Phase, chunk and progress.
        metadata: HistoryMetadata = "metadata",
        /// The chats of this chunk.
        threads: Vec<HistoryThread> = "threads",
        /// Why history was not shared (such as code `2593109`: turned off by the business).
        errors: Vec<ApiError> = "errors",
    }
}

wire_struct! {
    /// Where a chunk belongs in the history sync.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::HistoryMetadata;
    /// let metadata: HistoryMetadata = serde_json::from_str(r#"{"phase":2,"chunkOrder":7,"progress":88}"#)?;
    /// assert_eq!((metadata.phase, metadata.chunk_order), (Some(2), Some(7)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct HistoryMetadata {
        /// The phase: `0` (day 0–1), `1` (days 1–90) or `2` (days 90–180).
        phase: u64 = "phase",
        /// The chunk's number within the phase, to put chunks in order.
        chunk_order: u64 = "chunkOrder",
        /// Overall progress in percent; `100` when the sync is complete.
        progress: u64 = "progress",
    }
}

impl HistoryMetadata {
    /// Whether the sync is complete (`progress` is 100).
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::HistoryMetadata;
    /// let done: HistoryMetadata = serde_json::from_str(r#"{"phase":2,"progress":100}"#)?;
    /// let halfway: HistoryMetadata = serde_json::from_str(r#"{"phase":1,"progress":50}"#)?;
    /// assert!(done.is_complete() && !halfway.is_complete());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_complete(&self) -> bool {
        self.progress == Some(100)
    }
}

wire_struct! {
    /// The chat with one user.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::HistoryThread;
    /// let thread: HistoryThread = serde_json::from_str(r#"{"id":"15550107777","messages":[{"id":"wamid.H1"},{"id":"wamid.H2"}]}"#)?;
    /// assert_eq!(thread.id.as_deref(), Some("15550107777"));
    /// assert_eq!(thread.messages.unwrap().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct HistoryThread {
        /// The user's phone number.
        id: CompactString = "id",
        /// The messages, oldest first.
        messages: Vec<HistoryMessage> = "messages",
    }
}

open_enum! {
    /// The status of a message in the synced history.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::HistoryMessageStatus;
    /// assert_eq!(HistoryMessageStatus::from("PLAYED"), HistoryMessageStatus::Played);
    /// assert_eq!(HistoryMessageStatus::Error.as_str(), "ERROR");
    /// ```
    pub enum HistoryMessageStatus {
        /// Delivered.
        Delivered = "DELIVERED",
        /// Failed.
        Error = "ERROR",
        /// Not sent yet.
        Pending = "PENDING",
        /// A voice message was played.
        Played = "PLAYED",
        /// Read.
        Read = "READ",
        /// Sent.
        Sent = "SENT",
    }
}

wire_struct! {
    /// A synced message's status.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::{HistoryContext, HistoryMessageStatus};
    /// let context: HistoryContext = serde_json::from_str(r#"{"status":"READ"}"#)?;
    /// assert_eq!(context.status, Some(HistoryMessageStatus::Read));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct HistoryContext {
        /// The status.
        status: HistoryMessageStatus = "status",
    }
}

/// A message of the synced history: a [`Message`] (camelCased once; no direction) plus its
/// `historyContext`. Media appear as `type: "media_placeholder"`.
///
/// Serializes as the message's keys followed by `historyContext`.
///
/// ```
/// use kapso_webhooks::meta::event::history::HistoryMessage;
/// let message: HistoryMessage = serde_json::from_str(
///     r#"{"id":"wamid.H3","type":"media_placeholder","historyContext":{"status":"SENT"}}"#)?;
/// assert_eq!(message.message.id.as_deref(), Some("wamid.H3"));
/// let json = serde_json::to_value(&message)?;
/// assert_eq!(json["historyContext"]["status"], "SENT");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct HistoryMessage {
    /// The message. A message from the business has `from` equal to the business number.
    pub message: Message,
    /// Its status in the history.
    pub history_context: Option<HistoryContext>,
}

impl HistoryMessage {
    /// The message's status in the history.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::{HistoryMessage, HistoryMessageStatus};
    /// let message: HistoryMessage = serde_json::from_str(r#"{"id":"wamid.H4","historyContext":{"status":"PENDING"}}"#)?;
    /// assert_eq!(message.status(), Some(&HistoryMessageStatus::Pending));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn status(&self) -> Option<&HistoryMessageStatus> {
        self.history_context.as_ref()?.status.as_ref()
    }
}

const HISTORY_CONTEXT: &str = "historyContext";

impl Field for HistoryMessage {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Self, RawJson>, D::Error> {
        // The message takes every key; `historyContext` is then typed when it fits.
        let mut message = match Message::deserialize_field(d)? {
            Ok(message) => message,
            Err(other) => return Ok(Err(other)),
        };
        let context = message.extra.get_json(HISTORY_CONTEXT).cloned();
        let history_context = match context.map(HistoryContext::from_raw) {
            Some(Ok(context)) => {
                message.extra.remove(HISTORY_CONTEXT);
                Some(context)
            }
            Some(Err(_)) | None => None,
        };
        Ok(Ok(HistoryMessage {
            message,
            history_context,
        }))
    }
}

impl Serialize for HistoryMessage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(context) = &self.history_context else {
            return self.message.serialize(serializer);
        };
        // The message's keys, then `historyContext`.
        let mut text = to_js_string(&self.message);
        text.pop();
        if text.len() > 1 {
            text.push(',');
        }
        write_str(&mut text, HISTORY_CONTEXT);
        text.push(':');
        text.push_str(&to_js_string(context));
        text.push('}');
        RawJson::from_js_text(text).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for HistoryMessage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::wire::deserialize_strict(d, "expected a JSON object for HistoryMessage")
    }
}

impl UnknownKeys for HistoryMessage {
    fn unknown_keys_into(&self, path: &str, out: &mut Vec<String>) {
        self.message.unknown_keys_into(path, out);
        if let Some(context) = &self.history_context {
            context.unknown_keys_into(&join_path(path, HISTORY_CONTEXT), out);
        }
    }
}

wire_struct! {
    /// An `smb_app_state_sync` value: contacts added, changed or removed in the WhatsApp
    /// Business app of a coexistence number.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::{SmbAppStateSync, StateSyncAction};
    /// let sync: SmbAppStateSync = serde_json::from_str(r#"{"stateSync":[{"type":"contact",
    ///   "contact":{"fullName":"Oliver Grant","phoneNumber":"447700900456"},"action":"add",
    ///   "metadata":{"timestamp":"1732011010"}}]}"#).unwrap();
    /// let item = &sync.state_sync.as_ref().unwrap()[0];
    /// assert_eq!(item.action, Some(StateSyncAction::Add));
    /// assert_eq!(item.contact.as_ref().unwrap().phone_number.as_deref(), Some("447700900456"));
    /// ```
    pub struct SmbAppStateSync {
        /// Always `whatsapp`.
        messaging_product: CompactString = "messagingProduct",
        /// The business phone number.
        metadata: PhoneNumberMetadata = "metadata",
        /// The changes.
        state_sync: Vec<StateSyncItem> = "stateSync",
    }
}

open_enum! {
    /// What a state sync item is about.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::StateSyncType;
    /// assert_eq!(StateSyncType::from("contact"), StateSyncType::Contact);
    /// assert!(StateSyncType::from("label").is_other());
    /// ```
    pub enum StateSyncType {
        /// A contact.
        Contact = "contact",
    }
}

open_enum! {
    /// What happened to a synced item.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::StateSyncAction;
    /// assert_eq!(StateSyncAction::from("remove"), StateSyncAction::Remove);
    /// ```
    pub enum StateSyncAction {
        /// Added or changed.
        Add = "add",
        /// Removed.
        Remove = "remove",
    }
}

wire_struct! {
    /// One synced change.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::{StateSyncAction, StateSyncItem, StateSyncType};
    /// let item: StateSyncItem = serde_json::from_str(
    ///     r#"{"type":"contact","contact":{"phoneNumber":"447700900111"},"action":"remove"}"#)?;
    /// assert_eq!((item.item_type, item.action), (Some(StateSyncType::Contact), Some(StateSyncAction::Remove)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct StateSyncItem {
        /// What it is about.
        item_type: StateSyncType = "type",
        /// The contact (`type: contact`).
        contact: SyncedContact = "contact",
        /// What happened.
        action: StateSyncAction = "action",
        /// When.
        metadata: StateSyncMetadata = "metadata",
    }
}

wire_struct! {
    /// A contact of the WhatsApp Business app.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::SyncedContact;
    /// let contact: SyncedContact = serde_json::from_str(r#"{"fullName":"Maya Lind","firstName":"Maya"}"#)?;
    /// assert_eq!(contact.first_name.as_deref(), Some("Maya"));
    /// assert_eq!(contact.phone_number, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct SyncedContact {
        /// The full name (absent on removal).
        full_name: CompactString = "fullName",
        /// The first name.
        first_name: CompactString = "firstName",
        /// The phone number.
        phone_number: CompactString = "phoneNumber",
    }
}

wire_struct! {
    /// When a synced change happened.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::history::StateSyncMetadata;
    /// let metadata: StateSyncMetadata = serde_json::from_str(r#"{"timestamp":"1732022020"}"#)?;
    /// assert_eq!(metadata.timestamp.unwrap().to_unix_seconds(), Some(1732022020));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct StateSyncMetadata {
        /// The time of the change.
        timestamp: Timestamp = "timestamp",
    }
}
