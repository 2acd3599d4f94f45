"""Pages the hall server serves to applicants' phones (the QR code's status and rating page)."""
