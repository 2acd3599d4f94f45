/* The web kiosk's script (kiosk/web/render.py draws the page; the kiosk's server answers).
   Without it every touch is an ordinary form post and a page load; with it a touch posts in the
   background and the answer (the new #screen) replaces the old one, typed text reaches the
   server as it is typed, and a long poll (/changes) brings changes the server makes by itself
   (a ticket printed, the connection back, the idle reset). */
(() => {
  "use strict";
  const HEADERS = { "X-Kiosk-Fragment": "1", "Content-Type": "application/x-www-form-urlencoded" };
  const CHANGES = document.body.dataset.changes || "/changes";
  const inFlight = new Set();          // choice ids posted and not yet answered
  const typing = new Map();            // field id -> the value typed here the server has not yet confirmed
  const timers = new Map();            // field id -> the debounce timer of its /type post
  let lastField = null;                // the field the on-screen keys type into

  const screen = () => document.getElementById("screen");
  const version = () => Number(screen().dataset.version || 0);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function apply(html) {
    const holder = document.createElement("template");
    holder.innerHTML = html.trim();
    const next = holder.content.getElementById("screen") || holder.content.firstElementChild;
    if (!next) return;
    const old = screen();
    if (Number(next.dataset.version || 0) < version()) return;  // older than what is shown
    const active = document.activeElement;
    const focused = active && active.dataset && active.dataset.field ? active.dataset.field : null;
    // A field being typed in keeps what the applicant typed until the server has it.
    for (const input of next.querySelectorAll("input[data-field]")) {
      const mine = typing.get(input.dataset.field);
      if (mine !== undefined && mine !== input.value) input.value = mine;
    }
    // The same screen redrawn (a result, the printer's answer, typing): what the applicant had
    // scrolled to stays where it was. A new screen starts at its top.
    const scrolled = [];
    if (next.dataset.screen === old.dataset.screen) {
      for (const box of old.querySelectorAll("[data-area], [data-part]")) {
        if (box.scrollTop) scrolled.push([box.dataset.area ? `[data-area="${box.dataset.area}"]`
                                                           : `[data-part="${box.dataset.part}"]`, box.scrollTop]);
      }
    }
    old.replaceWith(next);
    for (const [selector, top] of scrolled) {
      const box = next.querySelector(selector);
      if (box) box.scrollTop = top;
    }
    document.body.className = next.dataset.body || document.body.className;
    document.documentElement.lang = next.dataset.lang || document.documentElement.lang;
    if (next.dataset.title) document.title = next.dataset.title;
    const want = focused || lastField;
    const input = (want && next.querySelector(`input[data-field="${CSS.escape(want)}"]`))
      || next.querySelector("input[data-focus]");
    if (input) focusAtEnd(input);
  }

  function focusAtEnd(input) {
    input.focus({ preventScroll: true });
    const end = input.value.length;
    try { input.setSelectionRange(end, end); } catch (e) { /* not a text input */ }
  }

  async function post(url, params) {
    const answer = await fetch(url, { method: "POST", headers: HEADERS, body: params.toString(),
                                      credentials: "same-origin", cache: "no-store" });
    if (answer.ok && answer.status !== 204) apply(await answer.text());
    return answer;
  }

  async function touch(button) {
    const id = button.value;
    if (inFlight.has(id)) return;  // a second tap on the same button while the first is under way
    inFlight.add(id);
    button.classList.add("pressed");
    const form = button.form;
    try {
      // the version shown: the server drops a touch aimed at a screen it has already left
      await post(form.getAttribute("action") || "/touch",
                 new URLSearchParams([[button.name, id], ["v", String(version())]]));
    } catch (e) {
      /* the long poll brings the screen back when the server answers again */
    } finally {
      inFlight.delete(id);
      button.classList.remove("pressed");
    }
  }

  async function sendField(input, enter) {
    const id = input.dataset.field;
    clearTimeout(timers.get(id));
    timers.delete(id);
    const value = input.value;
    typing.set(id, value);
    const params = new URLSearchParams([["field", id], ["value", value]]);
    if (enter) params.append("enter", "1");
    try {
      await post("/type", params);
    } catch (e) {
      /* the server did not get it; what it shows next is what it has */
    }
    // Confirmed unless the applicant typed on meanwhile (then their newer value stays theirs).
    if (typing.get(id) === value && !timers.has(id)) typing.delete(id);
  }

  document.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = event.submitter;
    const form = event.target;
    if (button && button.name === "touch") { touch(button); return; }
    const input = form.querySelector("input[data-field]");
    if (input) sendField(input, true);
  });

  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.dataset || !input.dataset.field) return;
    const id = input.dataset.field;
    typing.set(id, input.value);
    clearTimeout(timers.get(id));
    timers.set(id, setTimeout(() => { timers.delete(id); sendField(input, false); }, 150));
  });

  document.addEventListener("focusin", (event) => {
    const input = event.target;
    if (!input.dataset || !input.dataset.field) return;
    if (lastField === input.dataset.field) return;  // refocused after a replace: the server knows
    lastField = input.dataset.field;
    sendField(input, false);
  });

  // The on-screen keys type into the field: tapping one must not take the focus (and the caret) away.
  document.addEventListener("mousedown", (event) => {
    const button = event.target.closest && event.target.closest("button.key");
    if (button) event.preventDefault();
  });

  async function poll() {
    for (;;) {
      try {
        const answer = await fetch(`${CHANGES}?after=${version()}`, { headers: { "X-Kiosk-Fragment": "1" },
                                                                      cache: "no-store" });
        if (answer.status === 200) apply(await answer.text());
        else if (answer.status !== 204) await sleep(1000);
      } catch (e) {
        await sleep(1000);
      }
    }
  }

  const first = document.querySelector("input[data-focus]");
  if (first) focusAtEnd(first);
  poll();
})();
