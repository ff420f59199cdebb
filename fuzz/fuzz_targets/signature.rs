//! Signature and handshake parsing: `SignatureScheme::verify`, `Verifier::verify`,
//! `KapsoHeaders`, `HandshakeQuery::parse`, `verify_handshake_query` on arbitrary input.
//!
//! Checks, besides "never panics":
//! - a signature is accepted only when some non-empty secret signs the body to that value
//!   (hex in any case, surrounding whitespace ignored), by `SignatureScheme::verify` and by
//!   `Verifier::verify` whatever the headers;
//! - an empty secret is refused by `Verifier` when configured;
//! - `sign` then `verify` always succeeds for a non-empty secret, also with padding and
//!   uppercase hex;
//! - a handshake is accepted only with mode `subscribe`, the exact token and a non-empty
//!   challenge, which is what it returns;
//! - a percent-encoded query decodes back to exactly the token and challenge it encodes.
#![no_main]

use kapso_webhooks::verify::handshake::{verify_handshake_query, HandshakeError, HandshakeQuery};
use kapso_webhooks::verify::signature::SignatureScheme;
use kapso_webhooks::verify::{DeliveryKind, Verifier};
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
        let result = scheme.verify(body, header, &secrets);
        if result.is_ok() {
            let given = header.unwrap_or_default().trim();
            assert!(
                secrets
                    .iter()
                    .filter(|s| !s.is_empty())
                    .any(|s| produced_by(scheme, body, s, given)),
                "accepted a signature no secret produces: {given:?}"
            );
        }
        let _ = result.map_err(|err| err.to_string());
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            let signed = scheme.sign(body, secret);
            assert_eq!(scheme.verify(body, Some(&signed), &secrets), Ok(()));
            let digest = signed.trim_start_matches(scheme.prefix()).to_uppercase();
            let padded = format!(" \t{}{digest}\t ", scheme.prefix());
            assert_eq!(scheme.verify(body, Some(&padded), &[secret]), Ok(()));
        }
    }
    if let Some(secret) = secrets.first().filter(|s| !s.is_empty()) {
        let meta = SignatureScheme::Meta.sign(body, secret);
        let kapso = SignatureScheme::Kapso.sign(body, secret);
        assert_eq!(meta.trim_start_matches("sha256="), kapso);
        // Kapso's header may also carry Meta's prefix.
        assert_eq!(SignatureScheme::Kapso.verify(body, Some(&meta), &[secret]), Ok(()));
    }

    let headers = KapsoHeaders::from_pairs([
        ("X-Webhook-Signature", header_bytes),
        ("x-webhook-event", header_bytes),
        ("X-Batch-Size", header_bytes),
        ("x-webhook-batch", header_bytes),
        ("X-Webhook-Payload-Version", header_bytes),
        ("X-Idempotency-Key", header_bytes),
    ]);
    let _ = SignatureScheme::Kapso.verify(body, headers.signature.as_deref(), &secrets);

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
                    secrets
                        .iter()
                        .filter(|s| !s.is_empty())
                        .any(|s| produced_by(scheme, body, s, &given)),
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
        assert_eq!(verified.map(|v| v.kind()), Ok(DeliveryKind::MetaForwarded));
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

/// Whether `given` is the signature `secret` makes for `body` under `scheme`, in a form the
/// scheme documents: hex digits in either case, after `sha256=` for Meta, and bare or after
/// `sha256=` for Kapso.
fn produced_by(scheme: SignatureScheme, body: &[u8], secret: &[u8], given: &str) -> bool {
    let digest = match scheme {
        SignatureScheme::Meta => match given.strip_prefix("sha256=") {
            Some(digest) => digest,
            None => return false,
        },
        _ => given.strip_prefix("sha256=").unwrap_or(given),
    };
    let signed = scheme.sign(body, secret);
    signed.trim_start_matches(scheme.prefix()).eq_ignore_ascii_case(digest)
}
