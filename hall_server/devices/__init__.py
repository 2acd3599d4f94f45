"""Device health: what printers, serial lines and pads report, for kiosks, boards and supervisors."""
