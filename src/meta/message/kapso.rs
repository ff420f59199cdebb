//! The `kapso` object of a message: what the normalizer adds to Meta messages (direction, echo
//! source, order text, parsed flow response) and what Kapso's own message events carry (status,
//! processing status, origin, media helpers, transcript, status history) or Kapso's
//! message-history API (conversation ID, contact name). Unknown keys stay in `extra`.

use compact_str::CompactString;

use crate::json::wire::{open_enum, wire_struct};
use crate::meta::status::Status;
use crate::raw_json::RawJson;
use crate::timestamp::Timestamp;

/// The `kapso.source` the normalizer gives echoes of messages sent from the WhatsApp Business app.
pub const ECHO_SOURCE: &str = "smb_message_echo";

open_enum! {
    /// Whether a message came from a user or from the business.
    ///
    /// ```
    /// use kapso_webhooks::Direction;
    /// assert_eq!(Direction::from("inbound"), Direction::Inbound);
    /// assert_eq!(Direction::Outbound.as_str(), "outbound");
    /// ```
    pub enum Direction {
        /// From a WhatsApp user to the business.
        Inbound = "inbound",
        /// From the business to a user.
        Outbound = "outbound",
    }
}

open_enum! {
    /// Kapso's delivery status of a message (`kapso.status` in Kapso's message events).
    ///
    /// ```
    /// use kapso_webhooks::meta::message::KapsoStatus;
    /// assert_eq!(KapsoStatus::from("received"), KapsoStatus::Received);
    /// assert!(KapsoStatus::from("teleported").is_other());
    /// ```
    pub enum KapsoStatus {
        /// An inbound message Kapso received.
        Received = "received",
        /// An outbound message accepted by WhatsApp.
        Sent = "sent",
        /// An outbound message delivered to the user's device.
        Delivered = "delivered",
        /// An outbound message read by the user.
        Read = "read",
        /// An outbound message that could not be sent or delivered.
        Failed = "failed",
    }
}

open_enum! {
    /// Kapso's processing status of a message (`kapso.processing_status`).
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ProcessingStatus;
    /// assert_eq!(ProcessingStatus::from("pending"), ProcessingStatus::Pending);
    /// assert_eq!(ProcessingStatus::Completed.as_str(), "completed");
    /// ```
    pub enum ProcessingStatus {
        /// Not processed yet (inbound messages as they arrive).
        Pending = "pending",
        /// Processing finished.
        Completed = "completed",
    }
}

open_enum! {
    /// How a message entered Kapso (`kapso.origin`).
    ///
    /// ```
    /// use kapso_webhooks::meta::message::MessageOrigin;
    /// assert_eq!(MessageOrigin::from("business_app"), MessageOrigin::BusinessApp);
    /// assert_eq!(MessageOrigin::CloudApi.as_str(), "cloud_api");
    /// ```
    pub enum MessageOrigin {
        /// Through the Cloud API (inbound messages, and outbound ones sent through Kapso's API,
        /// workflows and flows).
        CloudApi = "cloud_api",
        /// Echoed from the WhatsApp Business app (coexistence).
        BusinessApp = "business_app",
        /// Backfilled by a history import.
        HistorySync = "history_sync",
    }
}

wire_struct! {
    /// Kapso's transcript of a voice note or audio message (`kapso.transcript`).
    ///
    /// ```
    /// let transcript: kapso_webhooks::meta::message::Transcript =
    ///     serde_json::from_str(r#"{"text":"Hi, where is my order?"}"#).unwrap();
    /// assert_eq!(transcript.text.as_deref(), Some("Hi, where is my order?"));
    /// ```
    pub struct Transcript {
        /// The transcribed text.
        text: CompactString = "text",
    }
}

wire_struct! {
    /// The media file Kapso stored for a message (`kapso.media_data`).
    ///
    /// ```
    /// let media: kapso_webhooks::meta::message::MediaData = serde_json::from_str(
    ///     r#"{"url":"https://example.com/m/1","filename":"a.jpg","contentType":"image/jpeg","byteSize":2048}"#,
    /// ).unwrap();
    /// assert_eq!(media.byte_size, Some(2048));
    /// assert_eq!(media.content_type.as_deref(), Some("image/jpeg"));
    /// ```
    pub struct MediaData {
        /// Where to download the file.
        url: CompactString = "url",
        /// The file name.
        filename: CompactString = "filename",
        /// The MIME type.
        content_type: CompactString = "contentType",
        /// The size in bytes.
        byte_size: u64 = "byteSize",
    }
}

wire_struct! {
    /// Kapso's extension of a message.
    ///
    /// The normalizer of Meta webhooks sets `direction`, `source`, `orderText`, `flowResponse`,
    /// `flowToken` and `flowName`. Kapso's own message events
    /// ([`crate::kapso_event`]) send the rest: status, processing status, origin, media helpers,
    /// transcript and the raw status history. Kapso's message-history API, which gives the
    /// same type, may also send `whatsappConversationId` and `contactName`. [`Kapso::media`]
    /// gives the stored media in one call.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::{KapsoStatus, MessageOrigin};
    /// let kapso: kapso_webhooks::meta::message::Kapso = serde_json::from_str(
    ///     r#"{"direction":"outbound","status":"delivered","origin":"cloud_api","hasMedia":false,
    ///         "statuses":[{"id":"wamid.A","status":"sent","timestamp":"1732000000"}]}"#,
    /// ).unwrap();
    /// assert_eq!(kapso.direction, Some(kapso_webhooks::Direction::Outbound));
    /// assert_eq!(kapso.status, Some(KapsoStatus::Delivered));
    /// assert_eq!(kapso.origin, Some(MessageOrigin::CloudApi));
    /// assert_eq!(kapso.statuses.as_ref().map(Vec::len), Some(1));
    /// ```
    pub struct Kapso {
        /// Inbound or outbound.
        direction: Direction = "direction",
        /// Where the message came from; `smb_message_echo` for echoes.
        source: CompactString = "source",
        /// An order's text (also in `order.orderText`).
        order_text: CompactString = "orderText",
        /// A completed flow's response, parsed from `responseJson` and camelCased. (A response
        /// of JSON `null` stays in `extra` as `flowResponse: null`.)
        flow_response: RawJson = "flowResponse",
        /// The flow token from the flow's response.
        flow_token: CompactString = "flowToken",
        /// The flow's name.
        flow_name: CompactString = "flowName",
        /// Kapso's delivery status: `received` (inbound), `sent`, `delivered`, `read`, `failed`.
        status: KapsoStatus = "status",
        /// Kapso's processing status: `pending`, `completed`, …
        processing_status: ProcessingStatus = "processingStatus",
        /// How the message entered Kapso: `cloud_api`, `business_app`, `history_sync`.
        origin: MessageOrigin = "origin",
        /// Whether the message has media.
        has_media: bool = "hasMedia",
        /// A plain-text rendering of the content (with media descriptions and transcript).
        content: CompactString = "content",
        /// The transcript of an audio message.
        transcript: Transcript = "transcript",
        /// A URL of the media Kapso stored.
        media_url: CompactString = "mediaUrl",
        /// The media Kapso stored: URL, file name, content type, size.
        media_data: MediaData = "mediaData",
        /// Type-specific data Kapso extracted from the message (such as an image's caption).
        message_type_data: RawJson = "messageTypeData",
        /// The raw status history of an outbound message, oldest first: each entry is the
        /// status object Meta sent (camelCased), so it is a [`Status`].
        statuses: Vec<Status> = "statuses",
        /// The WhatsApp user's phone number, the same as the conversation's `phone_number`:
        /// **not** the business number (that is `phone_number_id`). Shown in Kapso's example of
        /// a buffered `whatsapp.message.received` batch, and a `kapso(phone_number)` field of
        /// Kapso's message-history API. Absent for a user known only by a business-scoped user
        /// ID.
        phone_number: CompactString = "phoneNumber",
        /// The business phone number ID (shown in Kapso's example of a buffered
        /// `whatsapp.message.received` batch).
        phone_number_id: CompactString = "phoneNumberId",
        /// Kapso's conversation ID. A `kapso(whatsapp_conversation_id)` field of Kapso's
        /// message-history API (which gives this same [`Message`](crate::Message) type); in
        /// webhooks the conversation ID is the payload's `conversation.id`.
        whatsapp_conversation_id: CompactString = "whatsappConversationId",
        /// The contact's name. A `kapso(contact_name)` field of Kapso's message-history API; in
        /// webhooks it is in `conversation.kapso.contact_name`
        /// ([`KapsoConversation::contact_name`](crate::kapso_event::KapsoConversation::contact_name)).
        contact_name: CompactString = "contactName",
        /// When Kapso recorded the message.
        created_at: Timestamp = "createdAt",
    }
}

/// The media file Kapso stored for a message, from [`Kapso::media`]: where to download it and
/// what it is.
///
/// ```
/// let kapso: kapso_webhooks::meta::message::Kapso = serde_json::from_str(
///     r#"{"mediaUrl":"https://files.example.com/m/77"}"#,
/// ).unwrap();
/// let media = kapso.media().unwrap();
/// assert_eq!(media.url, "https://files.example.com/m/77");
/// assert_eq!(media.content_type, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct KapsoMedia<'a> {
    /// Where to download the file: `media_data.url`, else `media_url`.
    pub url: &'a str,
    /// The MIME type (`media_data.content_type`).
    pub content_type: Option<&'a str>,
    /// The file name (`media_data.filename`).
    pub filename: Option<&'a str>,
    /// The size in bytes (`media_data.byte_size`).
    pub byte_size: Option<u64>,
}

impl Kapso {
    /// The media Kapso stored for this message: the URL of `media_data` (else `media_url`),
    /// with the content type, file name and size of `media_data`. `None` when neither gives a
    /// URL (a message without media, or a Meta webhook, which Kapso has not stored).
    ///
    /// ```
    /// let kapso: kapso_webhooks::meta::message::Kapso = serde_json::from_str(
    ///     r#"{"hasMedia":true,"mediaUrl":"https://files.example.com/old",
    ///         "mediaData":{"url":"https://files.example.com/m/88","filename":"recibo.pdf",
    ///                      "contentType":"application/pdf","byteSize":48213}}"#,
    /// ).unwrap();
    /// let media = kapso.media().unwrap();
    /// assert_eq!(media.url, "https://files.example.com/m/88");
    /// assert_eq!(media.content_type, Some("application/pdf"));
    /// assert_eq!(media.filename, Some("recibo.pdf"));
    /// assert_eq!(media.byte_size, Some(48213));
    /// ```
    pub fn media(&self) -> Option<KapsoMedia<'_>> {
        let data = self.media_data.as_ref();
        let url = data
            .and_then(|d| d.url.as_deref())
            .or(self.media_url.as_deref())?;
        Some(KapsoMedia {
            url,
            content_type: data.and_then(|d| d.content_type.as_deref()),
            filename: data.and_then(|d| d.filename.as_deref()),
            byte_size: data.and_then(|d| d.byte_size),
        })
    }

    /// Whether nothing at all is set (the normalizer removes an empty `kapso`).
    pub(crate) fn is_empty(&self) -> bool {
        *self == Kapso::default()
    }
}
