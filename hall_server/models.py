"""Every table, imported in one place so metadata and Alembic see them all."""

from hall_server.auth.models import AccessToken, User
from hall_server.cases.models import CalendarDay, CalendarYear, Case, CaseCounter, CaseDepartment, CaseStep
from hall_server.catalog.models import Department, Hall, Service, Window, window_services
from hall_server.db import Base
from hall_server.devices.models import DeviceHealth
from hall_server.evaluation.models import Rating
from hall_server.events.models import Event
from hall_server.notify.models import TextMessage
from hall_server.tickets.models import GreenPass, QueueTally, Ticket, TicketCounter

__all__ = [
    "AccessToken", "Base", "CalendarDay", "CalendarYear", "Case", "CaseCounter", "CaseDepartment", "CaseStep",
 "Department", "DeviceHealth", "Event", "GreenPass", "Hall", "QueueTally", "Rating",
    "Service", "TextMessage", "Ticket", "TicketCounter", "User", "Window", "window_services",
]
