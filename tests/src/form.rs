//! A page's form read as a browser without JavaScript reads it: the fields it would post, in
//! order (hidden and text inputs, checked boxes and radios, text areas, each select's chosen
//! option), so a test posts exactly what a person who changed one field would.

/// The fields of the first `<form` in `html` whose opening tag contains `marker`.
pub fn fields(html: &str, marker: &str) -> Vec<(String, String)> {
    let start = html
        .match_indices("<form")
        .map(|(at, _)| at)
        .find(|at| html[*at..].split('>').next().is_some_and(|tag| tag.contains(marker)))
        .unwrap_or_else(|| panic!("a form with {marker} in the page"));
    let end = html[start..].find("</form>").map_or(html.len(), |end| start + end);
    let form = &html[start..end];
    let mut fields = vec![];
    let mut rest = form;
    let mut select: Option<(String, Option<String>, Option<String>)> = None;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let close = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..close];
        let after = &rest[(close + 1).min(rest.len())..];
        // A closing tag's name starts with its slash; an empty element's ends before one.
        let name_end = tag[1.min(tag.len())..]
            .find(|c: char| c.is_whitespace() || c == '/')
            .map_or(tag.len(), |end| end + 1.min(tag.len()));
        let element = tag[..name_end].to_ascii_lowercase();
        let attrs = attributes(&tag[name_end..]);
        let attr = |name: &str| attrs.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
        match element.as_str() {
            "input" => {
                let kind = attr("type").unwrap_or_else(|| "text".into());
                let checked = attr("checked").is_some();
                if let Some(name) = attr("name")
                    && attr("disabled").is_none()
                    && !matches!(kind.as_str(), "submit" | "button")
                    && (checked || !matches!(kind.as_str(), "checkbox" | "radio"))
                {
                    let default = if matches!(kind.as_str(), "checkbox" | "radio") { "on" } else { "" };
                    fields.push((name, attr("value").unwrap_or_else(|| default.into())));
                }
            }
            "textarea" => {
                let text = &after[..after.find("</textarea>").unwrap_or(after.len())];
                if let Some(name) = attr("name") {
                    fields.push((name, decode(&strip_comments(text))));
                }
            }
            "select" => select = attr("name").map(|name| (name, None, None)),
            "option" => {
                if let Some((_, first, chosen)) = &mut select {
                    let value = attr("value").unwrap_or_default();
                    if first.is_none() {
                        *first = Some(value.clone());
                    }
                    if attr("selected").is_some() {
                        *chosen = Some(value);
                    }
                }
            }
            "/select" => {
                if let Some((name, first, chosen)) = select.take()
                    && let Some(value) = chosen.or(first)
                {
                    fields.push((name, value));
                }
            }
            _ => {}
        }
        rest = after;
    }
    fields
}

/// Sets the field `name` (the first of that name) to `value`.
pub fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let field = fields.iter_mut().find(|(key, _)| key == name).unwrap_or_else(|| panic!("a field {name}"));
    field.1 = value.to_string();
}

/// The value of the field `name`.
pub fn value<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_else(|| panic!("{name}"))
}

fn attributes(text: &str) -> Vec<(String, String)> {
    let mut attrs = vec![];
    let mut rest = text.trim_start();
    while !rest.is_empty() && !rest.starts_with('/') {
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '/').unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let value = if let Some(after) = rest.strip_prefix('=') {
            let (value, left) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let end = after[1..].find(quote).map_or(after.len(), |end| end + 1);
                    (&after[1..end], &after[(end + 1).min(after.len())..])
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = left;
            decode(value)
        } else {
            String::new()
        };
        if !name.is_empty() {
            attrs.push((name, value));
        }
        rest = rest.trim_start();
    }
    attrs
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("-->").map_or("", |end| &rest[start + end + 3..]);
    }
    out.push_str(rest);
    out
}

/// The text with HTML's character references replaced.
pub fn decode(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|end| *end <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let char = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match char {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
