//! The UI's catalogues and its sources, read as files (no browser): both catalogues hold the
//! same keys with the same placeholders; every key a page or a module asks for is in them; and
//! no page's HTML or module holds a user-visible English text outside the catalogue: the
//! pages' text nodes and labelling attributes are marked for translation, and the modules'
//! string literals that reach the DOM are keys, not prose.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use regex::Regex;
use scraper::{Html, Node};

fn web() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/adapters/http/web")
}

/// Reads a catalogue module: `"key": "text",` lines (JSON strings), comments and the braces;
/// any other line (an import among them) fails, so the format stays checkable.
fn catalogue(path: &Path) -> BTreeMap<String, String> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let entry = Regex::new(r#"^\s*("(?:[^"\\]|\\.)*")\s*:\s*("(?:[^"\\]|\\.)*"),?\s*$"#).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim_end();
        if let Some(c) = entry.captures(line) {
            let key: String = serde_json::from_str(&c[1]).unwrap();
            let value: String = serde_json::from_str(&c[2]).unwrap();
            assert!(
                out.insert(key.clone(), value).is_none(),
                "{key} twice in {}",
                path.display()
            );
        } else {
            let t = line.trim();
            let allowed =
                t.is_empty() || t.starts_with("//") || t == "export default {" || t == "};";
            assert!(allowed, "{}: unexpected line {line:?}", path.display());
        }
    }
    out
}

/// The catalogue of `lang` (`en`, `de`): its core and every part a view loads.
pub fn catalogue_of(lang: &str) -> BTreeMap<String, String> {
    let dir = web().join("static/i18n");
    let mut all = catalogue(&dir.join(format!("{lang}.js")));
    let mut files: Vec<PathBuf> = fs::read_dir(dir.join("parts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(&format!(".{lang}.js")))
        .collect();
    files.sort();
    for file in files {
        for (key, text) in catalogue(&file) {
            assert!(
                all.insert(key.clone(), text).is_none(),
                "{key} twice ({})",
                file.display()
            );
        }
    }
    all
}

fn catalogues() -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    (catalogue_of("en"), catalogue_of("de"))
}

/// The English texts of the catalogue (their parts between placeholders, of six characters
/// or more, that German says otherwise) found as words in `text`.
pub fn visible_english(
    text: &str,
    en: &BTreeMap<String, String>,
    de: &BTreeMap<String, String>,
) -> Vec<String> {
    let german: Vec<&String> = de.values().collect();
    let placeholder = Regex::new(r"\{\w+\}").unwrap();
    let mut found = BTreeSet::new();
    for (key, english) in en {
        if de.get(key) == Some(english) {
            continue;
        }
        for part in placeholder.split(english) {
            let part = part.trim_matches(|c: char| !c.is_alphanumeric());
            if part.chars().count() < 6 || german.iter().any(|g| g.contains(part)) {
                continue;
            }
            let word = Regex::new(&format!(r"(^|\W){}($|\W)", regex::escape(part))).unwrap();
            if word.is_match(text) {
                found.insert(format!("{key}: {part}"));
            }
        }
    }
    found.into_iter().collect()
}

fn placeholders(text: &str) -> BTreeSet<String> {
    Regex::new(r"\{(\w+)\}")
        .unwrap()
        .captures_iter(text)
        .map(|c| c[1].to_owned())
        .collect()
}

#[test]
fn both_catalogues_have_the_same_keys_and_placeholders() {
    let (en, de) = catalogues();
    assert!(en.len() > 100, "{} keys", en.len());
    let only_en: Vec<_> = en.keys().filter(|k| !de.contains_key(*k)).collect();
    let only_de: Vec<_> = de.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty(), "missing in de.js: {only_en:?}");
    assert!(only_de.is_empty(), "missing in en.js: {only_de:?}");
    for (key, text) in &en {
        assert_eq!(
            placeholders(text),
            placeholders(&de[key]),
            "placeholders of {key}: {text:?} vs {:?}",
            de[key]
        );
        assert!(!de[key].trim().is_empty(), "{key} is empty in de.js");
    }
}

fn modules() -> Vec<(String, String)> {
    let dir = web().join("static/js");
    let mut out: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "js"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn pages() -> Vec<(String, String)> {
    ["index", "queue", "login", "setup"]
        .iter()
        .map(|p| {
            let path = web().join(format!("{p}.html"));
            (p.to_string(), fs::read_to_string(path).unwrap())
        })
        .collect()
}

#[test]
fn every_key_the_pages_and_modules_ask_for_is_in_the_catalogue() {
    let (en, _) = catalogues();
    let mut missing = Vec::new();
    let attr = Regex::new(r#"data-i18n(?:-title)?="([^"]+)""#).unwrap();
    let attrs = Regex::new(r#"data-i18n-attr="([^"]+)""#).unwrap();
    for (name, html) in pages() {
        for c in attr.captures_iter(&html) {
            if !en.contains_key(&c[1]) {
                missing.push(format!("{name}.html: {}", &c[1]));
            }
        }
        for c in attrs.captures_iter(&html) {
            for pair in c[1].split_whitespace() {
                let key = pair.split_once(':').map_or(pair, |(_, k)| k);
                if !en.contains_key(key) {
                    missing.push(format!("{name}.html: {key}"));
                }
            }
        }
    }
    let call = Regex::new(r#"\b(t|tn)\(\s*'([\w.]+)'"#).unwrap();
    for (name, js) in modules() {
        for c in call.captures_iter(&js) {
            let key = &c[2];
            let present = if &c[1] == "tn" {
                en.contains_key(&format!("{key}.one")) && en.contains_key(&format!("{key}.other"))
            } else {
                en.contains_key(key)
            };
            if !present {
                missing.push(format!("{name}: {key}"));
            }
        }
    }
    assert!(missing.is_empty(), "keys not in en.js: {missing:#?}");
}

/// Texts that are names, not prose: they read the same in every language.
const NAMES: [&str; 6] = ["aniworld", "aniworld.to", "s.to", "×", "Deutsch", "English"];

fn prose(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().any(char::is_alphabetic) && !NAMES.contains(&t)
}

#[test]
fn no_page_holds_an_english_text_outside_the_catalogue() {
    let mut found = Vec::new();
    for (name, source) in pages() {
        let doc = Html::parse_document(&source);
        for node in doc.tree.nodes() {
            let Node::Text(text) = node.value() else {
                continue;
            };
            let Some(parent) = node
                .parent()
                .and_then(|p| p.value().as_element().map(|e| (p, e)))
            else {
                continue;
            };
            let (_, element) = parent;
            if ["script", "style", "option"].contains(&element.name()) && !prose(text) {
                continue;
            }
            if element.name() == "option" && text.trim().chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            // the title is set from `<html data-i18n-title>`
            let titled = element.name() == "title" && source.contains("data-i18n-title=\"");
            if prose(text) && element.attr("data-i18n").is_none() && !titled {
                found.push(format!(
                    "{name}.html: <{}> {:?}",
                    element.name(),
                    text.trim()
                ));
            }
        }
        for node in doc.tree.nodes() {
            let Some(element) = node.value().as_element() else {
                continue;
            };
            let marked = element.attr("data-i18n-attr").unwrap_or("");
            for attr in ["aria-label", "title", "placeholder", "alt"] {
                if let Some(value) = element.attr(attr)
                    && prose(value)
                    && !value.starts_with('/')
                    && !marked.contains(&format!("{attr}:"))
                {
                    found.push(format!("{name}.html: {attr}={value:?}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "texts outside the catalogue: {found:#?}");
}

/// A JavaScript string literal and what comes before it.
struct Literal {
    text: String,
    template: bool,
    before: String,
    after: String,
    line: usize,
}

/// The string literals of a module (comments and regular expressions skipped), each with the
/// code just before and after it on its line.
fn literals(js: &str) -> Vec<Literal> {
    let chars: Vec<char> = js.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line, mut line_start) = (0, 1, 0);
    let mut last_significant = ' ';
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            line_start = i + 1;
            i += 1;
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                if chars[i] == '\n' {
                    line += 1;
                    line_start = i + 1;
                }
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == '/' && "(,=:[!&|?{};+".contains(last_significant) {
            // a regular expression literal
            i += 1;
            let mut class = false;
            while i < chars.len() && chars[i] != '\n' {
                match chars[i] {
                    '\\' => i += 1,
                    '[' => class = true,
                    ']' => class = false,
                    '/' if !class => break,
                    _ => {}
                }
                i += 1;
            }
            i += 1;
            last_significant = 'r';
            continue;
        }
        if c == '\'' || c == '"' || c == '`' {
            let start = i;
            let before: String = chars[line_start..start].iter().collect();
            let mut text = String::new();
            let mut depth = 0;
            i += 1;
            while i < chars.len() {
                let d = chars[i];
                if d == '\\' {
                    text.push(chars.get(i + 1).copied().unwrap_or(' '));
                    i += 2;
                    continue;
                }
                if c == '`' && d == '$' && chars.get(i + 1) == Some(&'{') {
                    depth += 1;
                    text.push('\u{1}');
                    i += 2;
                    continue;
                }
                if depth > 0 {
                    if d == '{' {
                        depth += 1;
                    } else if d == '}' {
                        depth -= 1;
                    }
                    if d == '\n' {
                        line += 1;
                        line_start = i + 1;
                    }
                    i += 1;
                    continue;
                }
                if d == c {
                    break;
                }
                if d == '\n' {
                    line += 1;
                    line_start = i + 1;
                }
                text.push(d);
                i += 1;
            }
            i += 1;
            let end_of_line = chars[i.min(chars.len())..]
                .iter()
                .position(|&x| x == '\n')
                .map_or(chars.len(), |p| i + p);
            let after: String = chars[i.min(chars.len())..end_of_line].iter().collect();
            out.push(Literal {
                text,
                template: c == '`',
                before,
                after,
                line,
            });
            last_significant = 's';
            continue;
        }
        if !c.is_whitespace() {
            last_significant = c;
        }
        i += 1;
    }
    out
}

/// Whether a literal is code, not text: a key, a selector, a tag, an attribute or class, an
/// event, a storage key, a comparison, an object key, an import.
fn is_code(l: &Literal) -> bool {
    let before = l.before.trim_end();
    let after = l.after.trim_start();
    let code_calls = [
        "t(",
        "tn(",
        "languageName(",
        "h(",
        "querySelector(",
        "querySelectorAll(",
        "getElementById(",
        "closest(",
        "addEventListener(",
        "removeEventListener(",
        "CustomEvent(",
        "getItem(",
        "setItem(",
        "removeItem(",
        "add(",
        "remove(",
        "toggle(",
        "contains(",
        "getAttribute(",
        "hasAttribute(",
        "removeAttribute(",
        "startsWith(",
        "endsWith(",
        "includes(",
        "split(",
        "join(",
        "replace(",
        "matches(",
        "createElement(",
        "get(",
        "post(",
        "put(",
        "del(",
        "request(",
        "api(",
        "fetch(",
        "import(",
        "console.debug(",
        "console.warn(",
        "console.error(",
        "console.log(",
        "padStart(",
        "mark(",
        "measure(",
        "has(",
        "set(",
        "URL(",
        "URLSearchParams(",
        "encodeURIComponent(",
        "WebSocket(",
    ];
    code_calls.iter().any(|c| before.ends_with(c))
        || before.ends_with("from")
        || before.starts_with("import ")
        || before.ends_with("setAttribute(")
        || before.ends_with("===")
        || before.ends_with("!==")
        || before.ends_with("case")
        || before.ends_with("class:")
        || before.ends_with("type:")
        || before.ends_with("role:")
        || before.ends_with("method:")
        || before.ends_with('[')
        || after.starts_with("===")
        || after.starts_with("!==")
        || after.starts_with(':') && (before.ends_with('{') || before.ends_with(','))
        || after.starts_with("in ")
}

/// Names in code: the API's language values, hosters, programs, HTTP words.
const PRODUCT_NAMES: [&str; 24] = [
    "German Dub",
    "German Sub",
    "English Sub",
    "English Dub",
    "VOE",
    "Filemoon",
    "Vidmoly",
    "Doodstream",
    "Vidoza",
    "Streamtape",
    "Vidara",
    "Vidavaca",
    "Luluvdo",
    "SpeedFiles",
    "LoadX",
    "Sonarr",
    "Prowlarr",
    "Homepage",
    "Content-Type",
    "Bearer",
    "aniworld.to",
    "aniworld",
    "s.to",
    "qBittorrent",
];

fn looks_like_text(l: &Literal) -> bool {
    let mut statics: String = l.text.replace('\u{1}', " ");
    for name in PRODUCT_NAMES {
        statics = statics.replace(name, " ");
    }
    // a configuration snippet shown as code (`key: value` lines)
    if l.template && Regex::new(r"^\s*[a-z_]+:\s").unwrap().is_match(&statics) {
        return false;
    }
    if !prose(&statics) || NAMES.contains(&statics.trim()) {
        return false;
    }
    let capitalised = Regex::new(r"(^|[\s(“])[A-Z][a-z]+").unwrap();
    let words = Regex::new(r"[a-z]{3,}\s+[a-z]{2,}|\s[a-z]{3,}").unwrap();
    capitalised.is_match(&statics) || (l.template && words.is_match(&statics))
}

#[test]
fn no_module_passes_an_english_text_to_the_page() {
    let mut found = Vec::new();
    for (name, js) in modules() {
        if name == "i18n.js" {
            continue;
        }
        for l in literals(&js) {
            if !is_code(&l) && looks_like_text(&l) {
                found.push(format!(
                    "{name}:{}: {:?}",
                    l.line,
                    l.text.replace('\u{1}', "${…}")
                ));
            }
        }
    }
    assert!(found.is_empty(), "texts outside the catalogue: {found:#?}");
}

#[test]
fn the_scanner_finds_texts_and_passes_keys() {
    let js = "h('button', { class: 'ghost small', 'aria-label': t('common.dismiss') }, 'Add');\n\
              notify(`${n} series added`);\nconst ok = x === 'Foo';\n// 'Comment text'\n\
              if (/[A-Z]x/.test(p)) h('p', {}, t('a.b', { n }));";
    let texts: Vec<String> = literals(js)
        .into_iter()
        .filter(|l| !is_code(l) && looks_like_text(l))
        .map(|l| l.text.replace('\u{1}', "${…}"))
        .collect();
    assert_eq!(texts, ["Add", "${…} series added"]);
}
