"""The kiosk's screens: home, guide, taking a ticket, finding a ticket, rating and status."""
