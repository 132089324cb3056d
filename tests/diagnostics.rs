//! Every diagnostic, pinned: each case breaks the minimal fixture one way, runs `pactgen check`
//! and snapshots stderr (file, line, column, source line with a marker, field and hint).

mod common;
use common::*;

/// Applies `edits` to a fresh copy of the minimal fixture, runs `check`, asserts exit code 1
/// (or `expect_code`) and returns stderr.
fn check_with(edits: &[(&str, &[u8])]) -> String {
    let site = TestSite::fixture("minimal");
    for (path, content) in edits {
        site.write(path, content);
    }
    let run = site.run(&["check"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.code, 1, "expected errors:\n{}", run.stderr);
    run.stderr
}

macro_rules! diag_case {
    ($name:ident, $edits:expr) => {
        #[test]
        fn $name() {
            let stderr = check_with($edits);
            insta::assert_snapshot!(stringify!($name), stderr);
        }
    };
}

const TRANSFORMATION: &str = "content/transformations/3a.yaml";
const COMMITMENT: &str = "content/commitments/100001.yaml";

diag_case!(unknown_fields_all_reported_with_hints, &[(TRANSFORMATION, b"id: \"3A\"\ntitel: Reduce and address displacement\ncore_responsibility: 3\ncolour: blue\nsource:\n  document: doc\n")]);
diag_case!(unknown_nested_field, &[(TRANSFORMATION, b"id: \"3A\"\ntitle: Reduce\ncore_responsibility: 3\nsource:\n  document: doc\n  sectoin: x\n")]);
diag_case!(missing_required_field, &[(COMMITMENT, b"id: 100001\ntext: Commits.\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nsource:\n  document: doc\n")]);
diag_case!(wrong_type, &[(COMMITMENT, b"id: 100001\ntext: Commits.\ntype: Policy\ncore_responsibilities: three\ntransformations: [\"3A\"]\nsource:\n  document: doc\n")]);
diag_case!(invalid_enum_value, &[(COMMITMENT, b"id: 100001\ntext: Commits.\ntype: Operatonal\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nsource:\n  document: doc\n")]);
diag_case!(duplicate_id_across_yaml_and_md, &[("content/commitments/copy.md", b"---\nid: 100001\ntext: Again.\ntype: Policy\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nsource:\n  document: doc\n---\nBody.\n")]);
diag_case!(
    ids_differing_only_by_case_collide,
    &[(
        "content/organisations/upper.yaml",
        b"id: ORG\nname: Shouting Organisation\nsource:\n  document: doc\n"
    )]
);
diag_case!(unknown_reference_names_known_ids, &[(COMMITMENT, b"id: 100001\ntext: Commits.\ntype: Policy\ncore_responsibilities: [3]\ntransformations: [\"3B\"]\ninitiatives: [dtn]\nsource:\n  document: doc\n")]);
diag_case!(broken_typed_links, &[("content/pages/about.md", b"---\nid: about\ntitle: About\n---\nSee [the matrix](initiative:dtn), [this](initiatives:dtm) and [a report](report:2018/3A).\n")]);
diag_case!(
    url_collision_with_generated_page,
    &[(
        "content/pages/clash.md",
        b"---\nid: commitments\ntitle: Clash\n---\nText.\n"
    )]
);
diag_case!(
    invalid_yaml,
    &[(
        TRANSFORMATION,
        b"id: \"3A\ntitle: Reduce\ncore_responsibility: 3\n"
    )]
);
diag_case!(
    tab_indentation,
    &[(
        TRANSFORMATION,
        b"id: \"3A\"\ntitle: Reduce\ncore_responsibility: 3\nsource:\n\tdocument: doc\n"
    )]
);
diag_case!(
    invalid_utf8,
    &[(
        TRANSFORMATION,
        b"id: \"3A\"\ntitle: R\xe9duire\ncore_responsibility: 3\n"
    )]
);
diag_case!(empty_file, &[(TRANSFORMATION, b"")]);
diag_case!(
    markdown_without_front_matter,
    &[("content/pages/about.md", b"# About\n\nNo front matter.\n")]
);
diag_case!(
    unclosed_front_matter,
    &[(
        "content/pages/about.md",
        b"---\nid: about\ntitle: About\n\nBody never separated.\n"
    )]
);
diag_case!(
    unknown_content_folder,
    &[("content/comitments/1.yaml", b"id: 1\n")]
);
diag_case!(template_syntax_error, &[("templates/commitment.html", b"{% extends \"base.html\" %}\n{% block content %}\n{% if page.title %}\n<h1>{{ page.title }}</h1>\n{% endblock content %}\n")]);
diag_case!(template_render_error, &[("templates/commitment.html", b"{% extends \"base.html\" %}\n{% block content %}{{ page.no_such_field.value }}{% endblock content %}\n")]);
diag_case!(
    missing_theme,
    &[(
        "content/site.yaml",
        b"title: Fixture site\norganisation: org\ntheme: fancy\n"
    )]
);
diag_case!(section_parent_cycle, &[("content/sections/doc/chapter.md", b"---\nid: chapter\ndocument: doc\nparent: part\ntitle: Chapter one\nsource:\n  document: doc\n---\nText.\n")]);
diag_case!(funding_table_arithmetic, &[("content/funding-tables/region-a.yaml", b"id: region-a\ntitle: Region A\ncolumns: [Principle 1, Objective 1]\nrows:\n  - label: Country X\n    values: [100, null]\n    total: 110\n  - label: Country Y\n    values: [null]\n    total: 200\ntotal:\n  values: [100, 250]\n  total: 350\nsource:\n  document: doc\n")]);
diag_case!(
    id_escaping_the_output,
    &[
        (
            "content/initiatives/evil.yaml",
            b"id: ../../etc/passwd\nname: Evil\nsource:\n  document: doc\n"
        ),
        (
            "content/pages/nul.md",
            b"---\nid: nul\ntitle: Reserved\n---\n"
        )
    ]
);
diag_case!(
    transformation_code_and_core_responsibility_disagree,
    &[
        (
            TRANSFORMATION,
            b"id: \"3A\"\ntitle: Reduce\ncore_responsibility: 4\nsource:\n  document: doc\n"
        ),
        (
            "content/core-responsibilities/4.yaml",
            b"id: 4\ntitle: Change People's Lives\nsource:\n  document: doc\n"
        )
    ]
);
diag_case!(
    broken_menu_link,
    &[(
        "content/site.yaml",
        b"title: Fixture site\norganisation: org\nmenu:\n  - title: About\n    link: page:abuot\n"
    )]
);
diag_case!(many_errors_reported_at_once, &[
    (TRANSFORMATION, b"id: \"3A\"\ntitle: Reduce\ncore_responsibility: 3\nsource:\n  document: doc\n  note: ok\nextra: 1\n"),
    ("content/core-commitments/cc-01.yaml", b"id: cc-01\ntext: Commit.\ncore_responsibilities: three\nsource:\n  document: doc\n"),
    ("content/glossary/acronyms.yaml", b"id: acronyms\ntitle: [unclosed\n"),
]);

#[test]
fn bom_and_crlf_are_accepted() {
    let site = TestSite::fixture("minimal");
    site.write(TRANSFORMATION, b"\xef\xbb\xbfid: \"3A\"\r\ntitle: Reduce and address displacement\r\ncore_responsibility: 3\r\nsource:\r\n  document: doc\r\n");
    site.write(
        "content/pages/about.md",
        b"\xef\xbb\xbf---\r\nid: about\r\ntitle: About\r\n---\r\nWindows line ends.\r\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.read("public/about/index.html")
            .contains("Windows line ends.")
    );
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let mut bomb = String::from(
        "id: \"3A\"\ntitle: Reduce\ncore_responsibility: 3\nsource:\n  document: doc\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, prev) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().enumerate() {
        let name = ["b", "c", "d", "e", "f", "g", "h", "i"][i];
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    let start = std::time::Instant::now();
    let stderr = check_with(&[(TRANSFORMATION, bomb.as_bytes())]);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    assert!(
        stderr.contains("content/transformations/3a.yaml"),
        "{stderr}"
    );
}
