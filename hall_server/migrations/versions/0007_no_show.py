"""tickets called and never come are no-shows: 'skipped' becomes 'no_show'

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 15:00:00

过号 (the applicant did not come when called) is now the status ``no_show``, also where call-next
ends a ticket that was called and never started. Tickets already marked 过号 keep their meaning
under the new name, so a no-show of any day is counted the same way. A data change only: the
status column (String(10)) already holds ``no_show``.
"""

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE tickets SET status = 'no_show' WHERE status = 'skipped'")


def downgrade() -> None:
    op.execute("UPDATE tickets SET status = 'skipped' WHERE status = 'no_show'")
