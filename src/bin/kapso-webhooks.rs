//! `kapso-webhooks`: normalize WhatsApp webhook bodies from the command line.
//!
//! ```text
//! kapso-webhooks normalize fixtures/meta/body/message_text.json
//! kapso-webhooks normalize --ndjson < bodies.ndjson
//! ```

use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kapso_webhooks::normalize_webhook;

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
            if ndjson {
                normalize_lines(io::stdin().lock(), &mut out, pretty)
            } else {
                normalize_files(&files, &mut out, pretty)
            }
        }
    };
    let flushed = out.flush();
    match (result, flushed) {
        (Ok(true), Ok(())) => ExitCode::SUCCESS,
        (Ok(false), Ok(())) => ExitCode::FAILURE,
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
