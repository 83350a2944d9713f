//! The classic JavaScript "packer" (`eval(function(p,a,c,k,e,d){...}('<p>',<a>,<c>,'<k>'.split('|')...))`)
//! undone without a JavaScript engine: every word token of `<p>` is a number in base `<a>`
//! indexing the `|`-separated words `<k>`, and is replaced by that word when it is not empty.

use std::sync::LazyLock;

use regex::Regex;

/// The arguments of a packed script: `}('<p>',<a>,<c>,'<k>'.split('|')`, strings single-quoted
/// with backslash escapes.
static PACKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?s)eval\(function\(p,a,c,k,e,[dr]\)\{.*?\}\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*'((?:[^'\\]|\\.)*)'\.split\(\s*'\|'\s*\)"#,
    )
    .expect("valid regex")
});

/// A word token as JavaScript's `\b\w+\b` sees it (ASCII letters, digits and `_`).
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)[0-9A-Za-z_]+(?-u:\b)").expect("valid regex"));

/// Every packed script in `page`, unpacked, in page order. Scripts whose arguments make no
/// sense (a base outside 2..=62) are skipped.
pub(in crate::adapters::hosters) fn unpack_all(page: &str) -> Vec<String> {
    PACKED
        .captures_iter(page)
        .filter_map(|c| {
            let base = c[2].parse().ok()?;
            unpack(&unescape(&c[1]), base, &unescape(&c[4]))
        })
        .collect()
}

/// The most an unpacked script may grow to: a crafted page could repeat one index a million
/// times over a word a megabyte long.
const MAX_UNPACKED: usize = 4 * 1024 * 1024;

/// `payload` with each word token that is a number in `base` replaced by the word it indexes
/// (when that word is not empty); `None` for a base the packer cannot have used, or when the
/// result would pass [`MAX_UNPACKED`].
pub(in crate::adapters::hosters) fn unpack(
    payload: &str,
    base: u32,
    words: &str,
) -> Option<String> {
    if !(2..=62).contains(&base) {
        return None;
    }
    let words: Vec<&str> = words.split('|').collect();
    let mut out = String::with_capacity(payload.len().min(MAX_UNPACKED));
    let mut last = 0;
    for token in WORD.find_iter(payload) {
        let word = parse_number(token.as_str(), base)
            .and_then(|i| words.get(i))
            .filter(|w| !w.is_empty())
            .map_or(token.as_str(), |w| w);
        if out.len() + (token.start() - last) + word.len() > MAX_UNPACKED {
            return None;
        }
        out.push_str(&payload[last..token.start()]);
        out.push_str(word);
        last = token.end();
    }
    if out.len() + (payload.len() - last) > MAX_UNPACKED {
        return None;
    }
    out.push_str(&payload[last..]);
    Some(out)
}

/// A token read as a number in `base` with the digits `0-9a-zA-Z`; `None` when a character
/// is no digit of that base or the number overflows.
fn parse_number(token: &str, base: u32) -> Option<usize> {
    token.chars().try_fold(0usize, |n, ch| {
        let digit = match ch {
            '0'..='9' => ch as u32 - '0' as u32,
            'a'..='z' => ch as u32 - 'a' as u32 + 10,
            'A'..='Z' => ch as u32 - 'A' as u32 + 36,
            _ => return None,
        };
        if digit >= base {
            return None;
        }
        n.checked_mul(base as usize)?.checked_add(digit as usize)
    })
}

/// A single-quoted JavaScript string's content without its backslash escapes.
fn unescape(quoted: &str) -> String {
    let mut out = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_numbers_in_the_given_base_indexing_the_word_list() {
        let words = "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven";
        assert_eq!(
            unpack("0 1.b(a)", 12, words).unwrap(),
            "zero one.eleven(ten)"
        );
    }

    #[test]
    fn bases_above_36_use_upper_case_digits_after_lower_case_ones() {
        assert_eq!(parse_number("z", 62), Some(35));
        assert_eq!(parse_number("A", 62), Some(36));
        assert_eq!(parse_number("Z", 62), Some(61));
        assert_eq!(parse_number("10", 62), Some(62));
        assert_eq!(parse_number("A", 36), None);
    }

    #[test]
    fn an_empty_word_an_index_past_the_list_or_a_non_digit_leaves_the_token() {
        assert_eq!(unpack("0 1 9 x_y", 10, "a||b").unwrap(), "a 1 9 x_y");
    }

    #[test]
    fn a_base_the_packer_cannot_use_is_refused_and_overflow_is_no_panic() {
        assert_eq!(unpack("0", 1, "a"), None);
        assert_eq!(unpack("0", 63, "a"), None);
        assert_eq!(parse_number(&"Z".repeat(40), 62), None);
    }

    #[test]
    fn a_packed_script_in_a_page_is_found_and_unpacked_with_its_escapes() {
        let page = r#"<script>eval(function(p,a,c,k,e,d){e=function(c){return c};if(!''.replace(/^/,String)){while(c--){d[c]=k[c]||c}k=[function(e){return d[e]}];e=function(){return'\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\b'+e(c)+'\\b','g'),k[c])}}return p}('0 1=\'2\';',3,3,'var|x|it\'s'.split('|'),0,{}))</script>"#;
        assert_eq!(unpack_all(page), vec!["var x='it's';".to_owned()]);
    }

    #[test]
    fn a_page_without_a_packed_script_or_with_a_cut_one_unpacks_to_nothing() {
        assert!(unpack_all("<script>var a = 1;</script>").is_empty());
        assert!(unpack_all("eval(function(p,a,c,k,e,d){}('0 1',3,3,'a|b").is_empty());
        assert!(unpack_all("eval(function(p,a,c,k,e,d){}('0',99,1,'a'.split('|')))").is_empty());
    }
}
