/* The hall board on a TV: the hall's snapshot, then its events over a WebSocket.
 *
 * The model below follows display/board_model.py rule for rule (a test feeds both the same
 * events and compares their views), so the TV and the terminal board agree. On a lost
 * connection the page says it is reconnecting and resumes after the last event it saw.
 * Plain JavaScript, no build step; all text comes from the catalog embedded in the page.
 */
"use strict";
(function (root) {
  const CALL_KINDS = new Set(["ticket.called", "ticket.recalled", "ticket.called_back"]);
  const AT_WINDOW = new Set(["called", "serving"]);
  const RECENT = 10;
  const WAITING_DELTA = { "ticket.issued": 1, "ticket.called": -1, "ticket.requeued": 1, "ticket.transferred": 1 };

  // ---- the model (same rules as display/board_model.py) -------------------------------------

  function parseFilter(area, windows) {
    const numbers = new Set();
    for (const part of String(windows || "").split(",")) {
      const [low, high] = part.trim().split("-");
      if (!low || !low.trim()) continue;
      const a = parseInt(low, 10), b = high ? parseInt(high, 10) : a;
      for (let n = a; n <= b; n++) numbers.add(n);
    }
    const a = String(area || "").trim();
    return { area: a || null, windows: numbers.size ? numbers : null };
  }

  function everything(flt) { return flt.area === null && flt.windows === null; }

  function admits(flt, w) {
    if (flt.area !== null && w.area !== flt.area) return false;
    return flt.windows === null || flt.windows.has(w.number);
  }

  function windowFrom(w, current, callSeq, callKind) {
    return {
      id: w.id, number: w.number, location: w.location || "", state: w.state || "closed",
      pause_reason: w.pause_reason || "",
      ticket_id: current ? current.id : null, ticket_number: current ? current.number : null,
      ticket_status: current ? current.status : null, call_seq: current ? (callSeq || 0) : 0,
      call_kind: current ? (callKind || "") : "",
    };
  }

  function fromSnapshot(snapshot, flt) {
    flt = flt || parseFilter(null, null);
    const hall = snapshot.hall;
    const admitted = snapshot.windows.filter((w) => admits(flt, w));
    const ids = new Set(admitted.map((w) => w.id));
    const recentCalls = snapshot.recent_calls.filter((c) => ids.has(c.window_id));
    const seqs = new Map();
    for (const c of recentCalls.slice().reverse()) seqs.set(c.id, [c.event_id, c.kind]);
    const windows = new Map();
    for (const w of admitted) {
      const cur = w.current || null;
      const [seq, kind] = (cur && seqs.get(cur.id)) || [0, ""];
      windows.set(w.id, windowFrom(w, cur, seq, kind));
    }
    const queues = new Map();
    for (const q of snapshot.queues) {
      queues.set(q.service_id, {
        service_id: q.service_id, name: q.name, prefix: q.prefix, waiting: q.waiting, window_ids: new Set(q.window_ids),
      });
    }
    const recent = recentCalls.slice(0, RECENT).map((c) => ({
      event_id: c.event_id, kind: c.kind, number: c.number, window_number: c.window_number,
    }));
    return {
      hall_id: hall.id, name: hall.name, name_en: hall.name_en || "", notice: hall.notice || "",
      notice_en: hall.notice_en || "", timezone: hall.timezone || "Asia/Shanghai",
      windows, queues, recent, last_event_id: snapshot.last_event_id, filter: flt,
    };
  }

  function cleared(base) {
    return Object.assign({}, base, { ticket_id: null, ticket_number: null, ticket_status: null, call_seq: 0, call_kind: "" });
  }

  function movedWindow(old, w, ticket, eventId, kind) {
    const base = old
      ? Object.assign({}, old, { location: w.location || old.location, state: w.state || old.state, pause_reason: w.pause_reason || "" })
      : windowFrom(w, null, 0, "");
    const currentId = w.current_ticket_id;
    if (currentId === null || currentId === undefined) return cleared(base);
    if (!ticket || ticket.id !== currentId) return base;
    if (!AT_WINDOW.has(ticket.status)) return cleared(base);
    const called = CALL_KINDS.has(kind);
    const same = base.ticket_id === ticket.id;
    return Object.assign({}, base, {
      ticket_id: ticket.id, ticket_number: ticket.number, ticket_status: ticket.status,
      call_seq: called ? eventId : (same ? base.call_seq : 0),
      call_kind: called ? kind : (same ? base.call_kind : ""),
    });
  }

  function apply(state, ev) {
    if (ev.hall_id !== state.hall_id || ev.id <= state.last_event_id) return state;
    const kind = ev.kind, payload = ev.payload || {}, eid = ev.id;
    const ticket = payload.ticket || null, w = payload.window || null;
    const admitted = w !== null && (state.windows.has(w.id) || admits(state.filter, w));
    if (admitted) state.windows.set(w.id, movedWindow(state.windows.get(w.id), w, ticket, eid, kind));
    const delta = WAITING_DELTA[kind] || 0;
    if (ticket && delta) {
      let q = state.queues.get(ticket.service_id);
      if (!q) q = { service_id: ticket.service_id, name: ticket.service_name || "", prefix: ticket.series || "", waiting: 0, window_ids: new Set() };
      state.queues.set(q.service_id, Object.assign({}, q, { waiting: Math.max(0, q.waiting + delta) }));
    }
    if (CALL_KINDS.has(kind) && admitted && ticket) {
      state.recent = [{ event_id: eid, kind, number: ticket.number, window_number: w.number }].concat(state.recent.slice(0, RECENT - 1));
    }
    state.last_event_id = eid;
    return state;
  }

  function view(state) {
    const newest = state.recent.length ? state.recent[0].event_id : 0;
    const all = Array.from(state.windows.values());
    const atWindow = all.filter((w) => w.ticket_number !== null);
    atWindow.sort((a, b) => (b.call_seq - a.call_seq) || (a.number - b.number));
    const groups = new Map();
    const queues = Array.from(state.queues.values()).sort((a, b) => a.service_id - b.service_id);
    for (const q of queues) {
      if (!everything(state.filter) && !Array.from(q.window_ids).some((id) => state.windows.has(id))) continue;
      if (!groups.has(q.prefix)) groups.set(q.prefix, { prefix: q.prefix, names: [], waiting: 0 });
      const g = groups.get(q.prefix);
      g.names.push(q.name);
      g.waiting += q.waiting;
    }
    const byNumber = all.slice().sort((a, b) => a.number - b.number);
    const prefixes = Array.from(groups.keys()).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      hall: { name: state.name, name_en: state.name_en, timezone: state.timezone },
      notice: state.notice,
      notice_en: state.notice_en,
      calls: atWindow.map((w) => ({
        number: w.ticket_number, window: w.number, location: w.location, status: w.ticket_status,
        recalled: w.call_kind === "ticket.recalled", newest: w.call_seq !== 0 && w.call_seq === newest,
      })),
      recent: state.recent.map((c) => ({
        number: c.number, window: c.window_number, recalled: c.kind === "ticket.recalled", newest: c.event_id === newest,
      })),
      groups: prefixes.map((p) => groups.get(p)),
      paused: byNumber.filter((w) => w.state === "paused").map((w) => ({ window: w.number, reason: w.pause_reason })),
      closed: byNumber.filter((w) => w.state === "closed").map((w) => w.number),
      last_event_id: state.last_event_id,
    };
  }

  root.HallBoardModel = { parseFilter, fromSnapshot, apply, view };
  if (typeof document === "undefined" || !document.getElementById("calls")) return;

  // ---- the page -----------------------------------------------------------------------------

  const M = JSON.parse(document.getElementById("messages").textContent);
  const lang = document.documentElement.lang.startsWith("zh") ? "zh" : "en";
  const params = new URLSearchParams(window.location.search);
  const api = (document.body.dataset.api || window.location.origin).replace(/\/$/, "");
  const flt = parseFilter(params.get("area"), params.get("windows"));
  const board = { state: null, connected: false, hallId: params.get("hall"), reconnects: 0, clockOffset: 0 };
  root.hallBoard = board;
  board.view = () => (board.state ? view(board.state) : null);

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
  function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

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
  if (flt.area) $("scope").textContent = fmt("area", { area: flt.area });
  else if (flt.windows) $("scope").textContent = fmt("windows_only", { windows: Array.from(flt.windows).join(",") });
  showConnection(fmt("loading"));

  function render() {
    const v = view(board.state);
    $("hall-name").textContent = lang === "zh" ? v.hall.name : (v.hall.name_en || v.hall.name);
    $("hall-name-en").textContent = lang === "zh" ? v.hall.name_en : "";
    const calls = $("calls");
    calls.replaceChildren(...v.calls.map((c) => {
      const li = item("li", "call" + (c.newest ? " newest" : "") + (c.status === "serving" ? " serving" : ""));
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

  let day = null;
  function tick() {
    const tz = board.state ? board.state.timezone : "Asia/Shanghai";
    const now = new Date(Date.now() + board.clockOffset); // the hall's time, even where the TV's clock is off
    const locale = lang === "zh" ? "zh-CN" : "en-GB";
    $("clock-time").textContent = new Intl.DateTimeFormat(locale, { timeZone: tz, hour: "2-digit", minute: "2-digit", hour12: false }).format(now);
    $("clock-date").textContent = new Intl.DateTimeFormat(locale, { timeZone: tz, month: "long", day: "numeric", weekday: "long" }).format(now);
    if (!board.state) return;
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(now);
    if (day === null) day = today;
    else if (today !== day) window.location.reload(); // a new business day: numbers and queues start again
  }

  async function getJson(path) {
    const r = await fetch(api + path, { cache: "no-store" });
    if (r.status === 404) throw Object.assign(new Error("not found"), { missing: true });
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  }

  async function load() {
    let delay = 500;
    while (board.state === null) {
      try {
        if (!board.hallId) board.hallId = String((await getJson("/api/v1/halls"))[0].id);
        const snapshot = await getJson("/api/v1/halls/" + encodeURIComponent(board.hallId) + "/board");
        board.clockOffset = Date.parse(snapshot.now) - Date.now();
        day = null;
        board.state = fromSnapshot(snapshot, flt);
      } catch (err) {
        showConnection(err.missing ? fmt("hall_missing") : fmt("reconnecting"));
        await sleep(delay);
        delay = Math.min(delay * 2, 10000);
      }
    }
    render();
    tick();
    connect();
  }

  let backoff = 500;
  function connect() {
    const url = api.replace(/^http/, "ws") + "/api/v1/events?hall_id=" + encodeURIComponent(board.state.hall_id) +
      "&after=" + board.state.last_event_id + "&view=board";  // what the board draws: half the bytes
    const ws = new WebSocket(url);
    board.socket = ws;
    ws.onopen = () => { backoff = 500; board.connected = true; showConnection(""); };
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === "event" || msg.type === "events") {
        for (const event of msg.type === "events" ? msg.events : [msg.event]) {
          board.state = apply(board.state, event);
        }
        scheduleRender();
      }
    };
    ws.onclose = () => {
      if (board.socket !== ws) return;
      board.connected = false;
      board.reconnects += 1;
      showConnection(fmt("reconnecting"));
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 5000);
    };
  }

  tick();
  setInterval(tick, 1000);
  load();
})(typeof window !== "undefined" ? window : globalThis);
