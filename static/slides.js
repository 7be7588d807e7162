// The deck of slides/index.html: keys, an overview and a presenter view, with no framework and
// no server. Without this script the deck is a page of slides one after another. The slide number
// is the URL's hash (#5), so a reload keeps the place. The presenter view is the same file opened
// with ?presenter; the two windows keep in step by postMessage (window.opener and the window
// open() returned, which works between file:// windows), and also by BroadcastChannel and storage
// events where the browser allows them. Every message only says "slide i", so one arriving twice
// does nothing more. The page loads it in its head, not deferred: the deck's layout is on before
// the first paint (laid out after it, every slide would move: a layout shift), and the rest
// waits for the document.
(function (start) {
  document.documentElement.classList.add("deck-on");
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(function () {
  "use strict";
  var deck = document.querySelector("main.deck");
  if (!deck) return;
  var slides = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
  var count = slides.length;
  if (!count) return;
  var words = deck.dataset;
  var presenter = /[?&]presenter(&|=|$)/.test(location.search);
  var key = "briefing-deck:" + location.pathname;
  var me = Math.random().toString(36).slice(2);
  var peer = presenter ? window.opener : null;
  var channel = null;
  try { channel = new BroadcastChannel(key); } catch (e) { channel = null; }
  var current = -1;
  var view = null;
  var started = Date.now();
  var counter = document.createElement("p");
  counter.className = "deck-count";
  counter.setAttribute("aria-live", "polite");
  document.querySelector(".deck-bar").appendChild(counter);

  function fromHash() {
    var n = parseInt(location.hash.slice(1), 10);
    return isNaN(n) ? 0 : n - 1;
  }

  function send(i) {
    var message = { briefingDeck: me, slide: i };
    if (peer && !peer.closed) peer.postMessage(message, "*");
    if (channel) channel.postMessage(message);
    try { localStorage.setItem(key, JSON.stringify(message) + Date.now()); } catch (e) { /* none */ }
  }

  function show(i, remote) {
    i = Math.max(0, Math.min(count - 1, i));
    var moved = i !== current;
    current = i;
    slides.forEach(function (s, j) { s.classList.toggle("is-current", j === i); });
    counter.textContent = words.slideLabel + " " + (i + 1) + " / " + count;
    if (location.hash !== "#" + (i + 1)) history.replaceState(null, "", "#" + (i + 1));
    if (view) view.update(i);
    if (moved && !remote) send(i);
  }

  function receive(data) {
    if (!data || typeof data.slide !== "number" || data.briefingDeck === me) return;
    show(data.slide, true);
  }

  window.addEventListener("message", function (e) {
    if (peer && e.source === peer) receive(e.data);
  });
  if (channel) channel.onmessage = function (e) { receive(e.data); };
  window.addEventListener("storage", function (e) {
    if (e.key !== key || !e.newValue) return;
    try { receive(JSON.parse(e.newValue.slice(0, e.newValue.lastIndexOf("}") + 1))); } catch (x) { /* none */ }
  });
  window.addEventListener("hashchange", function () { show(fromHash()); });

  function overview(on) {
    deck.classList.toggle("is-overview", on);
    slides.forEach(function (s) {
      if (on) { s.tabIndex = 0; s.setAttribute("role", "button"); } else { s.removeAttribute("tabindex"); s.removeAttribute("role"); }
    });
    if (on) slides[current].focus();
    else deck.focus();
  }
  deck.addEventListener("click", function (e) {
    if (!deck.classList.contains("is-overview")) return;
    var s = e.target.closest(".slide");
    if (s) { show(slides.indexOf(s)); overview(false); }
  });

  function openPresenter() {
    var url = location.href.split("#")[0].split("?")[0] + "?presenter#" + (current + 1);
    peer = window.open(url, "briefing-presenter");
  }

  function fullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || /INPUT|TEXTAREA|SELECT/.test(e.target.tagName)) return;
    var inOverview = deck.classList.contains("is-overview");
    var k = e.key;
    var step = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": e.shiftKey ? -1 : 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1 }[k];
    if (inOverview && k === "Enter") {
      var s = document.activeElement && document.activeElement.closest(".slide");
      show(s ? slides.indexOf(s) : current);
      overview(false);
    } else if (step) show(current + step);
    else if (k === "Home") show(0);
    else if (k === "End") show(count - 1);
    else if (k === "f" || k === "F") fullscreen();
    else if ((k === "o" || k === "O") && !presenter) overview(!inOverview);
    else if (k === "Escape" && inOverview) overview(false);
    else if ((k === "p" || k === "P") && !presenter) openPresenter();
    else if ((k === "r" || k === "R") && presenter) started = Date.now();
    else return;
    e.preventDefault();
    if (inOverview && step && slides[current]) slides[current].focus();
  });

  // The presenter view: the current and next slide (copies without ids), the notes, the time.
  function part(tag, className, parent) {
    var el = document.createElement(tag);
    el.className = className;
    parent.appendChild(el);
    return el;
  }
  function copy(slide) {
    var c = slide.cloneNode(true);
    c.removeAttribute("aria-labelledby");
    Array.prototype.forEach.call(c.querySelectorAll("[id],.notes,[aria-labelledby]"), function (el) {
      if (el.classList.contains("notes")) el.parentNode.removeChild(el);
      el.removeAttribute("id");
      el.removeAttribute("aria-labelledby");
    });
    c.classList.remove("is-current");
    c.setAttribute("aria-hidden", "true");
    return c;
  }
  function clock(ms) {
    var s = Math.floor(ms / 1000);
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }
  function presenterView() {
    document.title = words.presenter + " · " + document.title;
    var root = part("div", "presenter", deck.parentNode);
    var now = part("div", "presenter-now", root);
    var side = part("div", "presenter-side", root);
    var time = part("p", "presenter-time", side);
    var next = part("div", "presenter-next", side);
    part("h2", "", side).textContent = words.notes;
    var notes = part("div", "presenter-notes", side);
    deck.hidden = true;
    document.querySelector(".deck-bar").hidden = true;
    function tick() {
      time.textContent = words.elapsed + " " + clock(Date.now() - started) + "  ·  " + words.clock + " " +
        new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    }
    tick();
    setInterval(tick, 1000);
    function fit() {
      [now, next].forEach(function (box) {
        var s = box.firstChild;
        if (s && s.style) s.style.transform = "scale(" + box.clientWidth / 1280 + ")";
      });
    }
    window.addEventListener("resize", fit);
    return {
      update: function (i) {
        now.replaceChildren(copy(slides[i]));
        next.replaceChildren(i + 1 < count ? copy(slides[i + 1]) : "");
        fit();
        next.setAttribute("aria-label", words.next);
        notes.replaceChildren();
        slides[i].querySelectorAll(".notes").forEach(function (n) {
          part("p", "presenter-note", notes).textContent = n.textContent.trim();
        });
      }
    };
  }

  if (presenter) view = presenterView();
  show(fromHash(), true);
  if (presenter) send(current);
});
