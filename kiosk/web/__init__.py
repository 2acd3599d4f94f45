"""The kiosk as a full-screen touch page: served by ``hall kiosk --web`` (``server.py``), drawn from the
flow's screens (``render.py``, ``templates/``, ``static/``)."""
