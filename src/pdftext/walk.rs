//! Walk a page's content stream for where each piece of text is drawn: the text and
//! transformation matrices, fonts and their encodings, ActualText spans, and form XObjects
//! (`Do`), which are walked in place with their own matrix and resources, however deeply they
//! nest, each at most once on any one path so that a cycle of forms ends.

use lopdf::content::Operation;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};
use std::collections::BTreeMap;

use super::Line;

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
/// Forms nested deeper than this are not read (a guard beside the cycle check).
const MAX_FORM_DEPTH: usize = 32;

/// The lines of one page, in the order they are drawn.
pub(super) fn page_lines(doc: &Document, page: ObjectId) -> lopdf::Result<Vec<Line>> {
    let (direct, referenced) = doc.get_page_resources(page)?;
    let dicts: Vec<&Dictionary> = direct
        .into_iter()
        .chain(
            referenced
                .into_iter()
                .filter_map(|id| doc.get_dictionary(id).ok()),
        )
        .collect();
    let resources = Resources::of(doc, &dicts);
    let content = doc.get_and_decode_page_content(page)?;
    let mut w = Walker {
        ctm: IDENTITY,
        ..Walker::default()
    };
    w.run(doc, &content.operations, &resources, None);
    Ok(w.lines)
}

/// What a content stream's names refer to: fonts (by their encodings) and XObjects.
struct Resources<'a> {
    fonts: BTreeMap<Vec<u8>, Encoding<'a>>,
    xobjects: BTreeMap<Vec<u8>, ObjectId>,
}

impl<'a> Resources<'a> {
    /// The resources of `dicts`, the nearest first (a name defined twice keeps the first).
    fn of(doc: &'a Document, dicts: &[&'a Dictionary]) -> Resources<'a> {
        let mut fonts = BTreeMap::new();
        let mut xobjects = BTreeMap::new();
        for dict in dicts {
            for (name, value) in entries(doc, dict, b"Font") {
                if !fonts.contains_key(name)
                    && let Some(enc) =
                        deref_dict(doc, value).and_then(|f| f.get_font_encoding(doc).ok())
                {
                    fonts.insert(name.clone(), enc);
                }
            }
            for (name, value) in entries(doc, dict, b"XObject") {
                if let Object::Reference(id) = value {
                    xobjects.entry(name.clone()).or_insert(*id);
                }
            }
        }
        Resources { fonts, xobjects }
    }
}

/// The entries of the sub-dictionary `key` of `dict` (direct or referenced), or none.
fn entries<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> impl Iterator<Item = (&'a Vec<u8>, &'a Object)> {
    dict.get(key)
        .ok()
        .and_then(|o| deref_dict(doc, o))
        .into_iter()
        .flat_map(|d| d.iter())
}

fn deref_dict<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    doc.dereference(object).ok()?.1.as_dict().ok()
}

/// The text state while walking a content stream.
#[derive(Default)]
struct Walker {
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

impl Walker {
    /// Walk `ops`, whose names refer to `res`, starting in the font `encoding`.
    fn run<'r>(
        &mut self,
        doc: &Document,
        ops: &[Operation],
        res: &'r Resources,
        mut encoding: Option<&'r Encoding<'r>>,
    ) {
        for op in ops {
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
                    encoding = op
                        .operands
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .and_then(|n| res.fonts.get(n));
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
                        self.place(&text);
                    }
                    if let Some(enc) = encoding {
                        let mut text = String::new();
                        show(&mut text, enc, &op.operands);
                        self.put(&text);
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
                        self.place(&text);
                    }
                }
                "Do" => {
                    let name = op.operands.first().and_then(|n| n.as_name().ok());
                    if let Some(&id) = name.and_then(|n| res.xobjects.get(n)) {
                        self.form(doc, id, res, encoding);
                    }
                }
                _ => {}
            }
        }
    }

    /// Walk the form XObject `id` where it is drawn: inside a `q`/`Q` of its own, its
    /// `/Matrix` on top of the current one, in the current font until it sets one, with its own
    /// `/Resources` (or, as older files expect, the resources of whatever draws it). An image or
    /// a broken stream is skipped.
    fn form(&mut self, doc: &Document, id: ObjectId, outer: &Resources, font: Option<&Encoding>) {
        if self.forms.contains(&id) || self.forms.len() >= MAX_FORM_DEPTH {
            return;
        }
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            return;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return;
        }
        let Some(content) = stream
            .get_plain_content()
            .ok()
            .and_then(|bytes| lopdf::content::Content::decode(&bytes).ok())
        else {
            return;
        };
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| deref_dict(doc, r))
            .map(|d| Resources::of(doc, &[d]));
        let matrix = stream
            .dict
            .get(b"Matrix")
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| {
                let m: Vec<f32> = a.iter().filter_map(|o| o.as_float().ok()).collect();
                <[f32; 6]>::try_from(m).ok()
            })
            .unwrap_or(IDENTITY);
        let saved = (
            self.ctm,
            self.stack.len(),
            self.tm,
            self.tlm,
            self.size,
            self.leading,
        );
        self.ctm = multiply(matrix, self.ctm);
        self.forms.push(id);
        self.run(
            doc,
            &content.operations,
            own.as_ref().unwrap_or(outer),
            font,
        );
        self.forms.pop();
        self.stack.truncate(saved.1);
        (self.ctm, _, self.tm, self.tlm, self.size, self.leading) = saved;
    }

    fn next_line(&mut self) {
        self.tlm = multiply([1.0, 0.0, 0.0, 1.0, 0.0, -self.leading], self.tlm);
        self.tm = self.tlm;
    }

    /// Add text drawn at the current position, unless an ActualText replaces it.
    fn put(&mut self, text: &str) {
        if !self.marked.iter().any(|&m| m) {
            self.place(text);
        }
    }

    /// Add text to the last line if it is on the same baseline, else as a new line.
    fn place(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
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
    }
}

/// The text of a show operator; a TJ gap wider than a quarter of an em is a space.
fn show(out: &mut String, encoding: &Encoding, operands: &[Object]) {
    for operand in operands {
        match operand {
            Object::String(bytes, _) => {
                if let Ok(s) = Document::decode_text(encoding, bytes) {
                    out.push_str(&s);
                }
            }
            Object::Array(items) => show(out, encoding, items),
            other => {
                if other.as_float().is_ok_and(|n| n < -250.0) && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
        }
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
