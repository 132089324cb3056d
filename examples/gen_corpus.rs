//! Deterministic synthetic corpus for benchmarks (issue 6).
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --commitments 1000 --out /tmp/site [--hugo /tmp/hugo-site] [--seed 42]
//! ```
//!
//! Writes a complete pactgen site into `--out` (`content/` and a copy of the repository's
//! `themes/`, written by the library's site writer): N commitments spread over 24 transformations of 5 core responsibilities, 40
//! keywords (three per commitment), 20 initiatives, one self-report per transformation and year
//! (2017-2020), 3 documents, 10 core commitments, an organisation and an about page. Each
//! commitment's Markdown body is about 300 words with headings, a list, a table and typed links.
//! With `--hugo DIR` the same commitments are also written as a Hugo site with minimal
//! templates (`transformations` and `keywords` as taxonomies).
//!
//! The same arguments always give byte-identical files. `content/` and `themes/` under `--out`
//! (and `content/`, `layouts/`, `config.toml` under `--hugo`) are replaced; nothing else is touched.

use pactgen::Kind;
use pactgen::internals::model::{MenuItem, SiteConfig};
use pactgen::internals::site_files::{Fields, SiteWriter, copy_tree};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Generator settings.
#[derive(Debug, Clone)]
pub struct Options {
    pub commitments: u32,
    pub out: PathBuf,
    pub hugo: Option<PathBuf>,
    pub seed: u64,
}

/// First commitment ID; IDs are `FIRST_ID..FIRST_ID + N`.
pub const FIRST_ID: u32 = 200_001;
/// Letters per core responsibility: 24 transformations in all.
const LETTERS: [usize; 5] = [5, 5, 5, 5, 4];
const YEARS: [u16; 4] = [2017, 2018, 2019, 2020];
const TYPES: [&str; 4] = ["Operational", "Policy", "Advocacy", "Financial"];
const DOCUMENTS: [(&str, &str, u16); 3] = [
    (
        "synthetic-commitments",
        "Synthetic commitments register",
        2019,
    ),
    ("synthetic-self-reports", "Synthetic self-reports", 2020),
    (
        "synthetic-initiatives",
        "Synthetic initiatives overview",
        2019,
    ),
];

const KEYWORDS: [&str; 40] = [
    "Data",
    "Displacement",
    "Protection",
    "Cash transfers",
    "Disaster Risk Reduction",
    "Localization",
    "Gender equality",
    "Education",
    "Health",
    "Shelter",
    "Water and sanitation",
    "Food security",
    "Climate change",
    "Early warning",
    "Preparedness",
    "Resilience",
    "Accountability",
    "Youth",
    "Disability inclusion",
    "Mental health",
    "Livelihoods",
    "Camp management",
    "Durable solutions",
    "Host communities",
    "Humanitarian financing",
    "Pooled funds",
    "Risk analysis",
    "Migration",
    "Border management",
    "Urban response",
    "Peacebuilding",
    "Social cohesion",
    "Coordination",
    "Partnerships",
    "Innovation",
    "Digital identity",
    "Logistics",
    "Nutrition",
    "Child protection",
    "Anticipatory action",
];

const WORDS: [&str; 96] = [
    "community",
    "response",
    "partners",
    "local",
    "national",
    "regional",
    "capacity",
    "support",
    "coordination",
    "assessment",
    "data",
    "analysis",
    "displaced",
    "people",
    "households",
    "services",
    "access",
    "protection",
    "programme",
    "framework",
    "guidance",
    "tools",
    "training",
    "field",
    "offices",
    "governments",
    "authorities",
    "funding",
    "flexible",
    "multi-year",
    "planning",
    "monitoring",
    "evaluation",
    "reporting",
    "results",
    "outcomes",
    "risk",
    "reduction",
    "preparedness",
    "early",
    "action",
    "recovery",
    "transition",
    "development",
    "humanitarian",
    "actors",
    "crisis",
    "affected",
    "populations",
    "inclusive",
    "women",
    "girls",
    "youth",
    "older",
    "persons",
    "disabilities",
    "shelter",
    "health",
    "water",
    "sanitation",
    "education",
    "livelihoods",
    "markets",
    "cash",
    "transfers",
    "systems",
    "information",
    "management",
    "sharing",
    "platforms",
    "networks",
    "strengthen",
    "improve",
    "expand",
    "develop",
    "deliver",
    "ensure",
    "promote",
    "engage",
    "advocate",
    "policy",
    "operational",
    "global",
    "country",
    "level",
    "collective",
    "joint",
    "needs",
    "solutions",
    "durable",
    "mobility",
    "borders",
    "climate",
    "environment",
    "resilience",
    "accountability",
];

/// splitmix64: tiny, fast, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
    /// `n` words, lower case, separated by spaces.
    fn words(&mut self, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.word());
        }
        s
    }
    /// A sentence of `lo..=hi` words: capitalised, ending with a full stop.
    fn sentence(&mut self, lo: usize, hi: usize) -> String {
        let n = self.range(lo, hi);
        capitalise(&self.words(n)) + "."
    }
    /// Sentences until at least `words` words.
    fn paragraph(&mut self, words: usize) -> String {
        let mut out = String::new();
        let mut count = 0;
        while count < words {
            let s = self.sentence(8, 16);
            count += s.split_whitespace().count();
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s);
        }
        out
    }
    /// `k` distinct indices below `n`, in drawing order.
    fn distinct(&mut self, k: usize, n: usize) -> Vec<usize> {
        let mut v = Vec::with_capacity(k);
        while v.len() < k {
            let i = self.below(n);
            if !v.contains(&i) {
                v.push(i);
            }
        }
        v
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn title_case(s: &str) -> String {
    s.split(' ').map(capitalise).collect::<Vec<_>>().join(" ")
}

/// The 24 transformation codes `1A` ... `5D`.
pub fn transformation_codes() -> Vec<String> {
    let mut v = Vec::new();
    for (cr, &n) in LETTERS.iter().enumerate() {
        for l in 0..n {
            v.push(format!("{}{}", cr + 1, (b'A' + l as u8) as char));
        }
    }
    v
}

struct Initiative {
    slug: String,
    name: String,
}

/// Everything drawn before the per-file writing, so pactgen and Hugo bodies agree.
struct Corpus {
    codes: Vec<String>,
    initiatives: Vec<Initiative>,
    commitments: Vec<CommitmentData>,
}

struct CommitmentData {
    id: u32,
    text: String,
    kind: &'static str,
    transformations: Vec<String>,
    core_responsibilities: Vec<u8>,
    initiatives: Vec<usize>,
    keywords: Vec<&'static str>,
    document: &'static str,
    body: String,
}

fn yaml_list<T: std::fmt::Display>(items: &[T], quote: bool) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|i| {
            if quote {
                format!("\"{i}\"")
            } else {
                i.to_string()
            }
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

fn make_corpus(opts: &Options) -> Corpus {
    let mut rng = Rng::new(opts.seed);
    let codes = transformation_codes();
    let initiatives: Vec<Initiative> = (0..20)
        .map(|i| Initiative {
            slug: format!("initiative-{:02}", i + 1),
            name: title_case(&rng.words(3)),
        })
        .collect();
    let n = opts.commitments.max(1);
    let mut commitments = Vec::with_capacity(n as usize);
    for i in 0..n {
        let id = FIRST_ID + i;
        // Round-robin primary transformation (every one gets commitments), a second one for
        // about a third of them.
        let mut ts = vec![codes[i as usize % codes.len()].clone()];
        if rng.below(3) == 0 {
            let other = codes[rng.below(codes.len())].clone();
            if !ts.contains(&other) {
                ts.push(other);
            }
        }
        let mut crs: Vec<u8> = ts.iter().map(|t| t.as_bytes()[0] - b'0').collect();
        crs.sort_unstable();
        crs.dedup();
        let n_inits = rng.range(1, 2);
        let inits = rng.distinct(n_inits, initiatives.len());
        let keywords: Vec<&'static str> = rng
            .distinct(3, KEYWORDS.len())
            .into_iter()
            .map(|k| KEYWORDS[k])
            .collect();
        let n_words = rng.range(6, 10);
        let text = format!(
            "We commit to {} and {}",
            rng.words(n_words),
            rng.sentence(6, 12).to_lowercase()
        );
        let body = make_body(&mut rng, id, n, &ts, &inits, &initiatives);
        commitments.push(CommitmentData {
            id,
            text,
            kind: TYPES[rng.below(TYPES.len())],
            transformations: ts,
            core_responsibilities: crs,
            initiatives: inits,
            keywords,
            document: DOCUMENTS[rng.below(DOCUMENTS.len())].0,
            body,
        });
    }
    Corpus {
        codes,
        initiatives,
        commitments,
    }
}

/// A different existing commitment ID (itself when N = 1).
fn other_commitment(rng: &mut Rng, id: u32, n: u32) -> u32 {
    if n == 1 {
        return id;
    }
    let mut o = FIRST_ID + rng.below(n as usize) as u32;
    if o == id {
        o = if o + 1 < FIRST_ID + n {
            o + 1
        } else {
            FIRST_ID
        };
    }
    o
}

/// About 300 words of Markdown: two headings, paragraphs, a list, a table, typed links.
fn make_body(
    rng: &mut Rng,
    id: u32,
    n: u32,
    ts: &[String],
    inits: &[usize],
    initiatives: &[Initiative],
) -> String {
    let mut b = String::new();
    let init = &initiatives[inits[0]];
    let t = &ts[0];
    let _ = writeln!(b, "## {}\n", title_case(&rng.words(4)));
    let _ = writeln!(
        b,
        "{} Through [{}](initiative:{}) we work under [{t}](transformation:{t}) to {}. {}\n",
        rng.paragraph(25),
        init.name,
        init.slug,
        rng.words(8),
        rng.paragraph(12),
    );
    let _ = writeln!(b, "### {}\n", title_case(&rng.words(3)));
    for k in 0..4 {
        let item = rng.sentence(8, 12);
        match k {
            1 => {
                let o = other_commitment(rng, id, n);
                let _ = writeln!(b, "- {item} See [commitment {o}](commitment:{o}).");
            }
            2 => {
                let extra = &initiatives[inits[inits.len() - 1]];
                let _ = writeln!(
                    b,
                    "- {item} With [{}](initiative:{}).",
                    extra.name, extra.slug
                );
            }
            _ => {
                let _ = writeln!(b, "- {item}");
            }
        }
    }
    b.push('\n');
    let _ = writeln!(b, "| Year | Target | Reached | Note |");
    let _ = writeln!(b, "|---|---:|---:|---|");
    for y in YEARS {
        let target = rng.range(10, 500);
        let reached = rng.range(0, target);
        let _ = writeln!(b, "| {y} | {target} | {reached} | {} |", rng.words(2));
    }
    b.push('\n');
    let o = other_commitment(rng, id, n);
    let last = ts.last().expect("one transformation");
    let _ = writeln!(
        b,
        "{} Progress is shared with [commitment {o}](commitment:{o}) and reported under [{last}](transformation:{last}). {}\n",
        rng.paragraph(45),
        rng.paragraph(20),
    );
    let _ = writeln!(b, "{}", rng.paragraph(40));
    b
}

fn write(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

fn reset_dir(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// A record's `source:` block.
fn source(document: &str, section: &str) -> Fields {
    Fields::new()
        .with("document", document)
        .with("section", section)
}

/// Writes the pactgen site (and the Hugo site when asked).
pub fn generate(opts: &Options) -> io::Result<()> {
    let corpus = make_corpus(opts);
    let mut rng = Rng::new(opts.seed ^ 0x5EED_0F5E_C04D);
    reset_dir(&opts.out.join("content"))?;
    reset_dir(&opts.out.join("themes"))?;
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"),
        &opts.out.join("themes"),
    )?;
    let site = SiteWriter::into_folder(&opts.out);

    let mut config = SiteConfig::new("pactgen benchmark corpus");
    config.description =
        "A synthetic, deterministic corpus of humanitarian commitments for benchmarks.".into();
    config.organisation = Some("synth".into());
    for (title, link) in [
        ("Commitments", "/commitments/"),
        ("Transformations", "/transformations/"),
        ("Self-reports", "/reports/"),
        ("Initiatives", "/initiatives/"),
        ("About", "page:about"),
    ] {
        config.menu.push(MenuItem {
            title: title.into(),
            link: link.into(),
        });
    }
    site.settings(&config)?;
    site.record(
        Kind::Organisation,
        "synth",
        &Fields::new()
            .with("id", "synth")
            .with("name", "Synthetic Humanitarian Organisation")
            .with("acronym", "SHO")
            .with("type", "NGO")
            .with("website", "https://example.org")
            .with(
                "source",
                source("synthetic-commitments", "Stakeholder information"),
            ),
    )?;
    for (id, title, year) in DOCUMENTS {
        site.record(
            Kind::Document,
            id,
            &Fields::new()
                .with("id", id)
                .with("title", title)
                .with("publisher", "Synthetic Humanitarian Organisation")
                .with("year", year)
                .with("description", format!("{}\n", rng.paragraph(30))),
        )?;
    }
    for cr in 1..=5 {
        site.record(
            Kind::CoreResponsibility,
            &cr.to_string(),
            &Fields::new()
                .with("id", cr)
                .with("title", title_case(&rng.words(5)))
                .with(
                    "source",
                    source("synthetic-commitments", "Core responsibilities"),
                ),
        )?;
    }
    for code in &corpus.codes {
        site.record(
            Kind::Transformation,
            &code.to_lowercase(),
            &Fields::new()
                .with("id", code)
                .with("title", capitalise(&rng.words(4)))
                .with("core_responsibility", core_responsibility(code))
                .with("source", source("synthetic-commitments", code)),
        )?;
    }
    for i in 0..10 {
        let code = &corpus.codes[(i * 5) % corpus.codes.len()];
        let id = format!("cc-{:02}", i + 1);
        site.record(
            Kind::CoreCommitment,
            &id,
            &Fields::new()
                .with("id", &id)
                .with("text", format!("Commit to {}.", rng.words(14)))
                .with("core_responsibilities", [core_responsibility(code)])
                .with("transformations", [code])
                .with(
                    "source",
                    source("synthetic-commitments", "Core commitments"),
                ),
        )?;
    }
    for (i, init) in corpus.initiatives.iter().enumerate() {
        let ts = [
            &corpus.codes[i % corpus.codes.len()],
            &corpus.codes[(i * 7 + 3) % corpus.codes.len()],
        ];
        let mut ts: Vec<&String> = ts.to_vec();
        ts.dedup();
        let acronym: String = init
            .name
            .split(' ')
            .filter_map(|w| w.chars().next())
            .collect();
        let body = format!(
            "{}\n\nIt contributes to [{}](transformation:{}).\n",
            rng.paragraph(60),
            ts[0],
            ts[0]
        );
        site.markdown_record(
            Kind::Initiative,
            &init.slug,
            &Fields::new()
                .with("id", &init.slug)
                .with("name", &init.name)
                .with("acronym", acronym.to_uppercase())
                .with("url", format!("https://example.org/{}", init.slug))
                .with("transformations", &ts)
                .with("source", source("synthetic-initiatives", &init.name)),
            &body,
        )?;
    }
    for year in YEARS {
        for code in &corpus.codes {
            let init = &corpus.initiatives[rng.below(corpus.initiatives.len())];
            let kw = KEYWORDS[rng.below(KEYWORDS.len())];
            let actions = format!(
                "{} See [{}](initiative:{}).\n",
                rng.paragraph(50),
                init.name,
                init.slug
            );
            let assessment = format!("{}\n", rng.paragraph(20));
            let impact = format!("{}\n", rng.paragraph(20));
            let plans = format!("{}\n", rng.paragraph(30));
            site.record(
                Kind::Report,
                &format!("{year}/{}", code.to_lowercase()),
                &Fields::new()
                    .with("year", year)
                    .with("transformation", code)
                    .with("actions", actions)
                    .with(
                        "progress_measures",
                        ["Through existing internal systems for monitoring and reporting."],
                    )
                    .with("progress_assessment", assessment)
                    .with("challenges", ["Funding amounts", "Data and analysis"])
                    .with("challenges_impact", impact)
                    .with("plans", plans)
                    .with("keywords", [kw])
                    .with("source", source("synthetic-self-reports", code)),
            )?;
        }
    }
    let body = format!(
        "{}\n\nSee [the first commitment](commitment:{FIRST_ID}) and [{}](transformation:{}).\n",
        rng.paragraph(40),
        corpus.codes[0],
        corpus.codes[0]
    );
    site.markdown_record(
        Kind::Page,
        "about",
        &Fields::new()
            .with("id", "about")
            .with("title", "About this corpus")
            .with("description", "A synthetic corpus for benchmarks."),
        &body,
    )?;
    for c in &corpus.commitments {
        let inits: Vec<&str> = c
            .initiatives
            .iter()
            .map(|&i| corpus.initiatives[i].slug.as_str())
            .collect();
        site.markdown_record(
            Kind::Commitment,
            &c.id.to_string(),
            &Fields::new()
                .with("id", c.id)
                .with("text", &c.text)
                .with("type", c.kind)
                .with("core_responsibilities", &c.core_responsibilities)
                .with("transformations", &c.transformations)
                .with("initiatives", &inits)
                .with("keywords", &c.keywords)
                .with("source", source(c.document, &c.transformations[0])),
            &c.body,
        )?;
    }
    if let Some(hugo) = &opts.hugo {
        write_hugo(hugo, &corpus)?;
    }
    Ok(())
}

/// The core responsibility a transformation code belongs to: its digit (`3A` → 3).
fn core_responsibility(code: &str) -> u8 {
    code.as_bytes()[0] - b'0'
}

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/commitments/" | relURL }}">Commitments</a> <a href="{{ "/transformations/" | relURL }}">Transformations</a> <a href="{{ "/keywords/" | relURL }}">Keywords</a></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<blockquote>{{ .Params.description | markdownify }}</blockquote>
<dl>
<dt>Transformations</dt><dd>{{ range $i, $t := .GetTerms "transformations" }}{{ if $i }}; {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</dd>
<dt>Keywords</dt><dd>{{ range $i, $t := .GetTerms "keywords" }}{{ if $i }}; {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</dd>
</dl>
<div class="md">{{ .Content }}</div>
</article>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ end }}
"#;

const HUGO_TERM: &str = r#"{{ define "main" }}
<h1>{{ .Data.Singular | humanize }} {{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ with .Params.description }} <span>{{ . }}</span>{{ end }}</li>{{ end }}</ul>
{{ end }}
"#;

/// Typed links (`commitment:200005`, `transformation:3A`, `initiative:x`) become site paths.
const HUGO_RENDER_LINK: &str = r#"{{- $u := urls.Parse .Destination -}}
{{- $href := .Destination -}}
{{- if in (slice "commitment" "transformation" "initiative") $u.Scheme -}}
{{- $href = printf "/%ss/%s/" $u.Scheme (lower $u.Opaque) | relURL -}}
{{- end -}}
<a href="{{ $href | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>
{{- /* */ -}}
"#;

fn write_hugo(dir: &Path, corpus: &Corpus) -> io::Result<()> {
    reset_dir(&dir.join("content"))?;
    reset_dir(&dir.join("layouts"))?;
    write(
        &dir.join("config.toml"),
        "baseURL = \"https://example.org/\"\n\
         title = \"pactgen benchmark corpus\"\n\
         languageCode = \"en\"\n\
         [taxonomies]\n\
         \x20 transformation = \"transformations\"\n\
         \x20 keyword = \"keywords\"\n",
    )?;
    let layouts = dir.join("layouts");
    write(&layouts.join("_default/baseof.html"), HUGO_BASEOF)?;
    write(&layouts.join("_default/single.html"), HUGO_SINGLE)?;
    write(&layouts.join("_default/list.html"), HUGO_LIST)?;
    write(&layouts.join("taxonomy/term.html"), HUGO_TERM)?;
    write(
        &layouts.join("_default/_markup/render-link.html"),
        HUGO_RENDER_LINK,
    )?;
    write(
        &dir.join("content/commitments/_index.md"),
        "---\ntitle: Commitments\n---\n",
    )?;
    for c in &corpus.commitments {
        let text = format!(
            "---\ntitle: \"Commitment {}\"\ndescription: \"{}\"\ncommitment_type: {}\ntransformations: {}\nkeywords: {}\n---\n{}",
            c.id,
            c.text,
            c.kind,
            yaml_list(&c.transformations, true),
            yaml_list(&c.keywords, true),
            c.body
        );
        write(&dir.join(format!("content/commitments/{}.md", c.id)), &text)?;
    }
    Ok(())
}

fn usage() -> ! {
    eprintln!(
        "usage: gen_corpus --commitments N --out DIR [--hugo DIR] [--seed S]\n\
         writes a deterministic synthetic pactgen site (and optionally a Hugo site)"
    );
    std::process::exit(2)
}

fn parse_args(args: impl Iterator<Item = String>) -> Options {
    let mut opts = Options {
        commitments: 1000,
        out: PathBuf::new(),
        hugo: None,
        seed: 42,
    };
    let mut args = args;
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--commitments" | "-n" => {
                opts.commitments = value().parse().unwrap_or_else(|_| usage());
            }
            "--out" | "-o" => opts.out = PathBuf::from(value()),
            "--hugo" => opts.hugo = Some(PathBuf::from(value())),
            "--seed" => opts.seed = value().parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    if opts.out.as_os_str().is_empty() || opts.commitments == 0 {
        usage();
    }
    opts
}

#[allow(dead_code)]
fn main() {
    let opts = parse_args(std::env::args().skip(1));
    if let Err(e) = generate(&opts) {
        eprintln!("gen_corpus: {e}");
        std::process::exit(1);
    }
    eprintln!(
        "wrote {} commitments to {}{}",
        opts.commitments,
        opts.out.display(),
        opts.hugo
            .as_ref()
            .map(|h| format!(" and a Hugo site to {}", h.display()))
            .unwrap_or_default()
    );
}
