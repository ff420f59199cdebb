//! Typed events (`NormalizedWebhook::events` and the per-field accessors): every field on our
//! own fixtures, unknown fields and values, document order and origins, exact round trips, the
//! shared corpus typed with nothing unexpected left in `extra`, and the normalized JSON unchanged.
use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use crate::support::compare::js_equal;
use crate::support::fixtures::{meta_corpus, meta_fixture, meta_fixtures, MetaCase};
use kapso_webhooks::meta::event::account::{
    AccountUpdateEvent, AlertEntityType, AlertSeverity, BanState, RestrictionType, ReviewDecision,
    SecurityEvent, SolutionStatus,
};
use kapso_webhooks::meta::event::automatic_events::AutomaticEventName;
use kapso_webhooks::meta::event::flows::{AlertState, FlowEvent, FlowStatus};
use kapso_webhooks::meta::event::group::GroupEventType;
use kapso_webhooks::meta::event::history::{HistoryMessageStatus, StateSyncAction};
use kapso_webhooks::meta::event::phone_number::{
    DailyLimit, MessagingLimit, PhoneNumberQualityEvent,
};
use kapso_webhooks::meta::event::template::{
    QualityScore, TemplateCategory, TemplateEvent, TemplateRejectionReason,
};
use kapso_webhooks::meta::event::user_preferences::PreferenceValue;
use kapso_webhooks::meta::event::{KNOWN_FIELDS, MESSAGE_FIELDS};
use kapso_webhooks::{camel_key, normalize_webhook, Event, NormalizedWebhook};
use serde_json::{json, Value};

fn fixture(name: &str) -> NormalizedWebhook {
    let path = meta_fixture(name);
    normalize_webhook(&fs::read(&path).unwrap()).unwrap()
}

/// The only event of a one-change fixture.
fn only_event(webhook: &NormalizedWebhook) -> Event<'_> {
    let mut events: Vec<_> = webhook.events().map(|item| item.event).collect();
    assert_eq!(events.len(), 1, "expected exactly one event");
    events.remove(0)
}

/// The typed payload of an event as JSON (`None` for message-bearing and unknown fields).
fn payload_json(event: &Event<'_>) -> Option<Value> {
    macro_rules! json_of {
        ($($variant:ident),*) => {
            match event {
                $(Event::$variant(value) => Some(serde_json::to_value(value).unwrap()),)*
                _ => None,
            }
        };
    }
    json_of!(
        AccountAlerts,
        AccountReviewUpdate,
        AccountSettingsUpdate,
        AccountUpdate,
        AutomaticEvents,
        BusinessCapabilityUpdate,
        BusinessUsernameUpdates,
        Flows,
        GroupLifecycleUpdate,
        GroupParticipantsUpdate,
        GroupSettingsUpdate,
        GroupStatusUpdate,
        History,
        MessageTemplateComponentsUpdate,
        MessageTemplateQualityUpdate,
        MessageTemplateStatusUpdate,
        PartnerSolutions,
        PaymentConfigurationUpdate,
        PhoneNumberNameUpdate,
        PhoneNumberQualityUpdate,
        Security,
        SmbAppStateSync,
        TemplateCategoryUpdate,
        UserIdUpdate,
        UserPreferences
    )
}

/// Whether `field` (camelCased, as `raw` files it) is one of `fields` (as sent).
fn is_one_of(fields: &[&str], field: &str) -> bool {
    fields.iter().any(|known| camel_key(known) == field)
}

/// The fields this crate types (besides the message-bearing ones), camelCased.
fn typed_fields() -> Vec<String> {
    KNOWN_FIELDS
        .iter()
        .filter(|field| !MESSAGE_FIELDS.contains(field))
        .map(|field| camel_key(field).into_owned())
        .collect()
}

/// The fields of every change of every body of `cases`, as sent (read with serde_json).
fn sent_fields(cases: &[MetaCase]) -> BTreeSet<String> {
    let mut fields = BTreeSet::new();
    for case in cases {
        let path = &case.body;
        let Ok(body) = serde_json::from_slice::<Value>(&fs::read(path).unwrap()) else {
            continue;
        };
        let entries = body.get("entry").and_then(Value::as_array);
        for entry in entries.into_iter().flatten() {
            let changes = entry.get("changes").and_then(Value::as_array);
            for change in changes.into_iter().flatten() {
                if let Some(field) = change.get("field").and_then(Value::as_str) {
                    fields.insert(field.to_owned());
                }
            }
        }
    }
    fields
}

/// `history[3].threads[0].x` → `history[].threads[].x`, to group paths across bodies.
fn generic_path(path: &str) -> String {
    let mut out = String::new();
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// What one folder of bodies gives: per field, (bodies, bodies fully typed), and every key left
/// in `extra` as (field, generic path) → number of occurrences.
#[derive(Default)]
struct Survey {
    per_field: BTreeMap<String, (usize, usize)>,
    untyped_keys: BTreeMap<(String, String), usize>,
    /// Known keys sent as `null`: they stay in `extra` as `null` (the typed field is `None`),
    /// are not "unknown", and serialize back as `null`.
    null_keys: BTreeMap<(String, String), usize>,
    failures: Vec<String>,
}

/// The generic paths of the `null` values inside a JSON value.
fn null_paths(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Null => out.push(path.to_owned()),
        Value::Array(items) => {
            for item in items {
                null_paths(item, &format!("{path}[]"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                null_paths(item, &path, out);
            }
        }
        _ => {}
    }
}

/// Types every event of every body of `cases`, checking that known fields type, that typed
/// values serialize back to exactly the change value, and that reading events leaves the
/// normalized JSON unchanged.
fn survey(cases: &[MetaCase]) -> Survey {
    let mut out = Survey::default();
    for case in cases {
        let name = case.name.clone();
        let webhook = normalize_webhook(&fs::read(&case.body).unwrap()).unwrap();
        let before = serde_json::to_value(&webhook).unwrap();
        // Per field in this body: does every change of it type fully?
        let mut body_fields: BTreeMap<String, bool> = BTreeMap::new();
        let mut count = 0;
        for item in webhook.events() {
            count += 1;
            let field = item.change().field().map(str::to_owned);
            let Some(field) = field else { continue };
            if is_one_of(MESSAGE_FIELDS, &field) {
                if !matches!(
                    item.event,
                    Event::Messages(_) | Event::Calls(_) | Event::SmbMessageEchoes(_)
                ) {
                    out.failures
                        .push(format!("{name}: {field} is not message-bearing"));
                }
                continue;
            }
            if !is_one_of(KNOWN_FIELDS, &field) {
                assert!(item.event.is_other(), "{name}: {field} should be Other");
                continue;
            }
            let value = item.change().value().unwrap();
            let entry = body_fields.entry(field.clone()).or_insert(true);
            if !value.is_object() {
                // Arrays are not typed (they stay in `raw`); the event says so.
                assert!(
                    item.event.is_other(),
                    "{name}: {field} array should be Other"
                );
                *entry = false;
                continue;
            }
            match payload_json(&item.event) {
                Some(json) => {
                    if &json != value {
                        out.failures.push(format!(
                            "{name}: {field} does not serialize back to its value:\n  typed {json}\n  raw   {value}"
                        ));
                    }
                }
                None => out
                    .failures
                    .push(format!("{name}: {field} object value did not type")),
            }
            let mut nulls = Vec::new();
            null_paths(value, "", &mut nulls);
            for path in nulls {
                *out.null_keys.entry((field.clone(), path)).or_default() += 1;
            }
            let unknown = item.event.unknown_keys();
            if !unknown.is_empty() {
                *entry = false;
            }
            for key in unknown {
                *out.untyped_keys
                    .entry((field.clone(), generic_path(&key)))
                    .or_default() += 1;
            }
        }
        assert_eq!(
            count,
            webhook.changes().count(),
            "{name}: one event per change"
        );
        for (field, typed) in body_fields {
            let counts = out.per_field.entry(field).or_default();
            counts.0 += 1;
            counts.1 += usize::from(typed);
        }
        let after = serde_json::to_value(&webhook).unwrap();
        assert_eq!(before, after, "{name}: reading events changed the JSON");
    }
    out
}

fn print_survey(title: &str, survey: &Survey) {
    println!("{title}: bodies per field (fully typed / with that field)");
    for (field, (total, typed)) in &survey.per_field {
        println!("  {field:34} {typed:>3} / {total}");
    }
    println!("{title}: keys left in `extra` (unknown or of an unexpected type)");
    for ((field, path), n) in &survey.untyped_keys {
        println!("  {field}: {path} ×{n}");
    }
    println!("{title}: known keys sent as null (kept as null in `extra`, field None)");
    for ((field, path), n) in &survey.null_keys {
        println!("  {field}: {path} ×{n}");
    }
}

/// Known keys that arrive as `null`, documented so by Meta: `reason` is `null` for templates
/// scheduled for deletion (and in an older `FLAGGED` sample), `rejection_reason` is `null` when a
/// name is approved. They stay in `extra` as `null` so the JSON round trip is exact; the typed
/// field is `None`.
const NULL_KEYS: &[(&str, &str)] = &[
    ("messageTemplateStatusUpdate", "reason"),
    ("phoneNumberNameUpdate", "rejectionReason"),
];

fn keys_of(map: &BTreeMap<(String, String), usize>) -> Vec<(&str, &str)> {
    map.keys()
        .map(|(field, path)| (field.as_str(), path.as_str()))
        .collect()
}

/// Keys the shared corpus leaves in `extra` (unknown, or of an unexpected type), on purpose.
///
/// Empty: every key of every non-message corpus body is typed. Shapes that could have been left
/// over are typed on purpose: `disable_info.disable_date` as a date string ("January 31, 2021")
/// and `restriction_info[].expiration` as the placeholder "<TIMESTAMP>" are `Timestamp`s (a
/// string or a number, kept as sent); `max_daily_conversations_per_business` as `2000` or
/// `"TIER_10K"` is a `DailyLimit`; history messages of type `media_placeholder` have no content
/// object and their `history_context` is typed.
const CORPUS_ALLOWED_EXTRA: &[(&str, &str)] = &[];

#[test]
fn shared_corpus_non_message_events_are_fully_typed() {
    let survey = survey(&meta_corpus());
    print_survey("shared corpus", &survey);
    assert!(survey.failures.is_empty(), "{}", survey.failures.join("\n"));
    let unexpected: Vec<_> = survey
        .untyped_keys
        .keys()
        .filter(|(field, path)| !CORPUS_ALLOWED_EXTRA.contains(&(field.as_str(), path.as_str())))
        .collect();
    assert!(
        unexpected.is_empty(),
        "keys left in `extra` that are not allow-listed: {unexpected:?}"
    );
    assert_eq!(keys_of(&survey.null_keys), NULL_KEYS);
    // Every field of the corpus is known, and the known fields it lacks are exactly those
    // listed (each has a fixture of our own: see `every_known_field_has_a_fixture`).
    let known: BTreeSet<String> = KNOWN_FIELDS.iter().map(|f| (*f).to_owned()).collect();
    let corpus = sent_fields(&meta_corpus());
    let unknown: Vec<_> = corpus.difference(&known).collect();
    assert!(
        unknown.is_empty(),
        "corpus fields not in KNOWN_FIELDS: {unknown:?}"
    );
    let lacking: Vec<&str> = known.difference(&corpus).map(String::as_str).collect();
    assert_eq!(lacking, KNOWN_FIELDS_NOT_IN_CORPUS);
    // Every non-message field of the corpus is typed.
    for field in typed_fields() {
        if KNOWN_FIELDS_NOT_IN_CORPUS
            .iter()
            .any(|f| camel_key(f) == field)
        {
            continue;
        }
        assert!(
            survey.per_field.contains_key(&field),
            "corpus field {field} not seen"
        );
    }
}

/// Known fields the shared corpus has no body for (sorted): typed from Meta's BSUID page (and
/// the singular spelling of its username field), tested on our own fixtures.
const KNOWN_FIELDS_NOT_IN_CORPUS: &[&str] = &[
    "business_username_update",
    "business_username_updates",
    "user_id_update",
];

#[test]
fn every_known_field_has_a_fixture() {
    let known: BTreeSet<String> = KNOWN_FIELDS.iter().map(|f| (*f).to_owned()).collect();
    let fixtures = sent_fields(&meta_fixtures());
    let missing: Vec<_> = known.difference(&fixtures).collect();
    assert!(
        missing.is_empty(),
        "known fields without a fixture: {missing:?}"
    );
}

/// Keys our own fixtures leave in `extra`: only the fixture made for it.
const OWN_ALLOWED_EXTRA: &[(&str, &str)] = &[
    // events_unknown_values_and_shapes: a key Meta does not document…
    ("accountAlerts", "alertInfo.alertDeadline"),
    // …and a template ID sent as a string (typed as a number).
    ("messageTemplateStatusUpdate", "messageTemplateId"),
];

#[test]
fn own_fixtures_are_fully_typed() {
    let survey = survey(&meta_fixtures());
    print_survey("own fixtures", &survey);
    assert!(survey.failures.is_empty(), "{}", survey.failures.join("\n"));
    let keys: Vec<(&str, &str)> = survey
        .untyped_keys
        .keys()
        .map(|(field, path)| (field.as_str(), path.as_str()))
        .collect();
    assert_eq!(keys, {
        let mut allowed = OWN_ALLOWED_EXTRA.to_vec();
        allowed.sort_unstable();
        allowed
    });
    assert_eq!(keys_of(&survey.null_keys), NULL_KEYS);
    // Every typed field has at least one fixture, fully typed.
    for field in typed_fields() {
        let (total, typed) = survey.per_field.get(&field).copied().unwrap_or_default();
        assert!(
            typed >= 1,
            "{field}: {typed} of {total} fixtures fully typed"
        );
    }
}

#[test]
fn reading_events_leaves_the_reference_output_unchanged() {
    for case in meta_fixtures() {
        let path = case.body;
        let webhook = normalize_webhook(&fs::read(&path).unwrap()).unwrap();
        // Read every event (and an accessor) before serializing.
        assert_eq!(webhook.events().count(), webhook.changes().count());
        let _ = webhook.account_alerts().count();
        let expected: Value = serde_json::from_slice(&fs::read(&case.expected).unwrap()).unwrap();
        let actual = serde_json::to_value(&webhook).unwrap();
        js_equal(&actual, &expected).unwrap_or_else(|diff| panic!("{}: {diff}", path.display()));
    }
}

#[test]
fn unknown_fields_values_and_shapes_in_document_order() {
    let webhook = fixture("events_unknown_values_and_shapes");
    let items: Vec<_> = webhook.events().collect();
    assert_eq!(items.len(), 7);

    // 1. account_alerts with unknown entity type, severity and alert type, and an unknown key.
    let Event::AccountAlerts(alert) = &items[0].event else {
        panic!("{:?}", items[0].event)
    };
    assert_eq!(alert.entity_type, Some(AlertEntityType::from("AD_ACCOUNT")));
    let info = alert.alert_info.as_ref().unwrap();
    assert_eq!(info.alert_severity, Some(AlertSeverity::from("SEVERE")));
    assert!(info.alert_type.as_ref().unwrap().is_other());
    assert_eq!(
        info.alert_type.as_ref().unwrap().as_str(),
        "AD_ACCOUNT_PAYMENT_FAILED"
    );
    assert_eq!(info.extra.get("alertDeadline"), Some(&json!(1732617900)));
    assert_eq!(items[0].event.unknown_keys(), ["alertInfo.alertDeadline"]);
    assert_eq!(items[0].waba_id(), Some("214736902158834"));

    // 2. A template status with unknown event, reason and category, and an ID of the wrong type.
    let Event::MessageTemplateStatusUpdate(status) = &items[1].event else {
        panic!("{:?}", items[1].event)
    };
    assert_eq!(status.event, Some(TemplateEvent::from("ESCALATED")));
    assert_eq!(
        status.reason,
        Some(TemplateRejectionReason::from("NEEDS_REVIEW"))
    );
    assert_eq!(
        status.template_category,
        Some(TemplateCategory::from("TRANSACTIONAL"))
    );
    assert_eq!(status.template_id, None);
    assert_eq!(
        status.extra.get("messageTemplateId"),
        Some(&json!("1183746529012344"))
    );
    assert_eq!(items[1].event.unknown_keys(), ["messageTemplateId"]);

    // 3. A known field whose value is an array: not typed, never lost.
    match &items[2].event {
        Event::Other { field, value } => {
            assert_eq!(*field, Some("accountAlerts"));
            assert_eq!(*value, Some(&json!([{"entityType": "WABA"}])));
        }
        other => panic!("{other:?}"),
    }
    // The accessor skips it.
    assert_eq!(webhook.account_alerts().count(), 1);

    // 4. Unknown phone number event and tiers; the second entry's WABA and time.
    let Event::PhoneNumberQualityUpdate(quality) = &items[3].event else {
        panic!("{:?}", items[3].event)
    };
    assert_eq!(
        quality.event,
        Some(PhoneNumberQualityEvent::from("LIMIT_FROZEN"))
    );
    assert_eq!(quality.current_limit, Some(MessagingLimit::from("TIER_1M")));
    assert_eq!(quality.current_limit.as_ref().unwrap().count(), None);
    assert_eq!(
        quality.max_daily_conversations_per_business,
        Some(DailyLimit::Tier(MessagingLimit::from("unlimited-ish")))
    );
    assert_eq!(items[3].waba_id(), Some("402915586610027"));
    assert_eq!(
        items[3].time().and_then(|t| t.to_unix_seconds()),
        Some(1732013160)
    );

    // 5. A change without a field.
    assert!(matches!(
        items[4].event,
        Event::Other {
            field: None,
            value: None
        }
    ));
    assert_eq!(items[4].origin.field, None);

    // 6. Statuses: a message-bearing change points at its typed items.
    let Event::Messages(change) = &items[5].event else {
        panic!("{:?}", items[5].event)
    };
    assert_eq!(change.statuses().len(), 1);
    assert_eq!(change.statuses()[0].id, webhook.statuses()[0].id);
    assert_eq!(
        items[5].origin.phone_number_id.as_deref(),
        Some("118273645546372")
    );

    // 7. An unknown field keeps its name and camelCased value.
    match &items[6].event {
        Event::Other { field, value } => {
            assert_eq!(*field, Some("loyaltyProgramUpdate"));
            assert_eq!(
                *value,
                Some(&json!({"loyaltyLevel": "gold", "waId": "447700900456"}))
            );
            assert_eq!(
                items[6].origin.field.as_deref(),
                Some("loyalty_program_update")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn multi_entry_batch_keeps_order_and_origins() {
    let webhook = fixture("batch_multiple_entries_and_changes");
    let summary: Vec<(&str, Option<&str>, Option<i64>)> = webhook
        .events()
        .map(|item| {
            let kind = match &item.event {
                Event::Messages(_) => "messages",
                Event::MessageTemplateStatusUpdate(_) => "template_status",
                Event::PhoneNumberQualityUpdate(_) => "phone_quality",
                other => panic!("{other:?}"),
            };
            (
                kind,
                item.waba_id(),
                item.time().and_then(|t| t.to_unix_seconds()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("messages", Some("214736902158834"), None),
            ("messages", Some("214736902158834"), None),
            ("template_status", Some("214736902158834"), None),
            ("messages", Some("402915586610027"), Some(1732009050)),
            ("messages", Some("402915586610027"), Some(1732009050)),
            ("phone_quality", Some("402915586610027"), Some(1732009050)),
        ]
    );
    let (status, origin) = webhook.template_status_updates().next().unwrap();
    assert_eq!(status.template_name.as_deref(), Some("order_shipped"));
    assert_eq!(origin.waba_id.as_deref(), Some("214736902158834"));
    let (quality, origin) = webhook.phone_number_quality_updates().next().unwrap();
    assert_eq!(quality.event, Some(PhoneNumberQualityEvent::Onboarding));
    assert_eq!(quality.current_limit, Some(MessagingLimit::Tier250));
    assert_eq!(origin.waba_id.as_deref(), Some("402915586610027"));
}

#[test]
fn account_alerts() {
    let webhook = fixture("account_alerts");
    let (alert, origin) = webhook.account_alerts().next().unwrap();
    assert_eq!(alert.entity_type, Some(AlertEntityType::Waba));
    assert_eq!(alert.entity_id.as_deref(), Some("214736902158834"));
    let info = alert.alert_info.unwrap();
    assert_eq!(info.alert_severity, Some(AlertSeverity::Critical));
    assert_eq!(info.alert_status.unwrap().as_str(), "ACTIVE");
    assert_eq!(info.alert_type.unwrap().as_str(), "OBA_APPROVED");
    assert!(info
        .alert_description
        .unwrap()
        .contains("Official Business Account"));
    assert_eq!(origin.waba_id.as_deref(), Some("214736902158834"));
    assert!(origin.time.is_some());
}

#[test]
fn account_update_events() {
    let (update, _) = fixture("account_update_account_restriction")
        .account_updates()
        .next()
        .unwrap();
    assert_eq!(update.event, Some(AccountUpdateEvent::AccountRestriction));
    assert_eq!(update.phone_number.as_deref(), Some("15550001111"));
    let restrictions = update.restriction_info.unwrap();
    assert_eq!(
        restrictions[1].restriction_type,
        Some(RestrictionType::RestrictedCustomerInitiatedMessaging)
    );
    assert_eq!(
        restrictions[1]
            .expiration
            .as_ref()
            .unwrap()
            .to_unix_seconds(),
        Some(1732614932)
    );

    let (update, _) = fixture("account_update_account_violation")
        .account_updates()
        .next()
        .unwrap();
    assert_eq!(
        update.violation_info.unwrap().violation_type.as_deref(),
        Some("SCAM")
    );

    let (update, _) = fixture("account_update_disabled_update")
        .account_updates()
        .next()
        .unwrap();
    let ban = update.ban_info.unwrap();
    assert_eq!(ban.waba_ban_state, Some(BanState::ScheduleForDisable));
    assert_eq!(ban.waba_ban_date.as_deref(), Some("December 2, 2024"));

    let (update, _) = fixture("account_update_business_verification_status")
        .account_updates()
        .next()
        .unwrap();
    assert_eq!(
        update.event,
        Some(AccountUpdateEvent::BusinessVerificationStatusUpdate)
    );
    let info = update.business_verification_info.unwrap();
    assert_eq!(info.verification_status.as_deref(), Some("REJECTED"));
    assert_eq!(info.rejection_reasons.unwrap().len(), 2);

    let (update, _) = fixture("account_update_partner_client_certification")
        .account_updates()
        .next()
        .unwrap();
    let info = update.partner_client_certification_info.unwrap();
    assert_eq!(info.client_business_id.as_deref(), Some("887766554433221"));
    assert_eq!(info.status.as_deref(), Some("APPROVED"));

    let (update, _) = fixture("account_update_partner_added")
        .account_updates()
        .next()
        .unwrap();
    let waba = update.waba_info.unwrap();
    assert_eq!(waba.solution_id.as_deref(), Some("640917283546172"));
    assert_eq!(waba.solution_partner_business_ids.unwrap().len(), 2);

    let (update, _) = fixture("account_update_partner_removed_disconnection")
        .account_updates()
        .next()
        .unwrap();
    let disconnection = update.disconnection_info.unwrap();
    assert_eq!(
        disconnection.reason.unwrap().as_str(),
        "COMPANION_INACTIVITY"
    );
    assert_eq!(disconnection.initiated_by.unwrap().as_str(), "SYSTEM");

    let (update, _) = fixture("account_update_auth_intl_eligibility")
        .account_updates()
        .next()
        .unwrap();
    let eligibility = update.auth_international_rate_eligibility.unwrap();
    assert_eq!(
        eligibility.start_time.unwrap().to_unix_seconds(),
        Some(1735689600)
    );
    let countries = eligibility.exception_countries.unwrap();
    assert_eq!(countries[1].country_code.as_deref(), Some("ID"));

    let (update, _) = fixture("account_update_volume_tier")
        .account_updates()
        .next()
        .unwrap();
    let tier = update.volume_tier_info.unwrap();
    assert_eq!(tier.pricing_category, Some(TemplateCategory::Utility));
    assert_eq!(tier.tier.as_deref(), Some("1000001:5000000"));
    assert_eq!(tier.effective_month.as_deref(), Some("2024-12"));

    let webhook = fixture("account_update_primary_location_and_ad_account");
    let updates: Vec<_> = webhook.account_updates().collect();
    assert_eq!(updates.len(), 3);
    assert_eq!(updates[0].0.country.as_deref(), Some("US"));
    assert_eq!(
        updates[1]
            .0
            .waba_info
            .as_ref()
            .unwrap()
            .ad_account_linked
            .as_deref(),
        Some("act_3141592653589")
    );
    assert_eq!(
        updates[2].0.event,
        Some(AccountUpdateEvent::PartnerAppInstalled)
    );
    assert_eq!(
        updates[2]
            .0
            .waba_info
            .as_ref()
            .unwrap()
            .partner_app_id
            .as_deref(),
        Some("771122334455667")
    );
    // Entry times: the first change's entry, then the second entry's for both others.
    let times: Vec<_> = updates
        .iter()
        .map(|(_, origin)| origin.time.as_ref().unwrap().to_unix_seconds().unwrap())
        .collect();
    assert_eq!(times, [1732012300, 1732012360, 1732012360]);
}

#[test]
fn account_review_capability_security_partner_payment() {
    let (review, _) = fixture("account_review_update")
        .account_review_updates()
        .next()
        .unwrap();
    assert_eq!(review.decision, Some(ReviewDecision::Approved));
    let webhook = fixture("account_review_update_rejected");
    let (review, origin) = webhook.account_review_updates().next().unwrap();
    assert_eq!(review.decision, Some(ReviewDecision::Rejected));
    assert_eq!(origin.waba_id.as_deref(), Some("402915586610027"));

    let (capability, _) = fixture("business_capability_update")
        .business_capability_updates()
        .next()
        .unwrap();
    assert_eq!(capability.max_daily_conversation_per_phone, Some(10000));
    assert_eq!(
        capability.max_daily_conversations_per_business,
        Some(DailyLimit::Tier(MessagingLimit::Tier10K))
    );
    assert_eq!(capability.max_phone_numbers_per_business, Some(2));
    assert_eq!(capability.max_phone_numbers_per_waba, Some(25));

    let (security, _) = fixture("security").security_updates().next().unwrap();
    assert_eq!(security.event, Some(SecurityEvent::PinChanged));
    let (security, _) = fixture("security_pin_reset_request")
        .security_updates()
        .next()
        .unwrap();
    assert_eq!(security.event, Some(SecurityEvent::PinResetRequest));
    assert_eq!(security.requester.as_deref(), Some("61550012345678"));

    let (solution, _) = fixture("partner_solutions")
        .partner_solution_updates()
        .next()
        .unwrap();
    assert_eq!(solution.event.unwrap().as_str(), "SOLUTION_UPDATED");
    assert_eq!(solution.solution_status, Some(SolutionStatus::Active));
    let webhook = fixture("partner_solutions_created");
    let (solution, origin) = webhook.partner_solution_updates().next().unwrap();
    assert_eq!(solution.solution_status, Some(SolutionStatus::Draft));
    // The entry's id is a business portfolio here.
    assert_eq!(origin.waba_id.as_deref(), Some("887766554433221"));

    let (payment, _) = fixture("payment_configuration_update")
        .payment_configuration_updates()
        .next()
        .unwrap();
    assert_eq!(payment.provider_name.as_deref(), Some("payu"));
    assert_eq!(payment.status.unwrap().as_str(), "Active");
    assert_eq!(
        payment.updated_timestamp.unwrap().to_unix_seconds(),
        Some(1732011555)
    );
}

#[test]
fn account_settings_update() {
    let webhook = fixture("account_settings_update_calling");
    let Event::AccountSettingsUpdate(update) = only_event(&webhook) else {
        panic!()
    };
    assert_eq!(
        update.settings_type.as_deref(),
        Some("phone_number_settings")
    );
    let calling = update
        .phone_number_settings
        .as_ref()
        .unwrap()
        .calling
        .as_ref()
        .unwrap();
    assert_eq!(calling.status.as_deref(), Some("ENABLED"));
    let hours = calling.call_hours.as_ref().unwrap();
    assert_eq!(hours.timezone_id.as_deref(), Some("America/Chicago"));
    assert_eq!(
        hours.weekly_operating_hours.as_ref().unwrap()[1]
            .close_time
            .as_deref(),
        Some("1400")
    );
    let sip = calling.sip.as_ref().unwrap();
    assert_eq!(sip.servers.as_ref().unwrap()[0].port, Some(5061));
}

#[test]
fn template_events() {
    let (status, _) = fixture("message_template_status_update_rejected")
        .template_status_updates()
        .next()
        .unwrap();
    assert_eq!(status.event, Some(TemplateEvent::Rejected));
    assert_eq!(status.template_id, Some(1183746529012399));
    assert_eq!(status.template_language.as_deref(), Some("en_US"));
    assert_eq!(status.reason, Some(TemplateRejectionReason::InvalidFormat));
    assert_eq!(status.template_category, Some(TemplateCategory::Marketing));
    assert!(status
        .rejection_info
        .unwrap()
        .recommendation
        .unwrap()
        .starts_with("Add words"));

    let (paused, _) = fixture("message_template_status_update_paused")
        .template_status_updates()
        .next()
        .unwrap();
    assert_eq!(paused.event, Some(TemplateEvent::Paused));
    let other = paused.other_info.unwrap();
    assert_eq!(other.title.unwrap().as_str(), "FIRST_PAUSE");
    assert!(other.description.is_some());

    let (disabled, _) = fixture("message_template_status_update_disabled")
        .template_status_updates()
        .next()
        .unwrap();
    assert_eq!(
        disabled
            .disable_info
            .unwrap()
            .disable_date
            .unwrap()
            .to_unix_seconds(),
        Some(1732617000)
    );

    // `reason: null` (scheduled for deletion): absent, kept as null, not an unknown key.
    let webhook = fixture("message_template_status_update_pending_deletion");
    let (pending, _) = webhook.template_status_updates().next().unwrap();
    assert_eq!(pending.event, Some(TemplateEvent::PendingDeletion));
    assert_eq!(pending.reason, None);
    assert_eq!(pending.extra.get("reason"), Some(&Value::Null));
    assert!(pending.unknown_keys().is_empty());
    assert_eq!(
        serde_json::to_value(&pending).unwrap()["reason"],
        Value::Null
    );

    let (quality, _) = fixture("message_template_quality_update")
        .template_quality_updates()
        .next()
        .unwrap();
    assert_eq!(quality.previous_quality_score, Some(QualityScore::Green));
    assert_eq!(quality.new_quality_score, Some(QualityScore::Red));
    assert_eq!(quality.template_id, Some(1183746529012345));

    let (components, _) = fixture("message_template_components_update")
        .template_components_updates()
        .next()
        .unwrap();
    assert_eq!(components.template_title.as_deref(), Some("Order update"));
    assert_eq!(
        components.template_footer.as_deref(),
        Some("Lakeshore Ceramics")
    );
    let buttons = components.template_buttons.unwrap();
    assert_eq!(buttons[0].button_type.as_deref(), Some("URL"));
    assert_eq!(buttons[1].phone_number.as_deref(), Some("+15550001111"));

    let (category, _) = fixture("template_category_update")
        .template_category_updates()
        .next()
        .unwrap();
    assert_eq!(category.previous_category, Some(TemplateCategory::Utility));
    assert_eq!(category.new_category, Some(TemplateCategory::Marketing));
    let (pending, _) = fixture("template_category_update_pending")
        .template_category_updates()
        .next()
        .unwrap();
    assert_eq!(pending.correct_category, Some(TemplateCategory::Marketing));
    assert_eq!(
        pending.category_update_timestamp.unwrap().to_unix_seconds(),
        Some(1733616000)
    );
}

#[test]
fn phone_number_events() {
    let (name, _) = fixture("phone_number_name_update")
        .phone_number_name_updates()
        .next()
        .unwrap();
    assert_eq!(name.decision, Some(ReviewDecision::Approved));
    assert_eq!(
        name.requested_verified_name.as_deref(),
        Some("Lakeshore Ceramics")
    );
    assert_eq!(name.rejection_reason, None);
    assert!(name.unknown_keys().is_empty());
    let (name, _) = fixture("phone_number_name_update_rejected")
        .phone_number_name_updates()
        .next()
        .unwrap();
    assert_eq!(name.decision, Some(ReviewDecision::Rejected));
    assert_eq!(
        name.rejection_reason.as_deref(),
        Some("NAME_FORMAT_UNACCEPTABLE")
    );

    let (quality, _) = fixture("phone_number_quality_update")
        .phone_number_quality_updates()
        .next()
        .unwrap();
    assert_eq!(quality.event, Some(PhoneNumberQualityEvent::Upgrade));
    assert_eq!(quality.current_limit, Some(MessagingLimit::Tier10K));
    assert_eq!(quality.old_limit, Some(MessagingLimit::Tier2K));
    let (quality, _) = fixture("phone_number_quality_update_throughput")
        .phone_number_quality_updates()
        .next()
        .unwrap();
    assert_eq!(
        quality.event,
        Some(PhoneNumberQualityEvent::ThroughputUpgrade)
    );
    assert_eq!(quality.current_limit, Some(MessagingLimit::Unlimited));
    assert_eq!(
        quality
            .max_daily_conversations_per_business
            .as_ref()
            .and_then(DailyLimit::count),
        Some(100_000)
    );
}

#[test]
fn flows_events() {
    let (update, _) = fixture("flows_status_change")
        .flow_updates()
        .next()
        .unwrap();
    assert_eq!(update.event, Some(FlowEvent::FlowStatusChange));
    assert_eq!(update.old_status, Some(FlowStatus::Draft));
    assert_eq!(update.new_status, Some(FlowStatus::Published));

    let (update, _) = fixture("flows_status_change_created_with_warning")
        .flow_updates()
        .next()
        .unwrap();
    assert_eq!(update.old_status, None);
    assert!(update.warning.is_some());

    let (update, _) = fixture("flows_endpoint_error_rate")
        .flow_updates()
        .next()
        .unwrap();
    assert_eq!(update.alert_state, Some(AlertState::Activated));
    assert_eq!(update.error_rate.unwrap().as_f64(), Some(17.5));
    assert_eq!(update.threshold.unwrap().as_u64(), Some(10));
    let errors = update.errors.unwrap();
    assert_eq!(errors[0].error_type.as_deref(), Some("TIMEOUT"));
    assert_eq!(errors[0].error_count, Some(5));

    let (update, _) = fixture("flows_client_error_rate")
        .flow_updates()
        .next()
        .unwrap();
    assert_eq!(update.event, Some(FlowEvent::ClientErrorRate));
    // `75.0` is `75`, as JavaScript writes it.
    assert_eq!(
        serde_json::to_string(&update.errors.unwrap()[0].error_rate).unwrap(),
        "75"
    );

    let (update, _) = fixture("flows_endpoint_latency")
        .flow_updates()
        .next()
        .unwrap();
    assert_eq!(update.p90_latency, Some(7650));
    assert_eq!(update.p50_latency, Some(820));
    assert_eq!(update.requests_count, Some(52));

    let (update, _) = fixture("flows_endpoint_availability")
        .flow_updates()
        .next()
        .unwrap();
    assert_eq!(update.alert_state, Some(AlertState::Deactivated));
    assert_eq!(update.availability.unwrap().as_u64(), Some(98));

    let (update, _) = fixture("flows_version_expiry_warning")
        .flow_updates()
        .next()
        .unwrap();
    assert_eq!(update.event, Some(FlowEvent::FlowVersionExpiryWarning));
    assert_eq!(update.flow_id.as_deref(), Some("1093847562019283"));
}

#[test]
fn user_preferences_and_automatic_events() {
    let webhook = fixture("user_preferences_marketing_stop_resume");
    let values: Vec<_> = webhook
        .user_preferences()
        .map(|(preference, _)| preference.value.unwrap())
        .collect();
    assert_eq!(values, [PreferenceValue::Stop, PreferenceValue::Resume]);
    let item = webhook.events().next().unwrap();
    let Event::UserPreferences(update) = &item.event else {
        panic!()
    };
    assert_eq!(
        update.contacts.as_ref().unwrap()[0].name(),
        Some("Rohan Mehta")
    );
    // The change's normalized contacts are reachable too.
    assert_eq!(item.change().contacts()[0].name(), Some("Rohan Mehta"));
    assert_eq!(
        update.metadata.as_ref().unwrap().phone_number_id.as_deref(),
        Some("109283746550123")
    );

    let webhook = fixture("user_preferences_signup_bsuid");
    let (preference, _) = webhook.user_preferences().next().unwrap();
    assert_eq!(preference.value, Some(PreferenceValue::Signup));
    assert_eq!(preference.signup_id.as_deref(), Some("4455667788990011"));
    assert_eq!(
        preference.identity().preferred_id(),
        Some("US.13491208655302741918")
    );

    let webhook = fixture("automatic_events_purchase_lead");
    let events: Vec<_> = webhook.automatic_events().map(|(e, _)| e).collect();
    assert_eq!(
        events[0].event_name,
        Some(AutomaticEventName::LeadSubmitted)
    );
    assert_eq!(events[0].custom_data, None);
    assert_eq!(events[1].event_name, Some(AutomaticEventName::Purchase));
    assert_eq!(
        events[1].timestamp.as_ref().unwrap().to_unix_seconds(),
        Some(1732011900)
    );
    let data = events[1].custom_data.as_ref().unwrap();
    assert_eq!(data.currency.as_deref(), Some("INR"));
    assert_eq!(data.value.as_ref().unwrap().as_u64(), Some(2499));
}

#[test]
fn history_and_state_sync() {
    let webhook = fixture("history_threads");
    let (update, _) = webhook.history_updates().next().unwrap();
    let chunk = &update.history.as_ref().unwrap()[0];
    let meta = chunk.metadata.as_ref().unwrap();
    assert_eq!(
        (meta.phase, meta.chunk_order, meta.progress),
        (Some(1), Some(2), Some(64))
    );
    assert!(!meta.is_complete());
    let threads = chunk.threads.as_ref().unwrap();
    assert_eq!(threads.len(), 2);
    let messages = threads[0].messages.as_ref().unwrap();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[0].status(), Some(&HistoryMessageStatus::Read));
    assert_eq!(
        messages[0].message.text_body(),
        Some("Hi Ana, your vase is ready for pickup.")
    );
    assert_eq!(
        messages[2].message.message_type.as_ref().unwrap().as_str(),
        "media_placeholder"
    );
    assert_eq!(
        threads[1].messages.as_ref().unwrap()[0].status(),
        Some(&HistoryMessageStatus::Played)
    );
    // History threads are not normalized messages.
    assert!(webhook.messages().is_empty());

    let (declined, _) = fixture("history_sharing_declined")
        .history_updates()
        .next()
        .unwrap();
    let errors = declined.history.as_ref().unwrap()[0]
        .errors
        .as_ref()
        .unwrap();
    assert_eq!(errors[0].code, Some(2593109));

    // A media sync carries messages, which are also normalized.
    let webhook = fixture("history_media_sync");
    let item = webhook.events().next().unwrap();
    let Event::History(update) = &item.event else {
        panic!()
    };
    let raw_message = &update.messages.as_ref().unwrap()[0];
    assert_eq!(
        raw_message.media().unwrap().id.as_deref(),
        Some("1928374655647382")
    );
    assert_eq!(raw_message.direction(), None);
    let normalized = &item.change().messages()[0];
    assert_eq!(normalized.id, raw_message.id);
    assert!(normalized.direction().is_some());

    let webhook = fixture("smb_app_state_sync_contacts");
    let (sync, _) = webhook.smb_app_state_syncs().next().unwrap();
    let items = sync.state_sync.unwrap();
    assert_eq!(items[0].action, Some(StateSyncAction::Add));
    assert_eq!(
        items[0].contact.as_ref().unwrap().full_name.as_deref(),
        Some("Oliver Grant")
    );
    assert_eq!(items[1].action, Some(StateSyncAction::Remove));
    assert_eq!(items[1].contact.as_ref().unwrap().full_name, None);
    assert_eq!(
        items[1]
            .metadata
            .as_ref()
            .unwrap()
            .timestamp
            .as_ref()
            .unwrap()
            .to_unix_seconds(),
        Some(1732011022)
    );
}

#[test]
fn group_events() {
    let webhook = fixture("group_lifecycle_update_create");
    let (update, origin) = webhook.group_updates().next().unwrap();
    assert_eq!(origin.field.as_deref(), Some("group_lifecycle_update"));
    let group = &update.groups.as_ref().unwrap()[0];
    assert_eq!(group.event_type, Some(GroupEventType::GroupCreate));
    assert_eq!(group.subject.as_deref(), Some("Glazing class, Tuesday"));
    assert_eq!(
        group.join_approval_mode.as_ref().unwrap().as_str(),
        "approval_required"
    );

    let webhook = fixture("group_lifecycle_update_delete_failed");
    let Event::GroupLifecycleUpdate(update) = only_event(&webhook) else {
        panic!()
    };
    let group = &update.groups.as_ref().unwrap()[0];
    assert_eq!(group.event_type, Some(GroupEventType::GroupDelete));
    assert_eq!(group.errors.as_ref().unwrap()[0].code, Some(131215));

    let webhook = fixture("group_participants_update_join_and_leave");
    let Event::GroupParticipantsUpdate(update) = only_event(&webhook) else {
        panic!()
    };
    let groups = update.groups.as_ref().unwrap();
    assert_eq!(groups[0].reason.as_deref(), Some("invite_link"));
    assert_eq!(
        groups[1].event_type,
        Some(GroupEventType::GroupJoinRequestCreated)
    );
    assert_eq!(groups[1].join_request_id.as_deref(), Some("jr-5521"));
    let removed = &groups[2];
    assert_eq!(
        removed.removed_participants.as_ref().unwrap()[0]
            .wa_id
            .as_deref(),
        Some("919820012345")
    );
    let failed = &removed.failed_participants.as_ref().unwrap()[0];
    assert_eq!(failed.input.as_deref(), Some("15550109999"));
    assert_eq!(failed.errors.as_ref().unwrap()[0].code, Some(131203));
    assert_eq!(removed.initiated_by.as_deref(), Some("business"));

    let webhook = fixture("group_settings_update_partial");
    let Event::GroupSettingsUpdate(update) = only_event(&webhook) else {
        panic!()
    };
    let group = &update.groups.as_ref().unwrap()[0];
    assert_eq!(
        group.group_subject.as_ref().unwrap().update_successful,
        Some(true)
    );
    let description = group.group_description.as_ref().unwrap();
    assert_eq!(description.update_successful, Some(false));
    assert_eq!(description.errors.as_ref().unwrap()[0].code, Some(131009));
    assert_eq!(
        group.profile_picture.as_ref().unwrap().mime_type.as_deref(),
        Some("image/jpeg")
    );

    let webhook = fixture("group_status_update_suspend");
    let Event::GroupStatusUpdate(update) = only_event(&webhook) else {
        panic!()
    };
    let kinds: Vec<_> = update
        .groups
        .as_ref()
        .unwrap()
        .iter()
        .map(|g| g.event_type.clone().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            GroupEventType::GroupSuspend,
            GroupEventType::GroupSuspendCleared
        ]
    );
}

#[test]
fn message_bearing_fields_point_at_their_items() {
    let webhook = fixture("message_text");
    let Event::Messages(change) = only_event(&webhook) else {
        panic!()
    };
    assert_eq!(change.messages(), webhook.messages());
    assert_eq!(change.contacts(), webhook.contacts());

    let webhook = fixture("call_connect_user_initiated");
    let Event::Calls(change) = only_event(&webhook) else {
        panic!()
    };
    assert_eq!(change.calls(), webhook.calls());

    let webhook = fixture("echo_smb_message_echoes_text");
    let Event::SmbMessageEchoes(change) = only_event(&webhook) else {
        panic!()
    };
    assert!(change.messages()[0].is_echo());
}

#[test]
fn events_are_empty_after_deserialize() {
    // Like `changes()`, events are known only for a webhook normalized from a body.
    let webhook = fixture("account_alerts");
    let json = serde_json::to_string(&webhook).unwrap();
    let back: NormalizedWebhook = serde_json::from_str(&json).unwrap();
    assert_eq!(back.events().count(), 0);
    assert_eq!(webhook.events().count(), 1);
}

#[test]
fn wrong_types_stay_in_extra_and_are_reported() {
    let body = json!({"entry": [{"id": "214736902158834", "changes": [{"field": "flows", "value": {
        "event": "ENDPOINT_LATENCY", "flow_id": 1093847562019283_u64, "p90_latency": "slow",
        "errors": [{"error_type": "TIMEOUT", "error_count": 1.5}], "alert_state": null
    }}]}]});
    let webhook = normalize_webhook(body.to_string().as_bytes()).unwrap();
    let Event::Flows(update) = only_event(&webhook) else {
        panic!()
    };
    assert_eq!(update.event, Some(FlowEvent::EndpointLatency));
    assert_eq!(update.flow_id, None);
    assert_eq!(update.p90_latency, None);
    let mut keys = update.unknown_keys();
    keys.sort();
    // `alertState: null` is a known key sent as null: absent, not unknown.
    assert_eq!(keys, ["errors[0].errorCount", "flowId", "p90Latency"]);
    // Nothing is lost.
    assert_eq!(
        &serde_json::to_value(&update).unwrap(),
        webhook.raw().get("flows").unwrap().first().unwrap()
    );
}

/// The open-enum policy: a known value always parses to its own variant, and only parsing
/// builds the `Other` case, so a known value cannot hide in it. Equality and hashing follow.
#[test]
fn open_enums_never_hide_a_known_value_in_other() {
    use kapso_webhooks::meta::event::template::TemplateEvent;
    use kapso_webhooks::{KapsoEventName, MessageType, StatusKind, UnknownValue};
    use std::collections::HashSet;
    use std::str::FromStr;

    // Every way to build one from a string gives the variant.
    assert_eq!(MessageType::from("text"), MessageType::Text);
    assert_eq!(MessageType::from("text".to_owned()), MessageType::Text);
    assert_eq!(MessageType::from_str("text").unwrap(), MessageType::Text);
    assert_eq!(
        serde_json::from_str::<MessageType>(r#""text""#).unwrap(),
        MessageType::Text
    );
    assert!(!MessageType::from("text").is_other());
    // Unknown values are kept, and compare and hash by their text.
    let hologram = MessageType::from("hologram");
    assert!(hologram.is_other());
    assert_eq!(hologram.as_str(), "hologram");
    assert_eq!(hologram, MessageType::from("hologram".to_owned()));
    let MessageType::Other(value) = &hologram else {
        panic!("{hologram:?}")
    };
    let value: &UnknownValue = value;
    assert_eq!(value.as_str(), "hologram");
    assert_eq!(value.to_string(), "hologram");
    assert_eq!(format!("{value:?}"), r#""hologram""#);
    let set: HashSet<MessageType> = ["text", "hologram", "text", "hologram"]
        .into_iter()
        .map(MessageType::from)
        .collect();
    assert_eq!(set.len(), 2);
    // The same for every open enum: each known value round-trips through its variant.
    for known in ["sent", "delivered", "read", "failed"] {
        assert!(!StatusKind::from(known).is_other(), "{known}");
    }
    assert!(!KapsoEventName::from("whatsapp.message.read").is_other());
    assert!(!TemplateEvent::from("APPROVED").is_other());
    assert_eq!(
        serde_json::to_string(&KapsoEventName::from("whatsapp.order.refunded")).unwrap(),
        r#""whatsapp.order.refunded""#
    );
}

/// The message-bearing fixtures about users known by business-scoped user IDs: their contacts,
/// messages and statuses type with nothing left in `extra`.
#[test]
fn bsuid_fixtures_type_with_nothing_left_over() {
    for name in [
        "bsuid_contact_username_no_wa_id",
        "bsuid_message_username",
        "bsuid_status_parent_recipient_user_id",
        "bsuid_status_recipient_user_id",
        "bsuid_text_from_user_id_no_from",
        "bsuid_text_phone_and_user_id",
        "message_system_user_changed_number_bsuid",
        "message_system_user_changed_user_id",
        "user_id_update_in_messages_value",
    ] {
        let webhook = fixture(name);
        let mut left = Vec::new();
        for contact in webhook.contacts() {
            left.extend(contact.unknown_keys());
        }
        for message in webhook.messages() {
            left.extend(message.unknown_keys());
        }
        for status in webhook.statuses() {
            left.extend(status.unknown_keys());
        }
        for (update, _) in webhook.user_id_updates() {
            left.extend(update.unknown_keys());
        }
        assert!(left.is_empty(), "{name}: left in extra: {left:?}");
    }
}

#[test]
fn user_id_update_field() {
    let webhook = fixture("user_id_update");
    let Event::UserIdUpdate(value) = only_event(&webhook) else {
        panic!("expected a user_id_update event")
    };
    assert!(value.unknown_keys().is_empty());
    assert_eq!(value.contacts.as_ref().unwrap().len(), 2);
    let items = value.user_id_update.as_ref().unwrap();
    assert_eq!(items.len(), 2);

    let ana = &items[0];
    assert_eq!(ana.to_datetime().unwrap().timestamp(), 1_732_005_100);
    let (before, after) = (ana.previous(), ana.current());
    assert_eq!(before.phone_number, Some("15550104321"));
    assert_eq!(before.user_id, Some("US.40918273645501928374"));
    assert_eq!(before.parent_user_id, Some("US.ENT.60192837465019283746"));
    assert_eq!(after.phone_number, Some("15550104321"));
    assert_eq!(after.user_id, Some("US.58203948571620394857"));
    assert_eq!(after.parent_user_id, Some("US.ENT.71029384756102938475"));
    assert!(before.is_same_user(&after), "same phone number");

    // Known only by BSUID: no phone number, no parent BSUID.
    let tomas = &items[1];
    assert_eq!(tomas.wa_id, None);
    assert_eq!(tomas.previous().phone_number, None);
    assert_eq!(
        tomas.previous().preferred_id(),
        Some("MX.20394857610293847560")
    );
    assert_eq!(
        tomas.current().preferred_id(),
        Some("MX.77310482956120384751")
    );
    assert_eq!(tomas.current().parent_user_id, None);
    assert!(!tomas.previous().is_same_user(&tomas.current()));

    // The same items through the accessors.
    let updates: Vec<_> = webhook.user_id_updates().map(|(u, _)| u).collect();
    assert_eq!(&updates, items);
    let changes: Vec<_> = webhook.user_id_changes().collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[1].previous, tomas.previous());
    assert_eq!(changes[1].current, tomas.current());
    assert!(changes[1].message.is_none());
    assert_eq!(changes[1].origin.field.as_deref(), Some("user_id_update"));
}

#[test]
fn user_id_update_inside_a_messages_value() {
    let webhook = fixture("user_id_update_in_messages_value");
    assert!(matches!(only_event(&webhook), Event::Messages(_)));
    let (update, origin) = webhook.user_id_updates().next().unwrap();
    assert_eq!(origin.field.as_deref(), Some("messages"));
    // A numeric timestamp is read too.
    assert_eq!(update.to_datetime().unwrap().timestamp(), 1_732_005_300);
    let change = webhook.user_id_changes().next().unwrap();
    assert_eq!(change.previous.user_id, Some("BR.30571948263015748291"));
    assert_eq!(change.current.user_id, Some("BR.61820394857162039485"));
    assert_eq!(
        change.current.parent_user_id,
        Some("BR.ENT.27384950617283940516")
    );
    assert_eq!(change.current.phone_number, None);
    // The change's contact is the user after the change.
    assert!(webhook.contacts()[0]
        .identity()
        .is_same_user(&change.current));
    assert_eq!(webhook.contacts()[0].identity().username, Some("@bea.lima"));
}

#[test]
fn business_username_updates_both_spellings_and_shapes() {
    use kapso_webhooks::meta::event::business_username::BusinessUsernameStatus;

    let webhook = fixture("business_username_updates_approved");
    let item = webhook.events().next().unwrap();
    let Event::BusinessUsernameUpdates(update) = &item.event else {
        panic!("expected a business username event")
    };
    assert!(update.unknown_keys().is_empty());
    assert_eq!(update.status, Some(BusinessUsernameStatus::Approved));
    assert_eq!(update.username.as_deref(), Some("harbor_tea"));
    assert_eq!(update.display_phone_number.as_deref(), Some("15550001111"));
    assert_eq!(
        item.time().and_then(|t| t.to_unix_seconds()),
        Some(1_732_005_400)
    );

    let (deleted, _) = fixture("business_username_updates_deleted")
        .business_username_updates()
        .next()
        .unwrap();
    assert_eq!(deleted.status, Some(BusinessUsernameStatus::Deleted));
    assert_eq!(deleted.username, None);

    // The singular spelling, with `event` and `previous_username`: the same variant.
    let webhook = fixture("business_username_update_event_previous");
    let Event::BusinessUsernameUpdates(update) = only_event(&webhook) else {
        panic!("expected a business username event")
    };
    assert!(update.unknown_keys().is_empty());
    assert_eq!(update.event.as_deref(), Some("updated"));
    assert_eq!(update.previous_username.as_deref(), Some("harbor_tea"));
    assert_eq!(update.username.as_deref(), Some("harbor.tea.house"));
    assert_eq!(update.status, None);
    assert_eq!(
        webhook
            .business_username_updates()
            .next()
            .unwrap()
            .1
            .field
            .as_deref(),
        Some("business_username_update")
    );
}

#[test]
fn usernames_on_contacts_and_messages() {
    let webhook = fixture("bsuid_message_username");
    let contacts = webhook.contacts();
    let ana = contacts[0].identity();
    assert_eq!(ana.phone_number, Some("15550104321"));
    assert_eq!(ana.user_id, Some("US.58203948571620394857"));
    assert_eq!(ana.parent_user_id, Some("US.ENT.71029384756102938475"));
    // As sent: without a leading `@` here, with one below.
    assert_eq!(ana.username, Some("ana.ruiz"));
    let tomas = contacts[1].identity();
    assert_eq!(tomas.phone_number, None);
    assert_eq!(tomas.parent_user_id, None);
    assert_eq!(tomas.username, Some("@tomas.vidal"));

    let messages = webhook.messages();
    // Meta's shape: the username is only on the contact; the webhook's view adds it.
    let sender = messages[0].sender();
    assert_eq!(sender.username, None);
    assert!(sender.is_same_user(&ana));
    let full = webhook.sender(&messages[0]);
    assert_eq!(full.username, Some("ana.ruiz"));
    assert_eq!(full.user_id, sender.user_id);
    // A message's own username wins over its contact's.
    assert_eq!(webhook.sender(&messages[1]).username, Some("@tomas.vidal"));
    assert_eq!(sender.parent_user_id, Some("US.ENT.71029384756102938475"));
    // A username on the message itself is typed and fills the sender.
    let sender = messages[1].sender();
    assert_eq!(messages[1].username.as_deref(), Some("@tomas.vidal"));
    assert_eq!(sender.phone_number, None);
    assert_eq!(sender.user_id, Some("MX.77310482956120384751"));
    assert_eq!(sender.username, Some("@tomas.vidal"));
    assert_eq!(sender.preferred_id(), Some("MX.77310482956120384751"));

    // The serialized message keeps `username` where it was.
    let json = serde_json::to_value(&webhook).unwrap();
    assert_eq!(json["messages"][1]["username"], "@tomas.vidal");
}

#[test]
fn status_recipient_parent_bsuid_under_each_name() {
    let webhook = fixture("bsuid_status_parent_recipient_user_id");
    let statuses = webhook.statuses();
    // `parent_recipient_user_id`, with a phone number.
    assert_eq!(
        statuses[0].parent_recipient_user_id.as_deref(),
        Some("US.ENT.71029384756102938475")
    );
    let recipient = statuses[0].recipient();
    assert_eq!(recipient.phone_number, Some("15550104321"));
    assert_eq!(recipient.user_id, Some("US.58203948571620394857"));
    assert_eq!(
        recipient.parent_user_id,
        Some("US.ENT.71029384756102938475")
    );
    // `parent_user_id`, sent to a BSUID: no phone number.
    assert_eq!(
        statuses[1].parent_user_id.as_deref(),
        Some("MX.ENT.38475610293847561029")
    );
    let recipient = statuses[1].recipient();
    assert_eq!(recipient.phone_number, None);
    assert_eq!(recipient.user_id, Some("MX.77310482956120384751"));
    assert_eq!(
        recipient.parent_user_id,
        Some("MX.ENT.38475610293847561029")
    );
    assert!(recipient.is_same_user(&webhook.contacts()[1].identity()));
    // `recipient_parent_user_id`.
    let webhook = fixture("bsuid_status_recipient_user_id");
    let recipient = webhook.statuses()[0].recipient();
    assert_eq!(recipient.phone_number, None);
    assert_eq!(
        recipient.parent_user_id,
        Some("BR.ENT.90817263544536271809")
    );
}

#[test]
fn following_a_user_across_identity_changes() {
    use std::collections::HashMap;

    // What an application keeps: a name per user, keyed by the preferred ID.
    let mut names: HashMap<String, String> = HashMap::new();
    let first = fixture("bsuid_contact_username_no_wa_id");
    let contact = first.contacts()[0].identity();
    names.insert(
        contact.preferred_id().unwrap().to_owned(),
        "Beatriz".to_owned(),
    );

    // Her BSUID changes (reported by a system message): move the entry.
    let webhook = fixture("message_system_user_changed_user_id");
    let changes: Vec<_> = webhook.user_id_changes().collect();
    assert_eq!(changes.len(), 1);
    let change = changes[0];
    assert!(change.message.is_some());
    assert!(change.previous.is_same_user(&contact));
    assert_eq!(change.previous.phone_number, None);
    assert_eq!(
        change.previous.parent_user_id,
        Some("BR.ENT.90817263544536271809")
    );
    assert_eq!(
        change.current.parent_user_id,
        Some("BR.ENT.27384950617283940516")
    );
    let name = names
        .remove(change.previous.preferred_id().unwrap())
        .unwrap();
    names.insert(change.current.preferred_id().unwrap().to_owned(), name);

    // Her next message arrives under the new BSUID and finds her.
    let later = fixture("user_id_update_in_messages_value");
    let now = later.contacts()[0].identity();
    assert_eq!(
        names.get(now.preferred_id().unwrap()).map(String::as_str),
        Some("Beatriz")
    );

    // A number change that also carries the BSUIDs: phone and BSUID both move.
    let webhook = fixture("message_system_user_changed_number_bsuid");
    let change = webhook.user_id_changes().next().unwrap();
    assert_eq!(change.previous.phone_number, Some("15550104321"));
    assert_eq!(change.current.phone_number, Some("15550107788"));
    assert_eq!(change.previous.user_id, Some("US.58203948571620394857"));
    assert_eq!(change.current.user_id, Some("US.93018274650192837465"));
    // The parent BSUID did not change: it still links the two.
    assert!(change.previous.is_same_user(&change.current));

    // An older number change without BSUIDs: only the phone number moves.
    let webhook = fixture("message_system_user_changed_number");
    let change = webhook.user_id_changes().next().unwrap();
    assert_eq!(change.previous.phone_number, Some("919820012345"));
    assert_eq!(change.current.phone_number, Some("919833398765"));
    assert_eq!(change.current.user_id, None);

    // Other system messages are not identity changes.
    assert_eq!(
        fixture("message_system_customer_identity_changed")
            .user_id_changes()
            .count(),
        0
    );
}
