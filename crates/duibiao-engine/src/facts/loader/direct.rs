//! A plain unit read straight into its inputs: the byte reader ([`scan_with`]) hands each entry
//! of `facts` and `scores` over as it meets it, and the entry's value is converted and written to
//! its input there, with no list of entries in between. It takes a unit whose `kind` names a kind
//! of unit (not of record) and comes before its `facts` and `scores`, whose kind has no text
//! facts, and each of whose entries is an input of the kind, given once, with a value the input
//! takes. Anything else it gives up on, keeping nothing, and the unit is read as before (the byte
//! reader's list of entries, else `serde_json`), which reports what is wrong.

use super::super::inputs::{slot_of, KindKeys, PartScratch};
use super::super::scan::{scan_with, Reading, Scan};
use super::super::value::{convert_input, quick_input, takes_plain, Json};
use super::{Loader, Part, RawUnit};
use crate::inputs::InputWords;
use duibiao_compiler::graph::{Graph, Input};
use duibiao_compiler::Value;
use std::borrow::Cow;

/// The reader of one unit straight into its inputs.
struct Direct<'a, 'g, 'de> {
    graph: &'g Graph,
    keys: &'a [KindKeys<'g>],
    /// The unit's `id`, `name`, `kind` and `parent`.
    raw: &'a mut RawUnit<'de>,
    inputs: &'a mut InputWords,
    scratch: &'a mut PartScratch,
    /// The unit's kind, once read.
    kind: Option<usize>,
}

impl<'de> Reading<'de> for Direct<'_, '_, 'de> {
    fn field(&mut self, at: usize, value: Json<'de>) -> Option<()> {
        if at == super::KIND_FIELD {
            let name = value.as_str()?;
            let kind = self.graph.kinds.iter().position(|k| k.name == name)?;
            let kg = self.graph.kinds.get(kind)?;
            if kg.is_record() {
                return None;
            }
            self.inputs.start(kg.inputs.len());
            self.scratch.start(kg.inputs.len());
            self.kind = Some(kind);
        }
        self.raw.field(at, value)
    }

    fn part(&mut self, scores: bool, _: Part) -> Option<()> {
        // Text facts are kept apart from the inputs: such a unit is read as before.
        let keys = self.keys.get(self.kind?)?;
        (scores || keys.texts.is_empty()).then_some(())
    }

    /// The key of the slot the last unit of the kind had at `i`, when it is written plainly.
    fn expected(&self, scores: bool, i: usize) -> Option<(&str, usize)> {
        let kind = self.kind?;
        let slot = self.scratch.known(kind, scores, i)?;
        if !*self.keys.get(kind)?.plain.get(slot)? {
            return None;
        }
        let input = self.graph.kinds.get(kind)?.inputs.get(slot)?;
        Some((input.key.as_str(), slot))
    }

    fn entry(
        &mut self,
        scores: bool,
        i: usize,
        key: &'de str,
        known: Option<usize>,
        scan: &mut Scan<'de>,
    ) -> Option<()> {
        let kind = self.kind?;
        let (kg, keys) = (self.graph.kinds.get(kind)?, self.keys.get(kind)?);
        let slots = if scores { &keys.scores } else { &keys.facts };
        // A key matched where the last unit of the kind had it has that unit's slot.
        let slot = match known {
            Some(slot) => slot,
            None => slot_of(self.scratch.order(kind, scores), kg, slots, i, key)?,
        };
        if !self.scratch.first_time(slot) {
            return None;
        }
        let input = kg.inputs.get(slot)?;
        // A number written plainly is read as it is scanned, and packed as it stands when the
        // input takes it so; any other value is read as JSON.
        let value = match scan.plain_number() {
            Some((_, mantissa, scale))
                if takes_plain(input, mantissa, scale)
                    && self.inputs.set_plain(slot, mantissa, scale) =>
            {
                return Some(());
            }
            Some((text, ..)) => converted(self.graph, input, &Json::Num(Cow::Borrowed(text)))?,
            None => converted(self.graph, input, &scan.scalar()?)?,
        };
        self.inputs.set(slot, value)
    }
}

/// The value of `input` given `v`; `None` when `v` is not one the input takes.
fn converted(graph: &Graph, input: &Input, v: &Json) -> Option<Value> {
    match quick_input(input, v) {
        Some(value) => Some(value),
        None => Some(
            convert_input(graph, input, v)
                .ok()?
                .unwrap_or(Value::Unknown),
        ),
    }
}

impl<'de> Loader<'_, 'de> {
    /// Reads the unit that `text` holds (nothing else, but whitespace) straight into its inputs
    /// and stores it; `false`, with nothing kept, when it is not a unit this reader takes.
    pub(super) fn read_direct(&mut self, text: &'de str) -> bool {
        let mut direct = Direct {
            graph: self.graph,
            keys: &self.keys,
            raw: &mut self.raw,
            inputs: &mut self.words,
            scratch: &mut self.scratch,
            kind: None,
        };
        if !scan_with(text, &mut direct) {
            self.raw.clear();
            return false;
        }
        let raw = std::mem::take(&mut self.raw);
        self.unit(&raw, true);
        self.raw = raw;
        self.raw.clear();
        true
    }
}

#[cfg(test)]
mod tests;
