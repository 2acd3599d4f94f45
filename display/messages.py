"""Every text a hall board shows, Simplified Chinese first, English beside it.

The web page gets this same catalog (embedded in the page by ``display.web.routes``), so the
TV and the terminal board never word a thing two ways.
"""

from __future__ import annotations

from functools import partial

from hall_queue.text import catalog_text

MESSAGES: dict[str, dict[str, str]] = {
    "title": {"zh": "叫号信息", "en": "Now calling"},
    "now_calling": {"zh": "正在呼叫", "en": "Now calling"},
    "call_line": {"zh": "请 {number} 号到 {window} 号窗口", "en": "{number} to window {window}"},
    "window_no": {"zh": "{window} 号窗口", "en": "Window {window}"},
    "serving": {"zh": "办理中", "en": "Serving"},
    "called": {"zh": "请前往", "en": "Please go"},
    "recalled": {"zh": "重呼", "en": "Again"},
    "no_calls": {"zh": "暂无呼叫,请留意叫号", "en": "No calls yet; please listen for your number"},
    "recent": {"zh": "最近呼叫", "en": "Recent calls"},
    "waiting": {"zh": "等候人数", "en": "Waiting"},
    "people": {"zh": "{count} 人", "en": "{count}"},
    "paused": {"zh": "暂停服务", "en": "Paused"},
    "paused_window": {"zh": "{window} 号窗口({reason})", "en": "Window {window} ({reason})"},
    "paused_no_reason": {"zh": "{window} 号窗口", "en": "Window {window}"},
    "closed": {"zh": "未开放窗口", "en": "Closed windows"},
    "none": {"zh": "无", "en": "None"},
    "page": {"zh": "{page}/{pages}", "en": "{page}/{pages}"},  # beside a heading whose list shows in turns
    "area": {"zh": "区域:{area}", "en": "Area: {area}"},
    "windows_only": {"zh": "窗口:{windows}", "en": "Windows: {windows}"},
    "connected": {"zh": "已连接", "en": "Connected"},
    "reconnecting": {"zh": "正在重新连接…", "en": "Reconnecting…"},
    "loading": {"zh": "正在载入大厅信息…", "en": "Loading the hall…"},
    "hall_missing": {
        "zh": "没有找到这个服务中心,请核对大屏设置中的服务中心编号。",
        "en": "This service center was not found. Please check the hall number in the board's settings.",
    },
    "voice_off": {"zh": "语音播报已关闭", "en": "Voice is off"},
    "voice_on": {"zh": "语音播报已开启", "en": "Voice is on"},
}


t = partial(catalog_text, MESSAGES)


def catalog(lang: str) -> dict[str, str]:
    """All messages in one language, for the web page."""
    return {key: entry.get(lang, entry["zh"]) for key, entry in MESSAGES.items()}
