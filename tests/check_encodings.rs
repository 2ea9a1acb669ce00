//! Issue 16: `check --fix` converts files saved as GBK (GB18030) or UTF-16 (little- or
//! big-endian, with or without a byte-order mark) to UTF-8, says which, and keeps their line
//! endings. Before, each was an `encoding` error that nothing converted.

use crate::harness::{Site, base};

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let units = bom
        .then_some(0xFEFF_u16)
        .into_iter()
        .chain(text.encode_utf16());
    units
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

#[test]
fn gbk_and_utf16_files_become_utf8() {
    let dept = "content/2022/zongwu/_index.md";
    let texts = [
        (dept, Site::base().read(dept)),
        (base::KUAIJI, crlf(&Site::base().read(base::KUAIJI))),
        (base::ZHICHU, Site::base().read(base::ZHICHU)),
        (base::SITE, crlf(&Site::base().read(base::SITE))),
    ];
    let (gbk, _, _) = encoding_rs::GB18030.encode(&texts[0].1);
    let site = Site::base()
        .bytes(dept, &gbk)
        .bytes(base::KUAIJI, &utf16(&texts[1].1, false, true))
        .bytes(base::ZHICHU, &utf16(&texts[2].1, true, false))
        .bytes(base::SITE, &utf16(&texts[3].1, false, false));
    let before = site.check().fails();
    assert!(
        before.stdout_json().iter().all(|d| d.rule == "encoding"),
        "{before:?}"
    );
    let run = site.run(["check", "--fix"]).succeeds();
    for (file, from) in [
        (dept, "GBK（GB18030）"),
        (base::KUAIJI, "UTF-16 LE"),
        (base::ZHICHU, "UTF-16 BE"),
        (base::SITE, "UTF-16 LE"),
    ] {
        assert!(
            run.stderr
                .contains(&format!("已转换 {file}：{from} → UTF-8")),
            "{file}: {run:?}"
        );
    }
    for (file, text) in &texts {
        assert_eq!(&site.read(file), text, "{file}");
    }
    site.check().succeeds().clean();
}

/// A file edited in two encodings (UTF-8 Chinese, then a GBK line) is not guessed at.
#[test]
fn a_file_in_two_encodings_is_left_for_a_person() {
    let text = Site::base().read(base::KUAIJI);
    let (gbk, _, _) = encoding_rs::GB18030.encode("## 表现形式\n凭证\n");
    let mixed = [text.as_bytes(), &gbk].concat();
    let site = Site::base().bytes(base::KUAIJI, &mixed);
    let run = site.run(["check", "--fix"]).fails();
    assert!(
        run.stderr.contains(&format!("未转换 {}", base::KUAIJI)),
        "{run:?}"
    );
    assert_eq!(std::fs::read(site.path(base::KUAIJI)).ok(), Some(mixed));
}
