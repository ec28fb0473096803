"""Operations: one operation of the spec -> its generated methods.

Part of the model stage. ``build_operations`` turns a ``SpecOperation``
(found by ``model.build``, named by ``derive``) into ``ir.Operation``s: its
parameters, one method per usable request media type, its responses and
its pagination (``parameters.py`` and ``bodies.py`` do the first two).
"""

from dataclasses import dataclass
from typing import Any

from generator import ir, operation_ids
from generator.bodies import bodies, encoding
from generator.context import Context, text_of
from generator.conventions import RESERVED_ARGS
from generator.diagnostics import join
from generator.naming import Namespace, pascal, singular, words
from generator.parameters import parameters
from generator.paths import is_version
from generator.schemas import schema_type
from generator.security import requirement


@dataclass
class SpecOperation:
    """An operation as found in the spec, before it is built."""

    op: dict[str, Any]
    ptr: str  # JSON pointer of the operation object
    http_method: str
    path: str  # the key under /paths
    tag: str  # the resource it belongs to (``derive`` may re-home it)
    path_item: dict[str, Any]  # the path item, $ref resolved
    path_ptr: str


def build_operations(
    ctx: Context, m: SpecOperation, name: str, method_ns: Namespace
) -> list[ir.Operation]:
    """The methods for one operation: one per request media type, named
    ``name`` (the first), ``name_<encoding>`` or the media type's
    ``x-python-method``; none when the operation cannot be generated."""
    op, ptr = m.op, m.ptr
    hint = class_hint(m, name)
    args = Namespace(RESERVED_ARGS)
    params = parameters(ctx, m, hint, args)
    found = bodies(ctx, op, ptr, hint, args)
    success, errors = _responses(ctx, op, ptr, hint)
    page = page_info(ctx, success) if m.http_method == "get" else None
    needs = (
        requirement(ctx, op["security"], join(ptr, "security"), ctx.schemes)
        if "security" in op
        else None
    )
    variants: list[tuple[ir.Body | None, str]] = list(found) or [(None, "")]
    out = []
    for i, (body, override) in enumerate(variants):
        wanted = override or (
            name if i == 0 else f"{name}_{body.encoding if body else i}"
        )
        out.append(
            ir.Operation(
                page=page,
                operation_id=str(op.get("operationId") or ""),
                method_name=ctx.claim(
                    method_ns, wanted, ptr, f"method name {wanted!r}"
                ),
                http_method=m.http_method,
                path=m.path,
                summary=text_of(op, "summary"),
                description=text_of(op),
                deprecated=bool(op.get("deprecated")),
                parameters=tuple(params),
                body=body,
                success=success,
                errors=errors,
                pointer=ptr,
                security=needs,
            )
        )
    return out


# ------------------------------------------------------------------ responses


def _responses(
    ctx: Context, op: dict[str, Any], ptr: str, hint: str
) -> tuple[ir.Response, tuple[ir.Response, ...]]:
    """The success response (the first 2xx, else ``default``) and the
    documented errors."""
    responses = op.get("responses") or {}
    built: list[ir.Response] = []
    for status in sorted(responses, key=lambda s: (s == "default", s)):
        resp, rptr = ctx.deref(
            responses[status], join(ptr, "responses", status), "response"
        )
        content = resp.get("content") or {}
        kind, media_type = _response_kind(content)
        rtype: ir.TypeRef | None = None
        if kind == "json":
            media = content[media_type]
            schema = media.get("schema", {}) if isinstance(media, dict) else {}
            rtype = schema_type(
                ctx,
                schema,
                join(rptr, "content", media_type, "schema"),
                hint + _status_name(status),
            )
        elif kind == "text":
            rtype = ir.TypeRef("str")
        built.append(ir.Response(status, text_of(resp), rtype, media_type, kind))
    success = [r for r in built if r.status.startswith("2")]
    errors = tuple(r for r in built if not r.status.startswith(("2", "1", "3")))
    if success:
        return success[0], errors
    default = [r for r in built if r.status == "default"]
    if default:
        return default[0], tuple(r for r in errors if r.status != "default")
    return ir.Response("200", "", None, kind="none"), errors


# Class-name words for the error statuses APIs document most (a fixed table:
# Python's own phrases change between versions, and output may not).
STATUS_NAMES = {
    "400": "BadRequest",
    "401": "Unauthorized",
    "402": "PaymentRequired",
    "403": "Forbidden",
    "404": "NotFound",
    "405": "MethodNotAllowed",
    "406": "NotAcceptable",
    "408": "RequestTimeout",
    "409": "Conflict",
    "410": "Gone",
    "412": "PreconditionFailed",
    "413": "TooLarge",
    "415": "UnsupportedMediaType",
    "422": "Unprocessable",
    "423": "Locked",
    "424": "FailedDependency",
    "425": "TooEarly",
    "429": "TooManyRequests",
    "500": "ServerError",
    "501": "NotImplemented",
    "502": "BadGateway",
    "503": "Unavailable",
    "504": "GatewayTimeout",
    "4XX": "ClientError",
    "5XX": "ServerError",
    "default": "Error",
}


def _status_name(status: str) -> str:
    """``ListDelete`` + this = the class of a response body: ``Response`` for
    success, ``NotFound`` for 404, ``Error418`` for what the table lacks."""
    if status.startswith("2"):
        return "Response"
    return STATUS_NAMES.get(
        status.upper() if "X" in status.upper() else status, ""
    ) or (f"Error{status}")


def class_hint(m: SpecOperation, name: str) -> str:
    """The start of the class names an operation's inline schemas take: its
    readable operationId (version tags left out), else the resource and the
    method name (``ListDelete``)."""
    op_id = str(m.op.get("operationId") or "")
    if op_id and not operation_ids.is_machine(op_id, m.http_method, m.path):
        kept = [w for w in words(op_id) if not is_version(w)]
        return pascal(" ".join(kept or words(op_id)))
    resource = [*words(m.tag)]
    if resource:
        resource[-1] = singular(resource[-1])
    return pascal(" ".join([*resource, name]))


def _response_kind(content: dict[str, Any]) -> tuple[ir.ResponseKind, str]:
    """How a response is read, and the media type it is read as: JSON when
    one media type is JSON, else the first one's kind."""
    if not content:
        return "none", ""
    for media_type in content:
        if encoding(media_type) == "json":
            return "json", media_type
    media_type = next(iter(content))
    mt = media_type.split(";", 1)[0].strip().lower()
    if mt == "text/event-stream":
        return "events", media_type
    if mt.startswith("text/") or mt.endswith(("/xml", "+xml")):
        return "text", media_type
    return "binary", media_type


def page_info(ctx: Context, success: ir.Response) -> ir.Page | None:
    """The pagination rule: a GET whose success body is a model with an
    ``items`` list and a ``paging`` object that has a ``next`` field (a URL)
    is paginated; its method returns a page that follows ``paging.next``."""
    if success.type is None or success.type.kind != "model":
        return None
    model = ctx.models.get(success.type.name)
    if model is None:
        return None
    fields = {f.wire_name: f for f in _all_fields(ctx, model)}
    items, paging = fields.get("items"), fields.get("paging")
    if items is None or paging is None or items.type.kind != "list":
        return None
    paging_type = next((t for t in paging.type.walk() if t.kind == "model"), None)
    paging_model = ctx.models.get(paging_type.name) if paging_type else None
    if paging_model is None or "next" not in {
        f.wire_name for f in _all_fields(ctx, paging_model)
    }:
        return None
    return ir.Page(item=items.type.args[0])


def _all_fields(ctx: Context, model: ir.Model) -> list[ir.Field]:
    inherited = ctx.models.get(model.base) if model.base else None
    return [*(_all_fields(ctx, inherited) if inherited else []), *model.fields]
