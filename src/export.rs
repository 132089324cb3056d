//! Whole-site outputs besides pages: `/data/<kind>.json`, `/data/commitments.csv`,
//! `/sitemap.xml`, `/robots.txt`, highlight CSS and static assets.

use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::render::{Renderer, put};
use crate::write::Sink;
use std::path::Path;

pub fn write_exports(r: &Renderer, root: &Path, sink: &dyn Sink) -> Result<usize, Diagnostic> {
    let mut written = 0;
    for kind in Kind::ALL {
        let mut recs: Vec<&Record> = r.site.of_kind(kind).collect();
        crate::render::sort_records(&mut recs);
        let items: Vec<serde_json::Value> = recs.iter().map(|rec| r.record_json(rec)).collect();
        put(
            sink,
            &format!("data/{}.json", kind.folder()),
            serde_json::to_vec_pretty(&items).unwrap_or_default(),
        )?;
        written += 1;
    }
    put(sink, "data/commitments.csv", commitments_csv(r.site))?;
    put(sink, "sitemap.xml", sitemap(r).into_bytes())?;
    let sitemap_url = match &r.settings.absolute_base {
        Some(abs) => format!("{abs}sitemap.xml"),
        None => r.settings.url("sitemap.xml"),
    };
    put(
        sink,
        "robots.txt",
        format!("User-agent: *\nAllow: /\nSitemap: {sitemap_url}\n").into_bytes(),
    )?;
    written += 3;
    if r.site.config.markdown.highlight_code {
        put(
            sink,
            "syntax.css",
            crate::markdown::highlight_css().into_bytes(),
        )?;
        written += 1;
    }
    written += copy_static(
        &root
            .join("themes")
            .join(&r.site.config.theme)
            .join("static"),
        sink,
    )?;
    written += copy_static(&root.join("static"), sink)?;
    Ok(written)
}

/// A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection).
pub fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn commitments_csv(site: &Site) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "id",
        "type",
        "organisation",
        "core_responsibilities",
        "core_responsibility_titles",
        "transformations",
        "transformation_titles",
        "initiatives",
        "keywords",
        "text",
    ]);
    let mut recs: Vec<&Record> = site.of_kind(Kind::Commitment).collect();
    crate::render::sort_records(&mut recs);
    for rec in recs {
        let RecordData::Commitment(c) = &rec.data else {
            continue;
        };
        let title_of =
            |kind: Kind, id: &str| site.get(kind, id).map(|r| r.title()).unwrap_or_default();
        let org = c
            .organisation
            .clone()
            .or_else(|| site.config.organisation.clone())
            .unwrap_or_default();
        let crs: Vec<String> = c.core_responsibilities.iter().map(u8::to_string).collect();
        let cr_titles: Vec<String> = crs
            .iter()
            .map(|id| title_of(Kind::CoreResponsibility, id))
            .collect();
        let t_titles: Vec<String> = c
            .transformations
            .iter()
            .map(
                |id| match site.get(Kind::Transformation, id).map(|r| &r.data) {
                    Some(RecordData::Transformation(t)) => t.title.clone(),
                    _ => String::new(),
                },
            )
            .collect();
        let row = [
            c.id.to_string(),
            c.commitment_type.name().to_string(),
            org,
            crs.join("; "),
            cr_titles.join("; "),
            c.transformations.join("; "),
            t_titles.join("; "),
            c.initiatives.join("; "),
            c.keywords.join("; "),
            c.text.trim().to_string(),
        ];
        let row: Vec<String> = row.iter().map(|s| csv_cell(s)).collect();
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn sitemap(r: &Renderer) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let origin = r
        .settings
        .absolute_base
        .as_deref()
        .map(|a| a.trim_end_matches('/').to_string());
    let base_path = r.settings.base_path.clone();
    for job in r.jobs() {
        let path = match &job {
            crate::render::PageJob::NotFound => continue,
            crate::render::PageJob::Home => String::new(),
            crate::render::PageJob::Record(k) => match r.site.records.get(k) {
                Some(rec) => rec.path(),
                None => continue,
            },
            crate::render::PageJob::KindIndex(kind) => format!("{}/", kind.url_segment()),
            crate::render::PageJob::ReportYear(y) => format!("reports/{y}/"),
            crate::render::PageJob::Keywords => "keywords/".into(),
            crate::render::PageJob::Keyword(s) => format!("keywords/{s}/"),
        };
        let loc = match &origin {
            // absolute_base already holds the base path.
            Some(o) => format!("{o}/{path}"),
            None => format!("{base_path}{path}"),
        };
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&loc)));
    }
    out.push_str("</urlset>\n");
    out
}

fn copy_static(dir: &Path, sink: &dyn Sink) -> Result<usize, Diagnostic> {
    if !dir.is_dir() {
        return Ok(0);
    }
    let mut n = 0;
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path()).map_err(|e| {
            Diagnostic::error(
                "unreadable",
                format!("cannot read static file {}: {e}", entry.path().display()),
            )
        })?;
        put(sink, &rel, bytes)?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("IOM commits"), "IOM commits");
    }
}
