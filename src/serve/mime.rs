//! Content types by file extension, for every kind of file a theme or an archive may hold.

/// The `Content-Type` of a site path; unknown kinds are sent as bytes, never sniffed.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "sha256" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub(crate) fn is_html(path: &str) -> bool {
    content_type(path).starts_with("text/html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_kinds_have_their_types() {
        assert_eq!(content_type("2022/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("2022/static/style.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            content_type("2022/static/search.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("2022/ledger.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("a/LOGO.PNG"), "image/png");
        assert_eq!(content_type("a/chart.svg"), "image/svg+xml");
        assert_eq!(content_type("a.b/noext"), "application/octet-stream");
        assert!(is_html("index.html"));
        assert!(!is_html("index.html.bak"));
    }
}
