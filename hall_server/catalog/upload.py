"""The catalog import's request body: the YAML file itself, or JSON ``{"yaml": "…"}``.

The README says a catalog is a YAML file sent to ``PUT /api/v1/admin/catalog``, so
``curl -T catalog.yaml -H 'Content-Type: application/yaml' …`` must work, as the JSON wrapper
always did. The body's size is limited before it gets here (``limits.LARGER_BODIES``:
``catalog_body_bytes``).
"""

from __future__ import annotations

from fastapi import Request
from pydantic import ValidationError

from hall_server.catalog.problems import CatalogProblem, CatalogRejected
from hall_server.errors import HallError
from hall_server.messages import CATALOG_PROBLEMS
from hall_server.schemas import CatalogIn

JSON_TYPES = ("application/json",)
# curl's --data-binary sends form-urlencoded unless told otherwise: the file is still the body.
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain",
              "application/x-www-form-urlencoded", "")

_TEXT = {"type": "string", "description": "the catalog's YAML (docs/CATALOG.md)"}
CATALOG_BODY = {"requestBody": {"required": True, "content": {
    "application/yaml": {"schema": _TEXT},
    "text/yaml": {"schema": _TEXT},
    "text/plain": {"schema": _TEXT},
    "application/json": {"schema": CatalogIn.model_json_schema()},
}}}


async def catalog_text(request: Request) -> str:
    """The catalog's YAML from the request, whichever way it was sent."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if media in JSON_TYPES:
        try:
            return CatalogIn.model_validate_json(body).yaml
        except ValidationError as exc:
            detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3])
            raise HallError("invalid_request", 422, detail=detail or "yaml") from None
    if media not in YAML_TYPES:
        raise HallError("catalog_media_type", 415, media=media)
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        entry = CATALOG_PROBLEMS["encoding"]
        line = body[:exc.start].count(b"\n") + 1
        raise CatalogRejected([CatalogProblem(line, "", entry["zh"], entry["en"])]) from None
