//! How a figure reads with the unit a header or a metric's `unit` gives it: the scale, percent
//! and currency words of the unit are found as the claims reader finds them ([`unit_words`]),
//! and the figure is written as a sentence writes it, `$147.8 million` for `147.8` under
//! “Revenue ($ million)”, `147.8 million euros` under “Umsatz (Mio. Euro)”, `12.5%` under
//! “Margin (%)”. The one place a bare figure and its unit become a claim, for a spreadsheet's
//! cells and for the values of a chart.

use super::{Marker, Unit, unit_words};
use crate::lang::Lang;

/// `value` written with the scale, percent or currency that `unit` names (read in `lang`), and
/// any other words of `unit` after it (`users`); `value` alone when `unit` names none.
pub fn written(value: &str, unit: &str, lang: Lang) -> String {
    write(value, unit, lang, true)
}

/// [`written`] without the other words: a cell under “Revenue ($ million)” is `$147.8 million`.
pub fn written_figure(value: &str, unit: &str, lang: Lang) -> String {
    write(value, unit, lang, false)
}

/// What a figure shown with `unit` has before and after its value: `("$", " million")` for
/// `$ million`, `("", "%")` for `%`, `("", " users")` for `users`, so a card writes
/// `$147.8 million`, never `147.8 $ million`.
pub fn unit_around(unit: &str, lang: Lang) -> (String, String) {
    let shown = written("\u{1}", unit, lang);
    let (before, after) = shown.split_once('\u{1}').unwrap_or_default();
    (before.to_string(), after.to_string())
}

/// The scale, percent and currency a column header states, as a metric's `unit`: `$ million`
/// of “Net sales ($ million)”; empty when it states none.
pub fn header_unit(header: &str, lang: Lang) -> String {
    let figure = written_figure("0", header, lang);
    let (before, after) = figure.split_once('0').unwrap_or_default();
    [before.trim(), after.trim()]
        .iter()
        .filter(|w| !w.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn write(value: &str, unit: &str, lang: Lang, words: bool) -> String {
    let markers = unit_words(unit, lang);
    let mut scale = None;
    let mut currency = None;
    let mut percent = None;
    for (range, marker) in &markers {
        let word = &unit[range.clone()];
        match marker {
            Marker::Scale(_) => scale = scale.or(Some(word)),
            Marker::Unit(Unit::Currency(_)) => currency = currency.or(Some(word)),
            Marker::Unit(_) => percent = percent.or(Some(word)),
        }
    }
    // The words of `unit` that are not a marker, without the brackets around them.
    let mut rest = unit.to_string();
    for (range, _) in markers.iter().rev() {
        rest.replace_range(range.clone(), " ");
    }
    let rest: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || "()[],".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = String::new();
    let symbol = currency.filter(|c| !c.chars().any(char::is_lowercase));
    if let Some(c) = symbol {
        out.push_str(c);
        // A code is a word of its own (`USD 3.2`); a symbol is not (`$3.2`, `US$3.2`).
        if c.chars().all(|ch| ch.is_ascii_uppercase()) {
            out.push(' ');
        }
    }
    out.push_str(value.trim());
    if let Some(p) = percent {
        if p.chars().any(char::is_alphabetic) {
            out.push(' ');
        }
        out.push_str(p);
    }
    for word in scale
        .into_iter()
        .chain(currency.filter(|_| symbol.is_none()))
    {
        out.push(' ');
        out.push_str(word);
    }
    for word in rest.into_iter().filter(|_| words) {
        out.push(' ');
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_sentences_write_them() {
        assert_eq!(written("147.8", "$ million", Lang::En), "$147.8 million");
        assert_eq!(header_unit("Net sales ($ million)", Lang::En), "$ million");
        assert_eq!(header_unit("Umsatz (Mio. €)", Lang::De), "€ Mio.");
        assert_eq!(header_unit("Margin (%)", Lang::En), "%");
        assert_eq!(header_unit("Year", Lang::En), "");
        let around = |u| unit_around(u, Lang::En);
        assert_eq!(around("$ million"), ("$".into(), " million".into()));
        assert_eq!(around("%"), (String::new(), "%".into()));
        assert_eq!(
            around("million users"),
            (String::new(), " million users".into())
        );
        assert_eq!(around("billion US dollars").0, "");
        assert_eq!(written("147.8", "($ million)", Lang::En), "$147.8 million");
        assert_eq!(written("3.2", "USD bn", Lang::En), "USD 3.2 bn");
        assert_eq!(written("12.5", "%", Lang::En), "12.5%");
        assert_eq!(
            written("1.07", "billion users", Lang::En),
            "1.07 billion users"
        );
        assert_eq!(written("147,8", "Mio. Euro", Lang::De), "147,8 Mio. Euro");
        assert_eq!(written("5", "", Lang::En), "5");
    }

    #[test]
    fn the_written_figure_reads_back_as_the_claim() {
        let c = &super::super::read(&written("147.8", "$ million", Lang::En), Lang::En)[0];
        assert_eq!(c.scale.map(|s| s.power), Some(6));
        assert_eq!(c.unit, Some(Unit::Currency("US dollars")));
    }
}
