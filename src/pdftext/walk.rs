//! Walk a page's content stream for where each piece of text is drawn: the text and
//! transformation matrices, fonts and their encodings, ActualText spans, and form XObjects
//! (`Do`), which are walked in place with their own matrix and resources, each at most once on
//! any one path so that a cycle of forms ends. Every operator drawn, a form's each time it is
//! drawn, and every byte of text is charged to the document's budget.

use std::fmt;
use std::rc::Rc;

use lopdf::{Dictionary, Document, ObjectId};
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};

use super::Line;
use super::budget::{Exceeded, MAX_FORM_DEPTH};
use super::font;
use super::lines::{Lines, Placed, Seen};
use super::ops::{self, Op, Operand, Ops};
use super::resources::{IDENTITY, Matrix, Reader, Resources};

/// Why a page could not be read: a limit, or lopdf's error.
#[derive(Debug)]
pub(super) enum Failure {
    Limit(Exceeded),
    Pdf(lopdf::Error),
}

impl From<Exceeded> for Failure {
    fn from(e: Exceeded) -> Failure {
        Failure::Limit(e)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Limit(e) => e.fmt(f),
            Failure::Pdf(e) => e.fmt(f),
        }
    }
}

/// What walking a page needs that the next page can reuse: its tables, emptied between
/// pages, so that they are not grown again from nothing for each page.
#[derive(Default)]
pub(super) struct Tables {
    drawn: FxHashMap<Drawn, (usize, f32)>,
    seen: Seen,
    scratch: Vec<u8>,
}

/// The lines of one page, in the order they are drawn.
pub(super) fn page_lines<'a>(
    rd: &mut Reader<'a>,
    tables: &mut Tables,
    page: ObjectId,
) -> Result<Vec<Line>, Failure> {
    let doc: &'a Document = rd.doc;
    rd.budget.start_page();
    let (direct, referenced) = doc.get_page_resources(page).map_err(Failure::Pdf)?;
    let dicts: Vec<&Dictionary> = direct
        .into_iter()
        .chain(
            referenced
                .into_iter()
                .filter_map(|id| doc.get_dictionary(id).ok()),
        )
        .collect();
    let resources = rd.resources(&dicts)?;
    let content = rd.page_content(page)?;
    tables.drawn.clear();
    let mut w = Walker {
        rd,
        ctm: IDENTITY,
        stack: Vec::new(),
        tm: IDENTITY,
        tlm: IDENTITY,
        size: 0.0,
        leading: 0.0,
        spacing: Spacing::default(),
        marked: Vec::new(),
        pending: None,
        forms: Vec::new(),
        lines: Lines::new(std::mem::take(&mut tables.seen)),
        drawn: std::mem::take(&mut tables.drawn),
        scratch: std::mem::take(&mut tables.scratch),
    };
    let walked = w.run(&content, &resources, None);
    let (lines, seen) = w.lines.finish();
    (tables.drawn, tables.seen, tables.scratch) = (w.drawn, seen, w.scratch);
    walked.map(|()| lines)
}

/// The text state while walking a content stream.
struct Walker<'r, 'a> {
    rd: &'r mut Reader<'a>,
    ctm: Matrix,
    stack: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    size: f32,
    leading: f32,
    spacing: Spacing,
    /// Open marked-content sequences; `true` where an ActualText replaces what is drawn.
    marked: Vec<bool>,
    /// An ActualText not yet placed.
    pending: Option<String>,
    /// The forms being walked, outermost first: a form that draws itself is not entered again.
    forms: Vec<ObjectId>,
    lines: Lines,
    /// Strings drawn on this page, by font, bytes and where: their text's length and width.
    drawn: FxHashMap<Drawn, (usize, f32)>,
    /// Where a string with escapes or in hexadecimal is decoded to be drawn.
    scratch: Vec<u8>,
}

/// A string drawn: its font, a hash of its bytes, and where (device space, rounded).
type Drawn = (usize, u64, [i32; 3]);

/// The text state's spacing: character (`Tc`) and word (`Tw`) spacing, horizontal scaling
/// (`Tz`, as a fraction) and rise (`Ts`).
#[derive(Clone, Copy)]
struct Spacing {
    char: f32,
    word: f32,
    scale: f32,
    rise: f32,
}

impl Default for Spacing {
    fn default() -> Self {
        Spacing {
            char: 0.0,
            word: 0.0,
            scale: 1.0,
            rise: 0.0,
        }
    }
}

type Font<'a> = Option<Rc<font::Font<'a>>>;

impl<'a> Walker<'_, 'a> {
    /// Walk the content `bytes`, whose names refer to `res`, starting in the font `encoding`.
    /// Operators are decoded one at a time, so a long stream is never held decoded whole.
    fn run(
        &mut self,
        bytes: &[u8],
        res: &Resources<'a>,
        mut encoding: Font<'a>,
    ) -> Result<(), Failure> {
        let mut ops = Ops::new(bytes);
        while let Some(op) = ops.next() {
            let op = op.map_err(Failure::Pdf)?;
            self.rd.budget.op()?;
            self.operator(&op, res, &mut encoding)?;
        }
        Ok(())
    }

    fn operator(
        &mut self,
        op: &Op,
        res: &Resources<'a>,
        encoding: &mut Font<'a>,
    ) -> Result<(), Failure> {
        match op.operator {
            b"q" => self.stack.push(self.ctm),
            b"Q" => self.ctm = self.stack.pop().unwrap_or(IDENTITY),
            b"cm" => {
                if let Some(m) = op.numbers().exactly::<6>() {
                    self.ctm = multiply(m, self.ctm);
                }
            }
            b"Tf" => {
                *encoding = op.name(0).and_then(|n| res.fonts.get(&*n)).cloned();
                if let Some(Operand::Number(size)) = op.top(1) {
                    self.size = size;
                }
            }
            b"Tj" | b"TJ" | b"'" | b"\"" => self.show_operator(op, encoding)?,
            b"BDC" | b"BMC" | b"EMC" => self.marked_content(op)?,
            b"Do" => {
                if let Some(&id) = op.name(0).and_then(|n| res.xobjects.get(&*n)) {
                    self.form(id, res, encoding.clone())?;
                }
            }
            _ => self.text_state(op),
        }
        Ok(())
    }

    /// The operators that set the text matrices, the leading and the spacing.
    fn text_state(&mut self, op: &Op) {
        let first = || op.numbers().first();
        match op.operator {
            b"BT" => (self.tm, self.tlm) = (IDENTITY, IDENTITY),
            b"TL" => self.leading = first().unwrap_or(self.leading),
            b"Tc" => self.spacing.char = first().unwrap_or(0.0),
            b"Tw" => self.spacing.word = first().unwrap_or(0.0),
            b"Tz" => self.spacing.scale = first().map_or(1.0, |z| z / 100.0),
            b"Ts" => self.spacing.rise = first().unwrap_or(0.0),
            b"Tm" => {
                if let Some(m) = op.numbers().exactly::<6>() {
                    (self.tm, self.tlm) = (m, m);
                }
            }
            b"Td" | b"TD" => {
                if let Some([x, y]) = op.numbers().exactly::<2>() {
                    if op.operator == b"TD" {
                        self.leading = -y;
                    }
                    self.tlm = multiply([1.0, 0.0, 0.0, 1.0, x, y], self.tlm);
                    self.tm = self.tlm;
                }
            }
            b"T*" => self.next_line(),
            _ => {}
        }
    }

    /// `BDC`, `BMC` and `EMC`: a span whose ActualText replaces the glyphs drawn inside it.
    fn marked_content(&mut self, op: &Op) -> Result<(), Exceeded> {
        match op.operator {
            b"BDC" => {
                let actual = op
                    .properties()
                    .and_then(|d| lopdf::decode_text_string(d.get(b"ActualText").ok()?).ok());
                // Drawn where the span's first text is drawn: the span often opens before
                // the line's `Tm`.
                self.marked.push(actual.is_some());
                if actual.is_some() {
                    self.pending = actual;
                }
            }
            b"BMC" => self.marked.push(false),
            _ => {
                if self.marked.pop() == Some(true)
                    && let Some(text) = self.pending.take()
                {
                    self.place(&text, 0.0)?;
                }
            }
        }
        Ok(())
    }

    /// `Tj`, `TJ`, `'` and `"`: the pending ActualText first, then the strings.
    fn show_operator(&mut self, op: &Op, encoding: &Font<'a>) -> Result<(), Exceeded> {
        if op.operator == b"\""
            && let Some([aw, ac]) = op.numbers().at_least::<2>()
        {
            (self.spacing.word, self.spacing.char) = (aw, ac);
        }
        if op.operator != b"Tj" && op.operator != b"TJ" {
            self.next_line();
        }
        if let Some(text) = self.pending.take() {
            self.place(&text, 0.0)?;
        }
        if let Some(font) = encoding.clone() {
            self.show(&font, op.operands)?;
        }
        Ok(())
    }

    /// Walk the form XObject `id` where it is drawn: inside a `q`/`Q` of its own, its
    /// `/Matrix` on top of the current one, in the current font until it sets one, with its own
    /// `/Resources` (or, as older files expect, the resources of whatever draws it). An image or
    /// a broken stream is skipped, and a form's content is read up to where it breaks.
    fn form(&mut self, id: ObjectId, outer: &Resources<'a>, font: Font<'a>) -> Result<(), Failure> {
        if self.forms.contains(&id) {
            return Ok(());
        }
        if self.forms.len() >= MAX_FORM_DEPTH {
            return Err(Exceeded::FormDepth.into());
        }
        let Some(form) = self.rd.form(id)? else {
            return Ok(());
        };
        let saved = (
            self.ctm,
            self.stack.len(),
            self.tm,
            self.tlm,
            self.size,
            self.leading,
            self.spacing,
        );
        self.ctm = multiply(form.matrix, self.ctm);
        self.forms.push(id);
        let res = form.resources.as_deref().unwrap_or(outer);
        match self.run(&form.content, res, font) {
            Ok(()) | Err(Failure::Pdf(_)) => {}
            Err(limit) => return Err(limit),
        }
        self.forms.pop();
        self.stack.truncate(saved.1);
        (
            self.ctm,
            _,
            self.tm,
            self.tlm,
            self.size,
            self.leading,
            self.spacing,
        ) = saved;
        Ok(())
    }

    fn next_line(&mut self) {
        self.tlm = multiply([1.0, 0.0, 0.0, 1.0, 0.0, -self.leading], self.tlm);
        self.tm = self.tlm;
    }

    /// Draw the strings of a show operator glyph by glyph, moving the pen by each glyph's
    /// width and the spacing, and by `TJ`'s numbers (thousandths of an em, to the left).
    fn show(&mut self, font: &font::Font<'a>, operands: &[Operand]) -> Result<(), Exceeded> {
        for operand in operands {
            if let Operand::Number(n) = operand {
                self.advance(-n / 1000.0 * self.size * self.spacing.scale);
                continue;
            }
            // The string is decoded into the walk's buffer, lent out while it is drawn.
            let mut scratch = std::mem::take(&mut self.scratch);
            let drawn = match ops::string(operand, &mut scratch) {
                Some(bytes) => self.string(font, bytes),
                None => Ok(()),
            };
            self.scratch = scratch;
            drawn?;
        }
        Ok(())
    }

    /// Draw one string. The same string drawn again at the same place (a form drawn twice,
    /// text overprinted to look bold) is read once: its text is charged to the limit again,
    /// and the pen moves past it, without going through its glyphs again.
    fn string(&mut self, font: &font::Font<'a>, bytes: &[u8]) -> Result<(), Exceeded> {
        let m = multiply(self.tm, self.ctm);
        let mut h = FxHasher::default();
        bytes.hash(&mut h);
        let at = [m[4], m[5], self.size * m[3]].map(|v| (v * 4.0).round() as i32);
        let key = (font as *const font::Font as usize, h.finish(), at);
        if let Some(&(len, width)) = self.drawn.get(&key) {
            self.rd.budget.text(len)?;
            self.advance(width);
            return Ok(());
        }
        let (mut failed, mut len, mut width) = (Ok(()), 0, 0.0);
        font.glyphs(bytes, |g| {
            if failed.is_ok() {
                let advance = g.width * self.size
                    + self.spacing.char
                    + if g.space { self.spacing.word } else { 0.0 };
                let advance = advance * self.spacing.scale;
                (len, width) = (len + g.text.len(), width + advance);
                failed = self.put(&g.text, advance);
            }
        });
        failed?;
        self.drawn.insert(key, (len, width));
        Ok(())
    }

    /// Move the pen along the baseline by `tx` (text space).
    fn advance(&mut self, tx: f32) {
        self.tm = multiply([1.0, 0.0, 0.0, 1.0, tx, 0.0], self.tm);
    }

    /// Add a glyph drawn at the pen, `advance` wide, unless an ActualText replaces it; the
    /// pen moves past it either way.
    fn put(&mut self, text: &str, advance: f32) -> Result<(), Exceeded> {
        if self.marked.iter().any(|&m| m) {
            // The ActualText stands where these glyphs are: the next glyph's gap is from them.
            let m = multiply(self.tm, self.ctm);
            self.lines.cover(m[4] + advance * m[0], m[5]);
        } else {
            self.place(text, advance)?;
        }
        self.advance(advance);
        Ok(())
    }

    /// Add text drawn at the pen, `advance` wide (text space), to the page's lines.
    fn place(&mut self, text: &str, advance: f32) -> Result<(), Exceeded> {
        let m = multiply(self.tm, self.ctm);
        let size = self.size * m[2].hypot(m[3]);
        let rise = self.spacing.rise;
        let (x, y) = (m[4] + rise * m[2], m[5] + rise * m[3]);
        if text.is_empty() {
            return Ok(());
        }
        self.rd.budget.text(text.len())?;
        self.lines.add(Placed {
            text,
            x0: x,
            x1: x + advance * m[0],
            y,
            size,
        });
        Ok(())
    }
}

fn multiply(a: Matrix, b: Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}
