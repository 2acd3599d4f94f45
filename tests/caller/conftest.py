"""The caller's behaviour does not depend on the server's database: its tests run once, on SQLite."""

from tests.conftest import sqlite_only

database_url = sqlite_only()
