//! Tests for webhook signature verification and the Meta verification handshake.
use hmac::{Hmac, Mac};
use kapso_webhooks::verify::handshake::{
    verify_handshake, verify_handshake_query, HandshakeError, HandshakeQuery, CHALLENGE_PARAM,
    MODE_PARAM, SUBSCRIBE_MODE, VERIFY_TOKEN_PARAM,
};
use kapso_webhooks::verify::signature::{
    MalformedSignature, SignatureError, SignatureScheme, KAPSO_SIGNATURE_HEADER,
    META_SIGNATURE_HEADER, META_SIGNATURE_PREFIX,
};
use kapso_webhooks::verify::{EmptySecret, Verifier, VerifyError};

const BODY: &[u8] =
    br#"{"object":"whatsapp_business_account","entry":[{"id":"123","changes":[]}]}"#;
const SECRET: &[u8] = b"app-secret";

fn malformed(reason: MalformedSignature) -> Result<(), SignatureError> {
    Err(SignatureError::Malformed(reason))
}

/// Checks `header` (`None`: absent) as `scheme`'s signature of `body`, through a [`Verifier`]
/// holding `secrets` as that sender's: the [`SignatureError`] it refuses with, if any.
fn verify<S: AsRef<[u8]>>(
    scheme: SignatureScheme,
    body: &[u8],
    header: Option<&str>,
    secrets: &[S],
) -> Result<(), SignatureError> {
    let verifier = secrets.iter().fold(Verifier::new(), |verifier, secret| {
        let secret = secret.as_ref().to_vec();
        match scheme {
            SignatureScheme::Meta => verifier.with_app_secret(secret),
            SignatureScheme::Kapso => verifier.with_kapso_secret(secret),
            other => panic!("no secrets for {other:?}"),
        }
        .expect("a non-empty secret")
    });
    let headers: Vec<(&str, &str)> = header
        .map(|value| (scheme.header_name(), value))
        .into_iter()
        .collect();
    match verifier.verify(headers, body) {
        Ok(_) => Ok(()),
        Err(VerifyError::Invalid {
            scheme: signed,
            error,
        }) => {
            assert_eq!(signed, scheme);
            Err(error)
        }
        Err(VerifyError::Missing { expected }) => {
            assert_eq!(expected, [scheme.header_name()]);
            Err(SignatureError::Missing {
                header: scheme.header_name(),
            })
        }
        Err(other) => panic!("not a signature error: {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// RFC 4231 HMAC-SHA256 test vectors
// ---------------------------------------------------------------------------

/// (key, data, HMAC-SHA-256) for RFC 4231 test cases 1, 2, 3, 4, 6, 7.
/// (Case 5 is a truncated-output test and does not apply.)
fn rfc4231_vectors() -> Vec<(&'static str, Vec<u8>, Vec<u8>, &'static str)> {
    vec![
        (
            "1",
            vec![0x0b; 20],
            b"Hi There".to_vec(),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        ),
        (
            "2",
            b"Jefe".to_vec(),
            b"what do ya want for nothing?".to_vec(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ),
        (
            "3",
            vec![0xaa; 20],
            vec![0xdd; 50],
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
        ),
        (
            "4",
            (0x01..=0x19).collect(),
            vec![0xcd; 50],
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
        ),
        (
            "6",
            vec![0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
        (
            "7",
            vec![0xaa; 131],
            b"This is a test using a larger than block-size key and a larger than block-size \
              data. The key needs to be hashed before being used by the HMAC algorithm."
                .to_vec(),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        ),
    ]
}

#[test]
fn rfc4231_sign_kapso() {
    for (case, key, data, expected) in rfc4231_vectors() {
        assert_eq!(
            SignatureScheme::Kapso.sign(&data, &key),
            expected,
            "RFC 4231 test case {case}"
        );
    }
}

#[test]
fn rfc4231_sign_meta_and_verify() {
    for (case, key, data, expected) in rfc4231_vectors() {
        assert_eq!(
            SignatureScheme::Meta.sign(&data, &key),
            format!("sha256={expected}"),
            "RFC 4231 test case {case}"
        );
        assert_eq!(
            verify(SignatureScheme::Kapso, &data, Some(expected), &[&key]),
            Ok(()),
            "case {case}"
        );
        assert_eq!(
            verify(
                SignatureScheme::Meta,
                &data,
                Some(&format!("sha256={expected}")),
                &[&key]
            ),
            Ok(()),
            "case {case}"
        );
    }
}

#[test]
fn signing_matches_hmac_crate_for_all_key_lengths() {
    // Key lengths around the 64-byte SHA-256 block size exercise the key preparation.
    for len in [0, 1, 31, 32, 63, 64, 65, 127, 128, 200] {
        let key: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
        mac.update(BODY);
        let expected = hex::encode(mac.finalize().into_bytes());
        assert_eq!(
            SignatureScheme::Kapso.sign(BODY, &key),
            expected,
            "key length {len}"
        );
    }
}

// ---------------------------------------------------------------------------
// Constants and schemes
// ---------------------------------------------------------------------------

#[test]
fn header_constants() {
    assert_eq!(META_SIGNATURE_HEADER, "x-hub-signature-256");
    assert_eq!(KAPSO_SIGNATURE_HEADER, "x-webhook-signature");
    assert_eq!(META_SIGNATURE_PREFIX, "sha256=");
    assert_eq!(SignatureScheme::Meta.header_name(), META_SIGNATURE_HEADER);
    assert_eq!(SignatureScheme::Kapso.header_name(), KAPSO_SIGNATURE_HEADER);
    assert_eq!(SignatureScheme::Meta.prefix(), "sha256=");
    assert_eq!(SignatureScheme::Kapso.prefix(), "");
    assert_eq!(SignatureScheme::Meta.to_string(), "Meta");
    assert_eq!(SignatureScheme::Kapso.to_string(), "Kapso");
}

#[test]
fn sign_output_format() {
    let meta = SignatureScheme::Meta.sign(BODY, SECRET);
    let kapso = SignatureScheme::Kapso.sign(BODY, SECRET);
    assert_eq!(meta, format!("sha256={kapso}"));
    assert_eq!(kapso.len(), 64);
    assert!(kapso
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert_eq!(SignatureScheme::Meta.sign(BODY, SECRET), meta);
    assert_eq!(SignatureScheme::Kapso.sign(BODY, SECRET), kapso);
}

// ---------------------------------------------------------------------------
// Valid signatures
// ---------------------------------------------------------------------------

#[test]
fn valid_meta_signature() {
    let header = SignatureScheme::Meta.sign(BODY, SECRET);
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some(&header), &[SECRET]),
        Ok(())
    );
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some(&header), &[SECRET]),
        Ok(())
    );
}

#[test]
fn valid_kapso_signature() {
    let header = SignatureScheme::Kapso.sign(BODY, SECRET);
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, Some(&header), &[SECRET]),
        Ok(())
    );
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, Some(&header), &[SECRET]),
        Ok(())
    );
}

#[test]
fn secrets_as_strings_vecs_and_byte_slices() {
    let header = SignatureScheme::Kapso.sign(BODY, "s3cret");
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, Some(&header), &["s3cret"]),
        Ok(())
    );
    assert_eq!(
        verify(
            SignatureScheme::Kapso,
            BODY,
            Some(&header),
            &[String::from("s3cret")]
        ),
        Ok(())
    );
    let from_config: Vec<Vec<u8>> = vec![b"s3cret".to_vec()];
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, Some(&header), &from_config),
        Ok(())
    );
    let mixed: &[&[u8]] = &[b"a-longer-old-secret", b"s3cret"];
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, Some(&header), mixed),
        Ok(())
    );
}

#[test]
fn uppercase_and_mixed_case_hex() {
    let kapso = SignatureScheme::Kapso.sign(BODY, SECRET);
    let upper = kapso.to_ascii_uppercase();
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, Some(&upper), &[SECRET]),
        Ok(())
    );
    let meta_upper = format!("sha256={upper}");
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some(&meta_upper), &[SECRET]),
        Ok(())
    );
    let mixed: String = kapso
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, Some(&mixed), &[SECRET]),
        Ok(())
    );
}

#[test]
fn surrounding_whitespace_is_tolerated() {
    let meta = SignatureScheme::Meta.sign(BODY, SECRET);
    let kapso = SignatureScheme::Kapso.sign(BODY, SECRET);
    for pad in [" ", "\t", "  \t ", "\r\n"] {
        let header = format!("{pad}{meta}{pad}");
        assert_eq!(
            verify(SignatureScheme::Meta, BODY, Some(&header), &[SECRET]),
            Ok(())
        );
        let header = format!("{pad}{kapso}{pad}");
        assert_eq!(
            verify(SignatureScheme::Kapso, BODY, Some(&header), &[SECRET]),
            Ok(())
        );
    }
}

#[test]
fn inner_whitespace_is_malformed() {
    let kapso = SignatureScheme::Kapso.sign(BODY, SECRET);
    let header = format!("sha256= {kapso}");
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some(&header), &[SECRET]),
        malformed(MalformedSignature::NotHex)
    );
    let header = format!("sha256 ={kapso}");
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some(&header), &[SECRET]),
        malformed(MalformedSignature::MissingPrefix {
            expected: "sha256="
        })
    );
}

#[test]
fn non_ascii_body() {
    let body = "{\"text\":\"olá, 世界 👋 — ñ\"}".as_bytes();
    let header = SignatureScheme::Meta.sign(body, SECRET);
    assert_eq!(
        verify(SignatureScheme::Meta, body, Some(&header), &[SECRET]),
        Ok(())
    );
    let header = SignatureScheme::Kapso.sign(body, SECRET);
    assert_eq!(
        verify(SignatureScheme::Kapso, body, Some(&header), &[SECRET]),
        Ok(())
    );
    // Arbitrary, non-UTF-8 bytes too.
    let binary = [0xff, 0x00, 0xfe, 0x80, 0x7f];
    let header = SignatureScheme::Kapso.sign(&binary, SECRET);
    assert_eq!(
        verify(SignatureScheme::Kapso, &binary, Some(&header), &[SECRET]),
        Ok(())
    );
}

#[test]
fn empty_body() {
    let header = SignatureScheme::Meta.sign(b"", SECRET);
    assert_eq!(
        verify(SignatureScheme::Meta, b"", Some(&header), &[SECRET]),
        Ok(())
    );
    assert_eq!(
        verify(SignatureScheme::Meta, b" ", Some(&header), &[SECRET]),
        Err(SignatureError::Mismatch)
    );
}

// ---------------------------------------------------------------------------
// Mismatches and key rotation
// ---------------------------------------------------------------------------

#[test]
fn wrong_secret() {
    let header = SignatureScheme::Meta.sign(BODY, SECRET);
    assert_eq!(
        verify(
            SignatureScheme::Meta,
            BODY,
            Some(&header),
            &[b"other-secret"]
        ),
        Err(SignatureError::Mismatch)
    );
    let header = SignatureScheme::Kapso.sign(BODY, SECRET);
    assert_eq!(
        verify(
            SignatureScheme::Kapso,
            BODY,
            Some(&header),
            &[b"other-secret"]
        ),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn key_rotation_any_secret_matches() {
    let old: &[u8] = b"old-secret";
    let new: &[u8] = b"new-secret";
    let signed_with_new = SignatureScheme::Meta.sign(BODY, new);
    let signed_with_old = SignatureScheme::Meta.sign(BODY, old);
    assert_eq!(
        verify(
            SignatureScheme::Meta,
            BODY,
            Some(&signed_with_new),
            &[old, new]
        ),
        Ok(())
    );
    assert_eq!(
        verify(
            SignatureScheme::Meta,
            BODY,
            Some(&signed_with_old),
            &[old, new]
        ),
        Ok(())
    );
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some(&signed_with_new), &[old]),
        Err(SignatureError::Mismatch)
    );
    let kapso = SignatureScheme::Kapso.sign(BODY, "third");
    assert_eq!(
        verify(
            SignatureScheme::Kapso,
            BODY,
            Some(&kapso),
            &["first", "second", "third"]
        ),
        Ok(())
    );
    assert_eq!(
        verify(
            SignatureScheme::Kapso,
            BODY,
            Some(&kapso),
            &["first", "second"]
        ),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn body_changed_by_one_byte() {
    let header = SignatureScheme::Meta.sign(BODY, SECRET);
    for i in 0..BODY.len() {
        let mut tampered = BODY.to_vec();
        tampered[i] ^= 0x01;
        assert_eq!(
            verify(SignatureScheme::Meta, &tampered, Some(&header), &[SECRET]),
            Err(SignatureError::Mismatch),
            "byte {i}"
        );
    }
    let mut longer = BODY.to_vec();
    longer.push(b'\n');
    assert_eq!(
        verify(SignatureScheme::Meta, &longer, Some(&header), &[SECRET]),
        Err(SignatureError::Mismatch)
    );
    let shorter = &BODY[..BODY.len() - 1];
    assert_eq!(
        verify(SignatureScheme::Meta, shorter, Some(&header), &[SECRET]),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn signature_changed_by_one_digit() {
    let header = SignatureScheme::Kapso.sign(BODY, SECRET);
    let mut digits: Vec<u8> = header.into_bytes();
    digits[63] = if digits[63] == b'0' { b'1' } else { b'0' };
    let header = String::from_utf8(digits).unwrap();
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, Some(&header), &[SECRET]),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn meta_needs_its_prefix() {
    // A bare Kapso value in a Meta header lacks the prefix.
    let kapso = SignatureScheme::Kapso.sign(BODY, SECRET);
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some(&kapso), &[SECRET]),
        malformed(MalformedSignature::MissingPrefix {
            expected: "sha256="
        })
    );
}

#[test]
fn kapso_accepts_bare_hex_and_the_sha256_prefix() {
    let bare = SignatureScheme::Kapso.sign(BODY, SECRET);
    let prefixed = format!("sha256={bare}");
    for header in [
        &bare,
        &prefixed,
        &prefixed.to_uppercase().replace("SHA256=", "sha256="),
    ] {
        assert_eq!(
            verify(SignatureScheme::Kapso, BODY, Some(header), &[SECRET]),
            Ok(()),
            "{header}"
        );
    }
    // The prefix changes nothing else: a wrong digest, a wrong secret, or no digest still fail.
    let wrong = format!("sha256={}", SignatureScheme::Kapso.sign(b"other", SECRET));
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, Some(&wrong), &[SECRET]),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify(
            SignatureScheme::Kapso,
            BODY,
            Some(&prefixed),
            &[b"another secret".as_slice()]
        ),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, Some("sha256="), &[SECRET]),
        malformed(MalformedSignature::WrongLength {
            expected: 64,
            found: 0
        })
    );
    // Only the exact lowercase prefix, once.
    for header in [
        format!("SHA256={bare}"),
        format!("sha256=sha256={bare}"),
        format!("sha1={bare}"),
    ] {
        assert!(
            matches!(
                verify(SignatureScheme::Kapso, BODY, Some(&header), &[SECRET]),
                Err(SignatureError::Malformed(_))
            ),
            "{header}"
        );
    }
}

// ---------------------------------------------------------------------------
// Missing header, missing secrets
// ---------------------------------------------------------------------------

#[test]
fn missing_header() {
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, None, &[SECRET]),
        Err(SignatureError::Missing {
            header: "x-hub-signature-256"
        })
    );
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, None, &[SECRET]),
        Err(SignatureError::Missing {
            header: "x-webhook-signature"
        })
    );
}

#[test]
fn empty_or_blank_header_is_missing() {
    for header in ["", " ", "\t", " \r\n "] {
        assert_eq!(
            verify(SignatureScheme::Meta, BODY, Some(header), &[SECRET]),
            Err(SignatureError::Missing {
                header: META_SIGNATURE_HEADER
            }),
            "{header:?}"
        );
        assert_eq!(
            verify(SignatureScheme::Kapso, BODY, Some(header), &[SECRET]),
            Err(SignatureError::Missing {
                header: KAPSO_SIGNATURE_HEADER
            }),
            "{header:?}"
        );
    }
}

#[test]
fn no_secrets_configured() {
    let header = SignatureScheme::Meta.sign(BODY, SECRET);
    let none = Verifier::new();
    assert_eq!(
        none.verify([(META_SIGNATURE_HEADER, header.as_str())], BODY)
            .unwrap_err(),
        VerifyError::NoSecrets
    );
    assert_eq!(
        none.verify([("content-type", "application/json")], BODY)
            .unwrap_err(),
        VerifyError::NoSecrets
    );
}

#[test]
fn empty_secrets_are_refused_at_construction() {
    // An empty key must never verify, even with a correct empty-key signature: it cannot
    // even be configured, alone or next to a real one.
    for scheme in [SignatureScheme::Meta, SignatureScheme::Kapso] {
        let refused = EmptySecret { scheme };
        let (alone, after_real) = match scheme {
            SignatureScheme::Meta => (
                Verifier::new().with_app_secret(""),
                Verifier::new()
                    .with_app_secret("real")
                    .and_then(|v| v.with_app_secret("")),
            ),
            _ => (
                Verifier::new().with_kapso_secret(""),
                Verifier::new()
                    .with_kapso_secret("real")
                    .and_then(|v| v.with_kapso_secret("")),
            ),
        };
        assert_eq!(alone.unwrap_err(), refused);
        assert_eq!(after_real.unwrap_err(), refused);
    }
    // With a real secret only, the empty-key signature is just a mismatch.
    let forged = SignatureScheme::Meta.sign(BODY, b"");
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some(&forged), &["real"]),
        Err(SignatureError::Mismatch)
    );
    let good = SignatureScheme::Meta.sign(BODY, "real");
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some(&good), &["real"]),
        Ok(())
    );
}

// ---------------------------------------------------------------------------
// Malformed headers
// ---------------------------------------------------------------------------

#[test]
fn meta_missing_prefix() {
    let digest = SignatureScheme::Kapso.sign(BODY, SECRET);
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some(&digest), &[SECRET]),
        malformed(MalformedSignature::MissingPrefix {
            expected: "sha256="
        })
    );
}

#[test]
fn meta_wrong_prefix() {
    let digest = SignatureScheme::Kapso.sign(BODY, SECRET);
    for prefix in [
        "sha1=", "SHA256=", "Sha256=", "sha256:", "sha512=", "=", "256=",
    ] {
        let header = format!("{prefix}{digest}");
        assert_eq!(
            verify(SignatureScheme::Meta, BODY, Some(&header), &[SECRET]),
            malformed(MalformedSignature::MissingPrefix {
                expected: "sha256="
            }),
            "{header}"
        );
    }
    // A real sha1 signature (40 hex digits) is also rejected on the prefix.
    let sha1 = format!("sha1={}", "ab".repeat(20));
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some(&sha1), &[SECRET]),
        malformed(MalformedSignature::MissingPrefix {
            expected: "sha256="
        })
    );
}

#[test]
fn meta_prefix_only() {
    assert_eq!(
        verify(SignatureScheme::Meta, BODY, Some("sha256="), &[SECRET]),
        malformed(MalformedSignature::WrongLength {
            expected: 64,
            found: 0
        })
    );
}

#[test]
fn bad_hex() {
    let digest = SignatureScheme::Kapso.sign(BODY, SECRET);
    for bad in ["g", "z", "-", " ", "é", "\0"] {
        // Replace one digit in the middle (a trailing space would just be trimmed).
        let kapso = format!("{}{bad}{}", &digest[..10], &digest[11..]);
        assert_eq!(
            verify(SignatureScheme::Kapso, BODY, Some(&kapso), &[SECRET]),
            malformed(MalformedSignature::NotHex),
            "{kapso:?}"
        );
        let meta = format!("sha256={kapso}");
        assert_eq!(
            verify(SignatureScheme::Meta, BODY, Some(&meta), &[SECRET]),
            malformed(MalformedSignature::NotHex),
            "{meta:?}"
        );
    }
    assert_eq!(
        verify(
            SignatureScheme::Kapso,
            BODY,
            Some("not a signature"),
            &[SECRET]
        ),
        malformed(MalformedSignature::NotHex)
    );
    assert_eq!(
        verify(SignatureScheme::Kapso, BODY, Some("0x1234"), &[SECRET]),
        malformed(MalformedSignature::NotHex)
    );
}

#[test]
fn wrong_length() {
    let digest = SignatureScheme::Kapso.sign(BODY, SECRET);
    let cases = [
        (digest[..63].to_string(), 63),     // odd
        (digest[..62].to_string(), 62),     // short, even
        (digest[..2].to_string(), 2),       // very short
        (format!("{digest}0"), 65),         // odd, long
        (format!("{digest}00"), 66),        // long, even
        (format!("{digest}{digest}"), 128), // doubled
    ];
    for (hex, found) in cases {
        let expected = malformed(MalformedSignature::WrongLength {
            expected: 64,
            found,
        });
        assert_eq!(
            verify(SignatureScheme::Kapso, BODY, Some(&hex), &[SECRET]),
            expected,
            "{hex}"
        );
        assert_eq!(
            verify(
                SignatureScheme::Meta,
                BODY,
                Some(&format!("sha256={hex}")),
                &[SECRET]
            ),
            expected,
            "{hex}"
        );
    }
}

// ---------------------------------------------------------------------------
// Error messages
// ---------------------------------------------------------------------------

#[test]
fn error_messages() {
    assert_eq!(
        SignatureError::Missing {
            header: META_SIGNATURE_HEADER
        }
        .to_string(),
        "missing signature header `x-hub-signature-256`"
    );
    assert_eq!(
        SignatureError::Malformed(MalformedSignature::MissingPrefix {
            expected: "sha256="
        })
        .to_string(),
        "malformed signature header: expected the `sha256=` prefix"
    );
    assert_eq!(
        SignatureError::Malformed(MalformedSignature::NotHex).to_string(),
        "malformed signature header: digest is not hexadecimal"
    );
    assert_eq!(
        SignatureError::Malformed(MalformedSignature::WrongLength {
            expected: 64,
            found: 63
        })
        .to_string(),
        "malformed signature header: digest has 63 hex digits, expected 64"
    );
    assert_eq!(
        SignatureError::Mismatch.to_string(),
        "signature does not match the body under any configured secret"
    );
    assert_eq!(
        VerifyError::NoSecrets.to_string(),
        "no webhook secret configured; cannot verify signatures"
    );
    assert_eq!(
        HandshakeError::WrongMode {
            mode: "unsubscribe".into()
        }
        .to_string(),
        "`hub.mode` is `unsubscribe`, expected `subscribe`"
    );
    assert_eq!(
        HandshakeError::WrongToken.to_string(),
        "`hub.verify_token` does not match the configured token"
    );
    // Errors are std errors, usable with `?` in `Box<dyn Error>` contexts.
    let _: Box<dyn std::error::Error> = Box::new(SignatureError::Mismatch);
    let _: Box<dyn std::error::Error> = Box::new(HandshakeError::MissingChallenge);
}

// ---------------------------------------------------------------------------
// Handshake
// ---------------------------------------------------------------------------

const TOKEN: &str = "my-verify-token";

#[test]
fn handshake_param_constants() {
    assert_eq!(MODE_PARAM, "hub.mode");
    assert_eq!(VERIFY_TOKEN_PARAM, "hub.verify_token");
    assert_eq!(CHALLENGE_PARAM, "hub.challenge");
    assert_eq!(SUBSCRIBE_MODE, "subscribe");
}

#[test]
fn handshake_ok() {
    let query = "hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1158201444";
    assert_eq!(
        verify_handshake_query(query, TOKEN),
        Ok("1158201444".to_string())
    );
    // Leading `?`, other parameters and any order.
    let query =
        "?foo=bar&hub.challenge=CHALLENGE&hub.verify_token=my-verify-token&hub.mode=subscribe";
    assert_eq!(
        verify_handshake_query(query, TOKEN),
        Ok("CHALLENGE".to_string())
    );
}

#[test]
fn handshake_from_struct_and_pairs() {
    let query = HandshakeQuery {
        mode: Some("subscribe".into()),
        verify_token: Some(TOKEN.into()),
        challenge: Some("abc".into()),
    };
    assert_eq!(verify_handshake(&query, TOKEN), Ok("abc".to_string()));

    let from_pairs = HandshakeQuery::from_pairs([
        ("hub.mode", "subscribe"),
        ("hub.verify_token", TOKEN),
        ("hub.challenge", "abc"),
        ("other", "ignored"),
    ]);
    assert_eq!(from_pairs, query);

    let owned: Vec<(String, String)> = vec![
        ("hub.mode".into(), "subscribe".into()),
        ("hub.verify_token".into(), TOKEN.into()),
        ("hub.challenge".into(), "abc".into()),
    ];
    let collected: HandshakeQuery = owned.iter().map(|(k, v)| (k, v.as_str())).collect();
    assert_eq!(collected, query);
    let collected: HandshakeQuery = owned.into_iter().collect();
    assert_eq!(collected, query);

    let map: std::collections::HashMap<String, String> = [
        ("hub.mode".to_string(), "subscribe".to_string()),
        ("hub.verify_token".to_string(), TOKEN.to_string()),
        ("hub.challenge".to_string(), "abc".to_string()),
    ]
    .into_iter()
    .collect();
    assert_eq!(HandshakeQuery::from_pairs(&map), query);
}

#[test]
fn handshake_missing_mode() {
    let query = "hub.verify_token=my-verify-token&hub.challenge=1";
    assert_eq!(
        verify_handshake_query(query, TOKEN),
        Err(HandshakeError::MissingMode)
    );
    assert_eq!(
        verify_handshake_query("", TOKEN),
        Err(HandshakeError::MissingMode)
    );
}

#[test]
fn handshake_wrong_mode() {
    for (mode, decoded) in [
        ("unsubscribe", "unsubscribe"),
        ("Subscribe", "Subscribe"),
        ("SUBSCRIBE", "SUBSCRIBE"),
        ("subscribe+", "subscribe "),
        ("", ""),
    ] {
        let query = format!("hub.mode={mode}&hub.verify_token=my-verify-token&hub.challenge=1");
        assert_eq!(
            verify_handshake_query(&query, TOKEN),
            Err(HandshakeError::WrongMode {
                mode: decoded.to_string()
            }),
            "{query}"
        );
    }
}

#[test]
fn handshake_missing_token() {
    let query = "hub.mode=subscribe&hub.challenge=1";
    assert_eq!(
        verify_handshake_query(query, TOKEN),
        Err(HandshakeError::MissingToken)
    );
}

#[test]
fn handshake_wrong_token() {
    for token in [
        "wrong",
        "",
        "my-verify-toke",
        "my-verify-token2",
        "My-verify-token",
        "my-verify-token%20",
        "+my-verify-token",
    ] {
        let query = format!("hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1");
        assert_eq!(
            verify_handshake_query(&query, TOKEN),
            Err(HandshakeError::WrongToken),
            "{query}"
        );
    }
    // A parameter without `=` has an empty value.
    assert_eq!(
        verify_handshake_query("hub.mode=subscribe&hub.verify_token&hub.challenge=1", TOKEN),
        Err(HandshakeError::WrongToken)
    );
}

#[test]
fn handshake_no_token_configured() {
    let query = "hub.mode=subscribe&hub.verify_token=&hub.challenge=1";
    assert_eq!(
        verify_handshake_query(query, ""),
        Err(HandshakeError::NoTokenConfigured)
    );
}

#[test]
fn handshake_missing_challenge() {
    for query in [
        "hub.mode=subscribe&hub.verify_token=my-verify-token",
        "hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=",
        "hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge",
    ] {
        assert_eq!(
            verify_handshake_query(query, TOKEN),
            Err(HandshakeError::MissingChallenge),
            "{query}"
        );
    }
}

#[test]
fn handshake_check_order() {
    // Mode is checked before the token, the token before the challenge.
    assert_eq!(
        verify_handshake_query("hub.mode=nope&hub.verify_token=wrong", TOKEN),
        Err(HandshakeError::WrongMode {
            mode: "nope".into()
        })
    );
    assert_eq!(
        verify_handshake_query("hub.mode=subscribe&hub.verify_token=wrong", TOKEN),
        Err(HandshakeError::WrongToken)
    );
}

#[test]
fn handshake_percent_encoding() {
    let token = "tøken with spaces & symbols=+/?#%";
    let query = "hub.mode=subscribe\
                 &hub.verify_token=t%C3%B8ken%20with+spaces+%26+symbols%3D%2B%2F%3F%23%25\
                 &hub.challenge=a%2Bb%3Dc%26d+e";
    assert_eq!(
        verify_handshake_query(query, token),
        Ok("a+b=c&d e".to_string())
    );
    // Lowercase escapes and encoded keys.
    let query = "hub%2Emode=subscribe&hub.verify%5ftoken=t%c3%b8ken&hub.challenge=%7e";
    assert_eq!(verify_handshake_query(query, "tøken"), Ok("~".to_string()));
}

#[test]
fn handshake_plus_is_space() {
    let query = "hub.mode=subscribe&hub.verify_token=my+token&hub.challenge=hello+world";
    assert_eq!(
        verify_handshake_query(query, "my token"),
        Ok("hello world".to_string())
    );
    assert_eq!(
        verify_handshake_query(query, "my+token"),
        Err(HandshakeError::WrongToken)
    );
}

#[test]
fn handshake_invalid_escapes_are_literal() {
    let parsed = HandshakeQuery::parse("hub.challenge=100%&hub.verify_token=%zz%4");
    assert_eq!(parsed.challenge.as_deref(), Some("100%"));
    assert_eq!(parsed.verify_token.as_deref(), Some("%zz%4"));
    // Invalid UTF-8 becomes U+FFFD.
    let parsed = HandshakeQuery::parse("hub.challenge=%FFx");
    assert_eq!(parsed.challenge.as_deref(), Some("\u{FFFD}x"));
}

#[test]
fn handshake_repeated_params_first_wins() {
    let query = "hub.mode=subscribe&hub.verify_token=my-verify-token&hub.verify_token=other\
                 &hub.challenge=first&hub.challenge=second&hub.mode=unsubscribe";
    assert_eq!(
        verify_handshake_query(query, TOKEN),
        Ok("first".to_string())
    );
    let query = "hub.mode=subscribe&hub.verify_token=other&hub.verify_token=my-verify-token\
                 &hub.challenge=1";
    assert_eq!(
        verify_handshake_query(query, TOKEN),
        Err(HandshakeError::WrongToken)
    );
}

#[test]
fn handshake_empty_segments() {
    let query = "&&hub.mode=subscribe&&hub.verify_token=my-verify-token&&hub.challenge=7&";
    assert_eq!(verify_handshake_query(query, TOKEN), Ok("7".to_string()));
}

// ---------------------------------------------------------------------------
// Verifier: the three kinds of delivery
// ---------------------------------------------------------------------------

mod verifier {
    use super::{BODY, SECRET};
    use axum::http::{HeaderMap, HeaderValue};
    use kapso_webhooks::verify::signature::{MalformedSignature, SignatureError, SignatureScheme};
    use kapso_webhooks::verify::{
        Delivery, DeliveryKind, EmptySecret, MetaOrigin, Verifier, VerifyError,
    };
    use kapso_webhooks::{normalize_webhook, parse_kapso_delivery, KapsoEventName, KapsoHeaders};

    const KAPSO_SECRET: &str = "kapso-secret";
    const KEY: &str = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
    const EVENT_BODY: &[u8] =
        br#"{"message":{"id":"wamid.A","type":"text","text":{"body":"Hola"}},"phone_number_id":"1"}"#;

    fn both() -> Verifier {
        Verifier::new()
            .with_app_secret(SECRET)
            .unwrap()
            .with_kapso_secret(KAPSO_SECRET)
            .unwrap()
    }

    fn meta_only() -> Verifier {
        Verifier::new().with_app_secret(SECRET).unwrap()
    }

    fn kapso_only() -> Verifier {
        Verifier::new().with_kapso_secret(KAPSO_SECRET).unwrap()
    }

    fn meta_signature(body: &[u8]) -> String {
        SignatureScheme::Meta.sign(body, SECRET)
    }

    fn kapso_signature(body: &[u8]) -> String {
        SignatureScheme::Kapso.sign(body, KAPSO_SECRET)
    }

    #[test]
    fn empty_secrets_are_refused_at_construction() {
        assert_eq!(
            Verifier::new().with_app_secret("").unwrap_err(),
            EmptySecret {
                scheme: SignatureScheme::Meta
            }
        );
        assert_eq!(
            Verifier::new().with_kapso_secret(Vec::new()).unwrap_err(),
            EmptySecret {
                scheme: SignatureScheme::Kapso
            }
        );
        // Also after valid ones: the error is not swallowed.
        assert!(meta_only().with_app_secret(String::new()).is_err());
        assert!(kapso_only().with_kapso_secret(b"".as_slice()).is_err());
        assert_eq!(
            Verifier::new()
                .with_kapso_secret("")
                .unwrap_err()
                .to_string(),
            "refusing an empty Kapso webhook secret: anyone could sign with it"
        );
        // A body "signed" with the empty key is never accepted, whatever is configured.
        for verifier in [Verifier::new(), meta_only(), kapso_only(), both()] {
            let forged_meta = SignatureScheme::Meta.sign(BODY, "");
            let forged_kapso = SignatureScheme::Kapso.sign(BODY, "");
            assert!(verifier
                .verify([("X-Hub-Signature-256", forged_meta.as_str())], BODY)
                .is_err());
            assert!(verifier
                .verify([("X-Webhook-Signature", forged_kapso.as_str())], BODY)
                .is_err());
        }
    }

    #[test]
    fn no_secret_at_all_is_a_configuration_error() {
        let verifier = Verifier::new();
        let signature = meta_signature(BODY);
        for headers in [vec![], vec![("X-Hub-Signature-256", signature.as_str())]] {
            let err = verifier.verify(headers, BODY).unwrap_err();
            assert_eq!(err, VerifyError::NoSecrets);
            assert!(err.is_configuration_error());
            assert_eq!(
                err.to_string(),
                "no webhook secret configured; cannot verify signatures"
            );
        }
        assert_eq!(
            format!("{verifier:?}"),
            "Verifier { app_secrets: <0 redacted>, kapso_secrets: <0 redacted> }"
        );
    }

    #[test]
    fn each_kind_is_recognized() {
        let verifier = both();

        let meta = meta_signature(BODY);
        let verified = verifier
            .verify([("X-Hub-Signature-256", meta.as_str())], BODY)
            .unwrap();
        assert_eq!(verified.kind(), DeliveryKind::Meta);
        assert_eq!(verified.idempotency_key(), None);
        assert_eq!(verified.body(), BODY);

        let kapso = kapso_signature(BODY);
        let verified = verifier
            .verify(
                [
                    ("X-Webhook-Signature", kapso.as_str()),
                    ("X-Idempotency-Key", KEY),
                ],
                BODY,
            )
            .unwrap();
        assert_eq!(verified.kind(), DeliveryKind::MetaForwarded);
        assert_eq!(verified.idempotency_key(), Some(KEY));

        let event = kapso_signature(EVENT_BODY);
        let verified = verifier
            .verify(
                [
                    ("X-Webhook-Signature", event.as_str()),
                    ("X-Webhook-Event", "whatsapp.message.received"),
                    ("X-Idempotency-Key", KEY),
                    ("X-Webhook-Payload-Version", "v2"),
                ],
                EVENT_BODY,
            )
            .unwrap();
        assert_eq!(verified.kind(), DeliveryKind::KapsoEvent);
        assert_eq!(verified.idempotency_key(), Some(KEY));
        assert_eq!(
            verified.headers().event,
            Some(KapsoEventName::MessageReceived)
        );

        // Kapso's signature with a `sha256=` prefix, as some of Kapso's adapters send it.
        let prefixed = format!("sha256={event}");
        let verified = verifier
            .verify(
                [
                    ("X-Webhook-Signature", prefixed.as_str()),
                    ("X-Webhook-Event", "whatsapp.message.received"),
                ],
                EVENT_BODY,
            )
            .unwrap();
        assert_eq!(verified.kind(), DeliveryKind::KapsoEvent);

        // Meta never sends an idempotency key: one on a Meta-signed request is not exposed.
        let verified = verifier
            .verify(
                [
                    ("X-Hub-Signature-256", meta.as_str()),
                    ("X-Idempotency-Key", KEY),
                ],
                BODY,
            )
            .unwrap();
        assert_eq!(verified.idempotency_key(), None);

        // Both signature headers: Kapso's decides (and must match).
        let verified = verifier
            .verify(
                [
                    ("X-Hub-Signature-256", meta.as_str()),
                    ("X-Webhook-Signature", kapso.as_str()),
                ],
                BODY,
            )
            .unwrap();
        assert_eq!(verified.kind(), DeliveryKind::MetaForwarded);
        let wrong = SignatureScheme::Kapso.sign(BODY, "other");
        assert!(verifier
            .verify(
                [
                    ("X-Hub-Signature-256", meta.as_str()),
                    ("X-Webhook-Signature", wrong.as_str()),
                ],
                BODY,
            )
            .is_err());
    }

    #[test]
    fn parse_gives_the_delivery_of_each_kind() {
        let verifier = both();
        let expected = serde_json::to_string(&normalize_webhook(BODY).unwrap()).unwrap();

        let meta = meta_signature(BODY);
        match verifier
            .verify([("X-Hub-Signature-256", meta.as_str())], BODY)
            .unwrap()
            .parse()
            .unwrap()
        {
            Delivery::Meta { webhook, origin } => {
                assert_eq!(serde_json::to_string(&webhook).unwrap(), expected);
                assert_eq!(origin, MetaOrigin::Direct);
            }
            other => panic!("not a Meta delivery: {other:?}"),
        }

        let kapso = kapso_signature(BODY);
        let delivery = verifier
            .verify(
                [
                    ("x-webhook-signature", kapso.as_str()),
                    ("x-idempotency-key", KEY),
                ],
                BODY,
            )
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(delivery.kind(), DeliveryKind::MetaForwarded);
        assert_eq!(delivery.idempotency_key(), Some(KEY));
        assert_eq!(delivery.dedupe_key().as_deref(), Some(KEY));
        let Delivery::Meta { webhook, origin } = delivery else {
            panic!("not a Meta delivery");
        };
        assert_eq!(serde_json::to_string(&webhook).unwrap(), expected);
        assert_eq!(
            origin,
            MetaOrigin::Forwarded {
                idempotency_key: Some(KEY.into())
            }
        );

        let event = kapso_signature(EVENT_BODY);
        let pairs = [
            ("X-Webhook-Signature", event.as_str()),
            ("X-Webhook-Event", "whatsapp.message.received"),
            ("X-Idempotency-Key", KEY),
        ];
        let delivery = verifier.verify(pairs, EVENT_BODY).unwrap().parse().unwrap();
        assert_eq!(delivery.kind(), DeliveryKind::KapsoEvent);
        assert_eq!(delivery.idempotency_key(), Some(KEY));
        assert_eq!(delivery.dedupe_key().as_deref(), Some(KEY));
        let Delivery::Kapso(delivery) = delivery else {
            panic!("not a Kapso delivery");
        };
        let direct = parse_kapso_delivery(&KapsoHeaders::from_pairs(pairs), EVENT_BODY).unwrap();
        assert_eq!(delivery.events(), direct.events());
        assert_eq!(delivery.events().len(), 1);

        // A signed body that is not JSON: authentic, but does not parse.
        let signature = meta_signature(b"not json");
        let verified = verifier
            .verify([("X-Hub-Signature-256", signature.as_str())], b"not json")
            .unwrap();
        assert!(verified.parse().is_err());
    }

    #[test]
    fn rotation_any_configured_secret_matches() {
        let verifier = Verifier::new()
            .with_app_secret("app-new")
            .unwrap()
            .with_app_secret("app-old")
            .unwrap()
            .with_kapso_secret("kapso-new")
            .unwrap()
            .with_kapso_secret("kapso-old")
            .unwrap();
        assert_eq!(verifier.app_secret_count(), 2);
        assert_eq!(verifier.kapso_secret_count(), 2);
        for secret in ["app-new", "app-old"] {
            let signature = SignatureScheme::Meta.sign(BODY, secret);
            let verified = verifier.verify([("X-Hub-Signature-256", signature)], BODY);
            assert_eq!(verified.unwrap().kind(), DeliveryKind::Meta, "{secret}");
        }
        for secret in ["kapso-new", "kapso-old"] {
            let signature = SignatureScheme::Kapso.sign(BODY, secret);
            let verified = verifier.verify([("X-Webhook-Signature", signature)], BODY);
            assert_eq!(
                verified.unwrap().kind(),
                DeliveryKind::MetaForwarded,
                "{secret}"
            );
        }
        // A sender's secret does not sign for the other sender.
        let signature = SignatureScheme::Meta.sign(BODY, "kapso-new");
        assert_eq!(
            verifier
                .verify([("X-Hub-Signature-256", signature)], BODY)
                .unwrap_err(),
            VerifyError::Invalid {
                scheme: SignatureScheme::Meta,
                error: SignatureError::Mismatch
            }
        );
        let signature = SignatureScheme::Kapso.sign(BODY, "app-old");
        assert_eq!(
            verifier
                .verify([("X-Webhook-Signature", signature)], BODY)
                .unwrap_err(),
            VerifyError::Invalid {
                scheme: SignatureScheme::Kapso,
                error: SignatureError::Mismatch
            }
        );
    }

    #[test]
    fn refusals() {
        let verifier = both();
        let meta = meta_signature(BODY);
        let kapso = kapso_signature(BODY);

        // No signature header, or only blank ones.
        for headers in [
            vec![],
            vec![("Content-Type", "application/json")],
            vec![("X-Hub-Signature-256", "  "), ("X-Webhook-Signature", "")],
            vec![("X-Webhook-Event", "whatsapp.message.received")],
        ] {
            let err = verifier.verify(headers, BODY).unwrap_err();
            assert!(matches!(err, VerifyError::Missing { .. }), "{err:?}");
            assert!(!err.is_configuration_error());
        }
        assert_eq!(
            verifier.verify([("a", "b")], BODY).unwrap_err().to_string(),
            "missing signature header `x-hub-signature-256` or `x-webhook-signature`"
        );
        assert_eq!(
            meta_only()
                .verify([("a", "b")], BODY)
                .unwrap_err()
                .to_string(),
            "missing signature header `x-hub-signature-256`"
        );
        assert_eq!(
            kapso_only()
                .verify([("a", "b")], BODY)
                .unwrap_err()
                .to_string(),
            "missing signature header `x-webhook-signature`"
        );

        // Signed by a sender without a secret here.
        let err = kapso_only()
            .verify([("X-Hub-Signature-256", meta.as_str())], BODY)
            .unwrap_err();
        assert_eq!(
            err,
            VerifyError::UnconfiguredSender {
                scheme: SignatureScheme::Meta
            }
        );
        assert!(!err.is_configuration_error());
        assert_eq!(
            err.to_string(),
            "request signed by Meta with `x-hub-signature-256`, but no Meta app secret is \
             configured"
        );
        // A Kapso event (or a forwarded body) with no Kapso secret: the message names Kapso,
        // never a "missing" Meta header.
        for headers in [
            vec![("X-Webhook-Signature", kapso.as_str())],
            vec![
                ("X-Webhook-Signature", kapso.as_str()),
                ("X-Webhook-Event", "whatsapp.message.sent"),
            ],
        ] {
            let err = meta_only().verify(headers, BODY).unwrap_err();
            assert_eq!(
                err,
                VerifyError::UnconfiguredSender {
                    scheme: SignatureScheme::Kapso
                }
            );
            assert_eq!(
                err.to_string(),
                "request signed by Kapso with `x-webhook-signature`, but no Kapso webhook \
                 secret is configured"
            );
        }

        // Malformed. (A Meta-style `sha256=<hex>` value is well formed for Kapso: here it is
        // a mismatch, since it was made with the app secret.)
        let err = verifier
            .verify([("X-Webhook-Signature", meta.as_str())], BODY)
            .unwrap_err();
        assert_eq!(
            err,
            VerifyError::Invalid {
                scheme: SignatureScheme::Kapso,
                error: SignatureError::Mismatch
            }
        );
        let not_hex = "g".repeat(64);
        let err = verifier
            .verify([("X-Webhook-Signature", not_hex.as_str())], BODY)
            .unwrap_err();
        assert_eq!(
            err,
            VerifyError::Invalid {
                scheme: SignatureScheme::Kapso,
                error: SignatureError::Malformed(MalformedSignature::NotHex)
            }
        );
        let err = verifier
            .verify([("X-Hub-Signature-256", kapso.as_str())], BODY)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "malformed signature header: expected the `sha256=` prefix"
        );
        let err = verifier
            .verify(
                [("X-Hub-Signature-256", b"sha256=\xff\xfe".as_slice())],
                BODY,
            )
            .unwrap_err();
        assert!(matches!(
            err,
            VerifyError::Invalid {
                error: SignatureError::Malformed(MalformedSignature::NotHex),
                ..
            }
        ));

        // Mismatch: tampered body, wrong secret, the other body.
        let mut tampered = BODY.to_vec();
        tampered[5] ^= 1;
        for (headers, body) in [
            (
                vec![("X-Hub-Signature-256", meta.as_str())],
                tampered.as_slice(),
            ),
            (
                vec![("X-Webhook-Signature", kapso.as_str())],
                tampered.as_slice(),
            ),
            (
                vec![
                    ("X-Webhook-Signature", kapso.as_str()),
                    ("X-Webhook-Event", "whatsapp.message.received"),
                ],
                EVENT_BODY,
            ),
        ] {
            let err = verifier.verify(headers, body).unwrap_err();
            assert!(
                matches!(
                    err,
                    VerifyError::Invalid {
                        error: SignatureError::Mismatch,
                        ..
                    }
                ),
                "{err:?}"
            );
            assert_eq!(
                err.to_string(),
                "signature does not match the body under any configured secret"
            );
            assert!(std::error::Error::source(&err).is_some());
        }
    }

    #[test]
    fn header_names_are_case_insensitive() {
        let verifier = both();
        let meta = meta_signature(BODY);
        let kapso = kapso_signature(EVENT_BODY);
        for name in [
            "x-hub-signature-256",
            "X-HUB-SIGNATURE-256",
            "X-Hub-Signature-256",
        ] {
            let verified = verifier.verify([(name, meta.as_str())], BODY).unwrap();
            assert_eq!(verified.kind(), DeliveryKind::Meta, "{name}");
        }
        for (signature, event, key) in [
            (
                "x-webhook-signature",
                "x-webhook-event",
                "x-idempotency-key",
            ),
            (
                "X-WEBHOOK-SIGNATURE",
                "X-WEBHOOK-EVENT",
                "X-IDEMPOTENCY-KEY",
            ),
            (
                "X-Webhook-Signature",
                "x-Webhook-EVENT",
                "X-Idempotency-Key",
            ),
        ] {
            let verified = verifier
                .verify(
                    [
                        (signature, kapso.as_str()),
                        (event, "whatsapp.message.received"),
                        (key, KEY),
                    ],
                    EVENT_BODY,
                )
                .unwrap();
            assert_eq!(verified.kind(), DeliveryKind::KapsoEvent, "{signature}");
            assert_eq!(verified.idempotency_key(), Some(KEY));
        }
        // Owned pairs, byte values, and the first of repeated headers.
        let owned: Vec<(String, Vec<u8>)> = vec![
            ("X-Hub-Signature-256".into(), meta.clone().into_bytes()),
            ("x-hub-signature-256".into(), b"sha256=00".to_vec()),
        ];
        assert!(verifier.verify(owned.clone(), BODY).is_ok());
        assert!(verifier
            .verify(owned.iter().rev().map(|(n, v)| (n, v)), BODY)
            .is_err());
    }

    #[test]
    fn straight_from_an_http_header_map() {
        let verifier = both();
        let mut map = HeaderMap::new();
        map.insert(
            "x-webhook-signature",
            HeaderValue::from_str(&kapso_signature(BODY)).unwrap(),
        );
        map.insert("x-idempotency-key", HeaderValue::from_static(KEY));
        map.insert("content-type", HeaderValue::from_static("application/json"));
        let verified = verifier.verify(&map, BODY).unwrap();
        assert_eq!(verified.kind(), DeliveryKind::MetaForwarded);
        assert_eq!(verified.idempotency_key(), Some(KEY));

        // In two steps: the headers before the body is read, then the body.
        let signed = verifier.check_headers(&map).unwrap();
        // No `X-Webhook-Event`: the kind waits for the body.
        assert_eq!(signed.scheme(), SignatureScheme::Kapso);
        assert_eq!(signed.kind(), None);
        assert!(signed.clone().verify(b"{}").is_err());
        assert_eq!(signed.verify(BODY).unwrap().body(), BODY);
        assert!(matches!(
            verifier.check_headers(&HeaderMap::new()),
            Err(VerifyError::Missing { .. })
        ));
    }

    /// Verifies a Kapso-signed `body` without `X-Webhook-Event`, with an idempotency key.
    fn kapso_signed_without_event(body: &[u8]) -> Result<Delivery, VerifyError> {
        let signature = kapso_signature(body);
        let verified = kapso_only().verify(
            [
                ("X-Webhook-Signature", signature.as_str()),
                ("X-Idempotency-Key", KEY),
            ],
            body,
        )?;
        let kind = verified.kind();
        let delivery = verified.parse().expect("JSON");
        assert_eq!(delivery.kind(), kind);
        Ok(delivery)
    }

    #[test]
    fn without_the_event_header_a_meta_body_is_forwarded() {
        for body in [
            BODY,
            br#"{"object":"whatsapp_business_account"}"#.as_slice(),
            br#"{"entry":[]}"#,
            br#" {"field":"x", "entry": null, "object": 7} "#,
            br#"{"event":"whatsapp.message.sent","object":"whatsapp_business_account"}"#,
        ] {
            let delivery = kapso_signed_without_event(body).unwrap();
            let text = String::from_utf8_lossy(body);
            let Delivery::Meta { webhook, origin } = delivery else {
                panic!("not a Meta delivery: {text}");
            };
            assert_eq!(
                origin,
                MetaOrigin::Forwarded {
                    idempotency_key: Some(KEY.into())
                },
                "{text}"
            );
            assert_eq!(
                serde_json::to_string(&webhook).unwrap(),
                serde_json::to_string(&normalize_webhook(body).unwrap()).unwrap()
            );
        }
        // Not a JSON object: no Kapso event in it; parsed (and refused) as a Meta body.
        for body in [
            b"not json".as_slice(),
            b"[]",
            br#""object""#,
            br#"{"object":"#,
        ] {
            let signature = kapso_signature(body);
            let verified = kapso_only()
                .verify([("X-Webhook-Signature", signature.as_str())], body)
                .unwrap();
            assert_eq!(verified.kind(), DeliveryKind::MetaForwarded);
        }
    }

    #[test]
    fn without_the_event_header_a_kapso_event_is_kept() {
        // A single event naming itself in the body (workflow events do).
        let body = br#"{"event":"workflow.execution.failed","workflow_execution_id":"we_1","data":{"object":"x"}}"#;
        let Delivery::Kapso(delivery) = kapso_signed_without_event(body).unwrap() else {
            panic!("not a Kapso delivery");
        };
        assert_eq!(delivery.events().len(), 1);
        assert_eq!(
            delivery.events()[0].name(),
            Some(&KapsoEventName::WorkflowExecutionFailed)
        );
        assert_eq!(delivery.idempotency_key(), Some(KEY));

        // A batch: the name from its `type`, every event kept.
        let body = br#"{"type":"whatsapp.message.received","batch":true,"data":[
            {"message":{"id":"wamid.A","type":"text","text":{"body":"one"}}},
            {"message":{"id":"wamid.B","type":"text","text":{"body":"two"}}}],
            "batch_info":{"size":2,"window_ms":5000}}"#;
        let delivery = kapso_signed_without_event(body).unwrap();
        assert_eq!(delivery.dedupe_key().as_deref(), Some(KEY));
        let Delivery::Kapso(delivery) = delivery else {
            panic!("not a Kapso delivery");
        };
        assert!(delivery.is_batch());
        let names: Vec<_> = delivery
            .events()
            .iter()
            .map(|event| event.name().cloned())
            .collect();
        let received = Some(KapsoEventName::MessageReceived);
        assert_eq!(names, [received.clone(), received]);
        let texts: Vec<_> = delivery.messages().filter_map(|m| m.text_body()).collect();
        assert_eq!(texts, ["one", "two"]);

        // Any other object, even empty, is a Kapso event too.
        for body in [
            EVENT_BODY,
            b"{}".as_slice(),
            br#"{"objects":[],"entries":1}"#,
        ] {
            let delivery = kapso_signed_without_event(body).unwrap();
            assert_eq!(delivery.kind(), DeliveryKind::KapsoEvent);
        }

        // The body is only read once authentic: a forged one is refused, whatever its shape.
        let signature = kapso_signature(EVENT_BODY);
        assert_eq!(
            kapso_only()
                .verify([("X-Webhook-Signature", signature.as_str())], BODY)
                .unwrap_err(),
            VerifyError::Invalid {
                scheme: SignatureScheme::Kapso,
                error: SignatureError::Mismatch
            }
        );
    }

    #[test]
    fn meta_origin_and_dedupe_keys() {
        let direct = Delivery::Meta {
            webhook: normalize_webhook(BODY).unwrap(),
            origin: MetaOrigin::Direct,
        };
        assert_eq!(direct.kind(), DeliveryKind::Meta);
        assert_eq!(direct.idempotency_key(), None);
        assert_eq!(direct.dedupe_key(), None);
        let forwarded = Delivery::Meta {
            webhook: normalize_webhook(BODY).unwrap(),
            origin: MetaOrigin::Forwarded {
                idempotency_key: None,
            },
        };
        assert_eq!(forwarded.kind(), DeliveryKind::MetaForwarded);
        assert_eq!(forwarded.dedupe_key(), None);
        // A Kapso event without an idempotency key: its single event's key.
        let events = parse_kapso_delivery(
            &KapsoHeaders::for_event("whatsapp.message.received"),
            EVENT_BODY,
        )
        .unwrap();
        let expected = events.dedupe_key();
        assert!(expected.is_some());
        assert_eq!(Delivery::Kapso(events).dedupe_key(), expected);
    }

    #[test]
    fn debug_never_shows_secrets() {
        let text = format!("{:?}", both());
        assert!(!text.contains(KAPSO_SECRET));
        assert!(!text.contains(std::str::from_utf8(SECRET).unwrap()));
        assert!(text.contains("<1 redacted>"));
        let meta = meta_signature(BODY);
        let signed = both()
            .check_headers([("X-Hub-Signature-256", meta.as_str())])
            .map(|signed| format!("{signed:?}"))
            .unwrap();
        assert!(!signed.contains(KAPSO_SECRET));
    }
}
