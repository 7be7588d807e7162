//! TOML helpers shared by the stages that read TOML (`site.toml` and front matter): a TOML
//! error as a located [`Problem`], and tables with their datetimes turned into text.

use crate::diag::Problem;

/// A TOML error as a [`Problem`]: `line_base` is the line in the file where `text` starts, minus 1.
pub fn toml_problem(file: &str, text: &str, line_base: usize, err: &toml::de::Error) -> Problem {
    let message = err.message().trim().to_string();
    match err.span() {
        Some(span) => Problem::at_offset(file, text, span.start, line_base, message),
        None => Problem::at_line(file, Some(text), line_base + 1, message),
    }
}

/// Replace TOML datetimes by their text, so templates see plain strings.
pub fn plain_table(mut table: toml::Table) -> toml::Table {
    table.iter_mut().for_each(|(_, v)| plain(v));
    table
}

fn plain(value: &mut toml::Value) {
    match value {
        toml::Value::Datetime(d) => *value = toml::Value::String(datetime_text(d)),
        toml::Value::Array(items) => items.iter_mut().for_each(plain),
        toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| plain(v)),
        _ => {}
    }
}

/// A TOML datetime as text, exactly as toml's `Display` writes it (`2016-02-08T01:37:00Z`), but
/// without the formatting machinery: every dated page comes through here. Fractional seconds and
/// out-of-range fields are rare and left to `Display`.
pub fn datetime_text(d: &toml::value::Datetime) -> String {
    fn digits(out: &mut String, n: u32, width: u32) {
        for place in (0..width).rev() {
            out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
        }
    }
    let time = d.time.filter(|t| t.nanosecond.is_none());
    let offset_hours = match d.offset {
        Some(toml::value::Offset::Custom { minutes }) => minutes.unsigned_abs() / 60,
        _ => 0,
    };
    let plain = d.date.is_none_or(|date| date.year <= 9999)
        && (d.time.is_none() || time.is_some())
        && offset_hours < 100;
    if !plain {
        return d.to_string();
    }
    let mut out = String::with_capacity(25);
    if let Some(date) = d.date {
        digits(&mut out, date.year.into(), 4);
        out.push('-');
        digits(&mut out, date.month.into(), 2);
        out.push('-');
        digits(&mut out, date.day.into(), 2);
    }
    if let Some(time) = time {
        if time.hour > 99 || time.minute > 99 || time.second.is_some_and(|s| s > 99) {
            return d.to_string();
        }
        if d.date.is_some() {
            out.push('T');
        }
        digits(&mut out, time.hour.into(), 2);
        out.push(':');
        digits(&mut out, time.minute.into(), 2);
        if let Some(second) = time.second {
            out.push(':');
            digits(&mut out, second.into(), 2);
        }
    }
    match d.offset {
        None => {}
        Some(toml::value::Offset::Z) => out.push('Z'),
        Some(toml::value::Offset::Custom { minutes }) => {
            out.push(if minutes < 0 { '-' } else { '+' });
            digits(&mut out, offset_hours.into(), 2);
            out.push(':');
            digits(&mut out, (minutes.unsigned_abs() % 60).into(), 2);
        }
    }
    out
}
