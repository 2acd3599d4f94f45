"""back office: retired windows and departments, staff bound to windows, sign-in and last-seen times

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 14:00:00
"""

from alembic import op
import sqlalchemy as sa
import hall_server.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('windows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_login_at', hall_server.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('password_changed_at', hall_server.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', hall_server.db.UTCDateTime(timezone=True), nullable=True))
    op.create_table('staff_windows',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('window_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['window_id'], ['windows.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'window_id')
    )


def downgrade() -> None:
    op.drop_table('staff_windows')
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('last_login_at')
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_column('active')
    with op.batch_alter_table('windows', schema=None) as batch_op:
        batch_op.drop_column('active')
