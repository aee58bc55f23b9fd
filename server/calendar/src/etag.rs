//! HTTP validators for rendered calendars: strong ETags and `If-None-Match` matching.

use sha2::{Digest, Sha256};

/// A strong ETag for `body`: `"` + hex of the first 16 bytes of its SHA-256 + `"`.
///
/// Derived from the bytes themselves, so it is the same on every server process and changes
/// exactly when the body does (RFC 9110 §8.8.1: a strong validator).
pub fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let mut tag = String::with_capacity(34);
    tag.push('"');
    tag.push_str(&hex::encode(&digest[..16]));
    tag.push('"');
    tag
}

/// Whether an `If-None-Match` header value matches `etag`, i.e. whether to answer 304.
///
/// RFC 9110 §13.1.2: the header is `*` or a comma-separated list of entity tags, compared
/// weakly (a `W/` prefix on either side is ignored). Commas may appear inside quotes. Lenient
/// about what some clients send: unquoted tags and stray spaces or empty list members.
pub fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    let wanted = opaque_tag(etag);
    let mut rest = if_none_match;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return false;
        }
        if let Some(after) = rest.strip_prefix('*') {
            let after = after.trim_start();
            if after.is_empty() || after.starts_with(',') {
                return true;
            }
        }
        let tag = rest.strip_prefix("W/").unwrap_or(rest);
        let candidate = if let Some(quoted) = tag.strip_prefix('"') {
            let Some(end) = quoted.find('"') else {
                return false; // unterminated quote: malformed, never a match
            };
            rest = &quoted[end + 1..];
            &quoted[..end]
        } else {
            let end = tag.find(',').unwrap_or(tag.len());
            rest = &tag[end..];
            tag[..end].trim_end()
        };
        if !candidate.is_empty() && candidate == wanted {
            return true;
        }
    }
}

/// The opaque part of an entity tag: without `W/` and the surrounding quotes.
fn opaque_tag(tag: &str) -> &str {
    let tag = tag.trim();
    let tag = tag.strip_prefix("W/").unwrap_or(tag);
    tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: &str = "\"0123456789abcdef0123456789abcdef\"";

    #[test]
    fn etag_is_a_quoted_32_hex_digest_of_the_body() {
        let tag = etag(b"BEGIN:VCALENDAR\r\n");
        assert_eq!(tag.len(), 34);
        assert!(tag.starts_with('"') && tag.ends_with('"'));
        assert!(tag[1..33].chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(tag, etag(b"BEGIN:VCALENDAR\r\n"));
        assert_ne!(tag, etag(b"BEGIN:VCALENDAR\r\n "));
    }

    #[test]
    fn matches_exact_tag() {
        assert!(etag_matches(TAG, TAG));
        assert!(!etag_matches("\"other\"", TAG));
    }

    #[test]
    fn matches_any_member_of_a_list() {
        assert!(etag_matches(&format!("\"a\", \"b\",{TAG}"), TAG));
        assert!(etag_matches(&format!(" ,, {TAG} ,"), TAG));
        assert!(!etag_matches("\"a\", \"b\"", TAG));
    }

    #[test]
    fn star_matches_anything() {
        assert!(etag_matches("*", TAG));
        assert!(etag_matches(" * ", TAG));
        assert!(etag_matches("\"a\", *", TAG));
    }

    #[test]
    fn star_inside_a_tag_is_not_a_wildcard() {
        assert!(!etag_matches("\"*\"", TAG));
        assert!(!etag_matches("*abc", TAG));
    }

    #[test]
    fn weak_prefix_is_ignored_on_either_side() {
        assert!(etag_matches(&format!("W/{TAG}"), TAG));
        assert!(etag_matches(TAG, &format!("W/{TAG}")));
        assert!(etag_matches(&format!("\"x\", W/{TAG}"), TAG));
    }

    #[test]
    fn commas_inside_quotes_do_not_split_tags() {
        assert!(etag_matches("\"a,b\"", "\"a,b\""));
        assert!(!etag_matches("\"a,b\"", "\"a\""));
    }

    #[test]
    fn unquoted_tags_are_accepted() {
        assert!(etag_matches("0123456789abcdef0123456789abcdef", TAG));
        assert!(etag_matches("x, 0123456789abcdef0123456789abcdef ", TAG));
    }

    #[test]
    fn malformed_or_empty_headers_never_match() {
        assert!(!etag_matches("", TAG));
        assert!(!etag_matches("   ", TAG));
        assert!(!etag_matches("\"0123456789abcdef0123456789abcdef", TAG));
        assert!(!etag_matches("W/", TAG));
    }
}
