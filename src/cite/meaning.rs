//! What a metric means must be what its quote says: the same scale (thousand, million, billion),
//! percentages, currency and time units, and the same forecast status. The vocabularies are
//! listed in docs/FORMAT.md.

use crate::figures::figures;

/// A class of unit words that mean the same (`bn` is `billion`).
struct Class {
    name: &'static str,
    words: &'static [&'static str],
}

const SCALES: &[Class] = &[
    Class {
        name: "thousand",
        words: &["thousand", "thousands", "k"],
    },
    Class {
        name: "million",
        words: &["million", "millions", "mn", "m", "mln"],
    },
    Class {
        name: "billion",
        words: &["billion", "billions", "bn", "b"],
    },
    Class {
        name: "trillion",
        words: &["trillion", "trillions", "tn", "trn"],
    },
];

const PERCENT: Class = Class {
    name: "percent",
    words: &["%", "percent", "per cent", "pct"],
};

const CURRENCIES: &[Class] = &[
    Class {
        name: "US dollars",
        words: &["$", "us$", "usd", "dollar", "dollars"],
    },
    Class {
        name: "euros",
        words: &["€", "eur", "euro", "euros"],
    },
    Class {
        name: "pounds",
        words: &["£", "gbp", "pound", "pounds", "sterling"],
    },
    Class {
        name: "yuan",
        words: &["rmb", "cny", "yuan", "renminbi", "¥"],
    },
    Class {
        name: "yen",
        words: &["jpy", "yen", "¥"],
    },
    Class {
        name: "Hong Kong dollars",
        words: &["hk$", "hkd"],
    },
];

const TIMES: &[Class] = &[
    Class {
        name: "seconds",
        words: &["second", "seconds", "sec", "secs"],
    },
    Class {
        name: "minutes",
        words: &["minute", "minutes", "min", "mins"],
    },
    Class {
        name: "hours",
        words: &["hour", "hours", "hr", "hrs"],
    },
    Class {
        name: "days",
        words: &["day", "days", "daily"],
    },
    Class {
        name: "weeks",
        words: &["week", "weeks", "weekly"],
    },
    Class {
        name: "months",
        words: &["month", "months", "monthly"],
    },
    Class {
        name: "quarters",
        words: &["quarter", "quarters", "quarterly"],
    },
    Class {
        name: "years",
        words: &["year", "years", "yr", "yrs", "annual", "annually", "yearly"],
    },
];

/// Words that make a statement forward-looking: a quote with one of them states a forecast.
pub const FORWARD: &[&str] = &[
    "expect",
    "expects",
    "expected",
    "expecting",
    "expectation",
    "will",
    "shall",
    "aim",
    "aims",
    "aimed",
    "aiming",
    "target",
    "targets",
    "targeted",
    "targeting",
    "plan",
    "plans",
    "planned",
    "planning",
    "forecast",
    "forecasts",
    "forecasted",
    "guidance",
    "estimate",
    "estimates",
    "estimated",
    "project",
    "projects",
    "projected",
    "projection",
    "projections",
    "anticipate",
    "anticipates",
    "anticipated",
    "intend",
    "intends",
    "intended",
    "outlook",
    "goal",
    "predict",
    "predicts",
    "predicted",
    "going to",
];

/// Lower-case words of a text, with `%` and currency symbols as words of their own.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() || (c == '$' && !word.is_empty()) {
            word.extend(c.to_lowercase());
            if c == '$' {
                out.push(std::mem::take(&mut word));
            }
        } else {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if matches!(c, '%' | '$' | '€' | '£' | '¥') {
                out.push(c.to_string());
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    // Two-word forms ("per cent", "going to") become one.
    let mut joined = Vec::with_capacity(out.len());
    let mut i = 0;
    while i < out.len() {
        let pair = out.get(i + 1).map(|next| format!("{} {next}", out[i]));
        if let Some(pair) = pair.filter(|p| p == "per cent" || p == "going to") {
            joined.push(pair);
            i += 2;
        } else {
            joined.push(out[i].clone());
            i += 1;
        }
    }
    joined
}

fn classes_in<'c>(text: &str, classes: &'c [Class]) -> Vec<&'c Class> {
    let words = words(text);
    classes
        .iter()
        .filter(|class| words.iter().any(|w| class.words.contains(&w.as_str())))
        .collect()
}

/// The words written right around a figure of `text` with value `value` (the word before it
/// and the word after it), for scale, percent and currency attached to the number.
fn beside(text: &str, value: &str) -> Option<(String, String)> {
    let f = figures(text).into_iter().find(|f| f.value == value)?;
    let before = words(&text[..f.start]).pop().unwrap_or_default();
    let after_text = &text[f.end..];
    let after = words(after_text).into_iter().next().unwrap_or_default();
    // Only a word that follows with at most a space counts as attached ("3.4 million", "5%").
    let gap = after_text.len() - after_text.trim_start().len();
    let after = if gap <= 1 { after } else { String::new() };
    Some((before, after))
}

/// Problems with a metric's unit: each is (the key to blame, the message).
pub fn unit_problems(value: &str, unit: &str, quote: &str) -> Vec<(&'static str, String)> {
    let shown = format!("{value} {unit}");
    let mut problems = Vec::new();
    let blame = |word_list: &[&str]| -> &'static str {
        if words(value).iter().any(|w| word_list.contains(&w.as_str())) {
            "value"
        } else {
            "unit"
        }
    };
    let all: Vec<&[Class]> = vec![SCALES, std::slice::from_ref(&PERCENT), CURRENCIES, TIMES];
    for classes in &all {
        for class in classes_in(&shown, classes) {
            if classes_in(quote, std::slice::from_ref(class)).is_empty() {
                problems.push((
                    blame(class.words),
                    format!(
                        "the metric shows `{}`, in {}, but its quote says nothing in {}: \"{quote}\"",
                        shown.trim(),
                        class.name,
                        class.name
                    ),
                ));
            }
        }
    }
    // A scale, percent or currency that the quote attaches to the number must be shown too.
    let attached: Vec<&Class> = SCALES
        .iter()
        .chain(std::iter::once(&PERCENT))
        .chain(CURRENCIES)
        .collect();
    for f in figures(value) {
        let Some((before, after)) = beside(&crate::figures::normalize(quote), &f.value) else {
            continue;
        };
        for class in &attached {
            let in_quote = class.words.contains(&after.as_str())
                || (class.words.contains(&before.as_str()) && !is_scale(class));
            if in_quote && classes_in(&shown, std::slice::from_ref(*class)).is_empty() {
                problems.push((
                    "unit",
                    format!(
                        "the quote gives {} in {} (\"{}\"), but the metric shows `{}`: add it to `unit`",
                        f.value,
                        class.name,
                        [before.as_str(), &f.value, after.as_str()].join(" ").trim(),
                        shown.trim()
                    ),
                ));
            }
        }
    }
    problems.dedup();
    problems
}

fn is_scale(class: &Class) -> bool {
    SCALES.iter().any(|s| std::ptr::eq(s, class))
}

/// The forward-looking words in a quote (empty when it states a fact).
pub fn forward_words(quote: &str) -> Vec<String> {
    let mut found: Vec<String> = words(quote)
        .into_iter()
        .filter(|w| FORWARD.contains(&w.as_str()))
        .collect();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_must_match_the_quote() {
        let quote = "it makes 3.4 million deliveries a day";
        assert!(unit_problems("3.4", "million deliveries a day", quote).is_empty());
        let wrong = unit_problems("3.4", "billion deliveries a day", quote);
        assert!(
            wrong
                .iter()
                .any(|(k, m)| *k == "unit" && m.contains("billion")),
            "{wrong:?}"
        );
        let dropped = unit_problems("3.4", "deliveries a day", quote);
        assert!(
            dropped.iter().any(|(_, m)| m.contains("million")),
            "{dropped:?}"
        );
        assert!(unit_problems("3.4bn", "", "revenue of 3.4 billion").is_empty());
        assert_eq!(
            unit_problems("3.4 bn", "", "revenue of 3.4 million")[0].0,
            "value"
        );
    }

    #[test]
    fn percent_currency_and_time() {
        assert!(unit_problems("12", "%", "grew 12 percent").is_empty());
        assert!(unit_problems("12", "per cent", "grew 12%").is_empty());
        assert!(!unit_problems("12", "", "grew 12%").is_empty());
        assert!(!unit_problems("12", "%", "grew 12 points").is_empty());
        assert!(unit_problems("$5", "billion", "US$5 billion in revenue").is_empty());
        assert!(!unit_problems("€5", "billion", "$5 billion in revenue").is_empty());
        assert!(unit_problems("27", "days a month", "for 27 days a month").is_empty());
        assert!(!unit_problems("27", "days a year", "for 27 days a month").is_empty());
        assert!(unit_problems("8–10", "years", "takes 8 to 10 years").is_empty());
        assert!(!unit_problems("8–10", "months", "takes 8 to 10 years").is_empty());
    }

    #[test]
    fn forward_looking_words_mark_forecasts() {
        assert_eq!(
            forward_words("Northwind aims to reach 3.4 million by 2027"),
            ["aims"]
        );
        assert_eq!(
            forward_words("Alibaba cloud is expected to achieve a profit"),
            ["expected"]
        );
        assert!(forward_words("users reached 1.07 billion").is_empty());
        assert_eq!(forward_words("it is going to grow"), ["going to"]);
    }
}
