//! A body's JSON text straight to JavaScript's text, with keys camelCased.
//!
//! [`write_camel`] gives what `JSON.stringify` writes for a value that `JSON.parse` read and the
//! reference camelCased some number of times, without building the value: one pass over the
//! text, the unchanged runs of it copied at once. Strings without escapes, integers and literals
//! are kept; keys are camelCased (the common Meta keys from [`known_keys`]); an object whose keys
//! repeat (exactly, or once camelCased) or name array indices is rewritten at its end by the
//! rules of [`crate::json::camel`]'s `CamelMap`. Nesting uses a stack of its own, not recursion.
//!
//! [`write_camel_marked`] also notes where chosen values of the input land in the output
//! ([`Marks`]): the normalized JSON takes each item's text from its change value's text in
//! `raw` rather than writing it again. The working space is kept per thread between texts
//! ([`with_buffers`]), so that writing a text allocates only the text.
//!
//! [`write_edited`] writes the same text for a value the normalizer read directly, from the
//! places the reader noted that differ from their written form ([`Edit`]s): the rest is copied
//! as it is, without a second pass over it.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::json::camel::{camel_bytes, camel_key, key_hash, scan_key};
use crate::json::known_keys;
use crate::json::reader::{self, find_special, Edit, EditKind};
use crate::json::stringify::{array_index, js_order, write_f64, write_str};
use std::ops::Range;

/// The text is not one well-formed JSON value (or holds what this crate rejects: a number
/// that overflows a double, a lone surrogate escape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed;

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("malformed JSON")
    }
}

impl std::error::Error for Malformed {}

type Result<T> = std::result::Result<T, Malformed>;

/// Appends to `out` the compact JavaScript text of the JSON value `text` (whitespace around it
/// allowed) with every object key at every depth camelCased `levels` times, as
/// `JSON.stringify(camelCaseDeep^levels(JSON.parse(text)))` writes it: exact duplicate keys
/// merge first (first place, last value); each pass then maps keys in that order, a collision
/// keeping the first place and the later value; array-index keys come first, ascending.
/// Collisions follow document order, not JavaScript's integer-keys-first iteration (deviation
/// D7); integers beyond 2^53 keep their digits (D5); `1e400` and lone surrogates are
/// [`Malformed`] (D6). On an error `out` is left as it was.
pub(crate) fn write_camel(text: &str, levels: u8, out: &mut String) -> Result<()> {
    with_buffers(|buffers| write_camel_with(buffers, text, levels, out))
}

/// The working space of [`write_camel`]: kept between the values of one text written in a row
/// (a normalized webhook's items and `raw`), and per thread between texts ([`with_buffers`]),
/// so that a value does not allocate its own.
pub(crate) struct Buffers {
    stack: Vec<Frame>,
    pairs: Vec<Pair>,
    scratch: String,
    key: Vec<u8>,
    /// A text written apart before it is copied in place (empty between uses).
    pub(crate) text: String,
}

impl Buffers {
    /// Room for the usual body: one allocation each.
    fn new() -> Buffers {
        Buffers {
            stack: Vec::with_capacity(16),
            pairs: Vec::with_capacity(64),
            scratch: String::new(),
            key: Vec::new(),
            text: String::new(),
        }
    }

    /// Whether it holds more memory than is worth keeping for the next text.
    fn is_large(&self) -> bool {
        self.stack.capacity() > KEPT_FRAMES
            || self.pairs.capacity() > KEPT_PAIRS
            || self.scratch.capacity() + self.key.capacity() + self.text.capacity() > KEPT_BYTES
    }
}

/// How much working space a thread keeps between texts (see [`with_buffers`]): enough for the
/// usual bodies; what a larger one needed is freed after it.
const KEPT_FRAMES: usize = 64;
const KEPT_PAIRS: usize = 1024;
const KEPT_BYTES: usize = 64 * 1024;

thread_local! {
    /// The working space of the texts written on this thread, kept between them.
    static BUFFERS: RefCell<Option<Buffers>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's text-writing working space (new space when it is in use
/// already), so that writing a text allocates only the text.
pub(crate) fn with_buffers<R>(f: impl FnOnce(&mut Buffers) -> R) -> R {
    let taken = BUFFERS
        .try_with(|cell| cell.try_borrow_mut().ok()?.take())
        .ok()
        .flatten();
    let mut buffers = taken.unwrap_or_else(Buffers::new);
    let result = f(&mut buffers);
    buffers.text.clear();
    if !buffers.is_large() {
        // Kept for the next text, unless the thread is ending or another one is kept already.
        let _ = BUFFERS.try_with(|cell| {
            if let Ok(mut slot) = cell.try_borrow_mut() {
                slot.get_or_insert(buffers);
            }
        });
    }
    result
}

/// [`write_camel`] with working space that is kept for the next value.
pub(crate) fn write_camel_with(
    buffers: &mut Buffers,
    text: &str,
    levels: u8,
    out: &mut String,
) -> Result<()> {
    write_camel_marked(buffers, text, levels, out, &mut Marks::default())
}

/// Places of the input whose place in the output is wanted: where values start or end (such
/// as the items of a change value, whose text is then taken from the written value).
#[derive(Debug, Default)]
pub(crate) struct Marks {
    /// The input offsets (relative to the text written), ascending.
    at: MarkList<usize>,
    /// The output position of each offset of `at` reached so far: `None` when no value starts
    /// or ends there, or when it is inside an object rewritten since (its text moved).
    found: MarkList<Option<usize>>,
    /// The output positions of the keys written that one more camelCase pass would change,
    /// ascending.
    changing: Vec<usize>,
    /// Whether those keys are noted (when some values are marked).
    track: bool,
}

impl Marks {
    /// Marks at these input offsets (sorted here).
    pub(crate) fn new(at: impl IntoIterator<Item = usize>) -> Marks {
        let mut at: MarkList<usize> = at.into_iter().collect();
        at.sort_unstable();
        Marks {
            found: MarkList::with_capacity(at.len()),
            track: !at.is_empty(),
            at,
            changing: Vec::new(),
        }
    }

    /// The output position of the value that starts or ends at input offset `at`, if found.
    pub(crate) fn output_of(&self, at: usize) -> Option<usize> {
        let index = self.at.binary_search(&at).ok()?;
        self.found.get(index).copied().flatten()
    }

    /// Whether the output between `start` and `end` has a key that one more camelCase pass
    /// would change (so that text is not also the text camelCased once more).
    pub(crate) fn changes_between(&self, start: usize, end: usize) -> bool {
        // `changing` is in ascending order.
        let first = self.changing.partition_point(|&at| at < start);
        self.changing.get(first).is_some_and(|&at| at < end)
    }
}

/// A list of marks: inline for the usual few items of a change value.
type MarkList<T> = smallvec::SmallVec<[T; 8]>;

/// [`write_camel_with`], noting in `marks` the output positions of the values that start or
/// end at its input offsets, and the keys written that a further camelCase pass would change.
pub(crate) fn write_camel_marked(
    buffers: &mut Buffers,
    text: &str,
    levels: u8,
    out: &mut String,
    marks: &mut Marks,
) -> Result<()> {
    all_or_nothing(out, |out| {
        out.reserve(text.len());
        let mut writer = Writer {
            text,
            bytes: text.as_bytes(),
            at: 0,
            copy: 0,
            levels,
            out,
            stack: std::mem::take(&mut buffers.stack),
            pairs: std::mem::take(&mut buffers.pairs),
            scratch: std::mem::take(&mut buffers.scratch),
            key: std::mem::take(&mut buffers.key),
            next_mark: marks.at.first().copied().unwrap_or(usize::MAX),
            marks,
        };
        let written = writer.run();
        let Writer {
            mut stack,
            mut pairs,
            mut scratch,
            mut key,
            ..
        } = writer;
        stack.clear();
        pairs.clear();
        scratch.clear();
        key.clear();
        (buffers.stack, buffers.pairs, buffers.scratch, buffers.key) = (stack, pairs, scratch, key);
        written
    })
}

/// Runs `write` on `out`, leaving `out` as it was when it fails.
fn all_or_nothing(out: &mut String, write: impl FnOnce(&mut String) -> Result<()>) -> Result<()> {
    let len = out.len();
    let written = write(out);
    if written.is_err() {
        out.truncate(len);
    }
    written
}

/// [`write_camel_marked`] (once camelCased) of the value at `span` of `text`, from the edits
/// the reader noted while it read the value directly ([`reader::Reader::recording`]): the text
/// between them is copied as it is, each key edit camelCased, each escaped string written
/// again, each other value written by the text writer. `marks` are offsets in the value, as
/// for [`write_camel_marked`]. On an error `out` is left as it was.
pub(crate) fn write_edited(
    buffers: &mut Buffers,
    text: &str,
    span: Range<usize>,
    edits: &[Edit],
    out: &mut String,
    marks: &mut Marks,
) -> Result<()> {
    all_or_nothing(out, |out| {
        out.reserve(span.len());
        // Written so far: the text up to `copied`.
        let mut copied = span.start;
        let ends = edits
            .iter()
            .map(|edit| (edit.start as usize, edit.end as usize, Some(edit.kind)));
        for (start, end, kind) in ends.chain([(span.end, span.end, None)]) {
            if start < copied || end > span.end {
                return Err(Malformed);
            }
            // The marks up to here: found where the text is copied, not inside an edit.
            while let Some(&at) = marks.at.get(marks.found.len()) {
                let at = at + span.start;
                if at > start {
                    break;
                }
                let found = (at >= copied).then(|| out.len() + (at - copied));
                marks.found.push(found);
            }
            out.push_str(text.get(copied..start).ok_or(Malformed)?);
            let edited = text.get(start..end).ok_or(Malformed)?;
            match kind {
                Some(EditKind::Key) => {
                    let hash = key_hash(edited.as_bytes());
                    match camel_form(&mut buffers.key, marks, out.len(), edited, hash, 1) {
                        CamelForm::Known(camel, _) => out.push_str(camel),
                        // Only ASCII bytes change: still UTF-8, and nothing to escape.
                        CamelForm::Written(camel) => {
                            out.push_str(std::str::from_utf8(camel).unwrap_or_default());
                        }
                    }
                }
                Some(EditKind::Escaped) => {
                    let escape = find_special(text.as_bytes(), start + 1);
                    let string = &mut buffers.scratch;
                    string.clear();
                    if unescape(text, start + 1, escape, string)? != end {
                        return Err(Malformed);
                    }
                    write_str(out, string);
                }
                Some(EditKind::Value) => {
                    let mut inner = Marks {
                        track: marks.track,
                        ..Marks::default()
                    };
                    write_camel_marked(buffers, edited, 1, out, &mut inner)?;
                    marks.changing.append(&mut inner.changing);
                }
                None => {}
            }
            copied = end;
        }
        Ok(())
    })
}

/// The form of a key camelCased `levels` times.
enum CamelForm<'k> {
    /// A common key's, from [`known_keys`] (nothing to escape, no array index), with its hash.
    Known(&'static str, u64),
    /// Written into the working space.
    Written(&'k [u8]),
}

/// `raw` (a key without escapes whose [`key_hash`] is `hash`, and which camelCasing may change)
/// camelCased `levels` times, noting in `marks` that the key written at `at` in the output
/// would change in one more pass; `key` is working space. The one key step of
/// [`write_camel_marked`] and [`write_edited`].
#[inline(always)]
fn camel_form<'k>(
    key: &'k mut Vec<u8>,
    marks: &mut Marks,
    at: usize,
    raw: &str,
    hash: u64,
    levels: u8,
) -> CamelForm<'k> {
    if let Some((camel, hash)) = known_keys::camel_of(hash, raw) {
        return CamelForm::Known(camel, hash);
    }
    key.clear();
    key.extend_from_slice(raw.as_bytes());
    for _ in 0..levels {
        camel_bytes(key);
    }
    if marks.track && changes_again(key) {
        marks.changing.push(at);
    }
    CamelForm::Written(key)
}

/// An array or object being written.
enum Frame {
    Array,
    Object(Object),
}

/// An object being written.
struct Object {
    /// Where its `{` is in the output.
    start: usize,
    /// Where its pairs start in [`Writer::pairs`].
    pairs: usize,
    /// The final keys' hashes, once it has too many pairs to compare them one by one.
    hashes: Option<HashSet<u64>>,
    /// A final key may repeat or names an array index: rewritten at its end.
    fix: bool,
}

/// How many pairs an object compares hashes with one by one.
const INLINE_KEYS: usize = 32;

/// One pair written: where its original key is in the input (inside the quotes), the hash of
/// its final key, and where its key and value start in the output.
struct Pair {
    key: (usize, usize),
    hash: u64,
    key_out: usize,
    value_out: usize,
}

struct Writer<'t, 'o, 'm> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    /// What is written so far is `out` followed by `text[copy..at]`: runs of the input that
    /// stay as they are are copied at once, when something different is written.
    copy: usize,
    levels: u8,
    out: &'o mut String,
    stack: Vec<Frame>,
    /// The pairs of the open objects, innermost last.
    pairs: Vec<Pair>,
    /// The unescaped text of the last string with escapes.
    scratch: String,
    /// The last camelCased key.
    key: Vec<u8>,
    /// The places of the input to find in the output.
    marks: &'m mut Marks,
    /// The next of them (`usize::MAX`: none left).
    next_mark: usize,
}

impl Writer<'_, '_, '_> {
    fn run(&mut self) -> Result<()> {
        'value: loop {
            // A value starts here.
            self.skip_whitespace();
            self.mark();
            match self.bytes.get(self.at) {
                Some(b'{') => {
                    let start = self.written();
                    self.at += 1;
                    self.skip_whitespace();
                    if self.bytes.get(self.at) == Some(&b'}') {
                        self.at += 1;
                    } else {
                        self.stack.push(Frame::Object(Object {
                            start,
                            pairs: self.pairs.len(),
                            hashes: None,
                            fix: false,
                        }));
                        self.key()?;
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.at += 1;
                    self.skip_whitespace();
                    if self.bytes.get(self.at) == Some(&b']') {
                        self.at += 1;
                    } else {
                        self.stack.push(Frame::Array);
                        continue 'value;
                    }
                }
                Some(b'"') => self.string()?,
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                _ => return Err(Malformed),
            }
            // A value ended: what follows it.
            loop {
                self.mark();
                self.skip_whitespace();
                let next = self.bytes.get(self.at).copied();
                match (self.stack.last(), next) {
                    (None, None) => {
                        self.flush();
                        return Ok(());
                    }
                    (None, Some(_)) => return Err(Malformed),
                    (Some(Frame::Array), Some(b',')) => {
                        self.at += 1;
                        continue 'value;
                    }
                    (Some(Frame::Object(_)), Some(b',')) => {
                        self.at += 1;
                        self.skip_whitespace();
                        self.key()?;
                        continue 'value;
                    }
                    (Some(Frame::Array), Some(b']')) => {
                        self.at += 1;
                        self.stack.pop();
                    }
                    (Some(Frame::Object(_)), Some(b'}')) => {
                        if let Some(Frame::Object(object)) = self.stack.pop() {
                            self.close(object);
                        }
                    }
                    _ => return Err(Malformed),
                }
            }
        }
    }

    /// Notes the output position when a mark is here (a value starts or ends at `at`).
    #[inline(always)]
    fn mark(&mut self) {
        if self.at >= self.next_mark {
            self.mark_here();
        }
    }

    /// Notes the output position of the marks up to `at` (`None` for those passed over).
    #[cold]
    fn mark_here(&mut self) {
        let written = self.written();
        let marks = &mut *self.marks;
        while let Some(&at) = marks.at.get(marks.found.len()) {
            if at > self.at {
                break;
            }
            marks.found.push((at == self.at).then_some(written));
        }
        self.next_mark = marks
            .at
            .get(marks.found.len())
            .copied()
            .unwrap_or(usize::MAX);
    }

    /// The length of what is written so far.
    #[inline(always)]
    fn written(&self) -> usize {
        self.out.len() + (self.at - self.copy)
    }

    /// Writes out the pending run of the input, up to `at`.
    #[inline(always)]
    fn flush(&mut self) {
        self.out
            .push_str(self.text.get(self.copy..self.at).unwrap_or_default());
        self.copy = self.at;
    }

    #[inline(always)]
    fn skip_whitespace(&mut self) {
        if let Some(b' ' | b'\n' | b'\t' | b'\r') = self.bytes.get(self.at) {
            self.skip_more_whitespace();
        }
    }

    /// Drops the whitespace at `at`.
    fn skip_more_whitespace(&mut self) {
        self.flush();
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
        self.copy = self.at;
    }

    fn literal(&mut self, literal: &[u8]) -> Result<()> {
        let end = self.at + literal.len();
        if self.bytes.get(self.at..end) != Some(literal) {
            return Err(Malformed);
        }
        self.at = end;
        Ok(())
    }

    /// A string value: kept when it has no escapes, else unescaped and written again.
    #[inline(always)]
    fn string(&mut self) -> Result<()> {
        let start = self.at + 1;
        let end = find_special(self.bytes, start);
        match self.bytes.get(end) {
            Some(b'"') => self.at = end + 1,
            Some(b'\\') => {
                self.flush();
                self.at = unescape(self.text, start, end, &mut self.scratch)?;
                self.copy = self.at;
                write_str(self.out, &self.scratch);
            }
            _ => return Err(Malformed),
        }
        Ok(())
    }

    /// A number: integers that fit 64 bits as they are (`-0` as `0`), others as JavaScript
    /// writes the double they round to.
    fn number(&mut self) -> Result<()> {
        let bytes = self.bytes;
        let start = self.at;
        let mut at = start;
        let negative = bytes.get(at) == Some(&b'-');
        if negative {
            at += 1;
        }
        let digits = |mut at: usize| {
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            at
        };
        match bytes.get(at) {
            Some(b'0') => at += 1,
            Some(b'1'..=b'9') => at = digits(at + 1),
            _ => return Err(Malformed),
        }
        let integer_digits = at - start - usize::from(negative);
        let mut integer = true;
        if bytes.get(at) == Some(&b'.') {
            let end = digits(at + 1);
            if end == at + 1 {
                return Err(Malformed);
            }
            at = end;
            integer = false;
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            let end = digits(at);
            if end == at {
                return Err(Malformed);
            }
            at = end;
            integer = false;
        }
        let span = self.text.get(start..at).ok_or(Malformed)?;
        if integer {
            let fits = integer_digits <= 18
                || if negative {
                    span.parse::<i64>().is_ok()
                } else {
                    span.parse::<u64>().is_ok()
                };
            if fits && span != "-0" {
                self.at = at;
                return Ok(());
            }
        }
        let n: f64 = span.parse().map_err(|_| Malformed)?;
        if !n.is_finite() {
            return Err(Malformed);
        }
        self.flush();
        write_f64(self.out, n);
        self.at = at;
        self.copy = at;
        Ok(())
    }

    /// A key, camelCased, and the `:` after it; notes the pair in its object.
    #[inline(always)]
    fn key(&mut self) -> Result<()> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return Err(Malformed);
        }
        let start = self.at + 1;
        let end = find_special(self.bytes, start);
        let key_out = self.written();
        let (key_end, hash, index) = match self.bytes.get(end) {
            Some(b'"') => {
                let raw = self.text.get(start..end).ok_or(Malformed)?;
                let (hash, index, written) = self.write_key(raw, true);
                self.at = end + 1;
                if written {
                    // Written again: the input's key is passed over.
                    self.copy = self.at;
                }
                (end, hash, index)
            }
            Some(b'\\') => {
                self.flush();
                self.at = unescape(self.text, start, end, &mut self.scratch)?;
                self.copy = self.at;
                let raw = std::mem::take(&mut self.scratch);
                let (hash, index, _) = self.write_key(&raw, false);
                self.scratch = raw;
                (self.at - 1, hash, index)
            }
            _ => return Err(Malformed),
        };
        self.skip_whitespace();
        if self.bytes.get(self.at) != Some(&b':') {
            return Err(Malformed);
        }
        self.at += 1;
        let value_out = self.written();
        let Some(Frame::Object(object)) = self.stack.last_mut() else {
            return Err(Malformed);
        };
        if !object.fix {
            let earlier = self.pairs.get(object.pairs..).unwrap_or_default();
            object.fix = index
                || if earlier.len() < INLINE_KEYS {
                    earlier.iter().any(|pair| pair.hash == hash)
                } else {
                    let hashes = object
                        .hashes
                        .get_or_insert_with(|| earlier.iter().map(|p| p.hash).collect());
                    !hashes.insert(hash)
                };
        }
        self.pairs.push(Pair {
            key: (start, key_end),
            hash,
            key_out,
            value_out,
        });
        Ok(())
    }

    /// Writes a key (unescaped) camelCased, with its quotes; `verbatim`: it is the input's text
    /// at `at` (nothing to escape), which is kept when camelCasing does not change it. Gives
    /// the hash of the key written, whether it names an array index, and whether it was
    /// written (not kept).
    #[inline(always)]
    fn write_key(&mut self, raw: &str, verbatim: bool) -> (u64, bool, bool) {
        let (hash, separator) = scan_key(raw.as_bytes());
        if separator.is_some() && self.levels > 0 {
            let (hash, index) = self.write_camel_key(raw, hash);
            return (hash, index, true);
        }
        if !verbatim {
            write_str(self.out, raw);
        }
        let bytes = raw.as_bytes();
        let index = bytes.first().is_some_and(u8::is_ascii_digit) && array_index(bytes).is_some();
        (hash, index, !verbatim)
    }

    /// [`Self::write_key`] for a key that camelCasing may change (`hash`: of the key as it is).
    fn write_camel_key(&mut self, raw: &str, hash: u64) -> (u64, bool) {
        self.flush();
        let at = self.out.len();
        match camel_form(&mut self.key, self.marks, at, raw, hash, self.levels) {
            CamelForm::Known(camel, hash) => {
                self.out.push('"');
                self.out.push_str(camel);
                self.out.push('"');
                (hash, false)
            }
            CamelForm::Written(camel) => {
                // Only ASCII bytes change: still UTF-8.
                write_str(self.out, std::str::from_utf8(camel).unwrap_or_default());
                (key_hash(camel), array_index(camel).is_some())
            }
        }
    }

    /// Closes an object: its `}`, after rewriting its pairs when they need the rules.
    fn close(&mut self, object: Object) {
        if object.fix {
            self.flush();
            self.rewrite(&object);
            self.out.push('}');
            self.at += 1;
            self.copy = self.at;
        } else {
            self.at += 1;
        }
        self.pairs.truncate(object.pairs);
    }

    /// Rewrites the pairs of `object` (all written, not closed) by the merging rules.
    #[cold]
    fn rewrite(&mut self, object: &Object) {
        // The values found inside it move (it stays where it starts); the keys inside it that
        // change again stay inside it.
        for found in &mut self.marks.found {
            if found.is_some_and(|at| at > object.start) {
                *found = None;
            }
        }
        for at in &mut self.marks.changing {
            *at = (*at).min(object.start + 1);
        }
        let region = self.out.split_off(object.start);
        let pairs = self.pairs.get(object.pairs..).unwrap_or_default();
        let mut list: Vec<(String, &str)> = Vec::with_capacity(pairs.len());
        for (at, pair) in pairs.iter().enumerate() {
            let value_end = pairs
                .get(at + 1)
                .map_or(region.len(), |next| next.key_out - 1 - object.start);
            let value = region
                .get(pair.value_out - object.start..value_end)
                .unwrap_or_default();
            let raw = self.text.get(pair.key.0..pair.key.1).unwrap_or_default();
            let key = if raw.contains('\\') {
                // Unescaped once already: cannot fail.
                let mut key = String::new();
                let escape = raw.find('\\').map_or(pair.key.1, |at| pair.key.0 + at);
                match unescape(self.text, pair.key.0, escape, &mut key) {
                    Ok(_) => key,
                    Err(Malformed) => raw.to_owned(),
                }
            } else {
                raw.to_owned()
            };
            list.push((key, value));
        }
        let mut list = merge(list);
        for _ in 0..self.levels {
            list = merge(
                list.into_iter()
                    .map(|(key, value)| match camel_key(&key) {
                        Cow::Borrowed(_) => (key, value),
                        Cow::Owned(camel) => (camel, value),
                    })
                    .collect(),
            );
        }
        let keys: Vec<&str> = list.iter().map(|(key, _)| key.as_str()).collect();
        self.out.push('{');
        for (n, at) in js_order(&keys).into_iter().enumerate() {
            if let Some((key, value)) = list.get(at) {
                if n > 0 {
                    self.out.push(',');
                }
                write_str(self.out, key);
                self.out.push(':');
                self.out.push_str(value);
            }
        }
    }
}

/// Whether one more camelCase pass would change `key`: it has a `_` or `-` followed by an
/// ASCII letter or digit.
fn changes_again(key: &[u8]) -> bool {
    key.windows(2)
        .any(|pair| matches!(pair, [b'_' | b'-', next] if next.is_ascii_alphanumeric()))
}

/// An object built from `pairs` in order, as JavaScript builds it: a repeated key keeps its
/// first place and takes the later value.
fn merge(pairs: Vec<(String, &str)>) -> Vec<(String, &str)> {
    let mut slots: HashMap<String, usize> = HashMap::with_capacity(pairs.len());
    let mut merged: Vec<(String, &str)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        match slots.get(&key) {
            Some(&slot) => {
                if let Some(pair) = merged.get_mut(slot) {
                    pair.1 = value;
                }
            }
            None => {
                slots.insert(key.clone(), merged.len());
                merged.push((key, value));
            }
        }
    }
    merged
}

/// [`reader::unescape`]: the string's unescaped text into `into`, and the position after it.
fn unescape(text: &str, start: usize, escape: usize, into: &mut String) -> Result<usize> {
    reader::unescape(text, start, escape, into).ok_or(Malformed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use serde::de::DeserializeSeed;

    use super::*;
    use crate::json::camel::Camel;
    use crate::json::reader::Reader;
    use crate::json::stringify::{transcode, JsSerializer, JsText};

    /// [`write_camel`] after some text already written (positions are the output's).
    fn camel(text: &str, levels: u8) -> Result<String> {
        let mut out = "before".to_owned();
        write_camel(text, levels, &mut out)?;
        Ok(out.strip_prefix("before").unwrap().to_owned())
    }

    /// Expected outputs pasted from Node: `JSON.stringify(JSON.parse(text))`.
    #[test]
    fn numbers_as_javascript_writes_them() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("1.0", "1"),
            ("1e2", "100"),
            ("1.5e300", "1.5e+300"),
            ("0.000001", "0.000001"),
            ("1e-7", "1e-7"),
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("123456789012345678901234567890", "1.2345678901234568e+29"),
            ("5e-324", "5e-324"),
            ("1e-400", "0"),
            ("0.1", "0.1"),
            ("2.5e-7", "2.5e-7"),
            ("-1.5E+10", "-15000000000"),
            ("100e-2", "1"),
            ("-0.0", "0"),
            ("0.5e1", "5"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("18446744073709551616", "18446744073709552000"),
            ("-9223372036854775809", "-9223372036854776000"),
            ("9007199254740992", "9007199254740992"),
        ];
        for (text, want) in cases {
            assert_eq!(camel(text, 0).unwrap(), want, "{text}");
        }
        // Deviation D5: integers that fit 64 bits keep every digit. Node writes
        // 18446744073709552000, -9223372036854776000 and 9007199254740992.
        let kept = [
            "18446744073709551615",
            "-9223372036854775808",
            "9007199254740993",
        ];
        for text in kept {
            assert_eq!(camel(text, 0).unwrap(), text);
        }
        // Deviation D6: overflowing numbers are rejected (JavaScript: Infinity, written null).
        for text in ["1e400", "-1e400", "[1e309]"] {
            assert_eq!(camel(text, 0), Err(Malformed), "{text}");
        }
    }

    /// Expected outputs pasted from Node: `JSON.stringify(JSON.parse(text))`.
    #[test]
    fn strings_as_javascript_writes_them() {
        let cases = [
            (r#""a\"b\\c\/d""#, r#""a\"b\\c/d""#),
            (r#""\b\f\n\r\t""#, r#""\b\f\n\r\t""#),
            (
                r#""\u0000\u0001\u001F\u001f\u0007""#,
                r#""\u0000\u0001\u001f\u001f\u0007""#,
            ),
            (r#""\u00e9é""#, "\"éé\""),
            (r#""\ud83d\ude00""#, "\"😀\""),
            (r#""\u2028\u2029""#, "\"\u{2028}\u{2029}\""),
            (r#""\u007f""#, "\"\u{7f}\""),
            ("\"\u{7f}\u{2028}/\"", "\"\u{7f}\u{2028}/\""),
            (r#""<\/script>""#, r#""</script>""#),
        ];
        for (text, want) in cases {
            assert_eq!(camel(text, 0).unwrap(), want, "{text}");
            // Keys are written the same way.
            let object = format!("{{{text}:{text}}}");
            assert_eq!(camel(&object, 1).unwrap(), format!("{{{want}:{want}}}"));
        }
        // Deviation D6: lone surrogates are rejected.
        for text in [
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud83d\u0041""#,
            r#"{"\ud800":1}"#,
        ] {
            assert_eq!(camel(text, 0), Err(Malformed), "{text}");
        }
    }

    /// Expected outputs pasted from Node, camelCasing by the guide's rule
    /// (`k.replace(/[-_]([a-z0-9])/gi, …toUpperCase())`, applied `levels` times deep).
    #[test]
    fn keys_merge_and_order_as_in_javascript() {
        let cases: &[(&str, u8, &str)] = &[
            (
                r#"{"b":1,"2":2,"a":3,"1":4,"01":5,"4294967294":6,"4294967295":7}"#,
                0,
                r#"{"1":4,"2":2,"4294967294":6,"b":1,"a":3,"01":5,"4294967295":7}"#,
            ),
            (
                r#"{"b":1,"2":2,"a":3,"1":4,"01":5,"4294967294":6,"4294967295":7}"#,
                2,
                r#"{"1":4,"2":2,"4294967294":6,"b":1,"a":3,"01":5,"4294967295":7}"#,
            ),
            (r#"{"a":1,"b":2,"a":3}"#, 1, r#"{"a":3,"b":2}"#),
            (
                r#"{"wa_id":1,"x":2,"waId":3}"#,
                0,
                r#"{"wa_id":1,"x":2,"waId":3}"#,
            ),
            (r#"{"wa_id":1,"x":2,"waId":3}"#, 1, r#"{"waId":3,"x":2}"#),
            (r#"{"a__b":1,"a_B":2,"aB":3}"#, 1, r#"{"a_B":1,"aB":3}"#),
            (r#"{"a__b":1,"a_B":2,"aB":3}"#, 2, r#"{"aB":3}"#),
            (
                r#"{"a_b":{"c-d":[{"e__f":1,"e_F":2}]},"aB":0}"#,
                0,
                r#"{"a_b":{"c-d":[{"e__f":1,"e_F":2}]},"aB":0}"#,
            ),
            (
                r#"{"a_b":{"c-d":[{"e__f":1,"e_F":2}]},"aB":0}"#,
                1,
                r#"{"aB":0}"#,
            ),
            (r#"{"x_1":1,"x1":2,"x-1":3}"#, 1, r#"{"x1":3}"#),
            (r#"{"a__b":1,"aB":2,"a__b":3}"#, 1, r#"{"a_B":3,"aB":2}"#),
            (r#"{"a__b":1,"aB":2,"a__b":3}"#, 2, r#"{"aB":2}"#),
            (
                r#" { "a_b" : [ { "c__d" : 1 , "e" : { } } , [ ] ] } "#,
                1,
                r#"{"aB":[{"c_D":1,"e":{}},[]]}"#,
            ),
            (
                r#"{"a\u005fb":1,"phone_number_id":"1","a-b":{"\u00e9_x":2}}"#,
                1,
                r#"{"aB":{"éX":2},"phoneNumberId":"1"}"#,
            ),
        ];
        for &(text, levels, want) in cases {
            assert_eq!(camel(text, levels).unwrap(), want, "{text} {levels}");
        }
        // Deviation D7: `_1` becomes `1`, and document order decides the collision (JavaScript
        // visits `1` first, so there the value of `_1` wins: {"1":2,"a":3}).
        assert_eq!(
            camel(r#"{"_1":2,"a":3,"1":1}"#, 1).unwrap(),
            r#"{"1":1,"a":3}"#
        );
    }

    #[test]
    fn malformed_texts_are_errors_and_leave_the_output() {
        let bad = [
            "",
            " ",
            "tru",
            "nul",
            "falsey",
            "01",
            "-01",
            "1.",
            ".5",
            "+1",
            "-",
            "1e",
            "1e+",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "{\"a\":}",
            "[",
            "]",
            "{",
            "}",
            "\"a\tb\"",
            "\"\\x\"",
            "\"\\u00\"",
            "1 2",
            "[1]]",
            "{}}",
            "\"",
            "[\"a]",
            "{\"a\":1]",
            "[1}",
            "NaN",
        ];
        for text in bad {
            let mut out = "kept".to_owned();
            assert_eq!(write_camel(text, 1, &mut out), Err(Malformed), "{text:?}");
            assert_eq!(out, "kept");
        }
    }

    #[test]
    fn deep_nesting_needs_no_recursion() {
        let depth = 200_000;
        let text = format!("{}1{}", "[{\"a_b\":".repeat(depth), "}]".repeat(depth));
        let out = camel(&text, 1).unwrap();
        assert_eq!(out, text.replace("a_b", "aB"));
        assert_eq!(camel(&text[..text.len() - 1], 1), Err(Malformed));
    }

    /// A seeded xorshift: each call gives a number below `bound`.
    fn random(mut state: u64) -> impl FnMut(usize) -> usize {
        move |bound| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        }
    }

    /// A random JSON text: keys that collide and repeat, escapes, numbers of every kind,
    /// whitespace between tokens.
    fn random_json(next: &mut impl FnMut(usize) -> usize, depth: usize, out: &mut String) {
        const KEYS: &[&str] = &[
            "a_b",
            "aB",
            "a__b",
            "a_B",
            "a-b",
            "ab",
            "x",
            "1",
            "01",
            "_1",
            "0",
            "a\\u005fb",
            "k_1",
            "42",
            "é_b",
            "wa_id",
            "waId",
            "a\\\"b",
            "a___b",
            "-x",
        ];
        const NUMBERS: &[&str] = &[
            "0",
            "-0",
            "7",
            "-12",
            "1.0",
            "1e2",
            "1.5e300",
            "0.000001",
            "1e-7",
            "1e21",
            "123456789012345678901234567890",
            "5e-324",
            "0.1",
            "2.5e-7",
            "-1.5E+10",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "9007199254740993",
            "1e-400",
            "-0.0",
            "9007199254740992.0",
        ];
        const PIECES: &[&str] = &[
            "a",
            "é",
            "😀",
            "\\n",
            "\\u00e9",
            "\\ud83d\\ude00",
            "\\\"",
            "\\\\",
            "\\/",
            "/",
            "\\u001f",
            "\u{2028}",
            "\u{7f}",
            "_",
            "0123456789",
            "\\t",
        ];
        let space = |next: &mut dyn FnMut(usize) -> usize, out: &mut String| {
            if next(4) == 0 {
                out.push_str([" ", "\n", "\t ", "\r\n  "][next(4)]);
            }
        };
        space(next, out);
        match if depth > 4 { 2 + next(3) } else { next(5) } {
            0 => {
                out.push('{');
                for n in 0..next(7) {
                    if n > 0 {
                        out.push(',');
                    }
                    space(next, out);
                    out.push('"');
                    out.push_str(KEYS[next(KEYS.len())]);
                    out.push('"');
                    space(next, out);
                    out.push(':');
                    random_json(next, depth + 1, out);
                }
                out.push('}');
            }
            1 => {
                out.push('[');
                for n in 0..next(5) {
                    if n > 0 {
                        out.push(',');
                    }
                    random_json(next, depth + 1, out);
                }
                out.push(']');
            }
            2 => {
                out.push('"');
                for _ in 0..next(6) {
                    out.push_str(PIECES[next(PIECES.len())]);
                }
                out.push('"');
            }
            3 => match next(3) {
                0 => out.push_str(NUMBERS[next(NUMBERS.len())]),
                // Floats with few digits: serde_json reads them exactly whatever its features.
                1 => out.push_str(&format!(
                    "{}{}.{}e{}",
                    ["", "-"][next(2)],
                    next(1000),
                    next(1000),
                    next(41) as i64 - 20
                )),
                _ => out.push_str(&next(100_000).to_string()),
            },
            _ => out.push_str(["true", "false", "null"][next(3)]),
        }
        space(next, out);
    }

    /// The text of the same value through the Reader, the camelCasing adapter and the
    /// JavaScript serializer; `None` when the Reader gives up.
    fn through_serde(text: &str, levels: u8) -> Option<String> {
        let mut reader = Reader::new(text);
        let mut out = String::new();
        transcode(
            Camel::new(&mut reader, levels),
            &mut JsSerializer::new(&mut out),
        )
        .ok()?;
        reader.end().ok()?;
        Some(out)
    }

    /// Three ways to the same text: [`write_camel`], transcoding through [`Camel`] into
    /// [`JsSerializer`], and (as it is) [`JsText`].
    #[test]
    fn agrees_with_transcoding_and_js_text() {
        let mut next = random(0x9E37_79B9_7F4A_7C15);
        let mut compared = 0;
        for case in 0..20_000 {
            let mut text = String::new();
            random_json(&mut next, 0, &mut text);
            for levels in [0u8, 1, 2] {
                let ours = camel(&text, levels);
                if let Some(theirs) = through_serde(&text, levels) {
                    assert_eq!(ours, Ok(theirs), "case {case}, levels {levels}: {text}");
                    compared += 1;
                } else {
                    // Only `1e400`-like numbers (which the generator does not make) or lone
                    // surrogates would differ: serde_json must reject the text too.
                    assert!(
                        serde_json::from_str::<serde_json::Value>(&text).is_err(),
                        "{text}"
                    );
                }
                if levels == 0 {
                    if let Ok(js) = JsText.deserialize(&mut Reader::new(&text)) {
                        assert_eq!(ours.as_deref(), Ok(js.as_str()), "case {case}: {text}");
                    }
                }
            }
        }
        assert!(compared > 55_000, "{compared}");
    }

    /// Every prefix of a random text is an error exactly when serde_json rejects it, and never
    /// panics; an error leaves the output as it was.
    #[test]
    fn truncations_are_errors() {
        let mut next = random(0x2545_F491_4F6C_DD1D);
        for _ in 0..300 {
            let mut text = String::new();
            random_json(&mut next, 0, &mut text);
            for end in 0..text.len() {
                let Some(prefix) = text.get(..end) else {
                    continue;
                };
                let valid = serde_json::from_str::<serde_json::Value>(prefix).is_ok();
                let mut out = "kept".to_owned();
                let written = write_camel(prefix, 1, &mut out);
                assert_eq!(written.is_ok(), valid, "{prefix:?}");
                if written.is_err() {
                    assert_eq!(out, "kept");
                }
            }
        }
    }

    /// Objects with more keys than are compared one by one: repeats found among many.
    #[test]
    fn big_objects_agree_with_transcoding() {
        let mut next = random(0xD1B5_4A32_D192_ED03);
        for case in 0..500 {
            let pairs: Vec<String> = (0..20 + next(80))
                .map(|value| {
                    let key = match next(4) {
                        0 => format!("k_{}", next(60)),
                        1 => format!("k{}", next(60)),
                        2 => format!("{}", next(60)),
                        _ => format!("key{}", next(10_000)),
                    };
                    format!("\"{key}\":{value}")
                })
                .collect();
            let text = format!("{{{}}}", pairs.join(","));
            for levels in [0u8, 1, 2] {
                let theirs = through_serde(&text, levels).unwrap();
                assert_eq!(camel(&text, levels), Ok(theirs), "case {case}: {text}");
            }
        }
        // A hostile object stays linear.
        let mut text: String = (0..100_000).map(|n| format!("\"k{n}\":{n},")).collect();
        text.insert(0, '{');
        text.push_str("\"k7\":0}");
        let out = camel(&text, 1).unwrap();
        assert!(
            out.starts_with(r#"{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":0,"k8":8"#)
        );
    }

    /// An item's text found through marks, in its change value camelCased once, is its own
    /// text camelCased twice; marks are not found where the text moved or changes again.
    #[test]
    fn marks_find_the_text_of_items() {
        let mut next = random(0x9E37_79B9_7F4A_7C15);
        let mut copied = 0;
        for case in 0..3_000 {
            let items: Vec<String> = (0..1 + next(3))
                .map(|_| {
                    let mut item = String::new();
                    random_json(&mut next, 3, &mut item);
                    // A span is from a value's first byte to its last.
                    item.trim().to_owned()
                })
                .collect();
            // `{"a_b":1, "messages": [items…] (, "aB": 2)}`: a collision in the value object
            // moves its text.
            let collides = next(8) == 0;
            let mut text = String::from(r#"{"a_b":1, "messages": ["#);
            let mut spans = Vec::new();
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    text.push_str(" ,");
                }
                spans.push((text.len(), text.len() + item.len()));
                text.push_str(item);
            }
            text.push_str(if collides { r#"], "aB":2}"# } else { "]}" });
            let mut marks = Marks::new(spans.iter().flat_map(|&(start, end)| [start, end]));
            let mut out = "before".to_owned();
            let written =
                with_buffers(|buffers| write_camel_marked(buffers, &text, 1, &mut out, &mut marks));
            if written.is_err() {
                continue;
            }
            for (item, (start, end)) in items.iter().zip(spans) {
                let found = marks.output_of(start).zip(marks.output_of(end));
                // Found where the value object was not rewritten.
                assert_eq!(found.is_none(), collides, "case {case}: {text}");
                let Some((start, end)) = found else {
                    continue;
                };
                let twice = camel(item, 2).unwrap();
                if marks.changes_between(start, end) {
                    continue;
                }
                assert_eq!(out[start..end], twice, "case {case}: {item}");
                copied += 1;
            }
        }
        assert!(copied > 1_000, "{copied}");
        // A key that a second pass changes is seen.
        let text = r#"[{"a__b":1},{"a_b":1}]"#;
        let mut marks = Marks::new([1, 11, 12, 21]);
        let mut out = String::new();
        with_buffers(|buffers| write_camel_marked(buffers, text, 1, &mut out, &mut marks)).unwrap();
        assert_eq!(out, r#"[{"a_B":1},{"aB":1}]"#);
        let (first, second) = ((1, 11), (12, 21));
        assert_eq!(marks.output_of(first.0), Some(1));
        assert!(marks.changes_between(1, 10));
        assert!(!marks.changes_between(11, 19));
        assert_eq!(marks.output_of(second.1), Some(19));
    }
}
