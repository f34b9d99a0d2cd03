//! Close names: the declared name a misspelt one most likely meant, offered as a suggestion.

/// The candidate closest to `name`, when one is close enough to be a slip of the keyboard or of
/// the input method: at most one character in three differs (one in a name of up to five
/// characters), counting a character added, dropped, replaced or two swapped. Ties go to the
/// first candidate.
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let chars: Vec<char> = name.chars().collect();
    let limit = (chars.len() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = distance(&chars, &c.chars().collect::<Vec<_>>());
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Optimal string alignment distance between two strings of characters.
fn distance(a: &[char], b: &[char]) -> usize {
    let w = b.len() + 1;
    let mut d: Vec<usize> = vec![0; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, x) in d.iter_mut().take(w).enumerate() {
        *x = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::{closest, distance};

    /// Two neighbours swapped cost one wherever they are: at the start, in the middle, at the
    /// end; anything else costs one a character added, dropped or replaced.
    #[test]
    fn a_swap_costs_one_anywhere() {
        let d = |a: &str, b: &str| {
            distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("bacdef", "abcdef"), 1);
        assert_eq!(d("abdcef", "abcdef"), 1);
        assert_eq!(d("abcdfe", "abcdef"), 1);
        assert_eq!(d("绿地面积", "面积绿地"), 4);
        assert_eq!(d("abcdef", "abcdef"), 0);
        assert_eq!(d("abcde", "abcdef"), 1);
        assert_eq!(d("", "ab"), 2);
    }

    #[test]
    fn closest_names() {
        let names = ["绿化面积", "专职社区工作者数", "建筑面积"];
        assert_eq!(closest("绿地面积", names), Some("绿化面积"));
        assert_eq!(closest("专职社区工作数", names), Some("专职社区工作者数"));
        assert_eq!(closest("面积", names), None);
        assert_eq!(
            closest("绿化面积", names),
            None,
            "the name itself is no suggestion"
        );
        assert_eq!(
            closest("scroe", ["score", "scare"]),
            Some("score"),
            "a swap costs one"
        );
        assert_eq!(closest("abc", ["xyz"]), None);
        assert_eq!(closest("x", Vec::<&str>::new()), None);
    }
}
