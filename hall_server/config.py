"""Server settings, from the command line or HALL_* environment variables."""

from __future__ import annotations

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HALL_")

    database_url: str = "sqlite:///var/hall.db"
    public_base_url: str = "http://127.0.0.1:8000"  # printed in QR codes: {base}/s/{status_token}
    # A hall's phones, kiosks and offices often share one address (NAT): limits count per ticket or
    # account where there is one, and per address only as a ceiling sized for a whole hall.
    public_rate: str = "120/minute"  # per address: guide and board reads; per ticket and address: status, rating
    public_address_rate: str = "3000/minute"  # status lookups and ratings of all tickets from one address
    ticket_lookup_rate: str = "10/minute"  # a number's check code tried, per ticket number (4 characters: guessable)
    login_rate: str = "600/minute"  # sign-in attempts per address: an office of 100 signing in at 8:30 never meets it
    login_failures: str = "10 per 15 minutes"  # wrong passwords per account before that account waits
    event_buffer: int = 1000
    max_body_bytes: int = 1_000_000  # a request body larger is refused (413) as it streams in
    catalog_body_bytes: int = 5_000_000  # the catalog import's YAML may be larger
    public_sockets_per_address: int = 60  # public live connections (board streams) one address may hold open
    public_sockets: int = 2000  # and all addresses together
    # Texts to applicants (短信告知, hall_server/notify): "file" appends JSON lines (a hall without a
    # gateway; sms_file, by default text-messages.jsonl beside a SQLite database, else in the working
    # directory), "http" posts to the gateway, "off" records each text as not sent.
    sms_backend: Literal["file", "http", "off"] = "file"
    sms_file: str = ""
    sms_gateway_url: str = ""
    sms_gateway_key: str = ""
    sms_max_attempts: int = 5  # then the text is failed, for the office to send again
