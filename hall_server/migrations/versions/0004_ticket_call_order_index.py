"""ticket call order index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:05:00

Call next reads the oldest few waiting tickets of each class; this index walks them in arrival
order instead of sorting everyone waiting (hundreds in a morning rush).
"""

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_call_order',
                              ['hall_id', 'business_date', 'status', 'priority', 'arrived_at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_call_order')
