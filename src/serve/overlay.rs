//! What the preview adds to HTML responses, and only to them: the live-reload script, and while
//! the content has errors, an overlay listing them over the last good page.
//!
//! Everything added sits between two marker comments (`MARK_START`, `MARK_END`), inserted just
//! before the page's last `</body>`. Stored pages are never touched: the site in memory stays
//! byte for byte what `gongshi build` writes.

use std::fmt::Write as _;

use crate::escape::html_string as escape;
use crate::serve::state::Problem;

pub const MARK_START: &str = "<!-- gongshi serve -->";
pub(crate) const MARK_END: &str = "<!-- /gongshi serve -->";

const RELOAD_JS: &str = include_str!("reload.js");

/// What the script needs to know about the page it is in.
pub(crate) struct PageState<'a> {
    /// The generation the page was served from.
    pub(crate) generation: u64,
    /// A nonce of this server process: a restarted server means reload.
    pub(crate) instance: &'a str,
    /// The page's site path (`2022/index.html`), to tell whether an event concerns it.
    pub(crate) page: &'a str,
    /// Absolute URL path of the event stream.
    pub(crate) events: &'a str,
}

/// A JSON string literal safe inside `<script>`: no `</script>` or `<!--` can form.
fn js_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
}

const STYLE: &str = "\
#gongshi-overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:5vh 4vw;\
background:rgba(22,27,34,.78);font:15px/1.6 system-ui,\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;\
color:#1b1f24;text-align:left}\
#gongshi-overlay .gs-box{max-width:60rem;margin:0 auto;background:#fff;border-top:6px solid #b3261e;\
border-radius:6px;box-shadow:0 12px 40px rgba(0,0,0,.45);padding:1.2rem 1.5rem}\
#gongshi-overlay h2{margin:0 0 .25rem;font-size:1.3rem;color:#b3261e}\
#gongshi-overlay p{margin:.25rem 0 1rem;color:#3d4450}\
#gongshi-overlay pre{margin:0 0 .9rem;padding:.7rem .9rem;background:#fdf3f2;border-left:3px solid #b3261e;\
overflow:auto;white-space:pre;font:13px/1.5 \"Noto Sans Mono CJK SC\",\"Sarasa Mono SC\",ui-monospace,monospace;color:#1b1f24}\
#gongshi-overlay button{font:inherit;padding:.3rem .9rem;border:1px solid #8b929c;border-radius:4px;background:#f4f5f7;cursor:pointer}";

/// The overlay for a problem.
pub(crate) fn overlay_html(problem: &Problem) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<div id=\"gongshi-overlay\" role=\"alertdialog\" aria-labelledby=\"gongshi-overlay-title\">\
         <style>{STYLE}</style><div class=\"gs-box\">\
         <h2 id=\"gongshi-overlay-title\">{}</h2>\
         <p>下面是上一次成功生成的页面。改正后保存文件，本页会自动刷新，这个提示也会自动消失。</p>",
        escape(&problem.title)
    );
    for detail in &problem.details {
        let _ = write!(html, "<pre>{}</pre>", escape(detail.trim_end()));
    }
    if problem.omitted > 0 {
        let _ = write!(
            html,
            "<p>另有 {} 条未列出；运行 <code>gongshi check</code> 查看全部。</p>",
            problem.omitted
        );
    }
    html.push_str(
        "<button type=\"button\" onclick=\"document.getElementById('gongshi-overlay').remove()\">暂时隐藏</button>\
         </div></div>",
    );
    html
}

/// The block inserted into every HTML response.
pub(crate) fn injection(state: &PageState, problem: Option<&Problem>) -> String {
    let mut html = String::from(MARK_START);
    if let Some(problem) = problem {
        html.push_str(&overlay_html(problem));
    }
    let _ = write!(
        html,
        "<script>window.__gongshi={{\"gen\":{},\"instance\":{},\"page\":{},\"events\":{}}};\n{RELOAD_JS}</script>{MARK_END}",
        state.generation,
        js_string(state.instance),
        js_string(state.page),
        js_string(state.events),
    );
    html
}

/// Inserts `block` before the last `</body>` (any case), or at the end when there is none.
pub(crate) fn inject(page: &[u8], block: &str) -> Vec<u8> {
    let at = find_last_body_close(page).unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + block.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(block.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

fn find_last_body_close(page: &[u8]) -> Option<usize> {
    const TAG: &[u8] = b"</body";
    (0..=page.len().checked_sub(TAG.len())?)
        .rev()
        .find(|&i| page[i..i + TAG.len()].eq_ignore_ascii_case(TAG))
}

/// Removes what `inject` added (for comparing served pages with built ones).
pub fn strip(page: &str) -> String {
    match (page.find(MARK_START), page.find(MARK_END)) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &page[..a], &page[b + MARK_END.len()..]),
        _ => page.to_string(),
    }
}

/// The page for a path the site does not have.
pub(crate) fn not_found_page(home: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"data:,\">\
         <title>找不到页面 · gongshi 预览</title></head>\
         <body style=\"font:16px/1.7 system-ui,sans-serif;max-width:40rem;margin:10vh auto;padding:0 1rem;color:#1b1f24\">\
         <h1 style=\"font-size:1.4rem\">找不到这个页面</h1>\
         <p>预览中的公示网站没有这个地址。可能是风险点的编号改了，或页面还没有生成。</p>\
         <p><a href=\"{}\">返回公示首页</a></p></body></html>",
        escape(home)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> PageState<'static> {
        PageState {
            generation: 7,
            instance: "abc",
            page: "2022/index.html",
            events: "/lianneng/__gongshi/events",
        }
    }

    #[test]
    fn the_block_goes_before_the_last_body_close_and_strips_away() {
        let page = "<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let block = injection(&state(), None);
        let out = String::from_utf8(inject(page.as_bytes(), &block)).unwrap();
        assert!(out.ends_with(&format!("{block}</BODY></html>")));
        assert_eq!(strip(&out), page);
        let bare = inject(b"<p>x</p>", "<!--b-->");
        assert_eq!(bare, b"<p>x</p><!--b-->");
    }

    /// Regression: the preview's 404 page had no icon link, so the browser asked the preview
    /// for /favicon.ico as well (the built pages name an inline empty icon).
    #[test]
    fn the_not_found_page_links_home_and_names_an_inline_icon() {
        let page = not_found_page("/lianneng/<x>/");
        assert!(
            page.contains(r#"<link rel="icon" href="data:,">"#),
            "{page}"
        );
        assert!(
            page.contains(r#"<a href="/lianneng/&lt;x&gt;/">"#),
            "{page}"
        );
    }

    #[test]
    fn the_overlay_escapes_what_it_shows() {
        let problem = Problem {
            title: "内容有 1 个错误".into(),
            details: vec!["error: <script>alert(1)</script> & \"x\"".into()],
            omitted: 2,
            base: None,
        };
        let html = overlay_html(&problem);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("另有 2 条未列出"));
    }

    #[test]
    fn page_paths_cannot_close_the_script() {
        let mut s = state();
        s.page = "</script><script>alert(1)</script>";
        let block = injection(&s, None);
        assert_eq!(block.matches("</script>").count(), 1);
    }
}
