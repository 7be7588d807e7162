//! The template filters and functions that need no site: escaping, figures written with their
//! unit as the claims reader reads it, and the drawings (the horizon diagram, series charts).

use tera::{Kwargs, State, Tera, Value};

use crate::{chart, diagram};

/// Register them on `tera`.
pub(super) fn register(tera: &mut Tera) {
    // Tera's own `safe` copies the string; page content is large and already safe, so a safe
    // string passes through as it is (a reference-counted clone). Anything else is turned into
    // a safe string as before.
    tera.register_filter("safe", |value: Value, _: Kwargs, _: &State| {
        if value.as_str().is_some() {
            value.mark_safe()
        } else {
            Value::safe_string(&value.to_string())
        }
    });
    tera.register_filter("json_string", |s: &str, _: Kwargs, _: &State| {
        Value::safe_string(&crate::escape::json_string(s))
    });
    tera.register_filter("css_string", |s: &str, _: Kwargs, _: &State| {
        Value::safe_string(&crate::escape::css_string(s))
    });
    // `{{ p.value | figure(unit=m.unit) }}`: `$147.8 million`, as claims::written writes it.
    tera.register_filter("figure", |v: Value, kwargs: Kwargs, _: &State| {
        let unit: Option<&str> = kwargs.get("unit")?;
        let value = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        let lang = crate::lang::Lang::default();
        Ok::<String, tera::Error>(crate::claims::written(&value, unit.unwrap_or(""), lang))
    });
    // `$ million` puts `$` before a card's value and `million` after it.
    tera.register_filter("unit_before", |v: Value, _: Kwargs, _: &State| {
        let unit = v.as_str().unwrap_or_default();
        Ok::<String, tera::Error>(crate::claims::unit_around(unit, crate::lang::Lang::default()).0)
    });
    tera.register_filter("unit_after", |v: Value, _: Kwargs, _: &State| {
        let unit = v.as_str().unwrap_or_default();
        let after = crate::claims::unit_around(unit, crate::lang::Lang::default()).1;
        Ok::<String, tera::Error>(after.trim().to_string())
    });
    tera.register_function("horizon_diagram", |kwargs: Kwargs, _: &State| {
        let args: diagram::Args = kwargs.deserialize()?;
        let svg = diagram::svg(&args).map_err(tera::Error::message)?;
        Ok::<Value, tera::Error>(Value::safe_string(&svg))
    });
    tera.register_function("series_chart", |kwargs: Kwargs, _: &State| {
        let args: chart::Args = kwargs.deserialize()?;
        let svg = chart::svg(&args).map_err(tera::Error::message)?;
        Ok::<Value, tera::Error>(Value::safe_string(&svg))
    });
}
