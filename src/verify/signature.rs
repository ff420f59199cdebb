//! Webhook signatures: Meta `X-Hub-Signature-256` and Kapso `X-Webhook-Signature`.
//!
//! Both are HMAC-SHA256 of the **raw request body** (the exact bytes received,
//! before any JSON parsing), hex encoded:
//!
//! | Scheme | Header | Value | Key |
//! |--------|--------|-------|-----|
//! | [`SignatureScheme::Meta`] | [`META_SIGNATURE_HEADER`] | `sha256=<64 hex>` | Meta app secret |
//! | [`SignatureScheme::Kapso`] | [`KAPSO_SIGNATURE_HEADER`] | `<64 hex>` | Kapso webhook secret |
//!
//! [`SignatureScheme`] names the two formats and signs a body (for tests, or to forward a
//! body yourself). Checking a signature is the job of
//! [`Verifier`](crate::verify::Verifier), the crate's one verification API: it holds the
//! secrets (refusing empty ones), tells which kind of delivery a request is, and compares
//! digests in constant time against every secret of the sender (key rotation). Its refusals
//! carry a [`SignatureError`] when the signature itself is wrong.
//!
//! ```
//! use kapso_webhooks::verify::signature::SignatureScheme;
//! use kapso_webhooks::verify::Verifier;
//!
//! let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
//! let header = SignatureScheme::Meta.sign(body, b"app-secret");
//! let verifier = Verifier::new().with_app_secret("app-secret")?;
//! assert!(verifier.verify([("X-Hub-Signature-256", header.as_str())], body).is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Name of Meta's signature header, lowercase (HTTP header names are case-insensitive).
///
/// ```
/// assert_eq!(kapso_webhooks::verify::signature::META_SIGNATURE_HEADER, "x-hub-signature-256");
/// ```
pub const META_SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// Name of Kapso's signature header, lowercase (HTTP header names are case-insensitive).
///
/// ```
/// assert_eq!(kapso_webhooks::verify::signature::KAPSO_SIGNATURE_HEADER, "x-webhook-signature");
/// ```
pub const KAPSO_SIGNATURE_HEADER: &str = "x-webhook-signature";

/// Prefix of Meta's signature header value. Matched exactly (lowercase), as Meta sends it.
///
/// ```
/// assert_eq!(kapso_webhooks::verify::signature::META_SIGNATURE_PREFIX, "sha256=");
/// ```
pub const META_SIGNATURE_PREFIX: &str = "sha256=";

/// Number of hex digits in an HMAC-SHA256 digest.
const DIGEST_HEX_LEN: usize = 64;

type HmacSha256 = Hmac<Sha256>;

/// Which webhook signature format: who signs, in which header, with which prefix.
///
/// It signs ([`sign`](Self::sign)); [`Verifier`](crate::verify::Verifier) verifies.
///
/// ```
/// use kapso_webhooks::verify::signature::SignatureScheme;
/// use kapso_webhooks::verify::Verifier;
///
/// let scheme = SignatureScheme::Kapso;
/// let header = scheme.sign(b"{}", b"secret");
/// assert_eq!(header.len(), 64);
/// assert_eq!(scheme.header_name(), "x-webhook-signature");
/// let verifier = Verifier::new().with_kapso_secret("old-secret")?.with_kapso_secret("secret")?;
/// assert!(verifier.verify([(scheme.header_name(), header.as_str())], b"{}").is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureScheme {
    /// Meta (`WhatsApp` Cloud API): `X-Hub-Signature-256: sha256=<hex>`, keyed with the app secret.
    Meta,
    /// Kapso: `X-Webhook-Signature: <hex>`, keyed with the webhook secret.
    Kapso,
}

impl SignatureScheme {
    /// The (lowercase) name of the header carrying the signature.
    ///
    /// ```
    /// use kapso_webhooks::verify::signature::SignatureScheme;
    /// assert_eq!(SignatureScheme::Meta.header_name(), "x-hub-signature-256");
    /// ```
    #[must_use]
    pub const fn header_name(self) -> &'static str {
        match self {
            Self::Meta => META_SIGNATURE_HEADER,
            Self::Kapso => KAPSO_SIGNATURE_HEADER,
        }
    }

    /// The prefix before the hex digest: `"sha256="` for Meta, `""` for Kapso.
    ///
    /// ```
    /// use kapso_webhooks::verify::signature::SignatureScheme;
    /// assert_eq!(SignatureScheme::Meta.prefix(), "sha256=");
    /// assert_eq!(SignatureScheme::Kapso.prefix(), "");
    /// ```
    #[must_use]
    pub const fn prefix(self) -> &'static str {
        match self {
            Self::Meta => META_SIGNATURE_PREFIX,
            Self::Kapso => "",
        }
    }

    /// Computes the header value for `body` under `secret` (lowercase hex), e.g.
    /// for tests or for forwarding a body yourself.
    ///
    /// ```
    /// use kapso_webhooks::verify::signature::SignatureScheme;
    /// let header = SignatureScheme::Meta.sign(b"{}", b"secret");
    /// assert!(header.starts_with("sha256="));
    /// assert_eq!(header.len(), 7 + 64);
    /// // RFC 4231, test case 2.
    /// assert_eq!(
    ///     SignatureScheme::Kapso.sign(b"what do ya want for nothing?", "Jefe"),
    ///     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    /// );
    /// ```
    #[must_use]
    pub fn sign(self, body: &[u8], secret: impl AsRef<[u8]>) -> String {
        match hmac_sha256(secret.as_ref()) {
            Some(mut mac) => {
                mac.update(body);
                let digest = hex::encode(mac.finalize().into_bytes());
                format!("{}{digest}", self.prefix())
            }
            // Unreachable (see `hmac_sha256`); an empty value is one no verification accepts.
            None => String::new(),
        }
    }

    /// Extracts the 32-byte digest from a header value.
    pub(crate) fn parse_header(self, header: Option<&str>) -> Result<[u8; 32], SignatureError> {
        let value = header.map(str::trim).unwrap_or_default();
        if value.is_empty() {
            return Err(SignatureError::Missing {
                header: self.header_name(),
            });
        }
        let hex_digits = match self {
            // Kapso documents bare hex; some of Kapso's own adapters also send `sha256=`.
            Self::Kapso => value.strip_prefix(META_SIGNATURE_PREFIX).unwrap_or(value),
            Self::Meta => {
                value
                    .strip_prefix(META_SIGNATURE_PREFIX)
                    .ok_or(SignatureError::Malformed(
                        MalformedSignature::MissingPrefix {
                            expected: META_SIGNATURE_PREFIX,
                        },
                    ))?
            }
        };
        if !hex_digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(SignatureError::Malformed(MalformedSignature::NotHex));
        }
        if hex_digits.len() != DIGEST_HEX_LEN {
            return Err(SignatureError::Malformed(MalformedSignature::WrongLength {
                expected: DIGEST_HEX_LEN,
                found: hex_digits.len(),
            }));
        }
        let mut digest = [0u8; 32];
        hex::decode_to_slice(hex_digits, &mut digest)
            .map_err(|_| SignatureError::Malformed(MalformedSignature::NotHex))?;
        Ok(digest)
    }
}

impl fmt::Display for SignatureScheme {
    /// `Meta` or `Kapso`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Meta => "Meta",
            Self::Kapso => "Kapso",
        })
    }
}

/// Why a webhook signature was rejected: what
/// [`VerifyError::Invalid`](crate::verify::VerifyError::Invalid) carries. Every variant means
/// the request is not authentic (answer 401).
///
/// ```
/// use kapso_webhooks::verify::signature::{MalformedSignature, SignatureError, SignatureScheme};
/// use kapso_webhooks::verify::{Verifier, VerifyError};
///
/// let verifier = Verifier::new().with_kapso_secret("secret")?;
/// let err = verifier.verify([("X-Webhook-Signature", "abc")], b"{}").unwrap_err();
/// let error = SignatureError::Malformed(MalformedSignature::WrongLength { expected: 64, found: 3 });
/// assert_eq!(err, VerifyError::Invalid { scheme: SignatureScheme::Kapso, error });
/// assert_eq!(
///     err.to_string(),
///     "malformed signature header: digest has 3 hex digits, expected 64"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The header is absent, empty or whitespace only.
    #[error("missing signature header `{header}`")]
    Missing {
        /// Name of the expected header.
        header: &'static str,
    },
    /// The header is present but is not a well-formed signature.
    #[error("malformed signature header: {0}")]
    Malformed(MalformedSignature),
    /// The signature is well formed but no configured secret produces it:
    /// wrong secret, or the body was altered.
    #[error("signature does not match the body under any configured secret")]
    Mismatch,
}

/// What is wrong with a malformed signature header ([`SignatureError::Malformed`]).
///
/// ```
/// use kapso_webhooks::verify::signature::{MalformedSignature, SignatureError, SignatureScheme};
/// use kapso_webhooks::verify::{Verifier, VerifyError};
///
/// let verifier = Verifier::new().with_app_secret("secret")?;
/// let err = verifier.verify([("X-Hub-Signature-256", "sha1=0123")], b"{}").unwrap_err();
/// let error = SignatureError::Malformed(MalformedSignature::MissingPrefix { expected: "sha256=" });
/// assert_eq!(err, VerifyError::Invalid { scheme: SignatureScheme::Meta, error });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum MalformedSignature {
    /// The value does not start with the required prefix (`sha256=` for Meta).
    #[error("expected the `{expected}` prefix")]
    MissingPrefix {
        /// The required prefix.
        expected: &'static str,
    },
    /// The digest contains a character that is not a hex digit.
    #[error("digest is not hexadecimal")]
    NotHex,
    /// The digest does not have the 64 hex digits of an HMAC-SHA256.
    #[error("digest has {found} hex digits, expected {expected}")]
    WrongLength {
        /// Required number of hex digits (64).
        expected: usize,
        /// Number of hex digits received.
        found: usize,
    },
}

/// Whether some secret of `secrets` signs `body` to `digest`: the HMAC of each
/// secret is compared with `digest` in constant time (`Mac::verify_slice`).
pub(crate) fn signed_by_any<'s>(
    body: &[u8],
    digest: &[u8; 32],
    secrets: impl IntoIterator<Item = &'s [u8]>,
) -> bool {
    secrets.into_iter().any(|secret| {
        hmac_sha256(secret).is_some_and(|mut mac| {
            mac.update(body);
            mac.verify_slice(digest).is_ok()
        })
    })
}

/// HMAC-SHA256 keyed with `secret`: the one place where a key is prepared.
///
/// `Hmac::new_from_slice` accepts keys of any length (RFC 2104: longer keys are
/// hashed, shorter ones padded), so its `InvalidLength` error cannot happen for
/// HMAC. It is still handled, here and only here, by failing closed: `None`
/// makes verification refuse the signature and signing produce an empty value,
/// which verification refuses as missing.
fn hmac_sha256(secret: &[u8]) -> Option<HmacSha256> {
    <HmacSha256 as Mac>::new_from_slice(secret).ok()
}
