"""What an older applicant needs of the kiosk's page, measured in the browser that shows it.

``measure(page)`` runs in the page as drawn (its fonts, its viewport) and returns plain figures:
each visible text's size and contrast, each touch target's box, targets too close together, and
anything that spills out of the screen or out of its box. ``assert_readable`` holds them to the
kiosk's rules (``kiosk/web/static/kiosk.css`` says the same): body text ≥ 24 px, choice labels
and keys ≥ 36 px, hints ≥ 24 px, all 1.5× in 大字 mode (the top bar's switches: 36 px in both);
contrast ≥ 4.5:1; targets ≥ 80×80 px and ≥ 12 px apart; nothing clipped or wider than the
screen; the ticket number ≥ 1/6 of the screen's height. The same functions serve the end-to-end
tests against the live server.
"""

from __future__ import annotations

from typing import Any

LARGE = 1.5
BODY_MIN = 24.0
LABEL_MIN = 36.0
HINT_MIN = 24.0
KEY_MIN = 36.0
TOP_MIN = 36.0  # the top bar's back/home/大字/语音/language: 36 px in both modes (it must stay one row)
CONTRAST_MIN = 4.5
TARGET_MIN = 80.0
TARGET_GAP = 12.0
NUMBER_SHARE = 1 / 6

MEASURE_JS = r"""
() => {
  const W = window.innerWidth, H = window.innerHeight;
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += "#" + el.id;
    const named = el.closest("[data-choice],[data-field],[data-part]");
    if (named) {
      const key = named.dataset.choice ? "choice" : named.dataset.field ? "field" : "part";
      d += `[${key}=${named.dataset[key]}]`;
    }
    if (el.className && typeof el.className === "string") d += "." + el.className.trim().split(/\s+/).join(".");
    const words = (el.innerText || el.value || el.placeholder || "").trim().replace(/\s+/g, " ");
    return words ? `${d} "${words.slice(0, 30)}"` : d;
  };
  const shown = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || s.opacity === "0") return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const rgba = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const v = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const CHOICE_ROLES = ["tile", "primary", "choice", "filter", "service", "rating", "reason", "key", "nav", "switch"];

  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const words = node.nodeValue.trim();
    const el = node.parentElement;
    if (!words || !el || el.closest("script,style,template,svg,title") || !shown(el)) continue;
    const s = getComputedStyle(el);
    const button = el.closest("button");
    let role = "body";
    if (button) role = el.closest(".hint") ? "hint" : button.classList.contains("key") ? "key"
      : button.classList.contains("nav") || button.classList.contains("switch") ? "top" : "label";
    else if (el.closest(".number")) role = "number";
    const bg = background(el);
    const fg = over(rgba(s.color), bg);
    texts.push({element: describe(el), text: words.slice(0, 40), role, size: parseFloat(s.fontSize),
                choice: button ? (CHOICE_ROLES.find((r) => button.classList.contains(r)) || "") : "",
                contrast: Math.round(ratio(fg, bg) * 100) / 100, color: s.color, background: `rgb(${bg.slice(0, 3)})`});
  }
  const inputs = [...document.querySelectorAll("input:not([type=hidden]), textarea")].filter(shown);
  for (const el of inputs) {
    const bg = background(el);
    const s = getComputedStyle(el);
    texts.push({element: describe(el), text: (el.value || "").slice(0, 40), role: "field", size: parseFloat(s.fontSize),
                choice: "", contrast: Math.round(ratio(over(rgba(s.color), bg), bg) * 100) / 100,
                color: s.color, background: `rgb(${bg.slice(0, 3)})`});
    if (el.placeholder) {
      const p = getComputedStyle(el, "::placeholder");
      texts.push({element: describe(el) + "::placeholder", text: el.placeholder.slice(0, 40), role: "field",
                  size: parseFloat(p.fontSize), choice: "",
                  contrast: Math.round(ratio(over(rgba(p.color), bg), bg) * 100) / 100, color: p.color,
                  background: `rgb(${bg.slice(0, 3)})`});
    }
  }

  const targetEls = [...document.querySelectorAll("button, input:not([type=hidden]), select, textarea, a[href]")]
    .filter(shown);
  // What of a box can be touched: the part inside every ancestor that clips (a scroll area) and the screen.
  const reachable = (el) => {
    const r = el.getBoundingClientRect();
    let box = {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
    const cut = (c) => { box = {x0: Math.max(box.x0, c.left), y0: Math.max(box.y0, c.top),
                                x1: Math.min(box.x1, c.right), y1: Math.min(box.y1, c.bottom)}; };
    for (let e = el.parentElement; e && e !== document.documentElement; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX !== "visible" || s.overflowY !== "visible") cut(e.getBoundingClientRect());
    }
    cut({left: 0, top: 0, right: W, bottom: H});
    return box.x1 > box.x0 && box.y1 > box.y0 ? {x: box.x0, y: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0}
                                              : null;
  };
  const targets = targetEls.map((el) => {
    const r = el.getBoundingClientRect();
    return {element: describe(el), x: r.left, y: r.top, width: r.width, height: r.height, reach: reachable(el)};
  });
  const close = [];
  const touchable = targets.filter((t) => t.reach).map((t) => ({element: t.element, ...t.reach}));
  for (let i = 0; i < touchable.length; i++) {
    for (let j = i + 1; j < touchable.length; j++) {
      const a = touchable[i], b = touchable[j];
      const dx = Math.max(0, b.x - (a.x + a.width), a.x - (b.x + b.width));
      const dy = Math.max(0, b.y - (a.y + a.height), a.y - (b.y + b.height));
      const gap = Math.hypot(dx, dy);
      if (gap < 12 - 0.01) close.push({a: a.element, b: b.element, gap: Math.round(gap * 10) / 10});
    }
  }

  const overflowing = [], clipped = [];
  if (document.documentElement.scrollWidth > W + 1) {
    overflowing.push({element: "html", right: document.documentElement.scrollWidth, width: W});
  }
  const clips = (el) => {  // an ancestor that cuts off what spills sideways (a scroll area, say)
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    if (!shown(el)) continue;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if ((r.right > W + 1 || r.left < -1) && !clips(el)) {
      overflowing.push({element: describe(el), left: Math.round(r.left), right: Math.round(r.right), width: W});
    }
    if (s.display.startsWith("inline") && !s.display.startsWith("inline-")) continue;
    if (el.tagName.toLowerCase() === "svg" || el.tagName.toLowerCase() === "input") continue;
    const scrollsY = s.overflowY === "auto" || s.overflowY === "scroll";
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      clipped.push({element: describe(el), axis: "x", content: el.scrollWidth, box: el.clientWidth});
    }
    if (!scrollsY && el.scrollHeight > el.clientHeight + 2 && el.clientHeight > 0) {
      clipped.push({element: describe(el), axis: "y", content: el.scrollHeight, box: el.clientHeight});
    }
  }

  const numberEl = document.querySelector(".text.number");
  const number = numberEl && shown(numberEl)
    ? {element: describe(numberEl), size: parseFloat(getComputedStyle(numberEl).fontSize), height: H} : null;
  return {width: W, height: H, texts, targets, close, overflowing, clipped, number,
          large: document.body.classList.contains("large")};
}
"""


async def measure(page) -> dict[str, Any]:
    """The page's figures, as its browser draws them (see the module's docstring)."""
    return await page.evaluate(MEASURE_JS)


def minimums(large: bool) -> dict[str, float]:
    """The least font size of each kind of text, in CSS px."""
    scale = LARGE if large else 1.0
    return {"body": BODY_MIN * scale, "field": BODY_MIN * scale, "label": LABEL_MIN * scale,
            "hint": HINT_MIN * scale, "key": KEY_MIN * scale, "top": TOP_MIN}


def fit_problems(result: dict[str, Any]) -> list[str]:
    """What does not fit: spills past the screen's edge, clipped boxes, small or crowded targets."""
    out = []
    for o in result["overflowing"]:
        out.append(f"wider than the screen ({result['width']} px): {o['element']} reaches {o.get('right')}")
    for c in result["clipped"]:
        out.append(f"clipped ({c['axis']}): {c['element']} holds {c['content']} px in {c['box']} px")
    for t in result["targets"]:
        if t["width"] < TARGET_MIN - 0.5 or t["height"] < TARGET_MIN - 0.5:
            out.append(f"target smaller than {TARGET_MIN:.0f}×{TARGET_MIN:.0f}: {t['element']} "
                       f"is {t['width']:.0f}×{t['height']:.0f}")
    for pair in result["close"]:
        out.append(f"targets {pair['gap']} px apart (< {TARGET_GAP:.0f}): {pair['a']} and {pair['b']}")
    return out


def text_problems(result: dict[str, Any], large: bool) -> list[str]:
    """Texts too small or too faint for the mode, and a ticket number too small to see from afar."""
    out = []
    least = minimums(large)
    for t in result["texts"]:
        need = least.get(t["role"])
        if need is not None and t["size"] < need - 0.01:
            out.append(f"{t['role']} text {t['size']:.1f} px < {need:.0f} px: {t['element']}")
        if t["contrast"] < CONTRAST_MIN:
            out.append(f"contrast {t['contrast']} < {CONTRAST_MIN}: {t['element']} ({t['color']} on {t['background']})")
    number = result.get("number")
    if number and number["size"] < number["height"] * NUMBER_SHARE:
        out.append(f"ticket number {number['size']:.0f} px < 1/6 of {number['height']} px: {number['element']}")
    return out


def assert_fits(result: dict[str, Any]) -> None:
    problems = fit_problems(result)
    assert not problems, "\n".join(problems)


def assert_readable(result: dict[str, Any], large: bool) -> None:
    """Every rule at once, each failure naming the element it is about."""
    problems = text_problems(result, large) + fit_problems(result)
    assert not problems, "\n".join(problems)


def summary(result: dict[str, Any]) -> dict[str, float]:
    """The least figure of each kind on the page (for a report)."""
    out: dict[str, float] = {}
    for t in result["texts"]:
        out[f"{t['role']} px"] = min(out.get(f"{t['role']} px", 1e9), t["size"])
        out["contrast"] = min(out.get("contrast", 1e9), t["contrast"])
    for t in result["targets"]:
        out["target w"] = min(out.get("target w", 1e9), t["width"])
        out["target h"] = min(out.get("target h", 1e9), t["height"])
    if result.get("number"):
        out["number/height"] = result["number"]["size"] / result["number"]["height"]
    return out
