#!/usr/bin/env python3
"""Loopback link farm for bench/fetch/run.sh.

Listens on 127.0.0.<first>..127.0.0.<first+hosts-1>, one port, HTTP/1.1 keep-alive.
Every GET waits `latency_ms`, then answers 200 with a `body_kb` KiB body. Loopback only.
Usage: farm.py PORT HOSTS FIRST BODY_KB LATENCY_MS
"""
import asyncio
import sys

PORT, HOSTS, FIRST, BODY_KB, LATENCY_MS = (int(a) for a in sys.argv[1:6])
BODY = (b"<html><head><title>farm</title></head><body>" + b"x" * (BODY_KB * 1024))[: BODY_KB * 1024]
HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
    + str(len(BODY)).encode()
    + b"\r\n\r\n"
)


async def serve(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head:
                break
            await asyncio.sleep(LATENCY_MS / 1000)
            writer.write(HEAD + BODY)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main():
    servers = []
    for i in range(HOSTS):
        servers.append(await asyncio.start_server(serve, f"127.0.0.{FIRST + i}", PORT, backlog=1024))
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


asyncio.run(main())
