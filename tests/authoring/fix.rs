//! `gongshi check --fix`: the alias and the missing grade, and not one byte more.

use super::*;

#[test]
fn check_fix_changes_exactly_the_alias_and_the_missing_grade() {
    let (_tmp, root) = init_site();
    let year = root.join("content/2025");
    let pristine = files(&root);

    set_line(&year.join("caiwu/cwk-01.md"), "grade: 三级", "grade: C");
    set_line(&year.join("unit/dw-01.md"), "grade: 一级", "grade: \"1级\"");
    // dw-01 also starts with a BOM (Notepad's UTF-8): columns count after it.
    let dw01 = year.join("unit/dw-01.md");
    std::fs::write(&dw01, format!("\u{feff}{}", read(&dw01))).unwrap();
    // cwk-02: no grade at all (the key and its two comment lines), and CRLF line ends.
    let cwk02 = read(&year.join("caiwu/cwk-02.md"));
    let without: String = cwk02
        .split_inclusive('\n')
        .filter(|l| {
            !l.starts_with("grade:") && !l.starts_with("# 风险等级") && !l.starts_with("# 可以从严")
        })
        .collect();
    assert_eq!(without.lines().count() + 3, cwk02.lines().count());
    std::fs::write(year.join("caiwu/cwk-02.md"), crlf(&without)).unwrap();
    let edited = files(&root);

    let run = gongshi(&root, &["check", "--fix"]);
    run.exit(0)
        .stderr_has("content/2025/caiwu/cwk-01.md:23：grade: C → 三级")
        .stderr_has("content/2025/unit/dw-01.md:24：grade: \"1级\" → 一级")
        .stderr_has("content/2025/caiwu/cwk-02.md:")
        .stderr_has("补上 grade: 二级")
        .stderr_has("0 个错误，0 个警告");
    let fixed = files(&root);
    for (file, bytes) in &fixed {
        match file.as_str() {
            "content/2025/unit/dw-01.md" => {
                let mut expected = "\u{feff}".as_bytes().to_vec();
                expected.extend(&pristine[file]);
                assert_eq!(
                    bytes, &expected,
                    "{file}: BOM kept, the alias canonical, nothing else"
                )
            }
            "content/2025/caiwu/cwk-01.md" => {
                assert_eq!(
                    bytes, &pristine[file],
                    "{file}: back to the canonical name, nothing else"
                )
            }
            "content/2025/caiwu/cwk-02.md" => {
                let expected = crlf(&without.replacen("# 直接负责", "grade: 二级\n# 直接负责", 1));
                assert_eq!(String::from_utf8_lossy(bytes), expected);
            }
            _ => assert_eq!(bytes, &edited[file], "{file} untouched"),
        }
    }
    gongshi(&root, &["check", "--fix"])
        .exit(0)
        .stderr_has("没有可以自动修改的问题");
    assert_eq!(files(&root), fixed);
}

#[test]
fn check_fix_on_the_examples_touches_only_grade_lines() {
    let site = example_site();
    let root = site.path();
    let before = files(root);
    let plain = gongshi(root, &["check"]);
    let run = gongshi(root, &["check", "--fix"]);
    run.exit(plain.code.expect("check exits"))
        .stderr_has("→ 三级")
        .stderr_has("补上 grade:");
    let after = files(root);
    let mut changed = 0;
    for (file, old) in &before {
        let (old, new) = (
            String::from_utf8_lossy(old),
            String::from_utf8_lossy(&after[file]),
        );
        if old == new {
            continue;
        }
        changed += 1;
        let old_lines: Vec<&str> = old.lines().collect();
        let new_lines: Vec<&str> = new.lines().collect();
        if old_lines.len() == new_lines.len() {
            let diff: Vec<(&&str, &&str)> = old_lines
                .iter()
                .zip(&new_lines)
                .filter(|(a, b)| a != b)
                .collect();
            assert_eq!(diff.len(), 1, "{file}");
            assert!(
                diff[0].0.starts_with("grade:") && diff[0].1.starts_with("grade:"),
                "{file}: {diff:?}"
            );
        } else {
            let added: Vec<&&str> = new_lines
                .iter()
                .filter(|l| l.starts_with("grade:"))
                .collect();
            assert_eq!(added.len(), 1, "{file}");
            let without: Vec<&str> = new_lines
                .iter()
                .copied()
                .filter(|l| !l.starts_with("grade:"))
                .collect();
            assert_eq!(without, old_lines, "{file}: only the grade line added");
        }
    }
    assert!(
        changed >= 2,
        "the examples hold an alias and missing grades"
    );
    assert_eq!(files(root), after);
}
