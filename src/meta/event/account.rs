//! WhatsApp Business Account events: `account_alerts`, `account_update`,
//! `account_review_update`, `account_settings_update`, `business_capability_update`, `security`,
//! `partner_solutions` and `payment_configuration_update`.

use compact_str::CompactString;

use crate::json::wire::{open_enum, wire_struct};
use crate::meta::event::phone_number::DailyLimit;
use crate::meta::event::template::TemplateCategory;
use crate::timestamp::Timestamp;

open_enum! {
    /// What an account alert is about (`entity_type`).
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::AlertEntityType;
    /// assert_eq!(AlertEntityType::from("PHONE_NUMBER"), AlertEntityType::PhoneNumber);
    /// ```
    pub enum AlertEntityType {
        /// A WhatsApp Business Account.
        Waba = "WABA",
        /// A business phone number.
        PhoneNumber = "PHONE_NUMBER",
        /// A business portfolio.
        Business = "BUSINESS",
    }
}

open_enum! {
    /// How serious an account alert is.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::AlertSeverity;
    /// assert_eq!(AlertSeverity::from("CRITICAL"), AlertSeverity::Critical);
    /// assert_eq!(AlertSeverity::from("SEVERE").as_str(), "SEVERE");
    /// ```
    pub enum AlertSeverity {
        /// A rejection or denial; the description may say how to resolve it.
        Critical = "CRITICAL",
        /// Action may be needed.
        Warning = "WARNING",
        /// Information only.
        Informational = "INFORMATIONAL",
    }
}

open_enum! {
    /// The status of an account alert.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::AlertStatus;
    /// assert_eq!(AlertStatus::from("ACTIVE"), AlertStatus::Active);
    /// assert_eq!(AlertStatus::None.as_str(), "NONE");
    /// ```
    pub enum AlertStatus {
        /// The alert is active.
        Active = "ACTIVE",
        /// No status (`NONE`).
        None = "NONE",
    }
}

open_enum! {
    /// The kind of an account alert (`alert_type`).
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::AlertType;
    /// assert_eq!(AlertType::from("OBA_REJECTED"), AlertType::ObaRejected);
    /// ```
    pub enum AlertType {
        /// Not enough signal to increase messaging limits yet.
        IncreasedCapabilitiesEligibilityDeferred = "INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED",
        /// Messaging limits cannot be increased.
        IncreasedCapabilitiesEligibilityFailed = "INCREASED_CAPABILITIES_ELIGIBILITY_FAILED",
        /// More information is needed to increase messaging limits.
        IncreasedCapabilitiesEligibilityNeedMoreInfo =
            "INCREASED_CAPABILITIES_ELIGIBILITY_NEED_MORE_INFO",
        /// The Official Business Account request was approved.
        ObaApproved = "OBA_APPROVED",
        /// The Official Business Account request was rejected.
        ObaRejected = "OBA_REJECTED",
    }
}

wire_struct! {
    /// An `account_alerts` value: an alert about a business portfolio, account or number.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::{AccountAlert, AlertEntityType, AlertSeverity, AlertType};
    /// let alert: AccountAlert = serde_json::from_str(r#"{"entityType":"WABA","entityId":"214736902158834",
    ///   "alertInfo":{"alertSeverity":"CRITICAL","alertStatus":"ACTIVE","alertType":"OBA_APPROVED",
    ///   "alertDescription":"Approved."}}"#).unwrap();
    /// assert_eq!(alert.entity_type, Some(AlertEntityType::Waba));
    /// let info = alert.alert_info.as_ref().unwrap();
    /// assert_eq!(info.alert_severity, Some(AlertSeverity::Critical));
    /// assert_eq!(info.alert_type, Some(AlertType::ObaApproved));
    /// ```
    pub struct AccountAlert {
        /// What the alert is about.
        entity_type: AlertEntityType = "entityType",
        /// The ID of that entity.
        entity_id: CompactString = "entityId",
        /// The alert.
        alert_info: AlertInfo = "alertInfo",
    }
}

wire_struct! {
    /// The alert of an [`AccountAlert`].
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::{AlertInfo, AlertStatus};
    /// let info: AlertInfo = serde_json::from_str(r#"{"alertStatus":"ACTIVE","alertDescription":"Limit deferred."}"#)?;
    /// assert_eq!(info.alert_status, Some(AlertStatus::Active));
    /// assert_eq!(info.alert_description.as_deref(), Some("Limit deferred."));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct AlertInfo {
        /// How serious it is.
        alert_severity: AlertSeverity = "alertSeverity",
        /// Its status.
        alert_status: AlertStatus = "alertStatus",
        /// Its kind.
        alert_type: AlertType = "alertType",
        /// A human-readable description.
        alert_description: CompactString = "alertDescription",
    }
}

open_enum! {
    /// The `event` of an `account_update`.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::AccountUpdateEvent;
    /// assert_eq!(AccountUpdateEvent::from("PARTNER_ADDED"), AccountUpdateEvent::PartnerAdded);
    /// assert!(AccountUpdateEvent::from("ACCOUNT_TELEPORTED").is_other());
    /// ```
    pub enum AccountUpdateEvent {
        /// The account was deleted.
        AccountDeleted = "ACCOUNT_DELETED",
        /// The account was offboarded (device change or phone number reregistration).
        AccountOffboarded = "ACCOUNT_OFFBOARDED",
        /// The account was reconnected after a device change or reregistration.
        AccountReconnected = "ACCOUNT_RECONNECTED",
        /// The account was restricted; see `restriction_info`.
        AccountRestriction = "ACCOUNT_RESTRICTION",
        /// The account violated a policy; see `violation_info`.
        AccountViolation = "ACCOUNT_VIOLATION",
        /// The account gave the partner access to its ad accounts; see `waba_info`.
        AdAccountLinked = "AD_ACCOUNT_LINKED",
        /// The account became eligible for authentication-international rates.
        AuthIntlPriceEligibilityUpdate = "AUTH_INTL_PRICE_ELIGIBILITY_UPDATE",
        /// The primary business location was set; see `country`.
        BusinessPrimaryLocationCountryUpdate = "BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE",
        /// A business verification was decided; see `business_verification_info`.
        BusinessVerificationStatusUpdate = "BUSINESS_VERIFICATION_STATUS_UPDATE",
        /// The account was disabled, scheduled for disabling or reinstated; see `ban_info`.
        DisabledUpdate = "DISABLED_UPDATE",
        /// The account accepted the Marketing Messages API terms.
        MmLiteTermsSigned = "MM_LITE_TERMS_SIGNED",
        /// The account was shared with a solution partner.
        PartnerAdded = "PARTNER_ADDED",
        /// A business customer granted the app permissions.
        PartnerAppInstalled = "PARTNER_APP_INSTALLED",
        /// A business customer revoked the app's permissions.
        PartnerAppUninstalled = "PARTNER_APP_UNINSTALLED",
        /// A partner-led business verification was decided.
        PartnerClientCertificationStatusUpdate = "PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE",
        /// The account was unshared from a solution partner.
        PartnerRemoved = "PARTNER_REMOVED",
        /// A phone number's display name was verified (older payloads).
        VerifiedAccount = "VERIFIED_ACCOUNT",
        /// The volume-based pricing tier changed; see `volume_tier_info`.
        VolumeBasedPricingTierUpdate = "VOLUME_BASED_PRICING_TIER_UPDATE",
    }
}

wire_struct! {
    /// An `account_update` value. Which optional parts are present depends on `event`.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::{AccountUpdate, AccountUpdateEvent, RestrictionType};
    /// let update: AccountUpdate = serde_json::from_str(r#"{"event":"ACCOUNT_RESTRICTION",
    ///   "restrictionInfo":[{"restrictionType":"RESTRICTED_BIZ_INITIATED_MESSAGING","expiration":1732614932}]}"#).unwrap();
    /// assert_eq!(update.event, Some(AccountUpdateEvent::AccountRestriction));
    /// let restriction = &update.restriction_info.as_ref().unwrap()[0];
    /// assert_eq!(restriction.restriction_type, Some(RestrictionType::RestrictedBizInitiatedMessaging));
    /// assert_eq!(restriction.expiration.as_ref().unwrap().to_unix_seconds(), Some(1732614932));
    /// ```
    pub struct AccountUpdate {
        /// What happened.
        event: AccountUpdateEvent = "event",
        /// The phone number concerned (some events).
        phone_number: CompactString = "phoneNumber",
        /// The primary business location, an ISO 3166 alpha-2 code
        /// (`BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE`).
        country: CompactString = "country",
        /// The account and partner involved (`AD_ACCOUNT_LINKED`, `MM_LITE_TERMS_SIGNED`,
        /// `PARTNER_*`).
        waba_info: WabaInfo = "wabaInfo",
        /// The policy violated (`ACCOUNT_VIOLATION`).
        violation_info: ViolationInfo = "violationInfo",
        /// The ban state (`DISABLED_UPDATE`).
        ban_info: BanInfo = "banInfo",
        /// The restrictions applied (`ACCOUNT_RESTRICTION`).
        restriction_info: Vec<Restriction> = "restrictionInfo",
        /// Why the account was disconnected (`PARTNER_REMOVED` of a WhatsApp Business app
        /// number).
        disconnection_info: DisconnectionInfo = "disconnectionInfo",
        /// Authentication-international rate eligibility (`AUTH_INTL_PRICE_ELIGIBILITY_UPDATE`).
        auth_international_rate_eligibility: AuthInternationalRateEligibility =
            "authInternationalRateEligibility",
        /// The new pricing tier (`VOLUME_BASED_PRICING_TIER_UPDATE`).
        volume_tier_info: VolumeTierInfo = "volumeTierInfo",
        /// A partner-led business verification (`PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE`).
        partner_client_certification_info: VerificationInfo = "partnerClientCertificationInfo",
        /// A business verification (`BUSINESS_VERIFICATION_STATUS_UPDATE`).
        business_verification_info: VerificationInfo = "businessVerificationInfo",
    }
}

wire_struct! {
    /// The account and partner of an `account_update`.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::WabaInfo;
    /// let info: WabaInfo = serde_json::from_str(r#"{"wabaId":"4021","solutionPartnerBusinessIds":["77","78"]}"#)?;
    /// assert_eq!(info.waba_id.as_deref(), Some("4021"));
    /// assert_eq!(info.solution_partner_business_ids.map(|ids| ids.len()), Some(2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct WabaInfo {
        /// The WhatsApp Business Account ID.
        waba_id: CompactString = "wabaId",
        /// The business portfolio that owns the account.
        owner_business_id: CompactString = "ownerBusinessId",
        /// The partner app (`PARTNER_APP_INSTALLED`, `PARTNER_APP_UNINSTALLED`).
        partner_app_id: CompactString = "partnerAppId",
        /// The Multi-Partner Solution, when onboarded through one.
        solution_id: CompactString = "solutionId",
        /// The business portfolios of the solution's partners.
        solution_partner_business_ids: Vec<CompactString> = "solutionPartnerBusinessIds",
        /// The linked ad account (`AD_ACCOUNT_LINKED`).
        ad_account_linked: CompactString = "adAccountLinked",
    }
}

wire_struct! {
    /// The policy an account violated.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::ViolationInfo;
    /// let info: ViolationInfo = serde_json::from_str(r#"{"violationType":"SCAM"}"#)?;
    /// assert_eq!(info.violation_type.as_deref(), Some("SCAM"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ViolationInfo {
        /// The violation, such as `SCAM` or `ADULT` (see Meta's policy enforcement list).
        violation_type: CompactString = "violationType",
    }
}

open_enum! {
    /// The ban state of an account.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::BanState;
    /// assert_eq!(BanState::from("SCHEDULE_FOR_DISABLE"), BanState::ScheduleForDisable);
    /// ```
    pub enum BanState {
        /// The account is disabled.
        Disable = "DISABLE",
        /// The account was reinstated.
        Reinstate = "REINSTATE",
        /// The account is scheduled to be disabled.
        ScheduleForDisable = "SCHEDULE_FOR_DISABLE",
    }
}

wire_struct! {
    /// The ban state of an account (`DISABLED_UPDATE`).
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::{BanInfo, BanState};
    /// let ban: BanInfo = serde_json::from_str(r#"{"wabaBanState":"REINSTATE","wabaBanDate":"March 3, 2025"}"#)?;
    /// assert_eq!(ban.waba_ban_state, Some(BanState::Reinstate));
    /// assert_eq!(ban.waba_ban_date.as_deref(), Some("March 3, 2025"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct BanInfo {
        /// The state.
        waba_ban_state: BanState = "wabaBanState",
        /// When, as Meta writes it (such as `January 31, 2021`).
        waba_ban_date: CompactString = "wabaBanDate",
    }
}

open_enum! {
    /// What a restriction forbids.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::RestrictionType;
    /// let kind = RestrictionType::from("RESTRICTED_UTILITY_TEMPLATES");
    /// assert_eq!(kind, RestrictionType::RestrictedUtilityTemplates);
    /// ```
    pub enum RestrictionType {
        /// Adding phone numbers.
        RestrictedAddPhoneNumberAction = "RESTRICTED_ADD_PHONE_NUMBER_ACTION",
        /// Starting conversations.
        RestrictedBizInitiatedMessaging = "RESTRICTED_BIZ_INITIATED_MESSAGING",
        /// Replying to conversations users start.
        RestrictedCustomerInitiatedMessaging = "RESTRICTED_CUSTOMER_INITIATED_MESSAGING",
        /// Making and receiving calls.
        RestrictedBizInitiatedAndUserInitiatedCalling =
            "RESTRICTED_BIZ_INITIATED_AND_USER_INITIATED_CALLING",
        /// Making calls.
        RestrictedBusinessInitiatedCalling = "RESTRICTED_BUSINESS_INITIATED_CALLING",
        /// Receiving calls.
        RestrictedUserInitiatedCalling = "RESTRICTED_USER_INITIATED_CALLING",
        /// The call button is hidden from users.
        RestrictedUserInitiatedCallingCallButtonHidden =
            "RESTRICTED_USER_INITIATED_CALLING_CALL_BUTTON_HIDDEN",
        /// Sending utility templates through direct send.
        RestrictedDirectSendUtilityTemplates = "RESTRICTED_DIRECT_SEND_UTILITY_TEMPLATES",
        /// Creating utility templates.
        RestrictedUtilityTemplates = "RESTRICTED_UTILITY_TEMPLATES",
    }
}

wire_struct! {
    /// One restriction applied to an account.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::{Restriction, RestrictionType};
    /// let restriction: Restriction = serde_json::from_str(
    ///     r#"{"restrictionType":"RESTRICTED_BIZ_INITIATED_MESSAGING","expiration":1735689600}"#)?;
    /// assert_eq!(restriction.restriction_type, Some(RestrictionType::RestrictedBizInitiatedMessaging));
    /// assert_eq!(restriction.expiration.unwrap().to_unix_seconds(), Some(1735689600));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Restriction {
        /// What is restricted.
        restriction_type: RestrictionType = "restrictionType",
        /// When the restriction ends (Unix seconds, as sent).
        expiration: Timestamp = "expiration",
        /// What the business can do about it.
        remediation: CompactString = "remediation",
    }
}

open_enum! {
    /// Why an account was disconnected.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::DisconnectionReason;
    /// assert_eq!(DisconnectionReason::from("CHANGE_NUMBER"), DisconnectionReason::ChangeNumber);
    /// ```
    pub enum DisconnectionReason {
        /// Disconnected by enforcement, or the account was deleted.
        AccountDisconnected = "ACCOUNT_DISCONNECTED",
        /// The number was registered with the consumer WhatsApp app.
        BusinessDowngrade = "BUSINESS_DOWNGRADE",
        /// The phone number changed.
        ChangeNumber = "CHANGE_NUMBER",
        /// A companion device was inactive for about 30 days.
        CompanionInactivity = "COMPANION_INACTIVITY",
        /// The primary device was inactive for about 14 days.
        PrimaryInactivity = "PRIMARY_INACTIVITY",
        /// The business re-registered on a new device.
        UserReRegistered = "USER_RE_REGISTERED",
    }
}

open_enum! {
    /// Who started a disconnection.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::DisconnectionInitiator;
    /// assert_eq!(DisconnectionInitiator::from("SYSTEM"), DisconnectionInitiator::System);
    /// ```
    pub enum DisconnectionInitiator {
        /// The system (inactivity, enforcement).
        System = "SYSTEM",
        /// The business customer.
        User = "USER",
    }
}

wire_struct! {
    /// Why an account was disconnected.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::{DisconnectionInfo, DisconnectionInitiator, DisconnectionReason};
    /// let info: DisconnectionInfo = serde_json::from_str(r#"{"reason":"PRIMARY_INACTIVITY","initiatedBy":"SYSTEM"}"#)?;
    /// assert_eq!(info.reason, Some(DisconnectionReason::PrimaryInactivity));
    /// assert_eq!(info.initiated_by, Some(DisconnectionInitiator::System));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct DisconnectionInfo {
        /// The reason.
        reason: DisconnectionReason = "reason",
        /// Who started it.
        initiated_by: DisconnectionInitiator = "initiatedBy",
    }
}

wire_struct! {
    /// Authentication-international rate eligibility.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::AuthInternationalRateEligibility;
    /// let rates: AuthInternationalRateEligibility = serde_json::from_str(
    ///     r#"{"startTime":1740000000,"exceptionCountries":[{"countryCode":"IN","startTime":1745000000}]}"#)?;
    /// assert_eq!(rates.exception_countries.unwrap()[0].country_code.as_deref(), Some("IN"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct AuthInternationalRateEligibility {
        /// When the rates apply.
        start_time: Timestamp = "startTime",
        /// Countries with their own start time.
        exception_countries: Vec<ExceptionCountry> = "exceptionCountries",
    }
}

wire_struct! {
    /// A country where authentication-international rates start at another time.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::ExceptionCountry;
    /// let country: ExceptionCountry = serde_json::from_str(r#"{"countryCode":"ID","startTime":1745000000}"#)?;
    /// assert_eq!(country.start_time.unwrap().to_unix_seconds(), Some(1745000000));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ExceptionCountry {
        /// ISO 3166 alpha-2 code.
        country_code: CompactString = "countryCode",
        /// When the rates apply there.
        start_time: Timestamp = "startTime",
    }
}

wire_struct! {
    /// A volume-based pricing tier update.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::VolumeTierInfo;
    /// let tier: VolumeTierInfo = serde_json::from_str(r#"{"tier":"1:250000","effectiveMonth":"2025-09","region":"Brazil"}"#)?;
    /// assert_eq!(tier.effective_month.as_deref(), Some("2025-09"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct VolumeTierInfo {
        /// When the tier changed.
        tier_update_time: Timestamp = "tierUpdateTime",
        /// The pricing category.
        pricing_category: TemplateCategory = "pricingCategory",
        /// The volume range, such as `25000001:50000000`.
        tier: CompactString = "tier",
        /// The month the tier applies to (`YYYY-MM`).
        effective_month: CompactString = "effectiveMonth",
        /// The pricing region.
        region: CompactString = "region",
    }
}

wire_struct! {
    /// A business verification decision.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::VerificationInfo;
    /// let info: VerificationInfo = serde_json::from_str(
    ///     r#"{"businessId":"9001","verificationStatus":"REJECTED","rejectionReasons":["LEGAL_NAME_NOT_FOUND"]}"#)?;
    /// assert_eq!(info.verification_status.as_deref(), Some("REJECTED"));
    /// assert_eq!(info.rejection_reasons.unwrap()[0], "LEGAL_NAME_NOT_FOUND");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct VerificationInfo {
        /// The verified business portfolio (partner-led verification).
        client_business_id: CompactString = "clientBusinessId",
        /// The verified business portfolio.
        business_id: CompactString = "businessId",
        /// The decision (partner-led verification), such as `APPROVED`, `REJECTED`, `DISCARDED`.
        status: CompactString = "status",
        /// The decision, such as `APPROVED` or `REJECTED`.
        verification_status: CompactString = "verificationStatus",
        /// Why it was rejected (`NONE` when approved).
        rejection_reasons: Vec<CompactString> = "rejectionReasons",
    }
}

open_enum! {
    /// A review decision (`account_review_update`, `phone_number_name_update`).
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::ReviewDecision;
    /// assert_eq!(ReviewDecision::from("DEFERRED"), ReviewDecision::Deferred);
    /// ```
    pub enum ReviewDecision {
        /// Approved.
        Approved = "APPROVED",
        /// Rejected.
        Rejected = "REJECTED",
        /// Still under review.
        Pending = "PENDING",
        /// Deferred.
        Deferred = "DEFERRED",
    }
}

wire_struct! {
    /// An `account_review_update` value: the policy review of an account.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::{AccountReviewUpdate, ReviewDecision};
    /// let review: AccountReviewUpdate = serde_json::from_str(r#"{"decision":"PENDING"}"#)?;
    /// assert_eq!(review.decision, Some(ReviewDecision::Pending));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct AccountReviewUpdate {
        /// The decision.
        decision: ReviewDecision = "decision",
    }
}

wire_struct! {
    /// A `business_capability_update` value: new limits of an account or business portfolio.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::BusinessCapabilityUpdate;
    /// let update: BusinessCapabilityUpdate = serde_json::from_str(
    ///     r#"{"maxDailyConversationsPerBusiness":"TIER_10K","maxPhoneNumbersPerWaba":25}"#).unwrap();
    /// assert_eq!(update.max_daily_conversations_per_business.unwrap().count(), Some(10_000));
    /// assert_eq!(update.max_phone_numbers_per_waba, Some(25));
    /// ```
    pub struct BusinessCapabilityUpdate {
        /// Daily conversations per phone number (older payloads).
        max_daily_conversation_per_phone: u64 = "maxDailyConversationPerPhone",
        /// The business portfolio's messaging limit: a tier name or a number.
        max_daily_conversations_per_business: DailyLimit = "maxDailyConversationsPerBusiness",
        /// How many phone numbers the business portfolio may have.
        max_phone_numbers_per_business: u64 = "maxPhoneNumbersPerBusiness",
        /// How many phone numbers the account may have.
        max_phone_numbers_per_waba: u64 = "maxPhoneNumbersPerWaba",
    }
}

open_enum! {
    /// The `event` of a `security` change.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::SecurityEvent;
    /// assert_eq!(SecurityEvent::from("PIN_RESET_REQUEST"), SecurityEvent::PinResetRequest);
    /// ```
    pub enum SecurityEvent {
        /// The two-step verification PIN was changed or enabled.
        PinChanged = "PIN_CHANGED",
        /// Someone asked to turn off two-step verification.
        PinResetRequest = "PIN_RESET_REQUEST",
        /// Two-step verification was turned off through the reset email.
        PinRequestSuccess = "PIN_REQUEST_SUCCESS",
    }
}

wire_struct! {
    /// A `security` value: a change of a phone number's two-step verification.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::{SecurityEvent, SecurityUpdate};
    /// let update: SecurityUpdate = serde_json::from_str(r#"{"displayPhoneNumber":"15550009999","event":"PIN_CHANGED"}"#)?;
    /// assert_eq!(update.event, Some(SecurityEvent::PinChanged));
    /// assert_eq!(update.requester, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct SecurityUpdate {
        /// The business display phone number.
        display_phone_number: CompactString = "displayPhoneNumber",
        /// What happened.
        event: SecurityEvent = "event",
        /// The Meta Business Suite user who asked for a PIN reset.
        requester: CompactString = "requester",
    }
}

open_enum! {
    /// The `event` of a `partner_solutions` change.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::PartnerSolutionEvent;
    /// assert_eq!(PartnerSolutionEvent::from("SOLUTION_UPDATED"), PartnerSolutionEvent::SolutionUpdated);
    /// ```
    pub enum PartnerSolutionEvent {
        /// A solution was drafted or sent to a partner.
        SolutionCreated = "SOLUTION_CREATED",
        /// A solution changed.
        SolutionUpdated = "SOLUTION_UPDATED",
    }
}

open_enum! {
    /// The status of a Multi-Partner Solution.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::SolutionStatus;
    /// assert_eq!(SolutionStatus::from("PENDING_DEACTIVATION"), SolutionStatus::PendingDeactivation);
    /// ```
    pub enum SolutionStatus {
        /// Accepted by the partner; usable.
        Active = "ACTIVE",
        /// Deactivated.
        Deactivated = "DEACTIVATED",
        /// Drafted, not sent.
        Draft = "DRAFT",
        /// Sent, not yet accepted or rejected.
        Initiated = "INITIATED",
        /// Deactivation requested, not yet answered.
        PendingDeactivation = "PENDING_DEACTIVATION",
        /// Rejected by the partner.
        Rejected = "REJECTED",
    }
}

wire_struct! {
    /// A `partner_solutions` value: a Multi-Partner Solution changed. The entry's `id` is a
    /// business portfolio ID here.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::{PartnerSolutionUpdate, SolutionStatus};
    /// let update: PartnerSolutionUpdate = serde_json::from_str(
    ///     r#"{"event":"SOLUTION_CREATED","solutionId":"5150","solutionStatus":"DRAFT"}"#)?;
    /// assert_eq!(update.solution_status, Some(SolutionStatus::Draft));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct PartnerSolutionUpdate {
        /// What happened.
        event: PartnerSolutionEvent = "event",
        /// The solution.
        solution_id: CompactString = "solutionId",
        /// Its status.
        solution_status: SolutionStatus = "solutionStatus",
    }
}

open_enum! {
    /// The status of a payment configuration (payments in India).
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::PaymentConfigurationStatus;
    /// let status = PaymentConfigurationStatus::from("Needs Testing");
    /// assert_eq!(status, PaymentConfigurationStatus::NeedsTesting);
    /// ```
    pub enum PaymentConfigurationStatus {
        /// Ready to use.
        Active = "Active",
        /// The payment gateway must be connected.
        NeedsConnecting = "Needs Connecting",
        /// The configuration must be tested.
        NeedsTesting = "Needs Testing",
    }
}

wire_struct! {
    /// A `payment_configuration_update` value.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::{PaymentConfigurationStatus, PaymentConfigurationUpdate};
    /// let update: PaymentConfigurationUpdate = serde_json::from_str(
    ///     r#"{"configurationName":"shop-upi","providerName":"razorpay","status":"Active"}"#)?;
    /// assert_eq!(update.status, Some(PaymentConfigurationStatus::Active));
    /// assert_eq!(update.provider_name.as_deref(), Some("razorpay"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct PaymentConfigurationUpdate {
        /// The configuration's name.
        configuration_name: CompactString = "configurationName",
        /// The payment gateway, such as `razorpay` or `payu`.
        provider_name: CompactString = "providerName",
        /// The merchant ID at the gateway.
        provider_mid: CompactString = "providerMid",
        /// The status.
        status: PaymentConfigurationStatus = "status",
        /// When the configuration was created.
        created_timestamp: Timestamp = "createdTimestamp",
        /// When it last changed.
        updated_timestamp: Timestamp = "updatedTimestamp",
    }
}

wire_struct! {
    /// An `account_settings_update` value: a phone number's settings changed.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::AccountSettingsUpdate;
    /// let update: AccountSettingsUpdate = serde_json::from_str(
    ///     r#"{"type":"phone_number_settings","phoneNumberSettings":{"phoneNumberId":"321"}}"#)?;
    /// assert_eq!(update.settings_type.as_deref(), Some("phone_number_settings"));
    /// assert_eq!(update.phone_number_settings.unwrap().phone_number_id.as_deref(), Some("321"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct AccountSettingsUpdate {
        /// Always `whatsapp`.
        messaging_product: CompactString = "messagingProduct",
        /// When the settings changed.
        timestamp: Timestamp = "timestamp",
        /// Which settings changed, such as `phone_number_settings`.
        settings_type: CompactString = "type",
        /// The phone number's settings.
        phone_number_settings: PhoneNumberSettings = "phoneNumberSettings",
    }
}

wire_struct! {
    /// A phone number's settings.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::PhoneNumberSettings;
    /// let settings: PhoneNumberSettings = serde_json::from_str(r#"{"phoneNumberId":"321","calling":{"status":"ENABLED"}}"#)?;
    /// assert_eq!(settings.calling.unwrap().status.as_deref(), Some("ENABLED"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct PhoneNumberSettings {
        /// The business phone number's ID.
        phone_number_id: CompactString = "phoneNumberId",
        /// Calling settings.
        calling: CallingSettings = "calling",
    }
}

wire_struct! {
    /// A phone number's calling settings.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::CallingSettings;
    /// let calling: CallingSettings = serde_json::from_str(r#"{"callIconVisibility":"DISABLE_ALL","sip":{"status":"DISABLED"}}"#)?;
    /// assert_eq!(calling.call_icon_visibility.as_deref(), Some("DISABLE_ALL"));
    /// assert_eq!(calling.sip.unwrap().status.as_deref(), Some("DISABLED"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct CallingSettings {
        /// `ENABLED` or `DISABLED`.
        status: CompactString = "status",
        /// Whether the call button is shown (`DEFAULT`, `DISABLE_ALL`).
        call_icon_visibility: CompactString = "callIconVisibility",
        /// Whether users are asked for call-back permission.
        callback_permission_status: CompactString = "callbackPermissionStatus",
        /// When calls are accepted.
        call_hours: CallHours = "callHours",
        /// SIP settings.
        sip: SipSettings = "sip",
    }
}

wire_struct! {
    /// When a business accepts calls.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::CallHours;
    /// let hours: CallHours = serde_json::from_str(
    ///     r#"{"timezoneId":"Europe/Lisbon","weeklyOperatingHours":[{"dayOfWeek":"FRIDAY","openTime":"0900"}]}"#)?;
    /// assert_eq!(hours.timezone_id.as_deref(), Some("Europe/Lisbon"));
    /// assert_eq!(hours.weekly_operating_hours.unwrap()[0].open_time.as_deref(), Some("0900"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct CallHours {
        /// `ENABLED` or `DISABLED`.
        status: CompactString = "status",
        /// The time zone of the hours.
        timezone_id: CompactString = "timezoneId",
        /// Opening hours per weekday.
        weekly_operating_hours: Vec<OperatingHours> = "weeklyOperatingHours",
        /// Days with other hours.
        holiday_schedule: Vec<HolidayHours> = "holidaySchedule",
    }
}

wire_struct! {
    /// Opening hours of one weekday.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::OperatingHours;
    /// let day: OperatingHours = serde_json::from_str(r#"{"dayOfWeek":"TUESDAY","openTime":"0830","closeTime":"1700"}"#)?;
    /// assert_eq!((day.day_of_week.as_deref(), day.close_time.as_deref()), (Some("TUESDAY"), Some("1700")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct OperatingHours {
        /// `MONDAY` … `SUNDAY`.
        day_of_week: CompactString = "dayOfWeek",
        /// Opening time, `HHMM`.
        open_time: CompactString = "openTime",
        /// Closing time, `HHMM`.
        close_time: CompactString = "closeTime",
    }
}

wire_struct! {
    /// Hours of one holiday.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::HolidayHours;
    /// let holiday: HolidayHours = serde_json::from_str(r#"{"date":"2026-12-25","startTime":"1000","endTime":"1200"}"#)?;
    /// assert_eq!(holiday.date.as_deref(), Some("2026-12-25"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct HolidayHours {
        /// The date, `YYYY-MM-DD`.
        date: CompactString = "date",
        /// Start, `HHMM`.
        start_time: CompactString = "startTime",
        /// End, `HHMM`.
        end_time: CompactString = "endTime",
    }
}

wire_struct! {
    /// SIP calling settings.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::SipSettings;
    /// let sip: SipSettings = serde_json::from_str(r#"{"status":"ENABLED","servers":[{"hostname":"sip.example.net"}]}"#)?;
    /// assert_eq!(sip.servers.unwrap().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct SipSettings {
        /// `ENABLED` or `DISABLED`.
        status: CompactString = "status",
        /// The SIP servers.
        servers: Vec<SipServer> = "servers",
    }
}

wire_struct! {
    /// A SIP server.
    ///
    /// ```
    /// use kapso_webhooks::meta::event::account::SipServer;
    /// let server: SipServer = serde_json::from_str(r#"{"hostname":"sip.example.net","port":5061}"#)?;
    /// assert_eq!((server.hostname.as_deref(), server.port), (Some("sip.example.net"), Some(5061)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct SipServer {
        /// The host name.
        hostname: CompactString = "hostname",
        /// The port.
        port: u64 = "port",
        /// The SIP user password, when Meta includes it.
        sip_user_password: CompactString = "sipUserPassword",
    }
}
