//! One tokenizer: the Rust one (`src/search/tokenize.rs`) makes the index, the browser's
//! (`themes/default/static/js/search.js`, run here in Node.js) makes the query's terms, the
//! snippets and the highlighting from the rules the index carries. Both run on the same texts
//! (every content file of the bundled site, a list of hard cases and 3,000 random strings over
//! accented, ligature, non-Latin, digit, punctuation and astral characters) for English and
//! for a language without rules, and must give the same terms from the same stretches of text.

use crate::common::*;
use pactgen::internals::search::Rules;
use std::process::Command;

/// Hard cases: accents and ligatures of the folding table, letters outside it, digits,
/// apostrophes, plurals, stopwords, lengths at the limits, characters outside the Basic
/// Multilingual Plane, combining marks, case mappings that change length.
const CASES: &[&str] = &[
    "Côte d'Ivoire, DTM 200010 and the 3A",
    "Ōsaka Ýr Straße Æsir Œuvre Łódź Ørsted Þingvellir Ðakovo ĳssel ǅemal",
    "Việt Nam Nguyễn Thị Minh Khai — Hà Nội",
    "İstanbul ıspanak ΣΟΦΙΑ σοφίας Ωмега Москва العربية 中文 日本語 한국어",
    "communities displacements processes crisis status bus gas analyses series abilities",
    "IOM's commitments: the organisation's; don't can't l'État",
    "a b 1 22 333 x9 9x e-PHR emm2.0 cc-01 2017/3A 10.7.2",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "e\u{301}te\u{301} cafe\u{301} n\u{303}",
    "𝐁𝐨𝐥𝐝 math 𝟏𝟐 emoji 😀 ok 𠜎 han",
    "½ ² ③ Ⅻ ٣ ४ full-width ＡＢＣ１２",
    "ﬁnance ﬂow ﬀ",
    "   ",
    "",
];

/// A small deterministic generator (xorshift), so a failure always repeats.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn random_texts(n: usize) -> Vec<String> {
    let alphabet: Vec<char> = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789    -'.,/éÉèçÇñÑøØßæÆœŒłŁıİýÝōŌţșȘđĐþÞǅǈẞẠạỳỹσΣςωΩжЖдДאبت中語한ｱＡ１½²③Ⅻ٣\u{301}\u{303}😀𝐁𠜎ﬁ_\t\n"
        .chars()
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|_| {
            let len = (rng.next() % 40) as usize;
            (0..len)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect()
        })
        .collect()
}

/// Each text's terms with the stretch of text each came from, by the Rust tokenizer.
fn rust_terms(rules: &Rules, texts: &[String]) -> Vec<Vec<(String, String)>> {
    texts
        .iter()
        .map(|text| {
            let mut out = Vec::new();
            rules.for_each_word(text, &mut String::new(), |w, chars, range| {
                if let Some(t) = rules.term(w, chars) {
                    out.push((t.into_owned(), text[range].to_string()));
                }
            });
            out
        })
        .collect()
}

const NODE_SCRIPT: &str = r#"
const fs = require("fs");
const { Tokenizer } = require(process.argv[1]);
const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const t = new Tokenizer(input.rules);
const out = input.texts.map((text) => t.terms(text).map((w) => [w.term, text.slice(w.start, w.end)]));
fs.writeFileSync(process.argv[3], JSON.stringify(out));
"#;

fn js_terms(rules: &Rules, texts: &[String]) -> Vec<Vec<(String, String)>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("input.json");
    let output = dir.path().join("output.json");
    let json = serde_json::json!({ "rules": rules.to_json(), "texts": texts });
    std::fs::write(&input, serde_json::to_vec(&json).expect("JSON")).expect("write input");
    let run = Command::new(tools::node())
        .arg("-e")
        .arg(NODE_SCRIPT)
        .arg(repo().join("themes/default/static/js/search.js"))
        .arg(&input)
        .arg(&output)
        .output()
        .expect("run node");
    assert!(
        run.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&std::fs::read(&output).expect("read output")).expect("JSON output")
}

fn content_texts() -> Vec<String> {
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("content")).sort_by_file_name() {
        let entry = entry.expect("walk content");
        if entry.file_type().is_file() {
            texts.push(std::fs::read_to_string(entry.path()).expect("read content"));
        }
    }
    texts
}

fn compare(language: &str, texts: &[String]) -> usize {
    let rules = Rules::for_language(language);
    let rust = rust_terms(&rules, texts);
    let js = js_terms(&rules, texts);
    assert_eq!(rust.len(), js.len());
    let mut terms = 0;
    for ((text, r), j) in texts.iter().zip(&rust).zip(&js) {
        assert_eq!(r, j, "{language}: Rust and JavaScript disagree on {text:?}");
        terms += r.len();
    }
    terms
}

#[test]
fn rust_and_javascript_make_the_same_terms() {
    let mut texts: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    texts.extend(random_texts(3_000));
    texts.extend(content_texts());
    let english = compare("en", &texts);
    let other = compare("fr", &texts);
    println!("{english} English terms and {other} terms without rules agree");
    assert!(english > 50_000, "only {english} terms compared");
    // The hard cases fold as the docs say.
    let en = Rules::for_language("en");
    assert_eq!(
        en.terms(CASES[1]),
        [
            "osaka",
            "yr",
            "strasse",
            "aesir",
            "oeuvre",
            "lodz",
            "orsted",
            "thingvellir",
            "dakovo",
            "ijssel",
            "dzemal"
        ]
    );
}
