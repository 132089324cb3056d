//! The home page's charts, drawn at build time as inline SVG, each with its numbers.

use super::*;

/// A bar chart as rows for the template: label, value, bar length in per mille of the largest
/// value, and a flag for a figure the source document gets wrong. Drawn as HTML text and an
/// SVG bar per row, so labels wrap instead of being cut and text keeps its size on a phone.
pub(super) fn chart(id: &str, title: &str, unit: &str, rows: &[ChartRow]) -> Value {
    let max = rows.iter().map(|r| r.value).max().unwrap_or(0).max(1);
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            // Per mille, in 128 bits (values may be as large as 2^64 - 1); a value above zero
            // keeps a visible bar.
            let bar = (u128::from(r.value) * 1000 / u128::from(max)) as u64;
            json!({
                "label": r.label,
                "value": r.value,
                "shown": group_digits(r.value),
                "url": r.url,
                "bar": if r.value > 0 { bar.max(4) } else { 0 },
                "flag": r.flag,
            })
        })
        .collect();
    json!({"id": id, "title": title, "unit": unit, "rows": rows})
}

/// One bar of a chart.
pub(super) struct ChartRow {
    pub(super) label: String,
    pub(super) value: u64,
    pub(super) url: Option<String>,
    /// Why the figure is disputed, if it is.
    pub(super) flag: Option<String>,
}

impl<'a> Renderer<'a> {
    /// Charts of the home page, drawn at build time as inline SVG, each with its numbers.
    pub(super) fn home_charts(&self) -> Vec<Value> {
        let mut charts = Vec::new();
        let count_by = |facet: &str| -> Vec<ChartRow> {
            self.facets
                .iter()
                .find(|f| f.name == facet)
                .map(|f| {
                    let mut v: Vec<_> = f.values.iter().collect();
                    v.sort_by(|a, b| natural_cmp(a.0, b.0));
                    v.into_iter()
                        .map(|(slug, (label, members))| ChartRow {
                            label: label.clone(),
                            value: members.len() as u64,
                            url: Some(self.facet_url(facet, slug)),
                            flag: None,
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
            let rows: Vec<ChartRow> = t
                .rows
                .iter()
                .map(|row| ChartRow {
                    label: row.label.clone(),
                    value: row.total,
                    url: row
                        .table
                        .as_ref()
                        .and_then(|id| self.site.get(Kind::FundingTable, id))
                        .map(|x| self.settings.url(&x.path())),
                    flag: row.document_error.as_ref().map(|_| {
                        "figure disputed: the source document's detailed table disagrees (see the table's notes)".to_string()
                    }),
                })
                .collect();
            charts.push(chart(
                "chart-region",
                &format!("Funding requirements by region ({})", t.currency),
                "money",
                &rows,
            ));
            let cols: Vec<ChartRow> = t
                .columns
                .iter()
                .zip(&t.total.values)
                .map(|(c, v)| ChartRow {
                    label: c.clone(),
                    value: v.unwrap_or(0),
                    url: None,
                    flag: None,
                })
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
