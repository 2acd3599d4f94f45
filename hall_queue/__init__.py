"""The queue domain core: pure Python, no I/O.

Ticket numbering, the ticket state machine, the call policy, opening hours and the wait
estimate. The hall server persists what these functions decide; tests drive them directly.
Named ``hall_queue`` because a top-level ``queue`` would shadow the standard library.
"""
