//! Where the test bodies are: our own fixtures (`fixtures/`) and the shared, read-only corpus
//! (`../shared/corpus/`), listed in one place and in a stable (sorted) order.
//!
//! A missing folder fails the test that asked for it, with a message naming the folder: the
//! shared corpus is part of the suite (CI always has `../shared` beside the repository), so its
//! absence is never a silent skip.
use std::fs;
use std::path::{Path, PathBuf};

/// A Meta body and the reference's recorded output for it (`body/<name>` and
/// `normalized/<name>`), and the reference's exact output text for it.
pub struct MetaCase {
    /// The file name, e.g. `message_text.json`.
    pub name: String,
    pub body: PathBuf,
    /// The reference's output, to read as a JSON value.
    pub expected: PathBuf,
    /// The reference's exact output text, one line followed by a newline: `text/<name>` in the
    /// corpus (whose `normalized/` is pretty-printed), `normalized/<name>` in our fixtures (which
    /// are stored as that exact text).
    pub text: PathBuf,
}

/// A Kapso event body: `event` is the folder name for our fixtures
/// (`fixtures/kapso/<event>/<case>.json`) and empty for the corpus, whose file names say what
/// each example is.
pub struct KapsoCase {
    /// `<event>/<case>` for a fixture, the file name for a corpus example.
    pub name: String,
    pub event: String,
    /// The file stem, e.g. `batch_three`.
    pub case: String,
    pub body: PathBuf,
}

/// The generated bodies (one a line) and the reference's exact output texts for them (one a
/// line, in the same order).
pub struct Generated {
    pub dir: PathBuf,
    pub bodies: PathBuf,
    pub expected: PathBuf,
}

/// The repository's root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path relative to the repository's root, e.g. `fixtures/meta/body/message_text.json`.
pub fn path(relative: &str) -> PathBuf {
    root().join(relative)
}

/// A folder of `../shared` (the reference runner and the corpus); fails when it is absent.
pub fn shared(relative: &str) -> PathBuf {
    let path = root().join("../shared").join(relative);
    assert!(
        path.exists(),
        "\n*** ../shared/{relative} is ABSENT ({}).\n\
         *** The suite needs the read-only shared corpus and reference runner beside the\n\
         *** repository (see CONTRIBUTING.md): put it there and run the tests again.\n",
        path.display()
    );
    path
}

/// The body of our Meta fixture `name` (without `.json`).
pub fn meta_fixture(name: &str) -> PathBuf {
    path("fixtures/meta/body").join(format!("{name}.json"))
}

/// The body of our Kapso fixture `<event>/<case>.json`.
pub fn kapso_fixture(event: &str, case: &str) -> PathBuf {
    path("fixtures/kapso")
        .join(event)
        .join(format!("{case}.json"))
}

/// Our own Meta fixtures (`fixtures/meta/`).
pub fn meta_fixtures() -> Vec<MetaCase> {
    meta_cases(&path("fixtures/meta"), "normalized")
}

/// The shared corpus of Meta bodies (`../shared/corpus/meta/`), with the reference's outputs
/// and exact texts.
pub fn meta_corpus() -> Vec<MetaCase> {
    meta_cases(&shared("corpus/meta"), "text")
}

/// Our own Kapso fixtures (`fixtures/kapso/<event>/<case>.json`), by event then case.
pub fn kapso_fixtures() -> Vec<KapsoCase> {
    let mut cases = Vec::new();
    for dir in entries(&path("fixtures/kapso"))
        .into_iter()
        .filter(|path| path.is_dir())
    {
        let event = file_name(&dir);
        for body in json_files(&dir) {
            let case = stem(&body);
            cases.push(KapsoCase {
                name: format!("{event}/{case}"),
                event: event.clone(),
                case,
                body,
            });
        }
    }
    cases
}

/// The examples of Kapso's documentation (`../shared/corpus/kapso/*.json`).
pub fn kapso_corpus() -> Vec<KapsoCase> {
    json_files(&shared("corpus/kapso"))
        .into_iter()
        .map(|body| KapsoCase {
            name: file_name(&body),
            event: String::new(),
            case: stem(&body),
            body,
        })
        .collect()
}

/// The committed generated bodies and their expected outputs (`fixtures/generated/`).
pub fn generated() -> Generated {
    let dir = path("fixtures/generated");
    Generated {
        bodies: dir.join("bodies.ndjson"),
        expected: dir.join("expected.ndjson"),
        dir,
    }
}

/// `(body, expected, text)` for each `.json` of `dir/body`, expected in `dir/normalized`, the
/// exact text in `dir/<text>`.
fn meta_cases(dir: &Path, text: &str) -> Vec<MetaCase> {
    json_files(&dir.join("body"))
        .into_iter()
        .map(|body| {
            let name = file_name(&body);
            MetaCase {
                expected: dir.join("normalized").join(&name),
                text: dir.join(text).join(&name),
                name,
                body,
            }
        })
        .collect()
}

/// The `.json` files of `dir`, sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    entries(dir)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect()
}

/// Everything in `dir`, sorted; fails with the folder's name when it cannot be read.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    paths
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}
