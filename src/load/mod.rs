//! Load stage: walk `content/`, split front matter, deserialize typed records.
//!
//! Every problem becomes a [`Diagnostic`] naming file, line, column and field; loading goes on
//! past errors so one run reports all of them.

mod fields;
mod ids;
mod syntax;
mod words;
mod yaml;

pub(crate) use ids::id_hint;
pub use ids::validate_id;
use yaml::parse_yaml;

use crate::diagnostics::{Diagnostic, SourceMap, all_of, did_you_mean, one_of};
use crate::model::*;
use crate::schema;
use crate::spans::{locate_field, locate_value};
use bytestring::ByteString;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Larger record files are refused: no real record is this big, and a runaway file
/// (a pasted data dump, a generated mistake) should not stall every build.
pub(crate) const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Unknown fields reported one by one in a file; the rest are counted.
const MAX_REPORTED_PER_FILE: usize = 20;

pub(crate) struct Loaded {
    pub config: Option<SiteConfig>,
    pub records: BTreeMap<RecordKey, Record>,
    pub diagnostics: Vec<Diagnostic>,
    /// What is known of the records whose files failed to load.
    pub unloaded: Unloaded,
}

/// The records of files that failed to load, as far as they could be read: the link stage
/// does not report references to them as unknown (the file's own error is the problem), and
/// still checks what could be read of them.
#[derive(Debug, Default)]
pub(crate) struct Unloaded {
    /// Keys of records whose files failed to load (the ID could still be read).
    pub keys: BTreeSet<RecordKey>,
    /// Kinds with a failed file whose record's ID could not be read at all: any ID of such a
    /// kind may be the one in that file.
    pub unidentified: BTreeSet<Kind>,
    /// Records read with examples in place of their broken fields: the rest of their fields
    /// are checked like any record's (references, Markdown links); they are never published.
    pub partial: Vec<Partial>,
}

/// A record whose file has problems, read with examples in place of the fields in `replaced`.
#[derive(Debug)]
pub(crate) struct Partial {
    pub record: Record,
    /// Top-level fields whose values are examples, not the file's: not checked.
    pub replaced: BTreeSet<String>,
}

impl Unloaded {
    /// Whether a reference to `kind` `id` may name a record of a file that failed to load.
    pub(crate) fn covers(&self, kind: Kind, id: &str) -> bool {
        self.unidentified.contains(&kind) || self.keys.contains(&RecordKey::new(kind, id))
    }
}

/// What a file that failed to load gave: its problems, and what could be read of its record.
pub(crate) struct Failed {
    diags: Vec<FileDiag>,
    /// The record's key, when its ID could be read.
    key: Option<RecordKey>,
    partial: Option<Partial>,
}

impl Failed {
    fn only(diags: Vec<FileDiag>) -> Failed {
        Failed {
            diags,
            key: None,
            partial: None,
        }
    }
}

/// A file's display path, its kind, its text, and its record or what failed.
type ParsedFile = (String, Kind, ByteString, Result<Record, Failed>);

/// A file found under `content/`, with the kind its folder says it holds.
struct Found {
    kind: Kind,
    path: PathBuf,
    display: String,
}

/// Reads every record under `root/content`. Source texts go into `sources`.
pub(crate) fn load_site(root: &Path, sources: &mut SourceMap) -> Loaded {
    let content = root.join("content");
    let mut diagnostics = Vec::new();
    let mut records = BTreeMap::new();

    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error(
                "no-content",
                format!("no `content/` folder in {}", root.display()),
            )
            .hint("run pactgen in a site folder, or pass `--root DIR`"),
        );
        return Loaded {
            config: None,
            records,
            diagnostics,
            unloaded: Unloaded::default(),
        };
    }

    let config = load_config(&content.join("site.yaml"), sources, &mut diagnostics);
    let found = find_record_files(&content, &mut diagnostics);

    // Reading and parsing is independent per file: do it in parallel, then number the files
    // in path order so diagnostics and output never depend on thread timing.
    let parsed: Vec<ParsedFile> = found
        .par_iter()
        .map(|f| {
            let (text, result) = read_and_parse(f);
            (f.display.clone(), f.kind, text, result)
        })
        .collect();

    let mut all = Vec::with_capacity(parsed.len());
    let mut unloaded = Unloaded::default();
    for (display, kind, text, result) in parsed {
        let file = sources.add(display, text);
        match result {
            Ok(mut rec) => {
                rec.file = file;
                all.push(rec);
            }
            Err(failed) => {
                diagnostics.extend(failed.diags.into_iter().map(|d| d.into_diagnostic(file)));
                match failed.key {
                    Some(key) => {
                        unloaded.keys.insert(key);
                    }
                    None => {
                        unloaded.unidentified.insert(kind);
                    }
                }
                if let Some(mut partial) = failed.partial {
                    partial.record.file = file;
                    unloaded.partial.push(partial);
                }
            }
        }
    }
    records = collect_records(all, sources, &mut diagnostics);

    Loaded {
        config,
        records,
        diagnostics,
        unloaded,
    }
}

fn load_config(
    path: &Path,
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<SiteConfig> {
    if let Ok(m) = std::fs::metadata(path)
        && m.len() > MAX_FILE_BYTES
    {
        diagnostics.push(
            Diagnostic::error(
                "file-too-large",
                format!(
                    "content/site.yaml is {} bytes; it may have at most {}",
                    crate::text::group_digits(m.len()),
                    crate::text::group_digits(MAX_FILE_BYTES)
                ),
            )
            .hint("site.yaml holds the site's settings: a title, a menu, a few options"),
        );
        return None;
    }
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(
                    "no-site-config",
                    format!("cannot read content/site.yaml: {e}"),
                )
                .hint("create content/site.yaml with at least `title: My site`"),
            );
            return None;
        }
    };
    let (text, utf8_error) = decode(text);
    let file = sources.add("content/site.yaml".into(), text.clone());
    if let Some(d) = utf8_error {
        diagnostics.push(d.into_diagnostic(file));
        return None;
    }
    let start = bom_len(&text);
    let parsed = parse_yaml::<SiteConfig>(
        &text,
        start..text.len(),
        "site settings",
        schema::site_fields(),
    );
    diagnostics.extend(parsed.diags.into_iter().map(|d| d.into_diagnostic(file)));
    // Settings read without their unknown fields are still the file's own: the records are
    // checked against them. With a value replaced by an example, they are not.
    parsed.value.filter(|_| parsed.replaced.is_empty())
}

fn find_record_files(content: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Found> {
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .min_depth(1);
    let mut it = walker.into_iter();
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| display_path(content, p))
                    .unwrap_or_else(|| "content/".into());
                let what = if e.loop_ancestor().is_some() {
                    "a symbolic link loops back to a folder above it".to_string()
                } else {
                    e.to_string()
                };
                diagnostics.push(
                    Diagnostic::error("unreadable", format!("cannot read {path}: {what}"))
                        .hint("remove the link or fix the file's permissions"),
                );
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') {
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        let rel = entry.path().strip_prefix(content).unwrap_or(entry.path());
        let top = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        if entry.depth() == 1 {
            if entry.file_type().is_dir() {
                if Kind::from_folder(&top).is_none() {
                    let folders: Vec<&str> = Kind::ALL.iter().map(|k| k.folder()).collect();
                    let close = did_you_mean(&top, folders.iter().copied());
                    let hint = if close.is_empty() {
                        format!("record folders are {}", one_of(&folders))
                    } else {
                        format!("did you mean {}?", one_of(&close))
                    };
                    diagnostics.push(
                        Diagnostic::error(
                            "unknown-folder",
                            format!("content/{top}/ is not a record folder"),
                        )
                        .hint(hint),
                    );
                    it.skip_current_dir();
                }
            } else if name != "site.yaml" {
                diagnostics.push(
                    Diagnostic::warning(
                        "ignored-file",
                        format!("content/{name} is ignored: records go in a folder per kind"),
                    )
                    .hint("move it into the folder of its kind, e.g. content/commitments/"),
                );
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(kind) = Kind::from_folder(&top) else {
            continue;
        };
        let display = display_path(content, entry.path());
        match entry.path().extension().and_then(|e| e.to_str()) {
            Some("yaml" | "yml" | "md") => found.push(Found {
                kind,
                path: entry.path().to_path_buf(),
                display,
            }),
            _ => diagnostics.push(
                Diagnostic::warning("ignored-file", format!("{display} is ignored"))
                    .hint("records are `.yaml`, `.yml` or `.md` files"),
            ),
        }
    }
    found
}

fn display_path(content: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(content).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("content/{}", parts.join("/"))
}

/// A diagnostic whose file is not numbered yet (parsing runs before numbering).
pub(crate) struct FileDiag(Diagnostic);

impl FileDiag {
    fn into_diagnostic(self, file: usize) -> Diagnostic {
        let mut d = self.0;
        d.file = Some(file);
        d
    }
}

fn decode(bytes: Vec<u8>) -> (String, Option<FileDiag>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text has U+FFFD (3 bytes) where the bad byte was: point at it.
            let span = at..(at + 3).min(text.len());
            let d = Diagnostic::error("invalid-utf8", "the file is not valid UTF-8")
                .at(0, span, "invalid byte here")
                .hint("save the file as UTF-8 (most editors: \"Save with encoding\")");
            (text, Some(FileDiag(d)))
        }
    }
}

fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

fn read_and_parse(f: &Found) -> (ByteString, Result<Record, Failed>) {
    let fail = |text: ByteString, d: Diagnostic| (text, Err(Failed::only(vec![FileDiag(d)])));
    match std::fs::metadata(&f.path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            return fail(
                ByteString::new(),
                Diagnostic::error(
                    "file-too-large",
                    format!(
                        "the file is {} bytes; a record may have at most {}",
                        crate::text::group_digits(m.len()),
                        crate::text::group_digits(MAX_FILE_BYTES)
                    ),
                )
                .hint("split the file, or move large data out of content/"),
            );
        }
        _ => {}
    }
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => {
            return fail(
                ByteString::new(),
                Diagnostic::error("unreadable", format!("cannot read {}: {e}", f.display))
                    .hint("check the file's permissions"),
            );
        }
    };
    let is_md = f.path.extension().is_some_and(|e| e == "md");
    parse_file(f.kind, &f.display, is_md, bytes)
}

/// Parses the bytes of one record file exactly as [`load_site`] does once the file is read:
/// UTF-8 check, byte-order mark, front matter (when `markdown`, i.e. a `.md` file), YAML and
/// ID validation. Returns the decoded text and the record, or diagnostics whose spans point
/// into that text (file number 0). `display` names the file in messages.
pub fn parse_record_file(
    kind: Kind,
    display: &str,
    markdown: bool,
    bytes: Vec<u8>,
) -> (ByteString, Result<Record, Vec<Diagnostic>>) {
    let (text, result) = parse_file(kind, display, markdown, bytes);
    let result = result.map_err(|f| f.diags.into_iter().map(|d| d.into_diagnostic(0)).collect());
    (text, result)
}

fn parse_file(
    kind: Kind,
    display: &str,
    markdown: bool,
    bytes: Vec<u8>,
) -> (ByteString, Result<Record, Failed>) {
    let fail = |text: ByteString, d: Diagnostic| (text, Err(Failed::only(vec![FileDiag(d)])));
    let (text, utf8_error) = decode(bytes);
    // Shared, not copied, by the source map and the record's body (a slice of it).
    let text = ByteString::from(text);
    if let Some(d) = utf8_error {
        return (text, Err(Failed::only(vec![d])));
    }
    let start = bom_len(&text);
    if text[start..].trim().is_empty() {
        let d = Diagnostic::error("empty-record", format!("{display} is empty"))
            .at(0, start..text.len(), "no fields")
            .hint(format!(
                "run `pactgen new {}` to write a valid skeleton",
                kind.name()
            ));
        return fail(text, d);
    }
    let (yaml, body) = if markdown {
        match split_front_matter(&text, start) {
            Ok(parts) => parts,
            Err(d) => return fail(text, d),
        }
    } else {
        (start..text.len(), None)
    };
    let result = parse_record(kind, &text, yaml, body);
    (text, result)
}

/// Splits a Markdown file into its YAML front matter and body (byte ranges into `text`).
pub fn split_front_matter(
    text: &str,
    start: usize,
) -> Result<(Range<usize>, Option<Range<usize>>), Diagnostic> {
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error(
            "no-front-matter",
            "a Markdown record must start with YAML front matter",
        )
        .at(
            0,
            start..start + first_line_end.min(rest.len()),
            "expected `---` here",
        )
        .hint("begin the file with a line `---`, the record's fields, and another line `---`"));
    }
    let yaml_start = start + first_line_end;
    let mut pos = yaml_start;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..line_end].trim_end() == "---" {
            let body = line_end..text.len();
            return Ok((yaml_start..pos, Some(body)));
        }
        pos = line_end;
    }
    Err(
        Diagnostic::error("unclosed-front-matter", "the front matter is never closed")
            .at(0, start..start + 3, "front matter opened here")
            .hint("add a line `---` after the record's fields"),
    )
}

fn parse_record(
    kind: Kind,
    text: &ByteString,
    yaml: Range<usize>,
    body: Option<Range<usize>>,
) -> Result<Record, Failed> {
    let fields = schema::kind_fields(kind);
    let what = kind.name();
    // The kind's type, from the one declaration of the kinds.
    struct Parse<'a> {
        text: &'a str,
        yaml: Range<usize>,
        what: &'a str,
        fields: &'a schema::Fields,
    }
    impl KindVisitor for Parse<'_> {
        type Output = yaml::Parsed<(String, RecordData)>;
        fn visit<T: KindType>(self) -> Self::Output {
            let p = parse_yaml::<T>(self.text, self.yaml, self.what, self.fields);
            yaml::Parsed {
                value: p.value.map(|r| (r.record_id(), r.into())),
                replaced: p.replaced,
                diags: p.diags,
            }
        }
    }
    let parsed = visit(
        kind,
        Parse {
            text,
            yaml: yaml.clone(),
            what,
            fields,
        },
    );
    let mut diags = parsed.diags;
    // The ID is read from fields that were not replaced. When one of them was broken, nobody
    // can tell which record the file was meant to be.
    let id_broken = id_fields(kind).iter().any(|f| parsed.replaced.contains(*f));
    let value = parsed.value.filter(|_| !id_broken);
    let Some((id, data)) = value else {
        let key = (!id_broken)
            .then(|| guess_id(kind, text, yaml))
            .flatten()
            .map(|id| RecordKey::new(kind, &id));
        return Err(Failed {
            diags,
            key,
            partial: None,
        });
    };
    let id_problem = validate_id(kind, &id).err();
    if let Some(problem) = &id_problem {
        let (field, value) = match kind {
            Kind::Report => ("transformation", id.rsplit('/').next().unwrap_or(&id)),
            Kind::Section => ("id", id.split_once('/').map_or(id.as_str(), |x| x.1)),
            _ => ("id", id.as_str()),
        };
        let span = locate_value(text, yaml.clone(), field, value)
            .or_else(|| locate_field(text, yaml.clone(), field))
            .unwrap_or(yaml.start..yaml.start);
        diags.push(FileDiag(
            Diagnostic::error("invalid-id", format!("invalid {what} ID `{id}`: {problem}"))
                .at(0, span, "invalid ID")
                .field(field)
                .hint(id_hint(kind)),
        ));
    }
    let record = Record {
        key: RecordKey::new(kind, &id),
        id,
        file: 0,
        yaml_offset: yaml.start,
        body: body.map(|b| (text.slice_ref(&text[b.clone()]), b.start)),
        data,
    };
    // `source` may be left out of a draft only (the type cannot say so: serde reads it as
    // optional, and this is where it is required).
    if fields.required.iter().any(|f| f == "source")
        && record.source().is_none()
        && !record.is_draft()
    {
        let first_line = yaml.start
            ..text[yaml.start..yaml.end]
                .find(['\n', '\r'])
                .map_or(yaml.end, |i| yaml.start + i);
        diags.push(FileDiag(
            Diagnostic::error(
                "missing-field",
                format!("the {what} is missing the required field `source`"),
            )
            .at(0, first_line, "`source` is missing")
            .field("source")
            .hint(format!(
                "add `source: {}` naming the document it comes from, or mark the record `draft: true` until you know it; required fields of {}: {}",
                fields.example("source"),
                fields::a_or_the(what),
                all_of(&fields.required_names())
            )),
        ));
    }
    if diags.is_empty() {
        return Ok(record);
    }
    Err(Failed {
        diags,
        // An invalid ID names no record anybody could link to: which one was meant is unknown.
        key: id_problem.is_none().then(|| record.key.clone()),
        // A record with an invalid ID is not checked further: its ID may not even be a path.
        partial: id_problem.is_none().then_some(Partial {
            record,
            replaced: parsed.replaced,
        }),
    })
}

/// The fields a kind's ID is made of.
fn id_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Report => &["year", "transformation"],
        Kind::Section => &["document", "id"],
        _ => &["id"],
    }
}

/// The ID of a record whose YAML could not be read, from its top-level `id:` line (for
/// reports, `year:` and `transformation:`; for sections, `document:` and `id:`), if it is a
/// valid ID.
fn guess_id(kind: Kind, text: &str, yaml: Range<usize>) -> Option<String> {
    let blocks = yaml::top_level_blocks(text, yaml);
    let value = |field: &str| -> Option<String> {
        let b = blocks.iter().find(|b| b.key == field)?;
        let rest = &text[b.key_span.end..b.block.end];
        let line = rest.split('\n').next()?;
        let v = line.trim_start_matches(['"', '\'']).trim_start_matches(':');
        let v = v
            .split(" #")
            .next()
            .unwrap_or(v)
            .trim()
            .trim_matches(['"', '\'']);
        (!v.is_empty()).then(|| v.to_string())
    };
    let id = match kind {
        Kind::Report => {
            let year = value("year")?;
            year.parse::<u16>().ok()?;
            format!("{year}/{}", value("transformation")?)
        }
        Kind::Section => format!("{}/{}", value("document")?, value("id")?),
        _ => value("id")?,
    };
    validate_id(kind, &id).ok().map(|_| id)
}

/// Keys `all` (in file order) by ID. A record whose key an earlier one took is reported as a
/// duplicate and left out. The map is built in one go from the records sorted by key: inserting
/// 100,000 records one by one moved each large record around the tree's nodes again and again.
fn collect_records(
    all: Vec<Record>,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<RecordKey, Record> {
    let mut order: Vec<usize> = (0..all.len()).collect();
    // Stable: among equal keys the first in file order comes first, and is the one kept.
    order.par_sort_by(|&a, &b| all[a].key.cmp(&all[b].key));
    let mut duplicates = Vec::new();
    for pair in order.windows(2) {
        if all[pair[0]].key == all[pair[1]].key {
            duplicates.push(pair[1]);
        }
    }
    // Reported in file order, each against the first record with its key.
    duplicates.sort_unstable();
    let first_of = |i: usize| {
        let at = order.partition_point(|&j| all[j].key < all[i].key);
        &all[order[at]]
    };
    for &i in &duplicates {
        report_duplicate(&all[i], first_of(i), sources, diagnostics);
    }
    let mut slots: Vec<Option<Record>> = all.into_iter().map(Some).collect();
    for &i in &duplicates {
        slots[i] = None;
    }
    order
        .iter()
        .filter_map(|&i| slots[i].take())
        .map(|rec| (rec.key.clone(), rec))
        .collect()
}

fn report_duplicate(
    rec: &Record,
    first: &Record,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let text = sources.text(rec.file);
    let field = if rec.kind() == Kind::Report {
        "transformation"
    } else {
        "id"
    };
    let end = text.len();
    let shown = match rec.kind() {
        Kind::Report => rec.id.rsplit('/').next().unwrap_or(&rec.id),
        Kind::Section => rec.id.split_once('/').map_or(rec.id.as_str(), |x| x.1),
        _ => rec.id.as_str(),
    };
    let span = locate_value(text, rec.yaml_offset..end, field, shown)
        .or_else(|| locate_field(text, rec.yaml_offset..end, field))
        .unwrap_or(0..0);
    let first_loc = sources
        .line_col(first.file, first.yaml_offset)
        .map(|(l, _)| format!("{}:{}", sources.name(first.file), l))
        .unwrap_or_else(|| sources.name(first.file));
    let same_case = first.id == rec.id;
    let message = if same_case {
        format!("duplicate {} ID `{}`", rec.kind(), rec.id)
    } else {
        format!(
            "{} ID `{}` collides with `{}` (IDs are not case-sensitive)",
            rec.kind(),
            rec.id,
            first.id
        )
    };
    diagnostics.push(
        Diagnostic::error("duplicate-id", message)
            .at(rec.file, span, "already used")
            .field(field)
            .hint(format!(
                "`{}` is first defined in {first_loc}; give this record another ID or remove one of the two",
                first.id
            )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_files_parse_from_memory() {
        let text = "\u{feff}---\r\nid: about\r\ntitle: About\r\n---\r\nThe body.\r\n";
        let (decoded, rec) =
            parse_record_file(Kind::Page, "content/pages/about.md", true, text.into());
        let rec = rec.expect("a valid page");
        assert_eq!((&*decoded, rec.id.as_str()), (text, "about"));
        let (body, at) = rec.body.expect("a body");
        assert_eq!((&*body, &decoded[at..]), ("The body.\r\n", "The body.\r\n"));
        // The body is the file's text itself (shared with the source map), not a copy.
        assert!(std::ptr::eq(body.as_ptr(), decoded[at..].as_ptr()));

        let (_, err) =
            parse_record_file(Kind::Page, "content/pages/x.md", true, b"id: x\n".to_vec());
        let diags = err.expect_err("no front matter");
        assert_eq!(diags[0].code, "no-front-matter");
        assert_eq!(diags[0].file, Some(0));
        let (_, err) = parse_record_file(Kind::Page, "content/pages/x.yaml", false, vec![0xff]);
        assert_eq!(err.expect_err("not UTF-8")[0].code, "invalid-utf8");
    }

    proptest::proptest! {
        /// Front-matter splitting never panics and its ranges always lie inside the text.
        #[test]
        fn front_matter_split_is_total(text in "(---\r?\n)?[\\PC\n\r]{0,200}(\n---\n)?[\\PC\n]{0,50}") {
            if let Ok((yaml, body)) = split_front_matter(&text, 0) {
                proptest::prop_assert!(yaml.end <= text.len() && yaml.start <= yaml.end);
                if let Some(b) = body {
                    proptest::prop_assert!(b.start >= yaml.end && b.end == text.len());
                }
            }
        }

        /// Any text as a record of any kind: a record or diagnostics, never a panic, and every
        /// diagnostic points inside the file.
        #[test]
        fn record_parsing_is_total(text in "[\\PC\n\t]{0,300}", kind_index in 0usize..Kind::COUNT) {
            let kind = Kind::ALL[kind_index];
            match parse_record(kind, &ByteString::from(text.as_str()), 0..text.len(), None) {
                Ok(rec) => proptest::prop_assert!(validate_id(kind, &rec.id).is_ok()),
                Err(failed) => {
                    for FileDiag(d) in failed.diags {
                        if let Some(span) = d.span {
                            proptest::prop_assert!(span.start <= span.end && span.end <= text.len());
                        }
                    }
                }
            }
        }

        /// Text made of YAML's own punctuation reaches serde_yaml's rarer error paths.
        #[test]
        fn yaml_punctuation_is_total(text in "[-#:?,|>&*!%@`'\"\\[\\]{} \n\taé1]{0,60}", kind_index in 0usize..Kind::COUNT) {
            let kind = Kind::ALL[kind_index];
            if let Err(failed) = parse_record(kind, &ByteString::from(text.as_str()), 0..text.len(), None) {
                for FileDiag(d) in failed.diags {
                    if let Some(span) = d.span {
                        proptest::prop_assert!(span.start <= span.end && span.end <= text.len());
                        proptest::prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                    }
                }
            }
        }

        /// Plausible YAML records with random values parse or fail cleanly.
        #[test]
        fn commitment_like_yaml_is_total(id in "[-0-9a-z\"]{0,8}", ty in "[A-Za-z]{0,12}", t in "[0-9A-Z\" ]{0,5}") {
            let text = format!("id: {id}\ntext: x\ntype: {ty}\ncore_responsibilities: [3]\ntransformations: [{t}]\nsource:\n  document: d\n");
            let _ = parse_record(Kind::Commitment, &ByteString::from(text.as_str()), 0..text.len(), None);
        }
    }
}
