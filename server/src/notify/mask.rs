//! What the server's log may say of whom a message is for: enough for whoever runs the server to
//! tell two messages apart, never the number or the address (`06 •• •• •• 42`,
//! `a•••@example.org`).

use toile_shared::phone::international;

/// A phone number with only its first two and last two digits: `06 •• •• •• 42` for a French
/// number, however it was written.
pub fn phone(number: &str) -> String {
    let digits: String = match international(number) {
        Some(n) if n.len() == 11 && n.starts_with("33") => format!("0{}", &n[2..]),
        Some(n) => n,
        None => number.chars().filter(char::is_ascii_digit).collect(),
    };
    if digits.len() < 6 {
        return "••".into();
    }
    let (first, last) = (&digits[..2], &digits[digits.len() - 2..]);
    let middle = vec!["••"; (digits.len() - 4).div_ceil(2)].join(" ");
    format!("{first} {middle} {last}")
}

/// An e-mail address with only the first letter of its name: `a•••@example.org`.
pub fn email(address: &str) -> String {
    match address.trim().rsplit_once('@') {
        Some((name, domain)) => {
            let first: String = name.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".into(),
    }
}

/// `text` (a provider's error) with the recipient's number or address, in any of its usual
/// forms, replaced by its masked form.
pub fn scrub(text: &str, to: &str, masked: &str) -> String {
    let mut forms: Vec<String> = vec![to.trim().to_string()];
    if let Some(n) = international(to) {
        forms.push(format!("+{n}"));
        if let Some(national) = n.strip_prefix("33") {
            forms.push(format!("0{national}"));
        }
        forms.push(n);
    }
    let mut text = text.to_string();
    // Longest first: `+33…` before `33…`.
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    for form in forms.iter().filter(|f| f.len() >= 4) {
        text = text.replace(form.as_str(), masked);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_recipient_keeps_two_digits_at_each_end_or_the_first_letter() {
        assert_eq!(phone("06 12 34 56 42"), "06 •• •• •• 42");
        assert_eq!(phone("33612345642"), "06 •• •• •• 42");
        assert_eq!(phone("+33 6 12 34 56 42"), "06 •• •• •• 42");
        assert_eq!(phone("12"), "••");
        assert_eq!(email("amina.benali@example.org"), "a•••@example.org");
        assert_eq!(email("nonsense"), "•••");
    }

    #[test]
    fn a_provider_s_error_loses_the_number_in_every_form() {
        let masked = phone("06 12 34 56 42");
        for said in ["bad number 33612345642", "bad +33612345642", "bad 0612345642", "bad 06 12 34 56 42"] {
            let clean = scrub(said, "06 12 34 56 42", &masked);
            assert!(!clean.contains("12345642") && !clean.contains("12 34 56"), "{clean}");
        }
        assert_eq!(scrub("550 amina@x.fr unknown", "amina@x.fr", "a•••@x.fr"), "550 a•••@x.fr unknown");
    }
}
