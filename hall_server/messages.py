"""Every message the server says to people, Simplified Chinese first, English beside it.

An error tells the reader what to do next. The RULES §10 phrases a hall never says appear
nowhere here (a test checks the whole catalog).
"""

from __future__ import annotations

from functools import partial

from hall_queue.text import catalog_text

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
        "zh": "业务目录有误:{detail}。请修改后重新导入。",
        "en": "The catalog has an error: {detail}. Please correct it and import it again.",
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
    "skipped": ("过号", "missed"),
    "finished": ("已办结", "finished"),
    "cancelled": ("已取消", "cancelled"),
}

ACTION_NAMES: dict[str, tuple[str, str]] = {
    "call": ("叫号", "call"),
    "recall": ("重呼", "recall"),
    "start": ("开始办理", "start"),
    "finish": ("办结", "finish"),
    "skip": ("过号", "skip"),
    "hold": ("挂起", "hold"),
    "call_back": ("回呼", "call back"),
    "requeue": ("重新排队", "requeue"),
    "transfer": ("转移", "transfer"),
    "cancel": ("取消", "cancel"),
}


text = partial(catalog_text, MESSAGES)
