//! What the sanitiser will remove from the raw HTML and the links of a body, for `unsafe-html`.
//!
//! The warning must say exactly what the page loses, so this module does not look for
//! dangerous-looking words (`javascript:` in a sentence is text, and stays). It reads raw HTML
//! as a browser does, with html5ever's tokenizer (which decodes `&#x6A;avascript:` and
//! `java&#x09;script:`), and holds each tag and attribute against the sanitiser's own
//! allow-lists and its URL test (`url_kept`, the test ammonia applies). In: the pieces of one
//! raw HTML block or one inline tag, or a Markdown link's address. Out: one message per
//! element, attribute or address removed, with the piece it was found in.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The URL schemes links and pictures may use (the sanitiser's `url_schemes`).
pub(crate) const URL_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The sanitiser that `render` runs (src/render/markdown.rs). It lives here because what it
/// keeps is what this module reads to say what it removes.
pub(crate) static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input", "figure", "figcaption", "caption"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("ol", ["start"])
        .add_generic_attributes(["id", "class"])
        .url_schemes(URL_SCHEMES.into_iter().collect())
        .attribute_filter(|element, attribute, value| {
            attribute_value_kept(element, attribute, value).then(|| value.into())
        });
    b
});

/// Whether the sanitiser keeps `url` in a URL attribute, decided as ammonia decides: a URL with
/// a scheme is kept when the scheme is allowed; one without a scheme (relative) is kept; one
/// that does not parse is dropped. `java%0ascript:x` has no scheme (`%` cannot be part of one,
/// and browsers do not decode it there): it is a relative address, harmless, and kept.
pub(crate) fn url_kept(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(parsed) => URL_SCHEMES.contains(&parsed.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// An absolute URL or one with a scheme: something that would be fetched from another host.
pub(crate) fn is_external(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("//")
        || url
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/'))
}

/// The sanitiser's own filter on attributes it allows by name (its `attribute_filter`): only
/// the alignment pulldown-cmark writes for table columns (no `url()` in styles), and pictures
/// only from the site itself (intranets have no internet; the site must not call other hosts).
pub(crate) fn attribute_value_kept(element: &str, attribute: &str, value: &str) -> bool {
    match (element, attribute) {
        (_, "style") => matches!(
            value,
            "text-align: left" | "text-align: center" | "text-align: right"
        ),
        ("img", "src") => !is_external(value),
        _ => true,
    }
}

/// The sanitiser's allow-lists, read from it once.
struct Lists {
    tags: HashSet<&'static str>,
    content_removed: HashSet<&'static str>,
    generic: HashSet<&'static str>,
    by_tag: HashMap<&'static str, HashSet<&'static str>>,
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| Lists {
    tags: SANITIZER.clone_tags(),
    content_removed: SANITIZER.clone_clean_content_tags(),
    generic: SANITIZER.clone_generic_attributes(),
    by_tag: SANITIZER.clone_tag_attributes(),
});

/// Attributes ammonia checks as URLs (its `is_url_attr`).
fn is_url_attribute(element: &str, attribute: &str) -> bool {
    matches!(attribute, "href" | "xlink:href" | "src")
        || (element == "form" && attribute == "action")
        || (element == "object" && attribute == "data")
        || (matches!(element, "button" | "input") && attribute == "formaction")
        || (element == "a" && attribute == "ping")
        || (element == "video" && attribute == "poster")
}

/// Shortened for a message, with control characters (a tab in `java&#x09;script:`) shown.
fn excerpt(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(40) {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Why the sanitiser drops the address of a link (`a`), a picture (`img`) or another element,
/// if it does.
pub(crate) fn address_removal(element: &str, url: &str) -> Option<String> {
    if !url_kept(url) {
        let what = match element {
            "a" => "链接地址".to_string(),
            "img" => "图片地址".to_string(),
            _ => format!("原始 HTML 元素 <{element}> 的地址"),
        };
        return Some(format!("{what}“{}”不安全，已移除", excerpt(url)));
    }
    (element == "img" && !attribute_value_kept("img", "src", url)).then(|| {
        format!(
            "外部图片“{}”会访问其他网站，已移除；请把图片放在站点内",
            excerpt(url)
        )
    })
}

/// What the sanitiser removes from one start tag.
fn tag_removals(name: &str, attrs: &[(String, String)], out: &mut Vec<String>) {
    let lists = &*LISTS;
    if !lists.tags.contains(name) {
        out.push(if lists.content_removed.contains(name) {
            format!("原始 HTML 元素 <{name}> 不安全，已连同其内容移除")
        } else {
            format!("原始 HTML 元素 <{name}> 不在允许范围内，已移除")
        });
        return;
    }
    for (attribute, value) in attrs {
        let allowed = lists.generic.contains(attribute.as_str())
            || lists
                .by_tag
                .get(name)
                .is_some_and(|a| a.contains(attribute.as_str()));
        // The sanitiser writes its own `rel` on links (noopener noreferrer).
        if name == "a" && attribute == "rel" {
            continue;
        }
        let message = if !allowed {
            if attribute.starts_with("on") {
                format!("原始 HTML 的事件处理属性“{attribute}”已移除")
            } else {
                format!("原始 HTML 元素 <{name}> 的属性“{attribute}”不在允许范围内，已移除")
            }
        } else if is_url_attribute(name, attribute) {
            match address_removal(name, value) {
                Some(message) => message,
                None => continue,
            }
        } else if !attribute_value_kept(name, attribute, value) {
            format!(
                "原始 HTML 元素 <{name}> 的属性 {attribute}=“{}”不在允许范围内，已移除",
                excerpt(value)
            )
        } else {
            continue;
        };
        out.push(message);
    }
}

/// Collects the findings of the tokens of the piece being fed.
struct Sink {
    piece: Cell<usize>,
    found: RefCell<Vec<(usize, String)>>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != StartTag {
            return TokenSinkResult::Continue;
        }
        let name: &str = &tag.name;
        let attrs: Vec<(String, String)> = tag
            .attrs
            .iter()
            .map(|a| (a.name.local.to_string(), a.value.to_string()))
            .collect();
        let mut messages = Vec::new();
        tag_removals(name, &attrs, &mut messages);
        let piece = self.piece.get();
        self.found
            .borrow_mut()
            .extend(messages.into_iter().map(|m| (piece, m)));
        // What follows these tags is text until their end tag, as the tree builder says.
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

/// What the sanitiser removes from raw HTML given in pieces (the lines of one HTML block, or
/// one inline tag): each finding with the index of the piece in which its tag ends.
pub(crate) fn html_removals(pieces: &[&str]) -> Vec<(usize, String)> {
    let tokenizer = Tokenizer::new(
        Sink {
            piece: Cell::new(0),
            found: RefCell::new(Vec::new()),
        },
        TokenizerOpts::default(),
    );
    let queue = BufferQueue::default();
    for (i, piece) in pieces.iter().enumerate() {
        tokenizer.sink.piece.set(i);
        queue.push_back(StrTendril::from_slice(piece));
        // Never asked to stop for a script (the sink never returns `Script`).
        let _ = tokenizer.feed(&queue);
    }
    tokenizer.end();
    tokenizer.sink.found.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removed(html: &str) -> Vec<String> {
        html_removals(&[html]).into_iter().map(|(_, m)| m).collect()
    }

    #[test]
    fn text_that_looks_dangerous_is_kept() {
        for html in [
            "<p>javascript: 是一种语言</p>",
            "<p>metadata: 元数据说明</p>",
            "<span>系统 online = 在线</span>",
            "<table><tr><td>expression(1)</td></tr></table>",
            "<b>粗体</b> <!-- 注释 -->",
            "<a href=\"java%0ascript:alert(1)\">相对地址</a>",
            "<img src=\"images/a.png\">",
        ] {
            assert_eq!(removed(html), Vec::<String>::new(), "{html}");
        }
    }

    #[test]
    fn encoded_and_split_schemes_are_found() {
        for html in [
            "<a href=\"&#x6A;avascript:alert(1)\">e</a>",
            "<a href=\"java&#x09;script:alert(1)\">e</a>",
            "<a href=\"&#106;avascript:alert(1)\">e</a>",
            "<a href=\" javascript:alert(1)\">e</a>",
            "<a href=\"vbscript:msgbox(1)\">e</a>",
            "<a href=\"data:text/html,x\">e</a>",
        ] {
            let found = removed(html);
            assert_eq!(found.len(), 1, "{html}: {found:?}");
            assert!(found[0].contains("不安全"), "{html}: {found:?}");
        }
    }

    #[test]
    fn elements_attributes_and_external_pictures() {
        assert_eq!(
            removed("<script>alert('<b>')</script>"),
            ["原始 HTML 元素 <script> 不安全，已连同其内容移除"]
        );
        assert_eq!(
            removed("<div onclick=alert(1)>x</div>"),
            ["原始 HTML 的事件处理属性“onclick”已移除"]
        );
        assert!(removed("<img src=\"http://evil.example/x.png\">")[0].contains("外部图片"));
        assert!(removed("<font color=red>x</font>")[0].contains("<font>"));
        assert!(removed("<p style=\"background:url(x)\">s</p>")[0].contains("style"));
    }

    #[test]
    fn a_tag_split_over_pieces_is_found_where_it_ends() {
        assert_eq!(
            html_removals(&["<div\n", "  onclick=\"x\">\n", "</div>\n"])
                .into_iter()
                .map(|(i, _)| i)
                .collect::<Vec<_>>(),
            [1]
        );
    }
}
