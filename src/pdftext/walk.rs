//! Walk a page's content stream for where each piece of text is drawn: the text and
//! transformation matrices, fonts and their encodings, ActualText spans, and form XObjects
//! (`Do`), which are walked in place with their own matrix and resources, each at most once on
//! any one path so that a cycle of forms ends. Every operator drawn, a form's each time it is
//! drawn, and every byte of text is charged to the document's budget.

use std::fmt;
use std::rc::Rc;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::Line;
use super::budget::{Exceeded, MAX_FORM_DEPTH, MAX_TEXT};
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

/// The lines of one page, in the order they are drawn.
pub(super) fn page_lines<'a>(rd: &mut Reader<'a>, page: ObjectId) -> Result<Vec<Line>, Failure> {
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
    let mut w = Walker {
        rd,
        ctm: IDENTITY,
        stack: Vec::new(),
        tm: IDENTITY,
        tlm: IDENTITY,
        size: 0.0,
        leading: 0.0,
        marked: Vec::new(),
        pending: None,
        forms: Vec::new(),
        lines: Vec::new(),
    };
    w.run(&content, &resources, None)?;
    Ok(w.lines)
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
    /// Open marked-content sequences; `true` where an ActualText replaces what is drawn.
    marked: Vec<bool>,
    /// An ActualText not yet placed.
    pending: Option<String>,
    /// The forms being walked, outermost first: a form that draws itself is not entered again.
    forms: Vec<ObjectId>,
    lines: Vec<Line>,
}

type Font<'a> = Option<Rc<Encoding<'a>>>;

impl<'a> Walker<'_, 'a> {
    /// Walk the content `bytes`, whose names refer to `res`, starting in the font `encoding`.
    /// Operators are decoded one at a time, so a long stream is never held decoded whole.
    fn run(
        &mut self,
        bytes: &[u8],
        res: &Resources<'a>,
        mut encoding: Font<'a>,
    ) -> Result<(), Failure> {
        for op in Content::decode_iter(bytes) {
            let op = op.map_err(Failure::Pdf)?;
            self.rd.budget.op()?;
            self.operator(&op, res, &mut encoding)?;
        }
        Ok(())
    }

    fn operator(
        &mut self,
        op: &Operation,
        res: &Resources<'a>,
        encoding: &mut Font<'a>,
    ) -> Result<(), Failure> {
        let nums = || {
            op.operands
                .iter()
                .filter_map(|o| o.as_float().ok())
                .collect::<Vec<f32>>()
        };
        match op.operator.as_str() {
            "q" => self.stack.push(self.ctm),
            "Q" => self.ctm = self.stack.pop().unwrap_or(IDENTITY),
            "cm" => {
                if let Ok(m) = <[f32; 6]>::try_from(nums()) {
                    self.ctm = multiply(m, self.ctm);
                }
            }
            "BT" => (self.tm, self.tlm) = (IDENTITY, IDENTITY),
            "Tf" => {
                *encoding = op
                    .operands
                    .first()
                    .and_then(|n| n.as_name().ok())
                    .and_then(|n| res.fonts.get(n))
                    .cloned();
                self.size = op
                    .operands
                    .get(1)
                    .and_then(|s| s.as_float().ok())
                    .unwrap_or(self.size);
            }
            "TL" => self.leading = nums().first().copied().unwrap_or(self.leading),
            "Tm" => {
                if let Ok(m) = <[f32; 6]>::try_from(nums()) {
                    (self.tm, self.tlm) = (m, m);
                }
            }
            "Td" | "TD" => {
                if let [x, y] = nums()[..] {
                    if op.operator == "TD" {
                        self.leading = -y;
                    }
                    self.tlm = multiply([1.0, 0.0, 0.0, 1.0, x, y], self.tlm);
                    self.tm = self.tlm;
                }
            }
            "T*" => self.next_line(),
            "Tj" | "TJ" | "'" | "\"" => {
                if op.operator != "Tj" && op.operator != "TJ" {
                    self.next_line();
                }
                if let Some(text) = self.pending.take() {
                    self.place(&text)?;
                }
                if let Some(enc) = encoding {
                    let mut text = String::new();
                    show(&mut text, enc, &op.operands)?;
                    self.put(&text)?;
                }
            }
            "BDC" => {
                let actual = op
                    .operands
                    .get(1)
                    .and_then(|d| d.as_dict().ok())
                    .and_then(|d| d.get(b"ActualText").ok())
                    .and_then(|t| lopdf::decode_text_string(t).ok());
                // Drawn where the span's first text is drawn: the span often opens before
                // the line's `Tm`.
                self.marked.push(actual.is_some());
                if actual.is_some() {
                    self.pending = actual;
                }
            }
            "BMC" => self.marked.push(false),
            "EMC" => {
                if self.marked.pop() == Some(true)
                    && let Some(text) = self.pending.take()
                {
                    self.place(&text)?;
                }
            }
            "Do" => {
                let name = op.operands.first().and_then(|n| n.as_name().ok());
                if let Some(&id) = name.and_then(|n| res.xobjects.get(n)) {
                    self.form(id, res, encoding.clone())?;
                }
            }
            _ => {}
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
        (self.ctm, _, self.tm, self.tlm, self.size, self.leading) = saved;
        Ok(())
    }

    fn next_line(&mut self) {
        self.tlm = multiply([1.0, 0.0, 0.0, 1.0, 0.0, -self.leading], self.tlm);
        self.tm = self.tlm;
    }

    /// Add text drawn at the current position, unless an ActualText replaces it.
    fn put(&mut self, text: &str) -> Result<(), Exceeded> {
        if self.marked.iter().any(|&m| m) {
            return Ok(());
        }
        self.place(text)
    }

    /// Add text to the last line if it is on the same baseline, else as a new line.
    fn place(&mut self, text: &str) -> Result<(), Exceeded> {
        if text.is_empty() {
            return Ok(());
        }
        self.rd.budget.text(text.len())?;
        let m = multiply(self.tm, self.ctm);
        let size = self.size * m[2].hypot(m[3]);
        let (x, y) = (m[4], m[5]);
        match self.lines.last_mut() {
            Some(line) if (line.y - y).abs() <= 0.3 * size.max(1.0) => line.text.push_str(text),
            _ => self.lines.push(Line {
                y,
                x,
                size,
                text: text.to_string(),
            }),
        }
        Ok(())
    }
}

/// The text of a show operator; a TJ gap wider than a quarter of an em is a space. A long
/// string is decoded a slice at a time (at even offsets, which split no one- or two-byte code),
/// so that what a font maps it to is checked against the text limit as it grows: a ToUnicode
/// map may give one code 256 characters, so a string of a few MiB could otherwise be gigabytes.
fn show(out: &mut String, encoding: &Encoding, operands: &[Object]) -> Result<(), Exceeded> {
    const SLICE: usize = 16 << 10;
    for operand in operands {
        match operand {
            Object::String(bytes, _) => {
                for slice in bytes.chunks(SLICE) {
                    if let Ok(s) = Document::decode_text(encoding, slice) {
                        out.push_str(&s);
                    }
                    if out.len() > MAX_TEXT {
                        return Err(Exceeded::Text);
                    }
                }
            }
            Object::Array(items) => show(out, encoding, items)?,
            other => {
                if other.as_float().is_ok_and(|n| n < -250.0) && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
        }
    }
    Ok(())
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
