#!/usr/bin/env python3
"""Loopback article farm for bench/capture/run.sh.

Listens on 127.0.0.<first>..<first+hosts-1>, one port, HTTP/1.1 keep-alive. Every GET
/a/N waits `latency_ms`, then answers 200 with an article page of about `body_kb` KiB:
a WeChat-like layout (header, nav, article body of varied Chinese and English paragraphs,
share bar, comments, footer), different text per N so payloads and compression are
realistic. Loopback only.
Pages 0..PAGES-1 are built before "ready" is printed, so neither tool under test shares
the machine with page generation (about 7 ms of Python per page).
With IMAGES > 0 (requisites mode), each article's body holds IMAGES `<img src>` of 20-80 KB
(incompressible, like JPEG), 30 % of them drawn from a pool shared by all pages (the same
bytes on every host), and GET /i/ID answers that image after the same latency.
With FARM_CORPUS=DIR in the environment, article N is instead the (N mod count)-th file of
DIR (*.html or *.html.gz, sorted by name), served as "text/html" with no charset so that
the tools read the page's own declaration; BODY_KB is then ignored.
Usage: farm.py PORT HOSTS FIRST BODY_KB LATENCY_MS [PAGES [IMAGES]]
"""
import asyncio
import gzip
import os
import random
import sys

PORT, HOSTS, FIRST, BODY_KB, LATENCY_MS = (int(a) for a in sys.argv[1:6])
PAGES = int(sys.argv[6]) if len(sys.argv) > 6 else 0
IMAGES = int(sys.argv[7]) if len(sys.argv) > 7 else 0
SHARED_POOL = 200
CORPUS_DIR = os.environ.get("FARM_CORPUS")
CORPUS = []
if CORPUS_DIR:
    for name in sorted(os.listdir(CORPUS_DIR)):
        path = os.path.join(CORPUS_DIR, name)
        if name.endswith(".html.gz"):
            CORPUS.append(gzip.open(path).read())
        elif name.endswith(".html"):
            CORPUS.append(open(path, "rb").read())
    if not CORPUS:
        sys.exit(f"FARM_CORPUS={CORPUS_DIR}: no *.html or *.html.gz files there")
CONTENT_TYPE = b"text/html" if CORPUS else b"text/html; charset=utf-8"

WORDS = ("模型 架构 推理 开源 生态 稀疏 注意力 成本 部署 机器人 春晚 智能体 千问 评测 数据 训练 "
         "产业 商业化 用户 场景 芯片 算力 token price model agent open source inference latency "
         "benchmark release research team product market growth").split()


def article(n: int) -> bytes:
    if CORPUS:
        return CORPUS[n % len(CORPUS)]
    rng = random.Random(n)
    paras = []
    size = 0
    target = BODY_KB * 1024 - 6000
    while size < target:
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 120))]
        p = "<p><span leaf=\"\">" + "".join(w if ord(w[0]) > 127 else " " + w + " " for w in words) + "。</span></p>\n"
        paras.append(p)
        size += len(p.encode())
    head = (f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>第{n}篇 测试文章</title>"
            f"<meta property=\"og:title\" content=\"第{n}篇 测试文章\"><meta property=\"og:site_name\" content=\"Farm\">"
            "<style>body{font-family:sans-serif} .nav a{margin:4px}</style></head><body>"
            "<div class=\"nav\">" + "".join(f"<a href=\"/a/{rng.randint(0, 9999)}\">链接{i}</a>" for i in range(30)) + "</div>"
            f"<h1 class=\"rich_media_title\">第{n}篇 测试文章</h1><div id=\"js_content\" class=\"rich_media_content\">\n")
    for k in range(IMAGES):
        # 30 % shared: an id from the common pool; the rest this page's own.
        image_id = f"s{rng.randrange(SHARED_POOL)}" if rng.random() < 0.3 else f"p{n}-{k}"
        paras.insert(min(len(paras), (k + 1) * len(paras) // (IMAGES + 1)),
                     f"<p><img src=\"/i/{image_id}.jpg\" alt=\"图{k}\"></p>\n")
    tail = ("</div><div class=\"share\">分享 在看 赞</div><div class=\"comments\">"
            + "".join(f"<p class=\"comment\">评论{i}: {rng.choice(WORDS)}</p>" for i in range(20))
            + "</div><footer>© farm</footer></body></html>")
    return (head + "".join(paras) + tail).encode()


CACHE = {}


async def serve(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode()
            if path.startswith("/i/"):
                image_id = path[3:].split(".", 1)[0]
                irng = random.Random(image_id)
                img = irng.randbytes(irng.randint(20, 80) * 1024)
                await asyncio.sleep(LATENCY_MS / 1000)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: "
                             + str(len(img)).encode() + b"\r\n\r\n" + img)
                await writer.drain()
                continue
            n = int(path.rsplit("/", 1)[-1]) if path.rsplit("/", 1)[-1].isdigit() else 0
            body = CACHE.get(n) or CACHE.setdefault(n, article(n))
            await asyncio.sleep(LATENCY_MS / 1000)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: " + CONTENT_TYPE + b"\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, IndexError, ValueError):
        pass
    finally:
        writer.close()


async def main():
    for n in range(PAGES):
        CACHE[n] = article(n)
    servers = [await asyncio.start_server(serve, f"127.0.0.{FIRST + i}", PORT, backlog=1024) for i in range(HOSTS)]
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


asyncio.run(main())
