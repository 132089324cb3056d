//! The theme's templates (overridden file by file by the site's `templates/`), loaded into
//! Tera, with the filters they use and their errors as diagnostics.

use super::*;

/// A template file, its name as Tera knows it, and its file id for diagnostics.
pub(crate) struct TemplateSet {
    pub tera: tera::Tera,
    /// The IDs the templates write as they are (`id="main"`): Markdown headings and footnotes
    /// take others.
    pub ids: std::collections::BTreeSet<String>,
    /// Template name → file id in the source map.
    pub files: HashMap<String, usize>,
    /// Template name → the templates it extends, includes or imports.
    pub(super) uses: HashMap<String, std::collections::BTreeSet<String>>,
    /// Template name → the IDs it writes literally.
    pub(super) ids_of: HashMap<String, Vec<String>>,
}

impl TemplateSet {
    /// The templates whose output a change of `changed` can alter: those, and every template
    /// that extends, includes or imports one of them, directly or not.
    pub(crate) fn users_of(
        &self,
        changed: &std::collections::BTreeSet<String>,
    ) -> std::collections::BTreeSet<String> {
        let mut out = changed.clone();
        loop {
            let before = out.len();
            for (name, uses) in &self.uses {
                if !out.contains(name) && uses.iter().any(|u| out.contains(u)) {
                    out.insert(name.clone());
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }

    /// Every template name.
    pub(crate) fn names(&self) -> std::collections::BTreeSet<String> {
        self.files.keys().cloned().collect()
    }

    /// The template a record of `kind` is rendered with.
    pub(crate) fn record_template(&self, kind: Kind) -> String {
        let specific = format!("{}.html", kind.name());
        if self.files.contains_key(&specific) {
            specific
        } else {
            "record.html".to_string()
        }
    }

    /// The IDs the templates write, for the link stage (plain data: it knows no templates).
    pub(crate) fn template_ids(&self) -> TemplateIds {
        let by_kind = Kind::ALL
            .iter()
            .map(|&kind| {
                // The page's template and every template it uses, transitively.
                let mut names = std::collections::BTreeSet::from([self.record_template(kind)]);
                loop {
                    let before = names.len();
                    let used: Vec<String> = names
                        .iter()
                        .filter_map(|n| self.uses.get(n))
                        .flatten()
                        .cloned()
                        .collect();
                    names.extend(used);
                    if names.len() == before {
                        break;
                    }
                }
                let ids = names
                    .iter()
                    .filter_map(|n| self.ids_of.get(n))
                    .flatten()
                    .cloned()
                    .collect();
                (kind, ids)
            })
            .collect();
        TemplateIds {
            all: self.ids.clone(),
            by_kind,
        }
    }
}

/// The IDs a template writes literally: `id="main"`, not `id="note-{{ n }}"`.
pub(super) fn literal_ids(text: &str) -> Vec<String> {
    text.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter_map(|id| {
            // `{{ prefix }}actions` (a macro's IDs, with a prefix where a page shows it more
            // than once) takes `actions` where the prefix is empty.
            let id = match id.rsplit_once("}}") {
                Some((head, tail)) if head.starts_with("{{") && !head[2..].contains("{{") => tail,
                _ => id,
            };
            (!id.is_empty() && !id.contains("{{") && !id.contains("{%")).then(|| id.to_string())
        })
        .collect()
}

/// The templates a template's `{% extends %}`, `{% include %}` and `{% import %}` tags name.
pub(super) fn template_uses(text: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.split("%}").next().unwrap_or("");
        let tag = tag.trim_start_matches('-').trim_start();
        if !["extends", "include", "import"]
            .iter()
            .any(|k| tag.starts_with(k))
        {
            continue;
        }
        // Every quoted name in the tag (`include ["a.html", "b.html"]` names several).
        for (i, part) in tag.split(['"', '\'']).enumerate() {
            if i % 2 == 1 && !part.is_empty() {
                out.insert(part.to_string());
            }
        }
    }
    out
}

/// Loads the theme's templates, then the site's `templates/` over them, file by file.
pub(crate) fn load_templates(
    root: &Path,
    theme: &str,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Option<TemplateSet> {
    let Some(source) = crate::theme::locate(root, theme) else {
        diags.push(
            Diagnostic::error(
                "missing-theme",
                format!("theme `{theme}` not found: no folder themes/{theme}/templates/"),
            )
            .in_file(0)
            .field("theme")
            .hint(
                "set `theme:` in content/site.yaml to a folder under themes/, or to `default` for the built-in theme",
            ),
        );
        return None;
    };
    let mut by_name: BTreeMap<String, (String, String)> = BTreeMap::new();
    let label = source.label(theme, "templates");
    if source == crate::theme::ThemeSource::BuiltIn {
        for file in crate::theme::built_in_files("templates") {
            let text = String::from_utf8_lossy(&file.bytes).into_owned();
            by_name.insert(file.rel.clone(), (format!("{label}/{}", file.rel), text));
        }
    }
    let theme_dir = source.folder("templates").map(|dir| (dir, label));
    for (dir, label) in theme_dir
        .into_iter()
        .chain([(root.join("templates"), "templates".to_string())])
    {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    by_name.insert(name.clone(), (format!("{label}/{name}"), text));
                }
                Err(e) => diags.push(Diagnostic::error(
                    "unreadable",
                    format!("cannot read {label}/{name}: {e}"),
                )),
            }
        }
    }
    // Themes made before redirect pages had a template get the default theme's.
    by_name
        .entry(ALIAS_TEMPLATE.to_string())
        .or_insert_with(|| {
            (
                format!("(built-in) {ALIAS_TEMPLATE}"),
                DEFAULT_ALIAS_TEMPLATE.to_string(),
            )
        });
    let mut files = HashMap::new();
    let mut raw = Vec::new();
    let mut uses = HashMap::new();
    let mut ids = std::collections::BTreeSet::new();
    let mut ids_of = HashMap::new();
    for (name, (display, text)) in by_name {
        let id = sources.add(display, text.clone());
        files.insert(name.clone(), id);
        uses.insert(name.clone(), template_uses(&text));
        let literal = literal_ids(&text);
        ids.extend(literal.iter().cloned());
        ids_of.insert(name.clone(), literal);
        raw.push((name, text));
    }
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/`, which bloats every URL; `&<>"'` is what HTML needs.
    tera.set_escape_fn(text::html_escape);
    register_filters(&mut tera);
    if let Err(e) = tera.add_raw_templates(raw) {
        diags.push(template_error(&e, None, &files, sources));
        return None;
    }
    for required in REQUIRED_TEMPLATES {
        if !files.contains_key(*required) {
            diags.push(
                Diagnostic::error(
                    "missing-template",
                    format!("template `{required}` not found in the theme or templates/"),
                )
                .hint(format!("add themes/{theme}/templates/{required}")),
            );
        }
    }
    Some(TemplateSet {
        tera,
        ids,
        files,
        uses,
        ids_of,
    })
}

/// The template of redirect pages at old URLs (`aliases:`).
pub(super) const ALIAS_TEMPLATE: &str = "alias.html";
const DEFAULT_ALIAS_TEMPLATE: &str = include_str!("../../themes/default/templates/alias.html");

/// Templates a theme must provide; record kinds fall back to `record.html`.
pub(super) const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "home.html",
    "list.html",
    "record.html",
    "keyword.html",
    "404.html",
];

pub(super) fn register_filters(tera: &mut tera::Tera) {
    // Rendered Markdown of one paragraph, without its `<p>`: for a short text inside a
    // sentence (a note after a label). Longer texts keep their paragraphs.
    tera.register_filter(
        "striptags_p",
        |v: &Value, _: &HashMap<String, Value>| -> tera::Result<Value> {
            let s = v.as_str().unwrap_or_default().trim_end();
            let inner = s
                .strip_prefix("<p>")
                .and_then(|x| x.strip_suffix("</p>"))
                .filter(|x| !x.contains("<p>"));
            Ok(Value::String(inner.unwrap_or(s).to_string()))
        },
    );
    tera.register_filter(
        "slug",
        |v: &Value, _: &HashMap<String, Value>| -> tera::Result<Value> {
            let s = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Ok(Value::String(text::slugify(&s)))
        },
    );
    tera.register_filter(
        "group_digits",
        |v: &Value, _: &HashMap<String, Value>| -> tera::Result<Value> {
            Ok(match v.as_u64() {
                Some(n) => Value::String(group_digits(n)),
                None => Value::String("–".into()),
            })
        },
    );
}

/// Turns a Tera error (and its causes) into a diagnostic naming the template, line and column.
pub(crate) fn template_error(
    e: &tera::Error,
    page: Option<&str>,
    files: &HashMap<String, usize>,
    sources: &SourceMap,
) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(c) = cur {
        chain.push(c.to_string());
        cur = c.source();
    }
    let full = chain.join(": ");
    // Tera names the template in quotes: "Failed to render 'commitment.html'".
    let name = chain.iter().find_map(|m| {
        let start = m.find('\'')? + 1;
        let end = m[start..].find('\'')? + start;
        let n = &m[start..end];
        files.contains_key(n).then(|| n.to_string())
    });
    // Tera draws parse errors for a terminal (" --> 5:1 | ... = reason"); keep the reason and
    // show the location with our own snippet instead.
    let reason = match (full.find("--> "), full.rfind("\n  = ")) {
        (Some(arrow), Some(k)) => {
            let head = full[..arrow].trim_end().trim_end_matches(':');
            format!("{head}: {}", full[k + 5..].trim())
        }
        _ => full.replace('\n', " "),
    };
    let mut d = Diagnostic::error("template", format!("template error: {reason}"));
    if let Some(page) = page {
        d.message = format!("{} (rendering /{page})", d.message);
    }
    if let Some(n) = &name
        && let Some(&file) = files.get(n)
    {
        // Parse errors point at " --> L:C".
        let span = full.find("--> ").and_then(|i| {
            let rest = &full[i + 4..];
            let (l, c) = rest.split_once(':')?;
            let line: usize = l.trim().parse().ok()?;
            let col: usize = c
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()?;
            let text = sources.text(file);
            let line_start = text
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum::<usize>();
            let at = (line_start + col.saturating_sub(1)).min(text.len());
            Some(at..(at + 1).min(text.len()))
        });
        d = match span {
            Some(s) => d.at(file, s, "here"),
            None => d.in_file(file),
        };
    }
    d.hint("check the variable names and filters the template uses; `pactgen check` renders every page")
}

#[cfg(test)]
mod tests {
    #[test]
    fn template_uses_are_read_from_tags() {
        let uses = super::template_uses(
            r#"{% extends "base.html" %}{% import "macros.html" as m %}{%- include ["a.html", 'b.html'] -%}{{ "x.html" }}{% if x %}"#,
        );
        let names: Vec<&str> = uses.iter().map(String::as_str).collect();
        assert_eq!(names, ["a.html", "b.html", "base.html", "macros.html"]);
    }

    #[test]
    fn literal_ids_take_plain_ids_and_the_suffix_of_a_prefixed_one() {
        let t = r#"<h2 id="a"></h2><h3 id="{{ prefix }}actions"></h3><p id="x-{{ n }}"></p><p id="{{ a }}{{ b }}c"></p>"#;
        assert_eq!(super::literal_ids(t), ["a", "actions"]);
    }
}
