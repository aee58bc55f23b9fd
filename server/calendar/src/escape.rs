//! Turning user-typed text into property and parameter values that cannot break the format.
//!
//! Every value that reaches the output goes through one of the `push_*` functions here, so a
//! CR, LF or other control character typed by a user can never end a content line early.
//! Policy (the tests check the round-trip against it):
//! - control characters (Unicode `Cc`: U+0000–U+001F, U+007F–U+009F) are removed,
//!   except that a tab becomes a space and line breaks are handled as below;
//! - a line break (CRLF, CR, LF, U+2028, U+2029) stays a line break (`\n`) in multi-line
//!   TEXT values such as DESCRIPTION, and becomes a space everywhere else.

/// What a user-typed line break becomes in a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Breaks {
    /// Kept, as the TEXT escape `\n` (DESCRIPTION).
    Keep,
    /// Replaced by a space (SUMMARY, LOCATION, names: clients show them on one line).
    ToSpace,
}

/// Appends `input` as an RFC 5545 §3.3.11 TEXT value: `\` `;` `,` are backslash-escaped,
/// line breaks follow `breaks`, other control characters are dropped.
pub(crate) fn push_text(out: &mut String, input: &str, breaks: Breaks) {
    let newline = match breaks {
        Breaks::Keep => "\\n",
        Breaks::ToSpace => " ",
    };
    // Copy unchanged runs in one go; only special characters are handled one by one.
    let mut run_start = 0;
    let mut after_cr = false;
    for (i, c) in input.char_indices() {
        let replacement = match c {
            '\\' => "\\\\",
            ';' => "\\;",
            ',' => "\\,",
            // The LF of a CRLF pair was already emitted with its CR.
            '\n' if after_cr => "",
            '\r' | '\n' | '\u{2028}' | '\u{2029}' => newline,
            '\t' => " ",
            c if c.is_control() => "",
            _ => {
                after_cr = false;
                continue;
            }
        };
        after_cr = c == '\r';
        out.push_str(&input[run_start..i]);
        out.push_str(replacement);
        run_start = i + c.len_utf8();
    }
    out.push_str(&input[run_start..]);
}

/// Appends `input` as one item of a TEXT list (CATEGORIES), on one line. A `\` becomes `/`:
/// ical.js splits lists at any comma preceded by a backslash-less character, so an item ending
/// in an (escaped) backslash would swallow the next item there.
pub(crate) fn push_text_list_item(out: &mut String, input: &str) {
    if input.contains('\\') {
        push_text(out, &input.replace('\\', "/"), Breaks::ToSpace);
    } else {
        push_text(out, input, Breaks::ToSpace);
    }
}

/// Appends `input` as a DQUOTE-wrapped parameter value (e.g. `CN="…"`).
///
/// RFC 5545 §3.2 has no escapes inside a quoted parameter: only `"` and control characters are
/// forbidden. A `"` becomes `'` (readable by every client, unlike RFC 6868's `^'`, which Outlook
/// shows verbatim). A `^` is doubled only where an RFC 6868 reader (ical.js, Apple) would
/// otherwise decode it (`^n`, `^'`, `^^`), so both kinds of reader show the original text.
/// A `\` becomes `/`: ical.js wrongly unescapes parameters like TEXT and then misplaces the end
/// of the parameter (`CN="\,:"` makes it read the wrong value), and no spelling of a backslash
/// means the same to it and to RFC 5545 readers.
pub(crate) fn push_quoted_param(out: &mut String, input: &str) {
    let mut cleaned = String::with_capacity(input.len());
    push_plain(&mut cleaned, input);
    out.push('"');
    let mut chars = cleaned.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push('\''),
            '\\' => out.push('/'),
            '^' if matches!(chars.peek(), Some('n' | '\'' | '"' | '^')) => out.push_str("^^"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends a URI value (URL, `mailto:`): no TEXT escaping applies to URIs, so control characters
/// are dropped and spaces percent-encoded, which keeps the value a single URI token.
pub(crate) fn push_uri(out: &mut String, input: &str) {
    for c in input.trim().chars() {
        match c {
            ' ' => out.push_str("%20"),
            c if c.is_control() || is_line_separator(c) => {}
            c => out.push(c),
        }
    }
}

/// True when `input` has something left to show once cleaned (used to skip empty values).
pub(crate) fn has_visible_text(input: &str) -> bool {
    input.chars().any(|c| !c.is_control() && !c.is_whitespace() && !is_line_separator(c))
}

/// Single-line text with control characters removed, without TEXT escaping.
fn push_plain(out: &mut String, input: &str) {
    let mut after_cr = false;
    for c in input.chars() {
        match c {
            '\n' if after_cr => {}
            '\r' | '\n' | '\t' => out.push(' '),
            c if is_line_separator(c) => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
        after_cr = c == '\r';
    }
}

fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(input: &str, breaks: Breaks) -> String {
        let mut out = String::new();
        push_text(&mut out, input, breaks);
        out
    }

    fn param(input: &str) -> String {
        let mut out = String::new();
        push_quoted_param(&mut out, input);
        out
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma() {
        assert_eq!(text(r"a\b;c,d:e", Breaks::Keep), r"a\\b\;c\,d:e", "colon is not escaped in TEXT");
    }

    #[test]
    fn text_line_breaks_become_one_escaped_newline_each() {
        assert_eq!(text("a\r\nb\nc\rd\u{2028}e", Breaks::Keep), r"a\nb\nc\nd\ne");
        assert_eq!(text("a\r\n\r\nb", Breaks::Keep), r"a\n\nb");
    }

    #[test]
    fn text_line_breaks_become_spaces_in_single_line_values() {
        assert_eq!(text("Atelier\r\nCV\nlettre", Breaks::ToSpace), "Atelier CV lettre");
    }

    #[test]
    fn text_drops_control_characters_and_turns_tabs_into_spaces() {
        assert_eq!(text("a\u{0}b\u{7}c\u{1b}[0m\u{7f}\u{85}\u{9f}d\te", Breaks::Keep), "abc[0md e");
    }

    #[test]
    fn text_keeps_accents_and_emoji() {
        assert_eq!(text("Café 🎉 — l’atelier « CV »", Breaks::Keep), "Café 🎉 — l’atelier « CV »");
    }

    #[test]
    fn quoted_param_cannot_close_its_quotes_or_line() {
        assert_eq!(param("Léa \"La\" Martin\r\n;X=1:"), "\"Léa 'La' Martin ;X=1:\"");
    }

    #[test]
    fn list_items_have_no_backslash_to_glue_them_together() {
        let mut out = String::new();
        push_text_list_item(&mut out, "CDD\\CDI, temps\\");
        assert_eq!(out, "CDD/CDI\\, temps/");
    }

    #[test]
    fn quoted_param_has_no_backslash_for_icaljs_to_misread() {
        assert_eq!(param("a\\,:b"), "\"a/,:b\"");
    }

    #[test]
    fn quoted_param_guards_rfc6868_sequences_only() {
        assert_eq!(param("a^b"), "\"a^b\"");
        assert_eq!(param("a^nb ^^ ^'"), "\"a^^nb ^^^ ^^'\"");
        assert_eq!(param("a^\"b"), "\"a^^'b\"");
    }

    #[test]
    fn uri_drops_controls_and_encodes_spaces() {
        let mut out = String::new();
        push_uri(&mut out, " https://x.example/a b\r\nc\u{0} ");
        assert_eq!(out, "https://x.example/a%20bc");
    }

    #[test]
    fn visible_text_ignores_controls_and_blanks() {
        assert!(!has_visible_text(" \r\n\t\u{0}\u{2028}"));
        assert!(has_visible_text(" x "));
    }
}
