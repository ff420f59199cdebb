//! The `kapso` object that the normalizer adds to messages: direction, echo source, order text
//! and the parsed flow response. Kapso's own events carry more in it (status, media URL, …);
//! those keys are typed here too, and unknown ones stay in `extra`.

use serde_json::Value;

use crate::timestamp::Timestamp;
use crate::wire::{open_enum, wire_struct};

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

wire_struct! {
    /// Kapso's extension of a message.
    ///
    /// ```
    /// let kapso: kapso_webhooks::Kapso =
    ///     serde_json::from_str(r#"{"direction":"outbound","source":"smb_message_echo"}"#).unwrap();
    /// assert_eq!(kapso.direction, Some(kapso_webhooks::Direction::Outbound));
    /// ```
    pub struct Kapso {
        /// Inbound or outbound.
        direction: Direction = "direction",
        /// Where the message came from; `smb_message_echo` for echoes.
        source: String = "source",
        /// An order's text (also in `order.orderText`).
        order_text: String = "orderText",
        /// A completed flow's response, parsed from `responseJson` and camelCased. (A response
        /// of JSON `null` stays in `extra` as `flowResponse: null`.)
        flow_response: Value = "flowResponse",
        /// The flow token from the flow's response.
        flow_token: String = "flowToken",
        /// The flow's name.
        flow_name: String = "flowName",
        /// Delivery status (Kapso events): `sent`, `delivered`, `read`, `failed`, …
        status: String = "status",
        /// Kapso's processing status of an inbound message.
        processing_status: String = "processingStatus",
        /// Where an outbound message was sent from (API, inbox, workflow, …).
        origin: String = "origin",
        /// Whether the message has media.
        has_media: bool = "hasMedia",
        /// A plain-text rendering of the content.
        content: String = "content",
        /// A transcript of a voice note.
        transcript: Value = "transcript",
        /// A URL of the stored media.
        media_url: String = "mediaUrl",
        /// Facts about the stored media (file name, size, content type).
        media_data: Value = "mediaData",
        /// Type-specific data Kapso extracted from the message.
        message_type_data: Value = "messageTypeData",
        /// The status history of an outbound message.
        statuses: Vec<Value> = "statuses",
        /// When Kapso recorded the message.
        created_at: Timestamp = "createdAt",
    }
}

impl Kapso {
    /// Whether nothing at all is set (the normalizer removes an empty `kapso`).
    pub(crate) fn is_empty(&self) -> bool {
        *self == Kapso::default()
    }
}
