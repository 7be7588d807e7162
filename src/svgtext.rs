//! Text in drawings made at build time (the horizon diagram, charts, the social card): wrap words
//! to a width and estimate how wide a line will be, so labels can be laid out without a browser.
//! The estimates lean wide, so a label the layout thinks fits does fit in common system fonts.

/// Average advance of a character, in ems, for bold text in a system sans-serif (wide side).
pub const BOLD_EM: f64 = 0.62;
/// The same for regular or italic text.
pub const REGULAR_EM: f64 = 0.56;

/// Estimated width of `line` set at `font` user units with an average advance of `em` ems.
pub fn width(line: &str, font: f64, em: f64) -> f64 {
    line.chars().count() as f64 * font * em
}

/// How many characters fit in `room` user units.
pub fn chars_in(room: f64, font: f64, em: f64) -> usize {
    ((room / (font * em)).floor() as usize).max(1)
}

/// Greedy word wrap to at most `width` characters a line (a longer word gets its own line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Word wrap that never exceeds `width`: a word longer than a line is broken with a hyphen.
pub fn wrap_hard(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut words = Vec::new();
    for word in text.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() <= width {
            words.push(word.to_string());
            continue;
        }
        let mut rest = &chars[..];
        while rest.len() > width {
            let (head, tail) = rest.split_at(width - 1);
            words.push(format!("{}-", head.iter().collect::<String>()));
            rest = tail;
        }
        words.push(rest.iter().collect());
    }
    wrap(&words.join(" "), width)
}

/// `s` cut to `max` characters with an ellipsis.
pub fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(
            wrap("incubate for the day after tomorrow", 18),
            ["incubate for the", "day after tomorrow"]
        );
        assert_eq!(wrap("  ", 10), Vec::<String>::new());
    }

    #[test]
    fn hard_wrap_breaks_long_words_and_never_overflows() {
        let lines = wrap_hard("Internationalisation of commerce", 8);
        assert!(lines.iter().all(|l| l.chars().count() <= 8), "{lines:?}");
        assert_eq!(lines[0], "Interna-");
        assert_eq!(
            lines.concat().replace('-', ""),
            "Internationalisationofcommerce"
        );
    }

    #[test]
    fn widths_scale_with_font_and_length() {
        assert_eq!(width("abcd", 10.0, 0.5), 20.0);
        assert_eq!(chars_in(100.0, 10.0, 0.5), 20);
        assert_eq!(chars_in(1.0, 10.0, 0.5), 1);
        assert_eq!(short("abcdef", 4), "abc…");
        assert_eq!(short("abc", 4), "abc");
    }
}
