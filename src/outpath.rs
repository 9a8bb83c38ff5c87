//! Output paths: the one place where URL paths that users write (a page's
//! `path`, `aliases`, `paginate_path`, `[faq] path`, `output_dir`) become
//! files inside the output folder. Content is untrusted input, so every path
//! is normalised here and anything that could leave the folder is refused.

use std::path::{Component, Path};

/// Why a user-supplied path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathError {
    /// A `..` or `.` segment.
    DotSegment,
    /// A backslash, which some hosts and tools read as a separator.
    Backslash,
    /// A NUL or another control character.
    Control,
    /// A scheme or drive (`c:`, `https:`): not a path on this site.
    Colon,
    /// Empty where a name is needed.
    Empty,
    /// A `/` where a single segment is needed.
    Separator,
}

impl PathError {
    /// A sentence for diagnostics.
    pub fn describe(self) -> &'static str {
        match self {
            PathError::DotSegment => "`..` and `.` segments could leave the output folder",
            PathError::Backslash => "a backslash is not a path separator in URLs",
            PathError::Control => "a control character (such as NUL) cannot be part of a path",
            PathError::Colon => "a `:` makes this a scheme or a drive, not a path on this site",
            PathError::Empty => "the value is empty",
            PathError::Separator => "this must be a single name without `/`",
        }
    }
}

fn check_segment(seg: &str) -> Result<(), PathError> {
    if seg == ".." || seg == "." {
        return Err(PathError::DotSegment);
    }
    if seg.contains('\\') {
        return Err(PathError::Backslash);
    }
    if seg.chars().any(char::is_control) {
        return Err(PathError::Control);
    }
    if seg.contains(':') {
        return Err(PathError::Colon);
    }
    Ok(())
}

/// Normalises a URL path written by a user: `a//b` → `/a/b/`, `feed.xml` →
/// `/feed.xml`, `""` → `/`. A last segment with a `.` names a file; anything
/// else is a folder with an `index.html`.
pub fn url_path(raw: &str) -> Result<String, PathError> {
    let segments: Vec<&str> = raw.split('/').filter(|s| !s.is_empty()).collect();
    for s in &segments {
        check_segment(s)?;
    }
    let Some(last) = segments.last() else {
        return Ok("/".into());
    };
    let joined = segments.join("/");
    Ok(if last.contains('.') {
        format!("/{joined}")
    } else {
        format!("/{joined}/")
    })
}

/// Checks a value that must be one path segment, such as `paginate_path` or a theme name.
pub fn segment(raw: &str) -> Result<&str, PathError> {
    if raw.is_empty() {
        return Err(PathError::Empty);
    }
    if raw.contains('/') {
        return Err(PathError::Separator);
    }
    check_segment(raw)?;
    Ok(raw)
}

/// `/a/b/` → `a/b/index.html`; `/sitemap.xml` → `sitemap.xml`.
pub fn output_file(path: &str) -> String {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".into()
    } else if trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// True when `rel` names a file strictly inside a folder: relative, no empty,
/// `.` or `..` segment, no backslash, colon or control character. Every
/// write, every manifest entry and every removal is checked with this.
pub fn is_safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && rel
            .split('/')
            .all(|s| !s.is_empty() && check_segment(s).is_ok())
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        assert_eq!(url_path("a//b").unwrap(), "/a/b/");
        assert_eq!(url_path("/feed.xml").unwrap(), "/feed.xml");
        assert_eq!(url_path("").unwrap(), "/");
        assert_eq!(url_path("/old/page/").unwrap(), "/old/page/");
    }

    #[test]
    fn refuses_escapes() {
        for bad in [
            "../x",
            "a/../../b",
            "./a",
            "a\\..\\b",
            "a\0b",
            "c:/windows",
            "https://evil.example/",
        ] {
            assert!(url_path(bad).is_err(), "{bad:?}");
        }
        assert!(segment("page").is_ok());
        assert_eq!(segment("a/b"), Err(PathError::Separator));
        assert_eq!(segment(".."), Err(PathError::DotSegment));
    }

    #[test]
    fn safe_rel() {
        assert!(is_safe_rel("a/b/index.html"));
        for bad in [
            "", "/etc/x", "../v", "a/../b", "a//b", "a/", "a\\b", "./a", "c:x",
        ] {
            assert!(!is_safe_rel(bad), "{bad:?}");
        }
    }
}
