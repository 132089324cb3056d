//! The hostile-input suite: every family of bad input an outside review threw at pactgen, kept
//! as a regression net. Each case breaks a copy of the minimal fixture one way and runs
//! `check`, `build` and `build --minify` on it: none may crash (a panic, a stack overflow),
//! `check` and both builds must agree, and a failed build must name the problem.
//! Output-path, concurrency and scaling cases follow the table. `docs/security.md` lists the
//! families and what each guarantees.

use crate::common::*;
use std::path::Path;
use std::time::{Duration, Instant};

/// What a case must end in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Builds (warnings allowed).
    Builds,
    /// Fails with this diagnostic code in the output.
    Fails(&'static str),
}

struct Case {
    family: &'static str,
    name: String,
    edits: Vec<(String, Vec<u8>)>,
    expect: Expect,
}

fn case(family: &'static str, name: &str, edits: &[(&str, &[u8])], expect: Expect) -> Case {
    Case {
        family,
        name: name.to_string(),
        edits: edits
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect(),
        expect,
    }
}

/// A page record with `body` as its Markdown.
fn page(body: &str) -> Vec<(String, Vec<u8>)> {
    vec![(
        "content/pages/bomb.md".to_string(),
        format!("---\nid: bomb\ntitle: Bomb\n---\n{body}\n").into_bytes(),
    )]
}

fn page_case(family: &'static str, name: &str, body: &str, expect: Expect) -> Case {
    Case {
        family,
        name: name.to_string(),
        edits: page(body),
        expect,
    }
}

/// The minimal fixture's settings with raw HTML allowed.
const UNSAFE_SETTINGS: &str =
    "title: Fixture site\norganisation: org\nmarkdown:\n  unsafe_html: true\n";

const COMMITMENT: &str = "content/commitments/100001.yaml";

fn commitment_with(extra: &str) -> Vec<u8> {
    format!(
        "id: 100001\ntext: Commits.\ntype: Policy\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nsource:\n  document: doc\n{extra}"
    )
    .into_bytes()
}

fn alias_case(name: &str, alias: &str, expect: Expect) -> Case {
    Case {
        family: "aliases",
        name: name.to_string(),
        edits: vec![(
            COMMITMENT.to_string(),
            commitment_with(&format!("aliases: [{alias:?}]\n")),
        )],
        expect,
    }
}

fn id_case(name: &str, id: &str, expect: Expect) -> Case {
    Case {
        family: "unicode and reserved IDs",
        name: name.to_string(),
        edits: vec![(
            "content/pages/odd.yaml".to_string(),
            format!("id: {}\ntitle: Odd\n", serde_json::to_string(id).unwrap()).into_bytes(),
        )],
        expect,
    }
}

fn cases() -> Vec<Case> {
    use Expect::*;
    let mut out = vec![
        // --- Markdown bombs: nesting is capped (the minifier recursed and overflowed its
        // stack at about 1,100 levels), headings are counted.
        page_case("markdown", "1,100 nested quotes", &">".repeat(1100), Fails("too-deep")),
        page_case("markdown", "64 nested quotes", &format!("{} deep", ">".repeat(60)), Builds),
        page_case(
            "markdown",
            "1,000 nested list items",
            &(0..1000).map(|i| format!("{}- x", "  ".repeat(i))).collect::<Vec<_>>().join("\n"),
            Fails("too-deep"),
        ),
        page_case("markdown", "5,000 nested emphasis", &format!("{}x{}", "*".repeat(5000), "*".repeat(5000)), Fails("too-deep")),
        page_case("markdown", "unbalanced emphasis", &"*_".repeat(5000), Builds),
        page_case("markdown", "1,001 headings", &"# h\n\n".repeat(1001), Fails("too-many-headings")),
        page_case("markdown", "1,000 equal headings", &"# h\n\n".repeat(1000), Builds),
        page_case("markdown", "10,000 unclosed links", &"[a](".repeat(10_000), Builds),
        page_case("markdown", "10,000 link openers", &"[".repeat(10_000), Builds),
        page_case("markdown", "10,000 backticks", &"`".repeat(10_000), Builds),
        page_case("markdown", "a 1 MB line", &"word ".repeat(200_000), Builds),
        page_case("markdown", "2,000 footnotes", &(0..2000).map(|i| format!("x[^{i}]\n\n[^{i}]: note")).collect::<Vec<_>>().join("\n"), Builds),
        page_case("markdown", "a 500-column table", &format!("|{}\n|{}\n|{}", "a|".repeat(500), "-|".repeat(500), "1|".repeat(500)), Builds),
        page_case("markdown", "nested links in images", &"![![![![x](a)](b)](c)](d)".repeat(200), Builds),
        page_case("markdown", "script tags escaped", &"<script>alert(1)</script>".repeat(100), Builds),
        page_case("markdown", "javascript link dropped", "[x](javascript:alert(1)) ![y](javascript:alert(2))", Builds),
        page_case("markdown", "entity soup", "&#; &#x; &x; &#0; &#xFFFFFFFF; &amp &lt", Builds),
        page_case("markdown", "NUL and control characters", "a\u{0}b\u{1b}[2J\u{7}c", Builds),
        page_case("markdown", "bidi and zero-width text", "\u{202e}evil\u{202c} zero\u{200b}width", Builds),
        page_case("markdown", "a 10,000-level fenced code", &format!("```\n{}\n```", "{".repeat(10_000)), Builds),
        page_case("markdown", "heading attribute handlers", "# T {onclick=alert(1) #id .c}", Builds),
        Case {
            family: "markdown",
            name: "10,000 nested raw divs with unsafe_html".into(),
            edits: [
                ("content/site.yaml".to_string(), UNSAFE_SETTINGS.as_bytes().to_vec()),
                page(&"<div>".repeat(10_000)).remove(0),
            ]
            .into(),
            expect: Fails("too-deep"),
        },
        Case {
            family: "markdown",
            name: "unclosed raw HTML with unsafe_html".into(),
            edits: [
                ("content/site.yaml".to_string(), UNSAFE_SETTINGS.as_bytes().to_vec()),
                page("<div><section><span>open").remove(0),
            ]
            .into(),
            expect: Builds,
        },
        // --- YAML bombs.
        case("yaml", "alias bomb", &[(COMMITMENT, b"a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n")], Fails("")),
        case("yaml", "10,000 nested flow lists", &[(COMMITMENT, format!("id: {}1{}\n", "[".repeat(10_000), "]".repeat(10_000)).as_bytes())], Fails("")),
        case("yaml", "10,000 nested mappings", &[(COMMITMENT, format!("id: {}1{}\n", "{a: ".repeat(10_000), "}".repeat(10_000)).as_bytes())], Fails("")),
        case("yaml", "100,000 unknown keys", &[(COMMITMENT, (0..100_000).map(|i| format!("k{i}: 1\n")).collect::<String>().as_bytes())], Fails("")),
        case("yaml", "a 4 MB text", &[(COMMITMENT, commitment_with(&format!("aliases: []\n# {}\n", "x".repeat(4 << 20))).as_slice())], Builds),
        case("yaml", "a 9 MB file", &[(COMMITMENT, vec![b'#'; 9 << 20].as_slice())], Fails("file-too-large")),
        case("yaml", "two documents", &[(COMMITMENT, b"id: 1\n---\nid: 2\n")], Fails("")),
        case("yaml", "tabs", &[(COMMITMENT, b"id: 100001\n\ttext: x\n")], Fails("invalid-yaml")),
        case("yaml", "invalid UTF-8", &[(COMMITMENT, b"id: 100001\ntext: \xff\xfe\n")], Fails("invalid-utf8")),
        case("yaml", "NUL byte", &[(COMMITMENT, b"id: 100001\ntext: a\x00b\n")], Fails("")),
        case("yaml", "binary tag", &[(COMMITMENT, commitment_with("keywords: [!!binary aGVsbG8=]\n").as_slice())], Builds),
        case("yaml", "merge keys", &[(COMMITMENT, b"base: &b {type: Policy}\n<<: *b\nid: 100001\n")], Fails("")),
        case("yaml", "a 10,000-character key", &[(COMMITMENT, format!("{}: 1\n", "k".repeat(10_000)).as_bytes())], Fails("wrong-type")),
        case("yaml", "an empty file", &[(COMMITMENT, b"")], Fails("empty-record")),
        case("yaml", "only a BOM", &[(COMMITMENT, "\u{feff}".as_bytes())], Fails("empty-record")),
        case("yaml", "BOM and CRLF", &[(COMMITMENT, "\u{feff}id: 100001\r\ntext: Commits.\r\ntype: Policy\r\ncore_responsibilities: [3]\r\ntransformations: [\"3A\"]\r\nsource:\r\n  document: doc\r\n".as_bytes())], Builds),
        case("yaml", "a number too large", &[(COMMITMENT, b"id: 99999999999999999999999\n")], Fails("")),
        case("yaml", "site.yaml of 9 MB", &[("content/site.yaml", vec![b'#'; 9 << 20].as_slice())], Fails("file-too-large")),
        case("yaml", "front matter never closed", &[("content/pages/x.md", b"---\nid: x\ntitle: X\n")], Fails("unclosed-front-matter")),
        // --- Numbers: funding sums are 128-bit (they wrapped around).
        case("numbers", "funding values that overflow 64 bits", &[("content/funding-tables/region-a.yaml", b"id: region-a\ntitle: Region A\ncolumns: [A, B]\nrows:\n  - label: X\n    values: [18446744073709551615, 1]\n    total: 0\ntotal:\n  values: [18446744073709551615, 1]\n  total: 0\nsource:\n  document: doc\n")], Fails("table-arithmetic")),
        case("numbers", "the largest funding value", &[("content/funding-tables/region-a.yaml", b"id: region-a\ntitle: Region A\ncolumns: [A]\nrows:\n  - label: X\n    values: [18446744073709551615]\n    total: 18446744073709551615\ntotal:\n  values: [18446744073709551615]\n  total: 18446744073709551615\nsource:\n  document: doc\n"), ("content/funding-tables/overview.yaml", b"id: overview\ntitle: Overview\ncolumns: [A]\nrows:\n  - label: Region A\n    values: [18446744073709551615]\n    total: 18446744073709551615\n    table: region-a\ntotal:\n  values: [18446744073709551615]\n  total: 18446744073709551615\nsource:\n  document: doc\n")], Builds),
        case("numbers", "a negative value", &[("content/funding-tables/region-a.yaml", b"id: region-a\ntitle: Region A\ncolumns: [A]\nrows:\n  - label: X\n    values: [-1]\n    total: -1\ntotal:\n  values: [-1]\n  total: -1\nsource:\n  document: doc\n")], Fails("")),
        case("numbers", "commitment ID zero", &[(COMMITMENT, b"id: 0\ntext: x\ntype: Policy\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nsource:\n  document: doc\n")], Fails("invalid-id")),
        // --- Keywords: capped per record and in length (each is a page and a folder name).
        case("keywords", "51 keywords", &[(COMMITMENT, commitment_with(&format!("keywords: [{}]\n", (0..51).map(|i| format!("k{i}")).collect::<Vec<_>>().join(", "))).as_slice())], Fails("too-many-keywords")),
        case("keywords", "50 keywords", &[(COMMITMENT, commitment_with(&format!("keywords: [{}]\n", (0..50).map(|i| format!("k{i}")).collect::<Vec<_>>().join(", "))).as_slice())], Builds),
        case("keywords", "a 300-character keyword", &[(COMMITMENT, commitment_with(&format!("keywords: [{}]\n", "k".repeat(300))).as_slice())], Fails("long-keyword")),
        case("keywords", "a keyword without letters", &[(COMMITMENT, commitment_with("keywords: [\"—\", \"...\"]\n").as_slice())], Builds),
        case("keywords", "keywords differing by case", &[(COMMITMENT, commitment_with("keywords: [Data, DATA, data]\n").as_slice())], Builds),
        // --- Output paths a record may claim.
        case("output paths", "page ID robots.txt", &[("content/pages/r.md", b"---\nid: robots.txt\ntitle: R\n---\nx\n")], Fails("url-collision")),
        case("output paths", "page ID sitemap.xml", &[("content/pages/r.md", b"---\nid: sitemap.xml\ntitle: R\n---\nx\n")], Fails("url-collision")),
        case("output paths", "page ID index.html", &[("content/pages/r.md", b"---\nid: index.html\ntitle: R\n---\nx\n")], Fails("url-collision")),
        case("output paths", "page ID style.css", &[("content/pages/r.md", b"---\nid: style.css\ntitle: R\n---\nx\n")], Fails("url-collision")),
        case("output paths", "page ID 404.html", &[("content/pages/r.md", b"---\nid: 404.html\ntitle: R\n---\nx\n")], Fails("url-collision")),
        case("output paths", "page ID atom.xml", &[("content/pages/r.md", b"---\nid: atom.xml\ntitle: R\n---\nx\n")], Fails("url-collision")),
        case("output paths", "page ID search", &[("content/pages/r.md", b"---\nid: search\ntitle: R\n---\nx\n")], Fails("url-collision")),
        case("output paths", "page ID commitments", &[("content/pages/r.md", b"---\nid: commitments\ntitle: R\n---\nx\n")], Fails("url-collision")),
        case("output paths", "page ID js", &[("content/pages/r.md", b"---\nid: js\ntitle: R\n---\nx\n")], Fails("url-collision")),
        case("output paths", "static file named like a page", &[("static/about", b"x")], Fails("url-collision")),
        case("output paths", "page ID of a site static file", &[("static/notes.txt", b"x"), ("content/pages/r.md", b"---\nid: notes.txt\ntitle: R\n---\nx\n")], Fails("url-collision")),
    ];
    // --- Aliases.
    for (name, alias, expect) in [
        ("Windows device name", "/con/", Fails("bad-alias")),
        (
            "device name with extension",
            "/old/LPT1.txt/",
            Fails("bad-alias"),
        ),
        ("another host", "//evil.example/x/", Fails("bad-alias")),
        ("empty segment", "/a//b/", Fails("bad-alias")),
        ("parent segment", "/../x/", Fails("bad-alias")),
        ("percent-encoded parent", "/%2e%2e/x/", Fails("bad-alias")),
        ("backslash", "/a\\b/", Fails("bad-alias")),
        ("space", "/a b/", Fails("bad-alias")),
        ("query", "/a?b=1/", Fails("bad-alias")),
        ("home page", "/", Fails("bad-alias")),
        ("sitemap", "/sitemap.xml", Fails("bad-alias")),
        ("home page file", "/index.html", Fails("bad-alias")),
        ("not-found page", "/404.html", Fails("bad-alias")),
        ("stylesheet", "/style.css", Fails("bad-alias")),
        ("under the stylesheet", "/style.css/x/", Fails("bad-alias")),
        ("a script", "/js/filter.js/", Fails("bad-alias")),
        (
            "a page's JSON",
            "/commitments/100002/index.json/",
            Fails("bad-alias"),
        ),
        ("embed pages", "/embed/x/", Fails("bad-alias")),
        ("data exports", "/data/", Fails("bad-alias")),
        ("search", "/search/", Fails("bad-alias")),
        ("keyword index", "/keywords/", Fails("bad-alias")),
        (
            "a facet page",
            "/commitments/type/policy/",
            Fails("bad-alias"),
        ),
        ("its own page", "/commitments/100001/", Fails("bad-alias")),
        (
            "another record's page",
            "/commitments/100002/",
            Fails("bad-alias"),
        ),
        (
            "a 200-character segment",
            &format!("/{}/", "a".repeat(200)),
            Fails("bad-alias"),
        ),
        ("an ordinary old path", "/old/commitment-1/", Builds),
        ("upper case", "/Old/Path/", Builds),
    ] {
        out.push(alias_case(name, alias, expect));
    }
    out.push(case(
        "aliases",
        "one alias on two records",
        &[
            (
                COMMITMENT,
                commitment_with("aliases: [/old/x/]\n").as_slice(),
            ),
            (
                "content/pages/about.md",
                b"---\nid: about\ntitle: About\naliases: [/old/x/]\n---\nx\n",
            ),
        ],
        Fails("bad-alias"),
    ));
    // --- IDs: ASCII letters, digits, `-`, `_`, `.` only, so none of these reach a path.
    for (name, id) in [
        ("NUL", "a\u{0}b"),
        (
            "escape sequences",
            "bad\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{1b}[31m",
        ),
        ("bidi override", "abc\u{202e}txt.exe"),
        ("zero-width space", "ab\u{200b}c"),
        ("NFC é", "caf\u{e9}"),
        ("NFD é", "cafe\u{301}"),
        ("Cyrillic a", "\u{430}bout"),
        ("full-width letters", "\u{ff41}\u{ff42}"),
        ("emoji", "\u{1f600}"),
        ("device name", "con"),
        ("device name upper case", "NUL"),
        ("device name with extension", "com1.txt"),
        ("leading dot", ".hidden"),
        ("dot dot", "a..b"),
        ("slash", "a/b"),
        ("backslash", "a\\b"),
        ("percent", "%2e%2e"),
        ("101 characters", &"a".repeat(101)),
        ("space", "a b"),
    ] {
        out.push(id_case(name, id, Fails("invalid-id")));
    }
    out.push(id_case("empty", "", Fails("empty-value")));
    out.push(id_case("100 characters", &"a".repeat(100), Builds));
    // --- Links and references.
    out.extend([
        case("references", "10,000 unknown commitments in one list", &[("content/initiatives/big.yaml", format!("id: big\nname: Big\ncommitments: [{}]\nsource:\n  document: doc\n", (1..=10_000).map(|i| (500_000 + i).to_string()).collect::<Vec<_>>().join(", ")).as_bytes())], Fails("unknown-reference")),
        case("references", "a section that is its own parent", &[("content/sections/doc/loop.yaml", b"id: loop\ndocument: doc\nparent: loop\ntitle: Loop\nsource:\n  document: doc\n")], Fails("parent-cycle")),
        case("references", "typed link to an unknown kind", &[("content/pages/about.md", b"---\nid: about\ntitle: About\n---\n[x](comitment:1) [y](initiatives:dtm)\n")], Fails("bad-link")),
        case("references", "typed link with an empty ID", &[("content/pages/about.md", b"---\nid: about\ntitle: About\n---\n[x](initiative:)\n")], Fails("broken-link")),
        case("references", "menu link to a script", &[("content/site.yaml", b"title: T\norganisation: org\nmenu:\n  - title: X\n    link: \"javascript:alert(1)\"\n")], Fails("dangerous-link")),
        case("references", "website that is not a web address", &[("content/organisations/org.yaml", b"id: org\nname: Org\nwebsite: \"javascript:alert(1)\"\nsource:\n  document: doc\n")], Fails("bad-url")),
    ]);
    out
}

/// Whether an exit code is a crash: a panic (101) or a signal (a stack overflow aborts).
fn crashed(code: i32) -> bool {
    !(0..=2).contains(&code)
}

#[test]
fn hostile_inputs_never_crash_and_check_agrees_with_build() {
    let cases = cases();
    let mut failures = Vec::new();
    let mut by_family: std::collections::BTreeMap<&str, usize> = Default::default();
    let started = Instant::now();
    for case in &cases {
        *by_family.entry(case.family).or_default() += 1;
        let site = TestSite::fixture("minimal");
        for (path, bytes) in &case.edits {
            site.write(path, bytes);
        }
        let check = site.run(&["check"]);
        let build = site.run(&["build", "-o", "public"]);
        let minified = site.run(&["build", "--minify", "-o", "public-min"]);
        let label = format!("[{}] {}", case.family, case.name);
        for (what, run) in [
            ("check", &check),
            ("build", &build),
            ("build --minify", &minified),
        ] {
            if crashed(run.code) || run.stderr.contains("panicked") {
                failures.push(format!(
                    "{label}: `{what}` crashed (exit {}):\n{}",
                    run.code, run.stderr
                ));
            }
            // Whatever a record holds, nothing but colour codes reaches the terminal.
            if run.stderr.contains('\u{1b}') || run.stderr.contains('\u{7}') {
                failures.push(format!("{label}: `{what}` printed a control character"));
            }
        }
        if check.code != build.code || build.code != minified.code {
            failures.push(format!(
                "{label}: check exit {}, build exit {}, build --minify exit {}:\n{}\n{}",
                check.code, build.code, minified.code, check.stderr, build.stderr
            ));
            continue;
        }
        match case.expect {
            Expect::Builds if build.code != 0 => {
                failures.push(format!("{label}: expected a build, got:\n{}", build.stderr))
            }
            Expect::Fails(code) if build.code != 1 => failures.push(format!(
                "{label}: expected an error `{code}`, got exit {}",
                build.code
            )),
            Expect::Fails(code) if !check.stderr.contains(&format!("error[{code}")) => failures
                .push(format!(
                    "{label}: expected error `{code}`, got:\n{}",
                    check.stderr
                )),
            Expect::Fails(_) if site.path("public").exists() => {
                failures.push(format!("{label}: a failed build wrote public/"))
            }
            _ => {}
        }
    }
    println!(
        "{} hostile inputs in {:.1} s, by family: {by_family:?}",
        cases.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Every file under `dir`, with its bytes (to prove a folder untouched).
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    snapshot_tree(dir)
}

#[cfg(unix)]
#[test]
fn output_through_symbolic_links_never_deletes_the_site() {
    use std::os::unix::fs::symlink;
    let site = TestSite::fixture("minimal");
    let root = site.root();
    let content = tree(&root.join("content"));
    let themes = tree(&root.join("themes"));
    std::fs::create_dir_all(root.join("www")).unwrap();
    std::fs::write(root.join("www/.htaccess"), "ErrorDocument 404 /404.html\n").unwrap();
    symlink("content", root.join("out")).unwrap();
    symlink(".", root.join("self")).unwrap();
    symlink("content", root.join("lnk")).unwrap();
    symlink("themes", root.join("thm")).unwrap();
    symlink("www", root.join("public")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    symlink(elsewhere.path(), root.join("deploy")).unwrap();
    std::fs::create_dir_all(root.join("notes")).unwrap();
    std::fs::write(root.join("notes/todo.txt"), "keep me").unwrap();
    for (output, why) in [
        ("out", "is the site's `content/` folder"),
        ("self", "the site's own folder"),
        ("lnk/public", "inside the site's `content/` folder"),
        ("thm", "is the site's `themes/` folder"),
        ("public", "symbolic link"),
        ("content", "is the site's `content/` folder"),
        ("content/x", "inside the site's `content/` folder"),
        ("themes/default", "inside the site's `themes/` folder"),
        (".", "the site's own folder"),
        ("..", "holds the site's own folder"),
        ("notes", "no site built by pactgen"),
        ("notes/todo.txt", "is a file"),
    ] {
        let run = site.run(&["build", "-o", output]);
        assert_eq!(run.code, 1, "-o {output}:\n{}", run.stderr);
        assert!(
            run.stderr.contains("error[unsafe-output]") && run.stderr.contains(why),
            "-o {output}:\n{}",
            run.stderr
        );
        assert_eq!(
            tree(&root.join("content")),
            content,
            "-o {output} changed content/"
        );
        assert_eq!(
            tree(&root.join("themes")),
            themes,
            "-o {output} changed themes/"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("www/.htaccess")).unwrap(),
            "ErrorDocument 404 /404.html\n"
        );
        assert!(
            root.join("public").is_symlink(),
            "-o {output} replaced the link"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("notes/todo.txt")).unwrap(),
            "keep me"
        );
    }
    // The link's target holds a file and no site: refused by name too. Its `.htaccess` moved
    // into the site's `static/`, the folder is built, and every later build keeps the file.
    let run = site.run(&["build", "-o", "www"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("no site built by pactgen"),
        "{}",
        run.stderr
    );
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::rename(root.join("www/.htaccess"), root.join("static/.htaccess")).unwrap();
    for _ in 0..2 {
        let run = site.run(&["build", "-o", "www"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(root.join("www/index.html").is_file());
        assert!(root.join("www/.htaccess").is_file());
    }
    assert!(root.join("public").is_symlink());
    // A path through a link that leads outside the site: staged and swapped there.
    let run = site.run(&["build", "-o", "deploy/site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(elsewhere.path().join("site/index.html").is_file());
    assert!(root.join("deploy").is_symlink());
    assert_eq!(tree(&root.join("content")), content);
}

#[cfg(unix)]
#[test]
fn special_files_under_content_are_skipped_or_reported() {
    use std::os::unix::fs::symlink;
    let site = TestSite::fixture("minimal");
    let root = site.root();
    // A FIFO named like a record: reading it would block the build forever.
    let fifo = root.join("content/commitments/fifo.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    symlink("/dev/zero", root.join("content/pages/zero.md")).unwrap();
    symlink(
        "no-such-file.yaml",
        root.join("content/pages/dangling.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/pages/folder.md")).unwrap();
    let started = Instant::now();
    let run = site.run(&["check"]);
    assert!(started.elapsed() < Duration::from_secs(20), "check hung");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[unreadable]") && run.stderr.contains("dangling.yaml"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("fifo.yaml") && !run.stderr.contains("zero.md"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(root.join("content/pages/dangling.yaml")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn file_names_with_control_characters_are_printed_safely() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/pages/\u{1b}[2J\u{7}.yaml",
        "id: \"x\u{1b}]0;T\u{7}\"\ntitle: X\n",
    );
    for color in ["never", "always"] {
        let run = site.run(&["--color", color, "check"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("\\u{1b}[2J\\u{7}.yaml"),
            "{}",
            run.stderr
        );
        // With colour, only SGR sequences (`ESC [ digits ; ... m`) may appear.
        let mut rest = run.stderr.as_str();
        while let Some(i) = rest.find('\u{1b}') {
            let seq: String = rest[i + 1..]
                .chars()
                .take_while(|c| !c.is_ascii_alphabetic())
                .collect();
            let end = rest[i + 1 + seq.len()..].chars().next();
            assert!(
                seq.starts_with('[')
                    && end == Some('m')
                    && seq[1..].chars().all(|c| c.is_ascii_digit() || c == ';'),
                "escape sequence {seq:?}{end:?} in:\n{}",
                run.stderr
            );
            rest = &rest[i + 1..];
        }
        assert!(!run.stderr.contains('\u{7}'));
    }
}

fn spawn_build(site: &TestSite) -> std::process::Child {
    std::process::Command::new(bin())
        .args(["build", "-o", "public"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn pactgen")
}

/// Two builds into one output: the second waits for the first (it names it), and both
/// publish the whole site. Without the lock, the second removed the first one's staging
/// folder as a leftover and the first swapped in half a site.
#[cfg(unix)]
#[test]
fn overlapping_builds_into_one_output_both_publish_the_whole_site() {
    let site = TestSite::fixture("minimal");
    for i in 0..1500 {
        let id = 300_000 + i;
        site.write(
            &format!("content/commitments/{id}.yaml"),
            format!("id: {id}\ntext: Commitment {i}.\ntype: Policy\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nsource:\n  document: doc\n"),
        );
    }
    let reference = site.run(&["build", "-o", "reference"]);
    assert_eq!(reference.code, 0, "{}", reference.stderr);
    let expected = tree(&site.path("reference")).len();
    for round in 0..3 {
        let a = spawn_build(&site);
        let a_id = a.id();
        // Pause A once it holds the output (its staging folder exists).
        let deadline = Instant::now() + Duration::from_secs(30);
        while !std::fs::read_dir(site.root())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(".public.tmp-"))
        {
            assert!(Instant::now() < deadline, "build A never started");
            std::thread::sleep(Duration::from_millis(2));
        }
        let _ = std::process::Command::new("kill")
            .args(["-STOP", &a_id.to_string()])
            .status();
        let b = spawn_build(&site);
        std::thread::sleep(Duration::from_millis(300));
        let _ = std::process::Command::new("kill")
            .args(["-CONT", &a_id.to_string()])
            .status();
        let a_out = a.wait_with_output().unwrap();
        let b_out = b.wait_with_output().unwrap();
        assert!(
            a_out.status.success(),
            "round {round} A: {}",
            String::from_utf8_lossy(&a_out.stderr)
        );
        assert!(
            b_out.status.success(),
            "round {round} B: {}",
            String::from_utf8_lossy(&b_out.stderr)
        );
        let b_err = String::from_utf8_lossy(&b_out.stderr);
        assert!(
            b_err.contains(&format!("(process {a_id}) is writing public; waiting")),
            "round {round}: {b_err}"
        );
        assert_eq!(
            tree(&site.path("public")).len(),
            expected,
            "round {round}: files missing"
        );
    }
}
