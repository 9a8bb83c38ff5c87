//! What the content lint reads of a Markdown body, found in one pass over
//! its events: prose blocks (as byte ranges), headings, images without alt
//! text, links and callouts.
//!
//! The scan runs on the same events the renderer walks, so `check` and
//! `serve` parse each body once ([`super::render`] keeps the scan when asked).
//! Ranges are byte ranges into the scanned text. Text events are read as
//! pulldown-cmark gives them, before adjacent ones are merged. A scan from
//! the renderer reads link texts as rendered, with the site's smart
//! punctuation; everything else equals [`scan`]'s (a property test checks).

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, Event, Options, Parser, Tag, TagEnd};

/// The options the lint parses with when it has no scan from the renderer:
/// fascia's, without smart punctuation (which does not move offsets).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A paragraph or list item: its text events, as ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Ranges of its text events, in order.
    pub pieces: Vec<Range<usize>>,
    /// Whether it is (in) a list item.
    pub list_item: bool,
    /// The kind of the innermost callout around it, upper case.
    pub callout: Option<String>,
}

/// A callout: a blockquote starting with `[!KIND]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callout {
    /// The kind, upper case.
    pub kind: String,
    /// The blockquote's first line.
    pub range: Range<usize>,
}

/// A heading in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its first line, without the line break.
    pub range: Range<usize>,
}

/// A link in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The visible text (image alt text included, markup and inline code kept as text).
    pub text: String,
    /// The destination as written.
    pub dest: String,
    /// The whole link, `[text](dest)`.
    pub range: Range<usize>,
    /// The text between the brackets (the whole link when it has none).
    pub text_range: Range<usize>,
}

/// Everything found in one body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Paragraphs and list items outside headings, tables and code.
    pub blocks: Vec<Block>,
    /// `[!KIND]` markers pulldown-cmark does not know, to blank out of prose.
    pub markers: Vec<Range<usize>>,
    /// Headings, in order.
    pub headings: Vec<Heading>,
    /// Images whose alt text is empty or blank.
    pub images_without_alt: Vec<Range<usize>>,
    /// Links, in order of their start.
    pub links: Vec<Link>,
    /// Callouts, in order.
    pub callouts: Vec<Callout>,
}

/// Parses `markdown` with [`options`] and scans it.
pub fn scan(markdown: &str) -> Scan {
    let mut s = Scanner::new(markdown);
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        s.event(&event, range);
    }
    s.finish()
}

/// A scan fed one event at a time, as a renderer reads them (so the
/// events need not be collected first), then [`Scanner::finish`]ed.
pub struct Scanner<'m> {
    markdown: &'m str,
    out: Scan,
    /// Callout kind of each open blockquote (inherited from the outer ones).
    quotes: Vec<Option<String>>,
    block: Option<Block>,
    /// Open list items.
    items: usize,
    /// Inside headings, tables, code blocks, metadata: not prose.
    skip: usize,
    /// Open images: (range, has alt text).
    images: Vec<(Range<usize>, bool)>,
    /// Open links, innermost last.
    links: Vec<Link>,
}

impl<'m> Scanner<'m> {
    /// A scan of `markdown`, before its first event.
    pub fn new(markdown: &'m str) -> Self {
        Scanner {
            markdown,
            out: Scan::default(),
            quotes: Vec::new(),
            block: None,
            items: 0,
            skip: 0,
            images: Vec::new(),
            links: Vec::new(),
        }
    }

    /// The scan, once every event was fed.
    pub fn finish(mut self) -> Scan {
        self.flush();
        self.out.links.sort_by_key(|l| l.range.start);
        self.out
    }

    fn flush(&mut self) {
        if let Some(b) = self.block.take() {
            if !b.pieces.is_empty() {
                self.out.blocks.push(b);
            }
        }
    }

    fn open_block(&mut self, list_item: bool) {
        self.block = Some(Block {
            pieces: Vec::new(),
            list_item,
            callout: self.quotes.last().cloned().flatten(),
        });
    }

    /// Takes in the next event, with its range in the Markdown.
    pub fn event(&mut self, event: &Event, range: Range<usize>) {
        if !matches!(
            event,
            Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link)
        ) {
            // Everything inside a link is its text (emphasis, code, images).
            for link in &mut self.links {
                link.text_range.start = link.text_range.start.min(range.start);
                link.text_range.end = link.text_range.end.max(range.end);
            }
        }
        match event {
            Event::Start(Tag::BlockQuote(kind)) => self.start_quote(*kind, range),
            Event::End(TagEnd::BlockQuote(_)) => {
                self.flush();
                self.quotes.pop();
            }
            Event::Start(Tag::Paragraph) => {
                self.flush();
                if self.skip == 0 {
                    self.open_block(self.items > 0);
                }
            }
            Event::Start(Tag::Item) => {
                self.flush();
                self.items += 1;
            }
            Event::End(TagEnd::Item) => {
                self.flush();
                self.items = self.items.saturating_sub(1);
            }
            Event::End(TagEnd::Paragraph)
            | Event::Start(Tag::List(_))
            | Event::End(TagEnd::List(_))
            | Event::Start(Tag::FootnoteDefinition(_))
            | Event::End(TagEnd::FootnoteDefinition)
            | Event::Start(Tag::HtmlBlock)
            | Event::End(TagEnd::HtmlBlock) => self.flush(),
            Event::Start(Tag::Heading { level, .. }) => self.start_heading(*level as u8, range),
            Event::Start(Tag::Table(_))
            | Event::Start(Tag::CodeBlock(_))
            | Event::Start(Tag::MetadataBlock(_)) => {
                self.flush();
                self.skip += 1;
            }
            Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::Table)
            | Event::End(TagEnd::CodeBlock)
            | Event::End(TagEnd::MetadataBlock(_)) => self.skip = self.skip.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => self.images.push((range, false)),
            Event::End(TagEnd::Image) => self.end_image(),
            Event::Start(Tag::Link { dest_url, .. }) => self.links.push(Link {
                text: String::new(),
                dest: dest_url.to_string(),
                range: range.clone(),
                text_range: range.end..range.start,
            }),
            Event::End(TagEnd::Link) => self.end_link(),
            Event::Text(text) => self.text(text, range, false),
            Event::Code(text) => self.text(text, range, true),
            Event::SoftBreak | Event::HardBreak => {
                for link in &mut self.links {
                    link.text.push(' ');
                }
            }
            _ => {}
        }
    }

    /// A heading: its text is not prose; its range is its first line.
    fn start_heading(&mut self, level: u8, range: Range<usize>) {
        self.flush();
        self.skip += 1;
        let line_end = self.markdown[range.start..range.end]
            .find('\n')
            .map_or(range.end, |i| range.start + i);
        let text = self.markdown[range.start..line_end].trim_end();
        self.out.headings.push(Heading {
            level,
            range: range.start..range.start + text.len(),
        });
    }

    fn end_image(&mut self) {
        if let Some((r, has_alt)) = self.images.pop() {
            if !has_alt {
                self.out.images_without_alt.push(r);
            }
        }
    }

    /// A link's text range covers its text; an empty one, the whole link.
    fn end_link(&mut self) {
        if let Some(mut link) = self.links.pop() {
            if link.text_range.start > link.text_range.end {
                link.text_range = link.range.clone();
            }
            self.out.links.push(link);
        }
    }

    fn start_quote(&mut self, kind: Option<BlockQuoteKind>, range: Range<usize>) {
        self.flush();
        let own = match kind {
            Some(k) => Some(kind_name(k).to_string()),
            None => marker(self.markdown, range.start).map(|(kind, r)| {
                self.out.markers.push(r);
                kind
            }),
        };
        if let Some(kind) = &own {
            let line_end = self.markdown[range.start..]
                .find('\n')
                .map_or(range.end, |i| range.start + i);
            self.out.callouts.push(Callout {
                kind: kind.clone(),
                range: range.start..line_end.min(range.end),
            });
        }
        let inherited = own.or_else(|| self.quotes.last().cloned().flatten());
        self.quotes.push(inherited);
    }

    fn text(&mut self, text: &str, range: Range<usize>, is_code: bool) {
        if let Some(img) = self.images.last_mut() {
            img.1 |= !text.trim().is_empty();
        }
        for link in &mut self.links {
            link.text.push_str(text);
        }
        if self.skip > 0 || !self.images.is_empty() || is_code {
            return;
        }
        if self.block.is_none() && self.items > 0 {
            // Text directly in a tight list item.
            self.open_block(true);
        }
        if let Some(b) = &mut self.block {
            b.pieces.push(range);
        }
    }
}

fn kind_name(k: BlockQuoteKind) -> &'static str {
    match k {
        BlockQuoteKind::Note => "NOTE",
        BlockQuoteKind::Tip => "TIP",
        BlockQuoteKind::Important => "IMPORTANT",
        BlockQuoteKind::Warning => "WARNING",
        BlockQuoteKind::Caution => "CAUTION",
    }
}

/// A `[!KIND]` marker on the first line of a blockquote starting at `start`.
fn marker(markdown: &str, start: usize) -> Option<(String, Range<usize>)> {
    let rest = &markdown[start..];
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let after_gt = line.trim_start().strip_prefix('>')?;
    let inner = after_gt.trim_start();
    let kind_and_rest = inner.strip_prefix("[!")?;
    let close = kind_and_rest.find(']')?;
    let kind = &kind_and_rest[..close];
    if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let at = start + (line.len() - inner.len());
    Some((kind.to_ascii_uppercase(), at..at + 2 + close + 1))
}
