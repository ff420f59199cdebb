//! [`KapsoEventName`]: the name of a Kapso webhook event (`X-Webhook-Event`).

use crate::json::wire::open_enum;

open_enum! {
    /// The name of a Kapso webhook event, as sent in the `X-Webhook-Event` header (and, for
    /// buffered batches, in the body's `type`). Names this crate does not know are kept in
    /// [`KapsoEventName::Other`].
    ///
    /// ```
    /// use kapso_webhooks::KapsoEventName;
    /// let name = KapsoEventName::from("whatsapp.message.received");
    /// assert_eq!(name, KapsoEventName::MessageReceived);
    /// assert!(name.is_message_event());
    /// assert_eq!(name.as_str(), "whatsapp.message.received");
    /// let future = KapsoEventName::from("whatsapp.template.approved");
    /// assert!(future.is_other());
    /// assert_eq!(future.to_string(), "whatsapp.template.approved");
    /// ```
    pub enum KapsoEventName {
        /// A message from a user arrived (`whatsapp.message.received`). May be buffered into
        /// batches.
        MessageReceived = "whatsapp.message.received",
        /// A message was accepted by WhatsApp (`whatsapp.message.sent`).
        MessageSent = "whatsapp.message.sent",
        /// A message reached the user's device (`whatsapp.message.delivered`).
        MessageDelivered = "whatsapp.message.delivered",
        /// The user read a message (`whatsapp.message.read`).
        MessageRead = "whatsapp.message.read",
        /// A message could not be sent or delivered (`whatsapp.message.failed`).
        MessageFailed = "whatsapp.message.failed",
        /// A conversation started (`whatsapp.conversation.created`).
        ConversationCreated = "whatsapp.conversation.created",
        /// A conversation ended (`whatsapp.conversation.ended`).
        ConversationEnded = "whatsapp.conversation.ended",
        /// No message for the configured number of minutes (`whatsapp.conversation.inactive`).
        ConversationInactive = "whatsapp.conversation.inactive",
        /// A contact received a new business-scoped user ID
        /// (`whatsapp.contact.identity_changed`).
        ContactIdentityChanged = "whatsapp.contact.identity_changed",
        /// A contact stopped or resumed marketing messages
        /// (`whatsapp.contact.marketing_preference_changed`).
        ContactMarketingPreferenceChanged = "whatsapp.contact.marketing_preference_changed",
        /// A Meta Business Agent handed a conversation over
        /// (`whatsapp.meta_business_agent.handover`). Its payload is not typed.
        MetaBusinessAgentHandover = "whatsapp.meta_business_agent.handover",
        /// A customer connected a phone number (`whatsapp.phone_number.created`, project webhooks).
        PhoneNumberCreated = "whatsapp.phone_number.created",
        /// A phone number is being removed (`whatsapp.phone_number.deleted`, project webhooks).
        PhoneNumberDeleted = "whatsapp.phone_number.deleted",
        /// A customer connected WhatsApp, in legacy v1 payloads (`whatsapp.config.created`).
        ConfigCreated = "whatsapp.config.created",
        /// A workflow handed off to a human agent (`workflow.execution.handoff`).
        WorkflowExecutionHandoff = "workflow.execution.handoff",
        /// A workflow execution failed (`workflow.execution.failed`).
        WorkflowExecutionFailed = "workflow.execution.failed",
        /// A custom project event was emitted (`project.event`). Its payload is not typed.
        ProjectEvent = "project.event",
    }
}

impl KapsoEventName {
    /// Whether this is one of the five `whatsapp.message.*` events, whose payload is a
    /// [`MessageEvent`](crate::kapso_event::MessageEvent).
    ///
    /// ```
    /// use kapso_webhooks::KapsoEventName;
    /// assert!(KapsoEventName::MessageRead.is_message_event());
    /// assert!(!KapsoEventName::from("whatsapp.message.edited").is_message_event());
    /// ```
    pub fn is_message_event(&self) -> bool {
        matches!(
            self,
            KapsoEventName::MessageReceived
                | KapsoEventName::MessageSent
                | KapsoEventName::MessageDelivered
                | KapsoEventName::MessageRead
                | KapsoEventName::MessageFailed
        )
    }

    /// Whether this is one of the three `whatsapp.conversation.*` events, whose payload is a
    /// [`ConversationEvent`](crate::kapso_event::ConversationEvent).
    ///
    /// ```
    /// use kapso_webhooks::KapsoEventName;
    /// assert!(KapsoEventName::ConversationInactive.is_conversation_event());
    /// assert!(!KapsoEventName::MessageSent.is_conversation_event());
    /// ```
    pub fn is_conversation_event(&self) -> bool {
        matches!(
            self,
            KapsoEventName::ConversationCreated
                | KapsoEventName::ConversationEnded
                | KapsoEventName::ConversationInactive
        )
    }

    /// Whether this is one of the two `whatsapp.contact.*` events, whose payload is a
    /// [`ContactEvent`](crate::kapso_event::ContactEvent).
    ///
    /// ```
    /// use kapso_webhooks::KapsoEventName;
    /// assert!(KapsoEventName::ContactIdentityChanged.is_contact_event());
    /// ```
    pub fn is_contact_event(&self) -> bool {
        matches!(
            self,
            KapsoEventName::ContactIdentityChanged
                | KapsoEventName::ContactMarketingPreferenceChanged
        )
    }

    /// Whether this event is sent to project webhooks (connections, workflows, custom project
    /// events) rather than to a phone number's webhooks.
    ///
    /// ```
    /// use kapso_webhooks::KapsoEventName;
    /// assert!(KapsoEventName::WorkflowExecutionFailed.is_project_event());
    /// assert!(!KapsoEventName::MessageReceived.is_project_event());
    /// ```
    pub fn is_project_event(&self) -> bool {
        matches!(
            self,
            KapsoEventName::PhoneNumberCreated
                | KapsoEventName::PhoneNumberDeleted
                | KapsoEventName::ConfigCreated
                | KapsoEventName::WorkflowExecutionHandoff
                | KapsoEventName::WorkflowExecutionFailed
                | KapsoEventName::ProjectEvent
        )
    }
}
