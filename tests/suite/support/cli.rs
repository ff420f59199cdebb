//! Runs the command-line tool (`tests/suite/cli.rs`, `tests/suite/bad_inputs.rs`).

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `kapso-webhooks` with `args` from the repository root, feeding `stdin`.
///
/// Standard input is written from another thread: with a large input, the tool may print (and
/// fill its output pipe) before it has read everything, and may stop reading early on an error.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kapso-webhooks"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kapso-webhooks");
    let mut input = child.stdin.take().expect("the tool's standard input");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().expect("the tool's output");
    writer.join().expect("the writer thread");
    output
}
