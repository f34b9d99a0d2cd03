//! Writing a forest: units drawn depth first with their qualities, streamed one per line as a
//! facts file.

use super::facts::{BoolRole, FactGen};
use super::plan::{date_text, plan, quoted, Plan};
use super::{Rng, Shape};
use chrono::{Datelike, NaiveDate};
use duibiao_compiler::graph::KindId;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::io::Write;

/// A unit whose children are being written.
struct Frame {
    kind: KindId,
    number: u64,
    quality: f64,
    /// The position in the kind's children being filled, the next one to start, and how many
    /// children of the current one are still to come.
    current: usize,
    next: usize,
    remaining: u64,
}

impl Frame {
    fn new(kind: KindId, number: u64, quality: f64) -> Self {
        Frame {
            kind,
            number,
            quality,
            current: 0,
            next: 0,
            remaining: 0,
        }
    }
}

/// Streams a facts file of exactly `units` units of `graph`'s standard to `out`, drawn from
/// `seed` as `shape` says (see the module documentation). Units are written one per line,
/// parents first; nothing but the unit being written is held in memory.
pub fn write_forest(
    standard: &crate::Standard,
    units: usize,
    seed: u64,
    shape: &Shape,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let graph = standard.graph();
    let plan = plan(graph, shape);
    let mut rng = Rng(seed);
    out.write_all(b"{\n")?;
    if !graph.info.slug.is_empty() {
        writeln!(out, " \"standard\": {},", quoted(&graph.info.slug))?;
    }
    writeln!(out, " \"as_of\": \"{}\",", date_text(plan.as_of))?;
    out.write_all(b" \"params\": {")?;
    for (i, (name, value)) in plan.params.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        write!(out, "{sep}{name}: {value}")?;
    }
    out.write_all(b"},\n \"units\": [")?;
    // Two trees in three are completely reported; the others miss three times the asked share
    // (all of their values when that is more than all), so that the share overall is as asked.
    let missing = shape.missing.clamp(0.0, 100.0) / 100.0;
    let missing_tree = (missing * 3.0).min(1.0);
    let complete = if missing > 0.0 {
        1.0 - missing / missing_tree
    } else {
        1.0
    };
    let veto = shape.veto.clamp(0.0, 100.0) / 100.0;
    let mut numbers = vec![0u64; plan.kinds.len()];
    let mut stack: Vec<Frame> = Vec::new();
    let mut written = 0usize;
    let mut root = 0usize;
    let mut w = UnitWriter {
        plan: &plan,
        veto,
        missing: 0.0,
        scratch: String::new(),
    };
    while written < units && !plan.roots.is_empty() {
        let kind = plan.roots[root % plan.roots.len()];
        root += 1;
        w.missing = if rng.hit(complete) { 0.0 } else { missing_tree };
        // A root's own quality is only half its tree's: a street with strong communities may
        // itself score 80 or 95.
        let latent = root_quality(&mut rng);
        let own = (latent + root_quality(&mut rng)) / 2.0;
        let number = next_number(&mut numbers, kind);
        w.unit(out, &mut rng, written, kind, number, None, own)?;
        written += 1;
        stack.clear();
        stack.push(Frame::new(kind, number, latent));
        while written < units {
            let Some(top) = stack.last_mut() else { break };
            let children = &plan.kinds[top.kind as usize].children;
            if top.remaining == 0 {
                match children.get(top.next) {
                    Some((_, lo, hi)) => {
                        top.current = top.next;
                        top.next += 1;
                        top.remaining = rng.between(i64::from(*lo), i64::from(*hi)).max(0) as u64;
                    }
                    None => {
                        stack.pop();
                    }
                }
                continue;
            }
            top.remaining -= 1;
            let Some((kind, _, _)) = children.get(top.current).copied() else {
                stack.pop();
                continue;
            };
            let parent = (top.kind, top.number);
            let latent = (top.quality + (rng.unit() - 0.5) * INHERITED_SPREAD).clamp(0.40, 1.06);
            let own = own_quality(&mut rng, latent);
            let number = next_number(&mut numbers, kind);
            w.unit(out, &mut rng, written, kind, number, Some(parent), own)?;
            written += 1;
            stack.push(Frame::new(kind, number, latent));
        }
    }
    out.write_all(b"\n ]\n}\n")?;
    out.flush()
}

/// The latent quality of a root: the least, and the width of the range (skewed high).
const ROOT_QUALITY: (f64, f64) = (0.66, 0.34);
/// How far a unit's latent quality strays from its parent's (the full width of the range).
const INHERITED_SPREAD: f64 = 0.06;
/// How far a unit's own quality strays from its latent quality (the full width).
const OWN_SPREAD: f64 = 0.14;
/// How far one scored part strays from the unit's quality (the full width).
const PART_SPREAD: f64 = 0.30;

/// A root's latent quality.
fn root_quality(rng: &mut Rng) -> f64 {
    ROOT_QUALITY.0 + ROOT_QUALITY.1 * rng.unit().max(rng.unit())
}

/// A unit's own quality: its latent quality (shared with its sub-units) and its own luck.
fn own_quality(rng: &mut Rng, latent: f64) -> f64 {
    (latent + (rng.unit() - 0.5) * OWN_SPREAD).clamp(0.40, 1.06)
}

fn next_number(numbers: &mut [u64], kind: KindId) -> u64 {
    match numbers.get_mut(kind as usize) {
        Some(n) => {
            *n += 1;
            *n
        }
        None => 0,
    }
}

struct UnitWriter<'a> {
    plan: &'a Plan,
    veto: f64,
    missing: f64,
    /// A fact's value as written, reused from fact to fact.
    scratch: String,
}

impl UnitWriter<'_> {
    #[allow(clippy::too_many_arguments)]
    fn unit(
        &mut self,
        out: &mut impl Write,
        rng: &mut Rng,
        index: usize,
        kind: KindId,
        number: u64,
        parent: Option<(KindId, u64)>,
        quality: f64,
    ) -> std::io::Result<()> {
        let Some(kp) = self.plan.kinds.get(kind as usize) else {
            return Ok(());
        };
        out.write_all(if index == 0 { b"\n  " } else { b",\n  " })?;
        write!(
            out,
            "{{\"id\": {}{number}\", \"kind\": {}, \"parent\": ",
            kp.id_prefix, kp.name
        )?;
        match parent.and_then(|(k, n)| self.plan.kinds.get(k as usize).map(|p| (p, n))) {
            Some((p, n)) => write!(out, "{}{n}\"", p.id_prefix)?,
            None => out.write_all(b"null")?,
        }
        out.write_all(b", \"scores\": {")?;
        let mut first = true;
        for (key, halves) in &kp.scores {
            let f = quality + (rng.unit() - 0.5) * PART_SPREAD;
            let h = (f * *halves as f64 + 0.5)
                .floor()
                .clamp(0.0, *halves as f64) as u64;
            if self.missing > 0.0 && rng.hit(self.missing) {
                continue;
            }
            out.write_all(if first { b"" } else { b", " })?;
            first = false;
            if h.is_multiple_of(2) {
                write!(out, "{key}: {}", h / 2)?;
            } else {
                write!(out, "{key}: {}.5", h / 2)?;
            }
        }
        out.write_all(b"}, \"facts\": {")?;
        let pass = (quality + 0.03).clamp(0.05, 0.995);
        let mut first = true;
        let mut first_date: Option<NaiveDate> = None;
        for (key, g) in &kp.facts {
            let text = &mut self.scratch;
            text.clear();
            match g {
                FactGen::Bool(role) => {
                    let p = match role {
                        BoolRole::Veto => self.veto,
                        BoolRole::Adverse => 1.0 - pass,
                        BoolRole::Situational => 0.3,
                        BoolRole::Favourable => pass,
                    };
                    text.push_str(if rng.hit(p) { "true" } else { "false" });
                }
                FactGen::Num(np) => {
                    let range = if rng.hit(pass) {
                        np.pass
                    } else {
                        match (np.low, np.high) {
                            (Some(l), Some(h)) => {
                                if rng.hit(0.5) {
                                    l
                                } else {
                                    h
                                }
                            }
                            (Some(r), None) | (None, Some(r)) => r,
                            (None, None) => np.pass,
                        }
                    };
                    let k = if np.scored {
                        let f = (quality + (rng.unit() - 0.5) * PART_SPREAD).clamp(0.0, 1.0);
                        let span = range.1.saturating_sub(range.0) as f64;
                        range.0.saturating_add((f * span + 0.5).floor() as i64)
                    } else {
                        rng.between(range.0, range.1)
                    };
                    let n = k.saturating_mul(np.mantissa);
                    let _ = match (np.scale, np.percent) {
                        (0, false) => write!(text, "{n}"),
                        (0, true) => write!(text, "\"{n}%\""),
                        (scale, false) => write!(text, "{}", Decimal::new(n, scale).normalize()),
                        (scale, true) => {
                            write!(text, "\"{}%\"", Decimal::new(n, scale).normalize())
                        }
                    };
                }
                FactGen::Date => {
                    let (start, end) = self.plan.period;
                    let d = match first_date {
                        None => {
                            let span = (end - start).num_days().max(0);
                            let d = start
                                .checked_add_days(chrono::Days::new(
                                    rng.between(0, span).max(0) as u64
                                ))
                                .unwrap_or(start);
                            first_date = Some(d);
                            d
                        }
                        Some(d0) => d0
                            .checked_add_days(chrono::Days::new(rng.between(0, 180) as u64))
                            .unwrap_or(d0)
                            .min(end),
                    };
                    let _ = write!(text, "\"{:04}-{:02}-{:02}\"", d.year(), d.month(), d.day());
                }
                FactGen::Enum(variants) => {
                    match variants.get(rng.below(variants.len() as u64) as usize) {
                        Some(v) => text.push_str(v),
                        None => continue,
                    }
                }
            }
            if self.missing > 0.0 && rng.hit(self.missing) {
                continue;
            }
            out.write_all(if first { b"" } else { b", " })?;
            first = false;
            out.write_all(key.as_bytes())?;
            out.write_all(b": ")?;
            out.write_all(text.as_bytes())?;
        }
        out.write_all(b"}}")
    }
}

/// A facts file of exactly `units` units of `graph`'s standard, drawn from `seed` as `shape`
/// says, as a JSON value (the text [`write_forest`] writes). For large sizes, stream with
/// [`write_forest`] instead.
pub fn forest(
    standard: &crate::Standard,
    units: usize,
    seed: u64,
    shape: &Shape,
) -> serde_json::Value {
    let mut buf = Vec::new();
    match write_forest(standard, units, seed, shape, &mut buf) {
        Ok(()) => serde_json::from_slice(&buf).unwrap_or_default(),
        Err(_) => serde_json::Value::Null,
    }
}
