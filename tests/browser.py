"""Headless Chromium for end-to-end tests (Playwright driving Debian's chromium)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-quic"]


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM)


def require_chromium() -> None:
    """CI installs chromium, so a missing browser there is a failure, not a skip."""
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed but CI must run the browser tests")
        pytest.skip("chromium is not installed")


def login(page, base_url: str, username: str, password: str = "pw-for-tests-123") -> None:
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=username]) button[type=submit]")
    page.wait_for_url(f"{base_url}/")
