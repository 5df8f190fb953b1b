#!/usr/bin/env python3
"""Real-browser test of the web view (issue #16): headless Chromium through Selenium.

Builds a store with the real pipeline (`sourcekeep ingest now`, `check now`) against a loopback
site this script serves (articles with an image and their own <script>, one that dies), then
runs `sourcekeep serve` and, in Chromium at 1280 px and 390 px:
  - loads /, follows the digest, the dead citation's history page and its archived copy;
  - asserts the article text is visible, every <img> loaded (naturalWidth > 0), no console
    errors on the web view's own pages, no request left loopback;
  - opens an archived original (id_) and asserts the page's own <script> did not run.
Screenshots go to .build/browser-web/. Exit 0 when every check passed; prints
"N passed, M failed".

Usage: Tests/Browser/test_web.py BINARY   (make test-browser-web builds it and runs this)
"""
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.common.by import By

BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/sourcekeep")
SHOTS = os.path.abspath(".build/browser-web")

# A 2x2 PNG (red), served as the article's image.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73"
    "0000001649444154789c63f8cfc0f09f81e13f03c37f0600210c05fb5a4b2e0e0000000049454e44ae426082")

PARAGRAPH = ("稀疏专家架构把长文本推理成本压到上一代的五分之一，开源大模型进入低价竞争。"
             "云雀-7用稀疏专家和混合注意力把长文本推理的成本压低了一个量级。") * 4


def article(title, extra=""):
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="极光视点"></head><body><article><h1>{title}</h1>
<p>{PARAGRAPH}</p><p><img src="/img/chart.png" alt="图表" width="200" height="200"></p><p>{PARAGRAPH}</p>
<p>{PARAGRAPH}</p>{extra}</article>
<script>document.title = 'SCRIPT RAN'; window.archivedScriptRan = true;</script></body></html>"""


class Site:
    """The loopback 'web' the pipeline archives; `dead` pages answer 404."""

    def __init__(self):
        self.dead = set()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path
                if path in site.dead:
                    body, status, ctype = b"<h1>Not Found</h1>", 404, "text/html"
                elif path == "/img/chart.png":
                    body, status, ctype = PNG, 200, "image/png"
                elif path.startswith("/s/"):
                    name = path[3:]
                    title = {"alive": "云雀-7开源：稀疏专家架构", "dying": "即将删除的文章：元宵红包"}.get(
                        name, "<script>alert(1)</script> 坏标题")
                    title = title.replace("<", "&lt;")
                    body, status, ctype = article(title).encode(), 200, "text/html; charset=utf-8"
                else:
                    body, status, ctype = b"no", 404, "text/plain"
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, cwd):
    result = subprocess.run([BINARY] + args, cwd=cwd, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"sourcekeep {' '.join(args)} exited {result.returncode}: {result.stderr}")
    return result


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def expect(self, condition, what):
        if condition:
            self.passed += 1
            print(f"ok   {what}")
        else:
            self.failed += 1
            print(f"FAIL {what}")


def main():
    checks = Checks()
    site = Site()
    work = tempfile.mkdtemp(prefix="sk-browser-")
    os.makedirs(f"{work}/digests")
    with open(f"{work}/digests/2026-03-09.md", "w") as f:
        f.write(f"""# AI行业速递 - 2026年03月09日

## 云雀-7开源：稀疏专家架构把长文本推理成本压到上一代的五分之一
> **来源：** [极光视点]({site.url('/s/alive')}) 、 [坏标题]({site.url('/s/hostile')})

**核心洞察：** 开源模型的竞争焦点正从榜单分数转向单位成本。

---

## 元宵红包十分钟被领空
> **来源：** [早读研究所]({site.url('/s/dying')}) 、 [脚本](javascript:alert(1))
""")
    port = free_port()
    with open(f"{work}/sourcekeep.toml", "w") as f:
        f.write(f"""[digests]
paths = ["digests"]
[storage]
dir = "data"
[fetch]
allow_private_networks = true
per_host_interval_ms = 0
retries = 0
[health]
dead_after_failures = 1
dead_after = "1s"
[web]
listen = "127.0.0.1:{port}"
""")
    run(["ingest", "now", "--config", "sourcekeep.toml"], work)
    site.dead.add("/s/dying")
    time.sleep(1.2)
    run(["check", "now", "--all", "--config", "sourcekeep.toml"], work)
    # A second failure a second later: dead (dead_after_failures = 1, dead_after = 1s).
    time.sleep(1.2)
    run(["check", "now", "--url", site.url("/s/dying"), "--config", "sourcekeep.toml"], work)

    serve = subprocess.Popen([BINARY, "serve", "--config", "sourcekeep.toml"], cwd=work,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)

    os.makedirs(SHOTS, exist_ok=True)
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--lang=zh-CN"]:
        options.add_argument(arg)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    shots = []
    try:
        def console_errors():
            errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            for e in errors:
                print("     console:", e["message"][:200])
            return errors

        def requests_made():
            urls = []
            for entry in driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                if message["method"] == "Network.requestWillBeSent":
                    urls.append(message["params"]["request"]["url"])
            return urls

        def images_loaded():
            return driver.execute_script(
                "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")

        def shoot(name):
            for width in (1280, 390):
                driver.set_window_size(width, 900)
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(width, min(max(height + 120, 600), 4000))
                path = f"{SHOTS}/{name}-{width}.png"
                driver.save_screenshot(path)
                shots.append(path)
            driver.set_window_size(1280, 900)

        driver.set_window_size(1280, 900)
        driver.get(base + "/")
        body = driver.find_element(By.TAG_NAME, "body").text
        checks.expect("Archive health" in body, "front page: summary visible")
        checks.expect("2026-03-09.md" in body, "front page: digest listed")
        checks.expect(not console_errors(), "front page: no console errors")
        shoot("front")

        driver.find_element(By.LINK_TEXT, "2026-03-09.md").click()
        body = driver.find_element(By.TAG_NAME, "body").text
        checks.expect("云雀-7开源" in body, "digest page: entry visible")
        checks.expect("javascript:alert(1)" in body, "digest page: javascript: citation shown as text")
        checks.expect(not driver.find_elements(By.CSS_SELECTOR, "a[href^='javascript']"),
                      "digest page: no javascript: href")
        checks.expect(not console_errors(), "digest page: no console errors")
        shoot("digest")
        digest_url = driver.current_url

        # The dead citation's history page.
        dying = site.url("/s/dying")
        cite = [c for c in driver.find_elements(By.CSS_SELECTOR, ".cite") if dying in c.text][0]
        checks.expect("dead" in cite.text, "digest page: dead citation marked dead")
        cite.find_element(By.LINK_TEXT, "history").click()
        body = driver.find_element(By.TAG_NAME, "body").text
        checks.expect("gone" in body and "Captures (1)" in body, "link page: checks and capture listed")
        checks.expect(not console_errors(), "link page: no console errors")
        shoot("link")

        # Its archived copy.
        driver.find_element(By.PARTIAL_LINK_TEXT, "copy of").click()
        body = driver.find_element(By.TAG_NAME, "body").text
        checks.expect("Archived copy" in body, "archived copy: banner visible")
        checks.expect("稀疏专家架构" in body, "archived copy: article text visible")
        checks.expect(images_loaded(), "archived copy: every image loaded (naturalWidth > 0)")
        checks.expect(driver.execute_script("return window.archivedScriptRan === undefined"),
                      "archived copy: the page's own script did not run")
        checks.expect(not console_errors(), "archived copy: no console errors")
        shoot("copy")

        # The original bytes, sandboxed: its <script> must not run.
        driver.find_element(By.LINK_TEXT, "original as archived").click()
        time.sleep(0.5)
        checks.expect(driver.title != "SCRIPT RAN", "original (id_): the archived <script> did not run")
        checks.expect("稀疏专家架构" in driver.find_element(By.TAG_NAME, "body").text,
                      "original (id_): archived text visible")
        # The only console errors there are the browser's refusals of the archived script.
        blocked = driver.get_log("browser")
        checks.expect(all("sandboxed" in e["message"] or "Content Security Policy" in e["message"]
                          for e in blocked if e["level"] == "SEVERE"),
                      "original (id_): console errors are only the sandbox refusing the archived script")
        shoot("original")

        # Search with a Chinese query.
        driver.get(base + "/search?q=" + urllib.parse.quote("推理成本"))
        checks.expect(driver.find_elements(By.TAG_NAME, "mark"), "search: match marked")
        checks.expect(not console_errors(), "search: no console errors")
        shoot("search")

        driver.get(digest_url)
        outside = [u for u in requests_made()
                   if not (u.startswith("http://127.0.0.1") or u.startswith("data:") or u.startswith("about:"))]
        checks.expect(not outside, f"no request left loopback ({outside[:3]})")
    finally:
        driver.quit()
        serve.terminate()
        try:
            serve.wait(timeout=15)
        except subprocess.TimeoutExpired:
            serve.kill()
        checks.expect(serve.returncode == 0, f"serve stopped cleanly on SIGTERM (exit {serve.returncode})")
        site.httpd.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    print("screenshots:", " ".join(shots))
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
