"""Pages every service serves under its prefix: static files, operator sign-in, sign-out.

`web_router(prefix)` goes last in a service's routers: its default operator home page
(`<prefix>/operator`) gives way to one the service defines itself.
"""

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response

from convene_service.http import sha256
from convene_web.access import OperatorPage, PageRateLimit
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted
from convene_web.pages import STATIC, STATIC_FILES, PagesOf
from convene_web.sessions import end_session, is_safe_next, settings_of, start_session

YEAR = "public, max-age=31536000, immutable"  # addresses carry a content hash (Pages.static_url)
OPERATOR_SECTION = {"/membership": "operator", "/events": "operator-events", "/mail": "operator-mail"}  # base.html


def web_router(prefix: str) -> APIRouter:
    router = APIRouter(prefix=prefix, include_in_schema=False)

    @router.get("/static/theme.css")
    async def theme(pages: PagesOf) -> Response:
        return PlainTextResponse(pages.look.css(), media_type="text/css", headers={"Cache-Control": YEAR})

    @router.get("/static/{name}")
    async def static(name: str) -> Response:
        if name not in STATIC_FILES:  # only our own files: no path ever reaches the file system
            return PlainTextResponse("no such file", status_code=404)
        return FileResponse(STATIC / name, headers={"Cache-Control": YEAR, "X-Content-Type-Options": "nosniff"})

    @router.get("/operator/sign-in")
    async def operator_sign_in_form(
        request: Request, pages: PagesOf, next: Annotated[str | None, Query()] = None
    ) -> Response:
        form = FormState(values={"next": next or ""})
        return pages.render(request, "operator_sign_in.html", form=form)

    @router.post("/operator/sign-in", dependencies=[CsrfProtected, Depends(PageRateLimit("operator-sign-in"))])
    async def operator_sign_in(request: Request, pages: PagesOf) -> Response:
        values = posted(await request.form())
        expected = bytes.fromhex(settings_of(request).operator_token_sha256)
        if not hmac.compare_digest(sha256(values.get("token", "")), expected):
            form = FormState(
                values={"next": values.get("next", "")},  # never echo a token back
                errors={"token": "This operator token is not right. Check it and try again."},
            )
            return pages.render(request, "operator_sign_in.html", status=400, form=form)
        target = values.get("next", "")
        response = pages.redirect(target if is_safe_next(pages.settings, target) else f"{prefix}/operator")
        start_session(request, response, "operator")
        return response

    @router.post("/sign-out", dependencies=[CsrfProtected])
    async def sign_out(request: Request, pages: PagesOf) -> Response:
        response = pages.redirect(f"{prefix}/signed-out")
        end_session(request, response)
        return response

    @router.get("/signed-out")
    async def signed_out(request: Request, pages: PagesOf) -> Response:
        return pages.render(request, "signed_out.html")

    @router.get("/operator")
    async def operator_home(request: Request, pages: PagesOf, operator: OperatorPage) -> Response:
        return pages.render(request, "operator_home.html", section=OPERATOR_SECTION.get(prefix))

    return router
