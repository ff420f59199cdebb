//! Load and fault run against the `axum_server` example: signed deliveries while slowloris and
//! slow-body connections try to exhaust it, all on loopback, bounded in count and time.
//!
//! ```text
//! cargo build --release --features server --example axum_server --example load
//! target/release/examples/load                                   # the attack (benches/README.md)
//! target/release/examples/load --slowloris 0 --slow-bodies 0 --deliveries 20000   # baseline
//! ```
//!
//! It starts `axum_server` from its own directory as a child process (so that the server's
//! memory is its own), waits for the hostile connections to be in place, sends the deliveries,
//! waits for every hostile client to be closed by the server or to give up after `--hold`, and
//! prints: deliveries per second, p50/p99, status counts, deliveries printed vs accepted, how
//! and when the hostile connections were closed, and the server's peak resident memory
//! (`VmHWM`).
//!
//! Flags (default in brackets): `--slowloris N` [3000], `--slow-bodies N` [500],
//! `--deliveries N` [2000], `--connections N` [100], `--rate N` deliveries per second, evenly
//! spaced [0: as fast as answered], `--hold-secs S` [25], `--trickle-secs S` [3],
//! `--slow-body-bytes N` sent of each slow body's 3,000,000 before it stalls [2990000], and for
//! the server (unset: its defaults) `--header-timeout-ms`, `--body-timeout-ms`,
//! `--buffer-budget-bytes`, `--max-connections`. `--server PATH` runs another build of the
//! example.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[path = "../benches/support/hostile.rs"]
mod hostile;

use hostile::{Scenario, Server};

const SECRET: &str = "load-app-secret";
const BODY: &[u8] = include_bytes!("../fixtures/meta/body/message_text.json");

struct Options {
    scenario: Scenario,
    server_env: Vec<(&'static str, String)>,
    server: PathBuf,
}

fn options() -> Result<Options, String> {
    let mut scenario = Scenario {
        slowloris: 3000,
        slow_bodies: 500,
        deliveries: 2000,
        connections: 100,
        rate: 0,
        hold: Duration::from_secs(25),
        trickle: Duration::from_secs(3),
        slow_body_bytes: 2_990_000,
        settle: Duration::from_secs(10),
        delivery_timeout: Duration::from_secs(30),
        body: minified(BODY),
        secret: SECRET.to_owned(),
    };
    let mut server_env = vec![("WHATSAPP_APP_SECRET", SECRET.to_owned())];
    let mut server = std::env::current_exe()
        .map_err(|err| err.to_string())?
        .with_file_name(format!("axum_server{}", std::env::consts::EXE_SUFFIX));
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |text: String| -> Result<u64, String> {
            text.parse()
                .map_err(|_| format!("{flag}: {text:?} is not a number"))
        };
        match flag.as_str() {
            "--slowloris" => scenario.slowloris = number(value()?)? as usize,
            "--slow-bodies" => scenario.slow_bodies = number(value()?)? as usize,
            "--deliveries" => scenario.deliveries = number(value()?)? as usize,
            "--connections" => scenario.connections = number(value()?)? as usize,
            "--rate" => scenario.rate = number(value()?)? as u32,
            "--hold-secs" => scenario.hold = Duration::from_secs(number(value()?)?),
            "--trickle-secs" => scenario.trickle = Duration::from_secs(number(value()?)?),
            "--slow-body-bytes" => scenario.slow_body_bytes = number(value()?)? as usize,
            "--header-timeout-ms" => server_env.push(("HEADER_TIMEOUT_MS", value()?)),
            "--body-timeout-ms" => server_env.push(("BODY_TIMEOUT_MS", value()?)),
            "--buffer-budget-bytes" => server_env.push(("BUFFER_BUDGET_BYTES", value()?)),
            "--max-connections" => server_env.push(("MAX_CONNECTIONS", value()?)),
            "--server" => server = PathBuf::from(value()?),
            "--help" | "-h" => return Err("see the top of examples/load.rs for the flags".into()),
            other => return Err(format!("unknown flag {other:?}")),
        }
    }
    Ok(Options {
        scenario,
        server_env,
        server,
    })
}

/// The body on one line, as Meta sends it.
fn minified(body: &[u8]) -> Vec<u8> {
    let value: serde_json::Value = serde_json::from_slice(body).expect("fixture is JSON");
    serde_json::to_vec(&value).expect("serialize")
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(err) => {
            eprintln!("load: {err}");
            return ExitCode::from(2);
        }
    };
    let server = match Server::start(&options.server, &options.server_env) {
        Ok(server) => server,
        Err(err) => {
            eprintln!("load: {err} (build it: cargo build --release --features server --example axum_server)");
            return ExitCode::FAILURE;
        }
    };
    let scenario = &options.scenario;
    println!(
        "load: {} slowloris + {} slow bodies held up to {} s, {} deliveries over {} connections \
         at {} ({} bytes each), server {} (pid {}) {:?}",
        scenario.slowloris,
        scenario.slow_bodies,
        scenario.hold.as_secs(),
        scenario.deliveries,
        scenario.connections,
        if scenario.rate == 0 {
            "full speed".to_owned()
        } else {
            format!("{}/s", scenario.rate)
        },
        scenario.body.len(),
        server.addr,
        server.pid(),
        options.server_env.iter().skip(1).collect::<Vec<_>>(),
    );
    let report = hostile::run(server.addr, scenario).await;
    let accepted = report.count(200);
    let printed = server.wait_printed(accepted, Duration::from_secs(10));
    println!("{}", report.summary());
    println!("printed: {printed} of {accepted} accepted");
    let peak = server.peak_rss_kib();
    println!(
        "server memory: peak RSS (VmHWM) {}, RSS now {}",
        peak.map_or("-".into(), |kib| format!(
            "{:.1} MB",
            kib as f64 * 1024.0 / 1e6
        )),
        server.rss_kib().map_or("-".into(), |kib| format!(
            "{:.1} MB",
            kib as f64 * 1024.0 / 1e6
        )),
    );
    let (closed, latest) = report.hostile_closed();
    println!(
        "| {} | {} | {:.0}/s | {:.1} ms | {:.1} ms | {}/{} | {closed}/{} (latest {:.1} s) | {:.1} MiB |",
        scenario.slowloris + scenario.slow_bodies,
        scenario.deliveries,
        report.rate(),
        report.percentile(50).unwrap_or_default().as_secs_f64() * 1e3,
        report.percentile(99).unwrap_or_default().as_secs_f64() * 1e3,
        accepted,
        printed,
        report.hostile.len(),
        latest.unwrap_or_default().as_secs_f64(),
        peak.unwrap_or(0) as f64 / 1024.0,
    );
    let ok = accepted == scenario.deliveries && printed == accepted && report.hostile_open() == 0;
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
