"""Test helpers for boards and callers: a cuttable TCP proxy in front of the hall server, and waiting."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable


async def until(condition: Callable[[], object], timeout: float = 15.0, step: float = 0.02) -> None:
    """Wait for ``condition()`` to hold; fail (not a timing assertion: a hang guard) after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not reached within {timeout}s")
        await asyncio.sleep(step)


class CuttableProxy:
    """A TCP proxy in front of the hall server whose connections can be cut and refused, then restored.

    ``cut()`` closes every open connection and stops listening (clients see the server gone);
    ``restore()`` listens again on the same port.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> CuttableProxy:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers.update((writer, up_writer))

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            with contextlib.suppress(OSError, RuntimeError):
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers.difference_update((writer, up_writer))

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for w in list(self._writers):
            with contextlib.suppress(OSError, RuntimeError):
                w.transport.abort()
        self._writers.clear()

    async def restore(self) -> None:
        await self.start()

    async def close(self) -> None:
        await self.cut()



# RULES §10: what a hall never says, anywhere (each part checked alone, the stricter reading).
FORBIDDEN = ("不知道", "你去问", "不行", "重填", "有牌子", "自己看", "快点", "要下班了", "已经告诉你了", "没看我正忙吗",
             "有意见找头头去")


def catalog_problems(messages: dict[str, dict[str, str]]) -> list[str]:
    """Every entry has Chinese and English with the same placeholders, and no forbidden phrase."""
    import string

    problems = []
    for key, entry in messages.items():
        if not entry.get("zh") or not entry.get("en"):
            problems.append(f"{key}: needs zh and en")
            continue
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in ("zh", "en")]
        if fields[0] != fields[1]:
            problems.append(f"{key}: placeholders differ {fields}")
        problems += [f"{key}: says {p!r}" for p in FORBIDDEN if p in entry["zh"]]
    return problems
