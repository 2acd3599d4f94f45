"""The hall board for TVs: one HTML page, a stylesheet and plain JavaScript, served by the hall server."""
