//! Small PDFs built by hand for the PDF extraction tests: pages and form XObjects whose content
//! streams the test writes itself, in Helvetica (one of the standard fonts, WinAnsi encoded).

use lopdf::{Document, Object, ObjectId, Stream, dictionary};

pub struct Pdf {
    doc: Document,
    pages: ObjectId,
    font: ObjectId,
    kids: Vec<Object>,
    fonts: Option<ObjectId>,
}

/// Content that draws `lines` in Helvetica `size`, the first baseline at (`x`, `y`), each
/// next line `pitch` lower.
pub fn text(x: f32, y: f32, size: f32, pitch: f32, lines: &[&str]) -> String {
    let mut out = format!("BT /F1 {size} Tf {pitch} TL {x} {y} Td\n");
    for (i, line) in lines.iter().enumerate() {
        let escaped = line
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        let op = if i == 0 { "Tj" } else { "'" };
        out.push_str(&format!("({escaped}) {op}\n"));
    }
    out.push_str("ET\n");
    out
}

impl Pdf {
    pub fn new() -> Pdf {
        let mut doc = Document::with_version("1.5");
        let pages = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        Pdf {
            doc,
            pages,
            font,
            kids: Vec::new(),
            fonts: None,
        }
    }

    /// The root of the page tree.
    pub fn root(&self) -> ObjectId {
        self.pages
    }

    /// Add `kid` to the root's `/Kids` as it is (a node of the tree, or anything else).
    pub fn kid(mut self, kid: ObjectId) -> Pdf {
        self.kids.push(kid.into());
        self
    }

    /// Add to the root a node of the page tree holding the first page again and claiming
    /// `count` pages (lopdf's page list reserves room for what such nodes claim).
    pub fn lying_node(mut self, count: i64) -> Pdf {
        let node = self.doc.add_object(
            dictionary! { "Type" => "Pages", "Kids" => vec![self.kids[0].clone()], "Count" => count },
        );
        self.kids.push(node.into());
        self
    }

    /// From now on, give pages one font dictionary naming the font `names` times (`F1`, `F2`,
    /// ...), shared by reference.
    pub fn share_fonts(&mut self, names: usize) {
        let mut fonts = lopdf::Dictionary::new();
        for n in 1..=names {
            fonts.set(format!("F{n}"), self.font);
        }
        self.fonts = Some(self.doc.add_object(fonts));
    }

    /// Give the font a `/ToUnicode` map (compressed) in place of its `/Encoding`.
    pub fn set_to_unicode(&mut self, cmap: &[u8]) {
        let dict = dictionary! { "Filter" => "FlateDecode" };
        let map = self.doc.add_object(Stream::new(dict, zlib(cmap)));
        let font = self.doc.get_dictionary_mut(self.font).expect("the font");
        font.remove(b"Encoding");
        font.set("ToUnicode", map);
    }

    /// Put the pages so far under `levels` nodes of the page tree, each inside the next.
    pub fn nest(mut self, levels: usize) -> Pdf {
        for _ in 0..levels {
            let kids = std::mem::take(&mut self.kids);
            let count = kids.len() as i64;
            let node = self
                .doc
                .add_object(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count });
            self.kids.push(node.into());
        }
        self
    }

    /// List the first page `times` times in the root's `/Kids`.
    pub fn repeat(mut self, times: usize) -> Pdf {
        self.kids = vec![self.kids[0].clone(); times];
        self
    }

    /// Make `id` a form XObject whose content stream has the dictionary entries `extra` (its
    /// filters, say) and the stored bytes `stored`, with the font as its resources.
    pub fn form_stream(&mut self, id: ObjectId, extra: lopdf::Dictionary, stored: Vec<u8>) {
        let mut dict = dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Resources" => self.resources(&[]),
        };
        for (k, v) in extra.iter() {
            dict.set(k.clone(), v.clone());
        }
        self.doc
            .objects
            .insert(id, Object::Stream(Stream::new(dict, stored)));
    }

    /// An object id to give a form later (forms that draw each other need ids first).
    pub fn reserve(&mut self) -> ObjectId {
        self.doc.new_object_id()
    }

    fn resources(&self, xobjects: &[(&str, ObjectId)]) -> lopdf::Dictionary {
        let mut x = lopdf::Dictionary::new();
        for (name, id) in xobjects {
            x.set(name.as_bytes().to_vec(), Object::Reference(*id));
        }
        let fonts: Object = match self.fonts {
            Some(shared) => shared.into(),
            None => dictionary! { "F1" => self.font }.into(),
        };
        dictionary! { "Font" => fonts, "XObject" => x }
    }

    /// Make `id` a form XObject drawing `content` through `matrix`, whose resources hold the
    /// font and `xobjects` (or, with `own_resources` false, none: it uses its page's).
    pub fn form(
        &mut self,
        id: ObjectId,
        content: &str,
        matrix: [f32; 6],
        xobjects: &[(&str, ObjectId)],
        own_resources: bool,
    ) -> ObjectId {
        let mut dict = dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Matrix" => matrix.iter().map(|&n| Object::Real(n)).collect::<Vec<_>>(),
        };
        if own_resources {
            dict.set("Resources", self.resources(xobjects));
        }
        self.doc.objects.insert(
            id,
            Object::Stream(Stream::new(dict, content.as_bytes().to_vec())),
        );
        id
    }

    /// A 1x1 image XObject (which has no text).
    pub fn image(&mut self) -> ObjectId {
        let dict = dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        };
        self.doc.add_object(Stream::new(dict, vec![0]))
    }

    /// Add a letter-size page drawing `content`, with the font and `xobjects` as resources.
    pub fn page(self, content: &str, xobjects: &[(&str, ObjectId)]) -> Pdf {
        self.page_stream(dictionary! {}, content.as_bytes().to_vec(), xobjects)
    }

    /// Add a page whose content stream has the dictionary `dict` (its filters, say) and the
    /// stored bytes `stored`.
    pub fn page_stream(
        mut self,
        dict: lopdf::Dictionary,
        stored: Vec<u8>,
        xobjects: &[(&str, ObjectId)],
    ) -> Pdf {
        let contents = self.doc.add_object(Stream::new(dict, stored));
        let resources = self.resources(xobjects);
        let page = self.doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => self.pages,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Contents" => contents,
            "Resources" => resources,
        });
        self.kids.push(page.into());
        self
    }

    pub fn bytes(mut self) -> Vec<u8> {
        let count = self.kids.len() as i64;
        self.doc.objects.insert(
            self.pages,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => self.kids, "Count" => count },
            ),
        );
        let catalog = self
            .doc
            .add_object(dictionary! { "Type" => "Catalog", "Pages" => self.pages });
        self.doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        self.doc.save_to(&mut out).expect("write the PDF");
        out
    }
}

/// A zlib stream that inflates to `len` zero bytes (a multiple of 1 MiB), made without
/// compressing them all: one MiB deflated and flushed to a byte boundary reads the same
/// wherever it stands (it refers back only within itself), so it is repeated.
pub fn zeros_zlib(len: u64) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    const MIB: usize = 1 << 20;
    let mut deflate = Compress::new(Compression::best(), false);
    let mut chunk = Vec::with_capacity(MIB);
    deflate
        .compress_vec(&vec![0; MIB], &mut chunk, FlushCompress::Sync)
        .expect("deflate");
    let mut out = vec![0x78, 0xda];
    for _ in 0..len / MIB as u64 {
        out.extend_from_slice(&chunk);
    }
    // A last, empty block (fixed codes: BFINAL, BTYPE 01, end of block), then the Adler-32 of
    // `len` zeros: a stays 1, b adds 1 per byte.
    out.extend_from_slice(&[0x03, 0x00]);
    let b = (len % 65521) as u32;
    out.extend_from_slice(&((b << 16) | 1).to_be_bytes());
    out
}

/// `data` zlib-compressed.
pub fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(data).expect("compress");
    z.finish().expect("compress")
}
