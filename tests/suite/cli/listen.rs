//! `kapso-webhooks listen` and `kapso-webhooks send` against each other, and against tiny
//! servers of the test: loopback only, every wait bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use kapso_webhooks::verify::signature::SignatureScheme;
use kapso_webhooks::{normalize_webhook, parse_kapso_delivery, KapsoHeaders};
use sha2::{Digest, Sha256};

use crate::support::cli::run;
use crate::support::fixtures;

const APP_SECRET: &str = "listen-app-secret";
const KAPSO_SECRET: &str = "listen-kapso-secret";
const VERIFY_TOKEN: &str = "listen-verify-token";
const TIMEOUT: Duration = Duration::from_secs(20);
const META_FIXTURE: &str = "fixtures/meta/body/message_text.json";
const KAPSO_FIXTURE: &str = "fixtures/kapso/whatsapp.message.received/minimal.json";
const BATCH_FIXTURE: &str = "fixtures/kapso/whatsapp.message.received/batch_three.json";

fn body(relative: &str) -> Vec<u8> {
    std::fs::read(fixtures::path(relative)).unwrap()
}

fn normalized_line(body: &[u8]) -> String {
    normalize_webhook(body).unwrap().to_json()
}

fn kapso_lines(event: &str, body: &[u8]) -> Vec<String> {
    parse_kapso_delivery(&KapsoHeaders::for_event(event), body)
        .unwrap()
        .event_values()
        .map(|value| value.to_string())
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A running `listen`: its address, its stdout lines and its stderr lines. Killed on drop.
struct Listen {
    child: Option<Child>,
    url: String,
    addr: SocketAddr,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

impl Listen {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kapso-webhooks"))
            .arg("listen")
            .args(["--port", "0"])
            .args(args)
            .env_remove("WHATSAPP_APP_SECRET")
            .env_remove("KAPSO_WEBHOOK_SECRET")
            .env_remove("WHATSAPP_VERIFY_TOKEN")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start listen");
        let stdout = lines(child.stdout.take().unwrap());
        let stderr = lines(child.stderr.take().unwrap());
        let mut listen = Self {
            child: Some(child),
            url: String::new(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            stdout,
            stderr,
        };
        loop {
            let line = listen
                .stderr
                .recv_timeout(TIMEOUT)
                .expect("listen announces its address");
            if let Some(url) = line.strip_prefix("listening on ") {
                listen.url = url.to_owned();
                let authority = url
                    .strip_prefix("http://")
                    .and_then(|rest| rest.split_once('/'))
                    .unwrap()
                    .0;
                listen.addr = authority.parse().unwrap();
                break;
            }
        }
        assert!(listen.addr.ip().is_loopback(), "{}", listen.url);
        listen
    }

    /// The next line on stdout.
    fn line(&self) -> String {
        self.stdout
            .recv_timeout(TIMEOUT)
            .expect("listen prints the delivery")
    }

    /// No further stdout line within a short wait.
    fn no_line(&self) {
        if let Ok(line) = self.stdout.recv_timeout(Duration::from_millis(200)) {
            panic!("unexpected line: {line}");
        }
    }

    /// The stderr lines so far.
    fn stderr_so_far(&self) -> Vec<String> {
        self.stderr.try_iter().collect()
    }

    /// SIGTERM, then the exit status.
    #[cfg(unix)]
    fn terminate(mut self) -> Option<i32> {
        let mut child = self.child.take().unwrap();
        let killed = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        for _ in 0..200 {
            if let Some(status) = child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("listen did not stop within 10 s of SIGTERM");
    }
}

impl Drop for Listen {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn lines(reader: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(reader).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

fn send(url: &str, args: &[&str]) -> Output {
    let mut all = vec!["send", "--url", url, "--timeout", "10s"];
    all.extend_from_slice(args);
    run(&all, b"")
}

/// Status and body of a GET over loopback.
fn get(addr: SocketAddr, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = text(&response);
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_owned())
}

/// One request as a server received it.
#[derive(Debug, Clone, PartialEq)]
struct Received {
    request_line: String,
    /// Lower-cased names, in order.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn headers_but_host(&self) -> Vec<(String, String)> {
        let mut headers: Vec<_> = self
            .headers
            .iter()
            .filter(|(name, _)| name != "host")
            .cloned()
            .collect();
        headers.sort();
        headers
    }
}

/// A loopback server that answers `count` requests with `202 ok`, one per connection, and
/// hands each over.
fn tiny_server(count: usize) -> (SocketAddr, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for _ in 0..count {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            stream.set_read_timeout(Some(TIMEOUT)).unwrap();
            let received = read_request(&mut stream);
            let _ = stream.write_all(
                b"HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
            );
            if sender.send(received).is_err() {
                return;
            }
        }
    });
    (addr, receiver)
}

fn read_request(stream: &mut TcpStream) -> Received {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).unwrap(), 1, "headers cut short");
        raw.push(byte[0]);
    }
    let head = text(&raw);
    let mut head_lines = head.split("\r\n").filter(|line| !line.is_empty());
    let request_line = head_lines.next().unwrap().to_owned();
    let headers: Vec<(String, String)> = head_lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .map(|(_, value)| value.parse().unwrap())
        .expect("a content-length");
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    Received {
        request_line,
        headers,
        body,
    }
}

#[test]
#[cfg(unix)]
fn listen_and_send_end_to_end() {
    let listen = Listen::start(&[
        "--app-secret",
        APP_SECRET,
        "--kapso-secret",
        KAPSO_SECRET,
        "--verify-token",
        VERIFY_TOKEN,
    ]);
    let url = listen.url.clone();
    let meta = body(META_FIXTURE);

    // A Meta fixture by name, signed by Meta.
    let output = send(
        &url,
        &["--app-secret", APP_SECRET, "--fixture", "message_text"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "200 message_text\n");
    assert_eq!(listen.line(), normalized_line(&meta));

    // The same body forwarded by Kapso, from a file.
    let output = send(
        &url,
        &["--kapso-secret", KAPSO_SECRET, "--forwarded", META_FIXTURE],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), format!("200 {META_FIXTURE}\n"));
    assert_eq!(listen.line(), normalized_line(&meta));

    // A Kapso event: the event name from the fixture's name.
    let output = send(
        &url,
        &[
            "--kapso-secret",
            KAPSO_SECRET,
            "--fixture",
            "whatsapp.message.received/minimal",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let expected = kapso_lines("whatsapp.message.received", &body(KAPSO_FIXTURE));
    assert_eq!(expected.len(), 1);
    assert_eq!(listen.line(), expected[0]);

    // A Kapso batch from a file: the event name from the batch's `type`, one line per event.
    let output = send(&url, &["--kapso-secret", KAPSO_SECRET, BATCH_FIXTURE]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let expected = kapso_lines("whatsapp.message.received", &body(BATCH_FIXTURE));
    assert_eq!(expected.len(), 3);
    for line in expected {
        assert_eq!(listen.line(), line);
    }
    // The same lines as `kapso-event`.
    let cli = run(&["kapso-event", BATCH_FIXTURE], b"");
    assert_eq!(cli.status.code(), Some(0));
    assert_eq!(
        text(&cli.stdout),
        kapso_lines("whatsapp.message.received", &body(BATCH_FIXTURE)).join("\n") + "\n"
    );

    // Unhappy paths: 401, send exits 1, nothing printed, the reason on listen's stderr.
    let output = send(
        &url,
        &[
            "--app-secret",
            APP_SECRET,
            "--tamper",
            "--fixture",
            "message_text",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "401 message_text\n");
    assert!(
        text(&output.stderr).contains("invalid signature"),
        "{}",
        text(&output.stderr)
    );
    let output = send(
        &url,
        &[
            "--kapso-secret",
            KAPSO_SECRET,
            "--wrong-secret",
            "--fixture",
            "whatsapp.message.received/minimal",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stdout),
        "401 whatsapp.message.received/minimal\n"
    );
    listen.no_line();
    let refusals = listen.stderr_so_far();
    assert_eq!(
        refusals
            .iter()
            .filter(|line| line.contains("401 Unauthorized") && line.contains("invalid signature"))
            .count(),
        2,
        "{refusals:?}"
    );

    // The handshake: the challenge back for the right token, 403 for a wrong one.
    let target = format!(
        "/webhook?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444"
    );
    assert_eq!(get(listen.addr, &target), (200, "1158201444".to_owned()));
    let (status, _) = get(
        listen.addr,
        "/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1",
    );
    assert_eq!(status, 403);

    assert_eq!(listen.terminate(), Some(0));
}

#[test]
fn send_signs_as_kapso_and_repeats_with_the_same_idempotency_key() {
    let (addr, received) = tiny_server(2);
    let url = format!("http://{addr}/hook");
    let output = send(
        &url,
        &[
            "--kapso-secret",
            KAPSO_SECRET,
            "--repeat",
            "2",
            "--fixture",
            "whatsapp.message.received/batch_three",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "202 whatsapp.message.received/batch_three\n".repeat(2)
    );
    let batch = body(BATCH_FIXTURE);
    let first = received.recv_timeout(TIMEOUT).unwrap();
    let second = received.recv_timeout(TIMEOUT).unwrap();
    assert_eq!(first, second, "a redelivery is the same request");
    assert_eq!(first.request_line, "POST /hook HTTP/1.1");
    assert_eq!(first.body, batch, "the exact file bytes");
    assert_eq!(first.header("content-type"), Some("application/json"));
    let signature = SignatureScheme::Kapso.sign(&batch, KAPSO_SECRET);
    assert_eq!(
        first.header("x-webhook-signature"),
        Some(signature.as_str())
    );
    assert_eq!(
        first.header("x-webhook-event"),
        Some("whatsapp.message.received")
    );
    assert_eq!(first.header("x-webhook-payload-version"), Some("v2"));
    assert_eq!(first.header("x-webhook-batch"), Some("true"));
    assert_eq!(first.header("x-batch-size"), Some("3"));
    let key = hex::encode(Sha256::digest(&batch));
    assert_eq!(first.header("x-idempotency-key"), Some(key.as_str()));
}

#[test]
fn send_signs_as_meta_and_sends_unsigned_without_a_secret() {
    let (addr, received) = tiny_server(2);
    let url = format!("http://{addr}/hook");
    let meta = body(META_FIXTURE);
    let output = send(&url, &["--app-secret", APP_SECRET, "-"]);
    // `-` with an empty standard input: an empty body, still sent.
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let empty = received.recv_timeout(TIMEOUT).unwrap();
    assert!(empty.body.is_empty());
    assert_eq!(
        empty.header("x-hub-signature-256"),
        Some(SignatureScheme::Meta.sign(b"", APP_SECRET).as_str())
    );
    let output = send(&url, &[META_FIXTURE]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let unsigned = received.recv_timeout(TIMEOUT).unwrap();
    assert_eq!(unsigned.body, meta);
    assert!(unsigned.header("x-hub-signature-256").is_none());
    assert!(unsigned.header("x-webhook-signature").is_none());
    assert!(SignatureScheme::Meta
        .sign(&meta, APP_SECRET)
        .starts_with("sha256="));
}

#[test]
fn forward_passes_the_identical_request_on() {
    // What `send` puts on the wire, seen directly...
    let (direct_addr, direct) = tiny_server(1);
    let args = [
        "--kapso-secret",
        KAPSO_SECRET,
        "--forwarded",
        "--fixture",
        "message_text",
    ];
    let output = send(&format!("http://{direct_addr}/webhook"), &args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let sent = direct.recv_timeout(TIMEOUT).unwrap();

    // ...and through `listen --forward`.
    let (app_addr, app) = tiny_server(1);
    let forward = format!("http://{app_addr}/app/hook?source=listen");
    let listen = Listen::start(&["--kapso-secret", KAPSO_SECRET, "--forward", &forward]);
    let output = send(&listen.url, &args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "202 message_text\n",
        "the application's status"
    );
    let forwarded = app.recv_timeout(TIMEOUT).unwrap();
    assert_eq!(listen.line(), normalized_line(&body(META_FIXTURE)));

    assert_eq!(
        forwarded.request_line,
        "POST /app/hook?source=listen HTTP/1.1"
    );
    assert_eq!(forwarded.body, sent.body, "the identical bytes");
    assert_eq!(forwarded.headers_but_host(), sent.headers_but_host());
    assert_eq!(
        forwarded.header("host"),
        Some(app_addr.to_string().as_str())
    );

    // A tampered body is refused before it reaches the application; an application that is
    // gone is a 502.
    let output = send(&listen.url, &[&args[..], &["--tamper"]].concat());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "401 message_text\n");
    assert!(app.recv_timeout(Duration::from_millis(200)).is_err());
    let output = send(&listen.url, &args);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "502 message_text\n");
}

#[test]
fn listen_refuses_to_start_without_a_secret() {
    let output = Command::new(env!("CARGO_BIN_EXE_kapso-webhooks"))
        .args(["listen", "--port", "0"])
        .env_remove("WHATSAPP_APP_SECRET")
        .env_remove("KAPSO_WEBHOOK_SECRET")
        .env_remove("WHATSAPP_VERIFY_TOKEN")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("no secret") && stderr.contains("--app-secret"),
        "{stderr}"
    );
}

#[test]
fn listen_takes_its_secret_from_the_environment() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kapso-webhooks"))
        .args(["listen", "--port", "0"])
        .env("WHATSAPP_APP_SECRET", APP_SECRET)
        .env_remove("KAPSO_WEBHOOK_SECRET")
        .env_remove("WHATSAPP_VERIFY_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = lines(child.stderr.take().unwrap());
    let stdout = lines(child.stdout.take().unwrap());
    let url = loop {
        let line = stderr.recv_timeout(TIMEOUT).unwrap();
        if let Some(url) = line.strip_prefix("listening on ") {
            break url.to_owned();
        }
    };
    let output = send(
        &url,
        &["--app-secret", APP_SECRET, "--fixture", "message_text"],
    );
    let line = stdout.recv_timeout(TIMEOUT);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(line.unwrap(), normalized_line(&body(META_FIXTURE)));
}

#[test]
fn send_lists_the_embedded_fixtures() {
    let output = run(&["send", "--list-fixtures"], b"");
    assert_eq!(output.status.code(), Some(0));
    let names = text(&output.stdout);
    let names: Vec<&str> = names.lines().collect();
    assert!(names.contains(&"message_text"));
    assert!(names.contains(&"whatsapp.message.received/batch_three"));
    assert!(!names.iter().any(|name| name.contains("generated")));
    let meta = std::fs::read_dir(fixtures::path("fixtures/meta/body"))
        .unwrap()
        .count();
    assert!(
        names.len() > meta,
        "Meta and Kapso fixtures: {}",
        names.len()
    );
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
}

#[test]
fn send_usage_errors_and_no_answer() {
    // An unknown fixture, an unreadable file, a Kapso event without a name: 2, nothing sent.
    let url = "http://127.0.0.1:9/webhook";
    let output = send(url, &["--fixture", "no_such_fixture"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no_such_fixture"));
    let output = send(url, &["no/such/file.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no/such/file.json"));
    let output = send(url, &["--kapso-secret", KAPSO_SECRET, META_FIXTURE]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("--event"),
        "{}",
        text(&output.stderr)
    );
    let output = send(url, &["--wrong-secret", META_FIXTURE]);
    assert_eq!(output.status.code(), Some(2));

    // A port nothing listens on (a listener of ours, closed): 3.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let output = send(
        &format!("http://{closed}/webhook"),
        &["--fixture", "message_text"],
    );
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty());
}

#[test]
fn send_reads_ndjson_from_standard_input() {
    let (addr, received) = tiny_server(2);
    let lines = b"{\"object\":\"a\"}\n\n{\"object\":\"b\"}\n";
    let output = run(
        &["send", "--url", &format!("http://{addr}/"), "--ndjson"],
        lines,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "202 -:1\n202 -:3\n");
    assert_eq!(
        received.recv_timeout(TIMEOUT).unwrap().body,
        b"{\"object\":\"a\"}"
    );
    assert_eq!(
        received.recv_timeout(TIMEOUT).unwrap().body,
        b"{\"object\":\"b\"}"
    );
}

#[test]
fn listen_pretty_on_another_path() {
    let listen = Listen::start(&[
        "--kapso-secret",
        KAPSO_SECRET,
        "--pretty",
        "--path",
        "/hooks/wa",
    ]);
    assert!(listen.url.ends_with("/hooks/wa"), "{}", listen.url);
    let output = send(
        &listen.url,
        &[
            "--kapso-secret",
            KAPSO_SECRET,
            "--forwarded",
            "--fixture",
            "message_text",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let expected = normalize_webhook(&body(META_FIXTURE))
        .unwrap()
        .to_json_pretty();
    let printed: Vec<String> = (0..expected.lines().count())
        .map(|_| listen.line())
        .collect();
    assert_eq!(printed.join("\n"), expected);
    // The default path is not served.
    let output = send(
        &listen.url.replace("/hooks/wa", "/webhook"),
        &[
            "--kapso-secret",
            KAPSO_SECRET,
            "--forwarded",
            "--fixture",
            "message_text",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "404 message_text\n");
}

#[test]
fn legacy_v1_fixtures_are_sent_as_v1() {
    let listen = Listen::start(&["--kapso-secret", KAPSO_SECRET]);
    let name = "whatsapp.message.received/v1_legacy";
    let output = send(
        &listen.url,
        &["--kapso-secret", KAPSO_SECRET, "--fixture", name],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let file = "fixtures/kapso/whatsapp.message.received/v1_legacy.json";
    let cli = run(
        &[
            "kapso-event",
            "--event",
            "whatsapp.message.received",
            "--payload-version",
            "v1",
            file,
        ],
        b"",
    );
    assert_eq!(cli.status.code(), Some(0));
    assert_eq!(format!("{}\n", listen.line()), text(&cli.stdout));
}
