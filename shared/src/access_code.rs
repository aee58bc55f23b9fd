//! Personal access codes that a CIP prints or reads out to a participant: short, upper case,
//! and without characters that look alike (0/O, 1/I/L, 2/Z, 5/S, 8/B).

/// The 25 characters a code is made of.
pub const ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY34679";
/// Characters in a code, shown as two groups of four: `KP4T-9WXA`.
pub const LENGTH: usize = 8;

/// Turns what a person typed into the canonical code, or `None` if it cannot be one.
/// Spaces, dashes and lower case are forgiven; a look-alike character is not guessed.
pub fn normalize(input: &str) -> Option<String> {
    let code: String =
        input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    let valid = code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b));
    valid.then_some(code)
}

/// Builds a code from `LENGTH` indices into `ALPHABET`, drawn uniformly by the caller
/// (the domain owns no randomness).
pub fn from_indices(indices: impl IntoIterator<Item = usize>) -> String {
    indices.into_iter().take(LENGTH).map(|i| ALPHABET[i % ALPHABET.len()] as char).collect()
}

/// `KP4T9WXA` → `KP4T-9WXA`, easier to read aloud and to copy.
pub fn display(code: &str) -> String {
    if code.len() == LENGTH { format!("{}-{}", &code[..4], &code[4..]) } else { code.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alphabet_has_no_look_alike_characters() {
        for c in b"0O1IL2Z5S8B" {
            assert!(!ALPHABET.contains(c), "{} is a look-alike", *c as char);
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), ALPHABET.len(), "no duplicate characters");
    }

    #[test]
    fn typed_codes_are_forgiven_spaces_dashes_and_case() {
        assert_eq!(normalize(" kp4t-9wxa ").as_deref(), Some("KP4T9WXA"));
        assert_eq!(normalize("KP4T 9WXA").as_deref(), Some("KP4T9WXA"));
    }

    #[test]
    fn codes_with_look_alikes_or_wrong_length_are_refused() {
        assert_eq!(normalize("KP4T9WX0"), None);
        assert_eq!(normalize("KP4T9WX"), None);
        assert_eq!(normalize(""), None);
    }

    #[test]
    fn generated_codes_are_valid_and_displayed_in_two_groups() {
        let code = from_indices([0, 24, 3, 11, 17, 7, 13, 9]);
        assert_eq!(normalize(&code).as_deref(), Some(code.as_str()));
        assert_eq!(display(&code).len(), LENGTH + 1);
    }
}
