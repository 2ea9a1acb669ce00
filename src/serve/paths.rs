//! From a request target to a file of the site: the one gate every request passes.
//!
//! The site lives under `base_path`. A request target is percent-decoded segment by segment and
//! refused (→ 404) when a segment could step outside the site or name something a file name
//! cannot: `.` and `..` (also as `%2e%2e`), an encoded `/` or `\` (`%2f`, `%5c`), a backslash,
//! NUL or any control character, an empty segment (`//`), or bytes that are not UTF-8. What
//! passes is a `/`-joined key of the in-memory site map; the file system is never consulted.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Where a request target leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A file path relative to the site root (`2022/index.html`); a trailing `/` becomes
    /// `…/index.html`.
    File(String),
    /// The preview's own endpoints under `<base>__gongshi/`: `events`, `status`.
    Internal(String),
    /// The base path without its trailing slash, or `/` when the base is elsewhere: redirect to
    /// the base path.
    Base,
    /// Inside the site's namespace but a well-formed path outside `base_path`: the relative path
    /// it would have under the base (the caller redirects when that file exists).
    OutsideBase(String),
    /// Malformed or unsafe.
    Refused,
}

/// The folder of the preview's own endpoints, under the base path. Slugs and ids start with a
/// letter or digit (SPEC section 1), so no page of a site can live here.
pub(crate) const INTERNAL_DIR: &str = "__gongshi";

/// Normalises `base_path` from site.yaml to `/…/` form (`lianneng` → `/lianneng/`, `` → `/`).
pub(crate) fn normalise_base(base: &str) -> String {
    let inner: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    if inner.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", inner.join("/"))
    }
}

/// Decodes one path segment, refusing anything that is not a plain file or folder name.
fn decode_segment(raw: &str) -> Option<String> {
    // `percent_decode` passes a `%` without two hex digits through as it is; here that is a
    // malformed target.
    let malformed = raw.match_indices('%').any(|(at, _)| {
        !raw.as_bytes()
            .get(at + 1..at + 3)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if malformed {
        return None;
    }
    let text = percent_decode_str(raw).decode_utf8().ok()?;
    // `\` and `/` are refused whether sent as they are or encoded (`%5c`, `%2f`): an encoded
    // separator would let one segment hold a path.
    let bad = text.is_empty()
        || text == "."
        || text == ".."
        || text
            .chars()
            .any(|c| c == '\\' || c == '/' || c.is_control());
    (!bad).then(|| text.into_owned())
}

/// Decodes the path of a request target into segments; `None` when any segment is refused or
/// the target is not an origin-form path (`/…`). A trailing `/` yields a final empty segment.
fn segments(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix('/')?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let (rest, trailing) = match rest.strip_suffix('/') {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let mut out = rest
        .split('/')
        .map(decode_segment)
        .collect::<Option<Vec<_>>>()?;
    if trailing {
        out.push(String::new());
    }
    Some(out)
}

/// Resolves a request target (as sent: path, optional `?query`, no fragment) against the base.
pub(crate) fn resolve(target: &str, base: &str) -> Target {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let Some(segs) = segments(path) else {
        return Target::Refused;
    };
    // The preview's endpoints answer under any path, so that a page opened under an earlier
    // base path still hears of the change that moved it.
    if let [.., dir, name] = segs.as_slice()
        && dir == INTERNAL_DIR
    {
        return Target::Internal(name.clone());
    }
    let base_segs: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let named = match segs.last() {
        Some(last) if last.is_empty() => &segs[..segs.len() - 1],
        _ => &segs[..],
    };
    let starts_with_base =
        named.len() >= base_segs.len() && named.iter().zip(&base_segs).all(|(a, b)| a == b);
    if !base_segs.is_empty() {
        if named.is_empty()
            || (named.len() == base_segs.len() && starts_with_base && segs.len() == named.len())
        {
            // `/` or `/lianneng` without its slash: the way in.
            return Target::Base;
        }
        if !starts_with_base {
            return Target::OutsideBase(join(&segs));
        }
    }
    let rel = &segs[base_segs.len()..];
    if rel.first().is_some_and(|s| s == INTERNAL_DIR) {
        return Target::Internal(rel[1..].join("/"));
    }
    Target::File(join(rel))
}

/// Joins decoded segments into a site key; a final empty segment (a folder) means its index.
fn join(segs: &[String]) -> String {
    match segs.split_last() {
        None => "index.html".to_string(),
        Some((last, dirs)) if last.is_empty() => {
            let mut s = dirs.join("/");
            if !s.is_empty() {
                s.push('/');
            }
            s.push_str("index.html");
            s
        }
        Some(_) => segs.join("/"),
    }
}

/// What `encode` escapes: everything but the unreserved characters of RFC 3986 and `/`.
const LOCATION_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a site key for a `Location` header: only unreserved characters and `/`
/// stay as they are, so nothing a client sent can shape the header.
pub(crate) fn encode(path: &str) -> String {
    utf8_percent_encode(path, LOCATION_ESCAPED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "/lianneng/";

    fn file(s: &str) -> Target {
        Target::File(s.to_string())
    }

    #[test]
    fn base_paths_are_normalised() {
        assert_eq!(normalise_base("/lianneng/"), "/lianneng/");
        assert_eq!(normalise_base("lianneng"), "/lianneng/");
        assert_eq!(normalise_base("/a//b"), "/a/b/");
        assert_eq!(normalise_base("/"), "/");
        assert_eq!(normalise_base(""), "/");
    }

    #[test]
    fn pages_under_the_base_resolve_to_site_keys() {
        assert_eq!(resolve("/lianneng/", BASE), file("index.html"));
        assert_eq!(
            resolve("/lianneng/2022/index.html", BASE),
            file("2022/index.html")
        );
        assert_eq!(
            resolve("/lianneng/2022/caiwu/", BASE),
            file("2022/caiwu/index.html")
        );
        assert_eq!(
            resolve("/lianneng/2022/caiwu/CWK-03.html?x=1#top", BASE),
            file("2022/caiwu/CWK-03.html")
        );
        assert_eq!(resolve("/lianneng/2022/caiwu", BASE), file("2022/caiwu"));
        assert_eq!(resolve("/x/%E7%A7%91.html", "/x/"), file("科.html"));
    }

    #[test]
    fn the_root_and_the_bare_base_lead_to_the_base() {
        assert_eq!(resolve("/", BASE), Target::Base);
        assert_eq!(resolve("/lianneng", BASE), Target::Base);
        assert_eq!(resolve("/lianneng?x", BASE), Target::Base);
        assert_eq!(resolve("/", "/"), file("index.html"));
    }

    #[test]
    fn paths_outside_the_base_are_told_apart() {
        assert_eq!(
            resolve("/2022/index.html", BASE),
            Target::OutsideBase("2022/index.html".into())
        );
        assert_eq!(
            resolve("/other/", BASE),
            Target::OutsideBase("other/index.html".into())
        );
        assert_eq!(
            resolve("/lianneng-x/", BASE),
            Target::OutsideBase("lianneng-x/index.html".into())
        );
    }

    #[test]
    fn internal_endpoints_sit_under_the_base() {
        assert_eq!(
            resolve("/lianneng/__gongshi/events", BASE),
            Target::Internal("events".into())
        );
        assert_eq!(
            resolve("/__gongshi/events", "/"),
            Target::Internal("events".into())
        );
        assert_eq!(
            resolve("/old-base/__gongshi/events", BASE),
            Target::Internal("events".into())
        );
    }

    #[test]
    fn traversal_and_odd_bytes_are_refused() {
        for bad in [
            "/lianneng/../site.yaml",
            "/lianneng/2022/../../etc/passwd",
            "/lianneng/%2e%2e/site.yaml",
            "/lianneng/%2E%2E/%2E%2E/etc/passwd",
            "/lianneng/.%2e/x",
            "/lianneng/./index.html",
            "/lianneng/2022%2findex.html",
            "/lianneng/2022%2Findex.html",
            "/lianneng/2022%5cindex.html",
            "/lianneng/2022\\index.html",
            "/lianneng/index.html%00.css",
            "/lianneng//etc/passwd",
            "/lianneng/%ff.html",
            "/lianneng/%zz",
            "/lianneng/%4",
            "lianneng/index.html",
            "http://evil/lianneng/index.html",
            "*",
            "",
        ] {
            assert_eq!(resolve(bad, BASE), Target::Refused, "{bad}");
        }
    }

    #[test]
    fn locations_are_encoded() {
        assert_eq!(encode("2022/caiwu/"), "2022/caiwu/");
        assert_eq!(encode("a b\r\n"), "a%20b%0D%0A");
        assert_eq!(encode("科"), "%E7%A7%91");
    }

    /// The decoder this module had before it used `percent-encoding`, kept as the reference
    /// for what is refused and what a segment decodes to.
    fn decode_segment_before(raw: &str) -> Option<String> {
        let bytes = raw.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                let byte = u8::from_str_radix(hex, 16).ok()?;
                if byte == b'/' || byte == b'\\' {
                    return None;
                }
                out.push(byte);
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        let text = String::from_utf8(out).ok()?;
        let bad = text.is_empty()
            || text == "."
            || text == ".."
            || text
                .chars()
                .any(|c| c == '\\' || c == '/' || c.is_control());
        (!bad).then_some(text)
    }

    /// The encoder this module had before, for the same purpose.
    fn encode_before(path: &str) -> String {
        let mut out = String::new();
        for b in path.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    #[test]
    fn malformed_escapes_are_refused_as_before() {
        for raw in [
            "%", "%4", "%zz", "%+1", "%-1", "%+a", "a%2", "%e7%a7", "%%41", "%4%41",
        ] {
            assert_eq!(decode_segment(raw), None, "{raw}");
            assert_eq!(decode_segment_before(raw), None, "{raw}");
        }
        assert_eq!(decode_segment("%41%e7%A7%91b"), Some("A科b".to_string()));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Whatever a client sends, a segment decodes (or is refused) exactly as before.
        #[test]
        fn segments_decode_as_before(
            raw in r"(%[0-9a-fA-F+\-zé]{0,2}|[a-z.+\\/ é科]|%2[eEfF]|%5[cC]|%[eE]7%[aA]7%91|%0[0-9]|%[fF]{2}){0,8}"
        ) {
            proptest::prop_assert_eq!(decode_segment(&raw), decode_segment_before(&raw));
        }

        #[test]
        fn locations_encode_as_before(path in r"\PC{0,20}|[ -~]{0,20}") {
            proptest::prop_assert_eq!(encode(&path), encode_before(&path));
        }
    }
}
