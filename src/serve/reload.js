// Injected by `briefing serve` only: reload when a new build is served, show build errors.
(() => {
  const generation = __GENERATION__;
  const url = new URL("__EVENTS__", location.href);
  let overlay = null;

  const hide = () => {
    if (overlay) overlay.remove();
    overlay = null;
  };

  const show = ({ error, generation: served }) => {
    hide();
    overlay = document.createElement("div");
    overlay.id = "briefing-error-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:2147483647;" +
      "max-height:80vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#fff5f5;" +
      "color:#1a1a1a;border-bottom:4px solid #c00;box-shadow:0 4px 16px rgba(0,0,0,.3);" +
      "font:15px/1.4 system-ui,sans-serif;text-align:left";
    const title = document.createElement("strong");
    title.textContent = served > 0
      ? "The site did not build. You are seeing the last good version; fix the file and save."
      : "The site did not build. Fix the file and save; this page updates by itself.";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.style.cssText = "float:right;margin-left:1rem;font:inherit;cursor:pointer";
    close.addEventListener("click", hide);
    const text = document.createElement("pre");
    text.textContent = error; // textContent: the error is shown as text, never as HTML
    text.style.cssText = "margin:.75rem 0 0;white-space:pre-wrap;word-break:break-word;" +
      "font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#600";
    overlay.append(close, title, text);
    document.body.append(overlay);
  };

  const events = new EventSource(url);
  events.addEventListener("build-ok", (e) => {
    hide();
    if (JSON.parse(e.data).generation !== generation) location.reload();
  });
  events.addEventListener("build-error", (e) => show(JSON.parse(e.data)));
})();
