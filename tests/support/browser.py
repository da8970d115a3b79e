"""Drive a real headless Chromium over the DevTools protocol, for the HTML report tests.

No extra packages: Chromium is started with ``--remote-debugging-pipe`` and spoken
to over two pipes (it reads commands on fd 3 and writes replies on fd 4, each a
JSON message ended by a NUL byte).  :class:`Chromium` starts one browser with the
network cut off (every host name resolves to nothing and every
connection goes through a proxy on a closed port); its :meth:`Chromium.load`
opens a file in a fresh tab and records what the page did:

- every request the page made (``Network.requestWillBeSent``): anything other
  than the page's own ``file://`` URL means the page is not self-contained;
- every console message, uncaught exception and browser log entry of level
  warning or error (a Content-Security-Policy violation is one);
- the rendered DOM, its text, a few layout figures and a PNG screenshot of the
  viewport.

Set ``WZEVAL_SCREENSHOTS=<folder>`` to keep the screenshots for a human to look at.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")

#: Flags for a quiet, isolated browser that cannot reach any network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--metrics-recording-only",
    "--mute-audio",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--remote-debugging-pipe",
)


#: Put the two pipe ends on fds 3 and 4, where Chromium expects them, then become Chromium.
#: (A shell cannot do it: dash only redirects fds 0-9, and pytest's fds are higher.)
_EXEC_WITH_PIPES = """
import fcntl, os, sys
read, write = (fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3])
os.dup2(read, 3)
os.dup2(write, 4)
os.closerange(5, 10)
os.execv(sys.argv[3], sys.argv[3:])
"""


def available() -> bool:
    """Whether the Debian chromium package is installed where the tests expect it."""
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


@dataclass
class Page:
    """What a page did and looked like once loaded."""

    url: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    dom: str = ""
    text: str = ""
    layout: dict[str, Any] = field(default_factory=dict)
    png: bytes = b""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def png_size(self) -> tuple[int, int]:
        """(width, height) read from the PNG header."""
        assert self.png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
        width, height = struct.unpack(">II", self.png[16:24])
        return width, height


class _Browser:
    def __init__(self, profile: str) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        cmd = [
            sys.executable,
            "-c",
            _EXEC_WITH_PIPES,
            str(to_chrome_r),
            str(from_chrome_w),
            str(CHROMIUM),
            *FLAGS,
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            cmd,
            pass_fds=(to_chrome_r, from_chrome_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the browser may already be gone
            self.send("Browser.close", timeout=5)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float = 30,
    ) -> dict[str, Any]:
        self._next += 1
        ident = self._next
        msg: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == ident:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, session: str, timeout: float = 30) -> dict[str, Any]:
        for ev in self.events:
            if ev["method"] == method and ev.get("sessionId") == session:
                return ev
        deadline = time.monotonic() + timeout
        while True:
            ev = self._read_message(deadline)
            if "method" in ev:
                self.events.append(ev)
                if ev["method"] == method and ev.get("sessionId") == session:
                    return ev

    def drain(self, seconds: float) -> None:
        """Collect events for a while (late requests, late console messages)."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                ev = self._read_message(deadline)
                if "method" in ev:
                    self.events.append(ev)
        except TimeoutError:
            pass


def _problems(events: list[dict[str, Any]]) -> list[str]:
    out = []
    for ev in events:
        method, params = ev["method"], ev.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in (
            "error",
            "warning",
            "assert",
        ):
            args = [str(a.get("value", a.get("description", ""))) for a in params.get("args", [])]
            out.append(f"console.{params['type']}: {' '.join(args)}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            out.append(f"exception: {details.get('text')} {details.get('exception', {})}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") in ("error", "warning"):
                out.append(f"log {entry.get('source')}: {entry.get('text')} {entry.get('url', '')}")
    return out


class Chromium:
    """One headless browser (started on entry, closed on exit); each :meth:`load` opens
    a fresh tab, so pages do not see each other's requests or messages."""

    def __enter__(self) -> Chromium:
        self._profile = tempfile.mkdtemp(prefix="wzeval-chromium-")
        self._browser = _Browser(self._profile)
        return self

    def __exit__(self, *exc: object) -> None:
        self._browser.close()
        shutil.rmtree(self._profile, ignore_errors=True)

    def load(
        self,
        path: Path,
        *,
        width: int = 1280,
        height: int = 2000,
        mobile: bool = False,
        media: str | None = None,
        script: str | None = None,
        settle: float = 0.3,
        name: str | None = None,
    ) -> Page:
        """Open ``path`` at the given viewport and report what happened.

        ``media="print"`` emulates print media; ``script`` is a JavaScript expression
        run before the screenshot, its (JSON-serialisable) value is returned in
        ``Page.extra["script"]``.
        """
        browser = self._browser
        url = path.resolve().as_uri()
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        try:
            for domain in ("Page", "Network", "Runtime", "Log"):
                browser.send(f"{domain}.enable", session=session)
            browser.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
                session=session,
            )
            if media:
                browser.send("Emulation.setEmulatedMedia", {"media": media}, session=session)
            browser.events.clear()
            browser.send("Page.navigate", {"url": url}, session=session)
            browser.wait_for("Page.loadEventFired", session)
            browser.drain(settle)

            def evaluate(expr: str) -> Any:
                res = browser.send(
                    "Runtime.evaluate",
                    {"expression": expr, "returnByValue": True},
                    session=session,
                )
                if "exceptionDetails" in res:
                    raise RuntimeError(f"script failed: {res['exceptionDetails']}")
                return res["result"].get("value")

            page = Page(url=url)
            if script:
                page.extra["script"] = evaluate(script)
            page.dom = evaluate("document.documentElement.outerHTML")
            page.text = evaluate("document.body.innerText")
            page.layout = evaluate(
                "({scrollWidth: document.documentElement.scrollWidth,"
                " innerWidth: window.innerWidth,"
                " scrollHeight: document.documentElement.scrollHeight,"
                " fonts: [...new Set([...document.querySelectorAll('h1,h2,td,th')]"
                "   .map(e => getComputedStyle(e).fontFamily))]})"
            )
            shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
            page.png = base64.b64decode(shot["data"])
            browser.drain(0.1)
            mine = [ev for ev in browser.events if ev.get("sessionId") == session]
            page.requests = [
                ev["params"]["request"]["url"]
                for ev in mine
                if ev["method"] == "Network.requestWillBeSent"
            ]
            page.problems = _problems(mine)
        finally:
            browser.send("Target.closeTarget", {"targetId": target})
        keep = os.environ.get("WZEVAL_SCREENSHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shot_name = name or f"{path.stem}-{width}{'-' + media if media else ''}"
            (Path(keep) / f"{shot_name}.png").write_bytes(page.png)
        return page
