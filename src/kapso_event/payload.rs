//! The typed payloads of Kapso events. Every struct takes the keys it knows and keeps the rest
//! (and every null) in `extra`, camelCased, so serializing gives back what arrived.

use compact_str::CompactString;

use crate::identity::UserIdentity;
use crate::json::wire::{open_enum, wire_struct};
use crate::kapso_event::name::KapsoEventName;
use crate::meta::message::Direction;
use crate::meta::message::{Message, MessageType};
use crate::raw_json::RawJson;
use crate::timestamp::Timestamp;

wire_struct! {
    /// The payload of the `whatsapp.message.*` events: `{message, conversation,
    /// is_new_conversation, phone_number_id}`. The message is the crate's [`Message`], the same
    /// type the Meta normalizer gives, with Kapso's extension typed in [`Message::kapso`].
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// use kapso_webhooks::kapso_event::KapsoPayload;
    /// let body = br#"{"message":{"id":"wamid.K1","type":"text","text":{"body":"Hola"},
    ///   "kapso":{"direction":"inbound","status":"received"}},
    ///   "conversation":{"id":"conv_1","phone_number":"+15550104321"},
    ///   "is_new_conversation":false,"phone_number_id":"109283746550123"}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.message.received"), body)?.into_events();
    /// let KapsoPayload::Message(event) = events[0].payload() else { panic!() };
    /// let message = event.message.as_ref().unwrap();
    /// assert_eq!(message.text_body(), Some("Hola"));
    /// assert_eq!(event.is_new_conversation, Some(false));
    /// assert_eq!(event.user().phone_number, Some("+15550104321"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub struct MessageEvent {
        /// The message: Meta-shaped, with Kapso's `kapso` object.
        message: Message = "message",
        /// The conversation the message belongs to.
        conversation: KapsoConversation = "conversation",
        /// Whether this message started a new conversation.
        is_new_conversation: bool = "isNewConversation",
        /// The business phone number ID (for routing).
        phone_number_id: CompactString = "phoneNumberId",
    }
}

impl MessageEvent {
    /// The WhatsApp user of this conversation: the conversation's identifiers, completed with
    /// the message's sender (inbound) or recipient (outbound) where the conversation lacks one.
    /// Never assume a phone number: a user may come with only a business-scoped user ID.
    ///
    /// ```
    /// use kapso_webhooks::kapso_event::MessageEvent;
    /// let event: MessageEvent = serde_json::from_str(
    ///     r#"{"message":{"fromUserId":"US.8410736325491046","kapso":{"direction":"inbound"}},
    ///         "conversation":{"id":"conv_2","username":"@ana"}}"#,
    /// ).unwrap();
    /// let user = event.user();
    /// assert_eq!(user.phone_number, None);
    /// assert_eq!(user.preferred_id(), Some("US.8410736325491046"));
    /// assert_eq!(user.username, Some("@ana"));
    /// ```
    pub fn user(&self) -> UserIdentity<'_> {
        let from_conversation = self
            .conversation
            .as_ref()
            .map(KapsoConversation::identity)
            .unwrap_or_default();
        let from_message = match &self.message {
            Some(message) if message.direction() == Some(&Direction::Outbound) => {
                message.recipient()
            }
            Some(message) => message.sender(),
            None => UserIdentity::default(),
        };
        UserIdentity {
            phone_number: from_conversation.phone_number.or(from_message.phone_number),
            user_id: from_conversation.user_id.or(from_message.user_id),
            parent_user_id: from_conversation
                .parent_user_id
                .or(from_message.parent_user_id),
            username: from_conversation.username.or(from_message.username),
        }
    }
}

open_enum! {
    /// The status of a Kapso conversation.
    ///
    /// ```
    /// use kapso_webhooks::kapso_event::ConversationStatus;
    /// assert_eq!(ConversationStatus::from("ended"), ConversationStatus::Ended);
    /// ```
    pub enum ConversationStatus {
        /// Open.
        Active = "active",
        /// Closed (by an agent, manually, or after 24 hours without messages).
        Ended = "ended",
    }
}

wire_struct! {
    /// A Kapso conversation: one WhatsApp user talking with one business phone number.
    ///
    /// Kapso documents `id`, `phone_number`, `phone_number_id`, and, when available,
    /// `business_scoped_user_id`, `parent_business_scoped_user_id` and `username`. **Do not
    /// assume `phone_number`**: use [`KapsoConversation::identity`]. Timestamps are ISO 8601 with
    /// an offset; [`Timestamp::to_datetime`] reads them.
    ///
    /// ```
    /// let conversation: kapso_webhooks::kapso_event::KapsoConversation = serde_json::from_str(
    ///     r#"{"id":"conv_7","businessScopedUserId":"US.8410736325491046","status":"active",
    ///         "lastActiveAt":"2026-03-02T09:15:00-03:00","kapso":{"messagesCount":4}}"#,
    /// ).unwrap();
    /// assert_eq!(conversation.identity().phone_number, None);
    /// assert_eq!(conversation.identity().preferred_id(), Some("US.8410736325491046"));
    /// let last = conversation.last_active_at.as_ref().unwrap().to_datetime().unwrap();
    /// assert_eq!(last.to_rfc3339(), "2026-03-02T12:15:00+00:00");
    /// assert_eq!(conversation.kapso.unwrap().messages_count, Some(4));
    /// ```
    pub struct KapsoConversation {
        /// Kapso's conversation ID.
        id: CompactString = "id",
        /// The user's phone number, when shared (often with a leading `+`).
        phone_number: CompactString = "phoneNumber",
        /// The user's business-scoped user ID (BSUID).
        business_scoped_user_id: CompactString = "businessScopedUserId",
        /// The user's parent business-scoped user ID.
        parent_business_scoped_user_id: CompactString = "parentBusinessScopedUserId",
        /// The user's WhatsApp username.
        username: CompactString = "username",
        /// The contact's name (some payloads send it here rather than in `kapso`).
        contact_name: CompactString = "contactName",
        /// The business phone number ID.
        phone_number_id: CompactString = "phoneNumberId",
        /// `active` or `ended`.
        status: ConversationStatus = "status",
        /// When the last message was sent or received.
        last_active_at: Timestamp = "lastActiveAt",
        /// When the conversation was created.
        created_at: Timestamp = "createdAt",
        /// When the conversation was last updated.
        updated_at: Timestamp = "updatedAt",
        /// Your metadata on the conversation.
        metadata: RawJson = "metadata",
        /// Summary metrics (message count, last message), when included.
        kapso: ConversationSummary = "kapso",
        /// The WhatsApp configuration ID (legacy v1 payloads).
        whatsapp_config_id: CompactString = "whatsappConfigId",
    }
}

impl KapsoConversation {
    /// The user of this conversation: phone number, business-scoped user IDs and username,
    /// whichever are present.
    ///
    /// ```
    /// let conversation: kapso_webhooks::kapso_event::KapsoConversation =
    ///     serde_json::from_str(r#"{"phoneNumber":"+15550104321"}"#).unwrap();
    /// assert_eq!(conversation.identity().preferred_id(), Some("+15550104321"));
    /// ```
    pub fn identity(&self) -> UserIdentity<'_> {
        UserIdentity {
            phone_number: self.phone_number.as_deref(),
            user_id: self.business_scoped_user_id.as_deref(),
            parent_user_id: self.parent_business_scoped_user_id.as_deref(),
            username: self.username.as_deref(),
        }
    }

    /// The contact's name: `contact_name`, or `kapso.contact_name`.
    ///
    /// ```
    /// let conversation: kapso_webhooks::kapso_event::KapsoConversation =
    ///     serde_json::from_str(r#"{"kapso":{"contactName":"Ana Ruiz"}}"#).unwrap();
    /// assert_eq!(conversation.contact_name(), Some("Ana Ruiz"));
    /// ```
    pub fn contact_name(&self) -> Option<&str> {
        self.contact_name
            .as_deref()
            .or_else(|| self.kapso.as_ref()?.contact_name.as_deref())
    }
}

wire_struct! {
    /// A conversation's summary metrics (`conversation.kapso`). Fields that are `null` (no
    /// message yet) stay in `extra` as `null`.
    ///
    /// ```
    /// let summary: kapso_webhooks::kapso_event::ConversationSummary = serde_json::from_str(
    ///     r#"{"messagesCount":2,"lastMessageType":"image","lastOutboundAt":null}"#,
    /// ).unwrap();
    /// assert_eq!(summary.last_message_type, Some(kapso_webhooks::MessageType::Image));
    /// assert_eq!(summary.last_outbound_at, None);
    /// assert!(summary.extra["lastOutboundAt"].is_null());
    /// ```
    pub struct ConversationSummary {
        /// The contact's name.
        contact_name: CompactString = "contactName",
        /// How many messages the conversation has.
        messages_count: u64 = "messagesCount",
        /// The last message's ID.
        last_message_id: CompactString = "lastMessageId",
        /// The last message's type.
        last_message_type: MessageType = "lastMessageType",
        /// When the last message was sent.
        last_message_timestamp: Timestamp = "lastMessageTimestamp",
        /// The last message's text.
        last_message_text: CompactString = "lastMessageText",
        /// When the user last wrote.
        last_inbound_at: Timestamp = "lastInboundAt",
        /// When the business last wrote.
        last_outbound_at: Timestamp = "lastOutboundAt",
    }
}

wire_struct! {
    /// The payload of the `whatsapp.conversation.*` events: `{conversation, phone_number_id}`,
    /// plus `since_message` and `inactivity` for `whatsapp.conversation.inactive`.
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, Direction, KapsoHeaders};
    /// use kapso_webhooks::kapso_event::KapsoPayload;
    /// let body = br#"{"conversation":{"id":"conv_3","status":"active"},
    ///   "since_message":{"id":"msg_9","whatsapp_message_id":"wamid.K9","direction":"outbound"},
    ///   "inactivity":{"minutes":30},"phone_number_id":"109283746550123"}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.conversation.inactive"), body)?.into_events();
    /// let KapsoPayload::Conversation(event) = events[0].payload() else { panic!() };
    /// assert_eq!(event.inactivity.as_ref().unwrap().minutes, Some(30));
    /// assert_eq!(event.since_message.as_ref().unwrap().direction, Some(Direction::Outbound));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub struct ConversationEvent {
        /// The conversation.
        conversation: KapsoConversation = "conversation",
        /// The last message before the silence (`whatsapp.conversation.inactive`).
        since_message: SinceMessage = "sinceMessage",
        /// How long the conversation has been silent (`whatsapp.conversation.inactive`).
        inactivity: Inactivity = "inactivity",
        /// The business phone number ID.
        phone_number_id: CompactString = "phoneNumberId",
    }
}

wire_struct! {
    /// The message an inactivity period is counted from.
    ///
    /// ```
    /// let since: kapso_webhooks::kapso_event::SinceMessage =
    ///     serde_json::from_str(r#"{"whatsappMessageId":"wamid.K9","direction":"inbound"}"#).unwrap();
    /// assert_eq!(since.whatsapp_message_id.as_deref(), Some("wamid.K9"));
    /// ```
    pub struct SinceMessage {
        /// Kapso's message ID.
        id: CompactString = "id",
        /// The WhatsApp message ID (`wamid.…`).
        whatsapp_message_id: CompactString = "whatsappMessageId",
        /// Inbound or outbound.
        direction: Direction = "direction",
        /// When Kapso recorded the message.
        created_at: Timestamp = "createdAt",
    }
}

wire_struct! {
    /// How long a conversation has been inactive.
    ///
    /// ```
    /// let inactivity: kapso_webhooks::kapso_event::Inactivity =
    ///     serde_json::from_str(r#"{"minutes":60}"#).unwrap();
    /// assert_eq!(inactivity.minutes, Some(60));
    /// ```
    pub struct Inactivity {
        /// The configured number of minutes without messages (1–1440).
        minutes: u64 = "minutes",
    }
}

wire_struct! {
    /// The payload of the `whatsapp.phone_number.*` events (project webhooks).
    ///
    /// `created` and `deleted` carry `{phone_number_id, project, customer}` (Kapso's event
    /// reference). `offboarded`, `disconnected` and `reconnected` (payload version v2) add an
    /// event `id`, the `event` name, `occurred_at`, the `connection_type` and the Meta `source`,
    /// and `disconnected` a `disconnection` reason. Kapso's reference lists these three names
    /// without printing a body; their fields follow the third-party client `kapso-client-net`,
    /// and whatever else arrives stays in `extra`.
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// use kapso_webhooks::kapso_event::{ConnectionType, KapsoPayload};
    /// let body = br#"{"phone_number_id":"109283746550123","project":{"id":"p-1"},"customer":{"id":"c-1"}}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.phone_number.created"), body)?.into_events();
    /// let KapsoPayload::PhoneNumber(event) = events[0].payload() else { panic!() };
    /// assert_eq!(event.customer.as_ref().unwrap().id.as_deref(), Some("c-1"));
    ///
    /// let body = br#"{"id":"evt-9","event":"whatsapp.phone_number.disconnected",
    ///   "phone_number_id":"109283746550123","connection_type":"coexistence",
    ///   "source":{"provider":"meta","event":"PARTNER_REMOVED"},
    ///   "disconnection":{"reason":"primary_inactivity","initiated_by":"system"}}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::default(), body)?.into_events();
    /// let KapsoPayload::PhoneNumber(event) = events[0].payload() else { panic!() };
    /// assert_eq!(event.connection_type, Some(ConnectionType::Coexistence));
    /// let why = event.disconnection.as_ref().unwrap();
    /// assert_eq!(why.initiated_by.as_deref(), Some("system"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub struct PhoneNumberEvent {
        /// A stable ID of this event, unique per number and Meta event (v2 lifecycle events).
        id: CompactString = "id",
        /// The event name, repeated in the body (v2 lifecycle events).
        event: KapsoEventName = "event",
        /// When it happened (v2 lifecycle events).
        occurred_at: Timestamp = "occurredAt",
        /// The phone number ID the event is about.
        phone_number_id: CompactString = "phoneNumberId",
        /// The Kapso project.
        project: KapsoProject = "project",
        /// The customer who owns the number (absent when the number is not a customer's).
        customer: KapsoCustomer = "customer",
        /// `dedicated` (Cloud API only) or `coexistence` (also in the WhatsApp Business app).
        connection_type: ConnectionType = "connectionType",
        /// The Meta event behind this one.
        source: EventSource = "source",
        /// Why the number disconnected (`whatsapp.phone_number.disconnected`).
        disconnection: Disconnection = "disconnection",
    }
}

open_enum! {
    /// How a phone number is connected to the Cloud API.
    ///
    /// ```
    /// use kapso_webhooks::kapso_event::ConnectionType;
    /// assert_eq!(ConnectionType::from("dedicated"), ConnectionType::Dedicated);
    /// ```
    pub enum ConnectionType {
        /// A number used only through the Cloud API.
        Dedicated = "dedicated",
        /// A number also used in the WhatsApp Business app (coexistence).
        Coexistence = "coexistence",
    }
}

wire_struct! {
    /// The upstream event a Kapso lifecycle or enforcement event comes from.
    ///
    /// ```
    /// let source: kapso_webhooks::kapso_event::EventSource = serde_json::from_str(
    ///     r#"{"provider":"meta","event":"ACCOUNT_OFFBOARDED","businessAccountId":"200111222333444"}"#,
    /// ).unwrap();
    /// assert_eq!(source.event.as_deref(), Some("ACCOUNT_OFFBOARDED"));
    /// ```
    pub struct EventSource {
        /// Who reported it: `meta`.
        provider: CompactString = "provider",
        /// The provider's own event name, as sent (such as Meta's `ACCOUNT_OFFBOARDED`).
        event: CompactString = "event",
        /// The WhatsApp Business Account, when the provider names one.
        business_account_id: CompactString = "businessAccountId",
    }
}

wire_struct! {
    /// Why a phone number disconnected: Meta's values, lowercased. Either may be `null` (kept
    /// in `extra`).
    ///
    /// ```
    /// let why: kapso_webhooks::kapso_event::Disconnection =
    ///     serde_json::from_str(r#"{"reason":"business_downgrade","initiatedBy":"user"}"#).unwrap();
    /// assert_eq!(why.reason.as_deref(), Some("business_downgrade"));
    /// ```
    pub struct Disconnection {
        /// Meta's reason, such as `primary_inactivity`.
        reason: CompactString = "reason",
        /// Who initiated it: `user` or `system`.
        initiated_by: CompactString = "initiatedBy",
    }
}

wire_struct! {
    /// The payload of the `whatsapp.account.*` enforcement events (project webhooks):
    /// `disabled`, `restricted`, `reinstated`, `violation`. Meta enforces against a business
    /// account, so one event lists every project number on that account.
    ///
    /// Kapso's reference lists these names without printing a body; the fields follow the
    /// third-party client `kapso-client-net`, and whatever else arrives stays in `extra`.
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// use kapso_webhooks::kapso_event::KapsoPayload;
    /// let body = br#"{"id":"acc-1","event":"whatsapp.account.restricted",
    ///   "business_account_id":"200111222333444","phone_numbers":[{"id":"109283746550123"}],
    ///   "restrictions":[{"type":"RESTRICTED_ADD_PHONE_NUMBER_ACTION"}]}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::default(), body)?.into_events();
    /// let KapsoPayload::Account(event) = events[0].payload() else { panic!() };
    /// assert_eq!(event.business_account_id.as_deref(), Some("200111222333444"));
    /// let restriction = &event.restrictions.as_ref().unwrap()[0];
    /// assert_eq!(restriction.restriction_type.as_deref(), Some("RESTRICTED_ADD_PHONE_NUMBER_ACTION"));
    /// assert_eq!(restriction.expires_at, None); // no expiry
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub struct AccountEvent {
        /// A stable ID of this event, unique per project, account and Meta event.
        id: CompactString = "id",
        /// The event name, repeated in the body.
        event: KapsoEventName = "event",
        /// When it happened.
        occurred_at: Timestamp = "occurredAt",
        /// The WhatsApp Business Account.
        business_account_id: CompactString = "businessAccountId",
        /// The Kapso project.
        project: KapsoProject = "project",
        /// Every number of the project on that account.
        phone_numbers: Vec<AccountPhoneNumber> = "phoneNumbers",
        /// The restrictions applied (`whatsapp.account.restricted`).
        restrictions: Vec<AccountRestriction> = "restrictions",
        /// The violation (`whatsapp.account.violation`).
        violation: AccountViolation = "violation",
        /// The ban state (`whatsapp.account.disabled` and `whatsapp.account.reinstated`).
        ban: AccountBan = "ban",
        /// The Meta event behind this one.
        source: EventSource = "source",
    }
}

wire_struct! {
    /// A phone number affected by an account enforcement event.
    ///
    /// ```
    /// let number: kapso_webhooks::kapso_event::AccountPhoneNumber = serde_json::from_str(
    ///     r#"{"id":"109283746550123","displayPhoneNumber":"+1 555-010-4321"}"#,
    /// ).unwrap();
    /// assert_eq!(number.id.as_deref(), Some("109283746550123"));
    /// ```
    pub struct AccountPhoneNumber {
        /// The phone number ID.
        id: CompactString = "id",
        /// The number as displayed.
        display_phone_number: CompactString = "displayPhoneNumber",
    }
}

wire_struct! {
    /// A restriction Meta placed on a business account.
    ///
    /// ```
    /// let restriction: kapso_webhooks::kapso_event::AccountRestriction = serde_json::from_str(
    ///     r#"{"type":"RESTRICTED_BIZ_INITIATED_MESSAGING","expiresAt":"2026-05-01T00:00:00Z"}"#,
    /// ).unwrap();
    /// assert!(restriction.expires_at.unwrap().to_datetime().is_some());
    /// ```
    pub struct AccountRestriction {
        /// Meta's restriction type, as sent (such as `RESTRICTED_BIZ_INITIATED_MESSAGING`).
        restriction_type: CompactString = "type",
        /// When it lifts (absent when it has no expiry).
        expires_at: Timestamp = "expiresAt",
    }
}

wire_struct! {
    /// A policy violation Meta reported on a business account.
    ///
    /// ```
    /// let violation: kapso_webhooks::kapso_event::AccountViolation =
    ///     serde_json::from_str(r#"{"type":"SCAM","remediation":"Review the policy"}"#).unwrap();
    /// assert_eq!(violation.violation_type.as_deref(), Some("SCAM"));
    /// ```
    pub struct AccountViolation {
        /// Meta's violation type, as sent.
        violation_type: CompactString = "type",
        /// What to do about it, when Meta says.
        remediation: CompactString = "remediation",
    }
}

open_enum! {
    /// The ban state of a business account (Meta's `waba_ban_state`).
    ///
    /// ```
    /// use kapso_webhooks::kapso_event::BanState;
    /// assert_eq!(BanState::from("REINSTATE"), BanState::Reinstate);
    /// ```
    pub enum BanState {
        /// The account is disabled (`whatsapp.account.disabled`).
        Disable = "DISABLE",
        /// The account is reinstated (`whatsapp.account.reinstated`).
        Reinstate = "REINSTATE",
    }
}

wire_struct! {
    /// The ban state of a business account.
    ///
    /// ```
    /// let ban: kapso_webhooks::kapso_event::AccountBan =
    ///     serde_json::from_str(r#"{"state":"DISABLE","dateLabel":"March 3, 2026"}"#).unwrap();
    /// assert_eq!(ban.state, Some(kapso_webhooks::kapso_event::BanState::Disable));
    /// ```
    pub struct AccountBan {
        /// `DISABLE` or `REINSTATE`.
        state: BanState = "state",
        /// A date as Meta sends it: already localized and formatted text, not a timestamp.
        date_label: CompactString = "dateLabel",
    }
}

wire_struct! {
    /// The payload of `project.event` (project webhooks only): a custom event your project
    /// emitted (`POST /platform/v1/events`), with its own `name` and `properties`.
    ///
    /// Kapso documents `conversation_id` ("included only when the event is linked to a
    /// WhatsApp conversation") and the emit API's fields; the other fields follow the
    /// third-party client `kapso-client-net`. `properties` is yours, kept as JSON (camelCased,
    /// like every key).
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// use kapso_webhooks::kapso_event::KapsoPayload;
    /// let body = br#"{"id":"pe-1","event":"project.event","name":"lead.qualified",
    ///   "conversation_id":"conv_4","properties":{"score":87}}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::for_event("project.event"), body)?.into_events();
    /// let KapsoPayload::Custom(event) = events[0].payload() else { panic!() };
    /// assert_eq!(event.name.as_deref(), Some("lead.qualified"));
    /// assert_eq!(event.properties.as_ref().unwrap()["score"], 87);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub struct CustomEvent {
        /// The event ID.
        id: CompactString = "id",
        /// `project.event`.
        event: KapsoEventName = "event",
        /// The custom event's own name (lowercase dotted snake_case, such as `lead.qualified`).
        name: CompactString = "name",
        /// When it was emitted.
        occurred_at: Timestamp = "occurredAt",
        /// The project ID.
        project_id: CompactString = "projectId",
        /// The Kapso conversation, only when the event is linked to one.
        conversation_id: CompactString = "conversationId",
        /// Whatever the emitter attached.
        properties: RawJson = "properties",
    }
}

open_enum! {
    /// The status of a Kapso Agent run.
    ///
    /// ```
    /// use kapso_webhooks::kapso_event::AgentRunStatus;
    /// assert_eq!(AgentRunStatus::from("waiting_for_approval"), AgentRunStatus::WaitingForApproval);
    /// ```
    pub enum AgentRunStatus {
        /// Waiting to start.
        Queued = "queued",
        /// Running.
        Running = "running",
        /// Paused.
        Paused = "paused",
        /// Waiting for a tool call to be approved.
        WaitingForApproval = "waiting_for_approval",
        /// Finished with a result.
        Completed = "completed",
        /// Failed.
        Failed = "failed",
        /// Cancelled.
        Cancelled = "cancelled",
    }
}

wire_struct! {
    /// The payload of the `kapso_agent.run.*` events (project webhooks; only runs started
    /// through the Agent API emit them): `{id, event, created_at, data}`, the run under `data`.
    ///
    /// Kapso documents the names and that they go to project webhooks; the fields follow the
    /// third-party client `kapso-client-net` (run statuses from Kapso's Agent docs), and
    /// whatever else arrives stays in `extra`.
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// use kapso_webhooks::kapso_event::{AgentRunStatus, KapsoPayload};
    /// let body = br#"{"id":"ev-1","event":"kapso_agent.run.failed","data":{"run_id":"run-1",
    ///   "status":"failed","error":{"code":"run_failed","message":"Tool timed out"}}}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::default(), body)?.into_events();
    /// let KapsoPayload::AgentRun(event) = events[0].payload() else { panic!() };
    /// let run = event.data.as_ref().unwrap();
    /// assert_eq!(run.status, Some(AgentRunStatus::Failed));
    /// assert_eq!(run.error.as_ref().unwrap().code.as_deref(), Some("run_failed"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub struct AgentRunEvent {
        /// The event ID.
        id: CompactString = "id",
        /// The event name, repeated in the body.
        event: KapsoEventName = "event",
        /// When the event was raised.
        created_at: Timestamp = "createdAt",
        /// The run.
        data: AgentRun = "data",
    }
}

wire_struct! {
    /// A Kapso Agent run (the `data` of a `kapso_agent.run.*` event). Kapso omits null fields.
    ///
    /// ```
    /// let run: kapso_webhooks::kapso_event::AgentRun = serde_json::from_str(
    ///     r#"{"runId":"run-1","status":"completed","result":{"text":"Done"},"statusUrl":"/kapso-agent/runs/run-1"}"#,
    /// ).unwrap();
    /// assert_eq!(run.result.unwrap()["text"], "Done");
    /// ```
    pub struct AgentRun {
        /// The run ID.
        run_id: CompactString = "runId",
        /// The session the run belongs to.
        session_id: CompactString = "sessionId",
        /// The run's status.
        status: AgentRunStatus = "status",
        /// Which agent ran (JSON as sent).
        agent: RawJson = "agent",
        /// What it produced (`kapso_agent.run.completed`; JSON as sent).
        result: RawJson = "result",
        /// The tool call awaiting approval (`kapso_agent.run.approval_required`; JSON as sent).
        pending_approval: RawJson = "pendingApproval",
        /// Why it failed or was cancelled.
        error: AgentRunError = "error",
        /// The metadata given when the run was created (JSON as sent).
        metadata: RawJson = "metadata",
        /// When the run was created.
        created_at: Timestamp = "createdAt",
        /// When it started.
        started_at: Timestamp = "startedAt",
        /// When it finished.
        finished_at: Timestamp = "finishedAt",
        /// The path to poll for the run's status (relative to the Platform API).
        status_url: CompactString = "statusUrl",
    }
}

wire_struct! {
    /// Why a Kapso Agent run failed or was cancelled.
    ///
    /// ```
    /// let error: kapso_webhooks::kapso_event::AgentRunError =
    ///     serde_json::from_str(r#"{"code":"run_cancelled","message":"Cancelled by user"}"#).unwrap();
    /// assert_eq!(error.code.as_deref(), Some("run_cancelled"));
    /// ```
    pub struct AgentRunError {
        /// `run_failed` or `run_cancelled`.
        code: CompactString = "code",
        /// A human-readable explanation.
        message: CompactString = "message",
    }
}

wire_struct! {
    /// A Kapso project.
    ///
    /// ```
    /// let project: kapso_webhooks::kapso_event::KapsoProject =
    ///     serde_json::from_str(r#"{"id":"p-1","name":"Support"}"#).unwrap();
    /// assert_eq!(project.name.as_deref(), Some("Support"));
    /// ```
    pub struct KapsoProject {
        /// The project ID.
        id: CompactString = "id",
        /// The project's name.
        name: CompactString = "name",
        /// The project's description.
        description: CompactString = "description",
        /// When the project was created.
        created_at: Timestamp = "createdAt",
        /// When the project was last updated.
        updated_at: Timestamp = "updatedAt",
    }
}

wire_struct! {
    /// A customer of a Kapso project (a business you onboarded).
    ///
    /// ```
    /// let customer: kapso_webhooks::kapso_event::KapsoCustomer =
    ///     serde_json::from_str(r#"{"id":"c-1","externalCustomerId":"acct-42"}"#).unwrap();
    /// assert_eq!(customer.external_customer_id.as_deref(), Some("acct-42"));
    /// ```
    pub struct KapsoCustomer {
        /// The customer ID.
        id: CompactString = "id",
        /// The customer's name.
        name: CompactString = "name",
        /// Your own ID for the customer (legacy v1 payloads).
        external_customer_id: CompactString = "externalCustomerId",
        /// Your own ID for the customer (v2 lifecycle events).
        external_id: CompactString = "externalId",
        /// When the customer was created.
        created_at: Timestamp = "createdAt",
        /// When the customer was last updated.
        updated_at: Timestamp = "updatedAt",
    }
}

open_enum! {
    /// What triggered a workflow handoff.
    ///
    /// ```
    /// use kapso_webhooks::kapso_event::HandoffSource;
    /// assert_eq!(HandoffSource::from("action_step"), HandoffSource::ActionStep);
    /// ```
    pub enum HandoffSource {
        /// An agent step's handoff tool.
        AgentTool = "agent_tool",
        /// A workflow action step.
        ActionStep = "action_step",
    }
}

wire_struct! {
    /// The payload of `workflow.execution.handoff` and `workflow.execution.failed` (project
    /// webhooks). Unlike the other events, its body names the event itself (`event`).
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// use kapso_webhooks::kapso_event::KapsoPayload;
    /// let body = br#"{"event":"workflow.execution.failed","occurred_at":"2026-03-02T12:00:00Z",
    ///   "workflow_execution_id":"wx-1","status":"failed","error":{"message":"Timed out"}}"#;
    /// // The name may come from the body when no header gives it.
    /// let events = parse_kapso_delivery(&kapso_webhooks::KapsoHeaders::default(), body)?.into_events();
    /// assert_eq!(events[0].name().unwrap().as_str(), "workflow.execution.failed");
    /// let KapsoPayload::Workflow(event) = events[0].payload() else { panic!() };
    /// assert_eq!(event.error.as_ref().unwrap().message.as_deref(), Some("Timed out"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub struct WorkflowEvent {
        /// The event name, repeated in the body.
        event: KapsoEventName = "event",
        /// When it happened.
        occurred_at: Timestamp = "occurredAt",
        /// The project ID.
        project_id: CompactString = "projectId",
        /// The workflow ID.
        workflow_id: CompactString = "workflowId",
        /// The execution ID.
        workflow_execution_id: CompactString = "workflowExecutionId",
        /// The execution's status: `handoff`, `failed`, …
        status: CompactString = "status",
        /// Your tracking ID for the execution.
        tracking_id: CompactString = "trackingId",
        /// The channel, such as `whatsapp`.
        channel: CompactString = "channel",
        /// The Kapso conversation the execution ran in.
        whatsapp_conversation_id: CompactString = "whatsappConversationId",
        /// Handoff details (`workflow.execution.handoff`).
        handoff: Handoff = "handoff",
        /// The error (`workflow.execution.failed`).
        error: WorkflowError = "error",
    }
}

wire_struct! {
    /// Why and how a workflow handed off to a human.
    ///
    /// ```
    /// let handoff: kapso_webhooks::kapso_event::Handoff =
    ///     serde_json::from_str(r#"{"reason":"Asked for a person","source":"agent_tool"}"#).unwrap();
    /// assert_eq!(handoff.source, Some(kapso_webhooks::kapso_event::HandoffSource::AgentTool));
    /// ```
    pub struct Handoff {
        /// The reason given, when one was.
        reason: CompactString = "reason",
        /// What triggered the handoff.
        source: HandoffSource = "source",
    }
}

wire_struct! {
    /// Why a workflow execution failed.
    ///
    /// ```
    /// let error: kapso_webhooks::kapso_event::WorkflowError =
    ///     serde_json::from_str(r#"{"message":"Timed out"}"#).unwrap();
    /// assert_eq!(error.message.as_deref(), Some("Timed out"));
    /// ```
    pub struct WorkflowError {
        /// The error message.
        message: CompactString = "message",
    }
}

wire_struct! {
    /// The payload of the `whatsapp.contact.*` events: `{contact, phone_number_id}` plus
    /// `previous` (`whatsapp.contact.identity_changed`) or `marketing_preference`
    /// (`whatsapp.contact.marketing_preference_changed`).
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// use kapso_webhooks::kapso_event::KapsoPayload;
    /// let body = br#"{"contact":{"id":"ct-1","business_scoped_user_id":"US.8410736325491046"},
    ///   "previous":{"business_scoped_user_id":"US.1122334455667788","parent_business_scoped_user_id":null},
    ///   "phone_number_id":"109283746550123"}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.contact.identity_changed"), body)?.into_events();
    /// let KapsoPayload::Contact(event) = events[0].payload() else { panic!() };
    /// let contact = event.contact.as_ref().unwrap();
    /// assert_eq!(contact.identity().user_id, Some("US.8410736325491046"));
    /// let previous = event.previous.as_ref().unwrap();
    /// assert_eq!(previous.business_scoped_user_id.as_deref(), Some("US.1122334455667788"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub struct ContactEvent {
        /// The contact, after the change.
        contact: KapsoContact = "contact",
        /// The business-scoped user IDs before the change (`identity_changed`).
        previous: PreviousIdentity = "previous",
        /// The new marketing preference (`marketing_preference_changed`).
        marketing_preference: MarketingPreference = "marketingPreference",
        /// The business phone number ID.
        phone_number_id: CompactString = "phoneNumberId",
    }
}

wire_struct! {
    /// A contact as Kapso stores it.
    ///
    /// ```
    /// let contact: kapso_webhooks::kapso_event::KapsoContact =
    ///     serde_json::from_str(r#"{"waId":"15550104321","profileName":"Ana"}"#).unwrap();
    /// assert_eq!(contact.identity().phone_number, Some("15550104321"));
    /// ```
    pub struct KapsoContact {
        /// Kapso's contact ID.
        id: CompactString = "id",
        /// The customer the contact belongs to.
        customer_id: CompactString = "customerId",
        /// The WhatsApp ID (phone number), when shared.
        wa_id: CompactString = "waId",
        /// The WhatsApp profile name.
        profile_name: CompactString = "profileName",
        /// The name shown in Kapso.
        display_name: CompactString = "displayName",
        /// The business-scoped user ID.
        business_scoped_user_id: CompactString = "businessScopedUserId",
        /// The parent business-scoped user ID.
        parent_business_scoped_user_id: CompactString = "parentBusinessScopedUserId",
        /// The WhatsApp username.
        username: CompactString = "username",
        /// When the contact was created.
        created_at: Timestamp = "createdAt",
        /// When the contact was last updated.
        updated_at: Timestamp = "updatedAt",
        /// Whether the contact belongs to the sandbox.
        sandbox: bool = "sandbox",
        /// Your metadata on the contact.
        metadata: RawJson = "metadata",
    }
}

impl KapsoContact {
    /// The contact's identity: phone number (`wa_id`), business-scoped user IDs, username.
    ///
    /// ```
    /// let contact: kapso_webhooks::kapso_event::KapsoContact =
    ///     serde_json::from_str(r#"{"businessScopedUserId":"US.1","username":"@ana"}"#).unwrap();
    /// assert_eq!(contact.identity().preferred_id(), Some("US.1"));
    /// ```
    pub fn identity(&self) -> UserIdentity<'_> {
        UserIdentity {
            phone_number: self.wa_id.as_deref(),
            user_id: self.business_scoped_user_id.as_deref(),
            parent_user_id: self.parent_business_scoped_user_id.as_deref(),
            username: self.username.as_deref(),
        }
    }
}

wire_struct! {
    /// A contact's business-scoped user IDs before an identity change. Either may be `null`
    /// (kept in `extra`).
    ///
    /// ```
    /// let previous: kapso_webhooks::kapso_event::PreviousIdentity =
    ///     serde_json::from_str(r#"{"businessScopedUserId":"US.9"}"#).unwrap();
    /// assert_eq!(previous.business_scoped_user_id.as_deref(), Some("US.9"));
    /// ```
    pub struct PreviousIdentity {
        /// The previous business-scoped user ID.
        business_scoped_user_id: CompactString = "businessScopedUserId",
        /// The previous parent business-scoped user ID.
        parent_business_scoped_user_id: CompactString = "parentBusinessScopedUserId",
    }
}

open_enum! {
    /// Whether a contact accepts marketing messages on a number.
    ///
    /// ```
    /// use kapso_webhooks::kapso_event::MarketingPreferenceStatus;
    /// assert_eq!(MarketingPreferenceStatus::from("stopped"), MarketingPreferenceStatus::Stopped);
    /// ```
    pub enum MarketingPreferenceStatus {
        /// The contact stopped marketing messages; marketing templates are refused.
        Stopped = "stopped",
        /// The contact resumed marketing messages.
        Resumed = "resumed",
    }
}

wire_struct! {
    /// A contact's marketing preference after a change. Deliveries are unordered: compare
    /// `sequence` and discard an update older than one already applied.
    ///
    /// ```
    /// let preference: kapso_webhooks::kapso_event::MarketingPreference =
    ///     serde_json::from_str(r#"{"status":"resumed","previousStatus":"stopped","sequence":7}"#).unwrap();
    /// assert_eq!(preference.sequence, Some(7));
    /// ```
    pub struct MarketingPreference {
        /// The new status.
        status: MarketingPreferenceStatus = "status",
        /// The status before (`null` for the first preference on the number).
        previous_status: MarketingPreferenceStatus = "previousStatus",
        /// Meta's reason, when given.
        detail: CompactString = "detail",
        /// When the change happened (second precision).
        occurred_at: Timestamp = "occurredAt",
        /// A number that increases with every change: the way to order updates.
        sequence: u64 = "sequence",
    }
}

wire_struct! {
    /// A legacy **v1** payload (`X-Webhook-Payload-Version: v1`, or a body with a
    /// `whatsapp_config`): every v1 event nests the WhatsApp configuration, and v1 messages are
    /// flat Kapso records (`message_type`, `content`, `direction`, `origin`) instead of
    /// Meta-shaped messages.
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// use kapso_webhooks::kapso_event::KapsoPayload;
    /// let body = br#"{"whatsapp_config":{"id":"cfg-1","phone_number_id":"109283746550123"},
    ///   "conversation":{"id":"conv_1","whatsapp_config_id":"cfg-1"},
    ///   "message":{"id":"m-1","message_type":"text","content":"Hola","direction":"inbound"}}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.message.received"), body)?.into_events();
    /// assert!(events[0].is_legacy());
    /// let KapsoPayload::Legacy(legacy) = events[0].payload() else { panic!() };
    /// assert_eq!(legacy.message.as_ref().unwrap().content.as_deref(), Some("Hola"));
    /// assert_eq!(events[0].phone_number_id(), Some("109283746550123"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub struct LegacyPayload {
        /// The WhatsApp configuration (phone number) the event concerns.
        whatsapp_config: WhatsappConfig = "whatsappConfig",
        /// The conversation (v1 message and conversation events).
        conversation: KapsoConversation = "conversation",
        /// The message (v1 message events).
        message: LegacyMessage = "message",
        /// Whether the message started a new conversation.
        is_new_conversation: bool = "isNewConversation",
        /// The project (`whatsapp.config.created`).
        project: KapsoProject = "project",
        /// The customer (`whatsapp.config.created`).
        customer: KapsoCustomer = "customer",
        /// The setup link the customer used (`whatsapp.config.created`).
        setup_link: SetupLink = "setupLink",
    }
}

wire_struct! {
    /// A WhatsApp configuration (one connected phone number), in legacy v1 payloads.
    ///
    /// ```
    /// let config: kapso_webhooks::kapso_event::WhatsappConfig =
    ///     serde_json::from_str(r#"{"id":"cfg-1","isCoexistence":true}"#).unwrap();
    /// assert_eq!(config.is_coexistence, Some(true));
    /// ```
    pub struct WhatsappConfig {
        /// The configuration ID (v1's primary identifier).
        id: CompactString = "id",
        /// The configuration's name.
        name: CompactString = "name",
        /// The phone number ID.
        phone_number_id: CompactString = "phoneNumberId",
        /// The WhatsApp Business Account ID.
        business_account_id: CompactString = "businessAccountId",
        /// Whether the number is also used in the WhatsApp Business app.
        is_coexistence: bool = "isCoexistence",
        /// Whether inbound messages are processed.
        inbound_processing_enabled: bool = "inboundProcessingEnabled",
        /// Whether calling is enabled.
        calls_enabled: bool = "callsEnabled",
        /// When the webhook was verified.
        webhook_verified_at: Timestamp = "webhookVerifiedAt",
        /// When the configuration was created.
        created_at: Timestamp = "createdAt",
        /// When the configuration was last updated.
        updated_at: Timestamp = "updatedAt",
        /// The customer who owns the number.
        customer_id: CompactString = "customerId",
        /// The business display name.
        display_name: CompactString = "displayName",
        /// The phone number as displayed.
        display_phone_number: CompactString = "displayPhoneNumber",
        /// The phone number, digits only.
        display_phone_number_normalized: CompactString = "displayPhoneNumberNormalized",
    }
}

wire_struct! {
    /// A setup link (onboarding through embedded signup).
    ///
    /// ```
    /// let link: kapso_webhooks::kapso_event::SetupLink = serde_json::from_str(r#"{"id":"sl-1"}"#).unwrap();
    /// assert_eq!(link.id.as_deref(), Some("sl-1"));
    /// ```
    pub struct SetupLink {
        /// The setup link ID.
        id: CompactString = "id",
    }
}

wire_struct! {
    /// A message in a legacy v1 payload: a flat Kapso record.
    ///
    /// ```
    /// use kapso_webhooks::{Direction, MessageType};
    /// let message: kapso_webhooks::kapso_event::LegacyMessage = serde_json::from_str(
    ///     r#"{"messageType":"image","content":"Menu","direction":"outbound","origin":"cloud_api"}"#,
    /// ).unwrap();
    /// assert_eq!(message.message_type, Some(MessageType::Image));
    /// assert_eq!(message.direction, Some(Direction::Outbound));
    /// ```
    pub struct LegacyMessage {
        /// Kapso's message ID.
        id: CompactString = "id",
        /// The WhatsApp message ID (`wamid.…`).
        whatsapp_message_id: CompactString = "whatsappMessageId",
        /// The user's phone number.
        phone_number: CompactString = "phoneNumber",
        /// The message type (`text`, `image`, …).
        message_type: MessageType = "messageType",
        /// The text content or a description of the media.
        content: CompactString = "content",
        /// Inbound or outbound.
        direction: Direction = "direction",
        /// The delivery status.
        status: crate::meta::message::KapsoStatus = "status",
        /// The processing status.
        processing_status: crate::meta::message::ProcessingStatus = "processingStatus",
        /// How the message entered Kapso (v1 has it at message level).
        origin: crate::meta::message::MessageOrigin = "origin",
        /// A URL of the stored media.
        media_url: CompactString = "mediaUrl",
        /// Type-specific data.
        message_type_data: RawJson = "messageTypeData",
        /// Metadata.
        metadata: RawJson = "metadata",
        /// When Kapso recorded the message.
        created_at: Timestamp = "createdAt",
        /// When the record was last updated.
        updated_at: Timestamp = "updatedAt",
    }
}

wire_struct! {
    /// The `batch_info` of a buffered delivery.
    ///
    /// ```
    /// let info: kapso_webhooks::kapso_event::BatchInfo = serde_json::from_str(
    ///     r#"{"size":3,"windowMs":5000,"firstSequence":7,"lastSequence":9,"conversationId":"conv_1"}"#,
    /// ).unwrap();
    /// assert_eq!((info.size, info.window_ms), (Some(3), Some(5000)));
    /// ```
    pub struct BatchInfo {
        /// How many events the batch holds.
        size: u64 = "size",
        /// The buffer window, in milliseconds.
        window_ms: u64 = "windowMs",
        /// The sequence number of the first event.
        first_sequence: u64 = "firstSequence",
        /// The sequence number of the last event.
        last_sequence: u64 = "lastSequence",
        /// The conversation all events belong to (buffers are per conversation).
        conversation_id: CompactString = "conversationId",
    }
}

wire_struct! {
    /// The envelope of a buffered delivery (`{type, batch: true, data: [...], batch_info}`),
    /// without its `data` (which becomes [`KapsoDelivery::events`](crate::KapsoDelivery)).
    ///
    /// ```
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoEventName, KapsoHeaders};
    /// let body = br#"{"type":"whatsapp.message.received","batch":true,
    ///   "data":[{"message":{"id":"wamid.A"}},{"message":{"id":"wamid.B"}}],
    ///   "batch_info":{"size":2,"conversation_id":"conv_1"}}"#;
    /// let delivery = parse_kapso_delivery(&KapsoHeaders::default(), body)?;
    /// let batch = delivery.batch().unwrap();
    /// assert_eq!(batch.event_type, Some(KapsoEventName::MessageReceived));
    /// assert_eq!(batch.batch_info.as_ref().unwrap().size, Some(2));
    /// assert_eq!(delivery.events().len(), 2);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub struct KapsoBatch {
        /// The event name of every item.
        event_type: KapsoEventName = "type",
        /// `true`.
        batch: bool = "batch",
        /// Size, window, sequence numbers and conversation of the batch.
        batch_info: BatchInfo = "batchInfo",
    }
}
