//! Items grouped by a small number in one pass over them (a counting sort): the forest groups
//! children by their parent with it, and the index groups ids by where their hashes fall.

/// Items grouped by bucket, each bucket's in the order the items were given.
pub(crate) struct Grouped<T> {
    /// Where each bucket starts in `items`, then where `items` ends.
    pub(crate) start: Vec<u32>,
    /// The items, bucket after bucket.
    pub(crate) items: Vec<T>,
}

impl<T: Copy + Default> Grouped<T> {
    /// `keys` grouped into `buckets` buckets by `bucket(key)`, the item of the `i`th key being
    /// `item(i, key)`; a key whose bucket is `buckets` or more is left out.
    pub(crate) fn by<K>(
        buckets: usize,
        keys: &[K],
        bucket: impl Fn(&K) -> usize,
        item: impl Fn(usize, &K) -> T,
    ) -> Self {
        let mut start = vec![0u32; buckets + 1];
        for key in keys {
            let b = bucket(key);
            if b < buckets {
                if let Some(n) = start.get_mut(b + 1) {
                    *n += 1;
                }
            }
        }
        let mut sum = 0;
        for s in &mut start {
            sum += *s;
            *s = sum;
        }
        // Each bucket's next free place, moved up as its items are placed.
        let mut next = start.clone();
        let mut items = vec![T::default(); sum as usize];
        for (i, key) in keys.iter().enumerate() {
            let b = bucket(key);
            if b >= buckets {
                continue;
            }
            if let Some(at) = next.get_mut(b) {
                if let Some(slot) = items.get_mut(*at as usize) {
                    *slot = item(i, key);
                }
                *at += 1;
            }
        }
        Grouped { start, items }
    }

    /// The items of bucket `b`, in the order given (none past the last bucket).
    pub(crate) fn bucket(&self, b: usize) -> &[T] {
        match (self.start.get(b), self.start.get(b + 1)) {
            (Some(&from), Some(&to)) => self.items.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Grouped;
    use proptest::prelude::*;

    proptest! {
        /// Each bucket holds the keys that fall in it, in their order; keys past the last
        /// bucket are left out.
        #[test]
        fn each_bucket_holds_its_keys_in_order(
            keys in proptest::collection::vec(0usize..12, 0..200),
            buckets in 0usize..10,
        ) {
            let grouped = Grouped::by(buckets, &keys, |&k| k, |i, _| i);
            let mut all = Vec::new();
            for b in 0..buckets {
                let expected: Vec<usize> =
                    (0..keys.len()).filter(|&i| keys[i] == b).collect();
                prop_assert_eq!(grouped.bucket(b), &expected[..]);
                all.extend(expected);
            }
            prop_assert_eq!(&grouped.items, &all);
            prop_assert_eq!(grouped.start.len(), buckets + 1);
            prop_assert!(grouped.bucket(buckets).is_empty());
        }
    }
}
