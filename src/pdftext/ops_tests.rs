//! `ops` against lopdf: each stream read by both, operation by operation, operand by operand.

use super::*;
use lopdf::Object;

/// An operand as both readers give it: numbers by their bits, names and strings decoded.
#[derive(Debug, PartialEq)]
enum Flat {
    N(u32),
    Name(Vec<u8>),
    S(Vec<u8>),
    Open,
    Close,
    Dict,
    Other,
}

type Read = (Vec<(String, Vec<Flat>)>, bool);

fn flatten(o: &Object, out: &mut Vec<Flat>) {
    let flat = match o {
        Object::Integer(i) => Flat::N((*i as f32).to_bits()),
        Object::Real(r) => Flat::N(r.to_bits()),
        Object::Name(n) => Flat::Name(n.clone()),
        Object::String(s, _) => Flat::S(s.clone()),
        Object::Array(items) => {
            out.push(Flat::Open);
            items.iter().for_each(|i| flatten(i, out));
            Flat::Close
        }
        Object::Dictionary(_) => Flat::Dict,
        _ => Flat::Other,
    };
    out.push(flat);
}

fn lopdf_reads(bytes: &[u8]) -> Read {
    let mut ops = Vec::new();
    for op in Content::decode_iter(bytes) {
        let Ok(op) = op else { return (ops, true) };
        let mut flat = Vec::new();
        if op.operator != "BI" {
            op.operands.iter().for_each(|o| flatten(o, &mut flat));
        }
        ops.push((op.operator, flat));
    }
    (ops, false)
}

fn we_read(bytes: &[u8]) -> Read {
    let (mut ops, mut reader) = (Vec::new(), Ops::new(bytes));
    while let Some(op) = reader.next() {
        let Ok(op) = op else { return (ops, true) };
        let flat = op.operands.iter().map(|o| match o {
            Operand::Number(v) => Flat::N(v.to_bits()),
            Operand::Name(raw) => Flat::Name(lex::decode_name(raw)),
            Operand::Literal(_) | Operand::Hex(_) => {
                Flat::S(string(o, &mut Vec::new()).unwrap().to_vec())
            }
            Operand::Open => Flat::Open,
            Operand::Close => Flat::Close,
            Operand::Dict => Flat::Dict,
            Operand::Other => Flat::Other,
        });
        ops.push((String::from_utf8_lossy(op.operator).into(), flat.collect()));
    }
    (ops, false)
}

/// Brackets too deep fail the stream, in both readers.
const DEEP: [u8; 120] = [b'['; 120];

/// What may stand between operations: white space, comments and broken tokens.
const GARBAGE: &[&[u8]] = &[
    b" ",
    b"\n",
    b"%c\n",
    b"%",
    b"(",
    b")",
    b"\\",
    b"<",
    b">",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"{",
    b"/",
    b"#",
    b"#4",
    b"-",
    b"+",
    b".",
    b"5.",
    b"0.00-41",
    b"R",
    b"1 0 R",
    b"nullx",
    b"fal",
    b"\x00",
    b"\xff",
    b"e5",
    b"99999999999999999999",
    &DEEP,
    b"\r\n",
];

/// Operands, each followed by white space or a delimiter as a writer leaves them.
const OPERANDS: &[&[u8]] = &[
    b"1 ",
    b"-2.5 ",
    b"/F1 ",
    b"(a\\)b) ",
    b"<0041> ",
    b"[(x) -20 <42>] ",
    b"/N#20 ",
    b"7 ",
    b"<</K 1 /A [1 0 R]>> ",
    b"(\\101\r\nq) ",
    b"[[1] (y)] ",
    b".5",
    b"0.123456789 ",
];

/// Operators, with what may follow them.
const OPERATORS: &[&[u8]] = &[
    b"Tj\n", b"TJ ", b"cm\n", b"BDC ", b"'", b"T*", b"Td ", b"d0 ",
];

/// A stream of up to 40 operations picked by `pick`, some with garbage before them.
fn generated(pick: &mut impl FnMut(usize) -> usize) -> Vec<u8> {
    let mut s = Vec::new();
    for _ in 0..pick(40) {
        if pick(20) == 0 {
            s.extend_from_slice(GARBAGE[pick(GARBAGE.len())]);
        }
        for _ in 0..pick(5) {
            s.extend_from_slice(OPERANDS[pick(OPERANDS.len())]);
        }
        s.extend_from_slice(OPERATORS[pick(OPERATORS.len())]);
    }
    s
}

/// Streams of operations with some garbage between them, each read by both readers. An
/// inline image (`BI`) is left out: its data ends differently (see the module's doc).
#[test]
fn generated_streams_read_as_lopdf_reads_them() {
    let mut state = 7u64;
    let mut pick = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    };
    let (mut read, mut failed) = (0, 0);
    for _ in 0..20_000 {
        let s = generated(&mut pick);
        let theirs = lopdf_reads(&s);
        (read, failed) = (read + theirs.0.len(), failed + theirs.1 as usize);
        assert_eq!(we_read(&s), theirs, "{}", String::from_utf8_lossy(&s));
    }
    assert!(
        read > 100_000 && failed > 10,
        "{read} operations, {failed} failed"
    );
}

#[test]
fn operations_read_as_lopdf_reads_them() {
    let deep = format!("{}1 Tj", "[".repeat(150));
    let streams: &[&[u8]] = &[
        b"BT /F1 12 Tf [(a) -250 <0041 42> (b\\) c)] TJ 1 0 0 1 72 700 Tm ET",
        b"q % note\n  1 0 0 1 5 5 cm Q\r\n%last\n",
        b"1 0 %x\n 0 1 5 5 cm Q",
        b"-.5 +3 5. 0.00-41 12345678.9 Td 1e5 Td",
        b"/F#201 12 Tf /A#zz x",
        b"/Span << /ActualText (fi) /K [1 0 R 2 %c\n] /D <</E 1>> >> BDC EMC [1 0 R] TJ",
        b"q (abc Tj",
        b"q } Q",
        deep.as_bytes(),
        b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x01\x02 EI Q",
        b"q BI /W 2 /H 1 ID \x01\x02 Q",
        b"T* (a) ' 1 2 (b) \" 0 0 d0 q %end",
        b"<4 1 4> Tj (x\\\r\ny\r\nz\\101\\0612\\q) Tj (a(b)c) Tj",
        b"true false null nullx Tj",
        b"99999999999999999999 Tj",
        b"[(a)]TJ[(b)-5(c)]TJ",
    ];
    for stream in streams {
        assert_eq!(
            we_read(stream),
            lopdf_reads(stream),
            "{}",
            String::from_utf8_lossy(stream)
        );
    }
}
