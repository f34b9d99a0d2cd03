//! Shared helpers for the cross-crate tests: where the repository is, and loading its standards.

use std::path::{Path, PathBuf};

/// The repository's root directory.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Reads a file of the repository, by path relative to its root.
pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Compiles `standards/<slug>.std`, failing the test with its diagnostics if it does not compile.
pub fn standard(slug: &str) -> duibiao::Standard {
    let rel = format!("standards/{slug}.std");
    duibiao::Standard::compile(&rel, &read(&rel))
        .unwrap_or_else(|e| panic!("{rel} does not compile:\n{}", e.render(duibiao::Lang::En)))
}

/// Random forests of the haiyan-2021 standard, for property tests.
pub mod generate {
    use duibiao::Standard;
    use serde_json::{json, Value};

    /// A small deterministic generator (SplitMix64), so that one `u64` seed describes a whole forest.
    pub struct Rng(pub u64);

    impl Rng {
        /// The next number.
        pub fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// A number below `n`.
        pub fn below(&mut self, n: u64) -> u64 {
            if n == 0 {
                0
            } else {
                self.next_u64() % n
            }
        }

        /// True `percent` times in 100.
        pub fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
    }

    /// One unit's facts: every scored part filled (points in halves, mostly high so tiers vary),
    /// a few missing; every bool fact filled, a few missing.
    fn unit(
        std: &Standard,
        rng: &mut Rng,
        id: &str,
        kind: &str,
        parent: Option<&str>,
        missing: u64,
    ) -> Value {
        let kg = std
            .graph()
            .kinds
            .iter()
            .find(|k| k.name == kind)
            .unwrap_or_else(|| panic!("no kind {kind}"));
        let mut scores = serde_json::Map::new();
        let mut facts = serde_json::Map::new();
        for input in &kg.inputs {
            if rng.chance(missing) {
                continue;
            }
            match input.origin {
                duibiao::graph::InputOrigin::Points { max } => {
                    let halves = (max * rust_decimal::Decimal::TWO).trunc().mantissa() as u64;
                    // Skewed high: most units land around the 75 / 90 thresholds.
                    let h = halves - rng.below(halves / 3 + 1).min(halves);
                    let points = rust_decimal::Decimal::new(h as i64 * 5, 1).normalize();
                    scores.insert(
                        input.key.clone(),
                        json!(points.to_string().parse::<f64>().unwrap_or(0.0)),
                    );
                }
                duibiao::graph::InputOrigin::Fact => {
                    let v = if input.key == "一票否决" {
                        rng.chance(10)
                    } else {
                        rng.chance(80)
                    };
                    facts.insert(input.key.clone(), json!(v));
                }
            }
        }
        json!({"id": id, "kind": kind, "parent": parent, "scores": scores, "facts": facts})
    }

    /// A random street with its communities, compounds, buildings, business districts and
    /// social organisations, plus a few stand-alone units.
    pub fn forest(std: &Standard, seed: u64, missing: u64) -> Value {
        let mut rng = Rng(seed);
        let mut units = vec![unit(std, &mut rng, "JD", "街道", None, missing)];
        for c in 0..rng.below(4) {
            let sq = format!("SQ{c}");
            units.push(unit(std, &mut rng, &sq, "社区", Some("JD"), missing));
            for x in 0..rng.below(6) {
                units.push(unit(
                    std,
                    &mut rng,
                    &format!("XQ{c}_{x}"),
                    "小区",
                    Some(&sq),
                    missing,
                ));
            }
        }
        for (kind, prefix, n) in [
            ("商务楼宇", "LY", 3),
            ("商圈", "SC", 2),
            ("社会组织", "ZZ", 4),
        ] {
            for i in 0..rng.below(n) {
                units.push(unit(
                    std,
                    &mut rng,
                    &format!("{prefix}{i}"),
                    kind,
                    Some("JD"),
                    missing,
                ));
            }
        }
        units.push(unit(std, &mut rng, "XQ_root", "小区", None, missing));
        json!({"standard": "haiyan-2021", "as_of": "2021-12-31", "units": units})
    }
}
