//! The home page's context: the reader's tasks, the transformations with what each holds,
//! the latest self-reports and the charts.

use super::views::*;
use super::*;

impl<'a> Renderer<'a> {
    /// The home page: the reader's tasks first, then the transformations with what each
    /// holds, the latest self-reports, the charts and the sources.
    pub(super) fn home_page(&self) -> Value {
        let org = self.org_name();
        let count = |kind: Kind| self.site.of_kind(kind).count();
        let mut crs: Vec<&Record> = self.site.of_kind(Kind::CoreResponsibility).collect();
        sort_records(&mut crs);
        let pillars: Vec<Value> = crs
            .iter()
            .map(|cr| {
                let mut ts: Vec<&Record> = self
                    .links
                    .incoming
                    .get(&cr.key)
                    .into_iter()
                    .flatten()
                    .filter(|k| k.kind == Kind::Transformation)
                    .filter_map(|k| self.site.records.get(k))
                    .collect();
                sort_records(&mut ts);
                let ts: Vec<Value> = ts
                    .into_iter()
                    .map(|t| {
                        let related = self.links.related(&t.key);
                        json!({
                            "link": self.link(&t.key),
                            "commitments": related.get(&Kind::Commitment).map_or(0, |s| s.len()),
                            "reports": self.report_years(&related),
                        })
                    })
                    .collect();
                json!({"link": self.link(&cr.key), "transformations": ts})
            })
            .collect();
        let latest_year = self
            .site
            .of_kind(Kind::Report)
            .filter_map(|r| match &r.data {
                RecordData::Report(rep) => Some(rep.year),
                _ => None,
            })
            .max();
        let latest_reports: Vec<Value> = latest_year
            .map(|year| {
                self.list_items(Kind::Report)
                    .into_iter()
                    .filter(|item| item["data"]["year"] == json!(year))
                    .map(|item| {
                        json!({"title": item["transformation_title"], "url": item["link"]["url"]})
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut tasks = Vec::new();
        let mut task = |title: String, text: String, path: String| {
            tasks.push(json!({"title": title, "text": text, "url": self.settings.url(&path)}));
        };
        if count(Kind::Commitment) > 0 {
            task(
                "Find a commitment".into(),
                format!(
                    "All {} of {org}'s commitments, filtered by transformation, type or initiative",
                    group_digits(count(Kind::Commitment))
                ),
                paths::kind_index(Kind::Commitment),
            );
        }
        if count(Kind::Transformation) > 0 {
            task(
                "Browse the transformations".into(),
                "What was committed and reported under each, on one page".into(),
                paths::kind_index(Kind::Transformation),
            );
        }
        if let Some(year) = latest_year {
            task(
                format!("Read the {year} self-reports"),
                format!("{org}'s answers to the yearly reporting form, by transformation"),
                paths::report_year(year),
            );
        }
        if count(Kind::Initiative) > 0 {
            task(
                "See the initiatives".into(),
                format!(
                    "{} programmes and tools such as data platforms and frameworks",
                    group_digits(count(Kind::Initiative))
                ),
                paths::kind_index(Kind::Initiative),
            );
        }
        if count(Kind::FundingTable) > 0 {
            task(
                "Funding requirements".into(),
                "What the appeal asks for, by region and country".into(),
                paths::kind_index(Kind::FundingTable),
            );
        }
        let charts = self.home_charts();
        let funding_note = charts.iter().any(|c| c["unit"] == "money").then(|| {
            "The funding charts come from the funding appeal, a different document from the \
                 commitments and self-reports: its figures are requirements for the appeal's \
                 year, not the cost of the commitments."
                .to_string()
        });
        json!({
            "title": self.site.config.title,
            "counts": self.counts(),
            "tasks": tasks,
            "pillars": pillars,
            "latest_year": latest_year,
            "latest_reports": latest_reports,
            "documents": self.list_items(Kind::Document),
            "charts": charts,
            "funding_note": funding_note,
        })
    }
}
