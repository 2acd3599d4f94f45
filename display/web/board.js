/* The hall board on a TV: draws the views the server sends over a WebSocket (/board/live).
 *
 * The server computes what a board shows (display/board_model.py, run once for every TV with
 * the same filter: display/web/live.py); this page only draws it. Each message is the whole
 * view, so a page that reconnects after any outage is sent the present and misses no call.
 * A call flashes when its event id is newer than any call this page has shown. On a lost
 * connection the page says it is reconnecting and tries the next of its servers (``?api=`` may
 * name several), backing off once it has tried them all.
 * Plain JavaScript, no build step; all text comes from the catalog embedded in the page.
 */
"use strict";
(function () {
  const FLASH_MS = 4000; // as long as the .flash animation in board.css

  const M = JSON.parse(document.getElementById("messages").textContent);
  const lang = document.documentElement.lang.startsWith("zh") ? "zh" : "en";
  const params = new URLSearchParams(window.location.search);
  const servers = (document.body.dataset.api || window.location.origin).split(",");
  let current = 0; // the server followed now; the next one is tried when it stops answering
  // For tests and the curious: what the page was last sent, and how its connection is.
  const board = { view: null, scope: null, connected: false, reconnects: 0, clockOffset: 0, socket: null };
  window.hallBoard = board;
  let flashed = { eventId: 0, until: 0 }; // the newest call flashed so far, and until when it flashes

  function fmt(key, values) {
    return String(M[key] || key).replace(/\{(\w+)\}/g, (_, name) => (values && name in values ? values[name] : ""));
  }
  function $(id) { return document.getElementById(id); }
  function item(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function showConnection(text) {
    const el = $("connection");
    el.textContent = text || "";
    el.hidden = !text;
  }

  $("calls-title").textContent = fmt("now_calling");
  $("recent-title").textContent = fmt("recent");
  $("waiting-title").textContent = fmt("waiting");
  $("paused-title").textContent = fmt("paused");
  $("closed-title").textContent = fmt("closed");
  $("no-calls").textContent = fmt("no_calls");
  showConnection(fmt("loading"));

  /* Whether a call should flash: it is the newest, and new to this page (or still in its flash). */
  function flashes(call, now) {
    if (!call.newest || !call.event_id) return false;
    if (call.event_id > flashed.eventId) flashed = { eventId: call.event_id, until: now + FLASH_MS };
    return call.event_id === flashed.eventId && now < flashed.until;
  }

  function render() {
    const v = board.view, scope = board.scope, now = Date.now();
    $("hall-name").textContent = lang === "zh" ? v.hall.name : (v.hall.name_en || v.hall.name);
    $("hall-name-en").textContent = lang === "zh" ? v.hall.name_en : "";
    if (scope.area) $("scope").textContent = fmt("area", { area: scope.area });
    else if (scope.windows) $("scope").textContent = fmt("windows_only", { windows: scope.windows.join(",") });
    $("calls").replaceChildren(...v.calls.map((c) => {
      const li = item("li", "call" + (c.newest ? " newest" : "") + (flashes(c, now) ? " flash" : "") +
        (c.status === "serving" ? " serving" : ""));
      li.dataset.number = c.number;
      li.dataset.window = String(c.window);
      li.append(item("span", "number", c.number), item("span", "arrow", "→"),
        item("span", "window", fmt("window_no", { window: c.window })),
        item("span", "state", c.status === "serving" ? fmt("serving") : (c.recalled ? fmt("recalled") : fmt("called"))),
        item("span", "location", c.location));
      return li;
    }));
    $("no-calls").hidden = v.calls.length > 0;
    $("recent").replaceChildren(...v.recent.map((c) => {
      const li = item("li", c.newest ? "newest" : "", fmt("call_line", { number: c.number, window: c.window }));
      if (c.recalled) li.append(item("span", "tag", fmt("recalled")));
      return li;
    }));
    $("groups").replaceChildren(...v.groups.map((g) => {
      const li = item("li");
      li.append(item("span", "prefix", g.prefix), item("span", "names", g.names.join("、")),
        item("span", "count", fmt("people", { count: g.waiting })));
      return li;
    }));
    $("paused").replaceChildren(...v.paused.map((p) => item("li", "",
      p.reason ? fmt("paused_window", { window: p.window, reason: p.reason }) : fmt("paused_no_reason", { window: p.window }))));
    $("paused-section").hidden = v.paused.length === 0;
    $("closed").textContent = v.closed.join("  ");
    $("closed-section").hidden = v.closed.length === 0;
    const notice = lang === "zh" ? v.notice : (v.notice_en || v.notice);
    if ($("notice").textContent !== notice) $("notice").textContent = notice;
  }

  let renderQueued = false;
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => { renderQueued = false; render(); });
  }

  function tick() {
    const tz = board.view ? board.view.hall.timezone : "Asia/Shanghai";
    const now = new Date(Date.now() + board.clockOffset); // the hall's time, even where the TV's clock is off
    const locale = lang === "zh" ? "zh-CN" : "en-GB";
    $("clock-time").textContent = new Intl.DateTimeFormat(locale, { timeZone: tz, hour: "2-digit", minute: "2-digit", hour12: false }).format(now);
    $("clock-date").textContent = new Intl.DateTimeFormat(locale, { timeZone: tz, month: "long", day: "numeric", weekday: "long" }).format(now);
  }

  function received(msg) {
    if (msg.type === "view") {
      board.view = msg.view;
      board.scope = msg.scope;
      board.connected = true;
      showConnection("");
      scheduleRender();
    } else if (msg.type === "clock") {
      board.clockOffset = Date.parse(msg.now) - Date.now();
      tick();
    } else if (msg.type === "missing") {
      board.missing = true;
      showConnection(fmt("hall_missing"));
    }
  }

  let backoff = 500;
  function connect() {
    const query = new URLSearchParams();
    for (const name of ["hall", "area", "windows"]) if (params.get(name)) query.set(name, params.get(name));
    const ws = new WebSocket(servers[current].replace(/^http/, "ws") + "/board/live?" + query);
    board.socket = ws;
    ws.onopen = () => { backoff = 500; };
    ws.onmessage = (m) => received(JSON.parse(m.data));
    ws.onclose = () => {
      if (board.socket !== ws) return;
      board.connected = false;
      board.reconnects += 1;
      if (!board.missing) showConnection(fmt("reconnecting"));
      current = (current + 1) % servers.length;
      const roundDone = current === 0; // every server tried: wait before the next round
      setTimeout(connect, roundDone ? backoff : 100);
      if (roundDone) backoff = Math.min(backoff * 2, board.missing ? 30000 : 5000);
      board.missing = false;
    };
  }

  tick();
  setInterval(tick, 1000);
  connect();
})();
