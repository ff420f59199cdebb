//! Meta verification handshake (`hub.mode`, `hub.verify_token`, `hub.challenge`).
//!
//! When a webhook URL is registered, Meta sends
//! `GET <url>?hub.mode=subscribe&hub.verify_token=<token>&hub.challenge=<nonce>`.
//! If the token is the one you configured, answer `200` with the challenge as
//! the plain-text body; otherwise answer `403`.
//!
//! ```
//! use kapso_webhooks::verify::handshake::verify_handshake_query;
//!
//! let query = "hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=1158201444";
//! assert_eq!(verify_handshake_query(query, "s3cret").as_deref(), Ok("1158201444"));
//! ```

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Query parameter carrying the mode (`subscribe`).
///
/// ```
/// assert_eq!(kapso_webhooks::verify::handshake::MODE_PARAM, "hub.mode");
/// ```
pub const MODE_PARAM: &str = "hub.mode";

/// Query parameter carrying the verify token.
///
/// ```
/// assert_eq!(kapso_webhooks::verify::handshake::VERIFY_TOKEN_PARAM, "hub.verify_token");
/// ```
pub const VERIFY_TOKEN_PARAM: &str = "hub.verify_token";

/// Query parameter carrying the challenge to echo back.
///
/// ```
/// assert_eq!(kapso_webhooks::verify::handshake::CHALLENGE_PARAM, "hub.challenge");
/// ```
pub const CHALLENGE_PARAM: &str = "hub.challenge";

/// The only accepted value of `hub.mode`.
///
/// ```
/// assert_eq!(kapso_webhooks::verify::handshake::SUBSCRIBE_MODE, "subscribe");
/// ```
pub const SUBSCRIBE_MODE: &str = "subscribe";

/// The handshake parameters of a verification request, already decoded.
///
/// Build it from decoded pairs with [`from_pairs`](Self::from_pairs) (or
/// `collect()`), or from a raw query string with [`parse`](Self::parse).
/// Other parameters are ignored; when a parameter is repeated, the **first**
/// occurrence wins (like `URLSearchParams.get`).
///
/// ```
/// use kapso_webhooks::verify::handshake::HandshakeQuery;
///
/// let query: HandshakeQuery = [("hub.mode", "subscribe"), ("hub.challenge", "42")]
///     .into_iter()
///     .collect();
/// assert_eq!(query.mode.as_deref(), Some("subscribe"));
/// assert_eq!(query.verify_token, None);
/// assert_eq!(query.challenge.as_deref(), Some("42"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandshakeQuery {
    /// `hub.mode`; must be `subscribe`.
    pub mode: Option<String>,
    /// `hub.verify_token`; must equal the configured token.
    pub verify_token: Option<String>,
    /// `hub.challenge`; echoed back on success.
    pub challenge: Option<String>,
}

impl HandshakeQuery {
    /// Collects the handshake parameters from decoded `(key, value)` pairs,
    /// e.g. a framework's parsed query or `url::Url::query_pairs()`.
    ///
    /// ```
    /// use kapso_webhooks::verify::handshake::HandshakeQuery;
    ///
    /// let pairs = vec![
    ///     (String::from("hub.verify_token"), String::from("first")),
    ///     (String::from("hub.verify_token"), String::from("second")),
    /// ];
    /// let query = HandshakeQuery::from_pairs(pairs);
    /// assert_eq!(query.verify_token.as_deref(), Some("first"));
    /// ```
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<String>,
    {
        let mut query = Self::default();
        for (key, value) in pairs {
            let slot = match key.as_ref() {
                MODE_PARAM => &mut query.mode,
                VERIFY_TOKEN_PARAM => &mut query.verify_token,
                CHALLENGE_PARAM => &mut query.challenge,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value.into());
            }
        }
        query
    }

    /// Parses a raw `application/x-www-form-urlencoded` query string (the part
    /// after `?`; a leading `?` is tolerated).
    ///
    /// Pairs are separated by `&`; `+` decodes to a space and `%XX` to a byte;
    /// an invalid `%` escape is kept literally and invalid UTF-8 is replaced
    /// with U+FFFD, as browsers' `URLSearchParams` do.
    ///
    /// ```
    /// use kapso_webhooks::verify::handshake::HandshakeQuery;
    ///
    /// let query = HandshakeQuery::parse("?hub.verify_token=my+t%C3%B8ken%21&hub.challenge=a%2Bb");
    /// assert_eq!(query.verify_token.as_deref(), Some("my tøken!"));
    /// assert_eq!(query.challenge.as_deref(), Some("a+b"));
    /// ```
    #[must_use]
    pub fn parse(raw_query: &str) -> Self {
        let raw_query = raw_query.strip_prefix('?').unwrap_or(raw_query);
        Self::from_pairs(form_urlencoded::parse(raw_query.as_bytes()))
    }
}

impl<K: AsRef<str>, V: Into<String>> FromIterator<(K, V)> for HandshakeQuery {
    /// Same as [`HandshakeQuery::from_pairs`].
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        Self::from_pairs(pairs)
    }
}

/// Why a verification handshake was refused (answer `403`, or `500` for
/// [`NoTokenConfigured`](Self::NoTokenConfigured)).
///
/// ```
/// use kapso_webhooks::verify::handshake::{verify_handshake_query, HandshakeError};
///
/// let err = verify_handshake_query("hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1", "s3cret");
/// assert_eq!(err, Err(HandshakeError::WrongToken));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum HandshakeError {
    /// The configured (expected) verify token is empty.
    #[error("no verify token configured; refusing the handshake")]
    NoTokenConfigured,
    /// `hub.mode` is absent.
    #[error("missing `hub.mode` parameter")]
    MissingMode,
    /// `hub.mode` is present but is not `subscribe`.
    #[error("`hub.mode` is `{mode}`, expected `subscribe`")]
    WrongMode {
        /// The mode received.
        mode: String,
    },
    /// `hub.verify_token` is absent.
    #[error("missing `hub.verify_token` parameter")]
    MissingToken,
    /// `hub.verify_token` does not equal the configured token.
    #[error("`hub.verify_token` does not match the configured token")]
    WrongToken,
    /// `hub.challenge` is absent or empty.
    #[error("missing `hub.challenge` parameter")]
    MissingChallenge,
}

/// Checks a verification request and returns the challenge to echo back.
///
/// `hub.verify_token` is compared with `expected_token` in constant time.
///
/// # Errors
///
/// Checked in this order: the expected token is empty
/// ([`NoTokenConfigured`](HandshakeError::NoTokenConfigured)), `hub.mode` is
/// not `subscribe`, `hub.verify_token` is absent or differs, `hub.challenge`
/// is absent or empty.
///
/// ```
/// use kapso_webhooks::verify::handshake::{verify_handshake, HandshakeError, HandshakeQuery};
///
/// let query = HandshakeQuery {
///     mode: Some("subscribe".into()),
///     verify_token: Some("s3cret".into()),
///     challenge: Some("1158201444".into()),
/// };
/// assert_eq!(verify_handshake(&query, "s3cret"), Ok("1158201444".to_string()));
/// assert_eq!(verify_handshake(&query, "other"), Err(HandshakeError::WrongToken));
/// ```
pub fn verify_handshake(
    query: &HandshakeQuery,
    expected_token: &str,
) -> Result<String, HandshakeError> {
    if expected_token.is_empty() {
        return Err(HandshakeError::NoTokenConfigured);
    }
    match query.mode.as_deref() {
        None => return Err(HandshakeError::MissingMode),
        Some(SUBSCRIBE_MODE) => {}
        Some(mode) => {
            return Err(HandshakeError::WrongMode {
                mode: mode.to_owned(),
            })
        }
    }
    let token = query
        .verify_token
        .as_deref()
        .ok_or(HandshakeError::MissingToken)?;
    if !constant_time_eq(token.as_bytes(), expected_token.as_bytes()) {
        return Err(HandshakeError::WrongToken);
    }
    match query.challenge.as_deref() {
        None | Some("") => Err(HandshakeError::MissingChallenge),
        Some(challenge) => Ok(challenge.to_owned()),
    }
}

/// Parses a raw query string (see [`HandshakeQuery::parse`]) and checks it
/// with [`verify_handshake`].
///
/// # Errors
///
/// As [`verify_handshake`].
///
/// ```
/// use kapso_webhooks::verify::handshake::{verify_handshake_query, HandshakeError};
///
/// let query = "hub.mode=subscribe&hub.verify_token=my%20token&hub.challenge=abc";
/// assert_eq!(verify_handshake_query(query, "my token"), Ok("abc".to_string()));
/// assert_eq!(
///     verify_handshake_query("hub.verify_token=my%20token", "my token"),
///     Err(HandshakeError::MissingMode)
/// );
/// ```
pub fn verify_handshake_query(
    raw_query: &str,
    expected_token: &str,
) -> Result<String, HandshakeError> {
    verify_handshake(&HandshakeQuery::parse(raw_query), expected_token)
}

/// Compares two byte strings without timing leaks about their contents or lengths.
///
/// Both are hashed first (SHA-256), so that the comparison is always of 32 bytes whatever the
/// lengths, then the digests are compared in constant time with `subtle`.
fn constant_time_eq(given: &[u8], expected: &[u8]) -> bool {
    let given = Sha256::digest(given);
    let expected = Sha256::digest(expected);
    bool::from(given.as_slice().ct_eq(expected.as_slice()))
}
