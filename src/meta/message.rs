//! Messages: every type Meta documents, inbound and outbound (echoes), with the `kapso` extension.
//!
//! A [`Message`] is one item of a `messages` or `message_echoes` list, camelCased. Every field is
//! optional: above all `from` — a user may arrive with only a business-scoped user ID
//! (`fromUserId`). Use [`Message::sender`] to get whichever identity is present.

mod kapso;

pub use kapso::{
    Direction, Kapso, KapsoMedia, KapsoStatus, MediaData, MessageOrigin, ProcessingStatus,
    Transcript, ECHO_SOURCE,
};

use chrono::{DateTime, Utc};
use compact_str::CompactString;

use crate::identity::UserIdentity;
use crate::json::wire::{open_enum, wire_struct};
use crate::numeric::Numeric;
use crate::timestamp::Timestamp;

open_enum! {
    /// The `type` of a message.
    ///
    /// ```
    /// use kapso_webhooks::MessageType;
    /// assert_eq!(MessageType::from("image"), MessageType::Image);
    /// assert_eq!(MessageType::from("hologram").as_str(), "hologram");
    /// ```
    pub enum MessageType {
        /// Plain text (`text`).
        Text = "text",
        /// An image (`image`).
        Image = "image",
        /// An audio file or voice note (`audio`).
        Audio = "audio",
        /// A video (`video`).
        Video = "video",
        /// A document (`document`).
        Document = "document",
        /// A sticker (`sticker`).
        Sticker = "sticker",
        /// A location pin (`location`).
        Location = "location",
        /// Shared contact cards (`contacts`).
        Contacts = "contacts",
        /// A reply to an interactive message (`interactive`).
        Interactive = "interactive",
        /// A template quick-reply button press (`button`).
        Button = "button",
        /// An order from a catalog (`order`).
        Order = "order",
        /// A reaction to a message (`reaction`).
        Reaction = "reaction",
        /// A system notice, such as a changed number (`system`).
        System = "system",
        /// The user opened the chat for the first time (`request_welcome`).
        RequestWelcome = "request_welcome",
        /// A message type the Cloud API does not support (`unsupported`).
        Unsupported = "unsupported",
        /// An unknown message (`unknown`, older API versions).
        Unknown = "unknown",
        /// An edit of an earlier message (`edit`).
        Edit = "edit",
        /// A deletion of an earlier message (`revoke`).
        Revoke = "revoke",
        /// A sent template (`template`, in echoes and Kapso events).
        Template = "template",
        /// Ephemeral content (`ephemeral`).
        Ephemeral = "ephemeral",
    }
}

wire_struct! {
    /// One message, inbound or outbound (an echo of what the business sent from the WhatsApp
    /// Business app), camelCased. The content lives in the field named like its type.
    ///
    /// ```
    /// use kapso_webhooks::{normalize_webhook, Direction, MessageType};
    /// let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages",
    ///   "value":{"metadata":{"phone_number_id":"111","display_phone_number":"15550001111"},
    ///   "messages":[{"from":"15551234567","id":"wamid.A","timestamp":"1732000000","type":"text","text":{"body":"Hi"}}]}}]}]}"#;
    /// let webhook = normalize_webhook(body).unwrap();
    /// let message = &webhook.messages()[0];
    /// assert_eq!(message.message_type, Some(MessageType::Text));
    /// assert_eq!(message.text_body(), Some("Hi"));
    /// assert_eq!(message.direction(), Some(&Direction::Inbound));
    /// assert_eq!(message.sender().phone_number, Some("15551234567"));
    /// assert_eq!(message.to_datetime().unwrap().timestamp(), 1_732_000_000);
    /// ```
    pub struct Message {
        /// The sender's phone number. Absent for users known only by a business-scoped user ID.
        from: CompactString = "from",
        /// The sender's business-scoped user ID (BSUID).
        from_user_id: CompactString = "fromUserId",
        /// The sender's parent business-scoped user ID (shared across a business portfolio).
        from_parent_user_id: CompactString = "fromParentUserId",
        /// The sender's WhatsApp username (Kapso's message payloads; Meta sends it in the
        /// contact's profile).
        username: CompactString = "username",
        /// The sender's logical ID (group and multi-device contexts).
        from_logical_id: CompactString = "fromLogicalId",
        /// The recipient's phone number (echoes of outbound messages).
        to: CompactString = "to",
        /// The recipient's business-scoped user ID (echoes).
        to_user_id: CompactString = "toUserId",
        /// The recipient's parent business-scoped user ID (echoes).
        to_parent_user_id: CompactString = "toParentUserId",
        /// The group the message was sent in.
        group_id: CompactString = "groupId",
        /// The message ID (`wamid.…`).
        id: CompactString = "id",
        /// When the message was sent (Unix seconds, as sent).
        timestamp: Timestamp = "timestamp",
        /// The message type.
        message_type: MessageType = "type",
        /// What this message replies to or was forwarded from.
        context: Box<Context> = "context",
        /// The ad or post that led the user here (click-to-WhatsApp).
        referral: Box<Referral> = "referral",
        /// Errors, for `unsupported`/`unknown` messages.
        errors: Vec<ApiError> = "errors",
        /// Text content.
        text: Box<Text> = "text",
        /// Image content.
        image: Box<Media> = "image",
        /// Audio content (voice notes have `voice: true`).
        audio: Box<Media> = "audio",
        /// Video content.
        video: Box<Media> = "video",
        /// Document content.
        document: Box<Media> = "document",
        /// Sticker content.
        sticker: Box<Media> = "sticker",
        /// A location pin.
        location: Box<Location> = "location",
        /// Shared contact cards.
        contacts: Vec<SharedContact> = "contacts",
        /// A reply to an interactive message.
        interactive: Box<Interactive> = "interactive",
        /// A template quick-reply button press.
        button: Box<Button> = "button",
        /// An order.
        order: Box<Order> = "order",
        /// A reaction.
        reaction: Box<Reaction> = "reaction",
        /// A system notice.
        system: Box<System> = "system",
        /// A security-code (identity) change notice.
        identity: Box<IdentityChange> = "identity",
        /// Details of an unsupported message.
        unsupported: Box<Unsupported> = "unsupported",
        /// An edit of an earlier message.
        edit: Box<Edit> = "edit",
        /// A deletion of an earlier message.
        revoke: Box<Revoke> = "revoke",
        /// The template sent (outbound template messages, as Kapso's message events show them).
        template: Box<SentTemplate> = "template",
        /// Kapso's extension: direction, echo source, order text and flow response.
        kapso: Box<Kapso> = "kapso",
    }
}

wire_struct! {
    /// A template message as sent: its name, its language and the components filled in.
    ///
    /// ```
    /// let message: kapso_webhooks::Message = serde_json::from_str(
    ///     r#"{"type":"template","template":{"name":"order_confirmation","language":{"code":"en_US"},"components":[]}}"#,
    /// )?;
    /// let template = message.template.as_ref().unwrap();
    /// assert_eq!(template.name.as_deref(), Some("order_confirmation"));
    /// assert_eq!(template.language.as_ref().and_then(|l| l.code.as_deref()), Some("en_US"));
    /// assert_eq!(template.components.as_deref(), Some(&[][..]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct SentTemplate {
        /// The template's name.
        name: CompactString = "name",
        /// Its language.
        language: TemplateLanguage = "language",
        /// The components with their parameters, as sent (JSON: their shape is the template's).
        components: Vec<crate::raw_json::RawJson> = "components",
    }
}

wire_struct! {
    /// The language of a sent template.
    ///
    /// ```
    /// let language: kapso_webhooks::meta::message::TemplateLanguage =
    ///     serde_json::from_str(r#"{"code":"pt_BR","policy":"deterministic"}"#)?;
    /// assert_eq!(language.code.as_deref(), Some("pt_BR"));
    /// assert_eq!(language.policy.as_deref(), Some("deterministic"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct TemplateLanguage {
        /// The language code, such as `en_US`.
        code: CompactString = "code",
        /// The language policy (`deterministic`).
        policy: CompactString = "policy",
    }
}

impl Message {
    /// Inbound (from a user) or outbound (sent by the business), as decided by the normalizer.
    ///
    /// `None` when the message carries no clue (no sender at all).
    ///
    /// ```
    /// use kapso_webhooks::Direction;
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{
    ///   "metadata":{"display_phone_number":"15550001111"},
    ///   "messages":[{"from":"15550106060","id":"wamid.I"},{"from":"15550001111","id":"wamid.O"}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert_eq!(webhook.messages()[0].direction(), Some(&Direction::Inbound));
    /// assert_eq!(webhook.messages()[1].direction(), Some(&Direction::Outbound));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn direction(&self) -> Option<&Direction> {
        self.kapso.as_ref()?.direction.as_ref()
    }

    /// Whether this is an echo of a message the business sent (from `message_echoes`).
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"smb_message_echoes","value":{
    ///   "message_echoes":[{"from":"15550001111","to":"15550106060","id":"wamid.E","type":"text","text":{"body":"On my way"}}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// assert!(webhook.messages()[0].is_echo());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_echo(&self) -> bool {
        self.kapso
            .as_ref()
            .and_then(|k| k.source.as_deref())
            .is_some_and(|source| source == crate::meta::message::ECHO_SOURCE)
    }

    /// When the message was sent, as a UTC date-time.
    ///
    /// ```
    /// let message: kapso_webhooks::Message = serde_json::from_str(r#"{"id":"wamid.T","timestamp":"1700000000"}"#)?;
    /// assert_eq!(message.to_datetime().unwrap().to_rfc3339(), "2023-11-14T22:13:20+00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_datetime(&self) -> Option<DateTime<Utc>> {
        self.timestamp.as_ref()?.to_datetime()
    }

    /// Who sent the message: phone number (`from`), business-scoped user IDs (`fromUserId`,
    /// `fromParentUserId`) and username, whichever are present. Meta puts the username in the
    /// change's contact ([`Contact::identity`](crate::Contact::identity)); Kapso on the message.
    ///
    /// ```
    /// let message: kapso_webhooks::Message = serde_json::from_str(
    ///     r#"{"fromUserId":"US.1","fromParentUserId":"US.ENT.1","username":"@ana.ruiz","type":"text"}"#,
    /// ).unwrap();
    /// let sender = message.sender();
    /// assert_eq!(sender.phone_number, None);
    /// assert_eq!(sender.user_id, Some("US.1"));
    /// assert_eq!(sender.username, Some("@ana.ruiz"));
    /// ```
    pub fn sender(&self) -> UserIdentity<'_> {
        UserIdentity::of(
            self.from.as_deref(),
            self.from_user_id.as_deref(),
            self.from_parent_user_id.as_deref(),
            self.username.as_deref(),
        )
    }

    /// Who the message was sent to (set on echoes of outbound messages).
    ///
    /// ```
    /// let echo: kapso_webhooks::Message = serde_json::from_str(r#"{"from":"15550001111","to":"15550107070","id":"wamid.C"}"#)?;
    /// assert_eq!(echo.recipient().phone_number, Some("15550107070"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn recipient(&self) -> UserIdentity<'_> {
        UserIdentity::of(
            self.to.as_deref(),
            self.to_user_id.as_deref(),
            self.to_parent_user_id.as_deref(),
            None,
        )
    }

    /// The text a user typed: `text.body`, a media caption, a button's text, or an interactive
    /// reply's title, whichever this message has.
    ///
    /// ```
    /// let photo: kapso_webhooks::Message = serde_json::from_str(r#"{"type":"image","image":{"id":"M1","caption":"Receipt"}}"#)?;
    /// let reply: kapso_webhooks::Message = serde_json::from_str(
    ///     r#"{"type":"interactive","interactive":{"type":"list_reply","listReply":{"id":"r2","title":"Tomorrow"}}}"#)?;
    /// assert_eq!((photo.text_body(), reply.text_body()), (Some("Receipt"), Some("Tomorrow")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn text_body(&self) -> Option<&str> {
        if let Some(body) = self.text.as_ref().and_then(|t| t.body.as_deref()) {
            return Some(body);
        }
        if let Some(caption) = [&self.image, &self.video, &self.document]
            .into_iter()
            .flatten()
            .find_map(|media| media.caption.as_deref())
        {
            return Some(caption);
        }
        if let Some(text) = self.button.as_ref().and_then(|b| b.text.as_deref()) {
            return Some(text);
        }
        let interactive = self.interactive.as_ref()?;
        interactive
            .button_reply
            .as_ref()
            .and_then(|r| r.title.as_deref())
            .or_else(|| interactive.list_reply.as_ref()?.title.as_deref())
    }

    /// The media object of an image, audio, video, document or sticker message.
    ///
    /// ```
    /// let voice: kapso_webhooks::Message = serde_json::from_str(r#"{"type":"audio","audio":{"id":"M2","voice":true}}"#)?;
    /// assert_eq!(voice.media().and_then(|media| media.voice), Some(true));
    /// let text: kapso_webhooks::Message = serde_json::from_str(r#"{"type":"text","text":{"body":"hi"}}"#)?;
    /// assert!(text.media().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn media(&self) -> Option<&Media> {
        self.image
            .as_deref()
            .or(self.audio.as_deref())
            .or(self.video.as_deref())
            .or(self.document.as_deref())
            .or(self.sticker.as_deref())
    }

    /// The media file Kapso stored for this message ([`Kapso::media`]): its download URL,
    /// content type, file name and size. `None` when Kapso gives no media URL.
    ///
    /// ```
    /// let message: kapso_webhooks::Message = serde_json::from_str(
    ///     r#"{"type":"audio","kapso":{"mediaData":{"url":"https://files.example.com/a/3","contentType":"audio/ogg"}}}"#,
    /// ).unwrap();
    /// assert_eq!(message.kapso_media().map(|m| m.url), Some("https://files.example.com/a/3"));
    /// ```
    pub fn kapso_media(&self) -> Option<KapsoMedia<'_>> {
        self.kapso.as_ref()?.media()
    }

    /// The key that identifies this message across Meta's redeliveries: its ID (`wamid.…`),
    /// `None` without one. Meta delivers each message (and each echo) at least once, always
    /// with the same ID; skip a message whose key you already processed.
    ///
    /// It identifies the *message*, not an event about it: in Kapso's events the same message
    /// (the same ID) arrives once per status (`received`, `sent`, `delivered`, `read`,
    /// `failed`), so deduplicate those with [`KapsoEvent::dedupe_key`] instead, and Meta's
    /// status updates with [`Status::dedupe_key`].
    ///
    /// [`KapsoEvent::dedupe_key`]: crate::KapsoEvent::dedupe_key
    /// [`Status::dedupe_key`]: crate::Status::dedupe_key
    ///
    /// ```
    /// let body = br#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[
    ///   {"from":"15550104321","id":"wamid.A","type":"text","text":{"body":"Hola"}}]}}]}]}"#;
    /// let webhook = kapso_webhooks::normalize_webhook(body)?;
    /// let mut seen = std::collections::HashSet::new();
    /// for message in webhook.messages() {
    ///     let key = message.dedupe_key();
    ///     assert_eq!(key.as_deref(), Some("wamid.A"));
    ///     if key.is_some_and(|key| !seen.insert(key)) {
    ///         continue; // already processed
    ///     }
    ///     // handle the message
    /// }
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn dedupe_key(&self) -> Option<String> {
        self.id.as_deref().map(str::to_owned)
    }
}

wire_struct! {
    /// Text content.
    ///
    /// ```
    /// let message: kapso_webhooks::Message = serde_json::from_str(r#"{"type":"text","text":{"body":"Is it open today?"}}"#)?;
    /// assert_eq!(message.text.unwrap().body.as_deref(), Some("Is it open today?"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Text {
        /// The text.
        body: CompactString = "body",
    }
}

wire_struct! {
    /// Media content of an image, audio, video, document or sticker message. Download the file
    /// with its `id` through the Graph API (or from `url`, when present).
    ///
    /// ```
    /// use kapso_webhooks::meta::message::Media;
    /// let media: Media = serde_json::from_str(r#"{"id":"M3","mimeType":"application/pdf","filename":"invoice.pdf"}"#)?;
    /// assert_eq!((media.mime_type.as_deref(), media.filename.as_deref()), (Some("application/pdf"), Some("invoice.pdf")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Media {
        /// The media ID.
        id: CompactString = "id",
        /// The MIME type, such as `image/jpeg` or `audio/ogg; codecs=opus`.
        mime_type: CompactString = "mimeType",
        /// The file's SHA-256, base64.
        sha256: CompactString = "sha256",
        /// The caption (images, videos, documents).
        caption: CompactString = "caption",
        /// The file name (documents).
        filename: CompactString = "filename",
        /// Whether an audio is a voice note.
        voice: bool = "voice",
        /// Whether a sticker is animated.
        animated: bool = "animated",
        /// A download URL, when Meta includes it.
        url: CompactString = "url",
    }
}

wire_struct! {
    /// A location pin.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::Location;
    /// let pin: Location = serde_json::from_str(r#"{"latitude":48.8584,"longitude":2.2945,"name":"Tour Eiffel"}"#)?;
    /// assert_eq!(pin.name.as_deref(), Some("Tour Eiffel"));
    /// assert_eq!(pin.latitude.and_then(|lat| lat.as_f64()), Some(48.8584));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Location {
        /// Latitude in degrees.
        latitude: Numeric = "latitude",
        /// Longitude in degrees.
        longitude: Numeric = "longitude",
        /// The place's name.
        name: CompactString = "name",
        /// The place's address.
        address: CompactString = "address",
        /// The place's URL.
        url: CompactString = "url",
    }
}

impl Location {
    /// Latitude and longitude as numbers, when both are present.
    ///
    /// ```
    /// let location: kapso_webhooks::meta::message::Location =
    ///     serde_json::from_str(r#"{"latitude":38.9,"longitude":-77.03}"#).unwrap();
    /// assert_eq!(location.coordinates(), Some((38.9, -77.03)));
    /// ```
    pub fn coordinates(&self) -> Option<(f64, f64)> {
        Some((
            self.latitude.as_ref()?.as_f64()?,
            self.longitude.as_ref()?.as_f64()?,
        ))
    }
}

wire_struct! {
    /// A shared contact card.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::SharedContact;
    /// let card: SharedContact = serde_json::from_str(
    ///     r#"{"name":{"formattedName":"Ines Rocha"},"phones":[{"phone":"+351 910 000 000"}],"birthday":"1990-04-02"}"#)?;
    /// assert_eq!(card.name.unwrap().formatted_name.as_deref(), Some("Ines Rocha"));
    /// assert_eq!(card.phones.unwrap().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct SharedContact {
        /// The contact's name.
        name: Box<ContactName> = "name",
        /// Phone numbers.
        phones: Vec<ContactPhone> = "phones",
        /// Email addresses.
        emails: Vec<ContactEmail> = "emails",
        /// Postal addresses.
        addresses: Vec<ContactAddress> = "addresses",
        /// Organization.
        org: Box<ContactOrg> = "org",
        /// Web addresses.
        urls: Vec<ContactUrl> = "urls",
        /// Birthday, `YYYY-MM-DD`.
        birthday: CompactString = "birthday",
    }
}

wire_struct! {
    /// A shared contact's name.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ContactName;
    /// let name: ContactName = serde_json::from_str(r#"{"formattedName":"Dr. Ines Rocha","firstName":"Ines","prefix":"Dr."}"#)?;
    /// assert_eq!((name.first_name.as_deref(), name.prefix.as_deref()), (Some("Ines"), Some("Dr.")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ContactName {
        /// The full name as displayed.
        formatted_name: CompactString = "formattedName",
        /// First name.
        first_name: CompactString = "firstName",
        /// Last name.
        last_name: CompactString = "lastName",
        /// Middle name.
        middle_name: CompactString = "middleName",
        /// Name suffix.
        suffix: CompactString = "suffix",
        /// Name prefix.
        prefix: CompactString = "prefix",
    }
}

wire_struct! {
    /// A shared contact's phone number.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ContactPhone;
    /// let phone: ContactPhone = serde_json::from_str(r#"{"phone":"+351 910 000 000","waId":"351910000000","type":"CELL"}"#)?;
    /// assert_eq!((phone.wa_id.as_deref(), phone.phone_type.as_deref()), (Some("351910000000"), Some("CELL")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ContactPhone {
        /// The number as written.
        phone: CompactString = "phone",
        /// The WhatsApp ID, when the number is on WhatsApp.
        wa_id: CompactString = "waId",
        /// `CELL`, `MAIN`, `IPHONE`, `HOME`, `WORK`, …
        phone_type: CompactString = "type",
    }
}

wire_struct! {
    /// A shared contact's email address.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ContactEmail;
    /// let email: ContactEmail = serde_json::from_str(r#"{"email":"ines@example.org","type":"WORK"}"#)?;
    /// assert_eq!(email.email.as_deref(), Some("ines@example.org"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ContactEmail {
        /// The address.
        email: CompactString = "email",
        /// `HOME`, `WORK`, …
        email_type: CompactString = "type",
    }
}

wire_struct! {
    /// A shared contact's postal address.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ContactAddress;
    /// let address: ContactAddress = serde_json::from_str(r#"{"city":"Porto","countryCode":"PT","type":"HOME"}"#)?;
    /// assert_eq!((address.city.as_deref(), address.country_code.as_deref()), (Some("Porto"), Some("PT")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ContactAddress {
        /// Street.
        street: CompactString = "street",
        /// City.
        city: CompactString = "city",
        /// State.
        state: CompactString = "state",
        /// ZIP code.
        zip: CompactString = "zip",
        /// Country name.
        country: CompactString = "country",
        /// Two-letter country code.
        country_code: CompactString = "countryCode",
        /// `HOME`, `WORK`, …
        address_type: CompactString = "type",
    }
}

wire_struct! {
    /// A shared contact's organization.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ContactOrg;
    /// let org: ContactOrg = serde_json::from_str(r#"{"company":"Rocha Lda","title":"Engineer"}"#)?;
    /// assert_eq!(org.company.as_deref(), Some("Rocha Lda"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ContactOrg {
        /// Company.
        company: CompactString = "company",
        /// Department.
        department: CompactString = "department",
        /// Job title.
        title: CompactString = "title",
    }
}

wire_struct! {
    /// A shared contact's web address.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ContactUrl;
    /// let url: ContactUrl = serde_json::from_str(r#"{"url":"https://example.org","type":"WORK"}"#)?;
    /// assert_eq!(url.url_type.as_deref(), Some("WORK"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ContactUrl {
        /// The URL.
        url: CompactString = "url",
        /// `HOME`, `WORK`, …
        url_type: CompactString = "type",
    }
}

open_enum! {
    /// The `type` of an interactive reply.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::InteractiveType;
    /// assert_eq!(InteractiveType::from("nfm_reply"), InteractiveType::NfmReply);
    /// ```
    pub enum InteractiveType {
        /// A reply button was pressed.
        ButtonReply = "button_reply",
        /// A list row was chosen.
        ListReply = "list_reply",
        /// A WhatsApp Flow was completed.
        NfmReply = "nfm_reply",
        /// A call-permission request was answered.
        CallPermissionReply = "call_permission_reply",
    }
}

wire_struct! {
    /// A reply to an interactive message.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::{Interactive, InteractiveType};
    /// let reply: Interactive = serde_json::from_str(r#"{"type":"button_reply","buttonReply":{"id":"yes","title":"Yes"}}"#)?;
    /// assert_eq!(reply.interactive_type, Some(InteractiveType::ButtonReply));
    /// assert_eq!(reply.button_reply.unwrap().id.as_deref(), Some("yes"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Interactive {
        /// Which kind of reply this is.
        interactive_type: InteractiveType = "type",
        /// The pressed reply button.
        button_reply: Box<ReplyChoice> = "buttonReply",
        /// The chosen list row.
        list_reply: Box<ReplyChoice> = "listReply",
        /// A completed flow.
        nfm_reply: Box<NfmReply> = "nfmReply",
        /// An answer to a call-permission request.
        call_permission_reply: Box<CallPermissionReply> = "callPermissionReply",
    }
}

wire_struct! {
    /// A pressed reply button or a chosen list row.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ReplyChoice;
    /// let row: ReplyChoice = serde_json::from_str(r#"{"id":"slot-3","title":"3 pm","description":"Afternoon"}"#)?;
    /// assert_eq!((row.id.as_deref(), row.description.as_deref()), (Some("slot-3"), Some("Afternoon")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ReplyChoice {
        /// The ID the business gave the button or row.
        id: CompactString = "id",
        /// Its title.
        title: CompactString = "title",
        /// Its description (list rows).
        description: CompactString = "description",
    }
}

wire_struct! {
    /// A completed WhatsApp Flow. The parsed response is in [`Kapso::flow_response`].
    ///
    /// ```
    /// use kapso_webhooks::meta::message::NfmReply;
    /// let reply: NfmReply = serde_json::from_str(r#"{"responseJson":"{\"rating\":5}","body":"Sent","name":"flow"}"#)?;
    /// assert_eq!(reply.response_json.as_deref(), Some(r#"{"rating":5}"#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct NfmReply {
        /// The flow's response, a JSON document as a string.
        response_json: CompactString = "responseJson",
        /// The reply's text, such as `Sent`.
        body: CompactString = "body",
        /// The flow's name (`flow`).
        name: CompactString = "name",
    }
}

wire_struct! {
    /// A user's answer to a call-permission request.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::CallPermissionReply;
    /// let reply: CallPermissionReply = serde_json::from_str(r#"{"response":"accept","isPermanent":false,"responseSource":"user_action"}"#)?;
    /// assert_eq!((reply.response.as_deref(), reply.is_permanent), (Some("accept"), Some(false)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct CallPermissionReply {
        /// `accept` or `reject`.
        response: CompactString = "response",
        /// Whether the permission never expires.
        is_permanent: bool = "isPermanent",
        /// When a temporary permission expires.
        expiration_timestamp: Timestamp = "expirationTimestamp",
        /// `user_action` or `automatic`.
        response_source: CompactString = "responseSource",
    }
}

wire_struct! {
    /// A template quick-reply button press.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::Button;
    /// let button: Button = serde_json::from_str(r#"{"payload":"CONFIRM-42","text":"Confirm"}"#)?;
    /// assert_eq!(button.payload.as_deref(), Some("CONFIRM-42"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Button {
        /// The button's payload, set by the business.
        payload: CompactString = "payload",
        /// The button's text.
        text: CompactString = "text",
    }
}

wire_struct! {
    /// An order. The reference moves the order's `text` to `orderText` (and to
    /// `kapso.orderText`).
    ///
    /// ```
    /// use kapso_webhooks::meta::message::Order;
    /// let order: Order = serde_json::from_str(r#"{"catalogId":"CAT-1","productItems":[{"productRetailerId":"sku-9"}]}"#)?;
    /// assert_eq!(order.catalog_id.as_deref(), Some("CAT-1"));
    /// assert_eq!(order.product_items.unwrap().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Order {
        /// The catalog the products come from.
        catalog_id: CompactString = "catalogId",
        /// The ordered products.
        product_items: Vec<ProductItem> = "productItems",
        /// The text sent with the order.
        order_text: CompactString = "orderText",
    }
}

wire_struct! {
    /// One ordered product.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ProductItem;
    /// let item: ProductItem = serde_json::from_str(r#"{"productRetailerId":"sku-9","quantity":2,"itemPrice":12.5,"currency":"EUR"}"#)?;
    /// assert_eq!(item.quantity.and_then(|q| q.as_i64()), Some(2));
    /// assert_eq!(item.item_price.and_then(|p| p.as_f64()), Some(12.5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ProductItem {
        /// The product's retailer ID.
        product_retailer_id: CompactString = "productRetailerId",
        /// How many.
        quantity: Numeric = "quantity",
        /// The unit price.
        item_price: Numeric = "itemPrice",
        /// ISO 4217 currency code.
        currency: CompactString = "currency",
    }
}

wire_struct! {
    /// A reaction. An empty or missing `emoji` removes an earlier reaction.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::Reaction;
    /// let reaction: Reaction = serde_json::from_str(r#"{"messageId":"wamid.Z","emoji":"👍"}"#)?;
    /// assert_eq!((reaction.message_id.as_deref(), reaction.emoji.as_deref()), (Some("wamid.Z"), Some("👍")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Reaction {
        /// The message reacted to.
        message_id: CompactString = "messageId",
        /// The emoji.
        emoji: CompactString = "emoji",
    }
}

open_enum! {
    /// The `type` of a system message.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::SystemType;
    /// assert_eq!(SystemType::from("user_changed_number"), SystemType::UserChangedNumber);
    /// ```
    pub enum SystemType {
        /// The user changed their phone number.
        UserChangedNumber = "user_changed_number",
        /// The user's business-scoped user ID changed.
        UserChangedUserId = "user_changed_user_id",
        /// The user's identity (security code) changed.
        CustomerIdentityChanged = "customer_identity_changed",
        /// Older name of a number change.
        CustomerChangedNumber = "customer_changed_number",
    }
}

wire_struct! {
    /// A system notice.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::{System, SystemType};
    /// let notice: System = serde_json::from_str(r#"{"type":"user_changed_number","waId":"15550108080","newWaId":"15550109090"}"#)?;
    /// assert_eq!(notice.system_type, Some(SystemType::UserChangedNumber));
    /// assert_eq!(notice.new_wa_id.as_deref(), Some("15550109090"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct System {
        /// What happened.
        system_type: SystemType = "type",
        /// A human-readable description.
        body: CompactString = "body",
        /// The user's new WhatsApp ID (number changes).
        new_wa_id: CompactString = "newWaId",
        /// The user's WhatsApp ID.
        wa_id: CompactString = "waId",
        /// The user's new business-scoped user ID.
        new_user_id: CompactString = "newUserId",
        /// The user's business-scoped user ID.
        user_id: CompactString = "userId",
        /// The user's parent business-scoped user ID.
        parent_user_id: CompactString = "parentUserId",
        /// The user's previous business-scoped user ID (`user_changed_user_id`,
        /// `user_changed_number`).
        previous_user_id: CompactString = "previousUserId",
        /// The user's previous parent business-scoped user ID (`user_changed_user_id`,
        /// `user_changed_number`).
        previous_parent_user_id: CompactString = "previousParentUserId",
        /// The new identity hash (identity changes).
        identity: CompactString = "identity",
        /// The customer concerned.
        customer: CompactString = "customer",
    }
}

wire_struct! {
    /// A security-code (identity) change notice.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::IdentityChange;
    /// let change: IdentityChange = serde_json::from_str(r#"{"acknowledged":true,"createdTimestamp":1700000000,"hash":"Sjvjlx"}"#)?;
    /// assert_eq!((change.acknowledged, change.hash.as_deref()), (Some(true), Some("Sjvjlx")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct IdentityChange {
        /// Whether the change was acknowledged.
        acknowledged: bool = "acknowledged",
        /// When the identity was created.
        created_timestamp: Timestamp = "createdTimestamp",
        /// The identity hash.
        hash: CompactString = "hash",
    }
}

wire_struct! {
    /// Details of an unsupported message.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::Unsupported;
    /// let unsupported: Unsupported = serde_json::from_str(r#"{"type":"poll"}"#)?;
    /// assert_eq!(unsupported.unsupported_type.as_deref(), Some("poll"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Unsupported {
        /// The unsupported type, such as `edit` or `poll`.
        unsupported_type: CompactString = "type",
    }
}

wire_struct! {
    /// An edit of an earlier message.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::Edit;
    /// let edit: Edit = serde_json::from_str(r#"{"originalMessageId":"wamid.V1","message":{"type":"text","text":{"body":"Fixed typo"}}}"#)?;
    /// assert_eq!(edit.original_message_id.as_deref(), Some("wamid.V1"));
    /// assert_eq!(edit.message.unwrap().text_body(), Some("Fixed typo"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Edit {
        /// The ID of the edited message.
        original_message_id: CompactString = "originalMessageId",
        /// The new content, shaped like a message.
        message: Box<Message> = "message",
    }
}

wire_struct! {
    /// A deletion of an earlier message.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::Revoke;
    /// let revoke: Revoke = serde_json::from_str(r#"{"originalMessageId":"wamid.V2"}"#)?;
    /// assert_eq!(revoke.original_message_id.as_deref(), Some("wamid.V2"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Revoke {
        /// The ID of the deleted message.
        original_message_id: CompactString = "originalMessageId",
    }
}

wire_struct! {
    /// What a message replies to, or how it was forwarded.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::Context;
    /// let context: Context = serde_json::from_str(r#"{"from":"15550001111","id":"wamid.P0","forwarded":true}"#)?;
    /// assert_eq!((context.id.as_deref(), context.forwarded), (Some("wamid.P0"), Some(true)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Context {
        /// The sender of the replied-to message (the business, for replies to its messages).
        from: CompactString = "from",
        /// The replied-to message's ID.
        id: CompactString = "id",
        /// The group of the replied-to message.
        group_id: CompactString = "groupId",
        /// Whether the message was forwarded.
        forwarded: bool = "forwarded",
        /// Whether it was forwarded more than five times.
        frequently_forwarded: bool = "frequentlyForwarded",
        /// The product the user asked about.
        referred_product: Box<ReferredProduct> = "referredProduct",
    }
}

wire_struct! {
    /// A product a user asked about.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ReferredProduct;
    /// let product: ReferredProduct = serde_json::from_str(r#"{"catalogId":"CAT-2","productRetailerId":"sku-7"}"#)?;
    /// assert_eq!(product.product_retailer_id.as_deref(), Some("sku-7"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ReferredProduct {
        /// The catalog.
        catalog_id: CompactString = "catalogId",
        /// The product's retailer ID.
        product_retailer_id: CompactString = "productRetailerId",
    }
}

wire_struct! {
    /// The ad or post that brought the user (click-to-WhatsApp).
    ///
    /// ```
    /// use kapso_webhooks::meta::message::Referral;
    /// let referral: Referral = serde_json::from_str(
    ///     r#"{"sourceType":"ad","sourceId":"AD-5","ctwaClid":"Afk3","welcomeMessage":{"text":"Hi! Ask us anything."}}"#)?;
    /// assert_eq!((referral.source_type.as_deref(), referral.ctwa_clid.as_deref()), (Some("ad"), Some("Afk3")));
    /// assert_eq!(referral.welcome_message.unwrap().text.as_deref(), Some("Hi! Ask us anything."));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Referral {
        /// The ad's or post's URL.
        source_url: CompactString = "sourceUrl",
        /// The ad's or post's ID.
        source_id: CompactString = "sourceId",
        /// `ad` or `post`.
        source_type: CompactString = "sourceType",
        /// The ad's headline.
        headline: CompactString = "headline",
        /// The ad's body.
        body: CompactString = "body",
        /// `image` or `video`.
        media_type: CompactString = "mediaType",
        /// The image URL.
        image_url: CompactString = "imageUrl",
        /// The video URL.
        video_url: CompactString = "videoUrl",
        /// The video thumbnail URL.
        thumbnail_url: CompactString = "thumbnailUrl",
        /// The click ID, for conversions.
        ctwa_clid: CompactString = "ctwaClid",
        /// The ad's predefined welcome message.
        welcome_message: Box<WelcomeMessage> = "welcomeMessage",
    }
}

wire_struct! {
    /// An ad's predefined welcome message.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::WelcomeMessage;
    /// let welcome: WelcomeMessage = serde_json::from_str(r#"{"text":"Welcome to the shop"}"#)?;
    /// assert_eq!(welcome.text.as_deref(), Some("Welcome to the shop"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct WelcomeMessage {
        /// The text.
        text: CompactString = "text",
    }
}

wire_struct! {
    /// An error reported by the Cloud API (on messages, statuses and calls).
    ///
    /// ```
    /// let error: kapso_webhooks::meta::message::ApiError = serde_json::from_str(
    ///     r#"{"code":131047,"title":"Re-engagement message","errorData":{"details":"More than 24 hours"}}"#,
    /// ).unwrap();
    /// assert_eq!(error.code, Some(131047));
    /// assert_eq!(error.description(), Some("More than 24 hours"));
    /// ```
    pub struct ApiError {
        /// The error code, such as `131047`.
        code: i64 = "code",
        /// The error title.
        title: CompactString = "title",
        /// The error message.
        message: CompactString = "message",
        /// More details.
        error_data: Box<ErrorData> = "errorData",
        /// Where the code is documented.
        href: CompactString = "href",
        /// Details (older payloads).
        details: CompactString = "details",
    }
}

impl ApiError {
    /// The most specific description available: `errorData.details`, then `details`,
    /// `message`, `title`.
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ApiError;
    /// let titled: ApiError = serde_json::from_str(r#"{"code":131026,"title":"Message undeliverable"}"#)?;
    /// let detailed: ApiError = serde_json::from_str(r#"{"title":"Rate limit hit","details":"Too many messages"}"#)?;
    /// assert_eq!((titled.description(), detailed.description()), (Some("Message undeliverable"), Some("Too many messages")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn description(&self) -> Option<&str> {
        self.error_data
            .as_ref()
            .and_then(|data| data.details.as_deref())
            .or(self.details.as_deref())
            .or(self.message.as_deref())
            .or(self.title.as_deref())
    }
}

wire_struct! {
    /// More details on an [`ApiError`].
    ///
    /// ```
    /// use kapso_webhooks::meta::message::ErrorData;
    /// let data: ErrorData = serde_json::from_str(r#"{"details":"Recipient is not a valid WhatsApp user"}"#)?;
    /// assert_eq!(data.details.as_deref(), Some("Recipient is not a valid WhatsApp user"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct ErrorData {
        /// The details.
        details: CompactString = "details",
    }
}
