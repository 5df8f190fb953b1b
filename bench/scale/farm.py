#!/usr/bin/env python3
"""Loopback article farm for bench/scale/run.sh: any number of pages, none kept in memory.

Listens on 127.0.0.<first>..<first+hosts-1>, one port, HTTP/1.1 keep-alive. GET /a/N answers
200 with an article page of about 9 KiB whose title and paragraphs depend on N (built per
request: the title carries N, the body is one of 997 precomputed paragraph sets chosen by N, so
100,000 pages cost neither memory nor the farm's CPU).
Loopback only. Usage: farm.py PORT HOSTS FIRST
"""
import asyncio
import random
import sys

PORT, HOSTS, FIRST = (int(a) for a in sys.argv[1:4])
WORDS = ("模型 架构 推理 开源 生态 稀疏 注意力 成本 部署 机器人 春晚 智能体 千问 评测 数据 训练 "
         "产业 商业化 用户 场景 芯片 算力 token price model agent open source inference latency").split()
HEAD = ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>第{n}篇 测试文章</title>"
        "<meta property=\"og:site_name\" content=\"Farm\"></head><body><h1 class=\"rich_media_title\">第{n}篇 测试文章"
        "</h1><div id=\"js_content\" class=\"rich_media_content\">\n")
TAIL = "</div><footer>© farm</footer></body></html>"


def paragraphs(seed: int) -> str:
    rng = random.Random(seed)
    paras = []
    for _ in range(18):
        words = rng.choices(WORDS, k=70)
        paras.append("<p>" + "".join(w if ord(w[0]) > 127 else " " + w + " " for w in words) + "。</p>\n")
    return "".join(paras)


BODIES = [paragraphs(i) for i in range(997)]


def article(n: int) -> bytes:
    return (HEAD.format(n=n) + BODIES[n % 997] + TAIL).encode()


async def serve(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            last = head.split(b" ", 2)[1].decode().rsplit("/", 1)[-1]
            body = article(int(last) if last.isdigit() else 0)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, IndexError, ValueError):
        pass
    finally:
        writer.close()


async def main():
    servers = [await asyncio.start_server(serve, f"127.0.0.{FIRST + i}", PORT, backlog=1024) for i in range(HOSTS)]
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


asyncio.run(main())
