//! The home page's charts, drawn at build time as inline SVG, each with its numbers.

use super::*;

/// A horizontal bar chart as inline SVG (no inline styles: colours come from the stylesheet),
/// and its rows for the accessible table beside it.
pub(super) fn chart(
    id: &str,
    title: &str,
    unit: &str,
    rows: &[(String, u64, Option<String>)],
) -> Value {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    // Label above its bar: long labels never clip, and the chart stays legible at 320 px.
    let row_h = 44;
    let width = 520;
    let bar_w = 380;
    let height = rows.len() * row_h + 4;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\" focusable=\"false\"><title id=\"{id}-title\">{}</title>",
        text::html_escape(title)
    );
    for (i, (label, value, _)) in rows.iter().enumerate() {
        let y = i * row_h;
        let w = (*value as f64 / max as f64 * bar_w as f64)
            .round()
            .max(if *value > 0 { 1.0 } else { 0.0 });
        let shown = if label.chars().count() > 58 {
            format!("{}…", label.chars().take(57).collect::<String>())
        } else {
            label.clone()
        };
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" class=\"chart-label\">{}</text><rect x=\"0\" y=\"{}\" width=\"{w}\" height=\"14\" class=\"chart-bar\"></rect><text x=\"{}\" y=\"{}\" class=\"chart-value\">{}</text>",
            y + 16,
            text::html_escape(&shown),
            y + 22,
            w + 6.0,
            y + 34,
            group_digits(*value)
        ));
    }
    svg.push_str("</svg>");
    let table: Vec<Value> = rows
        .iter()
        .map(|(label, value, url)| json!({"label": label, "value": value, "shown": group_digits(*value), "url": url}))
        .collect();
    json!({"id": id, "title": title, "unit": unit, "svg": svg, "rows": table})
}

impl<'a> Renderer<'a> {
    /// Charts of the home page, drawn at build time as inline SVG, each with its numbers.
    pub(super) fn home_charts(&self) -> Vec<Value> {
        let mut charts = Vec::new();
        let count_by = |facet: &str| -> Vec<(String, u64, Option<String>)> {
            self.facets
                .iter()
                .find(|f| f.name == facet)
                .map(|f| {
                    let mut v: Vec<_> = f.values.iter().collect();
                    v.sort_by(|a, b| natural_cmp(a.0, b.0));
                    v.into_iter()
                        .map(|(slug, (label, members))| {
                            (
                                label.clone(),
                                members.len() as u64,
                                Some(self.facet_url(facet, slug)),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let by_cr = count_by("core-responsibility");
        if !by_cr.is_empty() {
            charts.push(chart(
                "chart-cr",
                "Commitments by core responsibility",
                "commitments",
                &by_cr,
            ));
        }
        let by_type = count_by("type");
        if !by_type.is_empty() {
            charts.push(chart(
                "chart-type",
                "Commitments by type",
                "commitments",
                &by_type,
            ));
        }
        // Funding: the table whose rows summarise other tables is the overview.
        let overview = self
            .site
            .of_kind(Kind::FundingTable)
            .find_map(|r| match &r.data {
                RecordData::FundingTable(t) if t.rows.iter().any(|row| row.table.is_some()) => {
                    Some(t)
                }
                _ => None,
            });
        if let Some(t) = overview {
            let rows: Vec<(String, u64, Option<String>)> = t
                .rows
                .iter()
                .map(|row| {
                    let url = row
                        .table
                        .as_ref()
                        .and_then(|id| self.site.get(Kind::FundingTable, id))
                        .map(|x| self.settings.url(&x.path()));
                    (row.label.clone(), row.total, url)
                })
                .collect();
            charts.push(chart(
                "chart-region",
                &format!("Funding requirements by region ({})", t.currency),
                "money",
                &rows,
            ));
            let cols: Vec<(String, u64, Option<String>)> = t
                .columns
                .iter()
                .zip(&t.total.values)
                .map(|(c, v)| (c.clone(), v.unwrap_or(0), None))
                .collect();
            charts.push(chart(
                "chart-column",
                &format!(
                    "Funding requirements by principle and objective ({})",
                    t.currency
                ),
                "money",
                &cols,
            ));
        }
        charts
    }
}
