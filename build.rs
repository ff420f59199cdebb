//! Embeds the Meta and Kapso fixture bodies in the `kapso-webhooks` binary (feature `cli`) so that
//! `send --fixture NAME` and `send --list-fixtures` work for an installed binary too.
//!
//! Writes `$OUT_DIR/fixtures.rs`: `FIXTURES: &[(&str, &[u8])]`, sorted by name, with the Meta
//! bodies as `NAME` (from `fixtures/meta/body/NAME.json`) and the Kapso bodies as `EVENT/CASE`
//! (from `fixtures/kapso/EVENT/CASE.json`). Without the feature, or without the fixtures (a
//! package that leaves them out), the table is empty.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    println!("cargo::rerun-if-changed=build.rs");
    let mut entries: Vec<(String, PathBuf)> = Vec::new();
    if std::env::var_os("CARGO_FEATURE_CLI").is_some() {
        let meta = manifest.join("fixtures/meta/body");
        let kapso = manifest.join("fixtures/kapso");
        println!("cargo::rerun-if-changed={}", meta.display());
        println!("cargo::rerun-if-changed={}", kapso.display());
        for (stem, path) in json_files(&meta) {
            entries.push((stem, path));
        }
        for (event, dir) in dirs(&kapso) {
            println!("cargo::rerun-if-changed={}", dir.display());
            for (case, path) in json_files(&dir) {
                entries.push((format!("{event}/{case}"), path));
            }
        }
    }
    entries.sort();
    let mut code =
        String::from("/// The embedded fixture bodies: `(name, bytes)`, sorted by name.\n");
    code.push_str("pub static FIXTURES: &[(&str, &[u8])] = &[\n");
    for (name, path) in &entries {
        let _ = writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    if let Err(err) = std::fs::write(out.join("fixtures.rs"), code) {
        println!("cargo::warning=cannot write the fixture table: {err}");
        std::process::exit(1);
    }
}

/// The `*.json` files of `dir` as `(stem, path)`; none when `dir` cannot be read.
fn json_files(dir: &Path) -> Vec<(String, PathBuf)> {
    entries(dir)
        .into_iter()
        .filter(|(_, path)| path.is_file() && path.extension().is_some_and(|ext| ext == "json"))
        .filter_map(|(_, path)| {
            let stem = path.file_stem()?.to_str()?.to_owned();
            Some((stem, path))
        })
        .collect()
}

/// The subdirectories of `dir` as `(name, path)`.
fn dirs(dir: &Path) -> Vec<(String, PathBuf)> {
    entries(dir)
        .into_iter()
        .filter(|(_, path)| path.is_dir())
        .collect()
}

fn entries(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    read.flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_owned();
            Some((name, entry.path()))
        })
        .collect()
}
