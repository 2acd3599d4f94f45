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
    "cases_title": {"zh": "本窗口办件", "en": "This window's cases"},
    "cases_count": {"zh": "未办结 {count} 件", "en": "{count} open"},
    "cases_none": {
        "zh": "本窗口暂无未办结的办件。为正在办理的群众登记办件请按 F11。",
        "en": "No open cases at this window. Press F11 to register a case for the applicant being served.",
    },
    "case_line": {"zh": "{number}  {type}  {applicant}  {deadline}", "en": "{number}  {type}  {applicant}  {deadline}"},
    "deadline_on": {"zh": "期限 {date}", "en": "due {date}"},
    "deadline_from_materials": {"zh": "材料补齐之日起计算", "en": "counted from the day the materials are complete"},
    "deadline_none": {"zh": "待定", "en": "to be set"},
    "provisional": {"zh": "(暂定)", "en": " (provisional)"},
    "mark_overdue": {"zh": "已逾期 {days} 个工作日", "en": "{days} working days overdue"},
    "mark_due_soon": {"zh": "即将到期", "en": "due soon"},
    "mark_open_past_day": {"zh": "即办件未当日办结", "en": "immediate case still open"},
    "mark_co": {"zh": "协办", "en": "co-department"},
    "case_detail": {"zh": "{service} · {status}", "en": "{service} · {status}"},
    "case_missing": {"zh": "需补齐:{names}", "en": "Missing: {names}"},
    "case_departments": {"zh": "联办部门:{names}", "en": "Departments: {names}"},
    "case_reason_shown": {"zh": "理由:{reason}", "en": "Reason: {reason}"},
    "dept_lead": {"zh": "{name}(牵头)", "en": "{name} (lead)"},
    "dept_co": {"zh": "{name}(协办)", "en": "{name} (co)"},
    "dept_signed": {"zh": "{name}(已会签)", "en": "{name} (signed off)"},
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
    "act_register_case": {"zh": "登记办件", "en": "Register case"},
    "act_case_materials": {"zh": "补齐材料", "en": "Materials in"},
    "act_case_finish": {"zh": "办件办结", "en": "Finish case"},
    "act_case_return": {"zh": "退回", "en": "Return"},
    "act_case_sign_off": {"zh": "会签", "en": "Sign off"},
    "act_case_reprint": {"zh": "重打通知书", "en": "Reprint notice"},
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
    "no_ticket_for_case": {
        "zh": "请先叫号并开始办理:办件为正在窗口办理的群众登记。",
        "en": "Please call a ticket first: a case is registered for the applicant being served.",
    },
    "choose_case": {"zh": "请先在办件列表中选择一件办件。", "en": "Please choose a case in the list first."},
    "done_case_registered": {"zh": "已登记办件 {number}({type})。", "en": "Case {number} registered ({type})."},
    "done_case_materials": {
        "zh": "办件 {number} 材料已补齐,办结期限 {deadline}。",
        "en": "Case {number}: materials complete; due {deadline}.",
    },
    "done_case_finished": {"zh": "办件 {number} 已办结。", "en": "Case {number} finished."},
    "done_case_returned": {"zh": "办件 {number} 已退回。", "en": "Case {number} returned."},
    "done_case_signed": {"zh": "办件 {number} 本部门已会签。", "en": "Case {number}: your department signed off."},
    "done_case_signed_finished": {
        "zh": "办件 {number} 已会签,各部门均已办结,办件已办结。",
        "en": "Case {number} signed off; every department has finished, so the case is finished.",
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
    "materials_title": {"zh": "补齐材料 · 办件 {number}", "en": "Materials complete · case {number}"},
    "materials_date": {
        "zh": "材料补齐日期(年-月-日),按回车确认",
        "en": "Day the materials were complete (year-month-day); press Enter",
    },
    "materials_hint": {
        "zh": "默认为今天;办理时限自该日起计算。Esc 取消。",
        "en": "Today unless you change it; the time limit counts from that day. Esc cancels.",
    },
    "date_invalid": {
        "zh": "请按 年-月-日 填写日期,例如 {example}。",
        "en": "Please write the date as year-month-day, e.g. {example}.",
    },
    "return_title": {"zh": "退回办件 {number}", "en": "Return case {number}"},
    "return_reason": {
        "zh": "退回原因(写在退回件通知书上),按回车确认",
        "en": "Reason (printed on the notice); press Enter",
    },
    "return_hint": {
        "zh": "申请人可持退回件通知书向中心业务科申请复核。Esc 取消。",
        "en": "The applicant may ask the business section (业务科) for review with the notice. Esc cancels.",
    },
    "reason_required": {
        "zh": "请填写退回原因,它将写在通知书上。",
        "en": "Please write the reason; it is printed on the notice.",
    },
    # Registering a case (登记办件)
    "case_dialog_title": {"zh": "登记办件 · {number} 号", "en": "Register a case · ticket {number}"},
    "case_applicant": {"zh": "申请人", "en": "Applicant"},
    "case_person": {"zh": "个人", "en": "Person"},
    "case_company": {"zh": "单位", "en": "Company"},
    "case_name_person": {"zh": "姓名", "en": "Name"},
    "case_name_company": {"zh": "单位名称", "en": "Company name"},
    "case_id_person": {"zh": "身份证号码", "en": "ID card number"},
    "case_id_company": {"zh": "统一社会信用代码", "en": "Unified social credit code"},
    "case_phone": {"zh": "联系电话", "en": "Phone"},
    "case_service": {"zh": "办理事项", "en": "Service item"},
    "case_type": {"zh": "办件类型", "en": "Case type"},
    "case_type_immediate": {"zh": "即办件", "en": "Immediate"},
    "case_type_promised": {"zh": "承诺件", "en": "Promised"},
    "case_type_supplement": {"zh": "补办件", "en": "Supplement"},
    "case_type_joint": {"zh": "联办件", "en": "Joint"},
    "case_type_returned": {"zh": "退回件", "en": "Returned"},
    "case_type_urgent": {"zh": "急办件", "en": "Urgent"},
    "case_materials": {"zh": "材料(勾选已收取的)", "en": "Materials (tick those received)"},
    "material_main": {"zh": "主件", "en": "main"},
    "material_attachment": {"zh": "附件", "en": "attachment"},
    "case_materials_loading": {"zh": "正在读取材料清单…", "en": "Reading the list of materials…"},
    "case_no_materials": {"zh": "本事项未列材料清单。", "en": "This item lists no materials."},
    "case_missing_supplement": {
        "zh": "需补齐的材料(一次性告知):{names}",
        "en": "To be brought, told all at once: {names}",
    },
    "case_missing_none": {
        "zh": "补办件:尚未收到的材料请不要勾选,它们将一次性告知申请人。",
        "en": "Supplement: leave the materials not received unticked; the applicant is told them all at once.",
    },
    "case_missing_type": {
        "zh": "补办件:本事项未列材料清单,请在下方填写需补齐的材料。",
        "en": "Supplement: this item lists no materials; please write the missing ones below.",
    },
    "case_other_missing": {
        "zh": "其他需补齐的材料(每行一项,或用、分隔)",
        "en": "Other missing materials (one a line, or separated by 、)",
    },
    "case_unticked": {
        "zh": "尚未勾选:{names}。材料不全时请登记为补办件。",
        "en": "Not ticked: {names}. If materials are missing, please register a supplement case.",
    },
    "case_reason": {
        "zh": "退回原因(必填,写在通知书上)",
        "en": "Reason for returning (required, printed on the notice)",
    },
    "case_decided_now": {"zh": "当场退回", "en": "Returned on the spot"},
    "case_decided_later": {"zh": "3个工作日内决定", "en": "Decided within 3 working days"},
    "case_subject": {"zh": "联办事项类别(据此确定牵头部门)", "en": "Subject (fixes the lead department)"},
    "subject_construction": {"zh": "基本建设和房地产", "en": "Construction and real estate"},
    "subject_renovation": {"zh": "技术改造", "en": "Technical renovation"},
    "subject_utilities": {"zh": "公用事业", "en": "Public utilities"},
    "subject_individual": {"zh": "个体工商户", "en": "Individual trade"},
    "subject_other": {"zh": "其他", "en": "Other"},
    "case_co_departments": {"zh": "协办部门(勾选)", "en": "Co-departments (tick)"},
    "case_register_button": {"zh": "F11 登记", "en": "F11 Register"},
    "case_cancel_button": {"zh": "Esc 取消", "en": "Esc Cancel"},
    "case_close_button": {"zh": "Esc 完成", "en": "Esc Done"},
    "case_reprint_button": {"zh": "重打通知书", "en": "Reprint notice"},
    "case_dialog_hint": {
        "zh": "Tab 切换项目,方向键选择,空格勾选,F11 登记;Esc 取消。",
        "en": "Tab moves between fields, arrows choose, space ticks, F11 registers; Esc cancels.",
    },
    "case_done_hint": {
        "zh": "请将通知书的申请人联交给申请人;按 Esc 或回车完成。",
        "en": "Please hand the applicant's copy of the notice over; Esc or Enter when done.",
    },
    "case_name_required": {
        "zh": "请填写申请人姓名或单位名称。",
        "en": "Please write the applicant's name or the company's name.",
    },
    "case_choose_type": {"zh": "请选择办件类型。", "en": "Please choose the case type."},
    "case_co_required": {
        "zh": "联办件请勾选至少一个协办部门。",
        "en": "For a joint case, please tick at least one co-department.",
    },
    "case_reason_required": {
        "zh": "退回件请填写退回原因,它将写在通知书上。",
        "en": "For a returned case, please write the reason; it is printed on the notice.",
    },
    "case_sending": {"zh": "正在登记…", "en": "Registering…"},
    "case_unreachable": {
        "zh": "暂时无法连接服务器,办件可能尚未登记。请稍后再按 F11 登记:同一次登记不会重复。",
        "en": "The server cannot be reached; the case may not be registered yet. Please press F11 again shortly: "
        "it will not be registered twice.",
    },
    "case_registered": {"zh": "已登记办件 {number} · {type}", "en": "Case {number} registered · {type}"},
    "case_deadline": {"zh": "办结期限:{deadline}", "en": "Deadline: {deadline}"},
    "case_deadline_from_materials": {
        "zh": "办理时限:材料补齐之日起计算",
        "en": "Time limit: counted from the day the materials are complete",
    },
    "case_no_notice": {
        "zh": "即办件当场办结,不出具通知书。",
        "en": "An immediate case is finished on the spot; it has no notice.",
    },
    "notice_printing": {"zh": "正在打印通知书…", "en": "Printing the notice…"},
    "notice_printed": {
        "zh": "{title}已打印,共 {copies} 联。",
        "en": "The notice ({title}) is printed: {copies} copies.",
    },
    "notice_printed_unrecorded": {
        "zh": "{title}已打印,共 {copies} 联;打印记录暂未保存到服务器,不影响办件。",
        "en": "The notice ({title}) is printed: {copies} copies; the server has not recorded the print yet, "
        "which does not affect the case.",
    },
    "notice_not_printed": {
        "zh": "通知书未打印:{problem}。办件已登记;处理好打印机后请按“重打通知书”。",
        "en": "The notice was not printed: {problem}. The case is registered; once the printer is ready, "
        "press “Reprint notice”.",
    },
    "notice_no_printer": {
        "zh": "本窗口未配置通知书打印机,通知书未打印;办件已登记。请联系管理员为本窗口配置打印机。",
        "en": "This window has no notice printer set up, so the notice was not printed; the case is registered. "
        "Please ask the administrator to set up the window's printer.",
    },
    "printer_offline": {"zh": "打印机无响应", "en": "the printer does not answer"},
    "printer_paper_out": {"zh": "打印机缺纸", "en": "the printer is out of paper"},
    "printer_cover_open": {"zh": "打印机盖未合上", "en": "the printer cover is open"},
    "printer_unplugged": {"zh": "打印机未连接", "en": "the printer is not connected"},
    "printer_error": {"zh": "打印机故障", "en": "the printer has a fault"},
}

PAUSE_REASONS = ("reason_leave", "reason_consult", "reason_meeting", "reason_system")


t = partial(catalog_text, MESSAGES)


def duration(seconds: float) -> str:
    """``mm:ss``, or ``h:mm:ss`` past an hour (the same in both languages)."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60:02d}:{rest % 60:02d}"
