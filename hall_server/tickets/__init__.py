"""Tickets from issue to finish: numbering, the call, the window's actions, status lookup."""
