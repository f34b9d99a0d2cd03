//! Where each name of a standard is declared and where it is used, as the compiler resolved it:
//! what an editor needs to go to a definition, find references or show a name's type. Built by
//! [`crate::analyze`] while lowering, so that it sees names exactly as the compiler does (a fact
//! of one kind, a tier of the kind an aggregate ranges over, a scorecard entry behind `score 6`).

use crate::graph::EnumDef;
use crate::lower::{Lowerer, Sym};
use crate::render::Lang;
use crate::types::Type;
use duibiao_syntax::ast::Span;

/// A name used at one place and declared at another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reference {
    /// Where the name is used.
    pub used: Span,
    /// Where the name it stands for is declared: the span of the declared name (for a scorecard
    /// entry `score 6` or `score 6.1`, of the item's or part's number).
    pub declared: Span,
}

/// The resolved names of one standard: every use with its declaration, and the type of every
/// declared name the compiler could type.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Sorted by where the name is used, then where it is declared; no repeats.
    references: Vec<Reference>,
    /// The types of declared names, by the span of the name; sorted.
    types: Vec<(Span, Type)>,
    /// The enumerations the types refer to.
    enums: Vec<EnumDef>,
}

impl Index {
    /// The index of what `l` resolved.
    pub(crate) fn of(l: &mut Lowerer) -> Index {
        let mut references: Vec<Reference> = std::mem::take(&mut l.refs)
            .into_iter()
            .map(|(used, declared)| Reference { used, declared })
            .collect();
        references
            .sort_unstable_by_key(|r| (r.used.start, r.used.end, r.declared.start, r.declared.end));
        references.dedup();
        let mut types = Vec::new();
        for st in &l.states {
            for (name, (sym, span)) in &st.symbols {
                let ty = match sym {
                    Sym::Fact(slot) => st.inputs.get(*slot).map(|i| i.ty),
                    _ => st.lowered_typed(name).map(|x| x.1),
                };
                if let Some(ty) = ty {
                    types.push((*span, ty));
                }
            }
        }
        types.extend(l.params.values().map(|(p, span)| (*span, p.ty)));
        types.extend(l.quotas.values().map(|(q, span)| (*span, q.ty)));
        types.sort_unstable_by_key(|(s, _)| (s.start, s.end));
        types.dedup_by_key(|(s, _)| *s);
        Index {
            references,
            types,
            enums: l.enums.clone(),
        }
    }

    /// Every reference, sorted by where the name is used.
    pub fn references(&self) -> &[Reference] {
        &self.references
    }

    /// The references whose use covers byte `offset` (its end included, so that a cursor just
    /// after a name is on it). More than one when a rule is lowered for several kinds and the
    /// name stands for a different declaration in each.
    pub fn used_at(&self, offset: usize) -> impl Iterator<Item = &Reference> {
        // Uses do not overlap, so those covering `offset` start at most at `offset`, among the
        // last uses that do.
        let end = self.references.partition_point(|r| r.used.start <= offset);
        self.references[..end]
            .iter()
            .rev()
            .take_while(move |r| r.used.end >= offset)
            .filter(move |r| r.used.start <= offset)
    }

    /// The places that use the name declared at `declared`, in source order.
    pub fn uses_of(&self, declared: Span) -> impl Iterator<Item = Span> + '_ {
        self.references
            .iter()
            .filter(move |r| r.declared == declared)
            .map(|r| r.used)
    }

    /// The type of the name declared at `declared`, when the compiler could type it.
    pub fn type_of(&self, declared: Span) -> Option<Type> {
        self.types
            .binary_search_by_key(&(declared.start, declared.end), |(s, _)| (s.start, s.end))
            .ok()
            .map(|i| self.types[i].1)
    }

    /// A type in words, in `lang`: `百分比` / `a percentage`, `档次 一星级/二星级` / `a level of
    /// 一星级/二星级`.
    pub fn describe(&self, ty: Type, lang: Lang) -> String {
        let en = ty.describe(&self.enums);
        match lang {
            Lang::En => en,
            Lang::Zh => crate::diagnostic::type_zh(&en),
        }
    }
}
