//! What a staff member's new password must be (invitation, reset, `toile user add`): long
//! enough, not among the most common passwords, not built on their own name or e-mail (OWASP
//! ASVS 5.0, 6.2). Only new passwords are checked: signing in never is, so passwords chosen
//! before keep working.

use crate::core::secrets::hash_password_in_turn;
use crate::core::{CoreError, CoreResult};
use std::collections::HashSet;
use std::sync::LazyLock;
use toile_shared::ErrorCode;

/// The shortest password Toile accepts.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The 10,000 most common passwords, most common first: the first entries of the `passwords`
/// frequency list of the `zxcvbn` crate 3.1.1 (MIT licence, © 2016 Joshua Holmer), one a line.
const COMMON_PASSWORDS: &str = include_str!("../../../data/common_passwords.txt");

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| COMMON_PASSWORDS.lines().collect());

/// Parts of a name or an e-mail shorter than this are too common to refuse a password for.
const MIN_PART_CHARS: usize = 3;

/// Why a new password is refused: each with its stable code and a French sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordRefusal {
    TooShort,
    TooCommon,
    Personal,
}

impl PasswordRefusal {
    pub fn code(self) -> ErrorCode {
        match self {
            PasswordRefusal::TooShort => ErrorCode::PasswordTooShort,
            PasswordRefusal::TooCommon => ErrorCode::PasswordTooCommon,
            PasswordRefusal::Personal => ErrorCode::PasswordPersonal,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            PasswordRefusal::TooShort => "Le mot de passe doit faire au moins 12 caractères.",
            PasswordRefusal::TooCommon => {
                "Ce mot de passe fait partie des plus courants, que l'on devine en premier : choisissez-en un autre."
            }
            PasswordRefusal::Personal => {
                "Ce mot de passe contient votre nom ou votre adresse e-mail, que l'on devine facilement : choisissez-en un autre."
            }
        }
    }
}

/// Whether `password` may be chosen by the person named `display_name` whose e-mail is `email`.
pub fn check_new_password(password: &str, display_name: &str, email: &str) -> Result<(), PasswordRefusal> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordRefusal::TooShort);
    }
    if COMMON.contains(password.to_lowercase().as_str()) {
        return Err(PasswordRefusal::TooCommon);
    }
    let folded = fold(password);
    if personal_parts(display_name, email).any(|part| folded.contains(&part)) {
        return Err(PasswordRefusal::Personal);
    }
    Ok(())
}

/// A password chosen by the person named `display_name` whose e-mail is `email`, checked against
/// this policy and hashed (argon2, off the async workers: it is slow on purpose).
pub(in crate::core) async fn hash_new_password(
    password: String,
    display_name: &str,
    email: &str,
) -> CoreResult<String> {
    check_new_password(&password, display_name, email).map_err(CoreError::WeakPassword)?;
    hash_password_in_turn(password).await.map_err(CoreError::Internal)
}

/// The person's own words: the words of their name (a name written as an address counts by its
/// part before the @: an organisation's domain is not the person), and of their e-mail before
/// the @, each of at least three letters, folded.
fn personal_parts<'a>(display_name: &'a str, email: &'a str) -> impl Iterator<Item = String> + 'a {
    let name = display_name.split_whitespace().map(|word| word.split('@').next().unwrap_or_default());
    let local = email.trim().split('@').next().unwrap_or_default();
    name.chain([local])
        .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()).map(fold).collect::<Vec<_>>())
        .filter(|part| part.chars().count() >= MIN_PART_CHARS)
}

/// Lower case, without accents: "Léa" and "LEA" are the same name.
fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a".to_string(),
            'ç' => "c".into(),
            'é' | 'è' | 'ê' | 'ë' => "e".into(),
            'î' | 'ï' | 'í' | 'ì' => "i".into(),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o".into(),
            'ù' | 'û' | 'ü' | 'ú' => "u".into(),
            'ÿ' | 'ý' => "y".into(),
            'ñ' => "n".into(),
            'œ' => "oe".into(),
            'æ' => "ae".into(),
            other => other.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(password: &str) -> Result<(), PasswordRefusal> {
        check_new_password(password, "Léa Moreau-Dubois", "lea.moreau@tremplin.fr")
    }

    #[test]
    fn a_password_of_fewer_than_twelve_characters_is_refused() {
        assert_eq!(check("court-1234"), Err(PasswordRefusal::TooShort));
        assert_eq!(check("éléphant-vé"), Err(PasswordRefusal::TooShort), "characters, not bytes");
        assert_eq!(check("onze+un=douze"), Ok(()));
    }

    #[test]
    fn the_list_holds_ten_thousand_passwords_most_common_first() {
        let list: Vec<&str> = COMMON_PASSWORDS.lines().collect();
        assert_eq!(list.len(), 10_000);
        assert_eq!(&list[..3], ["123456", "password", "12345678"]);
        assert_eq!(COMMON.len(), 10_000, "no entry twice");
    }

    #[test]
    fn a_common_password_is_refused_whatever_its_case() {
        assert_eq!(check("123456qwerty"), Err(PasswordRefusal::TooCommon));
        assert_eq!(check("123456QWERTY"), Err(PasswordRefusal::TooCommon));
        assert_eq!(check("1qaz2wsx3edc"), Err(PasswordRefusal::TooCommon));
    }

    #[test]
    fn a_password_built_on_the_person_s_name_or_e_mail_is_refused_accents_and_case_aside() {
        assert_eq!(check("moreau-2026-!"), Err(PasswordRefusal::Personal), "last name");
        assert_eq!(check("DUBOIS-bois-bois"), Err(PasswordRefusal::Personal), "a part of a compound name");
        assert_eq!(check("jesuis-lea-ici"), Err(PasswordRefusal::Personal), "first name, without its accent");
        assert_eq!(check("MOREAU-ÉLÉPHANT"), Err(PasswordRefusal::Personal));
        assert_eq!(check_new_password("claire-en-2026", "Claire M.", "cm@tremplin.fr"), Err(PasswordRefusal::Personal));
        assert_eq!(
            check_new_password("xavier-2026-ok", "X", "xavier@tremplin.fr"),
            Err(PasswordRefusal::Personal),
            "the e-mail's local part"
        );
    }

    #[test]
    fn short_parts_and_the_organisation_s_domain_do_not_count() {
        assert_eq!(check_new_password("tremplin-soleil-42", "Li Wu", "li.wu@tremplin.fr"), Ok(()));
        assert_eq!(check_new_password("motdepasse-test", "cip@test.fr", "cip@test.fr"), Ok(()));
        assert_eq!(check("un-bon-mot-de-passe-long"), Ok(()));
    }

    #[test]
    fn every_refusal_has_a_stable_code_and_a_french_sentence() {
        for refusal in [PasswordRefusal::TooShort, PasswordRefusal::TooCommon, PasswordRefusal::Personal] {
            assert!(refusal.code().code().starts_with("password_"));
            assert!(refusal.message().ends_with('.'));
        }
    }
}
