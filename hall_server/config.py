"""Server settings, from the command line or HALL_* environment variables."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HALL_")

    database_url: str = "sqlite:///var/hall.db"
    public_base_url: str = "http://127.0.0.1:8000"  # printed in QR codes: {base}/s/{status_token}
    public_rate: str = "120/minute"  # per client address, for status lookups, ratings and guide and board reads
    login_rate: str = "30/minute"
    event_buffer: int = 1000
    max_body_bytes: int = 1_000_000  # a request body larger is refused (413) as it streams in
    catalog_body_bytes: int = 5_000_000  # the catalog import's YAML may be larger
    public_sockets_per_address: int = 60  # public live connections (board streams) one address may hold open
    public_sockets: int = 2000  # and all addresses together
