//! The text form of a posting list, small enough that the index of a notice stays a fraction
//! of its text, and plain ASCII that needs no escaping in JSON. search.js `decode` reads it.
//!
//! A list is a bit stream written six bits to a character with the `DIGITS` alphabet (base64):
//!
//! - the first character is the Rice parameter `k` of the list;
//! - then, per document in ascending order, the gap (documents skipped since the previous
//!   one) in Rice code: `gap >> k` one-bits, a zero-bit, then the low `k` bits of the gap;
//! - then the field, in a prefix code by frequency: body `0`, details `10`, measures `110`,
//!   title `111`;
//! - the last character is padded with one-bits, which read as an unfinished gap: the end.
//!
//! A term in half the documents costs about three bits per document; a rare one, about
//! `log2(documents / postings) + 3`.

use super::postings::{Field, Posting};

/// Base64 digits; a digit's value is its position.
pub(crate) const DIGITS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The encoded list.
pub(crate) fn encode(postings: &[Posting]) -> String {
    let gaps: Vec<u64> = gaps(postings).collect();
    let k = rice_parameter(&gaps);
    let mut bits = BitWriter::with_capacity(postings.len());
    bits.out.push(char::from(DIGITS[k as usize]));
    for (gap, posting) in gaps.iter().zip(postings) {
        let quotient = gap >> k;
        let (code, len) = field_code(posting.field);
        let tail = ((gap & ((1u64 << k) - 1)) << len) | u64::from(code);
        if quotient + 1 + u64::from(k + len) <= 32 {
            // The usual case, in one push: the quotient's one-bits, the zero-bit, the low
            // bits of the gap and the field.
            let ones = ((1u64 << quotient) - 1) << (1 + k + len);
            bits.push(ones | tail, quotient as u32 + 1 + k + len);
        } else {
            bits.ones(quotient);
            bits.push(0, 1);
            // k + len is at most 35: the low bits and the field in two pushes.
            bits.push(gap & ((1u64 << k) - 1), k);
            bits.push(u64::from(code), len);
        }
    }
    bits.finish()
}

fn gaps(postings: &[Posting]) -> impl Iterator<Item = u64> + '_ {
    let mut next = 0u64;
    postings.iter().map(move |posting| {
        let doc = u64::from(posting.doc);
        let gap = doc.saturating_sub(next);
        next = doc + 1;
        gap
    })
}

/// The `k` that codes `gaps` in the fewest bits: near log2 of their mean, so try around it.
fn rice_parameter(gaps: &[u64]) -> u32 {
    let mean = gaps.iter().sum::<u64>() / gaps.len().max(1) as u64;
    let guess = 63 - mean.max(1).leading_zeros();
    // The three candidates' costs in one pass over the gaps.
    let low = guess.saturating_sub(1);
    let mut quotients = [0u64; 3];
    for gap in gaps {
        for (i, sum) in quotients.iter_mut().enumerate() {
            *sum += gap >> (low + i as u32).min(63);
        }
    }
    let n = gaps.len() as u64;
    // guess - 1 ..= guess + 1, or 0 ..= 1 when the guess is 0.
    let candidates = guess + 2 - low;
    (0..candidates)
        .map(|i| (low + i, quotients[i as usize] + n * u64::from(1 + low + i)))
        .min_by_key(|&(_, cost)| cost)
        .map_or(0, |(k, _)| k)
        .min(32)
}

/// The prefix code of a field and its length in bits.
fn field_code(field: Field) -> (u8, u32) {
    match field {
        Field::Body => (0b0, 1),
        Field::Details => (0b10, 2),
        Field::Measures => (0b110, 3),
        Field::Title => (0b111, 3),
    }
}

/// Bits in, base64 digits out: the bits gather in `acc` (at most 5 left over plus the 32
/// pushed at once) and leave six at a time.
struct BitWriter {
    out: String,
    acc: u64,
    len: u32,
}

impl BitWriter {
    fn with_capacity(postings: usize) -> BitWriter {
        BitWriter {
            out: String::with_capacity(postings + 2),
            acc: 0,
            len: 0,
        }
    }

    /// Appends the low `count` bits of `value` (at most 32), most significant first.
    fn push(&mut self, value: u64, count: u32) {
        debug_assert!(count <= 32);
        if count == 0 {
            return;
        }
        self.acc = (self.acc << count) | (value & ((1u64 << count) - 1));
        self.len += count;
        while self.len >= 6 {
            self.len -= 6;
            let digit = (self.acc >> self.len) & 0x3F;
            self.out.push(char::from(DIGITS[digit as usize]));
        }
        self.acc &= (1u64 << self.len) - 1;
    }

    /// Appends `count` one-bits.
    fn ones(&mut self, mut count: u64) {
        while count > 0 {
            let now = count.min(32) as u32;
            self.push(u64::MAX, now);
            count -= u64::from(now);
        }
    }

    /// The digits, the last one padded with one-bits.
    fn finish(mut self) -> String {
        if self.len != 0 {
            self.push(u64::MAX, 6 - self.len);
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoder of search.js, in Rust, to check that every list reads back.
    fn decode(text: &str) -> Vec<Posting> {
        let value = |c: char| DIGITS.iter().position(|&d| char::from(d) == c);
        let mut chars = text.chars();
        let Some(k) = chars.next().and_then(value) else {
            return Vec::new();
        };
        let bits: Vec<bool> = chars
            .filter_map(value)
            .flat_map(|v| (0..6).rev().map(move |p| (v >> p) & 1 == 1))
            .collect();
        let mut at = 0;
        let mut bit = || {
            at += 1;
            bits.get(at - 1).copied()
        };
        let mut out = Vec::new();
        let mut next = 0u64;
        loop {
            let mut gap = 0u64;
            loop {
                match bit() {
                    Some(true) => gap += 1,
                    Some(false) => break,
                    None => return out,
                }
            }
            for _ in 0..k {
                let Some(b) = bit() else { return out };
                gap = (gap << 1) | u64::from(b);
            }
            let field = match bit() {
                None => return out,
                Some(false) => Field::Body,
                Some(true) => match bit() {
                    None => return out,
                    Some(false) => Field::Details,
                    Some(true) => match bit() {
                        None => return out,
                        Some(false) => Field::Measures,
                        Some(true) => Field::Title,
                    },
                },
            };
            let doc = next + gap;
            out.push(Posting {
                doc: doc as u32,
                field,
            });
            next = doc + 1;
        }
    }

    fn p(doc: u32, field: Field) -> Posting {
        Posting { doc, field }
    }

    #[test]
    fn a_short_list() {
        // k = 0; doc 0 body: gap "0", field "0"; doc 1 title: "0" "111"; doc 3 measures: "10" "110".
        // Bits 00 0111 10110 + pad 1 → 000111 101101 → "H" "t".
        assert_eq!(
            encode(&[p(0, Field::Body), p(1, Field::Title), p(3, Field::Measures)]),
            "AHt"
        );
    }

    #[test]
    fn no_postings() {
        assert_eq!(encode(&[]), "A");
        assert!(decode("A").is_empty());
    }

    #[test]
    fn the_largest_document_number() {
        let list = [p(0, Field::Body), p(u32::MAX, Field::Title)];
        assert_eq!(decode(&encode(&list)), list);
    }

    #[test]
    fn a_dense_list_costs_few_bits_per_document() {
        let list: Vec<Posting> = (0..600)
            .filter(|d| d % 2 == 0)
            .map(|d| p(d, Field::Body))
            .collect();
        // k = 0 or 1: about three bits per posting.
        assert!(
            encode(&list).len() <= 300 * 3 / 6 + 2,
            "{}",
            encode(&list).len()
        );
    }

    fn field(n: u8) -> Field {
        [Field::Title, Field::Measures, Field::Details, Field::Body][usize::from(n % 4)]
    }

    proptest::proptest! {
        #[test]
        fn every_list_reads_back(
            docs in proptest::collection::btree_set(0u32..1_000_000, 0..200),
            fields in proptest::collection::vec(0u8..4, 200),
        ) {
            let list: Vec<Posting> = docs.into_iter().zip(fields).map(|(doc, f)| p(doc, field(f))).collect();
            let text = encode(&list);
            proptest::prop_assert!(text.bytes().all(|b| DIGITS.contains(&b)));
            proptest::prop_assert_eq!(decode(&text), list);
        }
    }
}
