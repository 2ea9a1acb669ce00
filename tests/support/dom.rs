//! Reading what the search box left in a DOM dumped by `chromium --dump-dom`: the ids of the
//! results in order, their grades, and the attributes search.js sets on the form.

#![allow(dead_code, reason = "not every test module uses every helper")]

/// The text of every element whose class attribute is exactly `class`, in document order,
/// with inner tags (such as `<mark>`) removed and entities decoded.
pub fn texts_of_class(dom: &str, class: &str) -> Vec<String> {
    let needle = format!("class=\"{class}\"");
    let mut texts = Vec::new();
    let mut rest = dom;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let inner = &rest[open_end + 1..];
        let end = inner.find("</span>").unwrap_or(inner.len());
        texts.push(unescape(&strip_tags(&inner[..end])));
    }
    texts
}

/// The ids of the results, best first.
pub fn result_ids(dom: &str) -> Vec<String> {
    texts_of_class(dom, "gs-result-id")
}

/// The value of attribute `name` on the search form, if set.
pub fn form_attr(dom: &str, name: &str) -> Option<String> {
    let form = &dom[dom.find("<form class=\"gs-search\"")?..];
    let tag = &form[..form.find('>')?];
    let needle = format!(" {name}=\"");
    let value = &tag[tag.find(&needle)? + needle.len()..];
    Some(unescape(&value[..value.find('"')?]))
}

/// The text of `html` without its tags (entities left as they are).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}
