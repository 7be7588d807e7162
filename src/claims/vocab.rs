//! What each language writes around a figure: scale words, currencies, percent, the words of a
//! rise or a fall, forecast words, month names, fiscal years, quarters and paragraph references.
//! docs/FORMAT.md ("Figures by language") lists the same tables for writers.

use super::Bound;
use crate::lang::Lang;

/// A unit a figure is counted in: percent, percentage points, or a currency (by its English
/// name, so that `$`, `US$` and `USD` are the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Percent,
    Points,
    Currency(&'static str),
}

impl Unit {
    /// What the unit is, for messages: "percent", "US dollars".
    pub fn name(self) -> &'static str {
        match self {
            Unit::Percent => "percent",
            Unit::Points => "percentage points",
            Unit::Currency(c) => c,
        }
    }

    /// Whether two units can mean the same: `¥` is yen or yuan.
    pub fn agrees(self, other: Unit) -> bool {
        let yen_or_yuan = |c: &str| matches!(c, "yen" | "yuan" | "yen or yuan");
        match (self, other) {
            (Unit::Currency(a), Unit::Currency(b)) => {
                a == b
                    || (yen_or_yuan(a)
                        && yen_or_yuan(b)
                        && (a == "yen or yuan" || b == "yen or yuan"))
            }
            (a, b) => a == b,
        }
    }
}

/// The words of one language. Entries are matched without regard to case; entries ending in
/// `.` match with or without it.
pub struct Vocab {
    /// Scale words and the power of ten each multiplies by (`Mrd.` 9, `万` 4).
    pub scales: &'static [(&'static str, i32)],
    /// Currency words written after a figure (`euros`, `元`), beside the symbols of [`SYMBOLS`].
    pub currencies: &'static [(&'static str, &'static str)],
    /// Percent and percentage-point words written after a figure.
    pub percent: &'static [(&'static str, Unit)],
    pub up: &'static [&'static str],
    pub down: &'static [&'static str],
    /// Words written after a figure that make it a rise or a fall (`5.1% more than`).
    pub more_less: (&'static [&'static str], &'static [&'static str]),
    /// `from $19 to $95,453`: the words before the first figure and between the two; the
    /// second rose or fell from the first.
    pub from_to: (&'static [&'static str], &'static [&'static str]),
    /// `$1.0 billion, compared with $1.3 billion`: words between a figure and the one it is
    /// compared with.
    pub versus: &'static [&'static str],
    /// Words before a figure that make it a bound (`more than 95%`).
    pub bounds: &'static [(&'static str, Bound)],
    /// Words that make a statement forward-looking.
    pub forward: &'static [&'static str],
    /// Month names and abbreviations, each with its month (1 to 12).
    pub months: &'static [(&'static str, u8)],
    /// Words that, written before a year, make it a fiscal year (`fiscal`, `Geschäftsjahr`).
    pub fiscal: &'static [&'static str],
    /// Spelled quarters, written before a year (`fourth quarter of`), each with its number.
    pub quarters: &'static [(&'static str, u8)],
    /// Words that, written before a number, make it a paragraph reference.
    pub paragraph: &'static [&'static str],
    /// Words between two figures that make them a range (`to`, `bis`).
    pub range: &'static [&'static str],
    /// `between 8 and 10`: the words before the first figure and those between the two that
    /// make a range.
    pub between: (&'static [&'static str], &'static [&'static str]),
    /// Words that, written before a year, make it the base of a comparison, not the period of
    /// the figure (`from 2022`, `than`).
    pub base: &'static [&'static str],
    /// Words of a length of time written after a figure (`10 years`, `18 Monate`): a span
    /// counts time, it does not rise or fall.
    pub durations: &'static [&'static str],
}

/// Currency symbols and codes, read in every language before or after a figure.
#[rustfmt::skip]
pub const SYMBOLS: &[(&str, &str)] = &[
    ("US$", "US dollars"), ("HK$", "Hong Kong dollars"), ("A$", "Australian dollars"),
    ("C$", "Canadian dollars"), ("$", "US dollars"), ("USD", "US dollars"), ("€", "euros"),
    ("EUR", "euros"), ("£", "pounds"), ("GBP", "pounds"), ("RMB", "yuan"), ("CNY", "yuan"),
    ("人民币", "yuan"), ("JPY", "yen"), ("HKD", "Hong Kong dollars"), ("CHF", "Swiss francs"),
    ("円", "yen"), ("¥", "yen or yuan"), ("￥", "yen or yuan"), ("美元", "US dollars"),
    ("欧元", "euros"), ("港元", "Hong Kong dollars"), ("日元", "yen"), ("元", "yuan"), ("₹", "rupees"),
    ("INR", "rupees"),
];

#[rustfmt::skip]
const PERCENT: &[(&str, Unit)] = &[
    ("%", Unit::Percent), ("％", Unit::Percent), ("percentage points", Unit::Points),
    ("percentage point", Unit::Points), ("pp", Unit::Points), ("pts", Unit::Points),
    ("percent", Unit::Percent), ("per cent", Unit::Percent), ("pct", Unit::Percent),
];

#[rustfmt::skip]
const EN: Vocab = Vocab {
    scales: &[
        ("thousand", 3), ("thousands", 3), ("k", 3), ("million", 6), ("millions", 6), ("mn", 6),
        ("mln", 6), ("m", 6), ("billion", 9), ("billions", 9), ("bn", 9), ("b", 9),
        ("trillion", 12), ("trillions", 12), ("tn", 12), ("trn", 12), ("lakh", 5), ("lakhs", 5),
        ("crore", 7), ("crores", 7),
    ],
    currencies: &[
        ("US dollars", "US dollars"), ("U.S. dollars", "US dollars"), ("dollars", "US dollars"), ("dollar", "US dollars"), ("euros", "euros"), ("euro", "euros"),
        ("pounds", "pounds"), ("sterling", "pounds"), ("yuan", "yuan"), ("renminbi", "yuan"),
        ("yen", "yen"), ("rupees", "rupees"),
    ],
    percent: PERCENT,
    up: &[
        "rose", "rise", "rises", "risen", "rising", "up", "increase", "increased", "increases",
        "increasing", "grew", "grow", "grows", "grown", "growth", "gain", "gains", "gained",
        "higher", "climbed", "jumped", "surged", "improved", "raised", "lifted", "boosted",
    ],
    down: &[
        "fell", "fall", "falls", "fallen", "falling", "down", "decrease", "decreased", "decreases",
        "decline", "declined", "declines", "declining", "shrank", "shrink", "shrinks", "shrunk",
        "loss", "losses", "lower", "dropped", "drop", "drops", "slid", "plunged", "contracted", "cut", "reduced", "lowered",
    ],
    more_less: (&["more", "above"], &["less", "below"]),
    from_to: (&["from"], &["to"]),
    versus: &["compared with", "compared to", "versus", "vs.", "against", "up from", "down from"],
    bounds: &[("more than", Bound::AtLeast), ("at least", Bound::AtLeast), ("less than", Bound::AtMost), ("at most", Bound::AtMost), ("up to", Bound::AtMost), ("fewer than", Bound::AtMost)],
    forward: &[
        "expect", "expects", "expected", "expecting", "expectation", "will", "shall", "aim",
        "aims", "aimed", "aiming", "target", "targets", "targeted", "targeting", "plan", "plans",
        "planned", "planning", "forecast", "forecasts", "forecasted", "guidance", "estimate",
        "estimates", "estimated", "project", "projects", "projected", "projection", "projections",
        "anticipate", "anticipates", "anticipated", "intend", "intends", "intended", "outlook",
        "goal", "predict", "predicts", "predicted", "going to", "propose", "proposes", "proposed",
    ],
    months: &[
        ("january", 1), ("jan.", 1), ("february", 2), ("feb.", 2), ("march", 3), ("mar.", 3),
        ("april", 4), ("apr.", 4), ("may", 5), ("june", 6), ("jun.", 6), ("july", 7), ("jul.", 7),
        ("august", 8), ("aug.", 8), ("september", 9), ("sept.", 9), ("sep.", 9), ("october", 10),
        ("oct.", 10), ("november", 11), ("nov.", 11), ("december", 12), ("dec.", 12),
    ],
    fiscal: &["fiscal year", "fiscal", "financial year", "FY"],
    quarters: &[
        ("first quarter of", 1), ("second quarter of", 2), ("third quarter of", 3),
        ("fourth quarter of", 4), ("first quarter", 1), ("second quarter", 2),
        ("third quarter", 3), ("fourth quarter", 4),
    ],
    paragraph: &["¶", "paragraph", "paragraphs", "para"],
    range: &["to", "-", "–", "—", "~"],
    between: (&["between"], &["and"]),
    base: &[
        "from", "since", "than", "over", "versus", "vs.", "compared to", "compared with",
    ],
    durations: &["years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "decades"],
};

#[rustfmt::skip]
const DE: Vocab = Vocab {
    scales: &[
        ("Tsd.", 3), ("Tausend", 3), ("Mio.", 6), ("Million", 6), ("Millionen", 6), ("Mrd.", 9),
        ("Milliarde", 9), ("Milliarden", 9), ("Bio.", 12), ("Billion", 12), ("Billionen", 12),
    ],
    currencies: &[
        ("Euro", "euros"), ("US-Dollar", "US dollars"), ("Dollar", "US dollars"),
        ("Pfund", "pounds"), ("Yuan", "yuan"), ("Yen", "yen"), ("Franken", "Swiss francs"),
    ],
    percent: &[
        ("%", Unit::Percent), ("％", Unit::Percent), ("Prozentpunkte", Unit::Points),
        ("Prozentpunkten", Unit::Points), ("Prozent", Unit::Percent),
    ],
    up: &[
        "gestiegen", "steigen", "steigt", "stieg", "stiegen", "wuchsen", "steigern", "gesteigert", "steigerte", "Steigerung", "Anstieg", "Zuwachs", "Wachstum", "wuchs",
        "gewachsen", "erhöht", "Erhöhung", "Plus", "höher", "zugenommen", "Zunahme",
    ],
    down: &[
        "gesunken", "sinken", "sinkt", "sank", "sanken", "fielen", "senken", "gesenkt", "senkte", "Senkung", "Rückgang", "zurückgegangen", "gefallen", "fiel",
        "Minus", "Verlust", "niedriger", "Abnahme", "abgenommen", "verringert", "Einbruch",
    ],
    more_less: (&["mehr", "über"], &["weniger", "unter"]),
    from_to: (&["von"], &["auf"]),
    versus: &["gegenüber", "im Vergleich zu", "nach", "verglichen mit"],
    bounds: &[("mehr als", Bound::AtLeast), ("mindestens", Bound::AtLeast), ("weniger als", Bound::AtMost), ("höchstens", Bound::AtMost), ("bis zu", Bound::AtMost)],
    forward: &[
        "erwarten", "erwartet", "erwarteten", "Erwartung", "wird", "werden", "planen", "plant",
        "geplant", "Plan", "Ziel", "Ziele", "anstreben", "strebt", "Prognose", "prognostiziert",
        "vorschlagen", "schlagen", "vorgeschlagen", "beabsichtigen", "beabsichtigt",
        "voraussichtlich", "Ausblick", "rechnen", "rechnet",
    ],
    months: &[
        ("Januar", 1), ("Jänner", 1), ("Jan.", 1), ("Februar", 2), ("Feb.", 2), ("März", 3),
        ("April", 4), ("Apr.", 4), ("Mai", 5), ("Juni", 6), ("Juli", 7), ("August", 8),
        ("Aug.", 8), ("September", 9), ("Sept.", 9), ("Oktober", 10), ("Okt.", 10),
        ("November", 11), ("Nov.", 11), ("Dezember", 12), ("Dez.", 12),
    ],
    fiscal: &["Geschäftsjahr", "Geschäftsjahres", "GJ", "FY"],
    quarters: &[
        ("ersten Quartal", 1), ("zweiten Quartal", 2), ("dritten Quartal", 3),
        ("vierten Quartal", 4), ("erstes Quartal", 1), ("zweites Quartal", 2),
        ("drittes Quartal", 3), ("viertes Quartal", 4),
    ],
    paragraph: &["¶", "Absatz", "Abs."],
    range: &["bis", "-", "–", "—", "~"],
    between: (&["zwischen"], &["und"]),
    base: &["gegenüber", "seit", "als", "von", "vom", "Vorjahr"],
    durations: &["Jahre", "Jahren", "Jahr", "Monate", "Monaten", "Monat", "Wochen", "Tage", "Tagen", "Stunden", "Jahrzehnte"],
};

#[rustfmt::skip]
const FR: Vocab = Vocab {
    scales: &[
        ("mille", 3), ("k", 3), ("million", 6), ("millions", 6), ("M", 6), ("Md", 9), ("Mds", 9),
        ("Mrd", 9), ("milliard", 9), ("milliards", 9), ("billion", 12), ("billions", 12),
    ],
    currencies: &[
        ("d’euros", "euros"), ("d'euros", "euros"), ("de dollars", "US dollars"),
        ("euros", "euros"), ("euro", "euros"), ("dollars", "US dollars"), ("dollar", "US dollars"),
        ("livres", "pounds"), ("yuans", "yuan"), ("yuan", "yuan"), ("yens", "yen"), ("yen", "yen"),
        ("francs suisses", "Swiss francs"),
    ],
    percent: &[
        ("%", Unit::Percent), ("％", Unit::Percent), ("points de pourcentage", Unit::Points),
        ("points", Unit::Points), ("pour cent", Unit::Percent), ("pourcent", Unit::Percent),
    ],
    up: &[
        "hausse", "augmentation", "augmenté", "augmente", "progression", "progressé", "progresse",
        "croissance", "crû", "gain", "hausses",
    ],
    down: &[
        "baisse", "diminution", "diminué", "diminue", "recul", "reculé", "recule", "chute",
        "chuté", "perte", "pertes", "baissé", "repli",
    ],
    more_less: (&["plus", "au-dessus"], &["moins", "en dessous"]),
    from_to: (&["de"], &["à"]),
    versus: &["contre", "par rapport à", "comparé à"],
    bounds: &[("plus de", Bound::AtLeast), ("au moins", Bound::AtLeast), ("moins de", Bound::AtMost), ("jusqu’à", Bound::AtMost), ("jusqu\'à", Bound::AtMost)],
    forward: &[
        "prévoir", "prévoit", "prévoyons", "prévu", "prévue", "prévision", "prévisions", "attend",
        "attendons", "attendu", "objectif", "objectifs", "vise", "visons", "sera", "seront",
        "compte", "comptons", "envisage", "proposer", "propose", "perspectives",
    ],
    months: &[
        ("janvier", 1), ("janv.", 1), ("février", 2), ("févr.", 2), ("mars", 3), ("avril", 4),
        ("avr.", 4), ("mai", 5), ("juin", 6), ("juillet", 7), ("juil.", 7), ("août", 8),
        ("septembre", 9), ("sept.", 9), ("octobre", 10), ("oct.", 10), ("novembre", 11),
        ("nov.", 11), ("décembre", 12), ("déc.", 12),
    ],
    fiscal: &["exercice", "exercice fiscal", "année fiscale", "FY"],
    quarters: &[
        ("premier trimestre", 1), ("deuxième trimestre", 2), ("second trimestre", 2),
        ("troisième trimestre", 3), ("quatrième trimestre", 4),
    ],
    paragraph: &["¶", "paragraphe", "alinéa", "§"],
    range: &["à", "-", "–", "—", "~"],
    between: (&["entre"], &["et"]),
    base: &["depuis", "contre", "par rapport à", "que"],
    durations: &["ans", "an", "années", "mois", "semaines", "jours", "heures", "décennies"],
};

#[rustfmt::skip]
const ES: Vocab = Vocab {
    scales: &[
        ("mil millones", 9), ("millardo", 9), ("millardos", 9), ("millón", 6), ("millones", 6),
        ("mill.", 6), ("MM", 6), ("M", 6), ("mil", 3), ("billón", 12), ("billones", 12),
    ],
    currencies: &[
        ("de euros", "euros"), ("de dólares", "US dollars"), ("euros", "euros"), ("euro", "euros"),
        ("dólares", "US dollars"), ("dólar", "US dollars"), ("libras", "pounds"),
        ("yuanes", "yuan"), ("yuan", "yuan"), ("yenes", "yen"), ("yen", "yen"),
    ],
    percent: &[
        ("%", Unit::Percent), ("％", Unit::Percent), ("puntos porcentuales", Unit::Points),
        ("puntos", Unit::Points), ("por ciento", Unit::Percent),
    ],
    up: &[
        "aumento", "aumentó", "aumentaron", "crecimiento", "creció", "crecieron", "alza", "subió",
        "subieron", "incremento", "ganancia", "ganancias",
    ],
    down: &[
        "disminución", "disminuyó", "disminuyeron", "caída", "cayó", "cayeron", "descenso", "bajó",
        "baja", "pérdida", "pérdidas", "reducción", "redujo", "retroceso",
    ],
    more_less: (&["más"], &["menos"]),
    from_to: (&["de"], &["a"]),
    versus: &["frente a", "comparado con", "respecto a"],
    bounds: &[("más de", Bound::AtLeast), ("al menos", Bound::AtLeast), ("menos de", Bound::AtMost), ("hasta", Bound::AtMost)],
    forward: &[
        "prevé", "prevemos", "prevista", "previsto", "previsión", "previsiones", "espera",
        "esperamos", "esperado", "objetivo", "objetivos", "será", "serán", "planea", "plan",
        "proyecta", "proponer", "propone", "estima", "estimamos", "perspectivas",
    ],
    months: &[
        ("enero", 1), ("febrero", 2), ("marzo", 3), ("abril", 4), ("mayo", 5), ("junio", 6),
        ("julio", 7), ("agosto", 8), ("septiembre", 9), ("setiembre", 9), ("octubre", 10),
        ("noviembre", 11), ("diciembre", 12),
    ],
    fiscal: &["ejercicio", "ejercicio fiscal", "año fiscal", "FY"],
    quarters: &[
        ("primer trimestre de", 1), ("segundo trimestre de", 2), ("tercer trimestre de", 3),
        ("cuarto trimestre de", 4), ("primer trimestre", 1), ("segundo trimestre", 2),
        ("tercer trimestre", 3), ("cuarto trimestre", 4),
    ],
    paragraph: &["¶", "párrafo", "§"],
    range: &["a", "al", "-", "–", "—", "~"],
    between: (&["entre"], &["y"]),
    base: &["desde", "frente a", "respecto a", "que"],
    durations: &["años", "año", "meses", "mes", "semanas", "días", "horas", "décadas"],
};

#[rustfmt::skip]
const ZH: Vocab = Vocab {
    scales: &[
        ("万亿", 12), ("兆", 12), ("千万", 7), ("百万", 6), ("亿", 8), ("億", 8), ("万", 4), ("萬", 4),
        ("千", 3),
    ],
    currencies: &[
    ],
    percent: &[
        ("%", Unit::Percent), ("％", Unit::Percent), ("个百分点", Unit::Points), ("個百分點", Unit::Points),
    ],
    up: &["增长", "增長", "增加", "上升", "上涨", "提高", "提升", "增"],
    down: &["下降", "减少", "減少", "下跌", "降低", "亏损", "下滑", "减"],
    more_less: (&["以上"], &["以下"]),
    from_to: (&["从", "由"], &["增至", "降至", "至", "到"]),
    versus: &["相比", "对比"],
    bounds: &[("超过", Bound::AtLeast), ("逾", Bound::AtLeast), ("至少", Bound::AtLeast), ("不到", Bound::AtMost), ("不足", Bound::AtMost)],
    forward: &[
        "预计", "預計", "预期", "计划", "計劃", "目标", "目標", "将", "將", "有望", "力争",
    ],
    months: &[],
    fiscal: &["财年", "財年", "财政年度", "FY"],
    quarters: &[
        ("第一季度", 1), ("第二季度", 2), ("第三季度", 3), ("第四季度", 4), ("一季度", 1), ("二季度", 2), ("三季度", 3),
        ("四季度", 4),
    ],
    paragraph: &["¶", "段"],
    range: &["至", "到", "-", "–", "—", "~", "～"],
    between: (&["介于", "在"], &["和", "与"]),
    base: &["较", "比", "同比"],
    durations: &["年间", "年来", "个月", "周年", "天", "小时"],
};

#[rustfmt::skip]
const JA: Vocab = Vocab {
    scales: &[
        ("兆", 12), ("億", 8), ("百万", 6), ("千万", 7), ("万", 4), ("千", 3),
    ],
    currencies: &[("ドル", "US dollars"), ("ユーロ", "euros")],
    percent: &[
        ("%", Unit::Percent), ("％", Unit::Percent), ("ポイント", Unit::Points),
    ],
    up: &["増加", "増収", "増益", "上昇", "伸び", "拡大", "増"],
    down: &["減少", "減収", "減益", "下落", "低下", "縮小", "減"],
    more_less: (&["以上"], &["未満"]),
    from_to: (&["から"], &["へ", "に"]),
    versus: &["比"],
    bounds: &[("最大", Bound::AtMost)],
    forward: &[
        "見込み", "見込む", "予想", "予定", "計画", "目標", "見通し", "予測", "目指",
    ],
    months: &[],
    fiscal: &["年度", "FY"],
    quarters: &[
        ("第1四半期", 1), ("第2四半期", 2), ("第3四半期", 3), ("第4四半期", 4), ("第１四半期", 1), ("第２四半期", 2),
        ("第３四半期", 3), ("第４四半期", 4),
    ],
    paragraph: &["¶", "段落"],
    range: &["〜", "～", "-", "–", "—", "~", "から"],
    between: (&["間"], &["と"]),
    base: &["比", "前年"],
    durations: &["年間", "か月", "ヶ月", "カ月", "日間", "時間"],
};

/// Chinese and Japanese scale characters, read after a figure in every language (a label in
/// English may quote `133亿元`).
pub const CJK_SCALES: &[(&str, i32)] = &[
    ("万亿", 12),
    ("兆", 12),
    ("千万", 7),
    ("百万", 6),
    ("亿", 8),
    ("億", 8),
    ("万", 4),
    ("萬", 4),
];

/// The words of `lang`.
pub fn of(lang: Lang) -> &'static Vocab {
    match lang {
        Lang::En => &EN,
        Lang::De => &DE,
        Lang::Fr => &FR,
        Lang::Es => &ES,
        Lang::Zh => &ZH,
        Lang::Ja => &JA,
    }
}

/// The English name of a power of ten a scale multiplies by, for messages.
pub fn scale_name(power: i32) -> &'static str {
    match power {
        3 => "thousand",
        4 => "ten thousand",
        5 => "hundred thousand",
        6 => "million",
        7 => "ten million",
        8 => "hundred million",
        9 => "billion",
        12 => "trillion",
        _ => "another scale",
    }
}
