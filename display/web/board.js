/* The hall board on a TV: draws the views the server sends over a WebSocket (/board/live).
 *
 * The server computes what a board shows (display/board_model.py, run once for every TV with
 * the same filter: display/web/live.py); this page only draws it. Each message is the whole
 * view, so a page that reconnects after any outage is sent the present and misses no call.
 * A call flashes when its event id is newer than any call this page has shown. On a lost
 * connection the page says it is reconnecting and tries the next of its servers (``?api=`` may
 * name several), backing off once it has tried them all.
 * A list longer than its panel holds (how many fit depends on the TV) is cut into pages where
 * its lines break, shown in turns every PAGE_MS with "1/3" beside the heading; the newest call
 * stays at the top of every page of the calls, so a new call is seen at once whatever the page.
 * Plain JavaScript, no build step; all text comes from the catalog embedded in the page.
 */
"use strict";
(function () {
  const FLASH_MS = 4000; // as long as the .flash animation in board.css
  const PAGE_MS = 8000; // each page of a list too long for its panel is shown this long
  // The lists that page, by id (the heading's indicator is id + "-page"), with how many first items every page shows.
  const PAGEABLE = { calls: 1, recent: 0, groups: 0, off: 0 };

  const M = JSON.parse(document.getElementById("messages").textContent);
  const lang = document.documentElement.lang.startsWith("zh") ? "zh" : "en";
  const params = new URLSearchParams(window.location.search);
  const servers = (document.body.dataset.api || window.location.origin).split(",");
  let current = 0; // the server followed now; the next one is tried when it stops answering
  // For tests and the curious: what the page was last sent, and how its connection is.
  const board = { view: null, scope: null, connected: false, reconnects: 0, clockOffset: 0, socket: null, pages: {} };
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
  $("no-calls").textContent = fmt("no_calls");
  showConnection(fmt("loading"));

  /* Whether a call should flash: it is the newest, and new to this page (or still in its flash). */
  function flashes(call, now) {
    if (!call.newest || !call.event_id) return false;
    if (call.event_id > flashed.eventId) flashed = { eventId: call.event_id, until: now + FLASH_MS };
    return call.event_id === flashed.eventId && now < flashed.until;
  }

  /* Where each list's pages start (indexes of its items), measured with every item in place:
   * a page ends where the next item would pass the bottom of the list's box (less its pinned items). */
  function measurePages() {
    const ids = Object.keys(PAGEABLE), lists = ids.map((id) => $(id));
    for (const list of lists) {
      list.style.height = "";
      for (const el of list.children) el.hidden = false;
    }
    const measured = ids.map((id, n) => { // every list read before any is changed: one layout
      const list = lists[n], room = list.clientHeight, items = Array.from(list.children);
      const pinned = Math.min(PAGEABLE[id], items.length), starts = [pinned];
      if (pinned === items.length) return { room, starts, pinned };
      let top = items[pinned].offsetTop; // where the page being filled begins
      const below = room - (top - items[0].offsetTop); // the room under the pinned items
      for (let i = pinned; i < items.length; i++) {
        const el = items[i];
        if (i > starts[starts.length - 1] && el.offsetTop + el.offsetHeight - top > below) {
          starts.push(i);
          top = el.offsetTop;
        }
      }
      return { room, starts, pinned };
    });
    ids.forEach((id, n) => {
      const { room, starts, pinned } = measured[n];
      const pager = board.pages[id] || (board.pages[id] = { page: 0 });
      Object.assign(pager, { starts, pinned, pages: starts.length });
      if (pager.page >= pager.pages) pager.page = 0;
      // A list that pages keeps its height, so the panels do not move as pages of fewer lines turn.
      if (pager.pages > 1) lists[n].style.height = room + "px";
      showPage(id);
    });
  }

  function showPage(id) {
    const pager = board.pages[id], items = $(id).children;
    const from = pager.starts[pager.page], to = pager.starts[pager.page + 1] || items.length;
    for (let i = 0; i < items.length; i++) items[i].hidden = i >= pager.pinned && (i < from || i >= to);
    $(id + "-page").textContent = pager.pages > 1 ? fmt("page", { page: pager.page + 1, pages: pager.pages }) : "";
  }

  function turnPages() {
    for (const id of Object.keys(PAGEABLE)) {
      const pager = board.pages[id];
      if (!pager || pager.pages < 2) continue;
      pager.page = (pager.page + 1) % pager.pages;
      showPage(id);
    }
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
    // The windows not serving, in one panel: each paused one on its line, then the closed ones' numbers.
    $("paused-title").textContent = v.paused.length ? fmt("paused") : "";
    $("closed-title").textContent = v.closed.length ? (v.paused.length ? " · " : "") + fmt("closed") : "";
    $("off").replaceChildren(
      ...v.paused.map((p) => item("li", "paused", p.reason ? fmt("paused_window", { window: p.window, reason: p.reason })
        : fmt("paused_no_reason", { window: p.window }))),
      ...v.closed.map((n) => item("li", "closed", String(n))));
    $("off-section").hidden = v.paused.length + v.closed.length === 0;
    const notice = lang === "zh" ? v.notice : (v.notice_en || v.notice);
    if ($("notice").textContent !== notice) $("notice").textContent = notice;
    measurePages();
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
  setInterval(turnPages, PAGE_MS);
  window.addEventListener("resize", () => { if (board.view) scheduleRender(); });
  connect();
})();
