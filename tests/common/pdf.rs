//! Small PDFs built by hand for the PDF extraction tests: pages and form XObjects whose content
//! streams the test writes itself, in Helvetica (one of the standard fonts, WinAnsi encoded).

use lopdf::{Document, Object, ObjectId, Stream, dictionary};

pub struct Pdf {
    doc: Document,
    pages: ObjectId,
    font: ObjectId,
    kids: Vec<Object>,
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
        }
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
        dictionary! { "Font" => dictionary! { "F1" => self.font }, "XObject" => x }
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
    pub fn page(mut self, content: &str, xobjects: &[(&str, ObjectId)]) -> Pdf {
        let contents = self
            .doc
            .add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
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
