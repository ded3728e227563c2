"""Pages every service serves under its prefix: static files, staff sign-in, sign-out.

Staff sign in where the staff live (the service whose pages set `Pages.sign_in_staff`, membership);
every other service's sign-in page sends them there and back.

`web_router(prefix)` goes last in a service's routers: its default operator home page
(`<prefix>/operator`) gives way to one the service defines itself.
"""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response

from convene_web.access import OperatorPage, PageRateLimit
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted
from convene_web.pages import STATIC, STATIC_FILES, PagesOf
from convene_web.sessions import current_session, end_session, is_safe_next, start_session

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
        if pages.sign_in_staff is None:  # the staff live in membership: sign in there, come back here
            back = next if next and is_safe_next(pages.settings, next) else f"{prefix}/operator"
            back = f"{pages.base_url}{back}" if back.startswith("/") else back
            membership = f"{pages.settings.membership_pages_url}/membership/operator/sign-in"
            return pages.redirect(f"{membership}?next={quote(back, safe='')}")
        form = FormState(values={"next": next or ""})
        return pages.render(request, "operator_sign_in.html", form=form)

    @router.post("/operator/sign-in", dependencies=[CsrfProtected, Depends(PageRateLimit("operator-sign-in"))])
    async def operator_sign_in(request: Request, pages: PagesOf) -> Response:
        values = posted(await request.form())
        email = values.get("email", "").strip()
        check = pages.sign_in_staff
        found = await check(request, email, values.get("password", ""), values.get("code", "")) if check else None
        if found is None:
            form = FormState(
                values={"next": values.get("next", ""), "email": email},  # never echo a password back
                errors={"password": "This email address and password (and code) do not match a staff account."},
            )
            return pages.render(request, "operator_sign_in.html", status=400, form=form)
        target = values.get("next", "")
        response = pages.redirect(target if is_safe_next(pages.settings, target) else f"{prefix}/operator")
        start_session(request, response, "operator", email=email, staff=found)
        return response

    @router.post("/sign-out", dependencies=[CsrfProtected])
    async def sign_out(request: Request, pages: PagesOf) -> Response:
        session = current_session(request)
        if pages.sign_out_staff and session and session.staff_id and session.credential_id:
            await pages.sign_out_staff(request, session.staff_id, session.credential_id)
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
