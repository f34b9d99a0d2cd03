//! The fingerprint of a standard: `sha256:` and the hex SHA-256 of the canonical source text of
//! its syntax tree ([`duibiao_syntax::canonical`]), so that an archived outcome can be traced to
//! the exact standard that produced it.
//!
//! It depends on what the file says, not on how it is laid out or on what the compiler makes of
//! it: comments, white space, Chinese or English keywords, comparison words or symbols and
//! redundant parentheses leave it unchanged, while any change to a rule, a number, a name, a
//! string or the order of declarations changes it. A refactoring of the compiler or the engine
//! does not. The hashed bytes start with [`FORMAT`] and a line break, so that a change of the
//! canonical form is an explicit version step (`duibiao-canonical/2`), never a silent one.

use duibiao_syntax::ast::File;
use sha2::{Digest, Sha256};

/// The version of the canonical form, hashed before the canonical text. Change it (and the
/// pinned fingerprints in the tests, and `docs/language.md`) whenever the canonical form changes.
pub const FORMAT: &str = "duibiao-canonical/1";

/// The bytes hashed for a file: [`FORMAT`], a line break, then the canonical text.
pub fn canonical(file: &File) -> String {
    format!("{FORMAT}\n{}", duibiao_syntax::canonical::print(file))
}

/// `sha256:` followed by the hex SHA-256 of [`canonical`].
pub fn fingerprint(file: &File) -> String {
    let digest = Sha256::digest(canonical(file).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}
