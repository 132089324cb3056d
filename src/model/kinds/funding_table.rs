//! A funding table: rows of values by column, with totals that must add up.

use super::{KindType, RecordKind, Skeleton, Source};
use crate::model::{FieldRef, Kind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use crate::diagnostics::{Diagnostic, SourceMap};
use crate::model::{RecordData, Site};
use crate::spans::{field_span, locate_value};
use crate::text::group_digits;

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingRow {
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub label: String,
    /// One value per column; `null` for a cell printed as `-`.
    #[serde(deserialize_with = "crate::strict::opt_wholes")]
    pub values: Vec<Option<u64>>,
    #[serde(deserialize_with = "crate::strict::whole")]
    pub total: u64,
    /// ID of the funding table this row summarises.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub table: Option<String>,
    /// What was repaired.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub note: Option<String>,
    /// The document's own arithmetic error, acknowledged.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub document_error: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingTotal {
    #[serde(deserialize_with = "crate::strict::opt_wholes")]
    pub values: Vec<Option<u64>>,
    #[serde(deserialize_with = "crate::strict::whole")]
    pub total: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingTable {
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub id: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(default = "default_currency", deserialize_with = "crate::strict::text")]
    pub currency: String,
    #[serde(deserialize_with = "crate::strict::some_texts")]
    #[schemars(length(min = 1), inner(length(min = 1), regex(pattern = r"\S")))]
    pub columns: Vec<String>,
    #[serde(deserialize_with = "crate::strict::items")]
    pub rows: Vec<FundingRow>,
    pub total: FundingTotal,
    #[serde(default, deserialize_with = "crate::strict::whole")]
    pub order: i64,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    pub source: Source,
}

fn default_currency() -> String {
    "USD".into()
}

impl RecordKind for FundingTable {
    fn record_id(&self) -> String {
        self.id.clone()
    }
    fn title(&self) -> String {
        self.title.clone()
    }
    fn source(&self) -> Option<&Source> {
        Some(&self.source)
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn references(&self, _: Option<&str>, out: &mut Vec<FieldRef>) {
        for (n, row) in self.rows.iter().enumerate() {
            if let Some(t) = &row.table {
                out.push(FieldRef::new(format!("rows[{n}].table"), Kind::FundingTable, t.clone()));
            }
        }
    }
    fn order(&self) -> i64 {
        self.order
    }
    /// A row's notes are Markdown (`code`, links), shown under the table.
    fn markdown_fields(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = Vec::new();
        for (n, row) in self.rows.iter().enumerate() {
            if let Some(note) = &row.note {
                out.push((format!("rows[{n}].note"), note));
            }
            if let Some(error) = &row.document_error {
                out.push((format!("rows[{n}].document_error"), error));
            }
        }
        out
    }
}

impl KindType for FundingTable {
    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        (
            format!("{id}.yaml"),
            format!(
                "id: {id}\ntitle: New funding table\ncurrency: USD\ncolumns: [Objective 1]\nrows:\n  - label: Country\n    values: [0]\n    total: 0\ntotal:\n  values: [0]\n  total: 0\n{}",
                new.source()
            ),
        )
    }

    /// Every row, column and the total row add up (in 128 bits: values are up to 2^64 - 1
    /// each); a row summarising another table matches that table's total row. A document's
    /// own error, acknowledged in `document_error:`, is a note instead.
    fn check_site(site: &Site, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    for rec in site.of_kind(Kind::FundingTable) {
        let RecordData::FundingTable(t) = &rec.data else {
            continue;
        };
        let text = sources.text(rec.file);
        let region = rec.yaml_offset..text.len();
        let row_span = |label: &str| {
            locate_value(text, region.clone(), "label", label)
                .unwrap_or(rec.yaml_offset..rec.yaml_offset)
        };
        let cols = t.columns.len();
        let mut shape_ok = t.total.values.len() == cols;
        if !shape_ok {
            let span = field_span(text, region.clone(), "total", None);
            diags.push(
                Diagnostic::error(
                    "table-shape",
                    format!(
                        "the total row has {} values for {} columns",
                        t.total.values.len(),
                        cols
                    ),
                )
                .at(rec.file, span, "wrong number of values")
                .field("total.values")
                .hint("give one value per column; write `null` for a cell printed as `-`"),
            );
        }
        for (n, row) in t.rows.iter().enumerate() {
            let field = format!("rows[{n}]");
            if row.values.len() != cols {
                shape_ok = false;
                diags.push(
                    Diagnostic::error(
                        "table-shape",
                        format!(
                            "row `{}` has {} values for {} columns",
                            row.label,
                            row.values.len(),
                            cols
                        ),
                    )
                    .at(rec.file, row_span(&row.label), "wrong number of values")
                    .field(format!("{field}.values"))
                    .hint("give one value per column; write `null` for a cell printed as `-`"),
                );
                continue;
            }
            // Added up in 128 bits: values are up to 2^64 - 1 each and must never wrap.
            let sum: u128 = row.values.iter().flatten().map(|&v| u128::from(v)).sum();
            if sum != u128::from(row.total) {
                let msg = format!(
                    "row `{}` adds up to {} but its total is {} (difference {})",
                    row.label,
                    group_digits(sum),
                    group_digits(row.total),
                    signed_diff(sum, u128::from(row.total))
                );
                let d = match &row.document_error {
                    Some(why) => Diagnostic::note("document-arithmetic", msg).hint(format!("acknowledged: {why}")),
                    None => Diagnostic::error("table-arithmetic", msg).hint(
                        "fix the misread cell; if the document itself is wrong, say so in `document_error:`",
                    ),
                };
                diags.push(
                    d.at(rec.file, row_span(&row.label), "does not add up")
                        .field(format!("{field}.total")),
                );
            }
            if let Some(target) = row
                .table
                .as_ref()
                .and_then(|id| site.get(Kind::FundingTable, id))
                && let RecordData::FundingTable(detail) = &target.data
                && (detail.total.values != row.values || detail.total.total != row.total)
            {
                let msg = format!(
                    "row `{}` does not match the total row of funding table `{}` ({} vs {})",
                    row.label,
                    detail.id,
                    group_digits(row.total),
                    group_digits(detail.total.total)
                );
                let d = match &row.document_error {
                    Some(why) => Diagnostic::note("document-arithmetic", msg)
                        .hint(format!("acknowledged: {why}")),
                    None => Diagnostic::error("table-mismatch", msg).hint(
                        "the summary row and the detailed table's total must agree cell by cell",
                    ),
                };
                diags.push(
                    d.at(
                        rec.file,
                        row_span(&row.label),
                        "differs from the detailed table",
                    )
                    .field(format!("{field}.table")),
                );
            }
        }
        if !shape_ok {
            continue;
        }
        let total_span = field_span(text, region.clone(), "total", None);
        let acknowledged = t.rows.iter().any(|r| r.document_error.is_some());
        for c in 0..cols {
            let sum: u128 = t
                .rows
                .iter()
                .filter_map(|r| r.values[c])
                .map(u128::from)
                .sum();
            let printed = u128::from(t.total.values[c].unwrap_or(0));
            if sum != printed {
                let msg = format!(
                    "column `{}` adds up to {} but the total row says {} (difference {})",
                    t.columns[c],
                    group_digits(sum),
                    group_digits(printed),
                    signed_diff(sum, printed)
                );
                let d = if acknowledged {
                    Diagnostic::note("document-arithmetic", msg).hint(
                        "a row of this table carries `document_error:`; the printed total is kept",
                    )
                } else {
                    Diagnostic::error("table-arithmetic", msg)
                        .hint("fix the misread cell; if the document itself is wrong, say so in `document_error:`")
                };
                diags.push(
                    d.at(rec.file, total_span.clone(), "column total")
                        .field(format!("total.values[{c}]")),
                );
            }
        }
        let sum: u128 = t
            .total
            .values
            .iter()
            .flatten()
            .map(|&v| u128::from(v))
            .sum();
        if sum != u128::from(t.total.total) {
            diags.push(
                Diagnostic::error(
                    "table-arithmetic",
                    format!(
                        "the total row adds up to {} but its total is {}",
                        group_digits(sum),
                        group_digits(t.total.total)
                    ),
                )
                .at(rec.file, total_span, "does not add up")
                .field("total.total")
                .hint("fix the misread cell"),
            );
        }
    }
}
}

fn signed_diff(sum: u128, total: u128) -> String {
    if sum >= total {
        format!("+{}", group_digits(sum - total))
    } else {
        format!("-{}", group_digits(total - sum))
    }
}
