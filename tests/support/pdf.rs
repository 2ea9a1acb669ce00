//! Printing a page to PDF with headless Chromium (`--print-to-pdf`), counting the PDF's pages,
//! and looking at a printed page as pixels (poppler's `pdftoppm`, at a given resolution).
//!
//! `pdftoppm` (Debian's poppler-utils) is optional like Chromium: without it `raster` returns
//! `None` and the caller skips, except under CI (env `CI` set), which installs it.

#![allow(dead_code, reason = "each test uses a different part")]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::chromium;

/// Prints `url` to a PDF at `out` (A4 unless the page's CSS says otherwise), without the
/// browser's own header and footer.
pub fn print_to_pdf(url: &str, out: &Path) {
    chromium::run_headless(&[
        "--no-pdf-header-footer".to_string(),
        format!("--print-to-pdf={}", out.display()),
        url.to_string(),
    ]);
    assert!(out.is_file(), "chromium wrote no PDF to {}", out.display());
}

/// The number of pages of a PDF: its page objects (`/Type /Page`, not `/Pages`). Chromium
/// writes them uncompressed.
pub fn page_count(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's')
        .count()
}

/// A page rendered in grey levels (0 black, 255 white), `width` × `height` pixels.
pub struct Gray {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Gray {
    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.pixels[y * self.width + x]
    }
}

fn pdftoppm() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("pdftoppm"))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() && std::env::var_os("CI").is_some() {
        panic!(
            "pdftoppm is not installed, and CI must run the print tests (apt-get install -y poppler-utils)"
        );
    }
    found
}

/// Page `page` (from 1) of the PDF at `pdf`, rendered at `dpi`; `None` without `pdftoppm`.
pub fn raster(pdf: &Path, page: usize, dpi: u32) -> Option<Gray> {
    let binary = pdftoppm()?;
    let output = Command::new(binary)
        .args(["-gray", "-r", &dpi.to_string()])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .output()
        .expect("pdftoppm runs");
    assert!(output.status.success(), "pdftoppm failed: {output:?}");
    Some(parse_pgm(&output.stdout))
}

/// A binary PGM (`P5`), as `pdftoppm -gray` writes it to stdout.
fn parse_pgm(bytes: &[u8]) -> Gray {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5", "not a binary PGM");
    let width: usize = fields[1].parse().unwrap();
    let height: usize = fields[2].parse().unwrap();
    let pixels = bytes[at + 1..].to_vec();
    assert_eq!(pixels.len(), width * height, "a PGM cut short");
    Gray {
        width,
        height,
        pixels,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pages_are_counted_without_the_page_tree() {
        let pdf = b"1 0 obj <</Type /Pages /Count 2>> 2 0 obj <</Type /Page>> 3 0 obj <</Type /Page /Parent 1 0 R>>";
        assert_eq!(super::page_count(pdf), 2);
    }

    #[test]
    fn a_pgm_is_read() {
        let gray = super::parse_pgm(b"P5\n2 1\n255\n\x00\xff");
        assert_eq!((gray.width, gray.height), (2, 1));
        assert_eq!((gray.at(0, 0), gray.at(1, 0)), (0, 255));
    }
}
