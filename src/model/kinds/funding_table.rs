//! A funding table: rows of values by column, with totals that must add up.

use super::{placeholder, KindType, RecordKind, Skeleton, Source};
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
    /// A draft: checked like any record, shown by `serve` with a banner, left out of `build`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub id: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(default = "default_currency", deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
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
    /// Where the record comes from; required unless the record is a draft.
    #[serde(default, deserialize_with = "crate::strict::present")]
    #[schemars(with = "Source")]
    pub source: Option<Source>,
}

fn default_currency() -> String {
    "USD".into()
}

impl RecordKind for FundingTable {
    fn draft(&self) -> bool {
        self.draft
    }
    fn record_id(&self) -> String {
        self.id.clone()
    }
    fn title(&self) -> String {
        self.title.clone()
    }
    fn source(&self) -> Option<&Source> {
        self.source.as_ref()
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
                "id: {id}\ntitle: \"{}\"\ncurrency: USD\ncolumns: [Objective 1]\nrows:\n  - label: \"{}\"\n    values: [0]\n    total: 0\ntotal:\n  values: [0]\n  total: 0\n{}",
                placeholder::TITLE,
                placeholder::LABEL,
                new.source()
            ),
        )
    }

    /// Every row, column and the total row add up (in 128 bits: values are up to 2^64 - 1
    /// each); a row summarising another table carries that table's title as its label, has
    /// its columns and currency, and matches its total row. A document's
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
                        "the total row has {} for {}",
                        group_count(t.total.values.len(), "value"),
                        group_count(cols, "column")
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
                            "row `{}` has {} for {}",
                            row.label,
                            group_count(row.values.len(), "value"),
                            group_count(cols, "column")
                        ),
                    )
                    .at(rec.file, row_span(&row.label), "wrong number of values")
                    .field(format!("{field}.values"))
                    .hint(separators_hint(text, rec.yaml_offset, &row.label).unwrap_or_else(|| {
                        "give one value per column; write `null` for a cell printed as `-`".into()
                    })),
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
            // A row that summarises another table is that table's region: same name, same
            // columns, same currency.
            if let Some(target) = row
                .table
                .as_ref()
                .and_then(|id| site.get(Kind::FundingTable, id))
                && let RecordData::FundingTable(detail) = &target.data
            {
                let same = |a: &str, b: &str| {
                    a.split_whitespace().eq(b.split_whitespace())
                        || a.to_lowercase().split_whitespace().eq(b.to_lowercase().split_whitespace())
                };
                if !same(&row.label, &detail.title) {
                    diags.push(
                        Diagnostic::error(
                            "row-table-label",
                            format!(
                                "row `{}` summarises funding table `{}`, whose title is `{}`",
                                row.label, detail.id, detail.title
                            ),
                        )
                        .at(rec.file, row_span(&row.label), "not that table's title")
                        .field(format!("{field}.label"))
                        .hint(format!(
                            "a summary row is named like the table it summarises: `label: \"{}\"`, or point `table` at the right table",
                            detail.title
                        )),
                    );
                }
                if detail.columns != t.columns || detail.currency != t.currency {
                    let what = if detail.currency != t.currency {
                        format!("its amounts are in {}, this table's in {}", detail.currency, t.currency)
                    } else {
                        format!(
                            "its columns are {}, this table's {}",
                            crate::diagnostics::all_of(&detail.columns.iter().map(String::as_str).collect::<Vec<_>>()),
                            crate::diagnostics::all_of(&t.columns.iter().map(String::as_str).collect::<Vec<_>>())
                        )
                    };
                    diags.push(
                        Diagnostic::error(
                            "row-table-columns",
                            format!(
                                "row `{}` summarises funding table `{}`, which is not laid out like this one: {what}",
                                row.label, detail.id
                            ),
                        )
                        .at(rec.file, row_span(&row.label), "another layout")
                        .field(format!("{field}.table"))
                        .hint("a summary row copies the total line of the table it names: both tables need the same columns and currency"),
                    );
                    continue;
                }
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

use crate::text::count as group_count;

/// When the `values:` line of the row labelled `label` holds a number written with thousands
/// separators (`[5,247,000, 100]` is four values to YAML), the hint that says so.
fn separators_hint(text: &str, yaml_offset: usize, label: &str) -> Option<String> {
    let region = yaml_offset..text.len();
    let from = locate_value(text, region, "label", label)?.end;
    let values = crate::spans::locate_field(text, from..text.len(), "values")?;
    let line = text[values.end..].lines().next()?;
    let bytes = line.as_bytes();
    // `5,247,000`: a comma followed directly by three digits and another separator or the end.
    let grouped = (0..bytes.len()).find(|&i| {
        bytes[i] == b','
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.len() >= i + 4
            && bytes[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            && bytes.get(i + 4).is_none_or(|b| matches!(b, b',' | b']' | b' '))
    })?;
    let start = line[..grouped].rfind(['[', ' ']).map_or(0, |i| i + 1);
    let end = line[grouped..].find([' ', ']']).map_or(line.len(), |i| grouped + i);
    let written = line[start..end].trim_end_matches(',');
    let digits: String = written.chars().filter(char::is_ascii_digit).collect();
    Some(format!(
        "write numbers without separators: `{digits}`, not `{written}` (YAML reads each comma as the end of a value)"
    ))
}

fn signed_diff(sum: u128, total: u128) -> String {
    if sum >= total {
        format!("+{}", group_digits(sum - total))
    } else {
        format!("-{}", group_digits(total - sum))
    }
}
