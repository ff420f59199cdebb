//! [`KapsoEventName`]: the name of a Kapso webhook event (`X-Webhook-Event`), and Kapso's
//! catalog of subscribable events ([`CATALOG`]) with the scope of each ([`EventScope`]).
//!
//! One table below gives the enum's variants, their wire names, their scopes, the payload each
//! is typed as, and the catalog: a name is added in one place.

use std::fmt;

use crate::json::wire::open_enum;

/// Which kind of Kapso webhook receives an event.
///
/// Kapso has two kinds of `kind: kapso` webhooks: **project** webhooks
/// (`POST /platform/v1/whatsapp/webhooks` without a `phone_number_id`: connections, account
/// enforcement, workflows, custom events, agent runs) and **phone-number** webhooks (with a
/// `phone_number_id`, or `/whatsapp/phone_numbers/{id}/webhooks`: message, conversation and
/// contact events of that number). A webhook never receives the events of the other scope.
///
/// ```
/// use kapso_webhooks::kapso_event::EventScope;
/// use kapso_webhooks::KapsoEventName;
/// assert_eq!(KapsoEventName::MessageReceived.scope(), Some(EventScope::PhoneNumber));
/// assert_eq!(KapsoEventName::AccountRestricted.scope(), Some(EventScope::Project));
/// assert_eq!(EventScope::PhoneNumber.as_str(), "phone_number");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventScope {
    /// Project webhooks (no `phone_number_id`).
    Project,
    /// Phone-number webhooks (one business phone number).
    PhoneNumber,
}

impl EventScope {
    /// `project` or `phone_number`.
    ///
    /// ```
    /// assert_eq!(kapso_webhooks::kapso_event::EventScope::Project.as_str(), "project");
    /// ```
    pub fn as_str(&self) -> &'static str {
        match self {
            EventScope::Project => "project",
            EventScope::PhoneNumber => "phone_number",
        }
    }
}

impl fmt::Display for EventScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The payload type an event name is read as (see `KapsoPayload`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PayloadKind {
    Message,
    Conversation,
    Contact,
    Handover,
    PhoneNumber,
    Legacy,
    Account,
    Workflow,
    Custom,
    AgentRun,
}

/// The one table of Kapso's event catalog: each entry gives a variant of [`KapsoEventName`],
/// its wire name, its [`EventScope`] and its payload kind.
macro_rules! kapso_catalog {
    (
        $(#[$meta:meta])*
        pub enum KapsoEventName {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $wire:literal ($scope:ident, $kind:ident)
            ),* $(,)?
        }
    ) => {
        open_enum! {
            $(#[$meta])*
            pub enum KapsoEventName {
                $(
                    $(#[$variant_meta])*
                    $variant = $wire,
                )*
            }
        }

        impl KapsoEventName {
            /// Which webhooks receive this event, as Kapso documents it; `None` for a name
            /// Kapso does not accept (an [`Other`](KapsoEventName::Other) name).
            ///
            /// ```
            /// use kapso_webhooks::kapso_event::EventScope;
            /// use kapso_webhooks::KapsoEventName;
            /// assert_eq!(KapsoEventName::ProjectEvent.scope(), Some(EventScope::Project));
            /// assert_eq!(KapsoEventName::from("whatsapp.message.status_updated").scope(), None);
            /// ```
            pub fn scope(&self) -> Option<EventScope> {
                match self {
                    $(KapsoEventName::$variant => Some(EventScope::$scope),)*
                    KapsoEventName::Other(_) => None,
                }
            }

            /// The payload type this name is read as; `None` for an unknown name.
            pub(crate) fn payload_kind(&self) -> Option<PayloadKind> {
                match self {
                    $(KapsoEventName::$variant => Some(PayloadKind::$kind),)*
                    KapsoEventName::Other(_) => None,
                }
            }
        }

        /// Kapso's catalog: every event name a Kapso webhook can subscribe to, with the scope of
        /// the webhooks that receive it, in the order of Kapso's reference. Creating or
        /// updating a webhook with any other name is refused with `422` (see
        /// [`unsupported_events`](crate::kapso_event::unsupported_events)).
        ///
        /// This is the one list of the catalog: every variant of
        /// [`KapsoEventName`] but [`Other`](KapsoEventName::Other) appears here once.
        ///
        /// ```
        /// use kapso_webhooks::kapso_event::{EventScope, CATALOG};
        /// assert_eq!(CATALOG.len(), 28);
        /// assert!(CATALOG.iter().all(|(name, _)| !name.is_other()));
        /// let project: Vec<&str> = CATALOG
        ///     .iter()
        ///     .filter(|(_, scope)| *scope == EventScope::Project)
        ///     .map(|(name, _)| name.as_str())
        ///     .collect();
        /// assert!(project.contains(&"whatsapp.account.disabled"));
        /// assert!(!project.contains(&"whatsapp.message.received"));
        /// ```
        pub const CATALOG: &[(KapsoEventName, EventScope)] =
            &[$((KapsoEventName::$variant, EventScope::$scope)),*];
    };
}

kapso_catalog! {
    /// The name of a Kapso webhook event, as sent in the `X-Webhook-Event` header (and, for
    /// buffered batches, in the body's `type`; the project events also repeat it in the body's
    /// `event`). Every name of Kapso's catalog ([`CATALOG`]) is a variant; names this crate
    /// does not know are kept in [`KapsoEventName::Other`].
    ///
    /// ```
    /// use kapso_webhooks::KapsoEventName;
    /// use kapso_webhooks::kapso_event::EventScope;
    /// let name = KapsoEventName::from("whatsapp.message.received");
    /// assert_eq!(name, KapsoEventName::MessageReceived);
    /// assert!(name.is_message_event());
    /// assert_eq!(name.scope(), Some(EventScope::PhoneNumber));
    /// assert_eq!(name.as_str(), "whatsapp.message.received");
    /// let future = KapsoEventName::from("whatsapp.template.approved");
    /// assert!(future.is_other());
    /// assert_eq!(future.to_string(), "whatsapp.template.approved");
    /// ```
    pub enum KapsoEventName {
        /// A message from a user arrived (`whatsapp.message.received`). May be buffered into
        /// batches.
        MessageReceived = "whatsapp.message.received" (PhoneNumber, Message),
        /// A message was accepted by WhatsApp (`whatsapp.message.sent`).
        MessageSent = "whatsapp.message.sent" (PhoneNumber, Message),
        /// A message reached the user's device (`whatsapp.message.delivered`).
        MessageDelivered = "whatsapp.message.delivered" (PhoneNumber, Message),
        /// The user read a message (`whatsapp.message.read`).
        MessageRead = "whatsapp.message.read" (PhoneNumber, Message),
        /// A message could not be sent or delivered (`whatsapp.message.failed`).
        MessageFailed = "whatsapp.message.failed" (PhoneNumber, Message),
        /// A conversation started (`whatsapp.conversation.created`).
        ConversationCreated = "whatsapp.conversation.created" (PhoneNumber, Conversation),
        /// A conversation ended (`whatsapp.conversation.ended`).
        ConversationEnded = "whatsapp.conversation.ended" (PhoneNumber, Conversation),
        /// No message for the configured number of minutes (`whatsapp.conversation.inactive`).
        ConversationInactive = "whatsapp.conversation.inactive" (PhoneNumber, Conversation),
        /// A contact received a new business-scoped user ID
        /// (`whatsapp.contact.identity_changed`).
        ContactIdentityChanged = "whatsapp.contact.identity_changed" (PhoneNumber, Contact),
        /// A contact stopped or resumed marketing messages
        /// (`whatsapp.contact.marketing_preference_changed`).
        ContactMarketingPreferenceChanged =
            "whatsapp.contact.marketing_preference_changed" (PhoneNumber, Contact),
        /// A Meta Business Agent handed a conversation over
        /// (`whatsapp.meta_business_agent.handover`). Kapso lists it with the contact events
        /// (phone-number webhooks) but documents no payload: it is kept whole
        /// ([`KapsoPayload::Handover`](crate::kapso_event::KapsoPayload::Handover)).
        MetaBusinessAgentHandover =
            "whatsapp.meta_business_agent.handover" (PhoneNumber, Handover),
        /// A customer connected WhatsApp, in legacy v1 payloads (`whatsapp.config.created`;
        /// v2 webhooks use `whatsapp.phone_number.created`).
        ConfigCreated = "whatsapp.config.created" (Project, Legacy),
        /// A customer connected a phone number (`whatsapp.phone_number.created`).
        PhoneNumberCreated = "whatsapp.phone_number.created" (Project, PhoneNumber),
        /// A phone number is being removed (`whatsapp.phone_number.deleted`).
        PhoneNumberDeleted = "whatsapp.phone_number.deleted" (Project, PhoneNumber),
        /// Meta offboarded a phone number from the Cloud API
        /// (`whatsapp.phone_number.offboarded`, payload version v2).
        PhoneNumberOffboarded = "whatsapp.phone_number.offboarded" (Project, PhoneNumber),
        /// Partner access was removed or the app uninstalled
        /// (`whatsapp.phone_number.disconnected`, payload version v2).
        PhoneNumberDisconnected = "whatsapp.phone_number.disconnected" (Project, PhoneNumber),
        /// The Cloud API connection of a number was restored
        /// (`whatsapp.phone_number.reconnected`, payload version v2).
        PhoneNumberReconnected = "whatsapp.phone_number.reconnected" (Project, PhoneNumber),
        /// Meta disabled (banned) a business account (`whatsapp.account.disabled`).
        AccountDisabled = "whatsapp.account.disabled" (Project, Account),
        /// Meta restricted a business account (`whatsapp.account.restricted`).
        AccountRestricted = "whatsapp.account.restricted" (Project, Account),
        /// Meta reinstated a business account (`whatsapp.account.reinstated`).
        AccountReinstated = "whatsapp.account.reinstated" (Project, Account),
        /// Meta reported a policy violation on a business account (`whatsapp.account.violation`).
        AccountViolation = "whatsapp.account.violation" (Project, Account),
        /// A workflow handed off to a human agent (`workflow.execution.handoff`).
        WorkflowExecutionHandoff = "workflow.execution.handoff" (Project, Workflow),
        /// A workflow execution failed (`workflow.execution.failed`).
        WorkflowExecutionFailed = "workflow.execution.failed" (Project, Workflow),
        /// A custom project event was emitted (`project.event`; project webhooks only).
        ProjectEvent = "project.event" (Project, Custom),
        /// A Kapso Agent run waits for a tool call to be approved
        /// (`kapso_agent.run.approval_required`).
        AgentRunApprovalRequired = "kapso_agent.run.approval_required" (Project, AgentRun),
        /// A Kapso Agent run completed (`kapso_agent.run.completed`).
        AgentRunCompleted = "kapso_agent.run.completed" (Project, AgentRun),
        /// A Kapso Agent run failed (`kapso_agent.run.failed`).
        AgentRunFailed = "kapso_agent.run.failed" (Project, AgentRun),
        /// A Kapso Agent run was cancelled (`kapso_agent.run.cancelled`).
        AgentRunCancelled = "kapso_agent.run.cancelled" (Project, AgentRun),
    }
}

/// The names of `events` that Kapso does not accept, in order (each time it appears): the ones
/// that would make Kapso refuse the whole webhook with `422`
/// (`Events contains unsupported events: …`). Empty when every name is in [`CATALOG`]. Names
/// are compared exactly, as Kapso does.
///
/// ```
/// use kapso_webhooks::kapso_event::unsupported_events;
/// let wanted = ["whatsapp.message.received", "whatsapp.message.status_updated", "project.event"];
/// assert_eq!(unsupported_events(wanted), ["whatsapp.message.status_updated"]);
/// assert!(unsupported_events(["kapso_agent.run.completed"]).is_empty());
/// ```
pub fn unsupported_events<'a, I>(events: I) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    events
        .into_iter()
        .filter(|name| KapsoEventName::from(*name).is_other())
        .collect()
}

/// The names of `events` that a webhook of `scope` never receives, in order: names of the
/// other scope (a project webhook never receives message, conversation or contact events; a
/// phone-number webhook never receives project events). Unsupported names are not listed here
/// (see [`unsupported_events`]).
///
/// ```
/// use kapso_webhooks::kapso_event::{events_outside_scope, EventScope};
/// let wanted = ["whatsapp.phone_number.created", "whatsapp.message.received", "nope"];
/// assert_eq!(events_outside_scope(wanted, EventScope::Project), ["whatsapp.message.received"]);
/// assert_eq!(events_outside_scope(wanted, EventScope::PhoneNumber), ["whatsapp.phone_number.created"]);
/// ```
pub fn events_outside_scope<'a, I>(events: I, scope: EventScope) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    events
        .into_iter()
        .filter(|name| {
            KapsoEventName::from(*name)
                .scope()
                .is_some_and(|own| own != scope)
        })
        .collect()
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
        self.payload_kind() == Some(PayloadKind::Message)
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
        self.payload_kind() == Some(PayloadKind::Conversation)
    }

    /// Whether this is one of the two `whatsapp.contact.*` events, whose payload is a
    /// [`ContactEvent`](crate::kapso_event::ContactEvent).
    ///
    /// ```
    /// use kapso_webhooks::KapsoEventName;
    /// assert!(KapsoEventName::ContactIdentityChanged.is_contact_event());
    /// assert!(!KapsoEventName::MetaBusinessAgentHandover.is_contact_event());
    /// ```
    pub fn is_contact_event(&self) -> bool {
        self.payload_kind() == Some(PayloadKind::Contact)
    }

    /// Whether this is one of the four `whatsapp.account.*` enforcement events, whose payload
    /// is an [`AccountEvent`](crate::kapso_event::AccountEvent).
    ///
    /// ```
    /// use kapso_webhooks::KapsoEventName;
    /// assert!(KapsoEventName::AccountViolation.is_account_event());
    /// ```
    pub fn is_account_event(&self) -> bool {
        self.payload_kind() == Some(PayloadKind::Account)
    }

    /// Whether this is one of the four `kapso_agent.run.*` events, whose payload is an
    /// [`AgentRunEvent`](crate::kapso_event::AgentRunEvent).
    ///
    /// ```
    /// use kapso_webhooks::KapsoEventName;
    /// assert!(KapsoEventName::AgentRunCompleted.is_agent_run_event());
    /// ```
    pub fn is_agent_run_event(&self) -> bool {
        self.payload_kind() == Some(PayloadKind::AgentRun)
    }

    /// Whether this event is sent to project webhooks (connections, account enforcement,
    /// workflows, custom project events, agent runs) rather than to a phone number's webhooks:
    /// [`scope`](KapsoEventName::scope) is [`EventScope::Project`].
    ///
    /// ```
    /// use kapso_webhooks::KapsoEventName;
    /// assert!(KapsoEventName::WorkflowExecutionFailed.is_project_event());
    /// assert!(KapsoEventName::PhoneNumberOffboarded.is_project_event());
    /// assert!(!KapsoEventName::MessageReceived.is_project_event());
    /// ```
    pub fn is_project_event(&self) -> bool {
        self.scope() == Some(EventScope::Project)
    }
}
