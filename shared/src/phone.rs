//! Phone numbers as people write them ("06 12 34 56 78") and as SMS providers write them
//! (`33612345678`): one form to send to, and to recognise a number that answers.

/// Digits only, with the country code: `06 12 34 56 78` → `33612345678`, `+32 470…` → `32470…`,
/// `0033…` → `33…`. None for what cannot be a phone number.
pub fn international(phone: &str) -> Option<String> {
    let plus = phone.trim_start().starts_with('+');
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let number = match () {
        _ if plus => digits,
        _ if digits.starts_with("00") => digits[2..].to_string(),
        _ if digits.len() == 10 && digits.starts_with('0') => format!("33{}", &digits[1..]),
        _ => digits,
    };
    (8..=15).contains(&number.len()).then_some(number)
}

/// Whether two numbers, however written, reach the same phone.
pub fn same_phone(a: &str, b: &str) -> bool {
    matches!((international(a), international(b)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers_are_written_with_the_country_code() {
        assert_eq!(international("06 12 34 56 78").as_deref(), Some("33612345678"));
        assert_eq!(international("+33 6 12 34 56 78").as_deref(), Some("33612345678"));
        assert_eq!(international("0033612345678").as_deref(), Some("33612345678"));
        assert_eq!(international("+32 470 12 34 56").as_deref(), Some("32470123456"));
        assert_eq!(international("12"), None);
    }

    #[test]
    fn a_number_is_recognised_however_it_is_written() {
        assert!(same_phone("06 12 34 56 78", "33612345678"));
        assert!(same_phone("+33 6.12.34.56.78", "0033612345678"));
        assert!(!same_phone("06 12 34 56 78", "33612345679"));
        assert!(!same_phone("", ""), "no number is nobody's number");
    }
}
