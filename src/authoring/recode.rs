//! `check --fix` for files saved in an encoding other than UTF-8: Windows Notepad's "ANSI"
//! on a Chinese PC (GBK, read as its superset GB18030) and its "Unicode" (UTF-16, little- or
//! big-endian, with or without a byte-order mark). In: a file's bytes. Out: its text, and the
//! name of the encoding it was in, or why it is left alone. The text keeps its line endings.
//!
//! A file is converted only when it decodes without a single malformed sequence. A file that
//! is partly UTF-8 (Chinese text before the first bad byte) is not: it was edited in two
//! encodings, and decoding it as either would garble the other part.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

/// What a file's bytes are.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decoded {
    /// Already UTF-8 (with or without a BOM): nothing to do.
    Utf8,
    /// Text in another encoding, named.
    Text { text: String, from: &'static str },
    /// Not text gongshi can convert with certainty: why.
    Unsure(&'static str),
}

/// Reads bytes in whichever encoding they are in.
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        if encoding == encoding_rs::UTF_8 {
            return match std::str::from_utf8(&bytes[bom..]) {
                Ok(_) => Decoded::Utf8,
                Err(_) => Decoded::Unsure("开头标明是 UTF-8，其后却有不是 UTF-8 的内容"),
            };
        }
        return utf16(encoding, &bytes[bom..]);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return utf16(encoding, bytes);
    }
    let valid_up_to = match std::str::from_utf8(bytes) {
        Ok(_) => return Decoded::Utf8,
        Err(e) => e.valid_up_to(),
    };
    if !bytes[..valid_up_to].is_ascii() {
        return Decoded::Unsure("文件一部分是 UTF-8、一部分不是（可能先后用两种编码保存过）");
    }
    match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) if plausible(&text) => Decoded::Text {
            text: text.into_owned(),
            from: "GBK（GB18030）",
        },
        _ => Decoded::Unsure("既不是 UTF-8，也不是 GBK（GB18030）或 UTF-16"),
    }
}

fn utf16(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let name = if encoding == UTF_16LE {
        "UTF-16 LE"
    } else {
        "UTF-16 BE"
    };
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) if plausible(&text) => Decoded::Text {
            text: text.into_owned(),
            from: name,
        },
        _ => Decoded::Unsure("看似 UTF-16，却有无法解读的内容"),
    }
}

/// UTF-16 without a byte-order mark: NUL bytes (which text in UTF-8 or GBK never has) mostly
/// at odd offsets (little-endian: the ASCII of front matter, `-\0-\0-\0`) or mostly at even
/// ones (big-endian).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let nuls = |from: usize| {
        head.iter()
            .skip(from)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (nuls(0), nuls(1));
    if !bytes.len().is_multiple_of(2) || even + odd < 4 {
        None
    } else if odd > 3 * even {
        Some(UTF_16LE)
    } else if even > 3 * odd {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Text as a person writes it: no control characters but tabs and line ends, no private-use
/// or unassigned code points that a wrong decoding produces.
fn plausible(text: &str) -> bool {
    text.chars().all(|c| {
        (!c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            && !matches!(
                c,
                '\u{e000}'..='\u{f8ff}' | '\u{fffd}' | '\u{fffe}' | '\u{ffff}'
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "---\r\nid: CW-01\r\ntitle: 大额资金支付\r\n---\r\n正文\r\n";

    fn utf16_bytes(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        for unit in units {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend(pair);
        }
        out
    }

    fn converted(bytes: &[u8]) -> (String, &'static str) {
        match decode(bytes) {
            Decoded::Text { text, from } => (text, from),
            other => panic!("not converted: {other:?}"),
        }
    }

    #[test]
    fn gbk_and_utf16_become_the_same_text_with_crlf_kept() {
        let (gbk, _, _) = GB18030.encode(TEXT);
        assert_eq!(converted(&gbk), (TEXT.to_string(), "GBK（GB18030）"));
        for (big_endian, bom, name) in [
            (false, true, "UTF-16 LE"),
            (false, false, "UTF-16 LE"),
            (true, true, "UTF-16 BE"),
            (true, false, "UTF-16 BE"),
        ] {
            let bytes = utf16_bytes(TEXT, big_endian, bom);
            assert_eq!(converted(&bytes), (TEXT.to_string(), name), "{name} {bom}");
        }
    }

    #[test]
    fn utf8_is_left_alone_and_mixed_files_are_not_guessed() {
        assert_eq!(decode(TEXT.as_bytes()), Decoded::Utf8);
        assert_eq!(decode(format!("\u{feff}{TEXT}").as_bytes()), Decoded::Utf8);
        let (gbk, _, _) = GB18030.encode("风险点");
        let mixed = [TEXT.as_bytes(), &gbk].concat();
        assert!(matches!(decode(&mixed), Decoded::Unsure(_)));
        assert!(matches!(decode(&[0x80, 0x01, 0x02]), Decoded::Unsure(_)));
    }
}
