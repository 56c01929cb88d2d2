//! Passwords: Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane),
//! stored as PHC strings, and the rule a new password must meet.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{CoreError, CoreResult};

pub const MIN_LENGTH: usize = 8;
const MAX_LENGTH: usize = 200;

fn hasher() -> CoreResult<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| CoreError::Storage(format!("password parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Refuses a password that is too short (or absurdly long), naming `field`.
pub fn check_new(field: &str, password: &str) -> CoreResult<()> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        return Err(CoreError::invalid(
            field,
            format!("The password needs at least {MIN_LENGTH} characters."),
        ));
    }
    if n > MAX_LENGTH {
        return Err(CoreError::invalid(
            field,
            format!("The password can have at most {MAX_LENGTH} characters."),
        ));
    }
    Ok(())
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for `password`.
pub fn hash(password: &str) -> CoreResult<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| CoreError::Storage(format!("no randomness for a salt: {e}")))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| CoreError::Storage(format!("salt: {e}")))?;
    Ok(hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| CoreError::Storage(format!("hashing: {e}")))?
        .to_string())
}

/// Whether `password` matches the stored PHC string. A malformed stored hash
/// never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let Ok(h) = hasher() else {
        return false;
    };
    h.verify_password(password.as_bytes(), &parsed).is_ok()
}

/// Spends about as long as a real verification: used when the login does not
/// exist, so timing does not tell whether it does.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get_or_init(|| hash("not a real password").ok()) {
        let _ = verify(password, h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse", &h));
        assert!(!verify("correct hors", &h));
        assert!(!verify("correct horse", "not a hash"));
        // Salted: the same password hashes differently each time.
        assert_ne!(h, hash("correct horse").expect("hash"));
    }

    #[test]
    fn short_passwords_are_refused_with_the_field() {
        let e = check_new("password", "1234567").expect_err("short");
        assert_eq!(e.code(), "input.invalid");
        assert!(e.to_string().contains("at least 8"));
        assert!(check_new("password", "12345678").is_ok());
    }
}
