"""Browser tests: headless Chromium from Debian's package, driven by Playwright, against the
three services running as processes on the test stack (tests/conftest.py's `stack`)."""

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from tests.support.browser import PageCheck, launch, open_tab
from tests.support.stack import artifacts_dir, axe_script, chromium_path


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await launch(playwright, chromium_path())
        yield browser
        await browser.close()


@pytest.fixture
async def tab(browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[PageCheck]:
    """A fresh tab (own cookies) whose screenshots go to <artifacts>/<test name>/."""
    folder = Path(artifacts_dir()) / re.sub(r"[^\w.-]+", "_", request.node.name)
    tab = await open_tab(browser, folder, axe_script())
    yield tab
    await tab.context.close()
    assert not tab.console_errors, "errors in the browser console:\n" + "\n".join(tab.console_errors)
