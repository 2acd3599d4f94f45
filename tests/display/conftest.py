"""The boards' drawing does not depend on the server's database: their tests run once, on SQLite.
The board caster is server code that follows the hub, which works differently on each database:
its tests take both (test_board_caster.py)."""

from tests.conftest import sqlite_only

database_url = sqlite_only()
