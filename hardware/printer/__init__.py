"""The ticket printer: layout (ticket), printer models (profile), connections and health (device),
a preview renderer (preview) and a simulated network printer (simulator)."""
