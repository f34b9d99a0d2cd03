//! The one JSON writer: every response, from the protocol and from the command line's
//! `--format json`, is written here. An evaluation is streamed unit by unit, so that no more than
//! one unit's result is held as JSON at a time, whatever the size of the forest.

use super::{Response, UnitResult};
use crate::live::Live;
use crate::options::Detail;
use duibiao_engine::guides::GuideReport;
use duibiao_engine::MissingParam;
use serde::Serialize;
use std::io::{self, Write};

/// How a response is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Style {
    /// On one line (the protocol's form).
    #[default]
    Compact,
    /// Indented, for people (the command line's form).
    Pretty,
    /// An evaluation with one unit a line (the command line's `eval --format json`); other
    /// responses as `Compact`.
    Lines,
}

fn io_error(e: serde_json::Error) -> io::Error {
    io::Error::other(e)
}

/// Writes a response, followed by a newline.
pub fn write_response<B: Serialize>(
    out: &mut impl Write,
    response: &Response<B>,
    style: Style,
) -> io::Result<()> {
    match style {
        Style::Compact | Style::Lines => serde_json::to_writer(&mut *out, response),
        Style::Pretty => serde_json::to_writer_pretty(&mut *out, response),
    }
    .map_err(io_error)?;
    out.write_all(b"\n")
}

/// The fields of an evaluation's response written before its units.
#[derive(Serialize)]
struct Head<'a> {
    as_of: Option<String>,
    unresolved_params: &'a [MissingParam],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    guides: Vec<GuideReport>,
}

/// Units rendered together, in parallel with other parts (see [`super::stream`]).
const UNITS_PER_PART: usize = 2048;

/// Every unit's result, each after its separator; records, which their owners report, are left
/// out.
struct Units<'a> {
    live: &'a Live,
    detail: Detail,
    /// The place of the first unit written (the first that is not a record).
    lead: usize,
    /// The separator before the first unit.
    first: &'static [u8],
    /// The separator before every other unit.
    next: &'static [u8],
}

impl super::stream::Render for Units<'_> {
    fn render(&self, range: std::ops::Range<usize>, out: &mut Vec<u8>) -> io::Result<()> {
        for i in range {
            let separator = if i == self.lead {
                self.first
            } else {
                self.next
            };
            // A summary is written from where its values live; a full outcome is built first.
            let written = match self.detail {
                Detail::Summary => self.live.summary_view_at(i).map(|u| {
                    out.extend_from_slice(separator);
                    u.write_json(out)
                }),
                Detail::Conditions | Detail::Members => self.live.unit_at(i).map(|u| {
                    out.extend_from_slice(separator);
                    serde_json::to_writer(&mut *out, &UnitResult::Outcome(u))
                }),
            };
            if let Some(w) = written {
                w.map_err(io_error)?;
            }
        }
        Ok(())
    }
}

/// Writes the response to `evaluate` for a live evaluation: the stamp, `ok`, the problems, the
/// evaluation date, unresolved parameters and guide distributions, then every unit's result in the facts' order,
/// each with as much `detail` as asked (one a line with [`Style::Lines`]). The text is the JSON
/// of a `Response<EvaluateBody>`.
pub fn write_evaluation(
    out: &mut impl Write,
    live: &Live,
    problems: Vec<crate::Problem>,
    detail: Detail,
    style: Style,
) -> io::Result<()> {
    let (first, next, last): (&'static [u8], &'static [u8], &'static [u8]) = match style {
        Style::Lines => (b"\n", b",\n", b"\n]}\n"),
        Style::Compact | Style::Pretty => (b"", b",", b"]}\n"),
    };
    let head = Head {
        as_of: live.as_of().map(|d| d.format("%Y-%m-%d").to_string()),
        unresolved_params: live.unresolved_params(),
        guides: live.guides(),
    };
    let response = Response::new(
        Some("evaluate"),
        Some(live.standard()),
        problems,
        Some(head),
    );
    let text = serde_json::to_string(&response).map_err(io_error)?;
    // The object without its closing brace; the units follow.
    out.write_all(&text.as_bytes()[..text.len().saturating_sub(1)])?;
    out.write_all(b",\"units\":[")?;
    let units = Units {
        live,
        detail,
        lead: live.first_unit(),
        first,
        next,
    };
    super::stream::write_parts(out, live.places(), UNITS_PER_PART, live.threads(), &units)?;
    out.write_all(last)
}
