//! VOE's marker strings. Since September 2026 they come from the player's loader script (the
//! `<script src="...">` right after the player's JSON): it holds an array literal of
//! two-character tokens, `['@$','^^','~@',...]`. When that script cannot be read or holds no
//! such array, the last fixed list is used.

use std::sync::LazyLock;

use regex::Regex;

/// The markers before the loader script listed them (and the fallback since).
pub(super) const FIXED_MARKERS: [&str; 7] = ["@$", "^^", "~@", "%?", "*~", "!!", "#&"];

/// An array literal of one to nine quoted two-character non-word tokens (PROVIDER.md's
/// pattern).
static TOKENS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[(?:'\W{2}'[,\]]){1,9}").expect("valid regex"));

/// The tokens of the first such array in a loader script, in order; `None` when there is none.
pub(super) fn tokens(script: &str) -> Option<Vec<String>> {
    let found = TOKENS.find(script)?;
    // The match is `[` then items of exactly five characters each: `'`, two token
    // characters, `'`, and `,` or `]`; read them by position, as a token may be `',`.
    let chars: Vec<char> = found.as_str().chars().skip(1).collect();
    let tokens: Vec<String> = chars
        .chunks_exact(5)
        .map(|item| item[1..3].iter().collect())
        .collect();
    (!tokens.is_empty()).then_some(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_array_of_a_loader_script_is_read_in_order() {
        let script = "var a=['ab','cd'],b=[\"@$\"];function x(){return 1}var m=['(]','-{','|;','?:'],n=m.length;";
        assert_eq!(tokens(script).unwrap(), ["(]", "-{", "|;", "?:"]);
    }

    #[test]
    fn tokens_that_look_like_the_array_syntax_are_read_by_position() {
        assert_eq!(tokens("x=['',','#&'],y;").unwrap(), ["',", "#&"]);
        assert_eq!(tokens("x=['€$','#&'];").unwrap(), ["€$", "#&"]);
    }

    #[test]
    fn a_script_without_such_an_array_has_no_tokens() {
        assert_eq!(tokens("var a=['ab','cd'];var b=['@$' ,'^^'];"), None);
        assert_eq!(tokens(""), None);
    }

    #[test]
    fn more_than_nine_tokens_yield_the_first_nine() {
        let script = format!("[{}'#&']", "'@$',".repeat(12));
        assert_eq!(tokens(&script).unwrap().len(), 9);
    }
}
