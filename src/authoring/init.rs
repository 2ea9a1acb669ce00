//! `gongshi init [DIR]`: a new site that checks with no errors and builds at once.
//!
//! It holds `site.yaml`, this year's folder with the plan's four phases moved to this year,
//! one department (财务科) and one risk point of each level, each valid under every rule
//! (grade, responsibility, measures, approvals), and a short guide in `content/README.md`.
//! The people are invented placeholders (张某明…), to be replaced by the hospital's own.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::authoring::create_new;
use crate::authoring::new::year_text;
use crate::authoring::templates::{self, DeptValues, DutyValues, People, RiskValues, YearValues};
use crate::check::Verbosity;
use crate::cli::{Cli, InitArgs};
use crate::clock::today;
use crate::content::site_config::RuleTables;
use crate::model::Level;

const PRINCIPAL: &str = "张某明";
const DEPUTY: &str = "李某华";
const HEAD: &str = "陈某平";
const LIAISON: &str = "赵某琳";
const HOLDER: &str = "周某";
const DEPT: &str = "caiwu";

const DEPT_BODY: &str =
    "财务科负责全院预算编制与执行、会计核算、资金收付和财务档案管理，对各项经费支出实行审核把关。
本科室的风险主要集中在资金支付环节。

## 报销审批流程

```flow
flowchart TD
  A[经办人填写报销单] --> B[科室负责人签字]
  B --> C[审核会计审核票据 @CWK-02]
  C --> D{单据是否合规}
  D -->|否| E[退回修改]
  D -->|是| F[出纳办理支付]
```
";

/// One sample point: (level, file, values other than the comments).
fn samples(year: u16) -> Vec<(Level, &'static str, RiskValues)> {
    let date = |md: &str| format!("{year}-{md}");
    let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        (
            Level::Post,
            "caiwu/cwk-01.md",
            RiskValues {
                id: "CWK-01".into(),
                title: "现金日记账登记不及时，账实不符".into(),
                post: "出纳".into(),
                holder: HOLDER.into(),
                category: "岗位职责风险".into(),
                likelihood: "较小".into(),
                impact: "一般".into(),
                grade: "三级".into(),
                owner: HOLDER.into(),
                supervisor: HEAD.into(),
                prevention: list(&["每日终了登记现金日记账，并与库存现金核对"]),
                submitted: date("05-25"),
                dept: date("05-28"),
                body: "## 表现形式\n\n- 现金收付后未及时登记日记账；\n- 库存现金与账面余额不符，未及时查明原因。\n".into(),
                ..RiskValues::default()
            },
        ),
        (
            Level::Department,
            "caiwu/cwk-02.md",
            RiskValues {
                id: "CWK-02".into(),
                title: "报销单据审核把关不严".into(),
                category: "业务流程风险".into(),
                likelihood: "较高".into(),
                impact: "较重".into(),
                grade: "二级".into(),
                owner: HEAD.into(),
                supervisor: DEPUTY.into(),
                prevention: list(&["制定报销审核要点清单，审核会计逐项核对票据与附件"]),
                monitoring: list(&["科室负责人每月抽查报销凭证，抽查结果报分管领导"]),
                submitted: date("05-26"),
                dept: date("06-02"),
                office: date("06-20"),
                body: "## 表现形式\n\n| 环节 | 可能的问题 |\n| --- | --- |\n| 票据审核 | 虚假、重复票据未被发现 |\n| 附件审核 | 缺少审批签字仍予报销 |\n".into(),
                ..RiskValues::default()
            },
        ),
        (
            Level::Unit,
            "unit/dw-01.md",
            RiskValues {
                id: "DW-01".into(),
                title: "大额资金使用不经集体研究决定".into(),
                category: "制度机制风险".into(),
                likelihood: "较小".into(),
                impact: "严重".into(),
                grade: "一级".into(),
                owner: DEPUTY.into(),
                supervisor: PRINCIPAL.into(),
                sanzhong_yida: "大额资金使用".into(),
                prevention: list(&["修订“三重一大”集体决策制度，明确大额资金的标准和决策程序"]),
                monitoring: list(&["纪检办列席院长办公会，会议纪要如实记录各方意见"]),
                disposal: list(&["对违反集体决策程序的，依照有关规定实行问责"]),
                submitted: date("06-10"),
                office: date("06-30"),
                board: date("07-04"),
                filed: date("07-15"),
                body: "## 表现形式\n\n- 应当集体研究的大额资金支出由个人决定；\n- 将大额支出拆分为多笔，规避集体决策。\n".into(),
                ..RiskValues::default()
            },
        ),
    ]
}

/// The editor files of a new site (docs/authoring.md, "Editor support"): the schema of a risk
/// point's front matter, settings that map it onto `content/**/*.md` for the YAML extension,
/// and a `gongshi check` task whose problem matcher puts each diagnostic at its line and
/// column in the editor.
fn editor_files() -> Result<Vec<(PathBuf, String)>> {
    let vscode = PathBuf::from(".vscode");
    let pretty = |value: serde_json::Value| -> Result<String> {
        let mut text = serde_json::to_string_pretty(&value)?;
        text.push('\n');
        Ok(text)
    };
    let settings = serde_json::json!({
        "yaml.schemas": { "./.vscode/gongshi.schema.json": ["content/**/*.md"] },
    });
    // One matcher per severity: the header names it in Chinese, which VS Code cannot map.
    let matcher = |word: &str, severity: &str| {
        serde_json::json!({
            "owner": "gongshi",
            "source": "gongshi",
            "severity": severity,
            "applyTo": "allDocuments",
            "fileLocation": ["relative", "${workspaceFolder}"],
            "pattern": [
                { "regexp": format!("^{word}\\[([a-z-]+)\\]: (.*)$"), "code": 1, "message": 2 },
                { "regexp": "^\\s*--> (.+):(\\d+):(\\d+)$", "file": 1, "line": 2, "column": 3 },
            ],
        })
    };
    let tasks = serde_json::json!({
        "version": "2.0.0",
        "tasks": [{
            "label": "gongshi check",
            "detail": "按实施方案的规则检查全部风险点，问题标在文件中（“问题”面板）",
            "type": "process",
            "command": "gongshi",
            "args": ["check", "--color", "never"],
            "options": { "cwd": "${workspaceFolder}" },
            "group": { "kind": "build", "isDefault": true },
            "presentation": { "reveal": "always", "clear": true },
            "problemMatcher": [
                matcher(crate::diagnostic::Severity::Error.label(), "error"),
                matcher(crate::diagnostic::Severity::Warning.label(), "warning"),
            ],
        }],
    });
    Ok(vec![
        (vscode.join("settings.json"), pretty(settings)?),
        (vscode.join("tasks.json"), pretty(tasks)?),
        (
            vscode.join("gongshi.schema.json"),
            crate::schema::risk_schema_text(),
        ),
    ])
}

/// Every file of a new site: (path relative to the site, text).
pub(crate) fn site_files(name: &str, year: u16) -> Result<Vec<(PathBuf, String)>> {
    let content = PathBuf::from("content");
    let year_dir = content.join(year.to_string());
    let mut files = vec![
        (
            PathBuf::from("site.yaml"),
            templates::render(
                "site.yaml",
                templates::SITE,
                &serde_json::json!({ "name": crate::authoring::yaml_scalar(name), "year": year }),
            )?,
        ),
        (
            content.join("README.md"),
            templates::GUIDE.replace("{{ year }}", &year.to_string()),
        ),
        (
            year_dir.join("_index.md"),
            year_text(
                year,
                Some(YearValues {
                    contact: "院纪检办".into(),
                    principal: PRINCIPAL.into(),
                    deputy: DEPUTY.into(),
                    oversees: DEPT.into(),
                    members: format!("{HEAD}, {LIAISON}"),
                    office_director: LIAISON.into(),
                    body: templates::YEAR_BODY.to_string(),
                    ..YearValues::default()
                }),
            )?,
        ),
        (
            year_dir.join(DEPT).join("_index.md"),
            templates::render(
                "dept.md",
                templates::DEPT,
                &DeptValues {
                    name: "财务科".into(),
                    head: HEAD.into(),
                    liaison: LIAISON.into(),
                    key_area: "财务".into(),
                    duties: vec![DutyValues {
                        post: "出纳".into(),
                        duty: "负责现金收付、银行结算和库存现金保管，登记现金日记账".into(),
                        integrity: "不挪用、不坐支资金，每日盘点，做到账款相符".into(),
                    }],
                    body: DEPT_BODY.into(),
                },
            )?,
        ),
    ];
    let rules = RuleTables::default();
    for (level, file, mut values) in samples(year) {
        let people = People {
            principal: Some(PRINCIPAL.into()),
            deputy: (level != Level::Unit).then(|| DEPUTY.into()),
            head: (level != Level::Unit).then(|| HEAD.into()),
        };
        values.hints(level, &rules, &people);
        let text = templates::render(file, templates::RISK, &values)?;
        files.push((year_dir.join(file), text));
    }
    files.extend(editor_files()?);
    Ok(files)
}

pub(crate) fn run(cli: &Cli, args: &InitArgs, verbosity: Verbosity) -> Result<bool> {
    let dir: &Path = args.dir.as_deref().unwrap_or(&cli.root);
    if dir.join("site.yaml").exists() {
        bail!(
            "{} 已经是 gongshi 站点（有 site.yaml），不会覆盖；请换一个空文件夹",
            dir.display()
        );
    }
    // A site inside another (typically in its content/ folder) would be read by neither.
    if let Some(site) = crate::locate::enclosing_site(dir) {
        bail!(
            "{} 在站点 {} 之内（那里有 site.yaml），不能在站点里再新建站点：要检查或生成这个站点，直接运行 gongshi check、gongshi build；确实要新建，请换一个不在站点内的文件夹",
            dir.display(),
            site.display()
        );
    }
    let year = match args.year {
        Some(y) if (1900..=9999).contains(&y) => y,
        Some(y) => bail!("年度“{y}”不是四位数的年份"),
        None => today()?.year,
    };
    let files = site_files(args.name.as_deref().unwrap_or("某某医院"), year)?;
    let existing: Vec<String> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        bail!("以下文件已经存在，不会覆盖：{}", existing.join("、"));
    }
    for (rel, text) in &files {
        create_new(&dir.join(rel), text)?;
    }
    let mut out = std::io::stdout().lock();
    for (rel, _) in &files {
        writeln!(out, "{}", dir.join(rel).display())?;
    }
    if verbosity != Verbosity::Quiet {
        eprintln!(
            "已新建站点（{year} 年度，1 个科室，岗位、科室、单位风险点各 1 个）。下一步：\n  cd {}\n  gongshi check\n  gongshi build\n填写说明见 content/README.md；示例中的人名是虚构的，请换成本院的。",
            dir.display()
        );
    }
    Ok(false)
}
