"""Driving Debian's Chromium with Playwright: screenshots at two widths, and axe-core's check.

`PageCheck.check(name)` is what a browser test calls on every page it reaches: screenshots at
desktop (1280x800) and phone (390x844) widths, no sideways scrolling down to a 360 px phone,
and no serious or critical accessibility violation.
"""

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Route,
    ViewportSize,
)

DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)
NARROWEST = ViewportSize(width=360, height=740)
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
# Nothing leaves this machine: Stripe's hosted Checkout gets a stand-in page, anything else not
# on loopback is refused.
LOOPBACK = re.compile(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?/")
STRIPE_CHECKOUT = re.compile(r"^https://checkout\.stripe\.com/")
STRIPE_STAND_IN = """<!doctype html><html lang="en"><head><title>Stripe Checkout (test stand-in)</title></head>
<body><main><h1>Stripe Checkout (test stand-in)</h1><p>The test completes the payment with a signed webhook.</p>
</main></body></html>"""


async def launch(playwright: Playwright, executable: str) -> Browser:
    return await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def serious_violations(violations: list[dict[str, Any]]) -> list[str]:
    """axe-core's violations of impact serious or critical, one readable line each."""
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(str(n['target']) for n in v['nodes'][:5])}"
        for v in violations
        if v.get("impact") in ("serious", "critical")
    ]


async def assert_accessible(page: Page) -> None:
    """Runs axe-core (injected into every page of the context) and fails on serious or critical
    violations, listing them."""
    violations: list[dict[str, Any]] = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    problems = serious_violations(violations)
    assert not problems, f"accessibility violations on {page.url}:\n" + "\n".join(problems)


async def assert_fits(page: Page) -> None:
    """No sideways scrolling: the page fits the viewport's width."""
    overflow = await page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than a {page.viewport_size} screen"


@dataclass
class PageCheck:
    """One browser tab for one test, with what it saw go wrong and where its screenshots go."""

    page: Page
    context: BrowserContext
    artifacts: Path
    console_errors: list[str] = field(default_factory=list)
    checkouts: list[str] = field(default_factory=list)  # Stripe Checkout addresses the tab was sent to

    async def check(self, name: str) -> None:
        """Screenshots at desktop and phone widths, fits down to 360 px, and axe at both widths."""
        self.artifacts.mkdir(parents=True, exist_ok=True)
        try:
            for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
                await self.page.set_viewport_size(size)
                await self.page.screenshot(path=str(self.artifacts / f"{name}-{label}.png"), full_page=True)
                await assert_accessible(self.page)
                await assert_fits(self.page)
            await self.page.set_viewport_size(NARROWEST)
            await assert_fits(self.page)
        finally:
            await self.page.set_viewport_size(DESKTOP)


async def open_tab(browser: Browser, artifacts: Path, axe: str) -> PageCheck:
    context = await browser.new_context(viewport=DESKTOP, locale="en-US")
    await context.add_init_script(path=axe)  # before any page script, and not subject to the page's CSP
    page = await context.new_page()
    tab = PageCheck(page, context, artifacts)

    async def route(route: Route) -> None:
        url = route.request.url
        if LOOPBACK.match(url):
            await route.continue_()
        elif STRIPE_CHECKOUT.match(url):
            tab.checkouts.append(url)
            await route.fulfill(status=200, content_type="text/html", body=STRIPE_STAND_IN)
        else:
            await route.abort()

    def console(message: ConsoleMessage) -> None:
        # A page answered with 400 (a form with errors) is logged as a failed load: that is expected.
        if message.type == "error" and not message.text.startswith("Failed to load resource: the server responded"):
            tab.console_errors.append(f"{message.location.get('url')}: {message.text}")

    await context.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda error: tab.console_errors.append(f"{page.url}: {error}"))
    return tab


async def downloaded(tab: PageCheck, link: Locator) -> str:
    """Clicks a download link and returns the file's text (kept with the test's screenshots)."""
    async with tab.page.expect_download() as downloading:
        await link.click()
    download = await downloading.value
    saved = tab.artifacts / download.suggested_filename
    await download.save_as(saved)
    return await asyncio.to_thread(saved.read_text)
