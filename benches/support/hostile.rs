//! Hostile traffic and signed deliveries against a webhook server on loopback, measured.
//!
//! Included with `#[path]` by `examples/load.rs` (the full run) and `tests/suite/hostile.rs`
//! (the small run CI does), so both do exactly the same thing. Everything goes to the given
//! loopback address only, every client stops by itself (after its count, or after `hold`), and
//! nothing here measures or asserts a time on its own: the callers report and check.
//!
//! * *slowloris*: a `POST` whose headers never end, one more header line a second;
//! * *slow body*: complete headers with a well-formed but wrong `X-Hub-Signature-256` and
//!   `Content-Length: 3000000`, then `slow_body_bytes` of the body spread over `trickle` (ten
//!   writes a second), then nothing: the server has buffered almost all of it, and the rest
//!   never comes;
//! * *deliveries*: correctly signed `POST`s over `connections` kept-alive connections, each
//!   timed from its first byte written to its last byte read.
//!
//! [`Server`] runs the `axum_server` example as a child process, counts the lines it prints and
//! reads its peak resident memory (`VmHWM` in `/proc/<pid>/status`).
#![allow(dead_code, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What to send.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Slowloris connections.
    pub slowloris: usize,
    /// Slow-body connections.
    pub slow_bodies: usize,
    /// Signed deliveries.
    pub deliveries: usize,
    /// Kept-alive connections the deliveries share.
    pub connections: usize,
    /// Deliveries per second over all connections, evenly spaced; `0`: each connection sends
    /// its next delivery as soon as the previous one is answered.
    pub rate: u32,
    /// The longest a hostile client keeps its connection open; one the server has not closed
    /// by then counts as still open.
    pub hold: Duration,
    /// How long a slow body trickles before it stalls.
    pub trickle: Duration,
    /// How much of its 3,000,000 declared bytes a slow body sends before it stalls.
    pub slow_body_bytes: usize,
    /// The longest to wait for the hostile connections to be in place before the deliveries.
    pub settle: Duration,
    /// The longest one delivery may take before it counts as failed (status 0).
    pub delivery_timeout: Duration,
    /// The delivery body.
    pub body: Vec<u8>,
    /// The Meta app secret it is signed with.
    pub secret: String,
}

/// How one hostile connection ended.
#[derive(Clone, Copy, Debug)]
pub struct Hostile {
    /// `"slowloris"` or `"slow body"`.
    pub kind: &'static str,
    /// When the server closed it, from the connection's start; `None` if still open at `hold`.
    pub closed_after: Option<Duration>,
    /// The status the server answered before closing, if any.
    pub status: Option<u16>,
    /// The connection could not be made at all.
    pub connect_failed: bool,
}

/// What happened.
#[derive(Debug, Default)]
pub struct Report {
    /// From the first delivery sent to the last answered.
    pub deliveries_elapsed: Duration,
    /// Every delivery's latency, sorted.
    pub latencies: Vec<Duration>,
    /// Deliveries by status (`0`: no answer, the connection failed or timed out).
    pub statuses: BTreeMap<u16, usize>,
    /// Every hostile connection.
    pub hostile: Vec<Hostile>,
}

impl Report {
    /// Deliveries answered with `status`.
    pub fn count(&self, status: u16) -> usize {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    /// The latency at `percent` (0–100), if any delivery was made.
    pub fn percentile(&self, percent: usize) -> Option<Duration> {
        let last = self.latencies.len().checked_sub(1)?;
        self.latencies
            .get((self.latencies.len() * percent / 100).min(last))
            .copied()
    }

    /// Deliveries per second.
    pub fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.deliveries_elapsed.as_secs_f64().max(1e-9)
    }

    /// Hostile connections the server closed (answered or not), and the latest it did so.
    pub fn hostile_closed(&self) -> (usize, Option<Duration>) {
        let closed = self.hostile.iter().filter_map(|h| h.closed_after);
        (closed.clone().count(), closed.max())
    }

    /// Hostile connections still open when their client gave up (`hold`).
    pub fn hostile_open(&self) -> usize {
        self.hostile
            .iter()
            .filter(|h| h.closed_after.is_none() && !h.connect_failed)
            .count()
    }

    /// Hostile connections that could not be made.
    pub fn hostile_connect_failed(&self) -> usize {
        self.hostile.iter().filter(|h| h.connect_failed).count()
    }

    /// Hostile connections by the status answered before closing (`0`: closed unanswered).
    pub fn hostile_statuses(&self, kind: &str) -> BTreeMap<u16, usize> {
        let mut statuses = BTreeMap::new();
        for hostile in self.hostile.iter().filter(|h| h.kind == kind) {
            if hostile.closed_after.is_some() {
                *statuses.entry(hostile.status.unwrap_or(0)).or_insert(0) += 1;
            }
        }
        statuses
    }

    /// A few lines for people.
    pub fn summary(&self) -> String {
        let ms = |d: Option<Duration>| {
            d.map_or("-".to_owned(), |d| {
                format!("{:.1} ms", d.as_secs_f64() * 1e3)
            })
        };
        let (closed, latest) = self.hostile_closed();
        format!(
            "deliveries: {} in {:.2} s ({:.0}/s), statuses {:?}, p50 {}, p99 {}, max {}\n\
             hostile: {} connections, {} closed by the server (latest after {}), {} still open \
             at hold, {} could not connect; slowloris closed {:?}, slow bodies closed {:?} \
             (status: count, 0 = closed without an answer)",
            self.latencies.len(),
            self.deliveries_elapsed.as_secs_f64(),
            self.rate(),
            self.statuses,
            ms(self.percentile(50)),
            ms(self.percentile(99)),
            ms(self.latencies.last().copied()),
            self.hostile.len(),
            closed,
            ms(latest),
            self.hostile_open(),
            self.hostile_connect_failed(),
            self.hostile_statuses("slowloris"),
            self.hostile_statuses("slow body"),
        )
    }
}

/// Runs `scenario` against `addr` (loopback) and reports. Returns once every client is done:
/// the deliveries answered or failed, every hostile connection closed or past `hold`.
pub async fn run(addr: SocketAddr, scenario: &Scenario) -> Report {
    assert!(addr.ip().is_loopback(), "loopback only: {addr}");
    let opened = Arc::new(AtomicUsize::new(0));
    let mut hostile = Vec::new();
    for _ in 0..scenario.slowloris {
        hostile.push(tokio::spawn(slowloris(
            addr,
            scenario.hold,
            Arc::clone(&opened),
        )));
    }
    for _ in 0..scenario.slow_bodies {
        hostile.push(tokio::spawn(slow_body(
            addr,
            scenario.hold,
            scenario.trickle,
            scenario.slow_body_bytes,
            Arc::clone(&opened),
        )));
    }
    let total = scenario.slowloris + scenario.slow_bodies;
    let settle = Instant::now() + scenario.settle;
    while opened.load(Ordering::Acquire) < total && Instant::now() < settle {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let request = Arc::new(signed_request(&scenario.body, &scenario.secret));
    let connections = scenario.connections.max(1);
    let started = Instant::now();
    let mut senders = Vec::new();
    for index in 0..connections {
        let count = scenario.deliveries / connections
            + usize::from(index < scenario.deliveries % connections);
        // With a rate, connection `index` sends its k-th delivery at (k * connections + index)
        // / rate seconds.
        let pace = (scenario.rate > 0).then(|| {
            let each = Duration::from_secs(1) / scenario.rate;
            (each * index as u32, each * connections as u32)
        });
        senders.push(tokio::spawn(deliver(
            addr,
            Arc::clone(&request),
            count,
            scenario.delivery_timeout,
            pace.map(|(offset, interval)| {
                (tokio::time::Instant::from_std(started) + offset, interval)
            }),
        )));
    }
    let mut report = Report::default();
    for sender in senders {
        for (status, latency) in sender.await.unwrap_or_default() {
            *report.statuses.entry(status).or_insert(0) += 1;
            report.latencies.push(latency);
        }
    }
    report.deliveries_elapsed = started.elapsed();
    report.latencies.sort_unstable();
    for task in hostile {
        if let Ok(outcome) = task.await {
            report.hostile.push(outcome);
        }
    }
    report
}

/// The bytes of one signed delivery, for a kept-alive connection.
fn signed_request(body: &[u8], secret: &str) -> Vec<u8> {
    let signature = kapso_webhooks::verify::signature::SignatureScheme::Meta.sign(body, secret);
    let mut request = format!(
        "POST /webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         X-Hub-Signature-256: {signature}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

/// Sends `count` deliveries one after the other on one kept-alive connection (a new one after a
/// failure or a `Connection: close`), each at its time when `pace` (first, interval) is given;
/// each `(status, latency)`, status 0 for a failure.
async fn deliver(
    addr: SocketAddr,
    request: Arc<Vec<u8>>,
    count: usize,
    timeout: Duration,
    pace: Option<(tokio::time::Instant, Duration)>,
) -> Vec<(u16, Duration)> {
    let mut results = Vec::with_capacity(count);
    let mut connection: Option<TcpStream> = None;
    let mut buf = vec![0u8; 16 * 1024];
    for k in 0..count {
        if let Some((first, interval)) = pace {
            tokio::time::sleep_until(first + interval * k as u32).await;
        }
        let start = Instant::now();
        let exchange = async {
            let mut stream = match connection.take() {
                Some(stream) => stream,
                None => {
                    let stream = TcpStream::connect(addr).await.ok()?;
                    let _ = stream.set_nodelay(true);
                    stream
                }
            };
            stream.write_all(&request).await.ok()?;
            let (status, keep) = read_response(&mut stream, &mut buf).await?;
            Some((status, keep.then_some(stream)))
        };
        match tokio::time::timeout(timeout, exchange).await {
            Ok(Some((status, stream))) => {
                connection = stream;
                results.push((status, start.elapsed()));
            }
            _ => results.push((0, start.elapsed())),
        }
    }
    results
}

/// Reads one response; its status and whether the connection stays open.
async fn read_response(stream: &mut TcpStream, buf: &mut [u8]) -> Option<(u16, bool)> {
    let mut raw = Vec::new();
    let head_end = loop {
        let n = stream.read(buf).await.ok()?;
        if n == 0 {
            return None;
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(end) = find(&raw, b"\r\n\r\n") {
            break end;
        }
    };
    let head = std::str::from_utf8(&raw[..head_end])
        .ok()?
        .to_ascii_lowercase();
    let status = head.get(9..12)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    let mut have = raw.len() - head_end - 4;
    while have < length {
        let n = stream.read(buf).await.ok()?;
        if n == 0 {
            return None;
        }
        have += n;
    }
    Some((status, !head.contains("connection: close")))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// A `POST` whose headers never end: one more header line a second until the server closes
/// or `hold` has passed.
async fn slowloris(addr: SocketAddr, hold: Duration, opened: Arc<AtomicUsize>) -> Hostile {
    let start = Instant::now();
    let head = b"POST /webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
    let tick = Duration::from_secs(1);
    hold_open(
        "slowloris",
        addr,
        start,
        hold,
        head.to_vec(),
        opened,
        tick,
        |line| Some(format!("X-Slow-{line}: {}\r\n", "a".repeat(16)).into_bytes()),
    )
    .await
}

/// Complete headers with a wrong signature and `Content-Length: 3000000`, then `bytes` of the
/// body over `trickle`, then nothing until the server closes or `hold` has passed.
async fn slow_body(
    addr: SocketAddr,
    hold: Duration,
    trickle: Duration,
    bytes: usize,
    opened: Arc<AtomicUsize>,
) -> Hostile {
    let start = Instant::now();
    let head = format!(
        "POST /webhook HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         X-Hub-Signature-256: sha256={}\r\nContent-Length: 3000000\r\n\r\n{{\"object\":\"",
        "0".repeat(64)
    );
    let tick = Duration::from_millis(100);
    let steps = (trickle.as_millis() / tick.as_millis()).max(1) as usize;
    let step = bytes.min(3_000_000 - 20).div_ceil(steps).max(1);
    let mut left = bytes.min(3_000_000 - 20);
    hold_open(
        "slow body",
        addr,
        start,
        hold,
        head.into_bytes(),
        opened,
        tick,
        move |_| {
            let now = step.min(left);
            left -= now;
            (now > 0).then(|| vec![b'a'; now])
        },
    )
    .await
}

/// Connects, writes `head`, then every `tick` what `next` gives (nothing once it says `None`),
/// reading whatever the server answers, until the server closes or `hold` has passed.
#[allow(clippy::too_many_arguments)]
async fn hold_open(
    kind: &'static str,
    addr: SocketAddr,
    start: Instant,
    hold: Duration,
    head: Vec<u8>,
    opened: Arc<AtomicUsize>,
    tick: Duration,
    mut next: impl FnMut(usize) -> Option<Vec<u8>>,
) -> Hostile {
    let deadline = tokio::time::Instant::from_std(start + hold);
    let mut outcome = Hostile {
        kind,
        closed_after: None,
        status: None,
        connect_failed: false,
    };
    let connected = tokio::time::timeout_at(deadline, TcpStream::connect(addr)).await;
    let Ok(Ok(mut stream)) = connected else {
        opened.fetch_add(1, Ordering::AcqRel);
        outcome.connect_failed = true;
        return outcome;
    };
    let written = stream.write_all(&head).await;
    opened.fetch_add(1, Ordering::AcqRel);
    if written.is_err() {
        outcome.closed_after = Some(start.elapsed());
        return outcome;
    }
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let mut line = 0;
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + tick, tick);
    loop {
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(n) if n > 0 => {
                    raw.extend_from_slice(&buf[..n]);
                    if outcome.status.is_none() && raw.len() >= 12 {
                        outcome.status = std::str::from_utf8(&raw[9..12]).ok().and_then(|s| s.parse().ok());
                    }
                }
                // End of stream or reset: the server closed.
                _ => break,
            },
            _ = tick.tick() => {
                if let Some(bytes) = next(line) {
                    line += 1;
                    // Bounded by `hold`: a server that stops reading fills the socket buffers.
                    match tokio::time::timeout_at(deadline, stream.write_all(&bytes)).await {
                        Ok(Ok(())) => {}
                        Ok(Err(_)) => break,
                        Err(_) => return outcome,
                    }
                }
            }
            () = tokio::time::sleep_until(deadline) => return outcome,
        }
    }
    outcome.closed_after = Some(start.elapsed());
    outcome
}

/// The `axum_server` example running as a child process, killed when dropped.
pub struct Server {
    child: Child,
    /// Where it listens (loopback, an ephemeral port).
    pub addr: SocketAddr,
    /// Lines it has printed on stdout (one per accepted Meta body).
    pub printed: Arc<AtomicUsize>,
}

impl Server {
    /// Starts `binary` on an ephemeral loopback port with `env` (secrets, deadlines), and waits
    /// (up to 30 s) for it to announce its address.
    pub fn start(binary: &Path, env: &[(&str, String)]) -> Result<Self, String> {
        let mut command = Command::new(binary);
        command
            .env_remove("WHATSAPP_APP_SECRET")
            .env_remove("KAPSO_WEBHOOK_SECRET")
            .env_remove("WHATSAPP_VERIFY_TOKEN")
            .env("PORT", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command
            .spawn()
            .map_err(|err| format!("starting {}: {err}", binary.display()))?;
        let printed = Arc::new(AtomicUsize::new(0));
        if let Some(stdout) = child.stdout.take() {
            let printed = Arc::clone(&printed);
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    match line {
                        Ok(line) if !line.is_empty() => {
                            printed.fetch_add(1, Ordering::AcqRel);
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
            });
        }
        let (address, announced) = mpsc::channel();
        if let Some(stderr) = child.stderr.take() {
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Some(url) = line.strip_prefix("axum_server: listening on http://") {
                        let _ = address.send(url.trim_end_matches("/webhook").to_owned());
                    } else if !line.contains("read header from client timeout") {
                        eprintln!("[server] {line}");
                    }
                }
            });
        }
        let mut server = Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            printed,
        };
        let announced = announced
            .recv_timeout(Duration::from_secs(30))
            .map_err(|_| "the server did not announce its address".to_owned())?;
        server.addr = announced
            .parse()
            .map_err(|err| format!("address {announced:?}: {err}"))?;
        Ok(server)
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak resident memory so far, in KiB (`VmHWM`; Linux only).
    pub fn peak_rss_kib(&self) -> Option<u64> {
        self.status_field("VmHWM:")
    }

    /// Resident memory now, in KiB (`VmRSS`; Linux only).
    pub fn rss_kib(&self) -> Option<u64> {
        self.status_field("VmRSS:")
    }

    fn status_field(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    }

    /// Waits until `count` lines are printed or `timeout` passes; the lines printed.
    pub fn wait_printed(&self, count: usize, timeout: Duration) -> usize {
        let deadline = Instant::now() + timeout;
        while self.printed.load(Ordering::Acquire) < count && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.printed.load(Ordering::Acquire)
    }

    /// Sends SIGTERM (with the `kill` command) and waits up to `timeout` for the exit; its code.
    pub fn terminate(&mut self, timeout: Duration) -> Option<i32> {
        let sent = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status()
            .ok()?;
        if !sent.success() {
            return None;
        }
        self.wait_exit(timeout)
    }

    /// Waits up to `timeout` for the server to exit; its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
