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
//! ```

#![forbid(unsafe_code)]

use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use kapso_webhooks::kapso_event::{EVENT_HEADER, PAYLOAD_VERSION_HEADER};
use kapso_webhooks::verify::signature::SignatureScheme;
use kapso_webhooks::verify::{EmptySecret, Verifier};
use kapso_webhooks::{normalize_webhook, parse_kapso_delivery, KapsoHeaders};

/// Exit code of `verify` when the signature could not be checked at all
/// (unreadable file, an empty secret); `1` means "checked: not valid".
const EXIT_TROUBLE: u8 = 2;

/// Typed, normalized WhatsApp webhooks.
#[derive(Parser)]
#[command(name = "kapso-webhooks", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Normalize Meta webhook bodies: one JSON line per file (or per stdin line with --ndjson).
    Normalize {
        /// Body files to normalize.
        #[arg(required_unless_present = "ndjson", conflicts_with = "ndjson")]
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
    /// Print the signature header value for a body (`sha256=<hex>` for Meta, `<hex>` for Kapso).
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

/// Writes one value as a JSON line.
fn write_json(out: &mut impl Write, value: &impl serde::Serialize, pretty: bool) -> io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, value)?;
    } else {
        serde_json::to_writer(&mut *out, value)?;
    }
    out.write_all(b"\n")
}

/// Normalizes each file; `Ok(false)` when any file failed (the others still print).
fn normalize_files(files: &[PathBuf], out: &mut impl Write, pretty: bool) -> io::Result<bool> {
    let mut all_ok = true;
    for file in files {
        let body = match std::fs::read(file) {
            Ok(body) => body,
            Err(err) => {
                eprintln!("kapso-webhooks: {}: {err}", file.display());
                all_ok = false;
                continue;
            }
        };
        match normalize_webhook(&body) {
            Ok(webhook) => write_json(out, &webhook, pretty)?,
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
            Ok(webhook) => write_json(out, &webhook, pretty)?,
            Err(err) => {
                eprintln!("kapso-webhooks: line {}: {err}", index + 1);
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
