"""cases (办件), their departments and steps, the working-day calendar, text messages; ratings of cases

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 18:00:00

Each hall's calendar is seeded from ``chinesecalendar`` for the years it knows, from 2025 on
(the seeding runs as the server starts, in ``cases/calendar.py``, so a new hall gets it too). A
rating now names the ticket or the case it is for: one per case (一事一评), one per ticket.
"""

import sqlalchemy as sa
from alembic import op

from hall_server.db import UTCDateTime

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_counters',
        sa.Column('hall_id', sa.Integer(), sa.ForeignKey('halls.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('year', sa.Integer(), primary_key=True),
        sa.Column('last_number', sa.Integer(), nullable=False),
    )
    op.create_table(
        'cases',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('hall_id', sa.Integer(), sa.ForeignKey('halls.id', ondelete='CASCADE'), nullable=False),
        sa.Column('case_number', sa.String(20), nullable=False),
        sa.Column('case_type', sa.String(12), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('service_id', sa.Integer(), sa.ForeignKey('services.id'), nullable=False, index=True),
        sa.Column('department_id', sa.Integer(), sa.ForeignKey('departments.id'), nullable=False, index=True),
        sa.Column('window_id', sa.Integer(), sa.ForeignKey('windows.id'), nullable=True),
        sa.Column('ticket_id', sa.Integer(), sa.ForeignKey('tickets.id'), nullable=True, index=True),
        sa.Column('registered_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('registered_by_token_id', sa.Integer(), sa.ForeignKey('access_tokens.id'), nullable=True),
        sa.Column('idempotency_key', sa.String(100), nullable=True),
        sa.Column('channel', sa.String(12), nullable=False),
        sa.Column('applicant_kind', sa.String(10), nullable=False),
        sa.Column('applicant_name', sa.String(200), nullable=False),
        sa.Column('applicant_id_number', sa.String(30), nullable=False),
        sa.Column('applicant_phone', sa.String(20), nullable=False),
        sa.Column('subject', sa.String(20), nullable=False),
        sa.Column('materials_received', sa.JSON(), nullable=False),
        sa.Column('missing_materials', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('urgent_note', sa.Text(), nullable=False),
        sa.Column('promised_days', sa.Integer(), nullable=False),
        sa.Column('accepted_on', sa.Date(), nullable=False),
        sa.Column('clock_started_on', sa.Date(), nullable=True),
        sa.Column('deadline', sa.Date(), nullable=True),
        sa.Column('deadline_provisional', sa.Boolean(), nullable=False),
        sa.Column('finished_on', sa.Date(), nullable=True),
        sa.Column('status_token', sa.String(64), nullable=False, unique=True),
        sa.Column('check_code', sa.String(8), nullable=False),
        sa.Column('review_status', sa.String(12), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('hall_id', 'case_number', name='uq_case_number'),
        sa.UniqueConstraint('registered_by_token_id', 'idempotency_key', name='uq_case_idempotency'),
    )
    op.create_index('ix_cases_hall_status_deadline', 'cases', ['hall_id', 'status', 'deadline'])
    op.create_index('ix_cases_window', 'cases', ['window_id', 'status'])
    op.create_table(
        'case_departments',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('department_id', sa.Integer(), sa.ForeignKey('departments.id'), nullable=False),
        sa.Column('role', sa.String(4), nullable=False),
        sa.Column('promised_days', sa.Integer(), nullable=False),
        sa.Column('deadline', sa.Date(), nullable=True),
        sa.Column('notified_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('signed_off_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('signed_off_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.UniqueConstraint('case_id', 'department_id'),
    )
    op.create_table(
        'case_steps',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('kind', sa.String(24), nullable=False),
        sa.Column('at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('on_day', sa.Date(), nullable=False),
        sa.Column('actor_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('department_id', sa.Integer(), sa.ForeignKey('departments.id'), nullable=True),
        sa.Column('detail', sa.JSON(), nullable=False),
    )
    op.create_table(
        'calendar_days',
        sa.Column('hall_id', sa.Integer(), sa.ForeignKey('halls.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('day', sa.Date(), primary_key=True),
        sa.Column('working', sa.Boolean(), nullable=False),
        sa.Column('name', sa.String(40), nullable=False),
    )
    op.create_table(
        'calendar_years',
        sa.Column('hall_id', sa.Integer(), sa.ForeignKey('halls.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('year', sa.Integer(), primary_key=True),
        sa.Column('source', sa.String(20), nullable=False),
        sa.Column('entered_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('entered_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
    )
    op.create_table(
        'text_messages',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('hall_id', sa.Integer(), sa.ForeignKey('halls.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id'), nullable=True, index=True),
        sa.Column('phone', sa.String(20), nullable=False),
        sa.Column('kind', sa.String(30), nullable=False),
        sa.Column('text', sa.String(500), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.String(300), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('provider_id', sa.String(100), nullable=False),
    )
    op.create_index('ix_text_messages_due', 'text_messages', ['status', 'next_attempt_at'])
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.alter_column('ticket_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('case_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_ratings_case_id', ['case_id'])
        batch_op.create_foreign_key('fk_ratings_case_id', 'cases', ['case_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_constraint('fk_ratings_case_id', type_='foreignkey')
        batch_op.drop_constraint('uq_ratings_case_id', type_='unique')
        batch_op.drop_column('case_id')
    for table in ('text_messages', 'calendar_years', 'calendar_days', 'case_steps', 'case_departments', 'cases',
                  'case_counters'):
        op.drop_table(table)
