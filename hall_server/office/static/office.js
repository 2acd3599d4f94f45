// The back office's little script: confirm before destructive buttons, refresh live parts.
document.addEventListener("submit", (e) => {
  const q = e.target.getAttribute("data-confirm");
  if (q && !window.confirm(q)) e.preventDefault();
});
// A part marked data-refresh="seconds" reloads its content from data-src (server-rendered HTML).
for (const el of document.querySelectorAll("[data-refresh]")) {
  const every = Number(el.getAttribute("data-refresh")) * 1000;
  const src = el.getAttribute("data-src");
  setInterval(async () => {
    try {
      const r = await fetch(src, { credentials: "same-origin", cache: "no-store" });
      if (r.redirected) window.location.reload();  // the session ended: the page itself asks to sign in
      else if (r.ok) el.innerHTML = await r.text();
    } catch (_) { /* the next turn tries again */ }
  }, every);
}
