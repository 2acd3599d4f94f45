"""The device bus process (``hall bus``): keypads, rating pads, card readers and LED window screens on
one shared line, driven from the hall server.

A keypad press becomes the API call for its window (with the bus token, which acts for the
member of staff signed in there); the hall's events redraw every LED screen and keypad display
on the line; a rating pad press rates the ticket the window just finished; a staff card signs
its holder in. Bus address = window number. The line's health and silent devices are reported
to the server as device health.

Command line::

    hall bus --port socket://127.0.0.1:7485 --server http://127.0.0.1:8000 \\
             --token BUS_TOKEN --hall 1 [--windows 1-12] [--lang zh|en]

From asyncio (the demo, tests), next to a simulated line::

    from hardware.bus import Bus
    from hardware.serial_bus.simulator import SimBus

    line = SimBus.windows(range(1, 13))
    port_url = line.start()                      # socket://127.0.0.1:PORT
    bus = Bus(port_url, server_url, bus_token, hall_id, windows=range(1, 13))
    await bus.start()                            # reads the hall, opens the line, follows events
    ...
    await bus.stop()
    line.stop()

or ``await run_bus(port_url, server_url, bus_token, hall_id, windows=..., stop=stop_event)`` as a
task that ends when ``stop_event`` is set. ``Bus(..., say=print)`` prints what it does.
"""

from hardware.bus.cli import main
from hardware.bus.process import Bus, run_bus

__all__ = ["Bus", "main", "run_bus"]
