//! `kapso-webhooks`: normalize WhatsApp webhook bodies and check their signatures
//! from the command line.
//!
//! ```text
//! kapso-webhooks normalize fixtures/meta/body/message_text.json
//! kapso-webhooks normalize --ndjson < bodies.ndjson
//! kapso-webhooks verify --app-secret SECRET --signature 'sha256=…' body.json
//! kapso-webhooks verify --kapso-secret SECRET --signature '…' body.json
//! kapso-webhooks sign --app-secret SECRET body.json
//! kapso-webhooks kapso-event --event whatsapp.message.received body.json
//! kapso-webhooks listen --port 3000 --app-secret SECRET --kapso-secret SECRET
//! kapso-webhooks send --url http://127.0.0.1:3000/webhook --app-secret SECRET --fixture message_text
//! ```

#![forbid(unsafe_code)]

use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use kapso_webhooks::kapso_event::{EVENT_HEADER, PAYLOAD_VERSION_HEADER};
use kapso_webhooks::verify::signature::SignatureScheme;
use kapso_webhooks::verify::{EmptySecret, Verifier};
use kapso_webhooks::{normalize_webhook, parse_kapso_delivery, KapsoHeaders, NormalizedWebhook};

#[path = "kapso-webhooks/listen.rs"]
mod listen;
#[path = "kapso-webhooks/send.rs"]
mod send;

/// Exit code of `verify` when the signature could not be checked at all
/// (unreadable file, an empty secret); `1` means "checked: not valid".
const EXIT_TROUBLE: u8 = 2;
/// Exit code of a usage error: a missing secret, an unknown fixture, an unreadable file.
const EXIT_USAGE: u8 = 2;
/// Exit code of `send` when a request got no answer (refused connection, timeout).
const EXIT_NO_ANSWER: u8 = 3;

const NORMALIZE_EXIT: &str = "Exit codes: 0 every body normalized; 1 a file could not be read \
     or a body did not parse (the others are still printed); 2 usage error.";
const LISTEN_EXIT: &str = "Exit codes: 0 shut down by SIGTERM or Ctrl-C; 1 cannot listen \
     (address in use, not local); 2 usage error (no secret, a bad --path).";
const VERIFY_EXIT: &str = "Exit codes: 0 valid; 1 invalid (the reason on stderr); 2 cannot be \
     checked (unreadable file, empty secret) or usage error.";
const KAPSO_EVENT_EXIT: &str = "Exit codes: 0 parsed; 1 a file could not be read or is not JSON; \
     2 usage error.";
const SIGN_EXIT: &str = "Exit codes: 0 signed; 2 usage error (a file that cannot be read, no \
     secret, an empty secret).";
const SEND_EXIT: &str = "Exit codes: 0 every answer was 2xx; 1 some answer was not 2xx (its \
     text is on stderr); 2 usage error (unreadable file, unknown fixture, no event name); 3 some \
     request got no answer (refused, timed out). Output: one `<status> <body>` line per request.";

/// Typed, normalized WhatsApp webhooks.
#[derive(Parser)]
#[command(
    name = "kapso-webhooks",
    version,
    about,
    after_help = "Exit codes: 0 success; 1 the work failed (a body did not parse, a signature is \
                  invalid, an answer was not 2xx); 2 usage error; 3 (send) no answer. Each \
                  subcommand's --help says more."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Normalize Meta webhook bodies: one JSON line per file (or per stdin line with --ndjson).
    #[command(after_help = NORMALIZE_EXIT)]
    Normalize {
        /// Body files to normalize (`-` for standard input; none: standard input).
        #[arg(conflicts_with = "ndjson")]
        files: Vec<PathBuf>,
        /// Read one body per line of standard input; a bad line gets {"error": …} and the rest go on.
        #[arg(long)]
        ndjson: bool,
        /// Pretty-print the output.
        #[arg(long)]
        pretty: bool,
    },
    /// Check a body's signature: prints `valid` (exit 0), or `invalid: <reason>` on stderr (exit 1).
    ///
    /// Exit 2 when it cannot be checked (unreadable file, empty secret).
    #[command(after_help = VERIFY_EXIT)]
    Verify {
        #[command(flatten)]
        secrets: VerifySecrets,
        /// The signature header's value: `sha256=<hex>` (Meta) or `<hex>` (Kapso). A whole
        /// header line (`X-Hub-Signature-256: sha256=<hex>`) is accepted too.
        #[arg(long, value_name = "HEADER")]
        signature: String,
        /// The raw body, byte for byte as received (`-` for standard input). The signature covers
        /// the exact bytes: a reformatted body or an added final newline no longer matches.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Parse a Kapso webhook delivery: one compact JSON line per event (`{"event": NAME, …}`,
    /// keys camelCased as in the normalized Meta output). Batches are detected from the body.
    #[command(after_help = KAPSO_EVENT_EXIT)]
    KapsoEvent {
        /// The event name, as in the `X-Webhook-Event` header (e.g. `whatsapp.message.received`).
        #[arg(long, value_name = "NAME")]
        event: Option<String>,
        /// The payload version, as in `X-Webhook-Payload-Version` (`v1` or `v2`).
        #[arg(long, value_name = "VERSION")]
        payload_version: Option<String>,
        /// Pretty-print the output.
        #[arg(long)]
        pretty: bool,
        /// The raw body (`-` for standard input).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Receive webhooks: the hardened server, printing one JSON line per accepted delivery.
    ///
    /// Answers Meta's GET handshake, verifies each POST by its kind (Meta-signed, forwarded by
    /// Kapso, Kapso events) and prints on stdout the normalized webhook of a Meta body (one
    /// line), or one line per Kapso event (as `kapso-event`). Refusals go to stderr with their
    /// status and reason; so does `listening on http://HOST:PORT/PATH` at start.
    #[command(after_help = LISTEN_EXIT)]
    Listen(ListenArgs),
    /// Deliver webhook bodies to an endpoint exactly as Meta or Kapso would (signed, with
    /// their headers, the exact bytes).
    #[command(after_help = SEND_EXIT)]
    Send(SendArgs),
    /// Print the signature header value for a body (`sha256=<hex>` for Meta, `<hex>` for Kapso).
    #[command(after_help = SIGN_EXIT)]
    Sign {
        #[command(flatten)]
        secret: SignSecret,
        /// Print a whole header line (`X-Hub-Signature-256: sha256=<hex>`), e.g. for `curl -H`.
        #[arg(long)]
        header: bool,
        /// The raw body (`-` for standard input).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// The options of `listen`.
#[derive(Args)]
struct ListenArgs {
    /// Port to listen on; `0` picks a free one.
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// Address to listen on (keep it local: put a TLS-terminating tunnel in front).
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// Path of the webhook endpoint.
    #[arg(long, default_value = kapso_webhooks::axum::WEBHOOK_PATH)]
    path: String,
    /// Meta app secret (Meta-signed bodies). Repeat to accept any of several.
    #[arg(
        long,
        value_name = "SECRET",
        env = "WHATSAPP_APP_SECRET",
        hide_env_values = true
    )]
    app_secret: Vec<String>,
    /// Kapso webhook secret (Kapso events and forwarded Meta bodies). Repeat for several.
    #[arg(
        long,
        value_name = "SECRET",
        env = "KAPSO_WEBHOOK_SECRET",
        hide_env_values = true
    )]
    kapso_secret: Vec<String>,
    /// The verify token of Meta's GET handshake (without it, handshakes get 500).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "WHATSAPP_VERIFY_TOKEN",
        hide_env_values = true
    )]
    verify_token: Option<String>,
    /// Pretty-print the deliveries.
    #[arg(long)]
    pretty: bool,
    /// Pass each verified delivery on to this application (same method, the URL's path and
    /// query, the original headers and bytes) and answer with its status (502 if it does not
    /// answer). Plain http.
    #[arg(long, value_name = "URL")]
    forward: Option<String>,
    /// Deadline of a forwarded request (`10s`, `500ms`).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = send::parse_duration)]
    forward_timeout: Duration,
}

/// The options of `send`.
#[derive(Args)]
struct SendArgs {
    /// The endpoint (plain http, e.g. `http://127.0.0.1:3000/webhook`).
    #[arg(long, required_unless_present = "list_fixtures")]
    url: Option<String>,
    /// Sign as Meta does: `X-Hub-Signature-256: sha256=<hex>`.
    #[arg(long, value_name = "SECRET", conflicts_with = "kapso_secret")]
    app_secret: Option<String>,
    /// Sign as Kapso does: `X-Webhook-Signature: <hex>`, with `X-Webhook-Event` (a Kapso event)
    /// or, with --forwarded, as a Meta body forwarded by Kapso; `X-Idempotency-Key` is the hex
    /// SHA-256 of the body.
    #[arg(long, value_name = "SECRET")]
    kapso_secret: Option<String>,
    /// The Kapso event name (`X-Webhook-Event`); default: the EVENT of a fixture `EVENT/CASE`,
    /// else a batch's `type` or the body's `event`.
    #[arg(
        long,
        value_name = "NAME",
        requires = "kapso_secret",
        conflicts_with = "forwarded"
    )]
    event: Option<String>,
    /// The Kapso payload version (`X-Webhook-Payload-Version`, `v1` or `v2`); default: `v1` for
    /// a fixture `EVENT/v1_*`, else `v2`.
    #[arg(
        long,
        value_name = "VERSION",
        requires = "kapso_secret",
        conflicts_with = "forwarded"
    )]
    payload_version: Option<String>,
    /// Send Meta bodies as Kapso forwards them (no `X-Webhook-Event`).
    #[arg(long, requires = "kapso_secret")]
    forwarded: bool,
    /// A fixture by name: `message_text` (Meta), `whatsapp.message.received/minimal` (Kapso).
    /// The repository's Meta and Kapso fixtures are built into the binary, so an installed
    /// binary has them too. Repeatable; see --list-fixtures.
    #[arg(long, value_name = "NAME")]
    fixture: Vec<String>,
    /// List the embedded fixtures and exit.
    #[arg(long, exclusive = true)]
    list_fixtures: bool,
    /// Read one body per line of standard input.
    #[arg(long)]
    ndjson: bool,
    /// Send each body N times in a row (redeliveries: same bytes, same idempotency key).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    repeat: u32,
    /// Flip a byte of the body after signing (the endpoint should answer 401).
    #[arg(long)]
    tamper: bool,
    /// Sign with a different secret than the one given (the endpoint should answer 401).
    #[arg(long)]
    wrong_secret: bool,
    /// Deadline of each request (`10s`, `500ms`, `1m`).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = send::parse_duration)]
    timeout: Duration,
    /// Body files (`-` for standard input).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// The secrets `verify` checks against: Meta's or Kapso's, not both.
#[derive(Args)]
#[group(required = true, multiple = false)]
struct VerifySecrets {
    /// Meta app secret (`X-Hub-Signature-256`). Repeat to accept any of several (key rotation).
    #[arg(long, value_name = "SECRET")]
    app_secret: Vec<String>,
    /// Kapso webhook secret (`X-Webhook-Signature`). Repeat to accept any of several.
    #[arg(long, value_name = "SECRET")]
    kapso_secret: Vec<String>,
}

impl VerifySecrets {
    /// The scheme of the secrets given, and a [`Verifier`] holding them (refusing an empty
    /// one, as every `Verifier` does).
    fn verifier(self) -> Result<(SignatureScheme, Verifier), EmptySecret> {
        if self.kapso_secret.is_empty() {
            let verifier = self
                .app_secret
                .into_iter()
                .try_fold(Verifier::new(), Verifier::with_app_secret)?;
            Ok((SignatureScheme::Meta, verifier))
        } else {
            let verifier = self
                .kapso_secret
                .into_iter()
                .try_fold(Verifier::new(), Verifier::with_kapso_secret)?;
            Ok((SignatureScheme::Kapso, verifier))
        }
    }
}

/// The secret `sign` uses: Meta's or Kapso's.
#[derive(Args)]
#[group(required = true, multiple = false)]
struct SignSecret {
    /// Meta app secret: prints an `X-Hub-Signature-256` value.
    #[arg(long, value_name = "SECRET")]
    app_secret: Option<String>,
    /// Kapso webhook secret: prints an `X-Webhook-Signature` value.
    #[arg(long, value_name = "SECRET")]
    kapso_secret: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = match cli.command {
        Command::Normalize {
            files,
            ndjson,
            pretty,
        } => {
            let all_ok = if ndjson {
                normalize_lines(io::stdin().lock(), &mut out, pretty)
            } else if files.is_empty() {
                normalize_files(&[PathBuf::from("-")], &mut out, pretty)
            } else {
                normalize_files(&files, &mut out, pretty)
            };
            all_ok.map(|ok| {
                if ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            })
        }
        Command::Verify {
            secrets,
            signature,
            file,
        } => verify(secrets, &signature, &file, &mut out),
        Command::Sign {
            secret,
            header,
            file,
        } => sign(secret, header, &file, &mut out),
        Command::KapsoEvent {
            event,
            payload_version,
            pretty,
            file,
        } => kapso_event(event, payload_version, pretty, &file, &mut out),
        Command::Listen(args) => {
            drop(out);
            return listen::run(listen::Options {
                host: args.host,
                port: args.port,
                path: args.path,
                app_secrets: args.app_secret,
                kapso_secrets: args.kapso_secret,
                verify_token: args.verify_token,
                pretty: args.pretty,
                forward: args.forward,
                forward_timeout: args.forward_timeout,
            });
        }
        Command::Send(args) => {
            if args.wrong_secret && args.app_secret.is_none() && args.kapso_secret.is_none() {
                eprintln!(
                    "kapso-webhooks send: --wrong-secret needs --app-secret or --kapso-secret"
                );
                return ExitCode::from(EXIT_USAGE);
            }
            match args.url {
                None => send::list_fixtures(&mut out),
                Some(url) => send::run(
                    send::Options {
                        url,
                        app_secret: args.app_secret,
                        kapso_secret: args.kapso_secret,
                        event: args.event,
                        payload_version: args.payload_version,
                        forwarded: args.forwarded,
                        files: args.files,
                        fixtures: args.fixture,
                        ndjson: args.ndjson,
                        repeat: args.repeat,
                        tamper: args.tamper,
                        wrong_secret: args.wrong_secret,
                        timeout: args.timeout,
                    },
                    &mut out,
                ),
            }
        }
    };
    let flushed = out.flush();
    match (result, flushed) {
        (Ok(code), Ok(())) => code,
        (Err(err), _) | (_, Err(err)) => {
            if err.kind() == io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("kapso-webhooks: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Writes one value as a JSON line (serde_json's text: Kapso events, error lines).
fn write_json(out: &mut impl Write, value: &impl serde::Serialize, pretty: bool) -> io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, value)?;
    } else {
        serde_json::to_writer(&mut *out, value)?;
    }
    out.write_all(b"\n")
}

/// Writes a normalized webhook as a line: its exact text ([`NormalizedWebhook::to_json`], the
/// reference's `JSON.stringify` text), or that text re-indented.
fn write_webhook(
    out: &mut impl Write,
    webhook: &NormalizedWebhook,
    pretty: bool,
) -> io::Result<()> {
    let text = if pretty {
        webhook.to_json_pretty()
    } else {
        webhook.to_json()
    };
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

/// Normalizes each file; `Ok(false)` when any file failed (the others still print).
fn normalize_files(files: &[PathBuf], out: &mut impl Write, pretty: bool) -> io::Result<bool> {
    let mut all_ok = true;
    for file in files {
        let body = match read_body(file) {
            Ok(body) => body,
            Err(err) => {
                eprintln!("kapso-webhooks: {}: {err}", file.display());
                all_ok = false;
                continue;
            }
        };
        match normalize_webhook(&body) {
            Ok(webhook) => write_webhook(out, &webhook, pretty)?,
            Err(err) => {
                eprintln!("kapso-webhooks: {}: {err}", file.display());
                all_ok = false;
            }
        }
    }
    Ok(all_ok)
}

/// Normalizes one body per input line; `Ok(false)` when any line failed.
fn normalize_lines(input: impl BufRead, out: &mut impl Write, pretty: bool) -> io::Result<bool> {
    let mut all_ok = true;
    for (index, line) in input.split(b'\n').enumerate() {
        let line = line?;
        let line = line.strip_suffix(b"\r").unwrap_or(&line);
        if line.is_empty() {
            continue;
        }
        match normalize_webhook(line) {
            Ok(webhook) => write_webhook(out, &webhook, pretty)?,
            Err(err) => {
                eprintln!("kapso-webhooks: -:{}: {err}", index + 1);
                write_json(
                    out,
                    &serde_json::json!({ "error": err.to_string() }),
                    pretty,
                )?;
                all_ok = false;
            }
        }
    }
    Ok(all_ok)
}

/// An HTTP client with a deadline per request that reports every status as an answer;
/// `user_agent` adds `User-Agent: kapso-webhooks/VERSION` (else ureq adds no header of its own).
fn http_agent(timeout: Duration, user_agent: bool) -> ureq::Agent {
    use ureq::config::AutoHeaderValue;
    let agent_header = if user_agent {
        AutoHeaderValue::Provided(std::sync::Arc::new(format!(
            "kapso-webhooks/{}",
            env!("CARGO_PKG_VERSION")
        )))
    } else {
        AutoHeaderValue::None
    };
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .user_agent(agent_header)
        .accept(AutoHeaderValue::None)
        .build()
        .into()
}

/// Reads a whole body from a file, or from standard input for `-`.
fn read_body(file: &Path) -> io::Result<Vec<u8>> {
    if file == Path::new("-") {
        let mut body = Vec::new();
        io::stdin().lock().read_to_end(&mut body)?;
        Ok(body)
    } else {
        std::fs::read(file)
    }
}

/// Prints one JSON line per event of a Kapso delivery; exit 1 when the body is not JSON.
fn kapso_event(
    event: Option<String>,
    payload_version: Option<String>,
    pretty: bool,
    file: &Path,
    out: &mut impl Write,
) -> io::Result<ExitCode> {
    let body = match read_body(file) {
        Ok(body) => body,
        Err(err) => {
            eprintln!("kapso-webhooks: {}: {err}", file.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    let headers = KapsoHeaders::from_pairs(
        [
            event.map(|name| (EVENT_HEADER, name)),
            payload_version.map(|version| (PAYLOAD_VERSION_HEADER, version)),
        ]
        .into_iter()
        .flatten(),
    );
    match parse_kapso_delivery(&headers, &body) {
        Ok(delivery) => {
            for line in delivery.event_values() {
                write_json(out, &line, pretty)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprintln!("kapso-webhooks: {}: {err}", file.display());
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Checks `signature` over the file's bytes: `valid` on stdout, or the reason on stderr.
fn verify(
    secrets: VerifySecrets,
    signature: &str,
    file: &Path,
    out: &mut impl Write,
) -> io::Result<ExitCode> {
    let body = match read_body(file) {
        Ok(body) => body,
        Err(err) => {
            eprintln!("kapso-webhooks: {}: {err}", file.display());
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    let (scheme, verifier) = match secrets.verifier() {
        Ok(built) => built,
        Err(err) => {
            eprintln!("kapso-webhooks: {err}");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    // The header of the scheme given: the verifier holds that sender's secrets only.
    let headers = [(scheme.header_name(), header_value(signature, scheme))];
    match verifier.verify(headers, &body) {
        Ok(_) => {
            writeln!(out, "valid")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(err) if err.is_configuration_error() => {
            eprintln!("kapso-webhooks: {err}");
            Ok(ExitCode::from(EXIT_TROUBLE))
        }
        Err(err) => {
            eprintln!("invalid: {err}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The value of a signature given either alone or as a whole `Name: value` header line.
fn header_value(signature: &str, scheme: SignatureScheme) -> &str {
    match signature.split_once(':') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case(scheme.header_name()) => value,
        _ => signature,
    }
}

/// Prints the signature header value (or line) for the file's bytes.
fn sign(
    secret: SignSecret,
    header: bool,
    file: &Path,
    out: &mut impl Write,
) -> io::Result<ExitCode> {
    let (scheme, secret, name) = match (secret.app_secret, secret.kapso_secret) {
        (Some(secret), _) => (SignatureScheme::Meta, secret, "X-Hub-Signature-256"),
        (None, Some(secret)) => (SignatureScheme::Kapso, secret, "X-Webhook-Signature"),
        (None, None) => {
            eprintln!("kapso-webhooks: give --app-secret or --kapso-secret");
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    if secret.is_empty() {
        eprintln!("kapso-webhooks: the secret is empty; refusing to sign with an empty key");
        return Ok(ExitCode::from(EXIT_TROUBLE));
    }
    let body = match read_body(file) {
        Ok(body) => body,
        Err(err) => {
            eprintln!("kapso-webhooks: {}: {err}", file.display());
            return Ok(ExitCode::from(EXIT_TROUBLE));
        }
    };
    let value = scheme.sign(&body, secret);
    if header {
        writeln!(out, "{name}: {value}")?;
    } else {
        writeln!(out, "{value}")?;
    }
    Ok(ExitCode::SUCCESS)
}
