"""The event outbox and its delivery to subscribers (boards, callers, the device bus)."""
