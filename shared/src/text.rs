//! What free text the API and the forms accept, as rules and as the same rules written as
//! regular expressions for the OpenAPI document (ECMA-262, the dialect of JSON Schema). The
//! classes are spelled out: `\s` does not mean the same characters in every regex engine.

/// Only whitespace (Unicode White_Space, what `str::trim` removes), or nothing.
pub fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Holds a control character (Unicode Cc: U+0000–U+001F, U+007F–U+009F).
pub fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Holds a control character other than a tab or a line break (text over several lines).
pub fn has_control_beyond_lines(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The characters of [`has_control`], as the inside of a regex class.
const CONTROL: &str = r"\u0000-\u001f\u007f-\u009f";
/// Whitespace that is not a control character, as the inside of a regex class.
const SPACE: &str = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// One line: no control character ([`has_control`]) and not blank ([`is_blank`]).
pub fn line_pattern() -> String {
    format!("^[^{CONTROL}]*[^{CONTROL}{SPACE}][^{CONTROL}]*$")
}

/// No control character ([`has_control`]); may be blank.
pub fn no_control_pattern() -> String {
    format!("^[^{CONTROL}]*$")
}

/// Several lines: no control character but tabs and line breaks ([`has_control_beyond_lines`]).
pub fn lines_pattern() -> String {
    r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$".to_string()
}

/// An `http(s)://` address with a host and none of the characters that could end an attribute
/// or open a tag: what `session_input::is_web_address` accepts, but for its length.
pub fn web_address_pattern() -> String {
    let unsafe_characters = format!(r#"{CONTROL}{SPACE}"'<>`\\"#);
    format!("^https?://[^/?#{unsafe_characters}][^{unsafe_characters}]*$")
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// Every character up to U+3100 (past the last whitespace), and a few beyond.
    fn characters() -> impl Iterator<Item = char> {
        (0..0x3100u32).chain([0xfeff, 0x1f600]).filter_map(char::from_u32)
    }

    #[test]
    fn the_patterns_say_what_the_rules_say_for_every_character() {
        let (line, no_control, lines) = (
            Regex::new(&line_pattern()).unwrap(),
            Regex::new(&no_control_pattern()).unwrap(),
            Regex::new(&lines_pattern()).unwrap(),
        );
        for c in characters() {
            for text in [format!("{c}"), format!("a{c}"), format!("{c}a")] {
                let is_line = !is_blank(&text) && !has_control(&text);
                assert_eq!(line.is_match(&text), is_line, "line {text:?}");
                assert_eq!(no_control.is_match(&text), !has_control(&text), "no control {text:?}");
                assert_eq!(lines.is_match(&text), !has_control_beyond_lines(&text), "lines {text:?}");
            }
        }
        assert!(!line.is_match("") && no_control.is_match("") && lines.is_match(""));
    }
}
