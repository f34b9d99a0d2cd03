//! Long outputs written in order while their next part is rendered: the units are cut into
//! parts, a batch of parts is rendered in parallel (each into a buffer of its own) while the
//! calling thread writes the batch before, so rendering uses every thread the evaluation may
//! use and writing overlaps it. The bytes are those of rendering the parts one after another.

use crate::options::Threads;
use rayon::prelude::*;
use std::io::{self, Write};
use std::ops::Range;

/// Renders the units of `units` into `buf` (appending), in order.
pub(crate) trait Render: Sync {
    /// Renders units `range`.
    fn render(&self, range: Range<usize>, buf: &mut Vec<u8>) -> io::Result<()>;
}

/// Writes `render` of units `0..n` to `out`, in parts of `part` units (a part starts at a
/// multiple of `part`), rendered in parallel on `threads`, one batch while the calling thread
/// writes the one before.
pub(crate) fn write_parts(
    out: &mut impl Write,
    n: usize,
    part: usize,
    threads: &Threads,
    render: &impl Render,
) -> io::Result<()> {
    let part = part.max(1);
    let width = match threads {
        Threads::Single => {
            // One thread: render and write each part in turn.
            let mut buf = Vec::new();
            for start in (0..n).step_by(part) {
                buf.clear();
                render.render(start..(start + part).min(n), &mut buf)?;
                out.write_all(&buf)?;
            }
            return Ok(());
        }
        Threads::Shared => rayon::current_num_threads(),
        Threads::Pool(pool) => pool.current_num_threads(),
    };
    // Twice as many parts as threads, so that one slow part does not leave a thread idle.
    let per_batch = 2 * width.max(1);
    let mut ready: Vec<Vec<u8>> = Vec::new();
    let mut next: Vec<Vec<u8>> = vec![Vec::new(); per_batch];
    let mut start = 0;
    while start < n || !ready.is_empty() {
        let end = (start + part * per_batch).min(n);
        let mut rendered = Ok(());
        let batch = Batch {
            to_render: &mut next,
            result: &mut rendered,
            units: start..end,
            part,
            render,
        };
        let written = match threads {
            Threads::Pool(pool) => pool.in_place_scope(|s| batch.run(s, &ready, out)),
            _ => rayon::in_place_scope(|s| batch.run(s, &ready, out)),
        };
        written?;
        rendered?;
        if start < end {
            std::mem::swap(&mut ready, &mut next);
            if next.len() < per_batch {
                next.resize_with(per_batch, Vec::new);
            }
        } else {
            ready.clear();
        }
        start = end;
    }
    Ok(())
}

/// A batch of parts to render while the one before is written.
struct Batch<'s, R> {
    /// A buffer per part.
    to_render: &'s mut Vec<Vec<u8>>,
    result: &'s mut io::Result<()>,
    units: Range<usize>,
    part: usize,
    render: &'s R,
}

impl<'s, R: Render> Batch<'s, R> {
    /// Renders the batch on the scope's threads while this thread writes `ready` to `out`;
    /// returns what writing gave.
    fn run(
        self,
        scope: &rayon::Scope<'s>,
        ready: &[Vec<u8>],
        out: &mut impl Write,
    ) -> io::Result<()> {
        let Batch {
            to_render,
            result,
            units,
            part,
            render,
        } = self;
        if !units.is_empty() {
            scope.spawn(move |_| {
                *result = to_render
                    .par_iter_mut()
                    .enumerate()
                    .try_for_each(|(k, buf)| {
                        buf.clear();
                        let from = units.start + k * part;
                        match from < units.end {
                            true => render.render(from..(from + part).min(units.end), buf),
                            false => Ok(()),
                        }
                    });
            });
        }
        ready.iter().try_for_each(|b| out.write_all(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each unit as its number and a comma.
    struct Numbers;

    impl Render for Numbers {
        fn render(&self, range: Range<usize>, buf: &mut Vec<u8>) -> io::Result<()> {
            for i in range {
                write!(buf, "{i},")?;
            }
            Ok(())
        }
    }

    #[test]
    fn parts_come_out_in_order_on_any_threads() {
        for n in [0, 1, 7, 64, 1000, 4099] {
            let expected: String = (0..n).map(|i| format!("{i},")).collect();
            let pool = std::sync::Arc::new(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(3)
                    .build()
                    .unwrap(),
            );
            for threads in [Threads::Single, Threads::Shared, Threads::Pool(pool)] {
                for part in [1, 5, 64, 10_000] {
                    let mut out = Vec::new();
                    write_parts(&mut out, n, part, &threads, &Numbers).unwrap();
                    assert_eq!(String::from_utf8(out).unwrap(), expected, "{n} {part}");
                }
            }
        }
    }

    /// Fails on unit 500.
    struct Failing;

    impl Render for Failing {
        fn render(&self, range: Range<usize>, _: &mut Vec<u8>) -> io::Result<()> {
            match range.contains(&500) {
                true => Err(io::Error::other("unit 500")),
                false => Ok(()),
            }
        }
    }

    #[test]
    fn a_part_that_fails_fails_the_whole() {
        for threads in [Threads::Single, Threads::Shared] {
            let mut out = Vec::new();
            assert!(write_parts(&mut out, 2000, 64, &threads, &Failing).is_err());
        }
    }
}
