//! `duibiao live`: an evaluation kept up to date from changes read line by line.

use crate::io::{emit, Failed};
use duibiao::{Assignment, Lang};

/// `live`: reads `UNIT.KEY=VALUE` lines from standard input and after each prints the change
/// and the units whose score or tier it changed.
pub(crate) fn live_loop(
    mut live: duibiao::Live,
    lang: Lang,
    mut clean: bool,
) -> Result<bool, Failed> {
    // Each unit's score and tier as last shown; only re-evaluated units are looked at again.
    let mut shown: std::collections::HashMap<String, (Option<String>, Option<String>)> = (0..live
        .len())
        .filter_map(|i| live.summary_at(i))
        .map(|u| (u.id, (u.score, u.tier)))
        .collect();
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    for line in std::io::stdin().lines() {
        let Ok(line) = line else { break };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match live.assign(&Assignment::Text(line.to_string())) {
            Ok(a) => {
                let c = &a.change;
                let mut out = format!(
                    "{}.{}: {} → {}  ({})\n",
                    c.unit, c.key, c.from, c.to, a.evaluated
                );
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
                emit(&out)?;
            }
            Err(p) => {
                for x in p.iter() {
                    eprintln!("{line}: {} {}", x.code, x.message.get(lang));
                }
                clean = false;
            }
        }
    }
    Ok(clean)
}
