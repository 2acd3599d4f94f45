"""The web kiosk's page: rendering, layout and readability in headless Chromium."""
