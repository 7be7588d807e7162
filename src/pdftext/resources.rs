//! What content streams draw with, read once per document and kept: each font's encoding (its
//! ToUnicode map decoded and parsed once, however many pages use it) and each form XObject's
//! content, resources and matrix (decoded once, however often it is drawn). Every stream is
//! decoded through the document's [`Budget`], so what is kept here is bounded with it.

use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

use super::budget::{Budget, Exceeded, MAX_STREAM, cmap_codes, over_limit};
use super::cff::{self, Names};
use super::encoding;
use super::font::Font;
use super::type1;

pub(super) type Matrix = [f32; 6];
pub(super) const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// One document being read: the file, what reading it has cost, and what was read once.
pub(super) struct Reader<'a> {
    pub(super) doc: &'a Document,
    pub(super) budget: Budget,
    /// Encodings by the address of their font dictionary (the document does not change while
    /// it is read, so an address names one dictionary); `None` for a font lopdf cannot decode.
    fonts: FxHashMap<usize, Option<Rc<Font<'a>>>>,
    /// Form XObjects by id; `None` for an image, a broken stream or anything else.
    forms: FxHashMap<ObjectId, Option<Rc<Form<'a>>>>,
    /// `/Font` and `/XObject` dictionaries' maps by their addresses: pages share them, and one
    /// naming a hundred thousand fonts would otherwise be gone through again for every page.
    font_maps: FxHashMap<usize, Rc<FontMap<'a>>>,
    xobject_maps: FxHashMap<usize, Rc<BTreeMap<Vec<u8>, ObjectId>>>,
}

type FontMap<'a> = BTreeMap<Vec<u8>, Rc<Font<'a>>>;

/// What a content stream's names refer to: fonts (by their encodings) and XObjects.
pub(super) struct Resources<'a> {
    pub(super) fonts: Rc<FontMap<'a>>,
    pub(super) xobjects: Rc<BTreeMap<Vec<u8>, ObjectId>>,
}

/// A form XObject: its content decoded, its own resources if it has them, its matrix.
pub(super) struct Form<'a> {
    pub(super) content: Vec<u8>,
    pub(super) resources: Option<Rc<Resources<'a>>>,
    pub(super) matrix: Matrix,
}

impl<'a> Reader<'a> {
    pub(super) fn new(doc: &'a Document) -> Reader<'a> {
        Reader {
            doc,
            budget: Budget::default(),
            fonts: FxHashMap::default(),
            forms: FxHashMap::default(),
            font_maps: FxHashMap::default(),
            xobject_maps: FxHashMap::default(),
        }
    }

    /// The resources of `dicts`, the nearest first (a name defined twice keeps the first).
    /// Where one dictionary gives them all, as in most files, its font and XObject maps are
    /// gathered once for every page and form that names the same ones.
    pub(super) fn resources(
        &mut self,
        dicts: &[&'a Dictionary],
    ) -> Result<Resources<'a>, Exceeded> {
        let doc = self.doc;
        if let [dict] = dicts {
            let sub = |key: &[u8]| dict.get(key).ok().and_then(|o| deref_dict(doc, o));
            return Ok(Resources {
                fonts: match sub(b"Font") {
                    Some(fonts) => self.font_map(fonts)?,
                    None => Rc::default(),
                },
                xobjects: match sub(b"XObject") {
                    Some(xobjects) => self.xobject_map(xobjects),
                    None => Rc::default(),
                },
            });
        }
        let mut fonts = BTreeMap::new();
        let mut xobjects = BTreeMap::new();
        for dict in dicts {
            for (name, value) in entries(doc, dict, b"Font") {
                if !fonts.contains_key(name)
                    && let Some(font) = deref_dict(doc, value)
                    && let Some(enc) = self.encoding(font)?
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
        Ok(Resources {
            fonts: Rc::new(fonts),
            xobjects: Rc::new(xobjects),
        })
    }

    /// The fonts a `/Font` dictionary names, by name, read once per dictionary.
    fn font_map(&mut self, dict: &'a Dictionary) -> Result<Rc<FontMap<'a>>, Exceeded> {
        let key = dict as *const Dictionary as usize;
        if let Some(known) = self.font_maps.get(&key) {
            return Ok(known.clone());
        }
        let mut fonts = BTreeMap::new();
        for (name, value) in dict.iter() {
            if let Some(font) = deref_dict(self.doc, value)
                && let Some(enc) = self.encoding(font)?
            {
                fonts.insert(name.clone(), enc);
            }
        }
        let fonts = Rc::new(fonts);
        self.font_maps.insert(key, fonts.clone());
        Ok(fonts)
    }

    /// The XObjects an `/XObject` dictionary names, by name, read once per dictionary.
    fn xobject_map(&mut self, dict: &'a Dictionary) -> Rc<BTreeMap<Vec<u8>, ObjectId>> {
        let key = dict as *const Dictionary as usize;
        self.xobject_maps
            .entry(key)
            .or_insert_with(|| {
                let ids = dict.iter().filter_map(|(name, value)| match value {
                    Object::Reference(id) => Some((name.clone(), *id)),
                    _ => None,
                });
                Rc::new(ids.collect())
            })
            .clone()
    }

    /// A font's encoding and widths, read the first time it is asked for. Its ToUnicode map is decoded
    /// through the budget first, and the codes its ranges cover are counted, before lopdf
    /// (which lists every code of every range) parses it.
    fn encoding(&mut self, font: &'a Dictionary) -> Result<Option<Rc<Font<'a>>>, Exceeded> {
        let key = font as *const Dictionary as usize;
        if let Some(known) = self.fonts.get(&key) {
            return Ok(known.clone());
        }
        if let Ok(map) = font
            .get_deref(b"ToUnicode", self.doc)
            .and_then(Object::as_stream)
            && let Some(bytes) = self.budget.decode(map, None)?
        {
            self.budget.codes(cmap_codes(&bytes))?;
        }
        let builtin = self.builtin_encoding(font)?;
        let enc = match font.get_font_encoding_with_limit(self.doc, MAX_STREAM) {
            Ok(enc) => Some(Rc::new(Font::new(self.doc, font, enc, builtin))),
            Err(e) if over_limit(&e) => return Err(Exceeded::Stream),
            Err(_) => None,
        };
        self.fonts.insert(key, enc.clone());
        Ok(enc)
    }

    /// The built-in encoding of `font`'s embedded program (Type 1 or CFF), read only where
    /// the font's codes may need it ([`encoding::needs_builtin`]). The program is decoded
    /// through the budget and dropped once read.
    fn builtin_encoding(&mut self, font: &Dictionary) -> Result<Option<Names>, Exceeded> {
        let doc = self.doc;
        let Some(descriptor) = font
            .get(b"FontDescriptor")
            .ok()
            .and_then(|d| deref_dict(doc, d))
            .filter(|_| encoding::needs_builtin(doc, font))
        else {
            return Ok(None);
        };
        let program = |key: &[u8]| descriptor.get_deref(key, doc).and_then(Object::as_stream);
        if let Ok(stream) = program(b"FontFile") {
            let clear = stream.dict.get(b"Length1").and_then(Object::as_i64).ok();
            let clear = clear.and_then(|n| usize::try_from(n).ok());
            let bytes = self.budget.decode(stream, Some(0))?;
            return Ok(bytes.and_then(|b| type1::encoding(&b, clear)));
        }
        if let Ok(stream) = program(b"FontFile3")
            && stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type1C")
        {
            let bytes = self.budget.decode(stream, Some(0))?;
            return Ok(bytes.and_then(|b| cff::encoding(&b)));
        }
        Ok(None)
    }

    /// The form XObject `id`, read the first time it is drawn.
    pub(super) fn form(&mut self, id: ObjectId) -> Result<Option<Rc<Form<'a>>>, Exceeded> {
        if let Some(known) = self.forms.get(&id) {
            return Ok(known.clone());
        }
        let form = self.read_form(id)?.map(Rc::new);
        self.forms.insert(id, form.clone());
        Ok(form)
    }

    fn read_form(&mut self, id: ObjectId) -> Result<Option<Form<'a>>, Exceeded> {
        let doc = self.doc;
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            return Ok(None);
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return Ok(None);
        }
        let Some(content) = self.budget.decode(stream, None)? else {
            return Ok(None);
        };
        self.budget.content(&content)?;
        let resources = match stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| deref_dict(doc, r))
        {
            Some(dict) => Some(Rc::new(self.resources(&[dict])?)),
            None => None,
        };
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
        Ok(Some(Form {
            content,
            resources,
            matrix,
        }))
    }

    /// A page's content streams decoded and joined, as lopdf joins them (a stream that will
    /// not decode is read as it is stored).
    pub(super) fn page_content(&mut self, page: ObjectId) -> Result<Vec<u8>, Exceeded> {
        let mut content = Vec::new();
        for id in self.doc.get_page_contents(page) {
            let Ok(stream) = self.doc.get_object(id).and_then(Object::as_stream) else {
                continue;
            };
            match self.budget.decode(stream, Some(content.len()))? {
                Some(bytes) => content.extend_from_slice(&bytes),
                None => {
                    self.budget.raw(stream.content.len(), content.len())?;
                    content.extend_from_slice(&stream.content);
                }
            }
            content.push(b'\n');
        }
        self.budget.content(&content)?;
        Ok(content)
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

pub(super) fn deref_dict<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    doc.dereference(object).ok()?.1.as_dict().ok()
}
