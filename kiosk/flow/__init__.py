"""The kiosk's flow: what each screen shows and where each touch leads, computed once in Python.

``Visit`` holds one applicant's visit (the screens they opened, language, 大字, 语音引导) and
answers touches with new screens and with effects (ask the server, print, speak) that the
kiosk's core runs (``kiosk/core.py``). The web page (``kiosk/web``) and the terminal kiosk
(``kiosk/app.py``) only draw its ``ScreenView`` and hand it the touches.
"""
