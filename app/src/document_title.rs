//! The document's `<title>`: "Séance – Toile". Every page names itself with `<Title text=…>`;
//! the root `<Title formatter=document_title>` in `App` runs on all of them, so this is the one
//! place where a title's text is made safe.
//!
//! Why escape by hand: `leptos_meta` 0.8.7 (the latest 0.8 release) writes the title into the
//! server-rendered `<head>` as raw text (`buf.push_str("<title>"); buf.push_str(&title)` in its
//! `lib.rs`), unlike text in `view!`, which it escapes. A session titled
//! `</title><script>…</script>` would run its script in every browser that opens the page. In the
//! browser the title is set with `document.title = …`, which takes plain text: escaping there
//! would show `&lt;` to people. Do not remove this until `leptos_meta` escapes the title itself.

/// The text of the document's title for a page called `page`, ready for where it goes.
pub fn document_title(page: String) -> String {
    let title = format!("{page} – Toile");
    #[cfg(feature = "ssr")]
    let title = escape_title_text(&title);
    title
}

/// Escapes text for the inside of `<title>`, an element whose content the HTML parser reads as
/// text up to `</title>`: `&` and `<` would be enough; `>` too, for tools that parse less well.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
fn escape_title_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_cannot_close_the_title_element_or_open_a_tag() {
        let payload = r#"Atelier</title><script>document.title="PWNED"</script>"#;
        assert_eq!(
            escape_title_text(payload),
            r#"Atelier&lt;/title&gt;&lt;script&gt;document.title="PWNED"&lt;/script&gt;"#
        );
        assert_eq!(escape_title_text("CV & lettre"), "CV &amp; lettre");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_server_writes_an_escaped_title_the_browser_shows_as_typed() {
        let payload = r#"Atelier</title><script>document.title="PWNED"</script>"#.to_string();
        let title = document_title(payload);
        assert!(!title.contains('<'), "{title}");
        assert!(title.ends_with(" – Toile"));
    }
}
