//! Signature and handshake parsing: `Verifier::verify`, `KapsoHeaders`,
//! `HandshakeQuery::parse`, `verify_handshake_query` on arbitrary input.
//!
//! Checks, besides "never panics":
//! - a delivery is accepted only when some configured secret signs the body to its signature
//!   (hex in any case, surrounding whitespace ignored; `sha256=` and hex for Meta, bare hex or
//!   `sha256=` and hex for Kapso), whatever the headers;
//! - an empty secret is refused by `Verifier` when configured;
//! - `sign` then `Verifier::verify` always succeeds for a non-empty secret, also with padding
//!   and uppercase hex;
//! - a Kapso-signed request without `X-Webhook-Event` is a forwarded Meta body exactly when its
//!   body is not a JSON object without top-level `object` and `entry`;
//! - a handshake is accepted only with mode `subscribe`, the exact token and a non-empty
//!   challenge, which is what it returns;
//! - a percent-encoded query decodes back to exactly the token and challenge it encodes.
#![no_main]

use kapso_webhooks::verify::handshake::{verify_handshake_query, HandshakeError, HandshakeQuery};
use kapso_webhooks::verify::signature::SignatureScheme;
use kapso_webhooks::verify::{DeliveryKind, EmptySecret, Verifier};
use kapso_webhooks::KapsoHeaders;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    header: Option<&'a str>,
    header_bytes: &'a [u8],
    secrets: Vec<&'a [u8]>,
    token: &'a str,
    challenge: &'a str,
    query: &'a str,
    body: &'a [u8],
}

fuzz_target!(|input: Input<'_>| {
    let Input {
        header,
        header_bytes,
        secrets,
        token,
        challenge,
        query,
        body,
    } = input;

    for scheme in [SignatureScheme::Meta, SignatureScheme::Kapso] {
        // The secrets as this sender's only; the empty ones are refused.
        let mut verifier = Verifier::new();
        for secret in &secrets {
            let added = with_secret(verifier.clone(), scheme, secret);
            assert_eq!(added.is_err(), secret.is_empty());
            if let Ok(added) = added {
                verifier = added;
            }
        }
        let result = verifier.verify(header.map(|value| (scheme.header_name(), value)), body);
        if let Ok(verified) = &result {
            assert_eq!(verified.kind().scheme(), scheme);
            let given = header.unwrap_or_default().trim();
            assert!(
                secrets.iter().any(|s| produced_by(scheme, body, s, given)),
                "accepted a signature no secret produces: {given:?}"
            );
        }
        let _ = result.map_err(|err| err.to_string());
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            let signed = scheme.sign(body, secret);
            let headers = [(scheme.header_name(), signed.as_str())];
            assert!(verifier.verify(headers, body).is_ok());
            let digest = signed.trim_start_matches(scheme.prefix()).to_uppercase();
            let padded = format!(" \t{}{digest}\t ", scheme.prefix());
            let only = with_secret(Verifier::new(), scheme, secret);
            let headers = [(scheme.header_name(), padded.as_str())];
            assert!(only.is_ok_and(|only| only.verify(headers, body).is_ok()));
        }
    }
    if let Some(secret) = secrets.first().filter(|s| !s.is_empty()) {
        let meta = SignatureScheme::Meta.sign(body, secret);
        let kapso = SignatureScheme::Kapso.sign(body, secret);
        assert_eq!(meta.trim_start_matches("sha256="), kapso);
        // Kapso's header may also carry Meta's prefix.
        let verifier = Verifier::new().with_kapso_secret(*secret);
        let headers = [("X-Webhook-Signature", meta.as_str())];
        assert!(verifier.is_ok_and(|verifier| verifier.verify(headers, body).is_ok()));
    }

    let headers = KapsoHeaders::from_pairs([
        ("X-Webhook-Signature", header_bytes),
        ("x-webhook-event", header_bytes),
        ("X-Batch-Size", header_bytes),
        ("x-webhook-batch", header_bytes),
        ("X-Webhook-Payload-Version", header_bytes),
        ("X-Idempotency-Key", header_bytes),
    ]);
    if let Ok(verifier) = Verifier::new().with_kapso_secret(token) {
        let signature = headers
            .signature
            .as_deref()
            .map(|s| ("x-webhook-signature", s));
        let _ = verifier
            .verify(signature, body)
            .map(|verified| verified.parse());
    }

    // The same secrets as Meta's and as Kapso's, in a `Verifier`; arbitrary headers.
    let mut verifier = Verifier::new();
    for secret in &secrets {
        let added = verifier.clone().with_app_secret(*secret);
        assert_eq!(added.is_err(), secret.is_empty());
        if let Ok(added) = added.and_then(|v| v.with_kapso_secret(*secret)) {
            verifier = added;
        }
    }
    let pairs = [
        ("X-Hub-Signature-256", header_bytes),
        ("x-webhook-signature", header.unwrap_or_default().as_bytes()),
        ("X-Webhook-Event", challenge.as_bytes()),
        ("x-idempotency-key", token.as_bytes()),
    ];
    for mask in 0u8..8 {
        // Each subset of the first three headers, always with the idempotency key.
        let chosen = pairs
            .iter()
            .enumerate()
            .filter(|(index, _)| *index == 3 || mask & (1 << index) != 0)
            .map(|(_, pair)| *pair);
        match verifier.verify(chosen, body) {
            Ok(verified) => {
                let kapso_signed = verified.kind() != DeliveryKind::Meta;
                let given = if kapso_signed {
                    header.unwrap_or_default().trim().to_owned()
                } else {
                    String::from_utf8_lossy(header_bytes).trim().to_owned()
                };
                let scheme = verified.kind().scheme();
                assert!(
                    secrets.iter().any(|s| produced_by(scheme, body, s, &given)),
                    "the verifier accepted a signature no secret produces: {given:?}"
                );
                assert_eq!(verified.body(), body);
                let _ = verified.parse();
            }
            Err(err) => {
                let _ = err.to_string();
            }
        }
    }
    if let Some(secret) = secrets.iter().find(|s| !s.is_empty()) {
        let signed = SignatureScheme::Kapso.sign(body, secret);
        let verified = verifier.verify([("X-WEBHOOK-SIGNATURE", signed.as_str())], body);
        let kind = verified.map(|v| v.kind());
        // Without `X-Webhook-Event`, the body decides: a JSON object without top-level
        // `object` and `entry` is a Kapso event, anything else a Meta body. (A body too deep
        // for `Value` may be either.)
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(serde_json::Value::Object(top)) => {
                let meta = top.contains_key("object") || top.contains_key("entry");
                let expected = if meta {
                    DeliveryKind::MetaForwarded
                } else {
                    DeliveryKind::KapsoEvent
                };
                assert_eq!(kind, Ok(expected));
            }
            Ok(_) => assert_eq!(kind, Ok(DeliveryKind::MetaForwarded)),
            Err(_) => assert!(matches!(
                kind,
                Ok(DeliveryKind::MetaForwarded | DeliveryKind::KapsoEvent)
            )),
        }
        let signed = SignatureScheme::Meta.sign(body, secret);
        let verified = verifier.verify([("x-hub-signature-256", signed.as_str())], body);
        assert_eq!(verified.map(|v| v.kind()), Ok(DeliveryKind::Meta));
    }

    let parsed = HandshakeQuery::parse(query);
    match verify_handshake_query(query, token) {
        Ok(echo) => {
            assert!(!token.is_empty() && !echo.is_empty());
            assert_eq!(parsed.mode.as_deref(), Some("subscribe"));
            assert_eq!(parsed.verify_token.as_deref(), Some(token));
            assert_eq!(parsed.challenge.as_deref(), Some(echo.as_str()));
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }

    let built = format!(
        "?hub.mode=subscribe&hub.verify_token={}&hub.challenge={}&{}",
        encode(token),
        encode(challenge),
        query
    );
    let reparsed = HandshakeQuery::parse(&built);
    assert_eq!(reparsed.verify_token.as_deref(), Some(token));
    assert_eq!(reparsed.challenge.as_deref(), Some(challenge));
    let expected = if token.is_empty() {
        Err(HandshakeError::NoTokenConfigured)
    } else if challenge.is_empty() {
        Err(HandshakeError::MissingChallenge)
    } else {
        Ok(challenge.to_owned())
    };
    assert_eq!(verify_handshake_query(&built, token), expected);
});

/// Percent-encodes every byte that is not an ASCII letter or digit.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `verifier` with `secret` added as `scheme`'s.
fn with_secret(
    verifier: Verifier,
    scheme: SignatureScheme,
    secret: &[u8],
) -> Result<Verifier, EmptySecret> {
    match scheme {
        SignatureScheme::Meta => verifier.with_app_secret(secret),
        SignatureScheme::Kapso => verifier.with_kapso_secret(secret),
        _ => unreachable!("a scheme this target does not know: {scheme:?}"),
    }
}

/// Whether `given` is the signature a non-empty `secret` makes for `body` under `scheme`, in a
/// form the scheme documents: hex digits in either case, after `sha256=` for Meta, and bare or
/// after `sha256=` for Kapso.
fn produced_by(scheme: SignatureScheme, body: &[u8], secret: &[u8], given: &str) -> bool {
    if secret.is_empty() {
        return false;
    }
    let digest = match scheme {
        SignatureScheme::Meta => match given.strip_prefix("sha256=") {
            Some(digest) => digest,
            None => return false,
        },
        SignatureScheme::Kapso => given.strip_prefix("sha256=").unwrap_or(given),
        // A scheme this oracle does not know produces nothing it accepts.
        _ => return false,
    };
    let signed = scheme.sign(body, secret);
    signed
        .trim_start_matches(scheme.prefix())
        .eq_ignore_ascii_case(digest)
}
