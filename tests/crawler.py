"""A role crawler: log in as a user, follow the links the pages show them (bounded depth
and count), and report what a user would trip over: a 403 behind a link they were shown,
a server error, English message ids or raw codes in a Chinese page."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

# Pages a crawler must not follow: they change state on GET-less forms, download files or
# leave the site.
SKIP = re.compile(r"^/(logout|i18n|admin|static|media|api/docs|api/openapi)"
                  r"|\.(xlsx|csv|json|pdf|docx)$|/export|/download|/print")
# English words run together in visible text (a message id that was never translated),
# and snake_case codes shown to a user.
ENGLISH = re.compile(r"\b[A-Za-z][a-z]{2,}(?: [a-z]{2,}){2,}\b")
CODE = re.compile(r"\b[a-z]{2,}_[a-z_]{2,}\b")
ALLOWED_TEXT = ("minsheng", "OpenAPI", "JSON", "xlsx", "CSV")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "pre", "textarea"):
            self._skip += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre", "textarea") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.text.append(data.strip())


@dataclass
class Problem:
    role: str
    url: str
    kind: str
    detail: str = ""
    came_from: str = ""


@dataclass
class CrawlResult:
    visited: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def text_problems(text: list[str], names: frozenset[str] = frozenset()) -> list[str]:
    """English runs and snake_case codes in visible text; `names` (login names of staff,
    which the audit log shows) are names, not codes."""
    found = []
    for chunk in text:
        if any(word in chunk for word in ALLOWED_TEXT):
            continue
        for pattern in (ENGLISH, CODE):
            match = next((m for m in pattern.finditer(chunk) if m.group(0) not in names), None)
            if match:
                found.append(match.group(0))
    return found


def _shape(target: str) -> str:
    """The kind of page a link leads to: ids and query values left out, so a crawl visits
    a few records of each kind instead of spending its budget on one long list."""
    parts = urlsplit(target)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"/\d+(?=/|$)", "/N", parts.path) + "?" + "&".join(keys)


PER_SHAPE = 2


def crawl(client, role: str, *, start: str = "/", depth: int = 2, limit: int = 80,
          result: CrawlResult | None = None, names: frozenset[str] = frozenset()) -> CrawlResult:
    result = result or CrawlResult()
    queue = deque([(start, 0, "")])
    seen = {start}
    shapes: dict[str, int] = {}
    count = 0
    while queue and count < limit:
        url, level, came_from = queue.popleft()
        response = client.get(url)
        count += 1
        result.visited[url] = response.status_code
        if response.status_code in (403, 404) and came_from:
            result.problems.append(Problem(role, url, str(response.status_code),
                                           came_from=came_from))
            continue
        if response.status_code >= 500:
            result.problems.append(Problem(role, url, "500", came_from=came_from))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = parse(response.content.decode("utf-8", "replace"))
        for words in text_problems(page.text, names):
            result.problems.append(Problem(role, url, "english", words, came_from))
        if level >= depth:
            continue
        for href in page.links:
            target = urldefrag(href)[0]
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if SKIP.search(parts.path) or target in seen:
                continue
            shape = _shape(target)
            if shapes.get(shape, 0) >= PER_SHAPE:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            seen.add(target)
            queue.append((target, level + 1, url))
    return result
