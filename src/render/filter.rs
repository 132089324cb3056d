//! The commitments' filter data, written at build time and loaded by `js/filter.js` only when
//! a reader filters the commitments index: one file with every facet value and the
//! commitments carrying it ([`paths::FILTER_FACETS`]), and the pre-rendered list items in
//! files of [`paths::FILTER_ITEMS_PER_FILE`] ([`paths::filter_items`]). Both are scripts that
//! hand their data to a callback (`pactgenFilter.facets(...)`, `pactgenFilter.items(...)`),
//! not JSON, so that they load from `file://` too, where `fetch` is refused, and under
//! `Content-Security-Policy: default-src 'self'` (no `eval`).
//!
//! A commitment is named by its position in the index's reading order (0 for the first). A
//! value's commitments are written as the shorter of two encodings over the alphabet
//! [`ALPHABET`] (64 characters that need no escaping in JSON or a URL):
//!
//! - `b` and a bitmap: character `k` holds positions `6k .. 6k+5`, lowest bit first;
//! - `d` and the gaps between ascending positions (the first position, then each position
//!   minus the previous one minus 1), each written in groups of 5 bits, lowest first: a
//!   character from the first half of the alphabet ends a number, one from the second half
//!   carries a group and continues it.
//!
//! A value held by most commitments takes a sixth of a character per commitment; a rare one
//! a character or two per holder.

use super::*;

/// The 64 characters of the encodings, in the order of their values.
pub(crate) const ALPHABET: &[u8; 64] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// `positions` (ascending, each below `total`) in the shorter of the two encodings.
pub fn encode_positions(positions: &[u32], total: usize) -> String {
    let mut gaps = String::from("d");
    let mut previous: Option<u32> = None;
    for &p in positions {
        let mut n = match previous {
            None => p,
            Some(q) => p.saturating_sub(q).saturating_sub(1),
        };
        previous = Some(p);
        while n >= 32 {
            gaps.push(ALPHABET[32 + (n & 31) as usize] as char);
            n >>= 5;
        }
        gaps.push(ALPHABET[n as usize] as char);
    }
    let bitmap_len = total.div_ceil(6) + 1;
    if gaps.len() <= bitmap_len {
        return gaps;
    }
    let mut bits = vec![0u8; total.div_ceil(6)];
    for &p in positions {
        if let Some(c) = bits.get_mut(p as usize / 6) {
            *c |= 1 << (p % 6);
        }
    }
    let mut out = String::with_capacity(bitmap_len);
    out.push('b');
    out.extend(bits.into_iter().map(|c| ALPHABET[c as usize] as char));
    out
}

/// The positions an encoding holds (what the filter script reads), `None` if it is not one.
pub fn decode_positions(text: &str, total: usize) -> Option<Vec<u32>> {
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|v| v as u32);
    let (kind, body) = text.split_at_checked(1)?;
    let mut out = Vec::new();
    match kind {
        "b" => {
            for (k, c) in body.bytes().enumerate() {
                let bits = value(c)?;
                for j in 0..6 {
                    let p = k * 6 + j;
                    if bits & (1 << j) != 0 && p < total {
                        out.push(p as u32);
                    }
                }
            }
        }
        "d" => {
            let (mut n, mut shift, mut next) = (0u64, 0u32, 0u64);
            for c in body.bytes() {
                let v = u64::from(value(c)?);
                if v >= 32 {
                    n += (v - 32) << shift;
                    shift += 5;
                } else {
                    n += v << shift;
                    let p = next + n;
                    out.push(u32::try_from(p).ok()?);
                    next = p + 1;
                    n = 0;
                    shift = 0;
                }
                if shift > 35 {
                    return None;
                }
            }
        }
        _ => return None,
    }
    Some(out)
}

impl<'a> Renderer<'a> {
    /// Whether the filter data is written: the theme renders list items once
    /// (`commitment-item.html`), which the data files carry. Without it the filter panel's
    /// links lead to the facet pages, and nothing filters in the browser.
    pub(super) fn filter_enabled(&self) -> bool {
        self.items_prerendered() && Kind::Commitment.has_index()
    }

    /// The number of item files of the filter data.
    pub(super) fn filter_item_files(&self) -> usize {
        self.commitment_order()
            .0
            .len()
            .div_ceil(paths::FILTER_ITEMS_PER_FILE)
    }

    /// `commitments/filter/facets.js`: `pactgenFilter.facets({...})` with `total` (the number
    /// of commitments), `pageSize` (items a page shows), `perFile` (items per item file) and
    /// `facets`, each `{name, label, values}` with every value as `[slug, label, count,
    /// positions]` (positions encoded as [`encode_positions`] describes). Every facet is
    /// there, also those the panel leaves out, so that any filter URL can be read.
    pub(super) fn filter_facets_js(&self) -> String {
        let total = self.commitment_order().0.len();
        let ranks = self.facet_ranks();
        let facets: Vec<Value> = self
            .facets
            .iter()
            .zip(ranks)
            .map(|(f, ranks)| {
                let values: Vec<Value> = f
                    .values
                    .iter()
                    .map(|(slug, (label, _))| {
                        let positions = ranks.get(slug.as_str()).map_or(&[][..], Vec::as_slice);
                        json!([
                            slug,
                            label,
                            positions.len(),
                            encode_positions(positions, total)
                        ])
                    })
                    .collect();
                json!({"name": f.name, "label": f.label, "values": values})
            })
            .collect();
        let data = json!({
            "total": total,
            "pageSize": paths::LIST_PAGE_SIZE,
            "perFile": paths::FILTER_ITEMS_PER_FILE,
            "facets": facets,
        });
        format!("pactgenFilter.facets({data});\n")
    }

    /// `commitments/filter/items-<chunk>.js`: `pactgenFilter.items(chunk, [...])`, the
    /// rendered list items of the commitments at positions `chunk * perFile ..`, as the
    /// commitments index shows them (with `--relative`, their links are made relative to the
    /// index, where the script puts them).
    pub(super) fn filter_items_js(&self, chunk: usize) -> String {
        let order = &self.commitment_order().0;
        let start = (chunk * paths::FILTER_ITEMS_PER_FILE).min(order.len());
        let end = (start + paths::FILTER_ITEMS_PER_FILE).min(order.len());
        let fragments = self.item_fragments();
        let index_file = paths::page_file(&paths::kind_index(Kind::Commitment));
        let items: Vec<String> = order[start..end]
            .iter()
            .map(|r| {
                let html = fragments.get(&r.key).map_or("", String::as_str).trim();
                if self.settings.relative {
                    relativize(html, &index_file)
                } else {
                    html.to_string()
                }
            })
            .collect();
        let items = serde_json::to_string(&items).unwrap_or_else(|_| "[]".into());
        format!("pactgenFilter.items({chunk},{items});\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sparse_sets_are_gaps_and_dense_ones_bitmaps() {
        assert_eq!(encode_positions(&[], 10), "d");
        assert_eq!(encode_positions(&[0, 1, 2], 1000), "d000");
        // 40 = 8 + 1 * 32: a group of 8 that continues (`e`, the 41st character), then 1.
        assert_eq!(encode_positions(&[40], 1000), "de1");
        let all: Vec<u32> = (0..60).collect();
        let dense = encode_positions(&all, 60);
        assert!(dense.starts_with('b') && dense.len() == 11, "{dense}");
        assert_eq!(decode_positions(&dense, 60), Some(all));
        assert_eq!(decode_positions("x12", 10), None);
        assert_eq!(decode_positions("d!", 10), None);
    }

    proptest! {
        #[test]
        fn positions_survive_encoding(mut set in proptest::collection::btree_set(0u32..5000, 0..400), extra in 0usize..50) {
            let positions: Vec<u32> = std::mem::take(&mut set).into_iter().collect();
            let total = positions.last().map_or(0, |p| *p as usize + 1) + extra;
            let text = encode_positions(&positions, total);
            prop_assert!(text.bytes().skip(1).all(|c| ALPHABET.contains(&c)));
            // Never longer than the bitmap.
            prop_assert!(text.len() <= total.div_ceil(6) + 1);
            prop_assert_eq!(decode_positions(&text, total), Some(positions));
        }
    }
}
