"""Every message the server says to people, Simplified Chinese first, English beside it.

An error tells the reader what to do next. The RULES §10 phrases a hall never says appear
nowhere here (a test checks the whole catalog).
"""

from __future__ import annotations

from functools import partial

from hall_queue.text import catalog_text
from hall_server.cases.messages import CASE_MESSAGES

MESSAGES: dict[str, dict[str, str]] = {
    # Tickets and the hall
    "service_not_found": {
        "zh": "没有找到这项业务,请在屏幕上重新选择,或咨询导办台工作人员。",
        "en": "We could not find that service. Please choose it again on the screen or ask at the help desk.",
    },
    "window_not_found": {
        "zh": "没有找到这个窗口,请核对窗口号后再试。",
        "en": "We could not find that window. Please check the window number and try again.",
    },
    "ticket_not_found": {
        "zh": "没有找到这张票,请核对号码或扫描票上的二维码后再试。",
        "en": "We could not find that ticket. Please check the number or scan the QR code on it.",
    },
    "hall_not_found": {
        "zh": "没有找到这个服务中心,请核对后再试。",
        "en": "We could not find that service center. Please check and try again.",
    },
    "hall_closed": {
        "zh": "现在不是取号时间。本中心工作日取号时间为{hours},请于{next_open}再来取号,谢谢您的合作。",
        "en": "Tickets are not issued at this time. Opening hours are {hours} on working days; please come back "
              "on {next_open_en}.",
    },
    "daily_cap_reached": {
        "zh": "今天这项业务的号已经取完了,请于{next_open}再来取号,或咨询导办台预约。谢谢您的合作。",
        "en": "Today's tickets for this service have all been taken. Please come back on {next_open_en}, "
              "or ask at the help desk about an appointment.",
    },
    "no_hall_yet": {
        "zh": "这台服务器上还没有服务中心:请先在“目录导入导出”页面导入业务目录(格式见 docs/CATALOG.md)。",
        "en": "There is no hall on this server yet: please import the catalog first, on the catalog import page "
              "(the format is in docs/CATALOG.md).",
    },
    "service_not_served": {
        "zh": "这项业务暂时没有开放的窗口,请咨询导办台工作人员。",
        "en": "No window serves this service at the moment. Please ask at the help desk.",
    },
    "green_code_required": {
        "zh": "绿色通道需要中心发放的通道码,请扫描或输入通道码;如没有,请到导办台咨询。",
        "en": "The green channel needs the code the center gave you. Please scan or type it, or ask at the help desk.",
    },
    "urgent_not_allowed": {
        "zh": "急办件由中心认定,请到导办台办理。",
        "en": "Urgent cases are designated by the center. Please go to the help desk.",
    },
    # At the window
    "window_not_signed_in": {
        "zh": "请先登录本窗口,再进行叫号。",
        "en": "Please sign in to this window before calling.",
    },
    "not_your_window": {
        "zh": "您只能操作自己登录的窗口,请登录本窗口后再操作。",
        "en": "You can only act on the window you signed in to. Please sign in to this window first.",
    },
    "window_occupied": {
        "zh": "{window}号窗口已由{name}签到使用。请先由其签退,或请督查科为其签退后再签到。",
        "en": "Window {window} is in use by {name}. Ask them to sign out (or the supervision section "
              "to sign them out), then sign in.",
    },
    "window_paused": {
        "zh": "本窗口暂停服务中,请先恢复服务再叫号。",
        "en": "This window is paused. Please resume service before calling.",
    },
    "window_other_hall": {
        "zh": "这个窗口不属于您所在的服务中心。",
        "en": "This window belongs to another service center.",
    },
    "no_current_ticket": {
        "zh": "本窗口当前没有正在办理的号,请先叫号。",
        "en": "This window has no current ticket. Please call the next one first.",
    },
    "ticket_not_at_window": {
        "zh": "这张票不在本窗口,请刷新后再操作。",
        "en": "This ticket is not at this window. Please refresh and try again.",
    },
    "illegal_transition": {
        "zh": "这张票当前为“{state}”状态,不能{action}。请刷新后按屏幕提示操作。",
        "en": "This ticket is {state_en}, so '{action_en}' is not possible now. Please refresh and follow the screen.",
    },
    "recall_limit": {
        "zh": "已重呼{limit}次,请选择过号或挂起。",
        "en": "Already recalled {limit} times. Please mark it as no-show or hold it.",
    },
    "transfer_target_required": {
        "zh": "请选择要转到的业务或窗口。",
        "en": "Please choose the service or window to transfer to.",
    },
    "transfer_target_mismatch": {
        "zh": "目标窗口不办理这项业务,请另选窗口或业务。",
        "en": "That window does not serve this service. Please choose another window or service.",
    },
    "window_busy": {
        "zh": "本窗口正在办理{number}号,请先办结、过号或挂起。",
        "en": "This window is serving {number}. Please finish, skip or hold it first.",
    },
    # Ratings
    "rating_not_finished": {
        "zh": "办理完成后才能评价,请在办结后再评价,谢谢您的合作。",
        "en": "You can rate once the service has finished. Thank you for your patience.",
    },
    "rating_already": {
        "zh": "这张票已经评价过了,感谢您的评价。每次办理只能评价一次。",
        "en": "This ticket has already been rated. Thank you; each visit can be rated once.",
    },
    "rating_thanks": {
        "zh": "感谢您的评价,谢谢您的合作,请慢走。",
        "en": "Thank you for your rating. Have a good day.",
    },
    "rating_no_show": {
        "zh": "{number}号叫号时未到窗口(已过号),本号没有办理业务,因此无法评价。如仍需办理,请到窗口或导办台,"
              "工作人员会为您重新安排。",
        "en": "Ticket {number} was called but did not come to the window (a no-show), so there is no service "
              "to rate. If you still need the service, please ask at the window or the help desk; staff will "
              "put you back in line.",
    },
    "nothing_to_rate": {
        "zh": "本窗口暂时没有可评价的办理,请在办结后评价。",
        "en": "There is no finished service at this window to rate yet.",
    },
    # Security and input
    "unauthenticated": {
        "zh": "请先登录(或使用设备令牌)后再操作。",
        "en": "Please sign in (or use a device token) first.",
    },
    "forbidden": {
        "zh": "您的账号没有这项操作的权限,如需办理请联系管理员。",
        "en": "Your account may not do this. Please contact the administrator if you need it.",
    },
    "password_too_short": {
        "zh": "密码太短:请至少使用{min}个字符,可以是一句好记的话。",
        "en": "That password is too short: please use at least {min} characters; a memorable phrase works well.",
    },
    "password_guessable": {
        "zh": "这个密码太容易被猜到:请不要只用数字、常见密码或用户名,十六位以下的密码请同时包含字母和数字或符号。",
        "en": "That password is too easy to guess: avoid digits only, common passwords and the user name; "
              "under sixteen characters, mix letters with digits or signs.",
    },
    "user_not_found": {
        "zh": "没有找到这个账号,请返回账号列表重新选择。",
        "en": "We could not find that account. Please go back to the list of accounts and choose again.",
    },
    "device_not_found": {
        "zh": "没有找到这个设备令牌,请返回设备列表重新选择。",
        "en": "We could not find that device token. Please go back to the list of devices and choose again.",
    },
    "text_message_not_found": {
        "zh": "没有找到这条短信,请返回短信告知记录重新选择。",
        "en": "We could not find that text message. Please go back to the list of text messages and choose again.",
    },
    "window_not_bound": {
        "zh": "您的账号没有绑定这个窗口,请登录您负责的窗口,或请管理员调整绑定。",
        "en": "Your account is not assigned to this window. Please sign in to your own window, or ask the admin "
              "to change the assignment.",
    },
    "form_expired": {
        "zh": "这个页面已过期,请刷新页面后重新提交。",
        "en": "This page has expired. Please reload it and submit again.",
    },
    "login_failed": {
        "zh": "用户名或密码不正确,请核对后重新输入。",
        "en": "The username or password is not correct. Please check and try again.",
    },
    "card_unknown": {
        "zh": "这张卡尚未登记,请使用密码登录或联系管理员登记工作卡。",
        "en": "This card is not registered. Please sign in with your password or ask the administrator.",
    },
    "account_locked": {
        "zh": "这个账号连续多次密码错误,已暂时锁定。请15分钟后再试,或请管理员重置密码。",
        "en": "This account has had too many wrong passwords and is locked for a while. Please try again in "
              "15 minutes, or ask an administrator to reset the password.",
    },
    "rate_limited": {
        "zh": "请求太频繁了,请稍等片刻再试。",
        "en": "Too many requests. Please wait a moment and try again.",
    },
    "connections_full": {
        "zh": "同时打开的大屏连接太多了,请关闭不用的页面,稍后再试。",
        "en": "Too many live screens are connected at once. Please close pages not in use and try again shortly.",
    },
    "body_too_large": {
        "zh": "提交的内容太大了(最多{limit}),请精简后再提交;如确需提交,请联系管理员。",
        "en": "The request is too large (at most {limit}). Please send less, or ask the administrator.",
    },
    "invalid_request": {
        "zh": "提交的内容有误:{detail}。请核对后重新提交。",
        "en": "Something in the request is not right: {detail}. Please check and send it again.",
    },
    "idempotency_conflict": {
        "zh": "这个请求编号已用于另一项业务,请重新取号。",
        "en": "This request key was already used for another service. Please take the ticket again.",
    },
    "catalog_invalid": {
        "zh": "业务目录有{count}处需要修改,尚未导入:{detail}。请修改后重新导入。",
        "en": "The catalog was not imported: {count} thing(s) to correct: {detail_en}. Please correct them and "
              "import it again.",
    },
    "hours_invalid": {
        "zh": "开放时间有误:{problem}。请修改后重新保存。",
        "en": "The opening hours are not right: {problem_en}. Please correct them and save again.",
    },
    "catalog_media_type": {
        "zh": "业务目录请以 YAML 文本(Content-Type: application/yaml)或 JSON {{\"yaml\": …}} 提交,收到的是“{media}”。",
        "en": "Please send the catalog as YAML (Content-Type: application/yaml) or as JSON {{\"yaml\": …}}, "
              "not '{media}'.",
    },
    "window_retired": {
        "zh": "{window}号窗口已停用,请登录您所在的窗口;如需重新启用,请联系业务科。",
        "en": "Window {window} has been retired. Please sign in to your own window, or ask the business section "
              "to bring it back.",
    },
    "service_still_waiting": {
        "zh": "事项“{name}”今天还有{waiting}人在等候,请在他们办理完后(或下班后)再停用。",
        "en": "{waiting} people are still waiting today for '{name_en}'. Please retire it once they have been "
              "served (or after closing time).",
    },
    "window_staffed": {
        "zh": "{window}号窗口的工作人员{name}仍在岗,请其签退(或请督查科为其签退)后再停用这个窗口。",
        "en": "Window {window} is still signed in by {name}. Please ask them to sign out (or the supervision "
              "section to sign them out), then retire the window.",
    },
    "internal_error": {
        "zh": "系统暂时有点忙,请稍等后再试,或请工作人员协助。",
        "en": "The system is busy for a moment. Please try again shortly or ask a member of staff.",
    },
}

STATUS_NAMES: dict[str, tuple[str, str]] = {
    "waiting": ("等候中", "waiting"),
    "called": ("已叫号", "called"),
    "serving": ("办理中", "being served"),
    "held": ("挂起", "on hold"),
    "no_show": ("已过号", "no-show"),
    "finished": ("已办结", "finished"),
    "cancelled": ("已取消", "cancelled"),
}

ACTION_NAMES: dict[str, tuple[str, str]] = {
    "call": ("叫号", "call"),
    "recall": ("重呼", "recall"),
    "start": ("开始办理", "start"),
    "finish": ("办结", "finish"),
    "skip": ("过号", "mark as no-show"),
    "hold": ("挂起", "hold"),
    "call_back": ("回呼", "call back"),
    "requeue": ("重新排队", "requeue"),
    "transfer": ("转移", "transfer"),
    "cancel": ("取消", "cancel"),
}


# What is wrong with a catalog, one entry per kind of mistake (hall_server/catalog/problems.py);
# each is shown after its line and field: "第12行 halls[0].services[0].category: 必填".
CATALOG_PROBLEMS: dict[str, dict[str, str]] = {
    "missing": {"zh": "必填", "en": "required"},
    "extra_forbidden": {
        "zh": "没有“{field}”这个字段,请核对拼写(可用的字段见 docs/CATALOG.md)",
        "en": "there is no field '{field}'; please check the spelling (the fields are in docs/CATALOG.md)",
    },
    "text": {"zh": "应为文字", "en": "must be text"},
    "whole_number": {"zh": "应为整数", "en": "must be a whole number"},
    "number": {"zh": "应为数字", "en": "must be a number"},
    "at_least": {"zh": "不能小于{limit}", "en": "must be at least {limit}"},
    "empty": {"zh": "不能为空", "en": "must not be empty"},
    "too_long": {"zh": "最多{limit}个字符", "en": "at most {limit} characters"},
    "one_of": {"zh": "应为以下之一:{choices}", "en": "must be one of: {choices}"},
    "list": {"zh": "应为列表(每项一行,以“- ”开头)", "en": "must be a list (one item per line, starting with '- ')"},
    "mapping": {"zh": "应为“字段: 值”的形式", "en": "must be fields and values ('field: value')"},
    "yes_no": {"zh": "应为 true 或 false", "en": "must be true or false"},
    "series": {"zh": "应为一个大写字母(A-Z),即票号的字头", "en": "must be one capital letter (A-Z): the ticket prefix"},
    "key": {"zh": "只能用小写字母、数字、“-”和“_”", "en": "may use only lowercase letters, digits, '-' and '_'"},
    "kind": {"zh": "应为 main(主件)或 attachment(附件)", "en": "must be main or attachment"},
    "time": {"zh": "应为时间,如“09:00”(00:00至23:59)", "en": "must be a time such as '09:00' (00:00 to 23:59)"},
    "span": {
        "zh": "应为时间段,如“12:00-13:00”;没有午休请写 null",
        "en": "must be a span such as '12:00-13:00', or null",
    },
    "other": {"zh": "取值不符合要求({detail})", "en": "not valid ({detail})"},
    "encoding": {
        "zh": "文件不是 UTF-8 编码,请用 UTF-8 另存后再导入",
        "en": "the file is not UTF-8; please save it as UTF-8 and import it again",
    },
    "empty_file": {
        "zh": "目录是空的,请至少写出 halls 和一个服务中心",
        "en": "the catalog is empty: write halls: and at least one hall",
    },
    "yaml": {
        "zh": "YAML 格式有误({detail}),请检查这一行及上一行的缩进、冒号和引号",
        "en": "YAML syntax: {detail}; please check the indentation, colons and quotes of this line and the one before",
    },
    "aliases": {
        "zh": "目录中不能使用锚点和别名(&名称、*名称),请把每个值完整写出",
        "en": "anchors and aliases (&name, *name) are not allowed in a catalog; write each value out in full",
    },
    "key_twice": {
        "zh": "“{field}”写了两次(另见第{first}行)",
        "en": "'{field}' is written twice (also on line {first})",
    },
    "used_twice": {"zh": "“{value}”重复,已在第{first}行使用", "en": "'{value}' is used twice (first on line {first})"},
    "unknown_department": {
        "zh": "没有代码为“{code}”的部门,请先在 departments 中列出",
        "en": "there is no department with code '{code}'; list it under departments first",
    },
    "unknown_service": {
        "zh": "没有代码为“{code}”的事项,请先在 services 中列出",
        "en": "there is no service with code '{code}'; list it under services first",
    },
    "open_after_close": {
        "zh": "开门时间应早于关门时间(全天开放请把 open 和 close 都写成“00:00”,不设午休)",
        "en": "opening must come before closing (open around the clock: open and close both '00:00', no lunch)",
    },
    "lunch_outside": {"zh": "午休应在开放时间之内", "en": "the lunch break must lie within the opening hours"},
    "timezone": {
        "zh": "没有“{value}”这个时区,请写如 Asia/Shanghai",
        "en": "'{value}' is not a time zone; write e.g. Asia/Shanghai",
    },
}

MESSAGES.update(CASE_MESSAGES)

text = partial(catalog_text, MESSAGES)
