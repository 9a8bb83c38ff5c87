//! Finds the templates and static files: the site's own over the theme's,
//! and the theme from `themes/<name>/` or, for `guide`, from the binary.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::diagnostics::{Code, Diagnostic};
use crate::model::is_skipped_name;

/// The default theme, embedded so a site without one still builds.
pub static EMBEDDED_GUIDE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/guide");

/// Name of the embedded theme.
pub const DEFAULT_THEME: &str = "guide";

/// Templates every theme may rely on; sites and themes may override them.
const BUILTIN: &[(&str, &str)] = &[
    ("sitemap.xml", include_str!("builtin/sitemap.xml")),
    ("atom.xml", include_str!("builtin/atom.xml")),
    ("robots.txt", include_str!("builtin/robots.txt")),
    ("alias.html", include_str!("builtin/alias.html")),
];

/// A template's text and where it came from, for error messages.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name used by Tera (`page.html`, `partials/nav.html`).
    pub name: String,
    /// Shown in diagnostics.
    pub origin: String,
    /// The text.
    pub text: String,
}

/// A static file to copy: its bytes' origin and output path.
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// A file on disk.
    Disk(PathBuf),
    /// A file inside the binary.
    Embedded(&'static [u8]),
}

/// Everything a theme contributes.
#[derive(Debug, Default)]
pub struct ThemeFiles {
    /// Templates in load order; later ones override earlier ones of the same name.
    pub templates: Vec<TemplateSource>,
    /// Static files by output path; later ones override earlier ones.
    pub statics: Vec<(String, StaticSource)>,
    /// Files left out, such as links pointing outside the site.
    pub warnings: Vec<Diagnostic>,
}

/// Collects builtin, theme and site templates and static files.
pub fn collect(root: &Path, theme: Option<&str>) -> Result<ThemeFiles, Diagnostic> {
    let mut files = ThemeFiles::default();
    for (name, text) in BUILTIN {
        files.templates.push(TemplateSource {
            name: name.to_string(),
            origin: format!("(built in) {name}"),
            text: text.to_string(),
        });
    }
    let name = theme.unwrap_or(DEFAULT_THEME);
    let theme_dir = root.join("themes").join(name);
    if theme_dir.is_dir() {
        read_dir_templates(
            &theme_dir.join("templates"),
            &format!("themes/{name}/templates"),
            root,
            &mut files,
        )?;
        read_dir_statics(&theme_dir.join("static"), root, &mut files)?;
    } else if name == DEFAULT_THEME {
        embedded(&mut files);
    } else {
        return Err(Diagnostic::error(
            Code::ThemeMissing,
            format!("theme `{name}` is not in themes/"),
        )
        .in_file("site.toml")
        .hint(format!(
            "add themes/{name}/templates/, or remove `theme` to use the built-in `{DEFAULT_THEME}` theme"
        )));
    }
    read_dir_templates(&root.join("templates"), "templates", root, &mut files)?;
    read_dir_statics(&root.join("static"), root, &mut files)?;
    Ok(files)
}

fn embedded(files: &mut ThemeFiles) {
    fn walk(dir: &'static Dir<'static>, files: &mut ThemeFiles) {
        for f in dir.files() {
            let path = f.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                files.templates.push(TemplateSource {
                    name: name.to_string(),
                    origin: format!("(built in) themes/guide/{path}"),
                    text: String::from_utf8_lossy(f.contents()).into_owned(),
                });
            } else if let Some(out) = path.strip_prefix("static/") {
                files
                    .statics
                    .push((out.to_string(), StaticSource::Embedded(f.contents())));
            }
        }
        for d in dir.dirs() {
            walk(d, files);
        }
    }
    walk(&EMBEDDED_GUIDE, files);
}

/// True when `path` is (or lies under) a symbolic link whose target is outside `site`
/// (which must be canonical), or a link that points nowhere.
pub fn links_outside(path: &Path, site: &Path) -> bool {
    path.canonicalize()
        .map_or(true, |real| !real.starts_with(site))
}

/// Files under `dir` (following links that stay inside the site), with their
/// `/`-separated path relative to `dir`; editor temp files are skipped, and
/// dotfiles too unless `dotfiles`. Links out of the site and links to nothing
/// are skipped with a warning.
fn files_under(
    dir: &Path,
    site: &Path,
    files: &mut ThemeFiles,
    dotfiles: bool,
) -> Result<Vec<(PathBuf, String)>, walkdir::Error> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let given = site;
    let site = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
    let shown = |p: &Path| {
        p.strip_prefix(given)
            .or_else(|_| p.strip_prefix(&site))
            .unwrap_or(p)
            .to_path_buf()
    };
    let outside = |p: &Path| {
        Diagnostic::warning(
            Code::StaticOutside,
            "this file links to a place outside the site; it is not copied",
        )
        .in_file(shown(p))
        .hint("copy the file into the site instead of linking to it")
    };
    let mut skipped = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_skipped_name(&e.file_name().to_string_lossy(), dotfiles) {
                return false;
            }
            // A link out of the site would publish (and serve) a file the author never
            // meant to; its folder is not even walked.
            if (e.path_is_symlink() || e.depth() == 0) && links_outside(e.path(), &site) {
                skipped.push(outside(e.path()));
                return false;
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            // A link to nothing is skipped, not a reason to fail the whole build.
            Err(e) if e.loop_ancestor().is_none() && e.path().is_some_and(Path::is_symlink) => {
                let p = e.path().unwrap_or(dir);
                files.warnings.push(
                    Diagnostic::warning(
                        Code::StaticRead,
                        "this link points to nothing; it is skipped",
                    )
                    .in_file(shown(p))
                    .hint("remove the link, or create the file it points to"),
                );
                continue;
            }
            Err(e) => return Err(e),
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        out.push((
            entry.path().to_path_buf(),
            rel.to_string_lossy().replace('\\', "/"),
        ));
    }
    files.warnings.extend(skipped);
    Ok(out)
}

fn read_dir_templates(
    dir: &Path,
    shown: &str,
    site: &Path,
    files: &mut ThemeFiles,
) -> Result<(), Diagnostic> {
    let found = files_under(dir, site, files, false).map_err(|e| {
        Diagnostic::error(Code::ThemeRead, format!("cannot read templates: {e}")).in_file(shown)
    })?;
    for (path, name) in found {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(Code::ThemeRead, format!("cannot read template: {e}"))
                .in_file(format!("{shown}/{name}"))
        })?;
        files.templates.push(TemplateSource {
            origin: format!("{shown}/{name}"),
            name,
            text,
        });
    }
    Ok(())
}

fn read_dir_statics(dir: &Path, site: &Path, files: &mut ThemeFiles) -> Result<(), Diagnostic> {
    let found = files_under(dir, site, files, true).map_err(|e| {
        Diagnostic::error(Code::StaticRead, format!("cannot read static files: {e}"))
            .in_file(dir.display().to_string())
    })?;
    for (path, out) in found {
        files.statics.push((out, StaticSource::Disk(path)));
    }
    Ok(())
}
