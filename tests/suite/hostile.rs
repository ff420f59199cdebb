//! The endpoint under hostile or unlucky traffic: deadlines, the buffer budget, panicking
//! handlers, graceful shutdown, and a small load and fault run against the example binary.
//!
//! Everything talks to loopback only, with short deadlines, and stops by itself. No test asserts
//! a time: a deadline is checked by what the server does (answers `408`, closes), and the
//! clients' own bounds are generous multiples of it.
#![cfg(feature = "server")]

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::Router;
use kapso_webhooks::axum::{
    router, serve, ServerConfig, Webhook, WebhookConfig, DEFAULT_BUFFER_BUDGET, RETRY_AFTER_SECONDS,
};
use kapso_webhooks::verify::Verifier;

use crate::http::example_binary;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::support::http_client::{send, Req, Resp};

#[path = "../../benches/support/hostile.rs"]
mod load;

const APP_SECRET: &str = "hostile-app-secret";
const FIXTURE: &[u8] = include_bytes!("../../fixtures/meta/body/message_text.json");
/// The clients' bound on any one exchange: far above every deadline used here.
const PATIENCE: Duration = Duration::from_secs(30);

fn config() -> WebhookConfig {
    WebhookConfig::new(Verifier::new().with_app_secret(APP_SECRET).unwrap())
}

/// The ready router with a handler answering `200`, served by the crate's `serve` until
/// `shutdown` completes.
async fn start(
    config: WebhookConfig,
    server: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> (SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>) {
    let app = router(config, |Webhook(_): Webhook| async { StatusCode::OK });
    start_app(app, server, shutdown).await
}

async fn start_app(
    app: Router,
    server: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> (SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(serve(listener, app, server, shutdown));
    (addr, task)
}

async fn post(addr: SocketAddr, req: &Req) -> Resp {
    send(addr, req, PATIENCE).await
}

/// Reads until the server closes the connection; what it sent meanwhile.
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(PATIENCE, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return received,
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server did not close the connection"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_that_never_end_are_cut_off() {
    let server = ServerConfig::default().with_header_timeout(Duration::from_millis(300));
    let (addr, _task) = start(config(), server, std::future::pending()).await;

    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"POST /webhook HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n")
        .await
        .unwrap();
    // Closed by the server, with nothing answered.
    assert!(read_until_closed(&mut stream).await.is_empty());

    // The server still answers.
    let response = post(addr, &Req::post(FIXTURE).signed(APP_SECRET)).await;
    assert_eq!(response.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_kept_alive_connections_are_closed() {
    let server = ServerConfig::default().with_header_timeout(Duration::from_millis(300));
    let (addr, _task) = start(config(), server, std::future::pending()).await;

    let mut request = Req::post(FIXTURE).signed(APP_SECRET).to_bytes();
    // Kept alive: the client's `Connection: close` taken out.
    let text = String::from_utf8(request.clone()).unwrap();
    request = text.replace("Connection: close\r\n", "").into_bytes();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let received = read_until_closed(&mut stream).await;
    assert!(received.starts_with(b"HTTP/1.1 200 OK\r\n"), "{received:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stalls_gets_408() {
    let config = config().with_body_timeout(Duration::from_millis(300));
    let (addr, _task) = start(
        config.clone(),
        ServerConfig::default(),
        std::future::pending(),
    )
    .await;

    // 100 bytes declared, 2 sent, then nothing: the client keeps its side open.
    let stalled = Req::post(b"{}").signed(APP_SECRET).declaring_length(100);
    let response = post(addr, &stalled).await;
    assert_eq!(response.status, 408, "{}", response.text());
    assert_eq!(response.header("connection"), Some("close"));
    assert!(response.text().contains("did not arrive within 300 ms"));
    assert_eq!(config.buffered_bytes(), 0, "the reservation is given back");

    let response = post(addr, &Req::post(FIXTURE).signed(APP_SECRET)).await;
    assert_eq!(response.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_buffer_budget_refuses_with_503_and_retry_after() {
    assert_eq!(
        WebhookConfig::default().buffer_budget(),
        DEFAULT_BUFFER_BUDGET
    );
    let config = config().with_buffer_budget(FIXTURE.len() + 10);
    let (addr, _task) = start(
        config.clone(),
        ServerConfig::default(),
        std::future::pending(),
    )
    .await;

    // Fits: taken, and the budget is whole again afterwards.
    assert_eq!(
        post(addr, &Req::post(FIXTURE).signed(APP_SECRET))
            .await
            .status,
        200
    );
    assert_eq!(config.buffered_bytes(), 0);

    // Declared larger than the budget (but under the body limit): refused before reading.
    let large = vec![b' '; FIXTURE.len() + 11];
    let response = post(addr, &Req::post(&large).signed(APP_SECRET)).await;
    assert_eq!(response.status, 503, "{}", response.text());
    assert_eq!(
        response.header("retry-after"),
        Some(RETRY_AFTER_SECONDS.to_string().as_str())
    );
    assert_eq!(response.header("connection"), Some("close"));

    // Chunked: reserved as it arrives, refused once past the budget.
    let response = post(addr, &Req::post(&large).signed(APP_SECRET).chunked()).await;
    assert_eq!(response.status, 503, "{}", response.text());

    // A body holding the budget (declared, stalled) makes the next one wait its turn: 503.
    let mut holder = TcpStream::connect(addr).await.unwrap();
    let held = Req::post(b"{}")
        .signed(APP_SECRET)
        .declaring_length(FIXTURE.len() as u64);
    holder.write_all(&held.to_bytes()).await.unwrap();
    let mut waited = 0;
    while config.buffered_bytes() == 0 && waited < 3000 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 1;
    }
    assert_eq!(config.buffered_bytes(), FIXTURE.len());
    let response = post(addr, &Req::post(FIXTURE).signed(APP_SECRET)).await;
    assert_eq!(response.status, 503);
    // The holder goes away: its bytes come back, and deliveries are taken again.
    drop(holder);
    let mut waited = 0;
    while config.buffered_bytes() != 0 && waited < 3000 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        waited += 1;
    }
    assert_eq!(config.buffered_bytes(), 0);
    assert_eq!(
        post(addr, &Req::post(FIXTURE).signed(APP_SECRET))
            .await
            .status,
        200
    );

    // Unauthenticated refusals come first and take nothing: a wrong signature shape is 401.
    let response = post(
        addr,
        &Req::post(&large).header("X-Hub-Signature-256", "nope"),
    )
    .await;
    assert_eq!(response.status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_gets_500_and_the_server_goes_on() {
    let panicked = Arc::new(AtomicBool::new(false));
    let first = Arc::clone(&panicked);
    let app = router(config(), move |Webhook(_): Webhook| {
        let first = Arc::clone(&first);
        async move {
            if !first.swap(true, Ordering::AcqRel) {
                panic!("the handler fails once (expected in this test)");
            }
            StatusCode::OK
        }
    });
    let (addr, _task) = start_app(app, ServerConfig::default(), std::future::pending()).await;

    let response = post(addr, &Req::post(FIXTURE).signed(APP_SECRET)).await;
    assert_eq!(response.status, 500);
    assert!(panicked.load(Ordering::Acquire));
    for _ in 0..3 {
        let response = post(addr, &Req::post(FIXTURE).signed(APP_SECRET)).await;
        assert_eq!(response.status, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_the_delivery_in_flight_finish() {
    let (stop, stopped) = oneshot::channel::<()>();
    let (addr, task) = start(config(), ServerConfig::default(), async {
        let _ = stopped.await;
    })
    .await;

    // Headers and half of the body, then shutdown, then the rest.
    let bytes = Req::post(FIXTURE).signed(APP_SECRET).to_bytes();
    let (first, rest) = bytes.split_at(bytes.len() - FIXTURE.len() / 2);
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(first).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stream.write_all(rest).await.unwrap();
    let received = read_until_closed(&mut stream).await;
    assert!(received.starts_with(b"HTTP/1.1 200 OK\r\n"), "{received:?}");
    let served = tokio::time::timeout(PATIENCE, task).await.unwrap().unwrap();
    assert!(served.is_ok());
    // No longer accepting.
    assert!(TcpStream::connect(addr).await.is_err());
}

// ---------------------------------------------------------------------------
// The example binary under attack, and its shutdown
// ---------------------------------------------------------------------------

fn minified(body: &[u8]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(body).unwrap()).unwrap()
}

/// The small version of `examples/load.rs` (benches/README.md, "HTTP under hostile traffic"):
/// 200 slowloris and 50 slow bodies, 1-second deadlines, a 16 MiB buffer budget, 1,000
/// deliveries meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_under_slowloris_and_slow_bodies() {
    let binary = example_binary();
    let server = load::Server::start(
        &binary,
        &[
            ("WHATSAPP_APP_SECRET", APP_SECRET.to_owned()),
            ("HEADER_TIMEOUT_MS", "1000".to_owned()),
            ("BODY_TIMEOUT_MS", "1000".to_owned()),
            // 16 MiB: five slow bodies buffered at once, the other 45 refused.
            ("BUFFER_BUDGET_BYTES", (16 << 20).to_string()),
        ],
    )
    .unwrap();
    let scenario = load::Scenario {
        slowloris: 200,
        slow_bodies: 50,
        deliveries: 1000,
        connections: 20,
        rate: 0,
        // Far beyond the 1-second deadlines: a connection still open then was never cut off.
        hold: Duration::from_secs(20),
        trickle: Duration::from_millis(500),
        slow_body_bytes: 2_990_000,
        settle: Duration::from_secs(10),
        delivery_timeout: PATIENCE,
        body: minified(FIXTURE),
        secret: APP_SECRET.to_owned(),
    };
    let report = load::run(server.addr, &scenario).await;
    println!("{}", report.summary());

    // Nothing lost: every delivery answered 200, and every one printed.
    assert_eq!(report.count(200), 1000, "{:?}", report.statuses);
    assert_eq!(server.wait_printed(1000, PATIENCE), 1000);
    // Every hostile connection closed by the server: slowloris without an answer, slow bodies
    // with 408 (deadline) or 503 (budget spent).
    assert_eq!(report.hostile_connect_failed(), 0);
    assert_eq!(report.hostile_open(), 0, "{}", report.summary());
    assert_eq!(report.hostile_closed().0, 250);
    let slow_bodies = report.hostile_statuses("slow body");
    assert_eq!(
        slow_bodies.get(&408).unwrap_or(&0) + slow_bodies.get(&503).unwrap_or(&0),
        50,
        "{slow_bodies:?}"
    );
    // Bounded memory: the 50 slow bodies send almost all of their 3 MB, 150 MB buffered
    // without the budget; with it, 16 MiB at most, and the server stays far below 150 MB.
    if let Some(peak) = server.peak_rss_kib() {
        println!("server peak RSS: {peak} KiB");
        assert!(peak < 96 * 1024, "peak RSS {peak} KiB");
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_shuts_down_gracefully_on_sigterm() {
    let binary = example_binary();
    let mut server =
        load::Server::start(&binary, &[("WHATSAPP_APP_SECRET", APP_SECRET.to_owned())]).unwrap();

    // A delivery in flight: headers and half of the body sent.
    let bytes = Req::post(FIXTURE).signed(APP_SECRET).to_bytes();
    let (first, rest) = bytes.split_at(bytes.len() - FIXTURE.len() / 2);
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(first).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // SIGTERM, then the rest of the body: answered 200 and printed, then exit 0.
    let pid = server.pid().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    stream.write_all(rest).await.unwrap();
    let received = read_until_closed(&mut stream).await;
    assert!(received.starts_with(b"HTTP/1.1 200 OK\r\n"), "{received:?}");
    assert_eq!(server.wait_printed(1, PATIENCE), 1);
    let code = tokio::task::spawn_blocking(move || server.wait_exit(PATIENCE))
        .await
        .unwrap();
    assert_eq!(code, Some(0));
}
