"""Every text the soft caller shows, Simplified Chinese first, English beside it.

What the server refuses comes with its own polite message (``ApiError.message(lang)``); these
are the caller's own words: labels, results of actions, and what to do next.
"""

from __future__ import annotations

from functools import partial

from hall_queue.text import catalog_text

MESSAGES: dict[str, dict[str, str]] = {
    # Sign-in
    "sign_in_title": {"zh": "{window} 号窗口 · 工作人员登录", "en": "Window {window} · staff sign-in"},
    "username": {"zh": "工号", "en": "Staff ID"},
    "password": {"zh": "密码", "en": "Password"},
    "sign_in": {"zh": "登录", "en": "Sign in"},
    "card_hint": {"zh": "也可以在读卡器上刷工作证登录。", "en": "You can also swipe your staff card on the reader."},
    "card_id": {"zh": "工作证卡号", "en": "Staff card number"},
    "card_sign_in": {"zh": "刷卡登录", "en": "Sign in with card"},
    "card_needs_device": {
        "zh": "刷卡登录需要本窗口的设备令牌。请先用工号和密码登录,或请管理员为本窗口配置设备令牌。",
        "en": "Card sign-in needs this window's device token. Please sign in with your staff ID and password, "
        "or ask the administrator to set up the device token.",
    },
    "card_read": {"zh": "已读到工作证,正在登录…", "en": "Card read; signing you in…"},
    "fill_in": {"zh": "请输入工号和密码后按回车。", "en": "Please enter your staff ID and password, then press Enter."},
    "signing_in": {"zh": "正在登录…", "en": "Signing in…"},
    "connecting": {"zh": "正在连接服务器…", "en": "Connecting to the server…"},
    "window_unknown": {
        "zh": "没有找到 {window} 号窗口,请核对启动参数中的窗口号,或联系管理员。",
        "en": "Window {window} was not found. Please check the window number in the start-up options or ask the "
        "administrator.",
    },
    "signed_out_elsewhere": {
        "zh": "本窗口已签退或已由其他工作人员登录,如需继续办理请重新登录。",
        "en": "This window was signed out or taken by another staff member. Please sign in again to continue.",
    },
    "reader_offline": {
        "zh": "读卡器暂未连接,可用工号和密码登录。",
        "en": "The card reader is not connected; you can sign in with your staff ID and password.",
    },
    # The desk
    "window_line": {"zh": "{window} 号窗口 · {name} · {location}", "en": "Window {window} · {name} · {location}"},
    "state_open": {"zh": "服务中", "en": "Open"},
    "state_paused": {"zh": "暂停服务:{reason}", "en": "Paused: {reason}"},
    "state_paused_plain": {"zh": "暂停服务", "en": "Paused"},
    "state_closed": {"zh": "未开放", "en": "Closed"},
    "staff": {"zh": "工作人员:{name}", "en": "Staff: {name}"},
    "connected": {"zh": "已连接", "en": "Connected"},
    "reconnecting": {"zh": "正在重新连接…", "en": "Reconnecting…"},
    "current_title": {"zh": "当前办理", "en": "Current ticket"},
    "no_current": {"zh": "当前没有正在办理的号,按 F1 叫号。", "en": "No current ticket. Press F1 to call the next."},
    "status_called": {
        "zh": "已呼叫,等候群众到窗口;群众到后请按 F3 开始办理",
        "en": "Called; waiting for the applicant. Press F3 when they arrive",
    },
    "status_serving": {"zh": "办理中", "en": "Serving"},
    "elapsed_called": {"zh": "已呼叫 {time}", "en": "Called {time} ago"},
    "elapsed_serving": {"zh": "已办理 {time}", "en": "Serving for {time}"},
    "recalls": {"zh": "已重呼 {count} 次", "en": "Recalled {count}×"},
    "waiting_title": {"zh": "等候", "en": "Waiting"},
    "waiting_total": {"zh": "共 {count} 人等候", "en": "{count} waiting"},
    "longest_wait": {"zh": "最长已等 {time}", "en": "longest wait {time}"},
    "waiting_service": {"zh": "{prefix}  {name}  {count} 人", "en": "{prefix}  {name}  {count}"},
    "waiting_next": {"zh": "接下来:{numbers}", "en": "Next: {numbers}"},
    "parked_title": {"zh": "挂起与过号", "en": "Held and missed"},
    "parked_held": {"zh": "挂起", "en": "held"},
    "parked_no_show": {"zh": "过号", "en": "no-show"},
    "parked_none": {"zh": "无", "en": "None"},
    "today_title": {"zh": "今日", "en": "Today"},
    "today_served": {"zh": "已办结 {count} 件", "en": "{count} served"},
    "today_average": {"zh": "平均办理 {time}", "en": "average {time}"},
    "today_no_shows": {"zh": "过号未到 {count} 人", "en": "{count} no-shows"},
    "today_ratings": {
        "zh": "评价:好 {good} · 较好 {fairly_good} · 一般 {average} · 较差 {poor}",
        "en": "Ratings: good {good} · fairly good {fairly_good} · average {average} · poor {poor}",
    },
    "rating_prompt": {
        "zh": "请群众在评价器上为 {number} 号的办理评价。",
        "en": "Please invite the applicant to rate ticket {number} on the rating pad.",
    },
    "rating_received": {"zh": "{number} 号已评价,谢谢。", "en": "Ticket {number} has been rated. Thank you."},
    "cases_title": {"zh": "办件登记", "en": "Case registration"},
    "cases_button": {"zh": "登记办件", "en": "Register case"},
    "cases_note": {
        "zh": "办件登记将在后续版本开放,届时在此登记受理的办件。",
        "en": "Case registration comes in a later version; cases will be registered here.",
    },
    # Actions (button labels)
    "act_call_next": {"zh": "叫号", "en": "Call"},
    "act_recall": {"zh": "重呼", "en": "Recall"},
    "act_start": {"zh": "开始办理", "en": "Start"},
    "act_finish": {"zh": "办结", "en": "Finish"},
    "act_skip": {"zh": "过号", "en": "No-show"},
    "act_hold": {"zh": "挂起", "en": "Hold"},
    "act_call_back": {"zh": "回呼", "en": "Call back"},
    "act_requeue": {"zh": "重新排队", "en": "Requeue"},
    "act_transfer": {"zh": "转移", "en": "Transfer"},
    "act_pause": {"zh": "暂停", "en": "Pause"},
    "act_resume": {"zh": "恢复", "en": "Resume"},
    "act_sign_out": {"zh": "签退", "en": "Sign out"},
    # Results of actions
    "done_called": {"zh": "已呼叫 {number} 号。", "en": "Called {number}."},
    "nobody_waiting": {"zh": "目前没有等候的群众。", "en": "No one is waiting at the moment."},
    "done_recalled": {"zh": "已重呼 {number} 号。", "en": "Called {number} again."},
    "done_started": {"zh": "{number} 号开始办理。", "en": "Serving {number}."},
    "done_finished": {"zh": "{number} 号已办结。", "en": "{number} finished."},
    "done_skipped": {"zh": "{number} 号已过号。", "en": "{number} marked as no-show."},
    "done_held": {"zh": "{number} 号已挂起。", "en": "{number} is on hold."},
    "done_called_back": {"zh": "已回呼 {number} 号。", "en": "Called {number} back."},
    "done_requeued": {"zh": "{number} 号已重新排队。", "en": "{number} is back in line."},
    "done_transferred": {"zh": "{number} 号已转到{target}。", "en": "{number} transferred to {target}."},
    "done_paused": {"zh": "已暂停服务。", "en": "Service paused."},
    "done_resumed": {"zh": "已恢复服务。", "en": "Service resumed."},
    "choose_parked": {
        "zh": "请先在“挂起与过号”中选择一张票。",
        "en": "Please choose a ticket under “Held and missed” first.",
    },
    "nothing_to_transfer": {
        "zh": "本窗口当前没有可转移的号,请先叫号或回呼。",
        "en": "There is no ticket at this window to transfer. Please call or call back first.",
    },
    "busy": {"zh": "上一项操作正在处理,请稍候。", "en": "The last action is still being processed; one moment please."},
    "unreachable_action": {
        "zh": "暂时无法连接服务器,操作未完成,请稍后再试。",
        "en": "The server cannot be reached; the action was not done. Please try again shortly.",
    },
    # Dialogs
    "transfer_title": {"zh": "转移 {number} 号", "en": "Transfer ticket {number}"},
    "transfer_service": {"zh": "业务:{name}({prefix})", "en": "Service: {name} ({prefix})"},
    "transfer_window": {"zh": "窗口:{number} 号 {name}", "en": "Window {number}: {name}"},
    "target_service": {"zh": "“{name}”业务", "en": "service “{name}”"},
    "target_window": {"zh": " {number} 号窗口", "en": "window {number}"},
    "transfer_note": {"zh": "备注(选填),按回车确认", "en": "Note (optional); press Enter to confirm"},
    "transfer_hint": {
        "zh": "用方向键选择转往的业务或窗口并按回车,再填写备注;Esc 取消。",
        "en": "Choose the service or window with the arrow keys and Enter, then add a note; Esc cancels.",
    },
    "transfer_choose": {"zh": "请先选择转往的业务或窗口。", "en": "Please choose the service or window first."},
    "pause_title": {"zh": "暂停服务", "en": "Pause service"},
    "pause_hint": {
        "zh": "选择暂停原因并按回车,或输入其他原因;Esc 取消。",
        "en": "Choose a reason and press Enter, or type another; Esc cancels.",
    },
    "pause_other": {"zh": "其他原因", "en": "Other reason"},
    "pause_reason_required": {"zh": "请选择或输入暂停原因。", "en": "Please choose or type a reason."},
    "reason_leave": {"zh": "临时离开", "en": "Stepped away"},
    "reason_consult": {"zh": "业务咨询", "en": "Consultation"},
    "reason_meeting": {"zh": "会议", "en": "Meeting"},
    "reason_system": {"zh": "系统维护", "en": "System maintenance"},
}

PAUSE_REASONS = ("reason_leave", "reason_consult", "reason_meeting", "reason_system")


t = partial(catalog_text, MESSAGES)


def duration(seconds: float) -> str:
    """``mm:ss``, or ``h:mm:ss`` past an hour (the same in both languages)."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60:02d}:{rest % 60:02d}"
