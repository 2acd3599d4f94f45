"""Serial devices of the window and the kiosk: caller keypad, rating pad, LED window screen, card reader
and QR scanner.

Each protocol is a pure bytes-to-messages parser (so it can be proven with any split of the byte
stream) kept apart from the port (``transport``), which pyserial opens from a URL so tests and the
simulators use ``loop://``, ``socket://`` or a pty. The wire format is written down in
docs/DEVICES.md for hardware vendors.
"""
