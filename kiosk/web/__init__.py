"""The kiosk in a browser: textual-serve with the hall's own page (``serve.py``, ``templates/``)."""
