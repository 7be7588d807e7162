//! Live reload: the build status browsers are told about, the Server-Sent Events stream that
//! carries it, and the small script injected into served HTML pages (never into build output).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use serde::Serialize;
use std::convert::Infallible;
use std::sync::Arc;

use super::Shared;

/// Where the event stream is served, relative to the site root.
pub const EVENTS_PATH: &str = "/__briefing/events";

const SCRIPT: &str = include_str!("reload.js");

/// What the browsers are told: the generation of the site being served, and the error of the
/// latest build when it failed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Status {
    pub generation: u64,
    pub error: Option<String>,
}

impl Status {
    fn event(&self) -> Event {
        let name = if self.error.is_some() {
            "build-error"
        } else {
            "build-ok"
        };
        Event::default()
            .event(name)
            .json_data(self)
            .expect("a status always serializes")
    }
}

/// The event stream: the current status at once, then every change until the server stops.
/// Only for the served pages: a request from a page of another origin is refused (403).
pub async fn events(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if !super::names::same_origin(&headers) {
        return super::names::refuse(
            StatusCode::FORBIDDEN,
            "the reload stream is only for pages served from this address\n",
        );
    }
    stream(&shared).into_response()
}

/// The current status at once, then every change until the server stops.
fn stream(shared: &Shared) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let mut status = shared.status.subscribe();
    status.mark_changed();
    let stop = shared.shutdown.clone();
    let stream = futures_util::stream::unfold((status, stop), |(mut status, mut stop)| async {
        tokio::select! {
            changed = status.changed() => changed.ok()?,
            _ = stop.wait_for(|stop| *stop) => return None,
        }
        let event = status.borrow_and_update().event();
        Some((Ok(event), (status, stop)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Add the reload script to an HTML page served at `request_path` (as sent, percent-encoded),
/// built as generation `generation`. The event URL is relative to the page, so the site also
/// works behind a proxy that serves it under a base path.
pub fn inject(html: &str, request_path: &str, generation: u64) -> String {
    let depth = request_path.matches('/').count().saturating_sub(1);
    let events = format!("{}{}", "../".repeat(depth), &EVENTS_PATH[1..]);
    let script = SCRIPT
        .replace("__EVENTS__", &events)
        .replace("__GENERATION__", &generation.to_string());
    let tag = format!("<script>\n{script}</script>\n");
    // ASCII lowercasing keeps byte offsets, so the index is valid in the original.
    let at = html
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + tag.len());
    out.push_str(&html[..at]);
    out.push_str(&tag);
    out.push_str(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end_with_a_relative_url() {
        let page = inject("<html><BODY>x</BODY></html>", "/a/b/", 7);
        assert!(page.starts_with("<html><BODY>x<script>"), "{page}");
        assert!(page.ends_with("</script>\n</BODY></html>"), "{page}");
        assert!(page.contains("\"../../__briefing/events\""), "{page}");
        assert!(page.contains("const generation = 7;"), "{page}");
    }

    #[test]
    fn depth_counts_directories_only() {
        assert!(inject("", "/", 1).contains("\"__briefing/events\""));
        assert!(inject("", "/a/page.html", 1).contains("\"../__briefing/events\""));
    }

    #[test]
    fn a_page_without_body_gets_the_script_at_the_end() {
        assert!(inject("<p>hi", "/", 1).ends_with("</script>\n"));
    }
}
