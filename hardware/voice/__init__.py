"""Voice announcements: a chime, then "请A001号到3号窗口办理" in Mandarin from espeak-ng, offline.

``Announcer`` queues calls so that one never overlaps or cuts off another, writes each as a WAV
file (so it works on a headless PC) and plays it where a sound card exists. ``Guide`` reads the
touch kiosk's screens aloud (语音引导), the newest sentence first. Both use ``speech`` (espeak-ng).
"""
