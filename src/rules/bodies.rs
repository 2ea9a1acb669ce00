//! Rules on Markdown bodies, for the points, the departments and the year: `unsafe-html` (raw
//! HTML or links the build will remove), `flow-syntax` (a flow diagram that does not parse) and
//! `unknown-reference` (a diagram's `@ID` naming no risk point of the year).

use std::collections::HashSet;

use crate::content::yaml::Pos;
use crate::diagnostic::Rule;
use crate::flow;

use crate::diagnostic::Diagnostic;
use crate::render::markdown;
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let year = cx.year;
    let bodies = year
        .points
        .iter()
        .map(|p| (&p.file, &p.body, p.body_line))
        .chain(
            year.departments
                .iter()
                .map(|d| (&d.file, &d.body, d.body_line)),
        )
        .chain(year.info.iter().map(|i| (&i.file, &i.body, i.body_line)));
    let ids: HashSet<&str> = year.points.iter().map(|p| p.id.value.as_str()).collect();
    for (file, body, line) in bodies {
        out.extend(markdown::scan(body, line, file));
        if !body.contains("```") && !body.contains("~~~") {
            continue;
        }
        for block in markdown::flow_blocks(body, line) {
            // Positions from the diagram parser count from the block's first content line.
            let at = |l: usize, c: usize, len: usize| Pos::new(block.first_line + l - 1, c, len);
            match flow::parse(&block.source) {
                Err(e) => {
                    let d = Diagnostic::new(
                        Rule::FlowSyntax,
                        file,
                        at(e.line, e.column, 1),
                        format!("流程图语法错误：{}", e.message),
                    );
                    out.push(match e.hint {
                        Some(h) => d.with_hint(h),
                        None => d,
                    });
                }
                Ok(chart) => {
                    for r in chart
                        .risk_refs()
                        .iter()
                        .filter(|r| !ids.contains(r.id.as_str()))
                    {
                        out.push(
                            Diagnostic::new(
                                Rule::UnknownReference,
                                file,
                                at(r.line, r.column, r.id.chars().count() + 1),
                                format!("流程图标记的风险点 @{} 不存在", r.id),
                            )
                            .with_hint("@ 后写本年度某个风险点的编号，例如 @CWK-03"),
                        );
                    }
                }
            }
        }
    }
}
