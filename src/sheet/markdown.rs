//! A row of the workbook as a risk point file (SPEC section 4), in `fmt`'s canonical form.
//!
//! A new point is written whole: its front matter in the canonical key order, and the body
//! `new risk` gives (headings to fill in). A point that exists keeps its body and every line of
//! its front matter whose value the row does not change, comments included; a key whose value
//! changes is rewritten in place (its comment lines kept), one the row empties is removed, one
//! the row adds is put where the canonical order wants it. The result then goes through
//! `fmt::format_text`, so an imported file is exactly what `gongshi fmt` would leave.

use std::collections::HashMap;

use crate::authoring::fmt::{Role, format_text};
use crate::authoring::{blocks, double_quoted, yaml_scalar};
use crate::content::risk;
use crate::content::yaml::{self, Node, Value};
use crate::model::Approval;
use crate::model::{Defence, Level, Term};
use crate::sheet::columns::Field;

/// What one row says about a point: the text of each column (blank for an empty cell;
/// measures one per line; dates already read as `YYYY-MM-DD` where they could be).
#[derive(Debug, Clone, Default)]
pub(crate) struct PointValues {
    pub(crate) level: Option<Level>,
    pub(crate) id: String,
    pub(crate) cells: HashMap<Field, String>,
}

impl PointValues {
    pub(crate) fn get(&self, field: Field) -> &str {
        self.cells.get(&field).map_or("", |s| s.trim())
    }

    /// The measures of one line of defence: the cell's non-empty lines, without a bullet
    /// typed before them (`- `, `• `, `· `): the lines are the list.
    pub(crate) fn measures(&self, defence: Defence) -> Vec<&str> {
        self.cells
            .get(&Field::Measure(defence))
            .map(|text| {
                text.lines()
                    .map(|l| {
                        l.trim()
                            .trim_start_matches(['-', '－', '•', '·', '●', '▪'])
                            .trim_start()
                    })
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn level(&self) -> Level {
        self.level.unwrap_or(Level::Post)
    }
}

/// A list item's text as YAML: plain when it reads back as itself in a list (`- 措施`),
/// double-quoted otherwise.
fn item_scalar(text: &str) -> String {
    let scalar = yaml_scalar(text);
    if scalar.starts_with('"') {
        return scalar;
    }
    let reads_back = yaml::parse(&format!("k:\n  - {scalar}\n"), 0).is_ok_and(|node| {
        matches!(&node.value, Value::Map(entries) if matches!(
            &entries[0].1.value,
            Value::Seq(items) if items.len() == 1 && items[0].value == Value::Str(text.to_string())
        ))
    });
    if reads_back {
        scalar
    } else {
        double_quoted(text)
    }
}

fn line(key: &str, text: &str) -> String {
    format!("{key}: {}\n", yaml_scalar(text))
}

/// The front matter of the row, key by key in the canonical order (`content::risk::KEYS`):
/// each key's YAML lines, or `None` where the row gives no value. A required value left empty
/// is written as `""`, so that `check` reports it (`missing-field`) at its own key.
pub(crate) fn key_blocks(values: &PointValues) -> Vec<(&'static str, Option<String>)> {
    let level = values.level();
    let text = |field: Field| values.get(field);
    let optional = |key: &str, field: Field| {
        let value = text(field);
        (!value.is_empty()).then(|| line(key, value))
    };
    risk::KEYS
        .iter()
        .map(|&key| {
            let block = match key {
                "id" => Some(line(key, values.id.trim())),
                "level" => Some(line(key, level.term())),
                "post" if level != Level::Post => None,
                // A 单位 point's holder is the leader whose own point it is: optional.
                "holder" if level == Level::Unit => optional(key, Field::Holder),
                "holder" if level != Level::Post => None,
                "grade" => optional(key, Field::Grade),
                "sanzhong_yida" => optional(key, Field::SanzhongYida),
                "scope" => optional(key, Field::Scope),
                "measures" => Some(measures_block(values)),
                "review" => review_block(values),
                _ => {
                    let field = match key {
                        "title" => Field::Title,
                        "post" => Field::Post,
                        "holder" => Field::Holder,
                        "category" => Field::Category,
                        "likelihood" => Field::Likelihood,
                        "impact" => Field::Impact,
                        "owner" => Field::Owner,
                        _ => Field::Supervisor,
                    };
                    Some(line(key, text(field)))
                }
            };
            (key, block)
        })
        .collect()
}

fn measures_block(values: &PointValues) -> String {
    let mut out = String::from("measures:");
    let mut any = false;
    for defence in Defence::ALL {
        let items = values.measures(*defence);
        if items.is_empty() {
            continue;
        }
        any = true;
        out.push_str(&format!("\n  {}:", defence.term()));
        for item in items {
            out.push_str(&format!("\n    - {}", item_scalar(item)));
        }
    }
    if !any {
        // No measure at all: `check` says so (`measures-missing`) at this key.
        out.push_str(" {}");
    }
    out.push('\n');
    out
}

fn review_block(values: &PointValues) -> Option<String> {
    let steps: Vec<String> = Approval::ALL
        .iter()
        .map(|step| (step.key(), Field::Review(*step)))
        .chain([("filed", Field::Filed)])
        .filter_map(|(key, field)| {
            let date = values.get(field);
            (!date.is_empty()).then(|| format!("  {key}: {}\n", yaml_scalar(date)))
        })
        .collect();
    (!steps.is_empty()).then(|| format!("review:\n{}", steps.concat()))
}

/// The text of a new point file.
pub(crate) fn new_text(values: &PointValues, body: &str) -> String {
    let yaml: String = key_blocks(values)
        .into_iter()
        .filter_map(|(_, block)| block)
        .collect();
    canonical(format!("---\n{yaml}---\n{body}"))
}

/// The file in `fmt`'s canonical form (the text as it is if `fmt` would leave it alone: it
/// was just made from parts that parse).
fn canonical(text: String) -> String {
    match format_text(&text, Role::Point) {
        Ok(formatted) => formatted.text,
        Err(_) => text,
    }
}

/// The value a key holds, if it is given: an empty value (`grade:`, `grade: ""`) is not.
fn given(node: Option<&Node>) -> Option<&Node> {
    node.filter(|n| match &n.value {
        Value::Null => false,
        Value::Str(s) => !s.trim().is_empty(),
        _ => true,
    })
}

/// Whether an existing key's value is what the row's block says.
fn same_value(existing: Option<&Node>, block: Option<&str>) -> bool {
    let wanted = block.and_then(|b| yaml::parse(b, 0).ok());
    let wanted = wanted
        .as_ref()
        .and_then(|n| n.as_map())
        .and_then(|entries| entries.first())
        .map(|(_, v)| v);
    match (given(existing), given(wanted)) {
        (None, None) => true,
        (Some(a), Some(b)) => blocks::same_data(a, b),
        _ => false,
    }
}

/// The comment lines at the top of a key's block (they say what the key is for; they stay
/// when its value changes).
fn leading_comments(block: &str) -> &str {
    let mut end = 0;
    for line in block.split_inclusive('\n') {
        if !line.trim_start().starts_with('#') {
            break;
        }
        end += line.len();
    }
    &block[..end]
}

/// An existing point file brought to what the row says (see the module's comment).
pub(crate) struct Updated {
    pub(crate) text: String,
    /// The keys whose value the row changes, in the canonical order.
    pub(crate) changed: Vec<&'static str>,
}

/// An existing point file brought to what the row says (see the module's comment). `Err`
/// with the reason when the file's front matter cannot be read.
pub(crate) fn updated_text(existing: &str, values: &PointValues) -> Result<Updated, String> {
    let (bom, ending, lf) = crate::authoring::normalised(existing);
    let (split, root) = crate::authoring::parse_front(&lf)?;
    let wanted = key_blocks(values);
    let wanted_of = |key: &str| {
        wanted
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, block)| block.as_deref())
    };
    let existing_of = |key: &str| {
        root.as_map()
            .and_then(|entries| entries.iter().find(|(k, _)| k.name == key))
            .map(|(_, v)| v)
    };
    let changed: Vec<&'static str> = wanted
        .iter()
        .filter(|(key, block)| !same_value(existing_of(key), block.as_deref()))
        .map(|(key, _)| *key)
        .collect();
    let yaml_text = split.yaml;
    let new_yaml = match blocks::layout(yaml_text, &root, split.yaml_line_offset) {
        // Not one key per line (a flow mapping): written anew from the row.
        None => wanted.iter().filter_map(|(_, b)| b.clone()).collect(),
        Some(layout) => {
            let mut out = String::from(&yaml_text[layout.preamble.clone()]);
            let mut seen = Vec::new();
            for block in &layout.blocks {
                let text = &yaml_text[block.range.clone()];
                let gap = &yaml_text[block.gap.clone()];
                seen.push(block.key.as_str());
                let Some(wanted) = wanted_of(&block.key) else {
                    // A key this format does not know: `check` reports it; it stays.
                    out.push_str(text);
                    if !text.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(gap);
                    continue;
                };
                if same_value(existing_of(&block.key), wanted) {
                    out.push_str(text);
                    if !text.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(gap);
                } else if let Some(wanted) = wanted {
                    out.push_str(leading_comments(text));
                    out.push_str(wanted);
                    out.push_str(gap);
                }
            }
            for (key, block) in &wanted {
                if let Some(block) = block
                    && !seen.contains(key)
                {
                    out.push_str(block);
                }
            }
            out.push_str(&yaml_text[layout.postamble.clone()]);
            out
        }
    };
    let mut text = String::new();
    if bom {
        text.push('\u{feff}');
    }
    text.push_str(&ending.apply(&format!("---\n{new_yaml}---\n{}", split.body)));
    Ok(Updated {
        text: canonical(text),
        changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(Field, &str)]) -> PointValues {
        PointValues {
            level: Some(Level::Department),
            id: "CWK-03".into(),
            cells: pairs.iter().map(|(f, v)| (*f, v.to_string())).collect(),
        }
    }

    fn full() -> PointValues {
        values(&[
            (Field::Title, "大额资金支付审批把关不严"),
            (Field::Category, "业务流程风险"),
            (Field::Likelihood, "较高"),
            (Field::Impact, "较重"),
            (Field::Grade, "二级"),
            (Field::Owner, "陈某平"),
            (Field::Supervisor, "李某华"),
            (
                Field::Measure(Defence::Prevention),
                "集体决策\n\n 审批: 三岗分离 \n",
            ),
            (Field::Measure(Defence::Monitoring), "• 每月报送"),
            (Field::Review(Approval::Submitted), "2022-05-30"),
        ])
    }

    #[test]
    fn a_new_point_in_canonical_form() {
        let text = new_text(&full(), "## 表现形式\n");
        assert_eq!(
            text,
            "---\nid: CWK-03\ntitle: 大额资金支付审批把关不严\nlevel: 科室\ncategory: 业务流程风险\n\
             likelihood: 较高\nimpact: 较重\ngrade: 二级\nowner: 陈某平\nsupervisor: 李某华\n\
             measures:\n  前期预防:\n    - 集体决策\n    - \"审批: 三岗分离\"\n  中期监控:\n    - 每月报送\n\
             review:\n  submitted: 2022-05-30\n---\n## 表现形式\n"
        );
        assert_eq!(format_text(&text, Role::Point).unwrap().text, text);
    }

    #[test]
    fn an_update_keeps_the_body_comments_and_unchanged_keys() {
        let existing = "\u{feff}---\r\n# 编号\r\nid: CWK-03\r\ntitle: 旧标题 # 注\r\nlevel: 科室\r\n\
             category: 业务流程风险\r\nlikelihood: 较高\r\nimpact: 较重\r\n# 等级说明\r\ngrade: B\r\n\
             owner: 陈某平\r\nsupervisor: 李某华\r\nmeasures:\r\n  前期预防: [集体决策, \"审批: 三岗分离\"]\r\n\
             \x20 中期监控:\r\n    - 每月报送\r\nscope: 全院\r\nreview: {submitted: 2022-05-30}\r\n---\r\n正文\r\n";
        let mut row = full();
        row.cells.insert(Field::Title, "新标题".into());
        let updated = updated_text(existing, &row).unwrap();
        assert_eq!(updated.changed, ["title", "grade", "scope"]);
        let text = updated.text;
        assert_eq!(
            text,
            "\u{feff}---\r\n# 编号\r\nid: CWK-03\r\ntitle: 新标题\r\nlevel: 科室\r\n\
             category: 业务流程风险\r\nlikelihood: 较高\r\nimpact: 较重\r\n# 等级说明\r\ngrade: 二级\r\n\
             owner: 陈某平\r\nsupervisor: 李某华\r\nmeasures:\r\n  前期预防: [集体决策, \"审批: 三岗分离\"]\r\n\
             \x20 中期监控:\r\n    - 每月报送\r\nreview: {submitted: 2022-05-30}\r\n---\r\n正文\r\n"
        );
        // Nothing to change: the file is left as it is.
        let again = updated_text(&text, &row).unwrap();
        assert_eq!(again.text, text);
        assert!(again.changed.is_empty());
    }

    #[test]
    fn an_added_key_goes_where_the_canonical_order_wants_it() {
        let existing = "---\nid: CWK-03\ntitle: T\nlevel: 科室\ncategory: 业务流程风险\nlikelihood: 较高\n\
             impact: 较重\nowner: 陈某平\nsupervisor: 李某华\nmeasures:\n  前期预防:\n    - 集体决策\n---\n";
        let row = full();
        let text = updated_text(existing, &row).unwrap().text;
        assert!(text.contains("impact: 较重\ngrade: 二级\nowner"), "{text}");
        assert!(
            text.ends_with("review:\n  submitted: 2022-05-30\n---\n"),
            "{text}"
        );
    }

    #[test]
    fn an_unreadable_file_is_not_updated() {
        assert!(updated_text("no front matter", &full()).is_err());
        assert!(updated_text("---\nid: [\n---\n", &full()).is_err());
    }
}
