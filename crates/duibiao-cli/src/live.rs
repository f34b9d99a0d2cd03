//! `duibiao live`: an evaluation kept up to date from changes read line by line.

use crate::io::{emit, Failed};
use duibiao::{Assignment, Lang};
use std::io::BufRead as _;

/// `live`: reads `UNIT.KEY=VALUE` lines from standard input and after each prints the change,
/// the units whose score or tier it changed, and the lines of guide distributions it changed.
pub(crate) fn live_loop(
    mut live: duibiao::Live,
    lang: Lang,
    mut clean: bool,
) -> Result<bool, Failed> {
    // Each unit's score and tier as last shown; only re-evaluated units are looked at again.
    let mut shown: std::collections::HashMap<String, (Option<String>, Option<String>)> = (0..live
        .places())
        .filter_map(|i| live.summary_at(i))
        .map(|u| (u.id, (u.score, u.tier)))
        .collect();
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    // The guide distributions' lines as last shown (one per guide and group of peers).
    let mut guides = guide_lines(&live, lang);
    let zh = lang == Lang::Zh;
    for (n, bytes) in std::io::stdin().lock().split(b'\n').enumerate() {
        let n = n + 1;
        // A line that cannot be read or is not text is reported with its number; the rest goes on.
        let text = match bytes.map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                match zh {
                    true => eprintln!("第 {n} 行：不是 UTF-8 文本，已跳过"),
                    false => eprintln!("line {n}: not UTF-8 text, skipped"),
                }
                clean = false;
                continue;
            }
            Err(e) => {
                match zh {
                    true => eprintln!("第 {n} 行：无法读取标准输入：{e}"),
                    false => eprintln!("line {n}: cannot read standard input: {e}"),
                }
                return Ok(false);
            }
        };
        let line = text.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match live.assign(&Assignment::Text(line.to_string())) {
            Ok(a) => {
                let c = &a.change;
                let mut out = match zh {
                    true => format!(
                        "{}.{}: {} → {}（重算 {} 个单位）\n",
                        c.unit, c.key, c.from, c.to, a.evaluated
                    ),
                    false => format!(
                        "{}.{}: {} → {} ({} units evaluated again)\n",
                        c.unit, c.key, c.from, c.to, a.evaluated
                    ),
                };
                for u in &a.units {
                    let now = (u.score.clone(), u.tier.clone());
                    let was = shown.insert(u.id.clone(), now.clone()).unwrap_or_default();
                    if was != now {
                        out.push_str(&format!(
                            "  {} {}: {} {} → {} {}\n",
                            u.kind,
                            u.id,
                            show(&was.0),
                            show(&was.1),
                            show(&now.0),
                            show(&now.1)
                        ));
                    }
                }
                if !guides.is_empty() {
                    let now = guide_lines(&live, lang);
                    for (was, line) in guides.iter().zip(&now) {
                        if was != line {
                            out.push_str(&format!("  {line}\n"));
                        }
                    }
                    guides = now;
                }
                emit(&out)?;
            }
            Err(p) => {
                for x in p.iter() {
                    match zh {
                        true => eprintln!("第 {n} 行 `{line}`：{} {}", x.code, x.message.zh),
                        false => eprintln!("line {n} `{line}`: {} {}", x.code, x.message.en),
                    }
                }
                clean = false;
            }
        }
    }
    Ok(clean)
}

/// The lines the guide distributions of the standard `live` evaluates add to the `eval` table.
fn guide_lines(live: &duibiao::Live, lang: Lang) -> Vec<String> {
    live.guides()
        .iter()
        .flat_map(|g| {
            duibiao::guide_text(g, lang)
                .lines()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}
