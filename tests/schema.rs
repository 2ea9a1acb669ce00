//! `gongshi schema`: the JSON Schema of a risk point's front matter (src/schema.rs), checked
//! with a JSON Schema validator (`jsonschema`, draft 2020-12) against the files gongshi itself
//! accepts, and against what its loader and rules refuse, so that what an editor marks is what
//! `check` reports.
//!
//! Front matter is read with gongshi's own splitter and YAML reader, so the validator sees what
//! the loader sees (`grade: 2` is the number 2, `2022-05-25` a string).

use std::path::{Path, PathBuf};

use gongshi::content::yaml::{self, Node, Value as Yaml};
use gongshi::content::{front_matter, year_folders};
use serde_json::{Map, Value, json};

use crate::harness::{Gongshi, Site};

/// The schema as the binary prints it.
fn printed_schema() -> Value {
    let run = Site::new().run(["schema"]).succeeds();
    serde_json::from_str(&run.stdout).expect("`gongshi schema` prints one JSON document")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).expect("a valid draft 2020-12 schema")
}

fn to_json(node: &Node) -> Value {
    match &node.value {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Int(i) => json!(i),
        Yaml::Float(f) => json!(f),
        Yaml::Str(s) => Value::String(s.clone()),
        Yaml::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect::<Map<_, _>>(),
        ),
    }
}

/// A file's front matter as JSON, read as the loader reads it.
fn front_matter_of(text: &str) -> Value {
    let split = front_matter::split(text).expect("front matter");
    let node = yaml::parse(split.yaml, split.yaml_line_offset).expect("YAML");
    to_json(&node)
}

/// Every risk point that the loader reads in the site at `root`, every year.
fn points_of(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for year in year_folders(root).expect("year folders") {
        let site = gongshi::site::Site::load(root, Some(year)).expect("the site loads");
        files.extend(site.year.points.iter().map(|p| root.join(&p.file)));
    }
    assert!(!files.is_empty(), "no points in {}", root.display());
    files
}

/// The error messages of `instance`, for failures.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema = printed_schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(jsonschema::meta::is_valid(&schema), "not a valid schema");
    // The descriptions are Chinese.
    assert!(
        schema["properties"]["likelihood"]["description"]
            .as_str()
            .unwrap()
            .contains("较高")
    );
}

/// Every point of the example site, of the tests' base site and of a site from `init`
/// validates; so does each with an alias where the grade is.
#[test]
fn every_example_file_validates() {
    let validator = validator(&printed_schema());
    let example = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = Site::base();
    let init = tempfile::tempdir().unwrap();
    Gongshi::new()
        .current_dir(init.path())
        .env("GONGSHI_TODAY", "2025-05-30")
        .args(["init", "site"])
        .run()
        .succeeds();
    let mut files = points_of(example);
    files.extend(points_of(base.root()));
    files.extend(points_of(&init.path().join("site")));
    assert!(files.len() > 70, "{}", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let instance = front_matter_of(&text);
        assert!(
            validator.is_valid(&instance),
            "{} does not validate: {:?}",
            file.display(),
            errors(&validator, &instance)
        );
    }
}

/// A misspelled key, at the top or inside `measures` or `review`, does not validate (and
/// `check` reports it as `unknown-field`).
#[test]
fn an_unknown_key_does_not_validate() {
    let validator = validator(&printed_schema());
    let text = Site::base().read("content/2022/caiwu/zhichu.md");
    assert!(validator.is_valid(&front_matter_of(&text)));
    for (from, to) in [
        ("grade: 二级", "grdae: 二级"),
        ("grade: 二级", "grade: 二级\n等级: 二级"),
        ("  前期预防:", "  前期预仿:"),
        ("  submitted:", "  sumbitted:"),
    ] {
        let bad = text.replacen(from, to, 1);
        assert_ne!(bad, text);
        assert!(
            !validator.is_valid(&front_matter_of(&bad)),
            "`{to}` validates"
        );
        let site = Site::base().file("content/2022/caiwu/zhichu.md", &bad);
        let run = site.check().fails();
        assert!(
            run.stdout_json().iter().any(|d| d.rule == "unknown-field"),
            "{run:?}"
        );
    }
}

/// The front matter of `text` without the block of top-level `key` (its line and the indented
/// lines under it).
fn without_key(text: &str, key: &str) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with(&format!("{key}:")) {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with(' ') || line.starts_with("- ")) {
            continue;
        }
        skipping = false;
        out.push(line);
    }
    out.concat()
}

/// One point rewritten in a base site, loaded and checked by the library as `check` does.
struct Probe {
    site: Site,
    file: &'static str,
}

impl Probe {
    fn new(file: &'static str) -> Probe {
        Probe {
            site: Site::base(),
            file,
        }
    }

    fn text(&self) -> String {
        Site::base().read(self.file)
    }

    /// The rules reported on the point when it reads `text`.
    fn rules(&self, text: &str) -> Vec<String> {
        std::fs::write(self.site.path(self.file), text).unwrap();
        let site = gongshi::site::Site::load(self.site.root(), None).unwrap();
        site.diagnostics
            .iter()
            .filter(|d| d.file == self.file)
            .map(|d| d.rule.name().to_string())
            .collect()
    }
}

/// The schema's required keys are the keys whose absence the loader reports, for each level
/// (`post` and `holder` on a 岗位 point).
#[test]
fn required_keys_are_what_the_loader_requires() {
    let schema = printed_schema();
    let validator = validator(&schema);
    // A 岗位 point (all keys but sanzhong_yida) and a 单位 point.
    for file in [
        "content/2022/caiwu/chuna.md",
        "content/2022/unit/yinzhang.md",
    ] {
        let probe = Probe::new(file);
        let text = probe.text();
        for key in gongshi::content::risk::KEYS {
            let without = without_key(&text, key);
            if without == text {
                continue;
            }
            let missing = probe.rules(&without).iter().any(|r| r == "missing-field");
            let valid = validator.is_valid(&front_matter_of(&without));
            assert_eq!(
                valid, !missing,
                "{file} without `{key}`: the schema says {valid}, the loader {missing}"
            );
        }
    }
}

/// A value of each key, valid or not, is refused by the schema exactly when the loader refuses
/// it (`invalid-value`, or `missing-field` for an empty required value).
#[test]
fn values_are_refused_where_the_loader_refuses_them() {
    let schema = printed_schema();
    let probe = Probe::new("content/2022/caiwu/zhichu.md");
    let text = probe.text();
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "grade",
            "grade: 二级",
            &[
                "一级", "B", "b", "2", "\"2\"", "2级", "B级", "b级", "Ｂ", "ｂ级", "２", "四级",
                "D", "Ｄ", "二",
                "\"\"",
                // Not `2.0`: JSON Schema compares numbers by value, so it cannot tell 2.0 from
                // the accepted 2, though the loader reads 2.0 as written and refuses it.
            ],
        ),
        (
            "likelihood",
            "likelihood: 较高",
            &["高", "较小", "很高", "较髙", "1", "\"\""],
        ),
        ("impact", "impact: 较重", &["严重", "一般", "很重", "A"]),
        (
            "category",
            "category: 业务流程风险",
            &["制度机制风险", "外部环境风险", "流程风险", "B"],
        ),
        ("scope", "scope: 全院", &["科室", "不公示", "全部", "\"\""]),
        (
            "id",
            "id: CW-02",
            &[
                "CW-2",
                "cw_02",
                "0",
                "2022",
                "-x",
                "index",
                "INDEX",
                "con",
                "Nul",
                "aux",
                "PRN",
                "Com1",
                "com0",
                "CON-01",
                "LPT9",
                "lpt10",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "财务-02",
                "\"a b\"",
            ],
        ),
        (
            "title",
            "title: 大额资金支付审批把关不严",
            &["\"\"", "\"  \"", "2022", "[a, b]"],
        ),
        (
            "submitted",
            "  submitted: 2022-05-25",
            &["2022-05-26", "2022-5-25", "2022/05/25", "20220525", "\"\""],
        ),
    ];
    for (key, line, values) in cases {
        let property = if *key == "submitted" {
            schema["properties"]["review"]["properties"][key].clone()
        } else {
            schema["properties"][key].clone()
        };
        let validator = validator(&property);
        let indent = if *key == "submitted" { "  " } else { "" };
        for value in *values {
            let changed = text.replacen(line, &format!("{indent}{key}: {value}"), 1);
            assert_ne!(changed, text, "{line}");
            let refused = probe
                .rules(&changed)
                .iter()
                .any(|r| r == "invalid-value" || r == "missing-field");
            let node = front_matter_of(&changed);
            let instance = if *key == "submitted" {
                node["review"]["submitted"].clone()
            } else {
                node[key].clone()
            };
            assert_eq!(
                validator.is_valid(&instance),
                !refused,
                "`{key}: {value}`: the loader {}",
                if refused { "refuses it" } else { "accepts it" }
            );
        }
    }
}

/// What each level may carry (`level-field`) is in the schema too.
#[test]
fn level_fields_are_refused_where_the_rules_refuse_them() {
    let validator = validator(&printed_schema());
    let cases: &[(&str, &str, &str)] = &[
        // A 科室 point with a post.
        (
            "content/2022/caiwu/zhichu.md",
            "level: 科室",
            "level: 科室\npost: 出纳",
        ),
        // 思想道德风险 on a 科室 point.
        (
            "content/2022/caiwu/zhichu.md",
            "category: 业务流程风险",
            "category: 思想道德风险",
        ),
        // 三重一大 on a 科室 point.
        (
            "content/2022/caiwu/zhichu.md",
            "scope: 全院",
            "scope: 全院\nsanzhong_yida: 大额资金使用",
        ),
        // A 单位 point shown to one department only.
        (
            "content/2022/unit/yinzhang.md",
            "level: 单位",
            "level: 单位\nscope: 科室",
        ),
        // A 单位 point is never 不公示 (plan 六.(二).3).
        (
            "content/2022/unit/yinzhang.md",
            "level: 单位",
            "level: 单位\nscope: 不公示",
        ),
        // A leader's own 单位 point names the leader (plan 六.(二)).
        (
            "content/2022/unit/yinzhang.md",
            "level: 单位",
            "level: 单位\nholder: 王副院长",
        ),
        // A 单位 point filed with the city bureau; a 科室 point is not filed.
        (
            "content/2022/unit/yinzhang.md",
            "  board: 2022-07-06",
            "  board: 2022-07-06\n  filed: 2022-07-20",
        ),
        (
            "content/2022/caiwu/zhichu.md",
            "review:",
            "review:\n  filed: 2022-07-20",
        ),
        // 思想道德风险 on a 岗位 point is allowed.
        (
            "content/2022/caiwu/chuna.md",
            "category: 岗位职责风险",
            "category: 思想道德风险",
        ),
        // An empty post on a 科室 point is no post.
        (
            "content/2022/caiwu/zhichu.md",
            "level: 科室",
            "level: 科室\npost:",
        ),
    ];
    for (file, from, to) in cases {
        let probe = Probe::new(file);
        let text = probe.text();
        let changed = text.replacen(from, to, 1);
        assert_ne!(changed, text, "{file}: {from}");
        let refused = probe.rules(&changed).iter().any(|r| r == "level-field");
        let valid = validator.is_valid(&front_matter_of(&changed));
        assert_eq!(valid, !refused, "{file} with `{to}`");
    }
}

/// `init` writes the schema into the site and maps it onto the risk files for the YAML
/// extension, and a check task whose problem matcher reads gongshi's own diagnostics.
#[test]
fn init_writes_the_editor_files() {
    let tmp = tempfile::tempdir().unwrap();
    Gongshi::new()
        .current_dir(tmp.path())
        .env("GONGSHI_TODAY", "2025-05-30")
        .args(["init", "site"])
        .run()
        .succeeds();
    let root = tmp.path().join("site");
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap();
    let written: Value = serde_json::from_str(&read(".vscode/gongshi.schema.json")).unwrap();
    assert_eq!(written, printed_schema());
    let settings: Value = serde_json::from_str(&read(".vscode/settings.json")).unwrap();
    assert_eq!(
        settings["yaml.schemas"]["./.vscode/gongshi.schema.json"],
        json!(["content/**/*.md"])
    );

    // The task's problem matchers find each diagnostic of a human `check`, with its rule,
    // file, line and column.
    let tasks: Value = serde_json::from_str(&read(".vscode/tasks.json")).unwrap();
    let task = &tasks["tasks"][0];
    assert_eq!(task["command"], "gongshi");
    let args: Vec<&str> = task["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let site = Site::base()
        .replace("content/2022/caiwu/zhichu.md", "grade: 二级", "grade: 三级")
        .replace(
            "content/2022/caiwu/zhichu.md",
            "scope: 全院",
            "scope: 全院\ngrdae: 1",
        );
    let run = site.run(&args);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let mut found = Vec::new();
    for matcher in task["problemMatcher"].as_array().unwrap() {
        let header = regex::Regex::new(matcher["pattern"][0]["regexp"].as_str().unwrap()).unwrap();
        let location =
            regex::Regex::new(matcher["pattern"][1]["regexp"].as_str().unwrap()).unwrap();
        for pair in lines.windows(2) {
            if let (Some(h), Some(l)) = (header.captures(pair[0]), location.captures(pair[1])) {
                found.push(format!(
                    "{} {} {}:{}:{}",
                    matcher["severity"].as_str().unwrap(),
                    &h[1],
                    &l[1],
                    &l[2],
                    &l[3]
                ));
            }
        }
    }
    for expected in [
        "error under-graded content/2022/caiwu/zhichu.md:8:8",
        "error unknown-field content/2022/caiwu/zhichu.md:15:1",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "{expected} not found in {found:?}\n{run:?}"
        );
    }
    let json = site.check();
    assert_eq!(found.len(), json.stdout_json().len(), "{found:?}");
}
