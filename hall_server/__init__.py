"""hall_server"""
