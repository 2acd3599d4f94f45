"""办件: the cases a window registers for its applicants, their deadlines on the hall's working-day
calendar, their notices, and their status and rating by QR (RULES.md §2, §12)."""
