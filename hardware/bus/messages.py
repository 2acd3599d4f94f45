"""Words of the bus process: keypad short forms, pause and rating-pad texts, and its console lines.

The LED lines themselves (请A001号到12号窗口, 欢迎您, 暂停服务) are the device texts of
``hardware.serial_bus.messages``, shared with the simulators. The keypad shows at most eight
ASCII characters on seven-segment digits, so its short forms are the same in both languages;
they name what the staff member can do next, and the console prints the server's full polite
message beside them.
"""

from __future__ import annotations

from functools import partial

from hall_queue.text import catalog_text

MESSAGES: dict[str, dict[str, str]] = {
    # Keypad display (ASCII, at most 8 characters)
    "keypad_sign_in": {"zh": "SIGN IN", "en": "SIGN IN"},
    "keypad_resume": {"zh": "RESUME", "en": "RESUME"},
    "keypad_call_first": {"zh": "CALL 1ST", "en": "CALL 1ST"},
    "keypad_finish_first": {"zh": "FINISH", "en": "FINISH"},
    "keypad_skip_or_hold": {"zh": "SKIP", "en": "SKIP"},
    "keypad_not_now": {"zh": "NOT NOW", "en": "NOT NOW"},
    "keypad_not_parked": {"zh": "NO {number}", "en": "NO {number}"},
    "keypad_check_window": {"zh": "CHK WIN", "en": "CHK WIN"},
    "keypad_no_show": {"zh": "NO SHOW", "en": "NO SHOW"},
    "keypad_retry": {"zh": "RETRY", "en": "RETRY"},
    "keypad_error": {"zh": "ERR {status}", "en": "ERR {status}"},
    "keypad_closed": {"zh": "----", "en": "----"},
    # Window screens and rating pads
    "pause_reason": {"zh": "暂停服务", "en": "Service paused"},
    "led_paused_reason": {"zh": "{window}号窗口暂停服务:{reason}", "en": "Window {window} is paused: {reason}"},
    "pad_prompt": {"zh": "{window}号窗口", "en": "Window {window}"},
    "pad_prompt_staff": {"zh": "{window}号窗口 {staff}", "en": "Window {window} {staff}"},
    # The bus process's console
    "console_started": {
        "zh": "设备总线已启动: 线路 {port},服务器 {server},窗口 {windows}",
        "en": "Device bus started: line {port}, server {server}, windows {windows}",
    },
    "console_waiting_server": {
        "zh": "正在连接服务器 {server},稍后自动重试({error})",
        "en": "Connecting to the server {server}; retrying shortly ({error})",
    },
    "console_unknown_windows": {
        "zh": "这些窗口号不在本大厅,已略过: {numbers}。请核对 --windows。",
        "en": "These window numbers are not in this hall and were left out: {numbers}. Please check --windows.",
    },
    "console_line": {"zh": "线路 {port}: {state} {detail}", "en": "Line {port}: {state} {detail}"},
    "console_device": {"zh": "{window}号窗口{device}: {state}", "en": "Window {window} {device}: {state}"},
    "console_events": {"zh": "服务器事件连接: {state}", "en": "Server event stream: {state}"},
    "console_events_refused": {
        "zh": "服务器拒绝了事件连接,窗口屏将不再更新: {message} 请核对设备令牌后重新启动总线。",
        "en": "The server refused the event stream; the window screens will not be updated: {message} "
              "Please check the device token and start the bus again.",
    },
    "console_refused": {
        "zh": "{window}号窗口 按键{button}未执行: {message}",
        "en": "Window {window}, key {button} not done: {message}",
    },
    "console_card_in": {
        "zh": "{window}号窗口 刷卡登录成功: {staff}",
        "en": "Window {window}: {staff} signed in by card",
    },
    "console_card_refused": {
        "zh": "{window}号窗口 刷卡未登录: {message}",
        "en": "Window {window}: card sign-in not done: {message}",
    },
    "console_rating": {"zh": "{window}号窗口 评价: {rating}", "en": "Window {window} rated: {rating}"},
    "console_rating_refused": {
        "zh": "{window}号窗口 评价未记录: {message}",
        "en": "Window {window}: rating not recorded: {message}",
    },
    "console_rate_no_show": {
        "zh": "{number}号叫号后未到窗口(已过号),没有办理业务,因此不请群众评价。",
        "en": "{number} was called and did not come to the window (a no-show); there was no service to rate.",
    },
    "console_stopped": {"zh": "设备总线已停止", "en": "Device bus stopped"},
    "state_ok": {"zh": "正常", "en": "ok"},
    "state_reconnecting": {"zh": "正在重新连接", "en": "reconnecting"},
    "state_unplugged": {"zh": "未连接,正在重试", "en": "unplugged, retrying"},
    "state_no_answer": {"zh": "无应答,请检查设备电源和接线", "en": "not answering; please check its power and cable"},
    "state_connected": {"zh": "已连接", "en": "connected"},
    "device_keypad": {"zh": "叫号器", "en": "keypad"},
    "device_ratingpad": {"zh": "评价器", "en": "rating pad"},
    "device_cardreader": {"zh": "刷卡器", "en": "card reader"},
}

# The server's error codes -> what the keypad shows (anything else: keypad_error with the status).
REFUSALS: dict[str, str] = {
    "window_not_signed_in": "keypad_sign_in",
    "not_your_window": "keypad_sign_in",
    "forbidden": "keypad_sign_in",
    "window_paused": "keypad_resume",
    "no_current_ticket": "keypad_call_first",
    "window_busy": "keypad_finish_first",
    "recall_limit": "keypad_skip_or_hold",
    "illegal_transition": "keypad_not_now",
    "ticket_not_at_window": "keypad_not_now",
    "window_not_found": "keypad_check_window",
    "transfer_target_mismatch": "keypad_check_window",
    "transfer_target_required": "keypad_check_window",
    "rate_limited": "keypad_retry",
    "unreachable": "keypad_retry",
}


message = partial(catalog_text, MESSAGES)
