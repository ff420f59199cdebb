//! The snake_case keys Meta sends, camelCased ahead of time.
//!
//! Most keys of a Meta webhook with a `_` are the same few hundred names (`wa_id`,
//! `phone_number_id`, …). [`camel_of`] finds such a key in a table built once, and gives its
//! camelCased form and that form's hash without rewriting the key byte by byte. Any other key
//! is camelCased as usual: the table only saves work, and never changes a result (a unit test
//! checks every entry against [`crate::camel_key`]).

use std::sync::LazyLock;

use crate::json::camel::{camel_key, key_hash};

/// Keys with a `_` that Meta's webhooks use: the snake_case forms of the typed fields, the
/// webhook fields Meta documents (keys of `raw`), and the other keys of the recorded payloads.
/// Each camelCases to a form without `_` or `-`, so one camelCase pass or two give the same.
const KEYS: &[&str] = &[
    "account_alerts",
    "account_review_update",
    "account_settings_update",
    "account_update",
    "ad_account_linked",
    "added_participants",
    "alert_description",
    "alert_info",
    "alert_severity",
    "alert_state",
    "alert_status",
    "alert_type",
    "auth_international_rate_eligibility",
    "automatic_events",
    "ban_info",
    "biz_opaque_callback_data",
    "business_capability_update",
    "business_id",
    "business_status_update",
    "business_username_update",
    "business_username_updates",
    "business_verification_info",
    "button_reply",
    "byte_size",
    "call_hours",
    "call_icon_visibility",
    "call_id",
    "call_permission_reply",
    "call_recording",
    "call_transcript",
    "callback_permission_status",
    "catalog_id",
    "category_update_timestamp",
    "chunk_order",
    "client_business_id",
    "close_time",
    "configuration_name",
    "content_type",
    "correct_category",
    "country_code",
    "created_at",
    "created_timestamp",
    "ctwa_clid",
    "current_limit",
    "custom_data",
    "day_of_week",
    "disable_date",
    "disable_info",
    "disconnection_info",
    "display_phone_number",
    "effective_month",
    "end_time",
    "entity_id",
    "entity_type",
    "error_count",
    "error_data",
    "error_rate",
    "error_type",
    "event_name",
    "exception_countries",
    "expiration_timestamp",
    "failed_participants",
    "first_name",
    "flow_id",
    "flow_name",
    "flow_response",
    "flow_token",
    "formatted_name",
    "frequently_forwarded",
    "from_logical_id",
    "from_parent_user_id",
    "from_user_id",
    "full_name",
    "group_description",
    "group_id",
    "group_lifecycle_update",
    "group_participants_update",
    "group_settings_update",
    "group_status_update",
    "group_subject",
    "has_media",
    "history_context",
    "holiday_schedule",
    "identity_key_hash",
    "image_url",
    "initiated_by",
    "invite_link",
    "is_permanent",
    "item_price",
    "join_approval_mode",
    "join_request_id",
    "last_name",
    "list_reply",
    "max_daily_conversation_per_phone",
    "max_daily_conversations_per_business",
    "max_phone_numbers_per_business",
    "max_phone_numbers_per_waba",
    "media_data",
    "media_type",
    "media_url",
    "message_echoes",
    "message_id",
    "message_template_button_phone_number",
    "message_template_button_text",
    "message_template_button_type",
    "message_template_button_url",
    "message_template_buttons",
    "message_template_category",
    "message_template_components_update",
    "message_template_element",
    "message_template_footer",
    "message_template_id",
    "message_template_language",
    "message_template_name",
    "message_template_quality_update",
    "message_template_status_update",
    "message_template_title",
    "message_type_data",
    "messaging_handovers",
    "messaging_product",
    "middle_name",
    "mime_type",
    "new_category",
    "new_quality_score",
    "new_status",
    "new_user_id",
    "new_wa_id",
    "nfm_reply",
    "old_limit",
    "old_status",
    "open_time",
    "order_text",
    "original_message_id",
    "other_info",
    "owner_business_id",
    "p50_latency",
    "p90_latency",
    "parent_recipient_user_id",
    "parent_user_id",
    "partner_app_id",
    "partner_client_certification_info",
    "partner_solutions",
    "payment_configuration_update",
    "phone_number",
    "phone_number_id",
    "phone_number_name_update",
    "phone_number_quality_update",
    "phone_number_settings",
    "previous_category",
    "previous_parent_user_id",
    "previous_quality_score",
    "previous_user_id",
    "previous_username",
    "pricing_category",
    "pricing_model",
    "processing_status",
    "product_items",
    "product_retailer_id",
    "profile_picture",
    "provider_mid",
    "provider_name",
    "recipient_id",
    "recipient_parent_user_id",
    "recipient_participant_id",
    "recipient_participant_parent_user_id",
    "recipient_participant_user_id",
    "recipient_type",
    "recipient_user_id",
    "referred_product",
    "rejection_info",
    "rejection_reason",
    "rejection_reasons",
    "removed_participants",
    "request_id",
    "requested_verified_name",
    "requests_count",
    "response_json",
    "response_source",
    "restriction_info",
    "restriction_type",
    "sdp_type",
    "signup_id",
    "sip_user_password",
    "smb_app_state_sync",
    "smb_message_echoes",
    "solution_id",
    "solution_partner_business_ids",
    "solution_status",
    "some_future_type",
    "source_id",
    "source_type",
    "source_url",
    "start_time",
    "state_sync",
    "template_category_update",
    "thumbnail_url",
    "tier_update_time",
    "timezone_id",
    "to_parent_user_id",
    "to_user_id",
    "tracking_events",
    "update_successful",
    "updated_timestamp",
    "user_id",
    "user_id_update",
    "user_preferences",
    "verification_status",
    "video_url",
    "violation_info",
    "violation_type",
    "volume_tier_info",
    "wa_id",
    "waba_ban_date",
    "waba_ban_state",
    "waba_id",
    "waba_info",
    "weekly_operating_hours",
    "welcome_message",
];

/// One key of the table.
struct Known {
    /// The hash of the key as sent.
    raw_hash: u64,
    raw: &'static str,
    camel: Box<str>,
    /// The hash of `camel`.
    camel_hash: u64,
}

/// An open-addressing table of [`KEYS`], indexed by the top bits of their hashes.
struct Table {
    slots: Vec<Option<Known>>,
    /// `64 - log2(slots.len())`.
    shift: u32,
}

/// Slots in the table: a power of two, at least four times the keys, so probes are short.
const SLOT_BITS: u32 = 10;

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut table = Table {
        slots: std::iter::repeat_with(|| None)
            .take(1 << SLOT_BITS)
            .collect(),
        shift: 64 - SLOT_BITS,
    };
    for &raw in KEYS {
        let camel = camel_key(raw);
        if camel.contains(['_', '-']) {
            // One pass and two would differ: leave the key to the general path.
            continue;
        }
        table.insert(Known {
            raw_hash: key_hash(raw.as_bytes()),
            raw,
            camel_hash: key_hash(camel.as_bytes()),
            camel: camel.into(),
        });
    }
    table
});

impl Table {
    fn start(&self, raw_hash: u64) -> usize {
        usize::try_from(raw_hash >> self.shift).unwrap_or_default()
    }

    fn insert(&mut self, known: Known) {
        let len = self.slots.len();
        let start = self.start(known.raw_hash);
        for probe in 0..len {
            if let Some(slot @ None) = self.slots.get_mut((start + probe) % len) {
                *slot = Some(known);
                return;
            }
        }
    }

    fn find(&self, raw_hash: u64, raw: &str) -> Option<&Known> {
        let len = self.slots.len();
        // A power of two: a mask, not a division, wraps around.
        let mask = len.saturating_sub(1);
        let start = self.start(raw_hash);
        for probe in 0..len {
            match self.slots.get((start + probe) & mask)? {
                None => return None,
                Some(known) if known.raw_hash == raw_hash && same_text(known.raw, raw) => {
                    return Some(known)
                }
                Some(_) => {}
            }
        }
        None
    }
}

/// Whether two keys are the same: for the usual lengths, two words each (they may overlap)
/// rather than a call to `memcmp`.
#[inline]
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let word = |bytes: &[u8], at: usize| {
        u64::from_le_bytes(
            bytes
                .get(at..at + 8)
                .and_then(|w| w.try_into().ok())
                .unwrap_or_default(),
        )
    };
    match a.len() {
        len if len != b.len() => false,
        len @ 8..=16 => word(a, 0) == word(b, 0) && word(a, len - 8) == word(b, len - 8),
        _ => a == b,
    }
}

/// The camelCased form of `raw` and that form's [`key_hash`], when `raw` is one of the common
/// keys; `raw_hash` is `key_hash(raw)`. The form is the same after one camelCase pass or more.
pub(crate) fn camel_of(raw_hash: u64, raw: &str) -> Option<(&'static str, u64)> {
    let known = TABLE.find(raw_hash, raw)?;
    Some((&known.camel, known.camel_hash))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::camel::{camel_field_written, camel_key_levels};

    #[test]
    fn every_key_is_in_the_table_with_its_camel_case_form() {
        for &raw in KEYS {
            let found = camel_of(key_hash(raw.as_bytes()), raw);
            let camel = camel_key(raw);
            assert_eq!(found, Some((&*camel, key_hash(camel.as_bytes()))), "{raw}");
            assert_eq!(camel_key_levels(raw, 2), camel, "{raw}");
            // A field name camelCases the same way (`raw`'s field names are looked up here too).
            assert_eq!(camel_field_written(raw), camel, "{raw}");
        }
    }

    #[test]
    fn keys_compare_as_their_bytes() {
        // Every length around the two-word comparison, a difference at every place.
        for len in 0..=24 {
            let key: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            assert!(same_text(&key, &key.clone()), "{key}");
            assert!(!same_text(&key, &format!("{key}x")), "{key}");
            for at in 0..len {
                let mut other = key.clone().into_bytes();
                other[at] = b'_';
                let other = String::from_utf8(other).unwrap();
                assert!(!same_text(&key, &other), "{key} {other}");
            }
        }
    }

    #[test]
    fn other_keys_are_not_found() {
        for raw in ["wa-id", "waId", "wa__id", "wa_idx", "", "_wa_id", "WA_ID"] {
            assert_eq!(camel_of(key_hash(raw.as_bytes()), raw), None, "{raw}");
        }
        // A wrong hash finds nothing either: the hash only picks where to look.
        assert_eq!(camel_of(0, "wa_id").map(|(camel, _)| camel), None);
    }

    #[test]
    fn keys_are_sorted_unique_and_all_have_an_underscore() {
        assert!(KEYS.windows(2).all(|pair| matches!(pair, [a, b] if a < b)));
        assert!(KEYS.iter().all(|key| key.contains('_')));
        assert!(KEYS.len() * 4 <= 1 << SLOT_BITS);
    }
}
