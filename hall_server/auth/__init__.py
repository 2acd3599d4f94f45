"""Who may do what: staff accounts, access tokens, kiosk and bus device tokens, roles."""
