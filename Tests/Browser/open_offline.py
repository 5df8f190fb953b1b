#!/usr/bin/env python3
"""Opens a `sourcekeep show --format html` file in headless Chromium with the network off and
reports what a reader sees, as JSON on stdout (ShowBrowserTests checks it).

Usage: open_offline.py FILE SCREENSHOT.png

Network off three ways: DevTools offline emulation, every host name resolving to nothing, and a
proxy that does not exist. The driver is Debian's /usr/bin/chromedriver (package chromium-driver),
given by path so Selenium Manager never downloads one.
"""
import json
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def main() -> int:
    page, screenshot = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=420,2400", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--proxy-server=127.0.0.1:9", "--no-first-run", "--disable-background-networking"):
        options.add_argument(arg)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
        driver.get("file://" + page)
        driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            Promise.all([...document.images].map(i => i.decode().catch(() => null))).then(() => done());
        """)
        seen = driver.execute_script("""
            const content = document.querySelector('.sk-content');
            const style = content ? getComputedStyle(content) : null;
            return {
              text: document.body.innerText,
              content_visible: !!content && style.visibility === 'visible' && style.display !== 'none'
                && content.offsetHeight > 0,
              images: [...document.images].map(i => ({
                src: i.src.slice(0, 40), complete: i.complete, natural_width: i.naturalWidth})),
              missing_notes: document.querySelectorAll('.sk-missing').length,
              scripts: document.scripts.length,
            };
        """)
        driver.save_screenshot(screenshot)
        print(json.dumps(seen, ensure_ascii=False))
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
