//! Where an internal build goes. The office's build (`--scope 办公室`) and a build with drafts
//! (`--drafts`) hold points that must never be published, so they are never written where the
//! public notice is: by default into `output-office/` and `output-drafts/` beside `output/`,
//! and an `--output` that is the public notice's folder (or the folder its link points at) is
//! refused. A web server set up for `output/` then never serves them by mistake.
//!
//! In: the audience, `--drafts`, the site root, an output path. Out: the default folder's
//! name, or a usage error.

use std::path::Path;

use anyhow::{Result, bail};

use crate::audience::Audience;
use crate::output::real_path;

/// The public notice's folder, under the site root.
pub(crate) const PUBLIC_OUTPUT: &str = "output";

/// The default output folder's name under the site root, for this audience and `--drafts`.
pub(crate) fn default_output(audience: &Audience, drafts: bool) -> &'static str {
    match (audience, drafts) {
        (Audience::Office, _) => "output-office",
        (_, true) => "output-drafts",
        (_, false) => PUBLIC_OUTPUT,
    }
}

/// Whether a build for this audience is internal (it shows what is not published).
pub(crate) fn is_internal(audience: &Audience, drafts: bool) -> bool {
    default_output(audience, drafts) != PUBLIC_OUTPUT
}

/// Refuses (exit 2) to write an internal build into the public notice's folder `output/` of
/// the site at `root` (or wherever that folder's link leads).
pub(crate) fn refuse_public_output(root: &Path, output: &Path) -> Result<()> {
    let public = root.join(PUBLIC_OUTPUT);
    if real_path(output)? == real_path(&public)? {
        bail!(
            "不能把内部工作版输出到 {}：那是公示网站的输出目录，内部工作版含未公示的风险点，不得公开。请去掉 --output（默认输出到 output-office/ 或 output-drafts/），或指定另一个文件夹",
            output.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_builds_never_default_to_the_public_folder() {
        assert_eq!(default_output(&Audience::Hospital, false), "output");
        assert_eq!(
            default_output(&Audience::Department("caiwu".into()), false),
            "output"
        );
        assert_eq!(default_output(&Audience::Office, false), "output-office");
        assert_eq!(default_output(&Audience::Office, true), "output-office");
        assert_eq!(default_output(&Audience::Hospital, true), "output-drafts");
        assert!(!is_internal(&Audience::Hospital, false));
        assert!(is_internal(&Audience::Office, false));
    }

    #[test]
    fn the_public_folder_is_refused_however_it_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        for spelled in ["output", "./output", "sub/../output", "output/."] {
            assert!(
                refuse_public_output(root, &root.join(spelled)).is_err(),
                "{spelled}"
            );
        }
        assert!(refuse_public_output(root, &root.join("output-office")).is_ok());
        assert!(refuse_public_output(root, &root.join("sub/output")).is_ok());
    }
}
