//! The `fascia` command line: parses arguments and hands over to `fascia::cmd`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

// Rendering allocates many small strings on every core; mimalloc measurably shortens builds.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use fascia::cmd;
use fascia::console::Console;
use fascia::BuildOptions;

/// Output format of `fascia check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// rustc-style, grouped by file, with a summary.
    Human,
    /// One JSON object per finding, one per line.
    Json,
}

#[derive(Parser)]
#[command(
    name = "fascia",
    version,
    about = "A fast static-site generator for health guides"
)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more detail, such as per-stage timings.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: `output_dir` from site.toml).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Write into a non-empty folder fascia did not create.
        #[arg(long)]
        force: bool,
        /// Print the time spent in each stage.
        #[arg(long)]
        timings: bool,
    },
    /// Run the whole build and report problems, writing nothing.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Print the time spent in each stage.
        #[arg(long)]
        timings: bool,
        /// Also check every http(s) link over the network.
        #[arg(long)]
        external: bool,
        /// Seconds to wait for each external link.
        #[arg(
            long,
            value_name = "SECS",
            default_value_t = 10,
            requires = "external",
            value_parser = clap::value_parser!(u64).range(1..)
        )]
        external_timeout: u64,
        /// How to print findings: `human` (grouped, with the offending line) or
        /// `json` (one JSON object per finding on stdout).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings (lint findings included) as errors, for CI.
        #[arg(long)]
        deny_warnings: bool,
        /// Skip the content lint: check only what `build` checks.
        #[arg(long)]
        no_lint: bool,
    },
    /// Serve the site locally, rebuild on every change and reload the browser.
    Serve {
        /// Site root (the folder with site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on (the next free one if it is taken).
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Poll for changes (for network drives and containers without file events).
        #[arg(long)]
        poll: bool,
        /// Milliseconds to wait for a burst of saves to settle.
        #[arg(long, default_value_t = 20)]
        debounce_ms: u64,
    },
    /// Start a new site in DIR.
    Init {
        /// Folder for the new site.
        dir: PathBuf,
        /// DIR is a Zola site: write its site.toml from config.toml (content
        /// and templates stay as they are).
        #[arg(long)]
        from_zola: bool,
    },
    /// Start a new draft page, e.g. `fascia new content/conditions/neck-pain.md`.
    New {
        /// Path of the Markdown file to create.
        path: PathBuf,
        /// Site root the path is relative to.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// Site root (the folder with site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Override `base_url` from site.toml.
    #[arg(long)]
    base_url: Option<String>,
    /// Include pages marked `draft = true`.
    #[arg(long)]
    drafts: bool,
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        let mut o = BuildOptions::new(&self.root);
        o.base_url = self.base_url.clone();
        o.drafts = self.drafts;
        o
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Console::new(cli.quiet, cli.verbose);
    let code = match cli.command {
        Command::Build {
            site,
            output,
            force,
            timings,
        } => {
            let mut o = site.options();
            o.output = output;
            o.force = force;
            cmd::build(&o, out, timings)
        }
        Command::Check {
            site,
            timings,
            external,
            external_timeout,
            format,
            deny_warnings,
            no_lint,
        } => {
            let external = external.then(|| fascia::pipeline::ExternalOptions {
                timeout: std::time::Duration::from_secs(external_timeout),
                ..Default::default()
            });
            let check = cmd::CheckOptions {
                timings,
                external,
                json: format == Format::Json,
                deny_warnings,
                lint: !no_lint,
            };
            cmd::check(&site.options(), out, &check)
        }
        Command::Serve {
            root,
            bind,
            port,
            open,
            drafts,
            poll,
            debounce_ms,
        } => fascia::serve::run(
            fascia::serve::ServeOptions {
                root,
                bind,
                port,
                open,
                drafts,
                poll,
                debounce: std::time::Duration::from_millis(debounce_ms),
            },
            out,
        ),
        Command::Init { dir, from_zola } => init(&dir, from_zola, out),
        Command::New { path, root } => {
            let full = root.join(&path);
            report(
                cmd::new_page(&root, &full),
                || format!("Created {} (a draft)", full.display()),
                out,
            )
        }
    };
    ExitCode::from(code as u8)
}

/// `fascia init`, from scratch or from a Zola site's `config.toml`.
fn init(dir: &std::path::Path, from_zola: bool, out: Console) -> i32 {
    if !from_zola {
        return report(
            cmd::init(dir),
            || {
                format!(
                    "Created a new site in {}. Build it with `fascia build --root {}`.",
                    dir.display(),
                    dir.display()
                )
            },
            out,
        );
    }
    report(
        cmd::init_from_zola(dir).map(|ignored| {
            if ignored > 0 {
                out.warning(format!(
                    "{ignored} key(s) of config.toml have no equivalent; they are listed at the top of site.toml"
                ));
            }
        }),
        || {
            format!(
                "Wrote {}/site.toml from config.toml. Build it with `fascia build --root {}`.",
                dir.display(),
                dir.display()
            )
        },
        out,
    )
}

fn report(result: Result<(), String>, ok: impl FnOnce() -> String, out: Console) -> i32 {
    match result {
        Ok(()) => {
            out.result(ok());
            0
        }
        Err(e) => {
            out.error(e);
            1
        }
    }
}
