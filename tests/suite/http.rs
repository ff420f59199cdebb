//! The axum integration over real HTTP: a server on an ephemeral loopback
//! port, real requests from a small hand-written HTTP/1.1 client, status codes
//! and printed output checked.
//!
//! The same case matrix runs against the library's `router` in this process
//! and against the `axum_server` example binary (when `cargo test` built it,
//! as it does for `cargo test --all-features`).
//!
//! The client is written by hand over `tokio::net::TcpStream` (about 100 lines)
//! rather than taken from `reqwest`/`hyper-util`: it adds no dependency, and it
//! can send what a well-behaved client library refuses to, such as header
//! bytes that are not ASCII, a `Content-Length` larger than the limit, or a
//! chunked body, and it keeps writing while the server already answers.
#![cfg(feature = "axum")]
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use axum::extract::FromRef;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use kapso_webhooks::axum::{
    handshake, router, KapsoWebhook, MetaWebhook, Webhook, WebhookConfig, WebhookRejection,
    DEFAULT_BODY_LIMIT,
};
use kapso_webhooks::verify::signature::SignatureScheme;
use kapso_webhooks::verify::{Delivery, Verifier};
use kapso_webhooks::{normalize_webhook, parse_kapso_delivery, KapsoHeaders};

use tokio::net::TcpListener;

const APP_SECRET: &str = "test-app-secret";
const VERIFY_TOKEN: &str = "test-verify-token";
const FIXTURE: &[u8] = include_bytes!("../../fixtures/meta/body/message_text.json");
const NON_ASCII_TEXT: &str = "¿Todavía tienen el jarrón azul? 🏺 — شكراً — 谢谢";
const TIMEOUT: Duration = Duration::from_secs(30);

use crate::support::http_client::{Req, Resp};

/// Sends one request (see [`crate::support::http_client::send`]) with this file's timeout.
async fn send(addr: SocketAddr, req: &Req) -> Resp {
    crate::support::http_client::send(addr, req, TIMEOUT).await
}

// ---------------------------------------------------------------------------
// Servers under test
// ---------------------------------------------------------------------------

fn config() -> WebhookConfig {
    WebhookConfig::new(Verifier::new().with_app_secret(APP_SECRET).unwrap())
        .with_verify_token(VERIFY_TOKEN)
}

/// Serves `app` on an ephemeral loopback port.
async fn serve(app: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    addr
}

/// The library router with a handler that reports each accepted webhook as the
/// example prints it: one compact JSON line.
async fn start_router(config: WebhookConfig) -> (SocketAddr, mpsc::Receiver<String>) {
    let (lines, received) = mpsc::channel();
    let app = router(config, move |MetaWebhook { webhook, .. }: MetaWebhook| {
        let lines = lines.clone();
        async move {
            lines
                .send(serde_json::to_string(&webhook).expect("serialize"))
                .expect("test alive");
            StatusCode::OK
        }
    });
    (serve(app).await, received)
}

/// The next item of `channel`, waiting for it (at most [`TIMEOUT`]) without blocking the runtime.
async fn next<T>(channel: &mpsc::Receiver<T>) -> T {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match channel.try_recv() {
            Ok(item) => return item,
            Err(mpsc::TryRecvError::Empty) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Err(err) => panic!("nothing received: {err}"),
        }
    }
}

/// The next printed line.
async fn next_line(lines: &mpsc::Receiver<String>) -> String {
    next(lines).await
}

/// What the server prints for an accepted body.
fn expected_line(body: &[u8]) -> String {
    serde_json::to_string(&normalize_webhook(body).expect("test body is JSON")).expect("serialize")
}

// ---------------------------------------------------------------------------
// The case matrix
// ---------------------------------------------------------------------------

struct Case {
    name: &'static str,
    req: Req,
    status: u16,
    /// A fragment of the response body.
    says: &'static str,
    /// For accepted POSTs: the server must print this body's normalized line.
    prints: bool,
}

fn case(name: &'static str, req: Req, status: u16, says: &'static str) -> Case {
    Case {
        name,
        req,
        status,
        says,
        prints: false,
    }
}

fn accepted(name: &'static str, req: Req) -> Case {
    Case {
        name,
        req,
        status: 200,
        says: "",
        prints: true,
    }
}

/// A JSON webhook body of exactly `len` bytes.
fn json_of_len(len: usize) -> Vec<u8> {
    let head = br#"{"object":"whatsapp_business_account","entry":[],"padding":""#;
    let tail = br#""}"#;
    let mut body = head.to_vec();
    body.resize(len - tail.len(), b'a');
    body.extend_from_slice(tail);
    assert_eq!(body.len(), len);
    body
}

fn non_ascii_body() -> Vec<u8> {
    let text = serde_json::to_string(NON_ASCII_TEXT).unwrap();
    std::str::from_utf8(FIXTURE)
        .unwrap()
        .replace(r#""Hi! Is the blue ceramic vase still in stock?""#, &text)
        .replace(r#""Ana Ruiz""#, r#""Zoë Ñúñez 山田""#)
        .into_bytes()
}

fn matrix() -> Vec<Case> {
    let valid = Req::post(FIXTURE).signed(APP_SECRET);
    let signature = SignatureScheme::Meta.sign(FIXTURE, APP_SECRET);
    let digest = signature.trim_start_matches("sha256=").to_owned();
    let mut altered = FIXTURE.to_vec();
    altered[FIXTURE.len() - 3] = b' ';
    let at_limit = json_of_len(DEFAULT_BODY_LIMIT);
    let over_limit = json_of_len(DEFAULT_BODY_LIMIT + 1);
    let handshake_ok =
        "/webhook?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444";

    vec![
        accepted("POST valid signature", valid.clone()),
        accepted(
            "POST valid signature, lowercase header name, uppercase hex",
            Req::post(FIXTURE).header(
                "x-hub-signature-256",
                format!("sha256={}", digest.to_uppercase()),
            ),
        ),
        accepted("POST non-ASCII (UTF-8) body", Req::post(&non_ascii_body()).signed(APP_SECRET)),
        accepted(
            "POST chunked body (no Content-Length)",
            Req::post(FIXTURE).signed(APP_SECRET).chunked(),
        ),
        accepted(
            "POST body of exactly the limit (3 MiB)",
            Req::post(&at_limit).signed(APP_SECRET),
        ),
        case(
            "POST wrong secret",
            Req::post(FIXTURE).signed("another-secret"),
            401,
            "does not match",
        ),
        case(
            "POST body altered after signing",
            Req::post(&altered).header("X-Hub-Signature-256", &signature),
            401,
            "does not match",
        ),
        case(
            "POST missing signature header",
            Req::post(FIXTURE),
            401,
            "missing signature header `x-hub-signature-256`",
        ),
        case(
            "POST empty signature header",
            Req::post(FIXTURE).header("X-Hub-Signature-256", ""),
            401,
            "missing signature header",
        ),
        case(
            "POST malformed header: sha1= prefix",
            Req::post(FIXTURE).header("X-Hub-Signature-256", format!("sha1={digest}")),
            401,
            "expected the `sha256=` prefix",
        ),
        case(
            "POST malformed header: bare hex (Kapso style)",
            Req::post(FIXTURE).header("X-Hub-Signature-256", &digest),
            401,
            "expected the `sha256=` prefix",
        ),
        case(
            "POST malformed header: not hex",
            Req::post(FIXTURE).header("X-Hub-Signature-256", format!("sha256={}", "zz".repeat(32))),
            401,
            "not hexadecimal",
        ),
        case(
            "POST malformed header: truncated digest",
            Req::post(FIXTURE).header("X-Hub-Signature-256", &signature[..40]),
            401,
            "digest has 33 hex digits, expected 64",
        ),
        case(
            "POST malformed header: non-ASCII bytes",
            Req::post(FIXTURE).header("X-Hub-Signature-256", b"sha256=\xff\xfe"),
            401,
            "not hexadecimal",
        ),
        case(
            "POST signature in Kapso's header only",
            Req::post(FIXTURE).header("X-Webhook-Signature", &digest),
            401,
            "but no Kapso webhook secret is configured",
        ),
        case(
            "POST body over the limit (Content-Length)",
            Req::post(&over_limit).signed(APP_SECRET),
            413,
            "larger than the limit of 3145728 bytes",
        ),
        case(
            "POST body over the limit (chunked)",
            Req::post(&over_limit).signed(APP_SECRET).chunked(),
            413,
            "larger than the limit of 3145728 bytes",
        ),
        case(
            "POST Content-Length of 4 GiB, body never sent (refused before reading)",
            Req::post(b"{}").signed(APP_SECRET).declaring_length(4 << 30),
            413,
            "larger than the limit of 3145728 bytes",
        ),
        case(
            "POST body over the limit, unsigned (signature checked first)",
            Req::post(&over_limit),
            401,
            "missing signature header",
        ),
        case(
            "POST signed, not JSON",
            Req::post(b"hello=world").signed(APP_SECRET),
            400,
            "invalid webhook body",
        ),
        case(
            "POST signed, truncated JSON",
            Req::post(&FIXTURE[..FIXTURE.len() / 2]).signed(APP_SECRET),
            400,
            "invalid webhook body",
        ),
        case(
            "POST signed, empty body",
            Req::post(b"").signed(APP_SECRET),
            400,
            "invalid webhook body",
        ),
        case(
            "POST signed, invalid UTF-8",
            Req::post(b"{\"object\":\"\xff\"}").signed(APP_SECRET),
            400,
            "invalid webhook body",
        ),
        case("GET handshake, right token", Req::get(handshake_ok), 200, "1158201444"),
        case(
            "GET handshake, right token percent-encoded",
            Req::get("/webhook?hub.mode=subscribe&hub.verify_token=test%2Dverify%2Dtoken&hub.challenge=a%2Bb"),
            200,
            "a+b",
        ),
        case(
            "GET handshake, wrong token",
            Req::get("/webhook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444"),
            403,
            "does not match",
        ),
        case(
            "GET handshake, no token",
            Req::get("/webhook?hub.mode=subscribe&hub.challenge=1158201444"),
            403,
            "missing `hub.verify_token`",
        ),
        case(
            "GET handshake, wrong mode",
            Req::get("/webhook?hub.mode=unsubscribe&hub.verify_token=test-verify-token&hub.challenge=1"),
            403,
            "expected `subscribe`",
        ),
        case(
            "GET handshake, no challenge",
            Req::get("/webhook?hub.mode=subscribe&hub.verify_token=test-verify-token"),
            403,
            "missing `hub.challenge`",
        ),
        case("GET handshake, no query", Req::get("/webhook"), 403, "missing `hub.mode`"),
        case("PUT /webhook", valid.clone().method("PUT"), 405, ""),
        case("POST /elsewhere", {
            let mut req = valid;
            req.target = "/elsewhere".into();
            req
        }, 404, ""),
    ]
}

/// Runs every case; returns `(name, status)` for the record.
async fn run_matrix(addr: SocketAddr, lines: &mpsc::Receiver<String>) -> Vec<(&'static str, u16)> {
    let mut seen = Vec::new();
    for case in matrix() {
        let response = send(addr, &case.req).await;
        let text = response.text();
        assert_eq!(
            response.status, case.status,
            "{}: answered {text:?}",
            case.name
        );
        assert!(text.contains(case.says), "{}: answered {text:?}", case.name);
        if case.status == 200 && case.req.method == "GET" {
            assert_eq!(
                text, case.says,
                "{}: the body is exactly the challenge",
                case.name
            );
            assert!(
                response
                    .header("content-type")
                    .is_some_and(|value| value.starts_with("text/plain")),
                "{}: challenge as text/plain",
                case.name
            );
        }
        if case.status != 200 && case.status != 404 && case.status != 405 {
            assert!(
                response
                    .header("content-type")
                    .is_some_and(|value| value.starts_with("text/plain")),
                "{}: reason as text/plain",
                case.name
            );
        }
        if case.prints {
            // Any line printed for an earlier refused request would show up here instead.
            assert_eq!(
                next_line(lines).await,
                expected_line(&case.req.body),
                "{}",
                case.name
            );
        }
        seen.push((case.name, response.status));
    }
    // Nothing was printed for the refused requests after the last accepted one.
    let sentinel = Req::post(br#"{"object":"sentinel"}"#).signed(APP_SECRET);
    assert_eq!(send(addr, &sentinel).await.status, 200);
    assert_eq!(next_line(lines).await, expected_line(&sentinel.body));
    assert!(lines.try_recv().is_err(), "one line per accepted body");
    seen
}

fn report(server: &str, seen: &[(&str, u16)]) {
    eprintln!("{server}:");
    for (name, status) in seen {
        eprintln!("  {status}  {name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_over_http() {
    let (addr, lines) = start_router(config()).await;
    let seen = run_matrix(addr, &lines).await;
    report("kapso_webhooks::axum::router", &seen);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_ascii_body_is_printed_verbatim() {
    let (addr, lines) = start_router(config()).await;
    let body = non_ascii_body();
    let response = send(addr, &Req::post(&body).signed(APP_SECRET)).await;
    assert_eq!(response.status, 200);
    let line = next_line(&lines).await;
    assert!(line.contains(NON_ASCII_TEXT), "{line}");
    assert!(line.contains("Zoë Ñúñez 山田"), "{line}");
    assert!(!line.contains('\n'));
    let value: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(value["messages"][0]["text"]["body"], NON_ASCII_TEXT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotated_secrets_are_all_accepted() {
    let config = WebhookConfig::new(
        Verifier::new()
            .with_app_secret("new-secret")
            .unwrap()
            .with_app_secret("old-secret")
            .unwrap(),
    );
    let (addr, lines) = start_router(config).await;
    for secret in ["new-secret", "old-secret"] {
        let response = send(addr, &Req::post(FIXTURE).signed(secret)).await;
        assert_eq!(response.status, 200, "{secret}");
        assert_eq!(next_line(&lines).await, expected_line(FIXTURE));
    }
    let response = send(addr, &Req::post(FIXTURE).signed(APP_SECRET)).await;
    assert_eq!(response.status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configurable_body_limit() {
    let (addr, lines) = start_router(config().with_body_limit(1024)).await;
    let fits = json_of_len(1024);
    assert_eq!(
        send(addr, &Req::post(&fits).signed(APP_SECRET))
            .await
            .status,
        200
    );
    assert_eq!(next_line(&lines).await, expected_line(&fits));
    for req in [
        Req::post(&json_of_len(1025)).signed(APP_SECRET),
        Req::post(&json_of_len(1025)).signed(APP_SECRET).chunked(),
    ] {
        let response = send(addr, &req).await;
        assert_eq!(response.status, 413);
        assert_eq!(
            response.text(),
            "request body is larger than the limit of 1024 bytes"
        );
    }
    // A limit of zero refuses any body, and so any JSON.
    let (addr, _lines) = start_router(config().with_body_limit(0)).await;
    assert_eq!(
        send(addr, &Req::post(b"{}").signed(APP_SECRET))
            .await
            .status,
        413
    );
    assert_eq!(
        send(addr, &Req::post(b"").signed(APP_SECRET)).await.status,
        400
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unconfigured_server_fails_closed() {
    // An empty secret is refused when configured; without any secret, requests are refused.
    assert!(Verifier::new().with_app_secret("").is_err());
    assert!(Verifier::new().with_kapso_secret("").is_err());
    let (addr, lines) = start_router(WebhookConfig::new(Verifier::new())).await;
    // A body "signed" with the empty key must not pass.
    let response = send(addr, &Req::post(FIXTURE).signed("")).await;
    assert_eq!(response.status, 500);
    assert_eq!(
        response.text(),
        "server misconfigured: no webhook secret configured; cannot verify signatures"
    );
    assert_eq!(send(addr, &Req::post(FIXTURE)).await.status, 500);
    let forwarded = Req::post(FIXTURE).kapso_signed("");
    assert_eq!(send(addr, &forwarded).await.status, 500);
    let response = send(
        addr,
        &Req::get("/webhook?hub.mode=subscribe&hub.verify_token=&hub.challenge=1"),
    )
    .await;
    assert_eq!(response.status, 500);
    assert!(response.text().contains("no verify token configured"));
    assert!(lines.try_recv().is_err());
}

/// The extractors in an application's own router: another path, another state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extractors_with_own_state_and_path() {
    #[derive(Clone)]
    struct AppState {
        webhooks: WebhookConfig,
        received: mpsc::Sender<usize>,
    }
    impl FromRef<AppState> for WebhookConfig {
        fn from_ref(state: &AppState) -> Self {
            state.webhooks.clone()
        }
    }

    async fn receive(
        axum::extract::State(state): axum::extract::State<AppState>,
        webhook: Result<MetaWebhook, WebhookRejection>,
    ) -> (StatusCode, String) {
        match webhook {
            Ok(webhook) => {
                state.received.send(webhook.messages().len()).unwrap();
                (StatusCode::NO_CONTENT, String::new())
            }
            // The application reshapes refusals itself.
            Err(rejection) => (StatusCode::IM_A_TEAPOT, format!("{}", rejection.status())),
        }
    }

    let (received, counts) = mpsc::channel();
    let app = Router::new()
        .route("/hooks/whatsapp", get(handshake).post(receive))
        .with_state(AppState {
            webhooks: config(),
            received,
        });
    let addr = serve(app).await;

    let mut req = Req::post(FIXTURE).signed(APP_SECRET);
    req.target = "/hooks/whatsapp".into();
    assert_eq!(send(addr, &req).await.status, 204);
    assert_eq!(counts.try_recv(), Ok(1));

    let mut unsigned = Req::post(FIXTURE);
    unsigned.target = "/hooks/whatsapp".into();
    let response = send(addr, &unsigned).await;
    assert_eq!(response.status, 418);
    assert_eq!(response.text(), "401 Unauthorized");

    let response = send(
        addr,
        &Req::get("/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=xyz"),
    )
    .await;
    assert_eq!((response.status, response.text().as_str()), (200, "xyz"));
}

// ---------------------------------------------------------------------------
// The example binary, end to end
// ---------------------------------------------------------------------------

/// `target/<profile>/examples/axum_server`, next to this test's `deps/` directory. Fails the
/// test when it is not built: `cargo test --all-features` builds it (a run filtered to one test
/// target does not, and may find an old build: build it with
/// `cargo build --all-features --examples` first).
pub(crate) fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps")
        .join("examples")
        .join(format!("axum_server{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "the axum_server example is not built ({}): run `cargo test --all-features`, or \
         `cargo build --all-features --examples` before a filtered run",
        path.display()
    );
    path
}

/// Kills the example when the test ends, passing or not.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn example_command(binary: &PathBuf) -> Command {
    let mut command = Command::new(binary);
    command
        .env_remove("WHATSAPP_APP_SECRET")
        .env_remove("KAPSO_WEBHOOK_SECRET")
        .env_remove("WHATSAPP_VERIFY_TOKEN")
        .env_remove("PORT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_server_over_http() {
    let binary = example_binary();
    let (child, addr, printed) = start_example(
        &binary,
        &[
            ("WHATSAPP_APP_SECRET", APP_SECRET),
            ("WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN),
        ],
    );
    assert!(addr.ip().is_loopback(), "listens on loopback only: {addr}");

    let seen = run_matrix(addr, &printed).await;
    report("examples/axum_server.rs", &seen);
    drop(child);
}

#[test]
fn example_refuses_to_start_without_a_secret_or_with_a_bad_port() {
    let binary = example_binary();
    let output = example_command(&binary).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("set WHATSAPP_APP_SECRET"));

    let output = example_command(&binary)
        .env("WHATSAPP_APP_SECRET", APP_SECRET)
        .env("PORT", "eighty")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("PORT=\"eighty\" is not a port number")
    );
}

// ---------------------------------------------------------------------------
// Kapso deliveries
// ---------------------------------------------------------------------------

const KAPSO_SECRET: &str = "test-kapso-secret";
const KAPSO_BATCH: &[u8] =
    include_bytes!("../../fixtures/kapso/whatsapp.message.received/batch_three.json");

/// A Kapso endpoint: each accepted delivery reports its event lines and idempotency key.
async fn start_kapso() -> (SocketAddr, mpsc::Receiver<(Option<String>, Vec<String>)>) {
    let (lines, received) = mpsc::channel();
    let app = Router::new()
        .route(
            "/kapso",
            post(move |KapsoWebhook(delivery): KapsoWebhook| {
                let lines = lines.clone();
                async move {
                    let events = delivery
                        .event_values()
                        .map(|line| line.to_string())
                        .collect();
                    let key = delivery.idempotency_key().map(str::to_owned);
                    lines.send((key, events)).expect("test alive");
                    StatusCode::OK
                }
            }),
        )
        .with_state(kapso_config());
    (serve(app).await, received)
}

fn kapso_post(body: &[u8]) -> Req {
    let mut req = Req::post(body)
        .header("X-Webhook-Event", "whatsapp.message.received")
        .header("X-Idempotency-Key", "5f0c7a4e-delivery")
        .header("X-Webhook-Batch", "true")
        .header("X-Batch-Size", "3");
    req.target = "/kapso".into();
    req
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kapso_deliveries_over_http() {
    let (addr, received) = start_kapso().await;

    // Signed: every event of the batch reaches the handler, with the idempotency key.
    let signed = kapso_post(KAPSO_BATCH).header(
        "X-Webhook-Signature",
        SignatureScheme::Kapso.sign(KAPSO_BATCH, KAPSO_SECRET),
    );
    assert_eq!(send(addr, &signed).await.status, 200);
    let (key, events) = received.try_recv().expect("a delivery");
    assert_eq!(key.as_deref(), Some("5f0c7a4e-delivery"));
    let expected: Vec<String> = parse_kapso_delivery(
        &KapsoHeaders::for_event("whatsapp.message.received"),
        KAPSO_BATCH,
    )
    .unwrap()
    .into_events()
    .iter()
    .map(|event| event.to_json().to_string())
    .collect();
    assert_eq!(events.len(), 3);
    assert_eq!(events, expected);

    // Refusals, as for Meta webhooks.
    let cases = [
        ("unsigned", kapso_post(KAPSO_BATCH), 401),
        (
            "wrong secret",
            kapso_post(KAPSO_BATCH).header(
                "X-Webhook-Signature",
                SignatureScheme::Kapso.sign(KAPSO_BATCH, "other"),
            ),
            401,
        ),
        (
            "Meta's header only",
            kapso_post(KAPSO_BATCH).header(
                "X-Hub-Signature-256",
                SignatureScheme::Meta.sign(KAPSO_BATCH, KAPSO_SECRET),
            ),
            401,
        ),
        (
            "not JSON",
            kapso_post(b"not json").header(
                "X-Webhook-Signature",
                SignatureScheme::Kapso.sign(b"not json", KAPSO_SECRET),
            ),
            400,
        ),
    ];
    for (name, req, status) in cases {
        assert_eq!(send(addr, &req).await.status, status, "{name}");
    }
    assert!(
        received.try_recv().is_err(),
        "no refused delivery reached the handler"
    );

    // A configuration with secrets, but not Kapso's, refuses Kapso deliveries as not
    // authentic (401); a configuration without any secret answers 500.
    let app = Router::new()
        .route(
            "/kapso",
            post(|KapsoWebhook(_): KapsoWebhook| async { StatusCode::OK }),
        )
        .with_state(config());
    let addr = serve(app).await;
    let signed = kapso_post(KAPSO_BATCH).header(
        "X-Webhook-Signature",
        SignatureScheme::Kapso.sign(KAPSO_BATCH, KAPSO_SECRET),
    );
    let response = send(addr, &signed).await;
    assert_eq!(response.status, 401);
    assert!(
        response
            .text()
            .contains("no Kapso webhook secret is configured"),
        "{}",
        response.text()
    );
}

// ---------------------------------------------------------------------------
// Meta bodies forwarded by Kapso, and one route for every kind
// ---------------------------------------------------------------------------

const IDEMPOTENCY_KEY: &str = "3f7a0c2e9b1d4e8fa6c5b0d9e2f1a7c4b8d3e6f0a9c2b5d8e1f4a7c0b3d6e9f2";

/// Kapso secrets only: the configuration of most users of Kapso.
fn kapso_config() -> WebhookConfig {
    WebhookConfig::new(Verifier::new().with_kapso_secret(KAPSO_SECRET).unwrap())
}

/// Both senders' secrets, and the handshake token.
fn both_config() -> WebhookConfig {
    let verifier = Verifier::new()
        .with_app_secret(APP_SECRET)
        .unwrap()
        .with_kapso_secret(KAPSO_SECRET)
        .unwrap();
    WebhookConfig::new(verifier).with_verify_token(VERIFY_TOKEN)
}

/// A Meta body as Kapso forwards it: Kapso's signature and an idempotency key, no event.
fn forwarded(body: &[u8], secret: &str) -> Req {
    Req::post(body)
        .kapso_signed(secret)
        .header("X-Idempotency-Key", IDEMPOTENCY_KEY)
}

/// What a `MetaWebhook` handler saw: the printed line, whether forwarded, the key.
type MetaSeen = (String, bool, Option<String>);

async fn start_meta_route(config: WebhookConfig) -> (SocketAddr, mpsc::Receiver<MetaSeen>) {
    let (seen, received) = mpsc::channel();
    let app = router(config, move |extracted: MetaWebhook| {
        let seen = seen.clone();
        async move {
            let line = serde_json::to_string(&extracted.webhook).expect("serialize");
            let forwarded = extracted.origin.is_forwarded();
            let key = extracted.origin.idempotency_key().map(str::to_owned);
            seen.send((line, forwarded, key)).expect("test alive");
            StatusCode::OK
        }
    });
    (serve(app).await, received)
}

async fn next_seen(seen: &mpsc::Receiver<MetaSeen>) -> MetaSeen {
    next(seen).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meta_bodies_forwarded_by_kapso() {
    for config in [kapso_config(), both_config()] {
        let (addr, seen) = start_meta_route(config).await;

        // Forwarded by Kapso: accepted, the same normalized line as `normalize_webhook`.
        let response = send(addr, &forwarded(FIXTURE, KAPSO_SECRET)).await;
        assert_eq!(response.status, 200, "{}", response.text());
        let (line, was_forwarded, key) = next_seen(&seen).await;
        assert_eq!(line, expected_line(FIXTURE));
        assert!(was_forwarded);
        assert_eq!(key.as_deref(), Some(IDEMPOTENCY_KEY));

        // Lowercase header names, uppercase hex, no idempotency key.
        let digest = SignatureScheme::Kapso.sign(FIXTURE, KAPSO_SECRET);
        let response = send(
            addr,
            &Req::post(FIXTURE).header("x-webhook-signature", digest.to_uppercase()),
        )
        .await;
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(next_seen(&seen).await, (expected_line(FIXTURE), true, None));

        // Kapso's digest with a `sha256=` prefix, as some of Kapso's adapters send it.
        let response = send(
            addr,
            &Req::post(FIXTURE).header("X-Webhook-Signature", format!("sha256={digest}")),
        )
        .await;
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(next_seen(&seen).await, (expected_line(FIXTURE), true, None));

        // Refusals.
        let mut altered = FIXTURE.to_vec();
        altered[FIXTURE.len() - 3] = b' ';
        let cases = [
            (
                "wrong Kapso secret",
                forwarded(FIXTURE, "another-secret"),
                401,
                "does not match",
            ),
            (
                "altered after signing",
                Req::post(&altered)
                    .header("X-Webhook-Signature", &digest)
                    .header("X-Idempotency-Key", IDEMPOTENCY_KEY),
                401,
                "does not match",
            ),
            (
                "signed with the Kapso secret in Meta's header",
                Req::post(FIXTURE).signed("another-secret"),
                401,
                "",
            ),
            (
                "unsigned",
                Req::post(FIXTURE).header("X-Idempotency-Key", "k"),
                401,
                "missing signature header",
            ),
            (
                "over the limit",
                forwarded(&json_of_len(DEFAULT_BODY_LIMIT + 1), KAPSO_SECRET),
                413,
                "larger than the limit",
            ),
            (
                "not JSON",
                forwarded(b"hello", KAPSO_SECRET),
                400,
                "invalid webhook body",
            ),
        ];
        for (name, req, status, says) in cases {
            let response = send(addr, &req).await;
            assert_eq!(response.status, status, "{name}: {}", response.text());
            assert!(
                response.text().contains(says),
                "{name}: {}",
                response.text()
            );
        }
        assert!(
            seen.try_recv().is_err(),
            "no refused request reached the handler"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meta_signed_body_on_a_kapso_only_configuration_is_refused() {
    let (addr, seen) = start_meta_route(kapso_config()).await;
    let response = send(addr, &Req::post(FIXTURE).signed(APP_SECRET)).await;
    assert_eq!(response.status, 401);
    assert_eq!(
        response.text(),
        "invalid signature: request signed by Meta with `x-hub-signature-256`, but no Meta app \
         secret is configured"
    );
    let response = send(addr, &Req::post(FIXTURE)).await;
    assert_eq!(response.status, 401);
    assert_eq!(
        response.text(),
        "invalid signature: missing signature header `x-webhook-signature`"
    );
    assert!(seen.try_recv().is_err());

    // With both secrets, a request without a signature names both headers.
    let (addr, _seen) = start_meta_route(both_config()).await;
    let response = send(addr, &Req::post(FIXTURE)).await;
    assert_eq!(response.status, 401);
    assert!(response
        .text()
        .ends_with("missing signature header `x-hub-signature-256` or `x-webhook-signature`"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_route_takes_every_kind() {
    let (lines, received) = mpsc::channel();
    let app = router(both_config(), move |Webhook(delivery): Webhook| {
        let lines = lines.clone();
        async move {
            let kind = delivery.kind();
            let key = delivery.idempotency_key().map(str::to_owned);
            let printed: Vec<String> = match delivery {
                Delivery::Meta { webhook, .. } => vec![serde_json::to_string(&webhook).unwrap()],
                Delivery::Kapso(delivery) => delivery
                    .event_values()
                    .map(|line| line.to_string())
                    .collect(),
                _ => unreachable!("no other kind"),
            };
            lines.send((kind, key, printed)).expect("test alive");
            StatusCode::OK
        }
    });
    let addr = serve(app).await;
    let mut event = kapso_post(KAPSO_BATCH).kapso_signed(KAPSO_SECRET);
    event.target = "/webhook".into();
    let expected_events: Vec<String> = parse_kapso_delivery(
        &KapsoHeaders::for_event("whatsapp.message.received"),
        KAPSO_BATCH,
    )
    .unwrap()
    .into_events()
    .iter()
    .map(|event| event.to_json().to_string())
    .collect();
    let cases = [
        (
            Req::post(FIXTURE).signed(APP_SECRET),
            "Meta webhook",
            None,
            vec![expected_line(FIXTURE)],
        ),
        (
            forwarded(FIXTURE, KAPSO_SECRET),
            "Meta webhook forwarded by Kapso",
            Some(IDEMPOTENCY_KEY),
            vec![expected_line(FIXTURE)],
        ),
        (
            event,
            "Kapso event",
            Some("5f0c7a4e-delivery"),
            expected_events,
        ),
    ];
    for (req, kind, key, printed) in cases {
        let response = send(addr, &req).await;
        assert_eq!(response.status, 200, "{kind}: {}", response.text());
        let (seen_kind, seen_key, seen_printed) = received.try_recv().expect("a delivery");
        assert_eq!(seen_kind.to_string(), kind);
        assert_eq!(seen_key.as_deref(), key, "{kind}");
        assert_eq!(seen_printed, printed, "{kind}");
    }
    // The handshake is on the same path.
    let response = send(
        addr,
        &Req::get("/webhook?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=7"),
    )
    .await;
    assert_eq!((response.status, response.text().as_str()), (200, "7"));
    // Refusals are the same as for the narrower extractors.
    assert_eq!(send(addr, &Req::post(FIXTURE)).await.status, 401);
    assert_eq!(
        send(addr, &forwarded(FIXTURE, APP_SECRET)).await.status,
        401
    );
    assert!(received.try_recv().is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn narrow_extractors_refuse_other_kinds() {
    // An authentic Kapso event on a Meta route, and a forwarded Meta body on a Kapso route.
    let (addr, seen) = start_meta_route(both_config()).await;
    let mut event = kapso_post(KAPSO_BATCH).kapso_signed(KAPSO_SECRET);
    event.target = "/webhook".into();
    let response = send(addr, &event).await;
    assert_eq!(response.status, 400);
    assert_eq!(response.text(), "this endpoint does not take a Kapso event");
    assert!(seen.try_recv().is_err());

    let (addr, received) = start_kapso().await;
    let mut meta = forwarded(FIXTURE, KAPSO_SECRET);
    meta.target = "/kapso".into();
    let response = send(addr, &meta).await;
    assert_eq!(response.status, 400);
    assert_eq!(
        response.text(),
        "this endpoint does not take a Meta webhook forwarded by Kapso"
    );
    assert!(received.try_recv().is_err());
}

/// Starts the example with `env`; returns it, its address and its stdout lines.
fn start_example(
    binary: &PathBuf,
    env: &[(&str, &str)],
) -> (Running, SocketAddr, mpsc::Receiver<String>) {
    let mut command = example_command(binary);
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.env("PORT", "0").spawn().expect("start the example");
    let (lines, printed) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let (address, announced) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(url) = line.strip_prefix("axum_server: listening on http://") {
                let _ = address.send(url.trim_end_matches("/webhook").to_owned());
            } else {
                eprintln!("[axum_server] {line}");
            }
        }
    });
    let child = Running(child);
    let addr: SocketAddr = announced
        .recv_timeout(TIMEOUT)
        .expect("the example announces its address")
        .parse()
        .expect("a socket address");
    (child, addr, printed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_server_takes_kapso_deliveries() {
    let binary = example_binary();
    let (child, addr, printed) = start_example(&binary, &[("KAPSO_WEBHOOK_SECRET", KAPSO_SECRET)]);

    // A Meta body forwarded by Kapso prints exactly what a Meta-signed one prints.
    let response = send(addr, &forwarded(FIXTURE, KAPSO_SECRET)).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(next_line(&printed).await, expected_line(FIXTURE));

    // Kapso events: one line per event.
    let mut event = kapso_post(KAPSO_BATCH).kapso_signed(KAPSO_SECRET);
    event.target = "/webhook".into();
    assert_eq!(send(addr, &event).await.status, 200);
    let expected: Vec<String> = parse_kapso_delivery(
        &KapsoHeaders::for_event("whatsapp.message.received"),
        KAPSO_BATCH,
    )
    .unwrap()
    .into_events()
    .iter()
    .map(|event| event.to_json().to_string())
    .collect();
    for line in expected {
        assert_eq!(next_line(&printed).await, line);
    }

    // Refused: wrong Kapso secret, and a Meta-signed body (no app secret here).
    assert_eq!(send(addr, &forwarded(FIXTURE, "other")).await.status, 401);
    assert_eq!(
        send(addr, &Req::post(FIXTURE).signed(APP_SECRET))
            .await
            .status,
        401
    );
    let sentinel = forwarded(br#"{"object":"sentinel"}"#, KAPSO_SECRET);
    assert_eq!(send(addr, &sentinel).await.status, 200);
    assert_eq!(next_line(&printed).await, expected_line(&sentinel.body));
    assert!(printed.try_recv().is_err());
    drop(child);

    // With both secrets, both routes of a Meta body print the same line.
    let (child, addr, printed) = start_example(
        &binary,
        &[
            ("KAPSO_WEBHOOK_SECRET", KAPSO_SECRET),
            ("WHATSAPP_APP_SECRET", APP_SECRET),
        ],
    );
    for req in [
        Req::post(FIXTURE).signed(APP_SECRET),
        forwarded(FIXTURE, KAPSO_SECRET),
    ] {
        assert_eq!(send(addr, &req).await.status, 200);
        assert_eq!(next_line(&printed).await, expected_line(FIXTURE));
    }
    drop(child);
}

/// An authentic body that does not parse: `400` by default (the sender retries), or the answer
/// the application chose; never handed to the handler either way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_application_chooses_the_answer_to_an_unparseable_signed_body() {
    for (config, status) in [
        (kapso_config(), 400),
        (kapso_config().with_unparseable_status(StatusCode::OK), 200),
        (
            kapso_config().with_unparseable_status(StatusCode::UNPROCESSABLE_ENTITY),
            422,
        ),
    ] {
        let (addr, seen) = start_meta_route(config).await;
        let response = send(addr, &forwarded(b"not json {", KAPSO_SECRET)).await;
        assert_eq!(response.status, status, "{}", response.text());
        assert!(
            response.text().starts_with("invalid webhook body: "),
            "{}",
            response.text()
        );
        // A forged body that does not parse is still refused for its signature.
        let forged = send(addr, &forwarded(b"not json {", "another-secret")).await;
        assert_eq!(forged.status, 401);
        // An authentic, parseable body is still delivered.
        let response = send(addr, &forwarded(FIXTURE, KAPSO_SECRET)).await;
        assert_eq!(response.status, 200);
        assert_eq!(next_seen(&seen).await.0, expected_line(FIXTURE));
        assert!(
            seen.try_recv().is_err(),
            "the unparseable body reached the handler"
        );
    }
}
