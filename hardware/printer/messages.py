"""Every word the ticket printer puts on paper or on a screen, Simplified Chinese first.

Health messages speak to the applicant standing at the kiosk: they say what happened in plain
words and what to do next, never who is to blame.
"""

from __future__ import annotations

from functools import partial

from hall_queue.text import catalog_text

MESSAGES: dict[str, dict[str, str]] = {
    # Printer health, shown by the kiosk and reported to the server.
    "health.ok": {
        "zh": "请取走您的票据。",
        "en": "Please take your ticket.",
    },
    "health.offline": {
        "zh": "票据打印机暂时无法工作，工作人员会尽快处理。请记下屏幕上的号码，或扫描屏幕上的二维码查看进度。",
        "en": "The ticket printer is not available at the moment; staff will look after it shortly. "
        "Please note the number on the screen or scan the on-screen QR code to follow your turn.",
    },
    "health.paper_out": {
        "zh": "打印机缺纸，工作人员会尽快补充。请记下屏幕上的号码，或扫描屏幕上的二维码查看进度。",
        "en": "The printer has run out of paper; staff will refill it shortly. "
        "Please note the number on the screen or scan the on-screen QR code to follow your turn.",
    },
    "health.cover_open": {
        "zh": "打印机盖未合上，工作人员会尽快处理。请记下屏幕上的号码，或扫描屏幕上的二维码查看进度。",
        "en": "The printer cover is open; staff will close it shortly. "
        "Please note the number on the screen or scan the on-screen QR code to follow your turn.",
    },
    "health.unplugged": {
        "zh": "票据打印机未连接，工作人员会尽快处理。请记下屏幕上的号码，或扫描屏幕上的二维码查看进度。",
        "en": "The ticket printer is not connected; staff will reconnect it shortly. "
        "Please note the number on the screen or scan the on-screen QR code to follow your turn.",
    },
    "health.error": {
        "zh": "打印机出现故障，工作人员会尽快处理。请记下屏幕上的号码，或扫描屏幕上的二维码查看进度。",
        "en": "The printer has a fault; staff will attend to it shortly. "
        "Please note the number on the screen or scan the on-screen QR code to follow your turn.",
    },
    # Lines of the printed ticket.
    "ticket.your_number": {"zh": "您的号码", "en": "Your number"},
    "ticket.waiting_ahead": {"zh": "前面还有 {count} 人等候", "en": "{count} ahead of you"},
    "ticket.nobody_ahead": {"zh": "前面暂无等候，请留意叫号", "en": "You are next, please listen for your number"},
    "ticket.estimated_wait": {"zh": "预计等候约 {minutes} 分钟", "en": "Estimated wait: about {minutes} min"},
    "ticket.no_window_open": {"zh": "窗口暂未开放，开放后依次叫号", "en": "No window open yet; called in turn"},
    "ticket.where": {"zh": "办理地点：{where}", "en": "Please wait at: {where}"},
    "ticket.issued_at": {"zh": "取号时间：{time}", "en": "Issued: {time}"},
    "ticket.scan_for_status": {"zh": "扫码查看排队进度", "en": "Scan to follow your place in the queue"},
    "ticket.check_code": {"zh": "核对码 {code}", "en": "Check code {code}"},
    "ticket.keep_ticket": {
        "zh": "请保管好您的票据，留意叫号与屏幕提示",
        "en": "Please keep this ticket and watch for your number on the screens",
    },
    # The simulated printer's console (hall devices simulate printer).
    "sim.description": {
        "zh": "模拟票据打印机：记录收到的 ESC/POS 票据，并按设定的故障状态应答 DLE EOT 状态查询",
        "en": "Simulated ticket printer: records ESC/POS jobs and answers DLE EOT status queries "
        "from a scriptable fault state",
    },
    "sim.save_help": {"zh": "把每张票据保存为 PNG 的目录", "en": "folder where each job is saved as PNG"},
    "sim.profile_help": {"zh": "解码文字所用的打印机型号配置", "en": "printer profile used to decode text"},
    "sim.silent_help": {"zh": "不应答状态查询（模拟无响应的打印机）",
                        "en": "do not answer status queries (a printer that stays silent)"},
    "sim.lang_help": {"zh": "控制台语言（zh 或 en）", "en": "console language (zh or en)"},
    "sim.listening": {
        "zh": "模拟打印机已在 {host}:{port} 就绪。"
        "输入 ok、paper_out、cover_open、offline、error、unplug 或 plug 切换状态，quit 退出。",
        "en": "Simulated printer ready on {host}:{port}. Type ok, paper_out, cover_open, offline, error, "
        "unplug or plug to change its state, quit to stop.",
    },
    "sim.job": {"zh": "收到第 {n} 张票据（{size} 字节），预览：{path}",
                "en": "Job {n} received ({size} bytes), preview: {path}"},
    "sim.state": {"zh": "打印机状态：{health}", "en": "Printer state: {health}"},
    "sim.unknown_command": {
        "zh": "未识别的指令“{word}”，"
        "请输入 ok、paper_out、cover_open、offline、error、unplug、plug 或 quit。",
        "en": "Unrecognised command \"{word}\"; please type ok, paper_out, cover_open, offline, error, "
        "unplug, plug or quit.",
    },
}


message = partial(catalog_text, MESSAGES)
