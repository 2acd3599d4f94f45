"""Text messages (短信告知) to applicants: a case needs materials, is finished, or is returned.

The cases code queues a text in its own transaction (``outbox.queue_text``), so a text exists
exactly when the change that caused it was committed; a loop of the server (``loop.py``) sends
the queued texts through the hall's gateway (``senders.py``), outside any write transaction.
"""
