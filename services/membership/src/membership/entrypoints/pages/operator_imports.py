"""Operators import members (M12): upload a contacts export (and, for a plain CSV, say which
column holds what), read the dry run, create the levels it proposes, start the import and watch
its progress bar (the page reloads itself while the import runs)."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from convene_web.access import OperatorPage, PageNotFound
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted
from convene_web.pages import Pages, PagesOf
from membership.domain.errors import BadFile, Conflict, Invalid, NotFound
from membership.domain.import_rows import FIELDS, WILD_APRICOT
from membership.entrypoints.http.common import DepsOf
from membership.service_layer import imports
from membership.service_layer.deps import Deps

router = APIRouter(prefix="/membership/operator/imports", include_in_schema=False)
LABELS = {
    "source_id": "The source's id of each person (User ID)",
    "first_name": "First name",
    "last_name": "Last name",
    "name": "Full name (instead of first and last)",
    "organization": "Organization",
    "email": "Email address",
    "phone": "Phone",
    "level": "Membership level",
    "status": "Membership status",
    "member_since": "Member since",
    "renewal_due": "Renewal due",
    "bundle_id": "Bundle",
    "bundle_role": "Role in the bundle",
}


def _upload_page(request: Request, pages: Pages, form: FormState, status: int = 200) -> Response:
    fields = [(f, LABELS[f], WILD_APRICOT[f][0]) for f in FIELDS]
    return pages.render(request, "operator/imports.html", status=status, form=form, fields=fields, section="operator")


async def _import_page(request: Request, pages: Pages, deps: Deps, import_id: UUID, **extra: Any) -> Response:
    try:
        report = await imports.progress(deps, import_id)
    except NotFound:
        raise PageNotFound("import") from None
    status = extra.pop("status", 200)
    extra.setdefault("problem", None)
    share = int(100 * report["done"] / report["total"]) if report["total"] else 100
    return pages.render(
        request, "operator/import.html", status=status, report=report, share=share, section="operator", **extra
    )


@router.get("")
async def upload_form(request: Request, operator: OperatorPage, pages: PagesOf) -> Response:
    return _upload_page(request, pages, FormState())


@router.post("", dependencies=[CsrfProtected])
async def upload(request: Request, operator: OperatorPage, pages: PagesOf, deps: DepsOf) -> Response:
    form = await request.form(max_part_size=64 * 1024)
    values = posted(form)
    state = FormState(values=values)
    file = form.get("file")
    limit = int(deps.settings.import_max_megabytes * 1024 * 1024)
    if not isinstance(file, UploadFile) or not file.filename:
        state.errors["file"] = "Choose the file to import: a CSV or an XLSX export"
        return _upload_page(request, pages, state, status=400)
    data = await file.read(limit + 1)
    mapping = {f: values.get(f"{f}_column", "") for f in FIELDS if values.get(f"{f}_column", "").strip()}
    try:
        if len(data) > limit:
            raise BadFile("file", f"The file is over {deps.settings.import_max_megabytes:g} MB: split it", 413)
        report = await imports.check(deps, data, file.filename[:200], mapping or None)
    except BadFile as refused:
        key = "file" if refused.field == "file" else f"{refused.field}_column"
        state.errors[key] = str(refused)[:1].upper() + str(refused)[1:]
        return _upload_page(request, pages, state, status=refused.status)
    return pages.redirect(f"/membership/operator/imports/{report['id']}")


@router.get("/{import_id}")
async def import_page(
    import_id: UUID, request: Request, operator: OperatorPage, pages: PagesOf, deps: DepsOf
) -> Response:
    return await _import_page(request, pages, deps, import_id)


@router.post("/{import_id}/levels", dependencies=[CsrfProtected])
async def create_levels(
    import_id: UUID, request: Request, operator: OperatorPage, pages: PagesOf, deps: DepsOf
) -> Response:
    currency = posted(await request.form()).get("currency", "").strip().lower()
    if len(currency) != 3 or not currency.isalpha():
        form = FormState(values={"currency": currency}, errors={"currency": "Enter a three-letter currency, like USD"})
        return await _import_page(request, pages, deps, import_id, form=form, status=400)
    try:
        await imports.create_proposed_levels(deps, import_id, currency)
    except NotFound:
        raise PageNotFound("import") from None
    except Conflict as refused:
        return await _import_page(request, pages, deps, import_id, problem=str(refused), status=409)
    return pages.redirect(f"/membership/operator/imports/{import_id}")


@router.post("/{import_id}/start", dependencies=[CsrfProtected])
async def start(import_id: UUID, request: Request, operator: OperatorPage, pages: PagesOf, deps: DepsOf) -> Response:
    values = posted(await request.form())
    try:
        await imports.start(
            deps,
            import_id,
            send_invitations=values.get("send_invitations") == "yes",
            leave_out_refused=values.get("leave_out_refused") == "yes",
        )
    except NotFound:
        raise PageNotFound("import") from None
    except (Conflict, Invalid) as refused:
        return await _import_page(request, pages, deps, import_id, problem=str(refused), status=409)
    return pages.redirect(f"/membership/operator/imports/{import_id}")
