//! The time units a metric names must be ones its quote names: `27 days a month` is not
//! `27 days a year`. Figures themselves (value, scale, percent, currency, direction, period)
//! are compared as claims (crate::claims) in cite::metric; the words are listed in
//! docs/FORMAT.md.

/// A class of unit words that mean the same (`bn` is `billion`).
struct Class {
    name: &'static str,
    words: &'static [&'static str],
}

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

/// Problems with a metric's time units: each is (the key to blame, the message).
pub fn unit_problems(value: &str, unit: &str, quote: &str) -> Vec<(&'static str, String)> {
    let shown = format!("{value} {unit}");
    let mut problems = Vec::new();
    for class in classes_in(&shown, TIMES) {
        if classes_in(quote, std::slice::from_ref(class)).is_empty() {
            let key = if words(value)
                .iter()
                .any(|w| class.words.contains(&w.as_str()))
            {
                "value"
            } else {
                "unit"
            };
            problems.push((
                key,
                format!(
                    "the metric shows `{}`, in {}, but its quote says nothing in {}: \"{quote}\"",
                    shown.trim(),
                    class.name,
                    class.name
                ),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_units_must_match_the_quote() {
        assert!(unit_problems("27", "days a month", "for 27 days a month").is_empty());
        assert!(!unit_problems("27", "days a year", "for 27 days a month").is_empty());
        assert!(unit_problems("8–10", "years", "takes 8 to 10 years").is_empty());
        let wrong = unit_problems("8–10", "months", "takes 8 to 10 years");
        assert_eq!(wrong[0].0, "unit");
        assert!(wrong[0].1.contains("in months"), "{wrong:?}");
    }
}
