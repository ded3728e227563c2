"""Convene's AsyncAPI document, served: /mail/asyncapi.yaml for tools, /mail/asyncapi for people
(every topic, who sends and reads it, and its messages). Public: it describes the contracts that
the repository publishes anyway, and holds no one's data."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from convene_web.pages import PagesOf
from notifications.adapters import asyncapi

router = APIRouter(prefix="/mail", include_in_schema=False)


@router.get("/asyncapi.yaml")
async def asyncapi_document() -> Response:
    return Response(asyncapi.document_text(), media_type="application/yaml")


@router.get("/asyncapi")
async def asyncapi_page(request: Request, pages: PagesOf) -> Response:
    return pages.render(request, "asyncapi.html", channels=asyncapi.channels())
