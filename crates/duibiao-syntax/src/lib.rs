//! The duibiao standards language: grammar, typed syntax tree, parser, and the canonical printer
//! ([`canonical`]) that writes a tree back as source text in one fixed layout.
//!
//! ```
//! let src = "standard demo { title \"示例\" }\nkind 社区";
//! let file = duibiao_syntax::parse(src).map_err(|e| format!("{e:?}"))?;
//! assert_eq!(file.header.slug.name, "demo");
//! # Ok::<(), String>(())
//! ```

pub mod ast;
pub mod canonical;
pub mod error;
pub mod keywords;
mod parser;
pub mod prescan;

pub use error::{Hint, SyntaxError, SyntaxErrorKind};
pub use parser::{parse, parse_quantity, parse_with};
pub use prescan::SourceLimits;
