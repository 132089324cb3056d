//! YAML syntax errors in a reader's words, at the line where the mistake is.
//!
//! libyaml reports where it gave up, which is often lines after the mistake (an unclosed `[`
//! is noticed at the end of the file; a line that lost its indentation in a block of text is
//! noticed at the next field) and in its own terms ("while scanning a simple key"). So when a
//! file does not parse, its text is read again the way an editor sees it: brackets and quotes
//! that are never closed are found where they open, and libyaml's own positions (relative to
//! the front matter, in a `.md` file) are turned into offsets in the file.

use std::ops::Range;

/// A syntax problem, explained.
pub(super) struct SyntaxProblem {
    pub span: Range<usize>,
    pub message: String,
    pub label: String,
    pub hint: String,
}

/// Explains why `text[range]` is not valid YAML. `raw` is libyaml's message (through
/// serde_yaml) and `offset` the position it points at, in `text`.
pub(super) fn explain(text: &str, range: Range<usize>, raw: &str, offset: usize) -> SyntaxProblem {
    if let Some(p) = unclosed(text, range.clone()) {
        return p;
    }
    if let Some(p) = tab_indent(text, range.clone()) {
        return p;
    }
    let marks = marks(raw);
    // libyaml's line and column are counted from the start of the YAML (the front matter of a
    // `.md` file starts on its second line): offsets in the file.
    let context = marks
        .get(1)
        .and_then(|&(l, c)| offset_of(text, range.clone(), l, c));
    let at = |o: usize| o.min(text.len());
    let problem = raw.split(" at line ").next().unwrap_or(raw);
    if problem.contains("could not find expected ':'") {
        let start = at(context.unwrap_or(offset));
        let line = line_at(text, start);
        let (message, hint) = match block_text_above(text, range.clone(), line.start) {
            Some(key) => (
                format!("this line is not indented like the text of `{key}` above it"),
                format!(
                    "indent it like the other lines of `{key}:`; if it starts a new field, write it as `name: value`"
                ),
            ),
            None => (
                "this line is neither a field (`name: value`) nor indented under one".to_string(),
                "write it as `name: value`, or indent it under the field it belongs to".to_string(),
            ),
        };
        return SyntaxProblem {
            span: trimmed(text, line),
            message,
            label: "no `:` on this line".into(),
            hint,
        };
    }
    if problem.contains("mapping values are not allowed") {
        let o = at(offset);
        let line = line_at(text, o);
        let this_indent = indent_of(&text[line.clone()]);
        if let Some((key, key_indent)) = key_above(text, range.start, line.start)
            && this_indent > key_indent
        {
            return SyntaxProblem {
                span: trimmed(text, line),
                message: format!(
                    "this line is indented under `{key}`, which already has its value on its own line"
                ),
                label: "indented too far".into(),
                hint: format!(
                    "start the line at the column of `{key}` if it is a field of its own; if the value of `{key}` goes on, quote it"
                ),
            };
        }
        let (key, value) = key_and_value(&text[line.clone()]);
        return SyntaxProblem {
            span: o..(o + 1).min(line.end.max(o)),
            message: format!("the value of `{key}` contains `: `, which YAML reads as a new field"),
            label: "`: ` inside a value".into(),
            hint: format!("put the value in quotes: `{key}: \"{value}\"`"),
        };
    }
    if problem.contains("did not find expected key")
        || problem.contains("did not find expected '-'")
    {
        let o = at(offset);
        let line = line_at(text, o);
        let list = problem.contains("'-'");
        return SyntaxProblem {
            span: trimmed(text, line),
            message: if list {
                "this line breaks the list above it: its items start with `- ` at one indentation"
                    .into()
            } else {
                "this line is not indented like the fields around it".into()
            },
            label: "unexpected indentation".into(),
            hint: "fields of one mapping (and items of one list) start at the same column; fields inside a field are indented under it".into(),
        };
    }
    if problem.contains("found character that cannot start any token") {
        let o = at(offset);
        let c = text[o..].chars().next().unwrap_or(' ');
        let (key, value) = key_and_value(&text[line_at(text, o)]);
        return SyntaxProblem {
            span: o..o + c.len_utf8().min(text.len() - o),
            message: format!("a value cannot start with `{c}`"),
            label: "here".into(),
            hint: format!("put the value in quotes: `{key}: \"{value}\"`"),
        };
    }
    if problem.contains("undefined alias") || problem.contains("unknown anchor") {
        let o = at(offset);
        return SyntaxProblem {
            span: o..(o + 1).min(text.len()),
            message: "`*` starts an alias, and no anchor (`&name`) has this name".into(),
            label: "alias".into(),
            hint: "put the value in quotes if the `*` is part of the text".into(),
        };
    }
    if problem.contains("block sequence entries are not allowed") {
        let o = at(offset);
        return SyntaxProblem {
            span: o..(o + 1).min(text.len()),
            message: "a list item (`- `) where a value was expected".into(),
            label: "here".into(),
            hint: "start the list on the next line, each item indented under the field: `name:` then `  - item`".into(),
        };
    }
    let mut hint = "check indentation and quoting: a value containing `: ` or starting with `*`, `&`, `!`, `%`, `@`, `` ` `` or `[` must be quoted".to_string();
    if raw.contains("recursion limit") || raw.contains("repetition limit") {
        hint = "the YAML nests or repeats aliases too deeply; write the values out".into();
    }
    let o = at(offset);
    SyntaxProblem {
        span: if o < text.len() {
            o..(o + 1).min(text.len())
        } else {
            o..o
        },
        message: format!("the YAML cannot be read here: {}", plain(problem)),
        label: "here".into(),
        hint,
    }
}

/// The key and the value of a line `key: value` (a long value shortened), for hints.
fn key_and_value(line: &str) -> (String, String) {
    let content = line.trim().trim_start_matches("- ");
    let (key, value) = content.split_once(": ").unwrap_or(("value", content));
    let value = value.trim().replace('"', "\\\"");
    let value = if value.chars().count() > 40 {
        format!("{}…", value.chars().take(40).collect::<String>())
    } else {
        value
    };
    (key.trim().to_string(), value)
}

/// libyaml's words without its positions (shown separately, as offsets in the file).
pub(super) fn plain(raw: &str) -> String {
    let mut out = String::new();
    for (i, part) in raw.split(", while ").enumerate() {
        let part = part.split(" at line ").next().unwrap_or(part);
        if i > 0 {
            out.push_str(", while ");
        }
        out.push_str(part);
    }
    out
}

/// The `(line, column)` pairs (1-based) of libyaml's message, in order: where it stopped,
/// then where the construct it was reading started.
fn marks(raw: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some(i) = rest.find(" at line ") {
        rest = &rest[i + " at line ".len()..];
        let line: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = &rest[line.len()..];
        let column = after.strip_prefix(" column ").map(|c| {
            c.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        });
        if let (Ok(l), Some(Ok(c))) = (line.parse(), column.map(|c| c.parse())) {
            out.push((l, c));
        }
    }
    out
}

/// The offset in `text` of 1-based `line` and `column` (in characters) of `text[range]`.
fn offset_of(text: &str, range: Range<usize>, line: usize, column: usize) -> Option<usize> {
    let src = &text[range.clone()];
    let mut start = 0;
    for _ in 1..line {
        start += src[start..].find('\n')? + 1;
    }
    let line_text = &src[start..];
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    Some(range.start + start + within)
}

/// The line (without its line break) holding `offset`.
fn line_at(text: &str, offset: usize) -> Range<usize> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end.max(start)
}

/// The line without its indentation (the part a marker underlines); the line's start when it
/// is blank.
fn trimmed(text: &str, line: Range<usize>) -> Range<usize> {
    let s = &text[line.clone()];
    let lead = s.len() - s.trim_start().len();
    let end = line.start + s.trim_end().len();
    if line.start + lead >= end {
        line.start..line.start
    } else {
        line.start + lead..end
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The nearest line above `line_start` (within the YAML from `yaml_start`) that holds a key,
/// with its indentation: `(key, indent)`.
fn key_above(text: &str, yaml_start: usize, line_start: usize) -> Option<(String, usize)> {
    let mut end = line_start;
    while end > yaml_start {
        let start = text[yaml_start..end - 1]
            .rfind('\n')
            .map_or(yaml_start, |i| yaml_start + i + 1);
        let line = text[start..end].trim_end();
        let content = line.trim_start().trim_start_matches("- ");
        if !content.is_empty() && !content.starts_with('#') {
            let key = content.split(':').next().unwrap_or("").trim();
            return (content.contains(':') && !key.contains(' ') && !key.is_empty())
                .then(|| (key.to_string(), indent_of(line)));
        }
        end = start;
    }
    None
}

/// The key of the block of text (`key: |` or `key: >`) whose lines end just above
/// `line_start`, if the line above belongs to one.
pub(super) fn block_text_above(
    text: &str,
    range: Range<usize>,
    line_start: usize,
) -> Option<String> {
    let src = &text[range.start..line_start.max(range.start)];
    for line in src.lines().rev() {
        if line.trim().is_empty() {
            continue;
        }
        let content = line.trim_start().trim_start_matches("- ");
        if let Some((key, value)) = content.split_once(':') {
            let value = value.trim_start();
            if value.starts_with('|') || value.starts_with('>') {
                return Some(key.trim().to_string());
            }
        }
        if indent_of(line) == 0 {
            return None;
        }
    }
    None
}

/// A line indented with a tab, which YAML does not allow.
fn tab_indent(text: &str, range: Range<usize>) -> Option<SyntaxProblem> {
    let mut pos = range.start;
    for line in text[range].split_inclusive('\n') {
        let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(i) = line[..lead].find('\t') {
            return Some(SyntaxProblem {
                span: pos + i..pos + i + 1,
                message: "this line is indented with a tab".into(),
                label: "tab".into(),
                hint: "YAML does not allow tabs for indentation: indent with spaces".into(),
            });
        }
        pos += line.len();
    }
    None
}

/// A bracket still open on the way through the text.
struct Open {
    ch: u8,
    at: usize,
}

/// A `[`, `{` or quote that is never closed, or a bracket closed by the wrong kind, found by
/// reading `text[range]` as YAML's block and flow contexts go. `None` when every one is closed.
pub(super) fn unclosed(text: &str, range: Range<usize>) -> Option<SyntaxProblem> {
    let src = &text.as_bytes()[..range.end];
    let mut stack: Vec<Open> = Vec::new();
    // Lines indented more than this belong to a block of text (`key: |`).
    let mut block_text: Option<usize> = None;
    let mut line_start = range.start;
    while line_start < range.end {
        let line_end = memchr(b'\n', src, line_start).unwrap_or(range.end);
        let line = &text[line_start..line_end];
        let indent = indent_of(line);
        let content = line[indent..].trim_end();
        if let Some(limit) = block_text {
            if content.is_empty() || indent > limit {
                line_start = line_end + 1;
                continue;
            }
            block_text = None;
        }
        if content.is_empty() || content.starts_with('#') || content.starts_with("---") {
            line_start = line_end + 1;
            continue;
        }
        // List dashes, then a key, then the value.
        let mut pos = line_start + indent;
        let mut key_indent = indent;
        while text[pos..line_end].starts_with("- ") || &text[pos..line_end] == "-" {
            pos += 1;
            while pos < line_end && src[pos] == b' ' {
                pos += 1;
            }
            key_indent = pos - line_start;
        }
        let mut value = pos;
        if pos < line_end && matches!(src[pos], b'"' | b'\'') {
            match quoted_end(src, pos, range.end) {
                Some(end) => {
                    let after = skip_spaces(src, end, range.end);
                    if after < range.end && src[after] == b':' {
                        value = skip_spaces(src, after + 1, range.end);
                    } else {
                        // A quoted value (maybe over several lines): go on after it.
                        line_start = memchr(b'\n', src, end).map_or(range.end, |i| i + 1);
                        continue;
                    }
                }
                None => return Some(unclosed_quote(text, pos)),
            }
        } else if let Some(colon) = key_colon(&text[pos..line_end]) {
            value = skip_spaces(src, pos + colon + 1, line_end);
        }
        if value >= line_end {
            line_start = line_end + 1;
            continue;
        }
        match src[value] {
            b'[' | b'{' => {
                stack.push(Open {
                    ch: src[value],
                    at: value,
                });
                match flow(text, value + 1, range.end, &mut stack) {
                    Ok(end) => line_start = memchr(b'\n', src, end).map_or(range.end, |i| i + 1),
                    Err(problem) => return Some(problem),
                }
            }
            b'"' | b'\'' => match quoted_end(src, value, range.end) {
                Some(end) => line_start = memchr(b'\n', src, end).map_or(range.end, |i| i + 1),
                None => return Some(unclosed_quote(text, value)),
            },
            b'|' | b'>' => {
                block_text = Some(key_indent);
                line_start = line_end + 1;
            }
            _ => line_start = line_end + 1,
        }
    }
    None
}

/// Reads a flow collection from `from` until every bracket on `stack` is closed; returns where
/// it ended, or the problem found.
fn flow(
    text: &str,
    from: usize,
    end: usize,
    stack: &mut Vec<Open>,
) -> Result<usize, SyntaxProblem> {
    let src = text.as_bytes();
    let mut i = from;
    while i < end {
        match src[i] {
            b'"' | b'\'' => match quoted_end(src, i, end) {
                Some(e) => {
                    i = e;
                    continue;
                }
                None => return Err(unclosed_quote(text, i)),
            },
            b'#' if i == 0 || matches!(src[i - 1], b' ' | b'\t' | b'\n') => {
                i = memchr(b'\n', src, i).unwrap_or(end);
                continue;
            }
            b'[' | b'{' => stack.push(Open { ch: src[i], at: i }),
            b']' | b'}' => {
                let Some(open) = stack.pop() else {
                    return Ok(i + 1);
                };
                let want = if open.ch == b'[' { b']' } else { b'}' };
                if src[i] != want {
                    return Err(mismatched(text, &open, i));
                }
                if stack.is_empty() {
                    return Ok(i + 1);
                }
            }
            b'\n' => {
                // A field at the start of a line cannot be inside a list or mapping: the
                // bracket was never closed.
                let next = &text[i + 1..end];
                if starts_with_field(next) {
                    return Err(unclosed_bracket(text, &stack[0], i));
                }
            }
            _ => {}
        }
        i += 1;
    }
    match stack.first() {
        Some(open) => Err(unclosed_bracket(text, open, end)),
        None => Ok(end),
    }
}

/// Whether a line starts, at its first column, with `name:` followed by a space or its end.
fn starts_with_field(line: &str) -> bool {
    let line = line.split('\n').next().unwrap_or("");
    let name_len = line
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        .count();
    name_len > 0
        && line.as_bytes()[0].is_ascii_alphabetic()
        && line[name_len..].starts_with(':')
        && line[name_len + 1..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\r')
}

/// The colon ending a plain key on `line` (`name: value`, `name:` at the end), if any.
fn key_colon(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\r'))
}

fn skip_spaces(src: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && src[i] == b' ' {
        i += 1;
    }
    i
}

fn memchr(byte: u8, src: &[u8], from: usize) -> Option<usize> {
    src.get(from..)?
        .iter()
        .position(|b| *b == byte)
        .map(|i| from + i)
}

/// Where the quoted scalar opening at `at` ends (after its closing quote); `None` when it runs
/// to the end, or into a line that starts a new field.
fn quoted_end(src: &[u8], at: usize, end: usize) -> Option<usize> {
    let quote = src[at];
    let mut i = at + 1;
    while i < end {
        match src[i] {
            b'\\' if quote == b'"' => i += 1,
            b'\'' if quote == b'\'' && src.get(i + 1) == Some(&b'\'') => i += 1,
            c if c == quote => return Some(i + 1),
            b'\n' => {
                let rest = std::str::from_utf8(&src[i + 1..end]).unwrap_or("");
                if starts_with_field(rest) {
                    return None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn line_number(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn unclosed_quote(text: &str, at: usize) -> SyntaxProblem {
    let quote = &text[at..at + 1];
    let line = line_at(text, at);
    let shown = text[line.start..line.end].trim();
    let hint = if shown.len() <= 60 && shown.matches(quote).count() == 1 {
        format!("add the closing `{quote}`: `{shown}{quote}`")
    } else {
        format!("add the closing `{quote}` where the quoted text ends")
    };
    SyntaxProblem {
        span: at..at + 1,
        message: format!("the text quoted here with `{quote}` is never closed"),
        label: format!("`{quote}` without its closing `{quote}`"),
        hint,
    }
}

fn unclosed_bracket(text: &str, open: &Open, stopped: usize) -> SyntaxProblem {
    let (what, close) = if open.ch == b'[' {
        ("list", ']')
    } else {
        ("mapping", '}')
    };
    let opening = char::from(open.ch);
    // The last line with something on it before the place the list had to be closed.
    let before = text[..stopped.min(text.len())].trim_end();
    let last = line_at(text, before.len());
    let last_text = text[last.clone()].trim();
    let hint = if line_at(text, open.at) == last && last_text.len() <= 60 {
        format!("close it at the end of the {what}: `{last_text}{close}`")
    } else {
        format!(
            "add `{close}` after the last item of the {what} (line {})",
            line_number(text, last.start)
        )
    };
    SyntaxProblem {
        span: open.at..open.at + 1,
        message: format!("the {what} opened here with `{opening}` is never closed"),
        label: format!("`{opening}` without its `{close}`"),
        hint,
    }
}

fn mismatched(text: &str, open: &Open, at: usize) -> SyntaxProblem {
    let (what, close) = if open.ch == b'[' {
        ("list", ']')
    } else {
        ("mapping", '}')
    };
    let found = char::from(text.as_bytes()[at]);
    SyntaxProblem {
        span: at..at + 1,
        message: format!(
            "`{found}` closes the {what} opened with `{}` on line {}",
            char::from(open.ch),
            line_number(text, open.at)
        ),
        label: format!("`{close}` expected"),
        hint: format!(
            "a {what} opened with `{}` ends with `{close}`",
            char::from(open.ch)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> Option<(String, String)> {
        unclosed(text, 0..text.len()).map(|p| (text[p.span].to_string(), p.message))
    }

    #[test]
    fn unclosed_brackets_and_quotes_are_found_where_they_open() {
        let (at, msg) =
            problem("id: 1\nlist: [3\nnext: [\"3A\"]\nsource:\n  document: d\n").unwrap();
        assert_eq!(at, "[");
        assert!(msg.contains("list opened here"), "{msg}");
        let (_, msg) = problem("id: \"3A\ntitle: x\n").unwrap();
        assert!(msg.contains("quoted here"), "{msg}");
        let (at, msg) = problem("a: {b: [1, 2}\n").unwrap();
        assert_eq!(at, "}");
        assert!(msg.contains("closes the list"), "{msg}");
        let (_, msg) = problem("title: [unclosed\n").unwrap();
        assert!(msg.contains("never closed"), "{msg}");
    }

    #[test]
    fn valid_yaml_has_no_problem() {
        for ok in [
            "a: [1, 2]\nb: {c: d}\n",
            "text: |\n  [not a list\n  \"not a quote\nnext: 1\n",
            "title: A [bracket] inside\nq: \"it's \\\"x\\\"\"\nr: 'it''s'\n",
            "list:\n  - [a, b]\n  - \"c\"\n# [comment\n",
            "multi: [a,\n  b]\nnote: x # [c\n",
            "key: \"a\n  b\"\nnext: 1\n",
        ] {
            assert!(problem(ok).is_none(), "{ok}");
        }
    }

    #[test]
    fn libyaml_positions_become_file_offsets() {
        let text = "---\nid: 1\nsecond: x\n";
        // Line 2 column 1 of the YAML starting at offset 4 is `second`.
        assert_eq!(offset_of(text, 4..text.len(), 2, 1), Some(10));
        assert_eq!(
            marks(
                "could not find expected ':' at line 6 column 1, while scanning a simple key at line 4 column 1"
            ),
            vec![(6, 1), (4, 1)]
        );
        assert_eq!(
            plain(
                "found unexpected end of stream at line 4 column 1, while scanning a quoted scalar at line 1 column 5"
            ),
            "found unexpected end of stream, while scanning a quoted scalar"
        );
    }
}
