//! The reader and the comparison on real sentences of each language.

use super::*;
use crate::lang::Lang;

fn one(text: &str, lang: Lang) -> Claim {
    let found: Vec<Claim> = read(text, lang)
        .into_iter()
        .filter(Claim::is_figure)
        .collect();
    assert_eq!(found.len(), 1, "{text}: {found:?}");
    found[0].clone()
}

fn periods(text: &str, lang: Lang) -> Vec<String> {
    read(text, lang)
        .iter()
        .filter(|c| !c.is_figure())
        .map(|c| c.period.unwrap().to_string())
        .collect()
}

#[test]
fn english_amounts_with_their_currency_scale_period_and_direction() {
    // Amazon.com, 1997 letter to shareholders.
    let text =
        "Sales grew from $15.7 million in 1996 to $148 million in 1997, an increase of 838%.";
    let c: Vec<Claim> = read(text, Lang::En)
        .into_iter()
        .filter(Claim::is_figure)
        .collect();
    assert_eq!(c.len(), 3, "{c:?}");
    assert_eq!(c[0].amount(), Dec::new(157, 5));
    assert_eq!(c[0].unit, Some(Unit::Currency("US dollars")));
    assert_eq!(c[0].period.unwrap().year, Some(1996));
    assert_eq!(c[1].shown(), "148 million");
    assert_eq!(c[1].period.unwrap().year, Some(1997));
    assert_eq!(
        (c[2].unit, c[2].direction),
        (Some(Unit::Percent), Some(Dir::Up))
    );
    assert_eq!(&text[c[0].span.clone()], "$15.7 million");
    let fell = one("operating income fell 35%", Lang::En);
    assert_eq!(fell.direction, Some(Dir::Down));
    assert_eq!(one("a margin of +35%", Lang::En).direction, Some(Dir::Up));
    assert_eq!(one("up to 35% of sales", Lang::En).direction, None);
    assert_eq!(one("COVID-19 cases", Lang::En).direction, None);
}

#[test]
fn german_french_and_spanish_marks_and_words() {
    let c = one("Der Umsatz lag bei 2 Mrd. €.", Lang::De);
    assert_eq!(
        (c.amount(), c.unit),
        (Dec::new(2, 9), Some(Unit::Currency("euros")))
    );
    assert_eq!(one("1,250 Prozent", Lang::De).value, Dec::new(125, -2));
    assert_eq!(
        one("1.250,5 Tsd. Euro", Lang::De).amount(),
        Dec::new(12505, 2)
    );
    let c = one("Der Gewinn ist um 5 % gesunken.", Lang::De);
    assert_eq!(
        (c.unit, c.direction),
        (Some(Unit::Percent), Some(Dir::Down))
    );
    let c = one("un chiffre d’affaires en baisse de 3,5 %", Lang::Fr);
    assert_eq!((c.value, c.direction), (Dec::new(35, -1), Some(Dir::Down)));
    let c = one("1 250,5 millions d’euros", Lang::Fr);
    assert_eq!(
        (c.amount(), c.unit),
        (Dec::new(12505, 5), Some(Unit::Currency("euros")))
    );
    assert_eq!(one("2 milliards", Lang::Fr).amount(), Dec::new(2, 9));
    let c = one("las ventas aumentaron un 12 % en 2023", Lang::Es);
    assert_eq!(
        (c.direction, c.period.unwrap().year),
        (Some(Dir::Up), Some(2023))
    );
    assert_eq!(
        one("3.100 millones de euros", Lang::Es).amount(),
        Dec::new(31, 8)
    );
    assert_eq!(one("3,1 mil millones", Lang::Es).amount(), Dec::new(31, 8));
}

#[test]
fn chinese_and_japanese_scales_full_width_digits_and_dates() {
    let c: Vec<Claim> = read("2023年营收为40亿元，同比下降5%", Lang::Zh);
    let figures: Vec<&Claim> = c.iter().filter(|c| c.is_figure()).collect();
    assert_eq!(figures[0].amount(), Dec::new(4, 9));
    assert_eq!(figures[0].unit, Some(Unit::Currency("yuan")));
    assert_eq!(figures[0].period.unwrap().year, Some(2023));
    assert_eq!(figures[1].direction, Some(Dir::Down));
    assert_eq!(one("1.2万人", Lang::Zh).amount(), Dec::new(12, 3));
    let c = one("2010年4月の売上高は９億円", Lang::Ja);
    assert_eq!(
        (c.amount(), c.unit),
        (Dec::new(9, 8), Some(Unit::Currency("yen")))
    );
    let p = c.period.unwrap();
    assert_eq!((p.year, p.month), (Some(2010), Some(4)));
    assert_eq!(one("前年比10％増加", Lang::Ja).direction, Some(Dir::Up));
    assert_eq!(periods("2010年4月30日", Lang::Zh), ["30 April 2010"]);
}

#[test]
fn periods_in_their_many_forms_are_the_same() {
    for text in ["Q4 2024", "4Q24", "the fourth quarter of 2024", "Q4/24"] {
        assert_eq!(periods(text, Lang::En), ["Q4 2024"], "{text}");
    }
    for text in [
        "FY2021",
        "FY21",
        "FY 2021",
        "fiscal 2021",
        "fiscal year 2021",
        "the 2021 fiscal year",
    ] {
        assert_eq!(periods(text, Lang::En), ["FY2021"], "{text}");
    }
    assert_eq!(periods("im vierten Quartal 2024", Lang::De), ["Q4 2024"]);
    assert_eq!(periods("4. Quartal 2024", Lang::De), ["Q4 2024"]);
    assert_eq!(periods("cuarto trimestre de 2024", Lang::Es), ["Q4 2024"]);
    assert_eq!(periods("2024年第四季度", Lang::Zh), ["Q4 2024"]);
    assert_eq!(periods("2024年度", Lang::Ja), ["FY2024"]);
    assert_eq!(
        periods("on September 30, 2024", Lang::En),
        ["30 September 2024"]
    );
    assert_eq!(periods("le 30 avril 2023", Lang::Fr), ["30 April 2023"]);
    assert_eq!(periods("30 de abril de 2023", Lang::Es), ["30 April 2023"]);
    assert_eq!(periods("im April 2023", Lang::De), ["April 2023"]);
    assert!(periods("we may 5 times", Lang::En).is_empty());
    assert!(read("see ¶2 and paragraph 3", Lang::En).is_empty());
}

#[test]
fn differences_name_what_differs() {
    let source = one("revenue of $3.1 billion", Lang::En);
    let page = |t: &str| match find(&one(t, Lang::En), std::slice::from_ref(&source)) {
        Found::Same(_) => String::new(),
        Found::Differs(_, d) => d
            .iter()
            .map(|d| d.describe("page"))
            .collect::<Vec<_>>()
            .join("; "),
        Found::Missing => "missing".into(),
    };
    assert_eq!(page("US$3.1 billion"), "");
    assert_eq!(page("$3,100 million"), "");
    assert_eq!(
        page("3.1"),
        "",
        "what the page leaves out is not a difference"
    );
    assert_eq!(
        page("$3.1 million"),
        "the source says billion; the page says million"
    );
    assert_eq!(
        page("€3.1 billion"),
        "the source says US dollars; the page says euros"
    );
    assert_eq!(page("$3.2 billion"), "missing");
    let fell = [one("operating income fell 35%", Lang::En)];
    let Found::Differs(_, d) = find(&one("rose 35%", Lang::En), &fell) else {
        panic!()
    };
    assert_eq!(
        d[0].describe("page"),
        "the source says the figure fell; the page says it rose"
    );
    let source = read(
        "40 million in 2023, compared to 32 million in 2022",
        Lang::En,
    );
    let Found::Differs(_, d) = find(&one("32 million members in 2023", Lang::En), &source) else {
        panic!()
    };
    assert_eq!(
        d[0].describe("metric"),
        "the source gives 32 million for 2022; the metric attaches it to 2023"
    );
    let mio = [one("2 Mrd. €", Lang::De)];
    let Found::Differs(_, d) = find(&one("2 Mio. €", Lang::De), &mio) else {
        panic!()
    };
    assert_eq!(
        d[0].describe("page"),
        "the source says billion (“Mrd.”); the page says million (“Mio.”)"
    );
}

#[test]
fn forecast_words_by_language() {
    assert_eq!(
        forward_words("Northwind aims to reach 3.4 million by 2027", Lang::En),
        ["aims"]
    );
    assert_eq!(forward_words("it is going to grow", Lang::En), ["going to"]);
    assert!(forward_words("users reached 1.07 billion", Lang::En).is_empty());
    assert_eq!(
        forward_words(
            "Wir schlagen vor, die Dividende zu erhöhen; wir vorschlagen",
            Lang::De
        ),
        ["schlagen", "vorschlagen"]
    );
    assert_eq!(
        forward_words("unsere Mittelfristziele: ein Umsatz", Lang::De),
        ["Ziele"]
    );
    assert_eq!(
        forward_words("Nous prévoyons une hausse", Lang::Fr),
        ["prévoyons"]
    );
    assert_eq!(
        forward_words("La empresa prevé crecer", Lang::Es),
        ["prevé"]
    );
    assert_eq!(forward_words("预计2025年实现盈利", Lang::Zh), ["预计"]);
    assert_eq!(forward_words("増収の見込み", Lang::Ja), ["見込み"]);
}

/// The period of a figure whose sentence names none comes from the nearest heading before it
/// (the paragraphs of Amazon's results release for the fourth quarter of 2025 and of
/// Continental's 2023 letter to shareholders, tests/fixtures/letters).
#[test]
fn a_heading_dates_the_figures_after_it() {
    let dated = |paragraphs: &[&str], lang: Lang| {
        let mut context = Context::default();
        let mut last = Vec::new();
        for p in paragraphs {
            last = read(p, lang);
            context.date(&mut last);
        }
        let figures = last.into_iter().filter(Claim::is_figure);
        figures
            .map(|c| c.period.map(|p| p.to_string()).unwrap_or_default())
            .collect::<Vec<_>>()
    };
    let amazon = [
        "Fourth Quarter 2025",
        "Net sales increased 14% to $213.4 billion in the fourth quarter, compared with $187.8 billion in fourth quarter 2024.",
        "AWS segment sales increased 24% year-over-year to $35.6 billion.",
    ];
    assert_eq!(dated(&amazon, Lang::En), ["Q4 2025", "Q4 2025"]);
    let continental = [
        "Die Ergebnisse des Jahres 2023 zeigen, dass wir auf dem richtigen Weg sind:",
        "› Unser Umsatz lag mit 41,4 Milliarden Euro um 5,1 Prozent über dem Wert des Vorjahres.",
    ];
    assert_eq!(dated(&continental, Lang::De), ["2023", "2023"]);
    // A publication date is no reporting period; a table's header of two years dates nothing.
    let published = [
        "Published in March 2026.",
        "It served 2.5 million customers.",
    ];
    assert_eq!(dated(&published, Lang::En), [""]);
    let table = ["Mio € 2023 2022", "Umsatz 41.420,5 39.408,9"];
    assert_eq!(dated(&table, Lang::De), ["", ""]);
    // Read from the paragraphs before, nearest first, the context is the same.
    let before = Context::before(amazon[..2].iter().rev().copied(), Lang::En);
    let mut last = read(amazon[2], Lang::En);
    let mut context = before;
    context.date(&mut last);
    assert_eq!(
        last[0].period.map(|p| p.to_string()).as_deref(),
        Some("Q4 2025")
    );
}

#[test]
fn an_abbreviation_does_not_end_the_sentence_and_a_base_is_no_period() {
    let c = one(
        "At the end of 2023, Example Co. served 1.6 million customers.",
        Lang::En,
    );
    assert_eq!(c.period.map(|p| p.to_string()).as_deref(), Some("2023"));
    let label = read(
        "Amazon’s net sales, up 14% on the fourth quarter of 2024",
        Lang::En,
    );
    assert!(label.iter().filter(|c| !c.is_figure()).all(|c| c.base));
    let on_a_day = read("On 30 September 2024, it had 12 stores.", Lang::En);
    assert!(on_a_day.iter().all(|c| !c.base), "{on_a_day:?}");
}

#[test]
fn a_length_of_time_counts_time_and_neither_rises_nor_falls() {
    // The starter's own source, and the German of Continental's 2023 report.
    let c = one(
        "focus on customers has been the main driver of its growth over the past 10 years",
        Lang::En,
    );
    assert!(c.duration && c.direction.is_none(), "{c:?}");
    let c = one("Der Umsatz stieg in den letzten 5 Jahren", Lang::De);
    assert!(c.duration && c.direction.is_none(), "{c:?}");
    // A figure that is not a length of time keeps the rise its clause states.
    let c = one("operating income grew 10% over the year", Lang::En);
    assert!(!c.duration && c.direction == Some(Dir::Up), "{c:?}");
    // A sign stays a sign.
    assert_eq!(one("−3 years", Lang::En).direction, Some(Dir::Down));
}
