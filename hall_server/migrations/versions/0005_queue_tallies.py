"""queue tallies, and indexes whose cost does not grow with the queue

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 12:00:00

Issuing, calling and the wait estimate read counts kept in ``queue_tallies`` (waiting tickets,
finished tickets and their service time, per hall, day, service and class), updated in the same
transaction as the tickets, instead of counting today's waiting tickets on every request.
``ix_ticket_waiting`` finds the oldest waiting ticket of one service and class in one index
step; ``ix_events_hall_order`` gives a hall's events in id order.
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'queue_tallies',
        sa.Column('hall_id', sa.Integer(), nullable=False),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('priority', sa.String(length=10), nullable=False),
        sa.Column('waiting', sa.Integer(), nullable=False),
        sa.Column('finished', sa.Integer(), nullable=False),
        sa.Column('service_seconds', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['hall_id'], ['halls.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('hall_id', 'business_date', 'service_id', 'priority'),
    )
    seconds = ("extract(epoch from finished_at - called_at)" if op.get_bind().dialect.name == "postgresql"
               else "(julianday(finished_at) - julianday(called_at)) * 86400.0")
    op.execute(f"""
        INSERT INTO queue_tallies (hall_id, business_date, service_id, priority, waiting, finished, service_seconds)
        SELECT hall_id, business_date, service_id, priority,
               sum(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END),
               sum(CASE WHEN status = 'finished' AND called_at IS NOT NULL THEN 1 ELSE 0 END),
               coalesce(sum(CASE WHEN status = 'finished' AND called_at IS NOT NULL THEN {seconds} END), 0)
        FROM tickets GROUP BY hall_id, business_date, service_id, priority
    """)
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_call_order')
        batch_op.drop_index('ix_ticket_queue')
        batch_op.create_index('ix_ticket_waiting', ['hall_id', 'business_date', 'status', 'service_id', 'priority',
                                                    'arrived_at', 'id'], unique=False)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_hall_id')
        batch_op.create_index('ix_events_hall_order', ['hall_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_hall_order')
        batch_op.create_index('ix_events_hall_id', ['hall_id'], unique=False)
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_waiting')
        batch_op.create_index('ix_ticket_queue', ['hall_id', 'business_date', 'status', 'service_id'], unique=False)
        batch_op.create_index('ix_ticket_call_order',
                              ['hall_id', 'business_date', 'status', 'priority', 'arrived_at', 'id'], unique=False)
    op.drop_table('queue_tallies')
