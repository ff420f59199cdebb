//! Webhook signatures: Meta `X-Hub-Signature-256` and Kapso `X-Webhook-Signature`.
