//! `gongshi schema`: a JSON Schema (draft 2020-12) of a risk point's front matter (SPEC
//! section 4), for editors: completion of keys and values, a description of each in Chinese,
//! and a mark under an unknown key or a value outside its enumeration, before `gongshi check`.
//! `init` writes it into the new site (`.vscode/gongshi.schema.json`, src/authoring/init.rs).
//!
//! It is built from what the loader reads, so it cannot drift from it: the keys are
//! `content::risk::KEYS` and `REVIEW_KEYS`, the lines of defence and every enumeration come from
//! `model` with their aliases (the grade's `B`, `2`, `二级`… and the full-width `Ｂ` a Chinese
//! input method types, each kept only if `Term::parse` reads it), and the tests below hold the
//! required keys, the id's form and the level rules (`level-field`) to what the loader and the
//! rules report. It describes the front matter's shape, not the rules across fields and files
//! (grade against likelihood and impact, responsibility, approvals): those stay `check`'s.
//!
//! In: nothing. Out: the schema as JSON on stdout.

use std::io::Write as _;

use anyhow::{Context as _, Result};
use serde_json::{Map, Value, json};

use crate::content::risk::{KEYS, REVIEW_KEYS};
use crate::model::{
    Approval, Category, Defence, Grade, Impact, Level, Likelihood, SanzhongYida, Scope, Term,
};

/// The keys every point must have (SPEC section 5, `missing-field`); `post` and `holder` too
/// for a 岗位 point (see [`level_rules`]).
pub(crate) const REQUIRED: &[&str] = &[
    "id",
    "title",
    "level",
    "category",
    "likelihood",
    "impact",
    "owner",
    "supervisor",
    "measures",
];

/// The id's form (SPEC section 1; `content::fields::is_valid_id`).
const ID_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$";

/// Ids that name a page of the notice itself or a device on Windows, in any case
/// (`content::fields::RESERVED_IDS`, `windows_device_name`).
fn reserved_id_pattern() -> String {
    let any_case = |word: &str| -> String {
        word.chars()
            .map(|c| {
                if c.is_ascii_alphabetic() {
                    format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
                } else {
                    c.to_string()
                }
            })
            .collect()
    };
    let mut names: Vec<String> = crate::content::fields::RESERVED_IDS
        .iter()
        .map(|w| any_case(w))
        .collect();
    names.extend(["con", "prn", "aux", "nul"].map(any_case));
    names.extend(["com", "lpt"].map(|w| format!("{}[1-9]", any_case(w))));
    format!("^({})$", names.join("|"))
}

/// A text the loader reads (a string, or a number read as it is written), not blank.
fn text(title: &str, description: &str) -> Value {
    json!({
        "title": title,
        "description": description,
        "type": ["string", "number"],
        "pattern": "\\S",
    })
}

/// A key left empty (`grade:`), which the loader takes as not given.
fn empty() -> Value {
    json!({"anyOf": [{"type": "null"}, {"type": "string", "pattern": "^\\s*$"}]})
}

/// An optional value: `schema`, or empty.
fn optional(schema: Value) -> Value {
    let mut outer = Map::new();
    let mut inner = schema;
    if let Some(fields) = inner.as_object_mut() {
        for key in ["title", "description"] {
            if let Some(v) = fields.remove(key) {
                outer.insert(key.into(), v);
            }
        }
    }
    outer.insert("anyOf".into(), json!([inner, empty()]));
    Value::Object(outer)
}

/// The half-width and full-width, upper and lower case forms of an ASCII letter or digit.
fn forms(c: char) -> Vec<char> {
    let mut forms = vec![c];
    if c.is_ascii_alphabetic() {
        forms.push(if c.is_ascii_uppercase() {
            c.to_ascii_lowercase()
        } else {
            c.to_ascii_uppercase()
        });
    }
    if c.is_ascii_alphanumeric() {
        let wide: Vec<char> = forms
            .iter()
            .filter_map(|f| char::from_u32(*f as u32 + 0xFEE0))
            .collect();
        forms.extend(wide);
    }
    forms
}

/// Every spelling of `value` the loader reads: the term, its aliases, and their other cases and
/// full-width forms, each kept only if `Term::parse` reads it as `value`. An alias of digits is
/// also a number (`grade: 2` is the YAML number 2).
pub(crate) fn spellings<T: Term + PartialEq>(value: T) -> Vec<Value> {
    let mut out: Vec<Value> = vec![Value::from(value.term())];
    for alias in value.aliases() {
        let mut variants = vec![String::new()];
        for c in alias.chars() {
            variants = variants
                .iter()
                .flat_map(|prefix| forms(c).into_iter().map(move |f| format!("{prefix}{f}")))
                .collect();
        }
        for variant in variants {
            let spelled = Value::from(variant.as_str());
            if T::parse(&variant) == Some(value) && !out.contains(&spelled) {
                out.push(spelled);
            }
        }
        if let Ok(number) = alias.parse::<u64>() {
            let number = Value::from(number);
            if !out.contains(&number) {
                out.push(number);
            }
        }
    }
    out
}

/// A value of one of the plan's enumerations, every accepted spelling listed (the canonical
/// terms first, so an editor offers them first).
fn term<T: Term + PartialEq>(title: &str, description: &str) -> Value {
    let mut values: Vec<Value> = T::ALL.iter().map(|v| Value::from(v.term())).collect();
    for value in T::ALL {
        for spelled in spellings(*value) {
            if !values.contains(&spelled) {
                values.push(spelled);
            }
        }
    }
    json!({"title": title, "description": description, "enum": values})
}

fn date(title: &str, description: &str) -> Value {
    json!({
        "title": title,
        "description": format!("{description}。写成 YYYY-MM-DD，例如 2022-05-25"),
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "format": "date",
    })
}

/// The schema of one top-level key; `None` for a key this module does not know (a test
/// fails then).
fn field(key: &str) -> Option<Value> {
    Some(match key {
        "id" => json!({
            "title": "编号",
            "description": "科室前缀-序号，例如 CWK-03；同一年度内不能重复（不区分大小写）。由字母、数字、-、_ 组成，以字母或数字开头，最长 40 个字符；文件名是编号的小写",
            "anyOf": [
                {
                    "type": "string",
                    "pattern": ID_PATTERN,
                    "not": {"pattern": reserved_id_pattern()},
                },
                {"type": "integer", "minimum": 0},
            ],
        }),
        "title" => text(
            "风险点名称",
            "一句话概括风险，例如：大额资金支付审批把关不严",
        ),
        "level" => term::<Level>(
            "层次",
            "三个层次（实施方案 四）：岗位 | 科室 | 单位。单位层次的风险点放在 unit/ 中，其他放在所属科室的文件夹",
        ),
        "post" => optional(text("岗位名称", "岗位层次必填，例如：出纳；其他层次不填")),
        "holder" => optional(text(
            "在岗人员",
            "岗位层次必填：在岗人员姓名（填入附表1）；单位层次只在领导班子成员本人的风险点填该领导姓名；科室层次不填",
        )),
        "category" => term::<Category>(
            "风险类别",
            "实施方案 六.(二)：岗位职责风险 | 业务流程风险 | 制度机制风险 | 外部环境风险 | 思想道德风险（思想道德风险只用于岗位层次）",
        ),
        "likelihood" => term::<Likelihood>("发生机率", "高 | 较高 | 较小（实施方案 六.(二).4）"),
        "impact" => term::<Impact>(
            "危害程度",
            "严重（可能构成犯罪）| 较重（可能受到纪律处分）| 一般（造成不良影响或一定经济损失）",
        ),
        "grade" => optional(term::<Grade>(
            "风险等级",
            "一级 | 二级 | 三级（也可写 A/B/C 或 1/2/3）。不填则取发生机率与危害程度中较重的一项；可以从严定级，不能降级",
        )),
        "owner" => text(
            "直接负责管理落实的人",
            "一级：分管领导；二级：科室负责人；三级：岗位层次为在岗人员本人（实施方案 六.(三).5）",
        ),
        "supervisor" => text(
            "负责监督的人",
            "一级：主要领导；二级：分管领导；三级：科室负责人（实施方案 六.(三).5）",
        ),
        "sanzhong_yida" => optional(term::<SanzhongYida>(
            "三重一大",
            "只用于单位层次：重大事项决策 | 重要人事任免 | 重大项目安排 | 大额资金使用",
        )),
        "measures" => measures(),
        "scope" => optional(term::<Scope>(
            "公示范围",
            "全院 | 科室 | 不公示；不填按 site.yaml 的 rules.default_scope（岗位默认科室，科室、单位默认全院）",
        )),
        "review" => review(),
        _ => return None,
    })
}

/// `measures`: the lines of defence (and their other names in the plan), each a list of
/// measures or a single one.
fn measures() -> Value {
    let item = text("措施", "一条防控措施");
    let line = json!({"anyOf": [{"type": "array", "items": item}, item, {"type": "null"}]});
    let mut properties = Map::new();
    for defence in Defence::ALL {
        let also = if defence.aliases().is_empty() {
            String::new()
        } else {
            format!("（也可写作 {}）", defence.aliases().join("、"))
        };
        for name in std::iter::once(defence.term()).chain(defence.aliases().iter().copied()) {
            let mut schema = line.clone();
            if let Some(fields) = schema.as_object_mut() {
                fields.insert("title".into(), Value::from(name));
                fields.insert(
                    "description".into(),
                    Value::from(format!(
                        "{}{also}：每条措施一行，以“- ”开头",
                        defence.term()
                    )),
                );
            }
            properties.insert(name.to_string(), schema);
        }
    }
    json!({
        "title": "防控措施",
        "description": "按三道防线填写（前期预防、中期监控、后期处置）。一级需要三道防线，二级需要前期预防和中期监控，三级至少前期预防",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// `review`: the approval dates.
fn review() -> Value {
    let mut properties = Map::new();
    for key in REVIEW_KEYS {
        // `filed` is no approval: the filing with the city bureau (plan 六.(三).4.(3)).
        let step = Approval::of_key(key).map_or("报市卫生局纪检组备案", Approval::name);
        let when = match Approval::of_key(key) {
            Some(Approval::Dept) => "（岗位、科室风险点）",
            Some(Approval::Office) => "（科室风险点）",
            Some(Approval::Board) => "（单位风险点）",
            Some(Approval::Submitted) => "",
            None => "（单位风险点，不早于班子会议审定）",
        };
        properties.insert(
            key.to_string(),
            optional(date(step, &format!("{step}的日期{when}"))),
        );
    }
    json!({
        "title": "审批",
        "description": "审批日期，须按 填报 ≤ 科室 ≤ 办公室 ≤ 班子 的顺序，且不晚于公示开始日。岗位风险点有 dept、科室风险点有 dept 和 office、单位风险点有 board 才公示",
        "type": ["object", "null"],
        "properties": properties,
        "additionalProperties": false,
    })
}

/// What each level allows (`level-field`, src/rules/identity.rs): `post` on 岗位 points only
/// and `holder` on 岗位 points (required there) and 单位 points (a leader's own point, plan
/// 六.(二)), 思想道德风险 on 岗位 points only, `sanzhong_yida` and `review.filed` on 单位 points
/// only, and no 科室 or 不公示 scope on a 单位 point (plan 六.(二).3).
fn level_rules() -> Value {
    let is = |level: Level| json!({"properties": {"level": {"const": level.term()}}, "required": ["level"]});
    let text_required = json!({"type": ["string", "number"], "pattern": "\\S"});
    let mut unit_scopes = spellings(Scope::Department);
    unit_scopes.extend(spellings(Scope::Hidden));
    json!([
        {
            "if": is(Level::Post),
            "then": {
                "required": ["post", "holder"],
                "properties": {"post": text_required, "holder": text_required},
            },
            "else": {
                "properties": {
                    "post": empty(),
                    "category": {"not": {"const": Category::Ethics.term()}},
                },
            },
        },
        {
            "if": is(Level::Department),
            "then": {"properties": {"holder": empty()}},
        },
        {
            "if": is(Level::Unit),
            "then": {"properties": {"scope": {"not": {"enum": unit_scopes}}}},
            "else": {
                "properties": {
                    "sanzhong_yida": empty(),
                    "review": {"properties": {"filed": empty()}},
                },
            },
        },
    ])
}

/// The schema of a risk point's front matter.
pub(crate) fn risk_schema() -> Value {
    let mut properties = Map::new();
    for key in KEYS {
        properties.insert(key.to_string(), field(key).unwrap_or_else(|| text(key, "")));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "gongshi 风险点",
        "description": "风险点文件开头 --- 之间的字段（gongshi 的 SPEC 第 4 节）。等级与发生机率、危害程度是否相符，责任人、审批是否合规等，由 gongshi check 检查",
        "type": "object",
        "required": REQUIRED,
        "properties": properties,
        "additionalProperties": false,
        "allOf": level_rules(),
    })
}

/// The schema as the file `init` writes and `gongshi schema` prints.
pub(crate) fn risk_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&risk_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// `gongshi schema`.
pub(crate) fn run() -> Result<bool> {
    let mut out = std::io::stdout().lock();
    match out
        .write_all(risk_schema_text().as_bytes())
        .and_then(|()| out.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        other => other.context("无法写入标准输出").map(|()| false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_the_loader_has_its_own_schema() {
        for key in KEYS {
            assert!(field(key).is_some(), "no schema for `{key}`");
        }
        let schema = risk_schema();
        let properties = schema["properties"].as_object().unwrap();
        assert_eq!(properties.keys().count(), KEYS.len());
        for key in REQUIRED {
            assert!(KEYS.contains(key), "{key}");
        }
        let review: Vec<&String> = schema["properties"]["review"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(review.len(), REVIEW_KEYS.len());
        let measures = schema["properties"]["measures"]["properties"]
            .as_object()
            .unwrap();
        for defence in Defence::ALL {
            assert!(measures.contains_key(defence.term()));
            for alias in defence.aliases() {
                assert!(measures.contains_key(*alias), "{alias}");
            }
        }
    }

    /// Each enumeration lists exactly what `Term::parse` reads: every term and alias, and
    /// nothing that parses to something else or to nothing.
    #[test]
    fn enumerations_are_the_models_terms_and_aliases() {
        fn check<T: Term + PartialEq + std::fmt::Debug>(key: &str) {
            let schema = risk_schema();
            let node = &schema["properties"][key];
            let values = node["enum"]
                .as_array()
                .or_else(|| node["anyOf"][0]["enum"].as_array())
                .unwrap_or_else(|| panic!("no enum for {key}: {node}"));
            for value in T::ALL {
                assert!(
                    values.contains(&Value::from(value.term())),
                    "{key}: {value:?}"
                );
                for alias in value.aliases() {
                    assert!(values.contains(&Value::from(*alias)), "{key}: {alias}");
                }
            }
            for value in values {
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    other => panic!("{key}: {other}"),
                };
                assert!(T::parse(&text).is_some(), "{key}: {text} does not parse");
            }
        }
        check::<Level>("level");
        check::<Category>("category");
        check::<Likelihood>("likelihood");
        check::<Impact>("impact");
        check::<Grade>("grade");
        check::<SanzhongYida>("sanzhong_yida");
        check::<Scope>("scope");
        // What a Chinese input method types is listed too.
        let grades = &risk_schema()["properties"]["grade"]["anyOf"][0]["enum"];
        for typed in ["Ｂ", "ｂ级", "２", "b"] {
            assert!(
                grades.as_array().unwrap().contains(&Value::from(typed)),
                "{typed}"
            );
        }
        assert!(grades.as_array().unwrap().contains(&Value::from(2)));
    }
}
