//! Telling who sent a delivery: one [`Verifier`] for every kind of webhook request, the
//! signature primitive under it, and Meta's subscription handshake.
//!
//! A WhatsApp webhook request arrives in one of three kinds ([`DeliveryKind`]):
//!
//! | Kind | Signature header | Other headers | Key | Body |
//! |------|------------------|---------------|-----|------|
//! | [`Meta`](DeliveryKind::Meta) | `X-Hub-Signature-256: sha256=<hex>` | | Meta app secret | Meta's JSON |
//! | [`MetaForwarded`](DeliveryKind::MetaForwarded) | `X-Webhook-Signature: <hex>` | `X-Idempotency-Key` | Kapso webhook secret | Meta's JSON |
//! | [`KapsoEvent`](DeliveryKind::KapsoEvent) | `X-Webhook-Signature: <hex>` | `X-Webhook-Event` (optional), … | Kapso webhook secret | Kapso's event |
//!
//! [`Verifier::verify`] tells the sender from the signature header, checks the signature with
//! the secrets of that sender, and returns a [`Verified`] request whose
//! [`parse`](Verified::parse) gives a [`Delivery`]. A Kapso-signed request is a Kapso event when
//! it has `X-Webhook-Event`; without that header, its authenticated body decides (see
//! [`Verifier::verify`]), since Kapso may send an event without it.
//!
//! [`Verifier`] is the crate's one way to check a signature; [`signature`] names the two formats
//! and signs bodies.
//!
//! - [`signature`]: the HMAC-SHA256 signature formats and signing
//!   ([`signature::SignatureScheme`]);
//! - [`handshake`]: Meta's `GET` verification request (`hub.mode`, `hub.verify_token`,
//!   `hub.challenge`).
//!
//! ```
//! use kapso_webhooks::verify::signature::SignatureScheme;
//! use kapso_webhooks::verify::{Delivery, DeliveryKind, MetaOrigin, Verifier};
//!
//! let verifier = Verifier::new().with_kapso_secret("kapso-webhook-secret")?;
//!
//! // A Meta body that Kapso forwards, signed with the Kapso webhook's secret.
//! let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
//! let signature = SignatureScheme::Kapso.sign(body, "kapso-webhook-secret");
//! let headers = [
//!     ("X-Webhook-Signature", signature.as_str()),
//!     ("X-Idempotency-Key", "9f86d081884c7d65"),
//! ];
//! let verified = verifier.verify(headers, body)?;
//! assert_eq!(verified.kind(), DeliveryKind::MetaForwarded);
//! assert_eq!(verified.idempotency_key(), Some("9f86d081884c7d65"));
//! match verified.parse()? {
//!     Delivery::Meta { webhook, origin } => {
//!         assert_eq!(origin.kind(), DeliveryKind::MetaForwarded);
//!         assert!(matches!(origin, MetaOrigin::Forwarded { idempotency_key: Some(_) }));
//!         let direct = kapso_webhooks::normalize_webhook(body)?;
//!         assert_eq!(webhook.to_json(), direct.to_json());
//!     }
//!     Delivery::Kapso(_) => unreachable!("a Meta body, without X-Webhook-Event"),
//!     _ => {}
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod handshake;
pub mod signature;

use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::kapso_event::{parse_kapso_delivery, KapsoDelivery, KapsoHeaders};
use crate::{normalize_webhook, NormalizedWebhook};
use signature::{
    signed_by_any, SignatureError, SignatureScheme, KAPSO_SIGNATURE_HEADER, META_SIGNATURE_HEADER,
};

/// Checks webhook requests of every kind: built once from the configured secrets, then
/// [`verify`](Self::verify) per request.
///
/// It holds any number of Meta app secrets ([`with_app_secret`](Self::with_app_secret)) and
/// Kapso webhook secrets ([`with_kapso_secret`](Self::with_kapso_secret)); a signature is valid
/// if **any** secret of its sender matches (key rotation). An empty secret is refused when it
/// is added, so that an unset environment variable never becomes a key anyone can sign with.
/// `Debug` never prints the secrets.
///
/// ```
/// use kapso_webhooks::verify::signature::SignatureScheme;
/// use kapso_webhooks::verify::{DeliveryKind, Verifier};
///
/// let verifier = Verifier::new()
///     .with_app_secret("current-app-secret")?
///     .with_app_secret("previous-app-secret")?
///     .with_kapso_secret("kapso-webhook-secret")?;
/// assert!(Verifier::new().with_app_secret("").is_err());
///
/// let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
/// let signature = SignatureScheme::Meta.sign(body, "previous-app-secret");
/// let verified = verifier.verify([("x-hub-signature-256", signature.as_str())], body)?;
/// assert_eq!(verified.kind(), DeliveryKind::Meta);
/// assert!(!format!("{verifier:?}").contains("current-app-secret"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct Verifier {
    app_secrets: Vec<Vec<u8>>,
    kapso_secrets: Vec<Vec<u8>>,
}

impl Verifier {
    /// A verifier without secrets; add them with [`with_app_secret`](Self::with_app_secret)
    /// and [`with_kapso_secret`](Self::with_kapso_secret). Without any, every request is
    /// refused with [`VerifyError::NoSecrets`].
    ///
    /// ```
    /// use kapso_webhooks::verify::{Verifier, VerifyError};
    /// let verifier = Verifier::new();
    /// assert!(matches!(verifier.verify([("x-webhook-signature", "00")], b"{}"), Err(VerifyError::NoSecrets)));
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a Meta app secret, the key of `X-Hub-Signature-256`. Call it once per secret to
    /// accept several during a rotation.
    ///
    /// # Errors
    ///
    /// [`EmptySecret`] when `secret` is empty.
    ///
    /// ```
    /// use kapso_webhooks::verify::Verifier;
    /// let verifier = Verifier::new().with_app_secret("new")?.with_app_secret(b"old".as_slice())?;
    /// assert_eq!(verifier.app_secret_count(), 2);
    /// # Ok::<(), kapso_webhooks::verify::EmptySecret>(())
    /// ```
    pub fn with_app_secret(mut self, secret: impl Into<Vec<u8>>) -> Result<Self, EmptySecret> {
        self.app_secrets
            .push(non_empty(secret.into(), SignatureScheme::Meta)?);
        Ok(self)
    }

    /// Adds a Kapso webhook secret, the key of `X-Webhook-Signature` (Kapso events and Meta
    /// bodies forwarded by Kapso). Call it once per secret to accept several.
    ///
    /// # Errors
    ///
    /// [`EmptySecret`] when `secret` is empty.
    ///
    /// ```
    /// use kapso_webhooks::verify::{EmptySecret, Verifier};
    /// use kapso_webhooks::verify::signature::SignatureScheme;
    /// let verifier = Verifier::new().with_kapso_secret("kapso-webhook-secret")?;
    /// assert_eq!(verifier.kapso_secret_count(), 1);
    /// let err = Verifier::new().with_kapso_secret("").unwrap_err();
    /// assert_eq!(err, EmptySecret { scheme: SignatureScheme::Kapso });
    /// # Ok::<(), EmptySecret>(())
    /// ```
    pub fn with_kapso_secret(mut self, secret: impl Into<Vec<u8>>) -> Result<Self, EmptySecret> {
        self.kapso_secrets
            .push(non_empty(secret.into(), SignatureScheme::Kapso)?);
        Ok(self)
    }

    /// How many Meta app secrets are configured.
    ///
    /// ```
    /// assert_eq!(kapso_webhooks::verify::Verifier::new().app_secret_count(), 0);
    /// ```
    #[must_use]
    pub fn app_secret_count(&self) -> usize {
        self.app_secrets.len()
    }

    /// How many Kapso webhook secrets are configured.
    ///
    /// ```
    /// assert_eq!(kapso_webhooks::verify::Verifier::new().kapso_secret_count(), 0);
    /// ```
    #[must_use]
    pub fn kapso_secret_count(&self) -> usize {
        self.kapso_secrets.len()
    }

    /// Checks a request: its headers (any `(name, value)` pairs: an `http::HeaderMap`, an array
    /// of `(&str, &str)`, …; names are case-insensitive) and its raw body, byte for byte as
    /// received. Same as [`check_headers`](Self::check_headers) then
    /// [`SignedRequest::verify`].
    ///
    /// The sender is told from the signature header: `X-Hub-Signature-256` is Meta (a
    /// [`Meta`](DeliveryKind::Meta) body), `X-Webhook-Signature` is Kapso. When both are
    /// present, `X-Webhook-Signature` decides. A blank header counts as absent. The value is
    /// trimmed; hex digits may be in either case; Meta's needs the `sha256=` prefix, Kapso's is
    /// bare hex or `sha256=` and hex (Kapso documents bare hex; some of its adapters send the
    /// prefix).
    ///
    /// A Kapso-signed request is a [`KapsoEvent`](DeliveryKind::KapsoEvent) when it has
    /// `X-Webhook-Event`. Without it (Kapso may leave it out: the event name is then in the
    /// body, see [`parse_kapso_delivery`]), the body decides, once authenticated: a **Meta
    /// body** is [`MetaForwarded`](DeliveryKind::MetaForwarded), anything else a
    /// [`KapsoEvent`](DeliveryKind::KapsoEvent). A Meta body is one that is not a JSON object
    /// with neither an `object` nor an `entry` member at its top level: a JSON object with
    /// `object` and/or `entry` (whatever their values), or a body that is not a JSON object at
    /// all (not JSON, or another JSON value), which holds no Kapso event and then fails in
    /// [`Verified::parse`] as a Meta body would. Kapso's events are objects without these two
    /// members. Telling reads the body once, without building it.
    ///
    /// # Errors
    ///
    /// A [`VerifyError`], checked in this order: no secret at all
    /// ([`NoSecrets`](VerifyError::NoSecrets)), no signature header
    /// ([`Missing`](VerifyError::Missing)), no secret for the sender that signed
    /// ([`UnconfiguredSender`](VerifyError::UnconfiguredSender)), a malformed or non-matching
    /// signature ([`Invalid`](VerifyError::Invalid)).
    ///
    /// ```
    /// use kapso_webhooks::verify::signature::SignatureScheme;
    /// use kapso_webhooks::verify::{DeliveryKind, Verifier, VerifyError};
    /// use kapso_webhooks::KapsoEventName;
    ///
    /// let verifier = Verifier::new().with_kapso_secret("whsec")?;
    /// let body = br#"{"message":{"id":"wamid.A"}}"#;
    /// let signature = SignatureScheme::Kapso.sign(body, "whsec");
    /// let headers = vec![
    ///     (String::from("x-webhook-signature"), signature),
    ///     (String::from("X-WEBHOOK-EVENT"), String::from("whatsapp.message.received")),
    /// ];
    /// assert_eq!(verifier.verify(headers, body)?.kind(), DeliveryKind::KapsoEvent);
    ///
    /// // No `X-Webhook-Event`: the body decides. A Kapso event names itself in the body.
    /// let body = br#"{"event":"workflow.execution.failed","workflow_execution_id":"we_1"}"#;
    /// let signature = SignatureScheme::Kapso.sign(body, "whsec");
    /// let verified = verifier.verify([("X-Webhook-Signature", signature.as_str())], body)?;
    /// assert_eq!(verified.kind(), DeliveryKind::KapsoEvent);
    /// // A Meta body (top-level `object`/`entry`) is one forwarded by Kapso.
    /// let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
    /// let signature = SignatureScheme::Kapso.sign(body, "whsec");
    /// let verified = verifier.verify([("X-Webhook-Signature", signature.as_str())], body)?;
    /// assert_eq!(verified.kind(), DeliveryKind::MetaForwarded);
    ///
    /// // Signed by Meta, but this verifier has no Meta app secret.
    /// let meta = SignatureScheme::Meta.sign(body, "whsec");
    /// let err = verifier.verify([("X-Hub-Signature-256", meta.as_str())], body).unwrap_err();
    /// assert_eq!(err, VerifyError::UnconfiguredSender { scheme: SignatureScheme::Meta });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify<'b, I, N, V>(
        &self,
        headers: I,
        body: &'b [u8],
    ) -> Result<Verified<'b>, VerifyError>
    where
        I: IntoIterator<Item = (N, V)>,
        N: AsRef<str>,
        V: AsRef<[u8]>,
    {
        self.check_headers(headers)?.verify(body)
    }

    /// The first half of [`verify`](Self::verify): everything that can be refused before the
    /// body is read (configuration, sender, presence and shape of the signature). A server
    /// calls it before buffering the body, so that nothing unauthenticated is read when the
    /// headers already say no.
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify), except a signature that does not match the body.
    ///
    /// ```
    /// use kapso_webhooks::verify::signature::SignatureScheme;
    /// use kapso_webhooks::verify::{DeliveryKind, Verifier, VerifyError};
    ///
    /// let verifier = Verifier::new().with_app_secret("app-secret")?;
    /// assert!(matches!(verifier.check_headers([("content-type", "application/json")]),
    ///                  Err(VerifyError::Missing { .. })));
    /// let body = b"{}";
    /// let signature = SignatureScheme::Meta.sign(body, "app-secret");
    /// let signed = verifier.check_headers([("X-Hub-Signature-256", signature.as_str())])?;
    /// assert_eq!(signed.kind(), Some(DeliveryKind::Meta));
    /// assert_eq!(signed.verify(body)?.body(), body);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_headers<I, N, V>(&self, headers: I) -> Result<SignedRequest<'_>, VerifyError>
    where
        I: IntoIterator<Item = (N, V)>,
        N: AsRef<str>,
        V: AsRef<[u8]>,
    {
        if self.app_secrets.is_empty() && self.kapso_secrets.is_empty() {
            return Err(VerifyError::NoSecrets);
        }
        let pairs: Vec<(N, V)> = headers.into_iter().collect();
        let meta_signature = pairs
            .iter()
            .find(|(name, _)| name.as_ref().eq_ignore_ascii_case(META_SIGNATURE_HEADER))
            .map(|(_, value)| String::from_utf8_lossy(value.as_ref()).trim().to_owned())
            .filter(|value| !value.is_empty());
        let kapso = KapsoHeaders::from_pairs(
            pairs
                .iter()
                .map(|(name, value)| (name.as_ref(), value.as_ref())),
        );
        let (scheme, header) = match (kapso.signature.as_deref(), meta_signature.as_deref()) {
            (Some(header), _) => (SignatureScheme::Kapso, header),
            (None, Some(header)) => (SignatureScheme::Meta, header),
            (None, None) => {
                return Err(VerifyError::Missing {
                    expected: self.expected_headers(),
                })
            }
        };
        let kind = match scheme {
            SignatureScheme::Meta => Some(DeliveryKind::Meta),
            SignatureScheme::Kapso => kapso.event.is_some().then_some(DeliveryKind::KapsoEvent),
        };
        if self.secrets(scheme).is_empty() {
            return Err(VerifyError::UnconfiguredSender { scheme });
        }
        let digest = scheme
            .parse_header(Some(header))
            .map_err(|error| VerifyError::Invalid { scheme, error })?;
        Ok(SignedRequest {
            verifier: self,
            scheme,
            kind,
            digest,
            headers: kapso,
        })
    }

    /// The secrets of one sender.
    fn secrets(&self, scheme: SignatureScheme) -> &[Vec<u8>] {
        match scheme {
            SignatureScheme::Kapso => &self.kapso_secrets,
            SignatureScheme::Meta => &self.app_secrets,
        }
    }

    /// The signature headers this verifier can check, for [`VerifyError::Missing`].
    fn expected_headers(&self) -> &'static [&'static str] {
        match (self.app_secrets.is_empty(), self.kapso_secrets.is_empty()) {
            (false, true) => &[META_SIGNATURE_HEADER],
            (true, false) => &[KAPSO_SIGNATURE_HEADER],
            _ => &[META_SIGNATURE_HEADER, KAPSO_SIGNATURE_HEADER],
        }
    }
}

impl fmt::Debug for Verifier {
    /// Shows how many secrets are set, never their values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field(
                "app_secrets",
                &format_args!("<{} redacted>", self.app_secrets.len()),
            )
            .field(
                "kapso_secrets",
                &format_args!("<{} redacted>", self.kapso_secrets.len()),
            )
            .finish()
    }
}

/// `secret`, unless it is empty.
fn non_empty(secret: Vec<u8>, scheme: SignatureScheme) -> Result<Vec<u8>, EmptySecret> {
    if secret.is_empty() {
        Err(EmptySecret { scheme })
    } else {
        Ok(secret)
    }
}

/// An empty secret was given to a [`Verifier`]: refused, since anyone can sign with it.
///
/// ```
/// use kapso_webhooks::verify::{EmptySecret, Verifier};
/// let err = Verifier::new().with_app_secret(String::new()).unwrap_err();
/// assert_eq!(err.to_string(), "refusing an empty Meta app secret: anyone could sign with it");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("refusing an empty {} secret: anyone could sign with it", secret_name(*.scheme))]
pub struct EmptySecret {
    /// Whose secret it was meant to be.
    pub scheme: SignatureScheme,
}

/// "Meta app" or "Kapso webhook".
const fn secret_name(scheme: SignatureScheme) -> &'static str {
    match scheme {
        SignatureScheme::Kapso => "Kapso webhook",
        SignatureScheme::Meta => "Meta app",
    }
}

/// The three kinds of webhook request, told apart by their signature header and, for Kapso's,
/// by `X-Webhook-Event` or else the body (see [`Verifier::verify`]).
///
/// ```
/// use kapso_webhooks::verify::signature::SignatureScheme;
/// use kapso_webhooks::verify::DeliveryKind;
/// assert_eq!(DeliveryKind::MetaForwarded.scheme(), SignatureScheme::Kapso);
/// assert!(DeliveryKind::MetaForwarded.is_meta_body());
/// assert_eq!(DeliveryKind::KapsoEvent.to_string(), "Kapso event");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeliveryKind {
    /// A Meta webhook body signed by Meta (`X-Hub-Signature-256`, Meta app secret).
    Meta,
    /// A Meta webhook body forwarded by Kapso (`X-Webhook-Signature` without
    /// `X-Webhook-Event`, and a Meta body; Kapso webhook secret), with `X-Idempotency-Key`.
    MetaForwarded,
    /// One of Kapso's own events (`X-Webhook-Signature` with `X-Webhook-Event`, or without it
    /// and a body that is not a Meta body; Kapso webhook secret).
    KapsoEvent,
}

impl DeliveryKind {
    /// The signature scheme of this kind, i.e. whose secret signs it.
    ///
    /// ```
    /// use kapso_webhooks::verify::{signature::SignatureScheme, DeliveryKind};
    /// assert_eq!(DeliveryKind::Meta.scheme(), SignatureScheme::Meta);
    /// ```
    #[must_use]
    pub const fn scheme(self) -> SignatureScheme {
        match self {
            Self::Meta => SignatureScheme::Meta,
            Self::MetaForwarded | Self::KapsoEvent => SignatureScheme::Kapso,
        }
    }

    /// Whether the body is a Meta webhook body (normalized with
    /// [`normalize_webhook`]), as opposed to a Kapso event.
    ///
    /// ```
    /// use kapso_webhooks::verify::DeliveryKind;
    /// assert!(DeliveryKind::Meta.is_meta_body());
    /// assert!(!DeliveryKind::KapsoEvent.is_meta_body());
    /// ```
    #[must_use]
    pub const fn is_meta_body(self) -> bool {
        matches!(self, Self::Meta | Self::MetaForwarded)
    }
}

impl fmt::Display for DeliveryKind {
    /// `Meta webhook`, `Meta webhook forwarded by Kapso` or `Kapso event`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Meta => "Meta webhook",
            Self::MetaForwarded => "Meta webhook forwarded by Kapso",
            Self::KapsoEvent => "Kapso event",
        })
    }
}

/// Why a request was refused by [`Verifier::verify`].
///
/// [`NoSecrets`](Self::NoSecrets) is a server configuration problem (answer `500`, see
/// [`is_configuration_error`](Self::is_configuration_error)); every other variant means the
/// request is not authentic for this configuration (answer `401`).
///
/// ```
/// use kapso_webhooks::verify::{Verifier, VerifyError};
/// let verifier = Verifier::new().with_app_secret("app-secret")?;
/// let err = verifier.verify([("Content-Type", "application/json")], b"{}").unwrap_err();
/// assert_eq!(err.to_string(), "missing signature header `x-hub-signature-256`");
/// assert!(!err.is_configuration_error());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerifyError {
    /// No secret at all is configured, so nothing can be verified.
    NoSecrets,
    /// No signature header (or only blank ones).
    Missing {
        /// The signature headers this configuration can check (lowercase).
        expected: &'static [&'static str],
    },
    /// The request is signed by a sender for which no secret is configured, e.g. signed by
    /// Meta on a configuration with Kapso secrets only.
    UnconfiguredSender {
        /// The sender whose signature header the request carries.
        scheme: SignatureScheme,
    },
    /// The signature header is malformed, or no secret of its sender signs the body to it.
    Invalid {
        /// The sender whose signature header the request carries.
        scheme: SignatureScheme,
        /// What is wrong with the signature.
        error: SignatureError,
    },
}

impl VerifyError {
    /// Whether the server, not the request, is at fault ([`NoSecrets`](Self::NoSecrets)):
    /// answer `500` then, `401` otherwise.
    ///
    /// ```
    /// assert!(kapso_webhooks::verify::VerifyError::NoSecrets.is_configuration_error());
    /// ```
    #[must_use]
    pub const fn is_configuration_error(&self) -> bool {
        matches!(self, Self::NoSecrets)
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSecrets => {
                f.write_str("no webhook secret configured; cannot verify signatures")
            }
            Self::Missing { expected } => {
                f.write_str("missing signature header ")?;
                for (index, header) in expected.iter().enumerate() {
                    if index > 0 {
                        f.write_str(" or ")?;
                    }
                    write!(f, "`{header}`")?;
                }
                Ok(())
            }
            Self::UnconfiguredSender { scheme } => write!(
                f,
                "request signed by {scheme} with `{}`, but no {} secret is configured",
                scheme.header_name(),
                secret_name(*scheme)
            ),
            Self::Invalid { error, .. } => error.fmt(f),
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Invalid { error, .. } => Some(error),
            Self::NoSecrets | Self::Missing { .. } | Self::UnconfiguredSender { .. } => None,
        }
    }
}

/// A request whose headers passed [`Verifier::check_headers`]; its body is still to check.
///
/// ```
/// use kapso_webhooks::verify::{signature::SignatureScheme, Verifier, VerifyError};
/// let verifier = Verifier::new().with_kapso_secret("whsec")?;
/// let signature = SignatureScheme::Kapso.sign(b"{}", "whsec");
/// let signed = verifier.check_headers([("x-webhook-signature", signature.as_str())])?;
/// assert!(matches!(signed.clone().verify(b"{ }"), Err(VerifyError::Invalid { .. })));
/// assert!(signed.verify(b"{}").is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct SignedRequest<'v> {
    verifier: &'v Verifier,
    scheme: SignatureScheme,
    /// `None` for a Kapso-signed request without `X-Webhook-Event`: the body decides.
    kind: Option<DeliveryKind>,
    digest: [u8; 32],
    headers: KapsoHeaders,
}

impl SignedRequest<'_> {
    /// The sender whose signature header the request carries (not yet authenticated).
    ///
    /// ```
    /// use kapso_webhooks::verify::{signature::SignatureScheme, Verifier};
    /// let verifier = Verifier::new().with_kapso_secret("whsec")?;
    /// let signature = SignatureScheme::Kapso.sign(b"{}", "whsec");
    /// let signed = verifier.check_headers([("X-Webhook-Signature", signature)])?;
    /// assert_eq!(signed.scheme(), SignatureScheme::Kapso);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn scheme(&self) -> SignatureScheme {
        self.scheme
    }

    /// The kind, when the headers tell it (not yet authenticated): [`DeliveryKind::Meta`] for
    /// `X-Hub-Signature-256`, [`DeliveryKind::KapsoEvent`] for `X-Webhook-Signature` with
    /// `X-Webhook-Event`. `None` for `X-Webhook-Signature` without `X-Webhook-Event`: a Kapso
    /// event or a forwarded Meta body, which [`verify`](Self::verify) tells from the body
    /// (see [`Verifier::verify`]); [`scheme`](Self::scheme) is known either way.
    ///
    /// ```
    /// use kapso_webhooks::verify::{signature::SignatureScheme, DeliveryKind, Verifier};
    /// let verifier = Verifier::new().with_app_secret("s")?.with_kapso_secret("k")?;
    /// let signature = SignatureScheme::Meta.sign(b"{}", "s");
    /// let signed = verifier.check_headers([("X-Hub-Signature-256", signature)])?;
    /// assert_eq!(signed.kind(), Some(DeliveryKind::Meta));
    ///
    /// let signature = SignatureScheme::Kapso.sign(b"{}", "k");
    /// let signed = verifier.check_headers([("X-Webhook-Signature", signature)])?;
    /// assert_eq!(signed.kind(), None);
    /// assert_eq!(signed.verify(b"{}")?.kind(), DeliveryKind::KapsoEvent);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn kind(&self) -> Option<DeliveryKind> {
        self.kind
    }

    /// Checks the signature against the raw body (HMAC-SHA256 with each secret of the sender,
    /// compared in constant time).
    ///
    /// # Errors
    ///
    /// [`VerifyError::Invalid`] with [`SignatureError::Mismatch`] when no secret matches.
    /// The kind is then told (see [`kind`](Self::kind)), from the body if need be.
    ///
    /// ```
    /// use kapso_webhooks::verify::{signature::SignatureScheme, Verifier};
    /// let verifier = Verifier::new().with_app_secret("s")?;
    /// let signature = SignatureScheme::Meta.sign(b"{}", "s");
    /// let signed = verifier.check_headers([("X-Hub-Signature-256", signature)])?;
    /// assert_eq!(signed.verify(b"{}")?.body(), b"{}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify(self, body: &[u8]) -> Result<Verified<'_>, VerifyError> {
        let secrets = self.verifier.secrets(self.scheme).iter().map(Vec::as_slice);
        if !signed_by_any(body, &self.digest, secrets) {
            return Err(VerifyError::Invalid {
                scheme: self.scheme,
                error: SignatureError::Mismatch,
            });
        }
        // Only an authentic body is read to tell the kind.
        let kind = self.kind.unwrap_or_else(|| {
            if is_meta_body(body) {
                DeliveryKind::MetaForwarded
            } else {
                DeliveryKind::KapsoEvent
            }
        });
        Ok(Verified {
            kind,
            body,
            headers: self.headers,
        })
    }
}

impl fmt::Debug for SignedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("scheme", &self.scheme)
            .field("kind", &self.kind)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

/// An authentic request: its kind, its raw body and its Kapso headers. [`parse`](Self::parse)
/// turns it into a [`Delivery`].
///
/// ```
/// use kapso_webhooks::verify::{signature::SignatureScheme, DeliveryKind, Verifier};
/// let verifier = Verifier::new().with_kapso_secret("whsec")?;
/// let body = br#"{"phone_number_id":"109283746550123"}"#;
/// let signature = SignatureScheme::Kapso.sign(body, "whsec");
/// let verified = verifier.verify(
///     [
///         ("X-Webhook-Signature", signature.as_str()),
///         ("X-Webhook-Event", "whatsapp.phone_number.created"),
///         ("X-Idempotency-Key", "idem-1"),
///     ],
///     body,
/// )?;
/// assert_eq!(verified.kind(), DeliveryKind::KapsoEvent);
/// assert_eq!(verified.idempotency_key(), Some("idem-1"));
/// assert_eq!(verified.body(), body);
/// assert!(verified.headers().event.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Verified<'b> {
    kind: DeliveryKind,
    body: &'b [u8],
    headers: KapsoHeaders,
}

impl<'b> Verified<'b> {
    /// The kind of delivery.
    ///
    /// ```
    /// use kapso_webhooks::verify::{signature::SignatureScheme, DeliveryKind, Verifier};
    /// let verifier = Verifier::new().with_app_secret("s")?;
    /// let signature = SignatureScheme::Meta.sign(b"{}", "s");
    /// let verified = verifier.verify([("X-Hub-Signature-256", signature)], b"{}")?;
    /// assert_eq!(verified.kind(), DeliveryKind::Meta);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn kind(&self) -> DeliveryKind {
        self.kind
    }

    /// The raw body, as received.
    ///
    /// ```
    /// use kapso_webhooks::verify::{signature::SignatureScheme, Verifier};
    /// let verifier = Verifier::new().with_app_secret("s")?;
    /// let signature = SignatureScheme::Meta.sign(b"{}", "s");
    /// assert_eq!(verifier.verify([("X-Hub-Signature-256", signature)], b"{}")?.body(), b"{}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn body(&self) -> &'b [u8] {
        self.body
    }

    /// `X-Idempotency-Key`, the dedupe key of Kapso's deliveries (Kapso events and forwarded
    /// Meta bodies): the same on every redelivery, so remember the keys you processed and skip
    /// repeats. Always `None` for [`DeliveryKind::Meta`]: Meta sends no such header.
    ///
    /// ```
    /// use kapso_webhooks::verify::{signature::SignatureScheme, Verifier};
    /// let verifier = Verifier::new().with_kapso_secret("whsec")?;
    /// let signature = SignatureScheme::Kapso.sign(b"{}", "whsec");
    /// let headers = [("x-webhook-signature", signature.as_str()), ("x-idempotency-key", "k-1")];
    /// assert_eq!(verifier.verify(headers, b"{}")?.idempotency_key(), Some("k-1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn idempotency_key(&self) -> Option<&str> {
        match self.kind {
            DeliveryKind::Meta => None,
            DeliveryKind::MetaForwarded | DeliveryKind::KapsoEvent => {
                self.headers.idempotency_key.as_deref()
            }
        }
    }

    /// The Kapso headers of the request (`X-Webhook-Event`, `X-Idempotency-Key`, …).
    ///
    /// ```
    /// use kapso_webhooks::verify::{signature::SignatureScheme, Verifier};
    /// use kapso_webhooks::KapsoEventName;
    /// let verifier = Verifier::new().with_kapso_secret("whsec")?;
    /// let signature = SignatureScheme::Kapso.sign(b"{}", "whsec");
    /// let headers = [("x-webhook-signature", signature.as_str()), ("x-webhook-event", "whatsapp.message.sent")];
    /// assert_eq!(verifier.verify(headers, b"{}")?.headers().event, Some(KapsoEventName::MessageSent));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn headers(&self) -> &KapsoHeaders {
        &self.headers
    }

    /// Parses the body: a Meta body (both routes) with [`normalize_webhook`], a Kapso event
    /// with [`parse_kapso_delivery`] and the request's Kapso headers.
    ///
    /// # Errors
    ///
    /// [`crate::Error`] when the body is not valid JSON (or not UTF-8).
    ///
    /// ```
    /// use kapso_webhooks::verify::{signature::SignatureScheme, Delivery, MetaOrigin, Verifier};
    /// let verifier = Verifier::new().with_app_secret("s")?;
    /// let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
    /// let signature = SignatureScheme::Meta.sign(body, "s");
    /// let delivery = verifier.verify([("X-Hub-Signature-256", signature)], body)?.parse()?;
    /// assert!(matches!(delivery, Delivery::Meta { origin: MetaOrigin::Direct, .. }));
    ///
    /// let signature = SignatureScheme::Meta.sign(b"not json", "s");
    /// assert!(verifier.verify([("X-Hub-Signature-256", signature)], b"not json")?.parse().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(&self) -> Result<Delivery, crate::Error> {
        match self.kind {
            DeliveryKind::KapsoEvent => Ok(Delivery::Kapso(parse_kapso_delivery(
                &self.headers,
                self.body,
            )?)),
            DeliveryKind::Meta => Ok(Delivery::Meta {
                webhook: normalize_webhook(self.body)?,
                origin: MetaOrigin::Direct,
            }),
            DeliveryKind::MetaForwarded => Ok(Delivery::Meta {
                webhook: normalize_webhook(self.body)?,
                origin: MetaOrigin::Forwarded {
                    idempotency_key: self.headers.idempotency_key.clone(),
                },
            }),
        }
    }
}

/// A verified and parsed delivery, of any kind ([`Verified::parse`]).
///
/// ```
/// use kapso_webhooks::verify::{Delivery, DeliveryKind, MetaOrigin};
/// let delivery = Delivery::Meta {
///     webhook: kapso_webhooks::normalize_webhook(b"{}")?,
///     origin: MetaOrigin::Forwarded { idempotency_key: Some("k-1".into()) },
/// };
/// assert_eq!(delivery.kind(), DeliveryKind::MetaForwarded);
/// assert_eq!(delivery.idempotency_key(), Some("k-1"));
/// assert_eq!(delivery.dedupe_key().as_deref(), Some("k-1"));
/// # Ok::<(), kapso_webhooks::Error>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
#[allow(
    clippy::large_enum_variant,
    reason = "one per request, built once and matched in place; boxing the webhook would cost \
              an allocation per request and change the pattern users match"
)]
pub enum Delivery {
    /// A Meta webhook body, signed by Meta or forwarded by Kapso, normalized.
    Meta {
        /// The normalized webhook.
        webhook: NormalizedWebhook,
        /// Who sent it: Meta itself, or Kapso (with Kapso's idempotency key).
        origin: MetaOrigin,
    },
    /// Kapso's own events (one, or all of a batch).
    Kapso(KapsoDelivery),
}

impl Delivery {
    /// The kind of delivery this was.
    ///
    /// ```
    /// use kapso_webhooks::verify::{Delivery, DeliveryKind};
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.message.sent"), b"{}")?;
    /// assert_eq!(Delivery::Kapso(events).kind(), DeliveryKind::KapsoEvent);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    #[must_use]
    pub fn kind(&self) -> DeliveryKind {
        match self {
            Self::Meta { origin, .. } => origin.kind(),
            Self::Kapso(_) => DeliveryKind::KapsoEvent,
        }
    }

    /// `X-Idempotency-Key` of what Kapso sent (its events, or a Meta body it forwarded);
    /// `None` for Meta's own deliveries, or when Kapso sent no key.
    ///
    /// ```
    /// use kapso_webhooks::verify::Delivery;
    /// use kapso_webhooks::{parse_kapso_delivery, KapsoHeaders};
    /// let delivery = parse_kapso_delivery(&KapsoHeaders::from_pairs([("x-idempotency-key", "k-9")]), b"{}")?;
    /// assert_eq!(Delivery::Kapso(delivery).idempotency_key(), Some("k-9"));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    #[must_use]
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Self::Meta { origin, .. } => origin.idempotency_key(),
            Self::Kapso(delivery) => delivery.idempotency_key(),
        }
    }

    /// The key that identifies this delivery across redeliveries, to skip repeats:
    ///
    /// - Kapso's events: [`KapsoDelivery::dedupe_key`] (`X-Idempotency-Key`, else the key of
    ///   its single event);
    /// - a Meta body forwarded by Kapso: `X-Idempotency-Key`, when sent;
    /// - a Meta body from Meta: `None`. Meta gives a delivery no key; deduplicate its items
    ///   instead, with [`Message::dedupe_key`](crate::Message::dedupe_key),
    ///   [`Status::dedupe_key`](crate::Status::dedupe_key) and
    ///   [`Call::dedupe_key`](crate::Call::dedupe_key) (the same keys for a forwarded body
    ///   without `X-Idempotency-Key`).
    ///
    /// ```
    /// use kapso_webhooks::verify::{Delivery, MetaOrigin};
    /// use kapso_webhooks::{normalize_webhook, parse_kapso_delivery, KapsoHeaders};
    /// let body = br#"{"message":{"id":"wamid.A","kapso":{"status":"read"}}}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.message.read"), body)?;
    /// assert_eq!(
    ///     Delivery::Kapso(events).dedupe_key().as_deref(),
    ///     Some("whatsapp.message.read:wamid.A:read")
    /// );
    /// let direct = Delivery::Meta { webhook: normalize_webhook(b"{}")?, origin: MetaOrigin::Direct };
    /// assert_eq!(direct.dedupe_key(), None);
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    #[must_use]
    pub fn dedupe_key(&self) -> Option<String> {
        match self {
            Self::Meta { origin, .. } => origin.idempotency_key().map(str::to_owned),
            Self::Kapso(delivery) => delivery.dedupe_key(),
        }
    }

    /// The delivery as JSON documents, one per record: the normalized webhook for a Meta body
    /// (by either route), as [`NormalizedWebhook::to_json`] writes it (the reference's exact
    /// text) or [`NormalizedWebhook::to_json_pretty`]; one `{"event": NAME, …}` per Kapso event
    /// (as [`KapsoDelivery::event_values`], written by serde_json). Compact (one line each)
    /// unless `pretty`.
    ///
    /// What `kapso-webhooks listen` and the `axum_server` example print.
    ///
    /// # Errors
    ///
    /// When a value cannot be serialized (not expected for a parsed delivery).
    ///
    /// ```
    /// use kapso_webhooks::verify::{Delivery, MetaOrigin};
    /// use kapso_webhooks::{normalize_webhook, parse_kapso_delivery, KapsoHeaders};
    /// let webhook = normalize_webhook(b"{}")?;
    /// let line = webhook.to_json();
    /// let meta = Delivery::Meta { webhook, origin: MetaOrigin::Direct };
    /// assert_eq!(meta.to_json_lines(false).map_err(kapso_webhooks::Error::from)?, vec![line]);
    ///
    /// let body = br#"{"message":{"id":"wamid.A"}}"#;
    /// let events = parse_kapso_delivery(&KapsoHeaders::for_event("whatsapp.message.sent"), body)?;
    /// let lines = Delivery::Kapso(events).to_json_lines(false).map_err(kapso_webhooks::Error::from)?;
    /// assert_eq!(lines.len(), 1);
    /// assert!(lines[0].starts_with(r#"{"event":"whatsapp.message.sent""#));
    /// # Ok::<(), kapso_webhooks::Error>(())
    /// ```
    pub fn to_json_lines(&self, pretty: bool) -> Result<Vec<String>, serde_json::Error> {
        let write = |value: &dyn erased::Json| {
            if pretty {
                value.pretty()
            } else {
                value.compact()
            }
        };
        match self {
            Self::Meta { webhook, .. } if pretty => Ok(vec![webhook.to_json_pretty()]),
            Self::Meta { webhook, .. } => Ok(vec![webhook.to_json()]),
            Self::Kapso(delivery) => delivery.event_values().map(|value| write(&value)).collect(),
        }
    }
}

/// Serializing a value compactly or pretty behind one reference type.
mod erased {
    /// A value that serializes to JSON text.
    pub(super) trait Json {
        /// Compact JSON.
        fn compact(&self) -> Result<String, serde_json::Error>;
        /// Pretty JSON.
        fn pretty(&self) -> Result<String, serde_json::Error>;
    }

    impl<T: serde::Serialize> Json for T {
        fn compact(&self) -> Result<String, serde_json::Error> {
            serde_json::to_string(self)
        }
        fn pretty(&self) -> Result<String, serde_json::Error> {
            serde_json::to_string_pretty(self)
        }
    }
}

/// Who delivered a Meta webhook body ([`Delivery::Meta`]): Meta itself, or Kapso forwarding
/// it. Only Kapso sends an idempotency key, so only [`Forwarded`](Self::Forwarded) has one.
///
/// ```
/// use kapso_webhooks::verify::{DeliveryKind, MetaOrigin};
/// let origin = MetaOrigin::Forwarded { idempotency_key: Some("k-1".into()) };
/// assert_eq!(origin.kind(), DeliveryKind::MetaForwarded);
/// assert_eq!(origin.idempotency_key(), Some("k-1"));
/// assert!(origin.is_forwarded());
/// assert_eq!(MetaOrigin::Direct.idempotency_key(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetaOrigin {
    /// Signed by Meta (`X-Hub-Signature-256`): [`DeliveryKind::Meta`].
    Direct,
    /// Forwarded by Kapso (`X-Webhook-Signature`): [`DeliveryKind::MetaForwarded`].
    Forwarded {
        /// `X-Idempotency-Key`, when Kapso sent it (see [`Verified::idempotency_key`]).
        idempotency_key: Option<String>,
    },
}

impl MetaOrigin {
    /// [`DeliveryKind::Meta`] or [`DeliveryKind::MetaForwarded`].
    ///
    /// ```
    /// use kapso_webhooks::verify::{DeliveryKind, MetaOrigin};
    /// assert_eq!(MetaOrigin::Direct.kind(), DeliveryKind::Meta);
    /// ```
    #[must_use]
    pub const fn kind(&self) -> DeliveryKind {
        match self {
            Self::Direct => DeliveryKind::Meta,
            Self::Forwarded { .. } => DeliveryKind::MetaForwarded,
        }
    }

    /// Whether Kapso forwarded the body.
    ///
    /// ```
    /// assert!(!kapso_webhooks::verify::MetaOrigin::Direct.is_forwarded());
    /// ```
    #[must_use]
    pub const fn is_forwarded(&self) -> bool {
        matches!(self, Self::Forwarded { .. })
    }

    /// Kapso's `X-Idempotency-Key` for a forwarded body; always `None` for a direct one.
    ///
    /// ```
    /// use kapso_webhooks::verify::MetaOrigin;
    /// let origin = MetaOrigin::Forwarded { idempotency_key: None };
    /// assert_eq!(origin.idempotency_key(), None);
    /// ```
    #[must_use]
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Self::Direct => None,
            Self::Forwarded { idempotency_key } => idempotency_key.as_deref(),
        }
    }
}

/// Whether an authentic Kapso-signed body without `X-Webhook-Event` is a Meta body: anything
/// but a JSON object with neither an `object` nor an `entry` member at its top level (see
/// [`Verifier::verify`]). Reads the body once, skipping values without building them.
fn is_meta_body(body: &[u8]) -> bool {
    serde_json::from_slice::<TopLevel>(body).map_or(true, |top| top.meta_member)
}

/// What [`is_meta_body`] learns from a JSON object: whether it has `object` or `entry`.
struct TopLevel {
    meta_member: bool,
}

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TopLevelVisitor)
    }
}

/// Visits the top-level members of a JSON object; anything else is an error.
struct TopLevelVisitor;

impl<'de> Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
        let mut meta_member = false;
        while let Some(key) = map.next_key::<TopLevelKey>()? {
            meta_member |= matches!(key, TopLevelKey::Object | TopLevelKey::Entry);
            map.next_value::<IgnoredAny>()?;
        }
        Ok(TopLevel { meta_member })
    }
}

/// A top-level member name: the two of a Meta body, or another.
#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum TopLevelKey {
    Object,
    Entry,
    #[serde(other)]
    Other,
}
