//! Uses kapso-webhooks and serde_json side by side, as an application would.

fn main() {
    let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
    let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    match kapso_webhooks::normalize_webhook(body) {
        Ok(webhook) => println!("{} {}", webhook.to_json(), value),
        Err(err) => eprintln!("{err}"),
    }
}
