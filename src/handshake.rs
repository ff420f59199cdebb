//! Meta verification handshake (`hub.mode`, `hub.verify_token`, `hub.challenge`).
