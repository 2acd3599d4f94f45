"""Every word the kiosk shows, Simplified Chinese first, English beside it.

The applicants are often elderly and in a hurry: each line says plainly what is happening and
what to do next, and an error never blames them. The RULES §10 phrases a hall never says
appear nowhere here (tests/kiosk/test_messages.py checks the whole catalog).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from functools import partial
from typing import Any

from hall_queue.text import catalog_text

LANGUAGES = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # --- everywhere ---------------------------------------------------------------------------
    "app.title": {"zh": "政务服务自助终端", "en": "Service hall kiosk"},
    "top.home": {"zh": "返回首页", "en": "Home"},
    "top.back": {"zh": "返回上一步", "en": "Back"},
    "top.language": {"zh": "English", "en": "中文"},
    "top.large": {"zh": "大字", "en": "大字 Large text"},
    "top.voice": {"zh": "语音引导", "en": "Voice guide"},
    "net.connecting": {
        "zh": "正在连接服务中心系统,请稍候……",
        "en": "Connecting to the service center, one moment please…",
    },
    "net.retrying": {
        "zh": "网络暂时不通,系统正在自动重试,请稍候。如需帮助,请到导办台。",
        "en": "The network is not answering; the kiosk is retrying by itself. "
        "Please wait a moment, or ask at the help desk.",
    },
    "net.retrying_ticket": {
        "zh": "网络暂时不通,正在自动重试,请稍候。请放心,只会为您出一张票。",
        "en": "The network is not answering; retrying by itself. Please wait: you will get one ticket only.",
    },
    "net.not_ready": {
        "zh": "系统正在连接,请稍候片刻再点击。",
        "en": "The kiosk is still connecting. Please touch again in a moment.",
    },
    "error.unexpected": {
        "zh": "系统暂时有点忙,请稍后再试,或请导办台工作人员协助。",
        "en": "The system is busy for a moment. Please try again shortly or ask at the help desk.",
    },
    "weekday": {"zh": "星期一,星期二,星期三,星期四,星期五,星期六,星期日", "en": "Mon,Tue,Wed,Thu,Fri,Sat,Sun"},
    "date": {"zh": "{year}年{month}月{day}日 {weekday} {time}", "en": "{weekday} {day} {month_name} {year}, {time}"},
    "day": {"zh": "{year}年{month}月{day}日({weekday})", "en": "{weekday} {day} {month_name} {year}"},
    "moment": {"zh": "{year}年{month}月{day}日 {time}", "en": "{day} {month_name} {year}, {time}"},
    # --- home --------------------------------------------------------------------------------
    "home.welcome": {"zh": "欢迎您!请点击下方按钮办理。", "en": "Welcome! Please touch a button below."},
    "home.guide": {"zh": "办事指南", "en": "Service guide"},
    "home.guide_hint": {"zh": "需要什么材料、多久办好、在哪办", "en": "Documents, time limits, fees, windows"},
    "home.take": {"zh": "取  号", "en": "Take a ticket"},
    "home.take_hint": {"zh": "选择业务,打印排队票", "en": "Choose a service, print your ticket"},
    "home.rate": {"zh": "评  价", "en": "Rate a service"},
    "home.rate_hint": {"zh": "扫描票据二维码,评价本次服务", "en": "Scan your ticket to rate our service"},
    "home.status": {"zh": "查  询", "en": "Check status"},
    "home.status_hint": {"zh": "扫码或输入号码,查看排队进度", "en": "Scan or enter your number to see your turn"},
    "home.hours": {"zh": "开放时间:工作日 {hours}", "en": "Opening hours: working days {hours}"},
    "home.hours_always": {"zh": "开放时间:全天24小时", "en": "Open 24 hours, every day"},
    "home.lunch": {"zh": "(午休 {lunch})", "en": " (lunch break {lunch})"},
    "home.notice": {"zh": "通知:{notice}", "en": "Notice: {notice}"},
    # --- guide -------------------------------------------------------------------------------
    "guide.title": {"zh": "办事指南(九公开)", "en": "Service guide"},
    "take.title": {"zh": "取号:请选择要办理的业务", "en": "Take a ticket: please choose your service"},
    "guide.search": {
        "zh": "搜索:输入汉字或拼音首字母(如 yyzz 查营业执照)",
        "en": "Search: Chinese words, English or pinyin initials (e.g. yyzz)",
    },
    "guide.spoken": {
        "zh": "请点击要办理的事项;也可以按部门查找,或用拼音键盘输入首字母搜索",
        "en": "Touch the service you need; you can also choose a department, or search with the keyboard",
    },
    "guide.keyboard": {"zh": "拼音键盘", "en": "Keyboard"},
    "guide.all_departments": {"zh": "全部部门", "en": "All departments"},
    "guide.by_department": {"zh": "按部门", "en": "By department"},
    "guide.by_theme": {"zh": "按主题", "en": "By theme"},
    "theme.all": {"zh": "全部事项", "en": "All services"},
    "theme.personal": {"zh": "个人办事", "en": "Personal"},
    "theme.enterprise": {"zh": "企业办事", "en": "Business"},
    "guide.count": {"zh": "共 {count} 项,请点击事项名称", "en": "Services found: {count}. Touch one to open it."},
    "guide.count_more": {
        "zh": "共 {count} 项,先列出 {shown} 项;请按部门查找,或用拼音键盘输入首字母",
        "en": "Services found: {count}; the first {shown} are listed. Choose a department, or search with "
        "the keyboard.",
    },
    "guide.none_found": {
        "zh": "没有找到相关事项,请换个关键词试试,或到导办台咨询。",
        "en": "No service matches. Please try other words, or ask at the help desk.",
    },
    # --- one guide item (九公开) --------------------------------------------------------------
    "item.loading": {"zh": "正在读取事项信息,请稍候……", "en": "Loading the service, one moment please…"},
    "item.what": {"zh": "事项说明", "en": "About this service"},
    "item.department": {"zh": "办理部门:{name}", "en": "Department: {name}"},
    "item.case_type": {"zh": "办件类型与时限", "en": "Case type and time limit"},
    "item.category": {"zh": "办件类型:{category}", "en": "Case type: {category}"},
    "category.immediate": {"zh": "即办件(材料齐全当场或当日办结)",
                           "en": "Immediate (finished on the spot or the same day)"},
    "category.promised": {"zh": "承诺件(在承诺时限内办结)", "en": "Promised (finished within the promised time)"},
    "category.joint": {"zh": "联办件(多个部门联合办理)", "en": "Joint (handled by several departments together)"},
    "category.reported": {"zh": "上报件(报上级机关审批)", "en": "Reported (decided by a higher authority)"},
    "item.promised_days": {"zh": "承诺时限:{days} 个工作日", "en": "Promised time limit: {days} working days"},
    "item.same_day": {"zh": "承诺时限:当场或当日办结", "en": "Promised time limit: on the spot or the same day"},
    "item.legal_days": {"zh": "法定时限:{days} 个工作日", "en": "Legal time limit: {days} working days"},
    "item.legal_basis": {"zh": "设定依据:{basis}", "en": "Legal basis: {basis}"},
    "item.materials": {"zh": "申请材料", "en": "Documents to bring"},
    "item.main": {"zh": "主件", "en": "Main documents"},
    "item.attachment": {"zh": "附件", "en": "Supporting documents"},
    "item.copies": {"zh": "{copies} 份", "en": "copies: {copies}"},
    "item.no_materials": {"zh": "无需提交书面材料", "en": "No documents are needed"},
    "item.fees": {"zh": "收费标准及依据", "en": "Fees and their basis"},
    "item.free": {"zh": "不收费", "en": "Free of charge"},
    "item.fee": {"zh": "{name}:{amount} {unit}", "en": "{name}: {amount} {unit}"},
    "item.fee_unit": {"zh": "元/件", "en": "yuan per case"},
    "item.fee_basis": {"zh": "收费依据:{basis}", "en": "Basis: {basis}"},
    "item.procedure": {"zh": "办理流程", "en": "Procedure"},
    "item.where": {"zh": "办理地点", "en": "Where to go"},
    "item.window": {"zh": "{number}号窗口 {location}", "en": "Window {number}: {location}"},
    "item.no_window": {
        "zh": "暂无开放窗口,请到导办台咨询。",
        "en": "No window is open for it at the moment; please ask at the help desk.",
    },
    "item.take": {"zh": "为此事项取号", "en": "Take a ticket for this"},
    "item.take_special": {"zh": "优先号 / 绿色通道", "en": "Priority / green channel"},
    # --- taking a ticket ---------------------------------------------------------------------
    "confirm.title": {"zh": "请确认您要办理的业务", "en": "Please confirm your service"},
    "confirm.service": {"zh": "办理业务:{name}", "en": "Service: {name}"},
    "confirm.where": {"zh": "办理窗口:{where}", "en": "Windows: {where}"},
    "confirm.normal": {"zh": "确认取号", "en": "Confirm and print"},
    "confirm.priority": {"zh": "优先号", "en": "Priority ticket"},
    "confirm.priority_hint": {"zh": "老年人、残疾人、孕妇等", "en": "older, disabled, pregnant…"},
    "confirm.green": {"zh": "绿色通道", "en": "Green channel"},
    "confirm.green_hint": {"zh": "持中心发放的通道码", "en": "with the center's code"},
    "priority.title": {"zh": "优先服务确认", "en": "Priority service"},
    "priority.text": {
        "zh": "优先号为老年人、残疾人、孕妇等有需要的群众提供。请确认您(或您陪同的人)符合条件。",
        "en": "Priority tickets are for older people, people with disabilities, pregnant women and others "
        "in need. Please confirm that you (or the person with you) qualify.",
    },
    "priority.yes": {"zh": "符合条件,取优先号", "en": "I qualify: priority ticket"},
    "priority.no": {"zh": "取普通号", "en": "Regular ticket instead"},
    "green.title": {"zh": "绿色通道", "en": "Green channel"},
    "green.text": {
        "zh": "请将中心发放的绿色通道码对准扫描口,或在下方输入。",
        "en": "Please hold the green-channel code the center gave you to the scanner, or type it below.",
    },
    "green.placeholder": {"zh": "绿色通道码,如 G1A2B3C4", "en": "Green-channel code, e.g. G1A2B3C4"},
    "green.submit": {"zh": "确认取号", "en": "Confirm and print"},
    "green.empty": {"zh": "请先扫描或输入通道码。", "en": "Please scan or type the code first."},
    "issue.title": {"zh": "取号", "en": "Take a ticket"},
    "issue.working": {"zh": "正在为您出号,请稍候……", "en": "Issuing your ticket, one moment please…"},
    "issue.failed_title": {"zh": "暂时未能出号", "en": "No ticket this time"},
    "ticket.title": {"zh": "取号成功", "en": "Your ticket"},
    "ticket.service": {"zh": "{name}", "en": "{name}"},
    "ticket.number": {"zh": "您的号码:{number}", "en": "Your number: {number}"},
    "ticket.your_number": {"zh": "您的号码", "en": "Your number"},
    "ticket.spoken_number": {"zh": "您的号码是 {number} 号", "en": "Your number is {number}"},
    "ticket.priority": {"zh": "优先", "en": "Priority"},
    "ticket.green": {"zh": "绿色通道", "en": "Green channel"},
    "ticket.ahead": {"zh": "前面还有 {count} 人等候", "en": "{count} people ahead of you"},
    "ticket.next": {"zh": "前面暂无等候,请留意叫号", "en": "You are next; please listen for your number"},
    "ticket.wait": {"zh": "预计等候约 {minutes} 分钟", "en": "Estimated wait: about {minutes} minutes"},
    "ticket.no_window_open": {
        "zh": "办理该业务的窗口暂未开放,开放后将依次叫号",
        "en": "No window for this service is open yet; numbers are called in turn once one opens",
    },
    "ticket.where": {"zh": "请到以下窗口附近等候叫号:{where}", "en": "Please wait near: {where}"},
    "ticket.scan": {
        "zh": "用手机扫描二维码,可随时查看排队进度。",
        "en": "Scan the QR code with your phone to follow your turn.",
    },
    "ticket.code": {"zh": "核对码:{code}", "en": "Check code: {code}"},
    "ticket.printing": {"zh": "正在打印票据……", "en": "Printing your ticket…"},
    "ticket.photo": {
        "zh": "请用手机拍下本页(号码和二维码),或请导办台工作人员协助。您的号已经取好,不会丢失。",
        "en": "Please take a photo of this screen (the number and the QR code), or ask at the help desk. "
        "Your place in the queue is kept.",
    },
    "ticket.done": {"zh": "完成,返回首页", "en": "Done"},
    # --- finding a ticket (rating and status) --------------------------------------------------
    "find.rate_title": {"zh": "服务评价(服务对象评议)", "en": "Rate our service"},
    "find.status_title": {"zh": "进度查询", "en": "Check your turn"},
    "find.scan": {
        "zh": "请将票据或办件通知书上的二维码对准扫描口。",
        "en": "Please hold the QR code on your ticket or case notice to the scanner.",
    },
    "find.scan_placeholder": {"zh": "扫码后自动识别", "en": "Scanned code appears here"},
    "find.or_number": {
        "zh": "没有二维码?请输入票号和核对码:",
        "en": "No QR code? Enter the ticket number and check code:",
    },
    "find.number_placeholder": {"zh": "票号,如 A001", "en": "Ticket number, e.g. A001"},
    "find.code_placeholder": {"zh": "核对码(二维码旁)", "en": "Check code (beside the QR)"},
    "find.submit": {"zh": "查  找", "en": "Find"},
    "find.looking": {"zh": "正在查找,请稍候……", "en": "Looking it up, one moment please…"},
    "find.unreadable": {
        "zh": "没有识别到本中心票据或通知书上的二维码,请将二维码对准扫描口再试一次。",
        "en": "That is not one of our ticket or notice codes. Please hold the QR code to the scanner again.",
    },
    "find.need_number": {
        "zh": "请输入票号(如 A001)和二维码旁的核对码。",
        "en": "Please enter the ticket number (e.g. A001) and the check code beside the QR code.",
    },
    # --- rating ------------------------------------------------------------------------------
    "rate.question": {"zh": "{number}号 · {service}\n您对本次服务满意吗?", "en": "Ticket {number} · {service}\n"
                      "How was our service?"},
    "rating.good": {"zh": "好", "en": "Good"},
    "rating.fairly_good": {"zh": "较好", "en": "Fairly good"},
    "rating.average": {"zh": "一般", "en": "Average"},
    "rating.poor": {"zh": "较差", "en": "Poor"},
    "rate.reasons": {
        "zh": "请告诉我们哪里做得不好(可多选,也可不选):",
        "en": "Please tell us what was not right (choose any, or none):",
    },
    "reason.attitude": {"zh": "服务态度", "en": "Attitude"},
    "reason.slow": {"zh": "等候或办理时间长", "en": "Long wait, slow service"},
    "reason.unclear": {"zh": "解释不清楚", "en": "Unclear answers"},
    "reason.materials": {"zh": "材料要求不明确", "en": "Unclear document list"},
    "reason.environment": {"zh": "大厅环境", "en": "Hall environment"},
    "reason.other": {"zh": "其他", "en": "Other"},
    "rate.comment": {"zh": "意见或建议(选填)", "en": "Comments or suggestions (optional)"},
    "rate.submit": {"zh": "提交评价", "en": "Send my rating"},
    "rate.choose_first": {"zh": "请先点击一个评价等级。", "en": "Please touch one of the ratings first."},
    "rate.sending": {"zh": "正在提交,请稍候……", "en": "Sending, one moment please…"},
    "rate.thanks": {"zh": "感谢您的评价,谢谢您的合作,请慢走。", "en": "Thank you for your rating. Have a good day."},
    "rate.done": {"zh": "返回首页", "en": "Back to the start"},
    "rate.not_yet": {
        "zh": "这张票的业务还没有办结,办理完成后欢迎您再来评价。",
        "en": "This service is not finished yet; you are welcome to rate it once it is done.",
    },
    "rate.no_show": {
        "zh": "这张票叫号时您未到窗口(已过号),本号还没有办理业务,因此无法评价。如仍需办理,请到窗口或导办台,"
        "工作人员会为您重新安排;办理完成后欢迎您评价。",
        "en": "This ticket was called while you were away (a no-show), so no service has been given yet and "
        "there is nothing to rate. If you still need the service, please ask at the window or the help desk; "
        "staff will put you back in line, and you are welcome to rate it once it is done.",
    },
    "rate.already": {
        "zh": "这张票已经评价过了({rating}),感谢您的评价。每次办理只能评价一次。",
        "en": "This ticket has already been rated ({rating}). Thank you; each visit can be rated once.",
    },
    "rate.case_question": {"zh": "办件编号 {number} · {service}\n您对本次办件的服务满意吗?",
                           "en": "Case {number} · {service}\nHow was our service on this case?"},
    "rate.case_already": {
        "zh": "这件办件已经评价过了({rating}),感谢您的评价。每件办件只评价一次。",
        "en": "This case has already been rated ({rating}). Thank you; each case is rated once.",
    },
    "rate.case_refused_already": {
        "zh": "这件办件已经评价过了,感谢您的评价。每件办件只评价一次。",
        "en": "This case has already been rated. Thank you; each case is rated once.",
    },
    "rate.case_not_yet": {
        "zh": "这件办件还没有办结,办结后欢迎您再来评价,感谢您的耐心。",
        "en": "This case is not finished yet; you are welcome to rate it once it is. Thank you for your patience.",
    },
    # --- status ------------------------------------------------------------------------------
    "status.heading": {"zh": "{number}号 · {service}", "en": "Ticket {number} · {service}"},
    "status.state": {"zh": "状态:{state}", "en": "Status: {state}"},
    "state.waiting": {"zh": "等候中", "en": "waiting"},
    "state.called": {"zh": "已叫号", "en": "called"},
    "state.serving": {"zh": "办理中", "en": "being served"},
    "state.held": {"zh": "暂时挂起", "en": "on hold"},
    "state.no_show": {"zh": "已过号", "en": "no-show"},
    "state.finished": {"zh": "已办结", "en": "finished"},
    "state.cancelled": {"zh": "已取消", "en": "cancelled"},
    "status.called": {
        "zh": "请到 {number} 号窗口办理:{location}",
        "en": "Please go to window {number}: {location}",
    },
    "status.serving": {
        "zh": "正在 {number} 号窗口办理:{location}",
        "en": "Being served at window {number}: {location}",
    },
    "status.held": {
        "zh": "您的业务暂时挂起,请留意叫号,或到 {number} 号窗口咨询。",
        "en": "Your service is on hold. Please listen for your number, or ask at window {number}.",
    },
    "status.no_show": {
        "zh": "叫号时您不在窗口前。请到 {number} 号窗口或导办台,工作人员会为您重新安排。",
        "en": "You were called while away. Please go to window {number} or the help desk; "
        "staff will put you back in line.",
    },
    "status.cancelled": {
        "zh": "这张票已取消。如仍需办理,请重新取号,或到导办台咨询。",
        "en": "This ticket was cancelled. If you still need the service, please take a new ticket "
        "or ask at the help desk.",
    },
    "status.finished": {
        "zh": "您的业务已办理完成,谢谢您的合作。欢迎对本次服务进行评价。",
        "en": "Your service is finished. Thank you. You are welcome to rate it.",
    },
    "status.finished_rated": {
        "zh": "您的业务已办理完成,您的评价是:{rating}。感谢您的评价,请慢走。",
        "en": "Your service is finished and you rated it {rating}. Thank you, and have a good day.",
    },
    "status.rate_now": {"zh": "现在评价", "en": "Rate now"},
    # --- a case (办件), found by its notice's QR code ------------------------------------------
    "case.heading": {"zh": "办件编号 {number} · {service}", "en": "Case {number} · {service}"},
    "case.type": {"zh": "办件类型:{name}", "en": "Case type: {name}"},
    "case.item": {"zh": "办理事项:{service}({department})", "en": "Service: {service} ({department})"},
    "case.applicant": {"zh": "申请人:{name}", "en": "Applicant: {name}"},
    "case.accepted": {"zh": "受理日期:{day}", "en": "Accepted on: {day}"},
    "case.deadline": {"zh": "承诺办结日期:{day}", "en": "Promised by: {day}"},
    "case.provisional_tag": {"zh": "(暂定)", "en": " (provisional)"},
    "case.overdue_tag": {"zh": "(逾期)", "en": " (overdue)"},
    "case.limit_later": {"zh": "办理时限:自材料全部补齐之日起计算", "en": "Time limit: counted from the day all the "
                         "materials are complete"},
    "case.finished_on": {"zh": "办结日期:{day}", "en": "Finished on: {day}"},
    "case.returned_on": {"zh": "退回日期:{day}", "en": "Returned on: {day}"},
    "case.provisional": {
        "zh": "暂定:这段时间里有年份的节假日安排尚未公布,暂按周一至周五工作日计算;安排公布后,日期如有调整,"
        "以调整后的为准。",
        "en": "Provisional: the holiday schedule of part of this period has not been published yet, so it is "
        "counted Monday to Friday; if the schedule moves the date, the new date applies.",
    },
    "case.overdue_open": {
        "zh": "本件已超过承诺办结日期(逾期),给您带来不便,深表歉意。如有疑问,您可向服务中心督查科反映。",
        "en": "This case is past its promised date (overdue). We apologise for the inconvenience; if you have "
        "questions, you may contact the center's supervision section (督查科).",
    },
    "case.overdue_done": {
        "zh": "本件晚于承诺办结日期办结(逾期),给您带来不便,深表歉意。如有意见,您可向服务中心督查科反映。",
        "en": "This case was finished after its promised date (overdue). We apologise; if you have comments, "
        "you may contact the center's supervision section (督查科).",
    },
    "case.missing": {"zh": "请补齐以下材料(一次性告知):", "en": "Please bring these materials (all listed at once):"},
    "case.missing_note": {
        "zh": "办理时限自材料全部补齐之日起计算。请将材料送到受理窗口,谢谢您的合作。",
        "en": "The time limit starts on the day all the materials are complete. Please bring them to the window "
        "that received your case. Thank you.",
    },
    "case.reason": {"zh": "退回理由:{reason}", "en": "Reason for return: {reason}"},
    "case.review": {
        "zh": "如对退回有异议,您可持退回件通知书向服务中心业务科申请复核。",
        "en": "If you disagree, you may ask the center's business section (业务科) for a review (复核), "
        "bringing the return notice.",
    },
    "case.steps": {"zh": "办理进程:", "en": "Progress:"},
    "case.rated": {"zh": "您的评价:{rating}。感谢您的评价,谢谢您的合作。", "en": "Your rating: {rating}. Thank you."},
    "case.rate_invite": {
        "zh": "欢迎您对本次办件的服务进行评价(每件办件评价一次)。",
        "en": "You are welcome to rate our service on this case (one rating per case).",
    },
    "status.refresh": {"zh": "刷新", "en": "Refresh"},
    # --- on-screen keypad ----------------------------------------------------------------------
    "keypad.delete": {"zh": "删除", "en": "Delete"},
    "keypad.clear": {"zh": "清空", "en": "Clear"},
}

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


text = partial(catalog_text, MESSAGES)


def localized(record: Mapping[str, Any], field: str, lang: str) -> str:
    """A record's field in the reader's language: ``field_en`` in English when it is filled."""
    if lang == "en" and record.get(f"{field}_en"):
        return str(record[f"{field}_en"])
    return str(record.get(field) or "")


def wait_minutes(seconds: int) -> int:
    """Whole minutes, rounded up: "about 1 minute" is kinder than "about 0"."""
    return max(1, math.ceil(seconds / 60))


def wait_line(ticket: Mapping[str, Any], lang: str) -> str | None:
    """The expected wait of a waiting ticket; that no serving window is open yet, rather than "no wait"."""
    seconds = ticket.get("estimated_wait_seconds")
    if seconds is None:
        return text("ticket.no_window_open", lang)
    return text("ticket.wait", lang, minutes=wait_minutes(int(seconds))) if int(seconds) > 0 else None


def date_line(moment: datetime, lang: str) -> str:
    """The hall's date and time as people read it on a wall clock."""
    weekday = text("weekday", lang).split(",")[moment.weekday()]
    return text("date", lang, year=moment.year, month=moment.month, day=moment.day, weekday=weekday,
                month_name=MONTHS_EN[moment.month - 1], time=f"{moment:%H:%M}")


def day_line(day: date, lang: str) -> str:
    """A calendar date with its weekday: 2026年11月30日(星期一) / Mon 30 Nov 2026."""
    weekday = text("weekday", lang).split(",")[day.weekday()]
    return text("day", lang, year=day.year, month=day.month, day=day.day, weekday=weekday,
                month_name=MONTHS_EN[day.month - 1])


def moment_line(moment: datetime, lang: str) -> str:
    """A moment on the hall's clock (``moment`` already in the hall's zone): 2026年11月25日 10:00."""
    return text("moment", lang, year=moment.year, month=moment.month, day=moment.day,
                month_name=MONTHS_EN[moment.month - 1], time=f"{moment:%H:%M}")


def windows_line(windows: list[Mapping[str, Any]], lang: str) -> str:
    """Where to go, as "1号窗口 一楼A区1号窗口; 2号窗口 …" (location in the reader's language)."""
    parts = [text("item.window", lang, number=w["number"], location=localized(w, "location", lang)).strip()
             for w in windows]
    return ";".join(parts) if lang == "zh" else "; ".join(parts)
