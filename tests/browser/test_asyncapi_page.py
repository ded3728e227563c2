"""The AsyncAPI page in a real browser: it lists every topic, links the document, and passes the
accessibility check at desktop and phone widths like every page."""

from playwright.async_api import expect

from convene_contracts import ALL_TOPICS, dead_letter_topic
from tests.support.browser import PageCheck
from tests.support.services import Stack


async def test_the_asyncapi_page_lists_every_topic_and_links_the_document(stack: Stack, tab: PageCheck) -> None:
    page = tab.page
    await page.goto(f"{stack.notifications.url}/mail/asyncapi")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Events on Kafka")
    for topic in (*ALL_TOPICS, *(dead_letter_topic(t) for t in ALL_TOPICS)):
        await expect(page.get_by_role("heading", level=2, name=topic, exact=True)).to_be_visible()
    await expect(page.get_by_role("link", name="asyncapi.yaml")).to_have_attribute("href", "/mail/asyncapi.yaml")
    await tab.check("asyncapi")
