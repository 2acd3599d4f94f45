"""Texts the window devices show and the device simulator prints, Simplified Chinese first.

The device texts (LED line, rating pad screen) are what applicants read; the simulator texts are
what the demo's operator reads.
"""

from __future__ import annotations

from functools import partial

from hall_queue.text import catalog_text

MESSAGES: dict[str, dict[str, str]] = {
    # On the devices
    "led_call": {"zh": "请{number}号到{window}号窗口", "en": "No. {number} to window {window}"},
    "led_serving": {"zh": "{window}号窗口 正在办理{number}号", "en": "Window {window} now serving {number}"},
    "led_paused": {
        "zh": "{window}号窗口暂停服务,请到其他窗口办理",
        "en": "Window {window} is paused, please use another window",
    },
    "led_idle": {"zh": "{window}号窗口 欢迎您", "en": "Window {window} welcomes you"},
    "rating_prompt": {"zh": "请您对本次服务进行评价", "en": "Please rate this service"},
    "rating_thanks": {"zh": "谢谢您的评价", "en": "Thank you for your rating"},
    # The simulator's console
    "sim_ready": {"zh": "模拟设备已就绪,连接地址: {url}", "en": "Simulated devices ready at {url}"},
    "sim_windows": {"zh": "窗口地址: {addrs}", "en": "Window addresses: {addrs}"},
    "sim_led_text": {"zh": "[LED屏 {addr:>3}] {value}", "en": "[LED {addr:>3}] {value}"},
    "sim_keypad_display_number": {
        "zh": "[叫号器 {addr:>3}] 显示号码 {value}",
        "en": "[keypad {addr:>3}] number {value}",
    },
    "sim_keypad_display_waiting": {
        "zh": "[叫号器 {addr:>3}] 等候人数 {value}",
        "en": "[keypad {addr:>3}] waiting {value}",
    },
    "sim_keypad_display_text": {
        "zh": "[叫号器 {addr:>3}] 显示 {value}",
        "en": "[keypad {addr:>3}] shows {value}",
    },
    "sim_keypad_beep": {
        "zh": "[叫号器 {addr:>3}] 蜂鸣 {value} 次",
        "en": "[keypad {addr:>3}] beeps {value}×",
    },
    "sim_rating_pad_prompt": {
        "zh": "[评价器 {addr:>3}] 请您评价 {value}",
        "en": "[rating pad {addr:>3}] please rate {value}",
    },
    "sim_rating_pad_thanks": {
        "zh": "[评价器 {addr:>3}] 谢谢您的评价 {value}",
        "en": "[rating pad {addr:>3}] thank you {value}",
    },
    "sim_rating_pad_idle": {"zh": "[评价器 {addr:>3}] 待机", "en": "[rating pad {addr:>3}] idle"},
    "sim_card_reader_accepted": {
        "zh": "[刷卡器 {addr:>3}] 绿灯: 已登记",
        "en": "[card reader {addr:>3}] green: signed",
    },
    "sim_card_reader_refused": {
        "zh": "[刷卡器 {addr:>3}] 红灯: 未登记,请联系管理员登记此卡",
        "en": "[card reader {addr:>3}] red: card not registered, please ask the administrator to register it",
    },
    "sim_sent": {"zh": "已发送: {what}", "en": "sent: {what}"},
    "sim_help": {
        "zh": "命令: press 地址 按键 [参数] | rate 地址 评价 | swipe [地址] 卡号 | scan 内容 | show [地址] | "
        "sleep 秒 | help | quit\n按键: {keys}\n评价: {ratings}",
        "en": "commands: press ADDR KEY [ARG] | rate ADDR RATING | swipe [ADDR] CARD | scan TEXT | "
        "show [ADDR] | sleep SECONDS | help | quit\nkeys: {keys}\nratings: {ratings}",
    },
    "sim_bad_command": {
        "zh": "没有识别这条命令: {line}。输入 help 查看可用的命令。",
        "en": "Unrecognised command: {line}. Type help to see the commands.",
    },
    "sim_no_device": {
        "zh": "地址 {addr} 上没有这种设备,请检查地址后再试。",
        "en": "There is no such device at address {addr}. Please check the address.",
    },
    "sim_not_prompted": {
        "zh": "评价器 {addr} 现在没有请您评价(或没有这个按键),请先在叫号器上按办结或请评价。",
        "en": "Rating pad {addr} is not asking for a rating (or has no such key); "
        "press finish or rate on the keypad first.",
    },
    "sim_bad_value": {
        "zh": "参数有误: {error}。请检查后再试。",
        "en": "Invalid value: {error}. Please check it.",
    },
    "sim_state": {
        "zh": "{addr:>3}: LED屏 {led} | 叫号器 {keypad} | 评价器 {pad} | 刷卡器 {card}",
        "en": "{addr:>3}: LED {led} | keypad {keypad} | rating pad {pad} | card reader {card}",
    },
}


message = partial(catalog_text, MESSAGES)
