"""Security: the spec's schemes -> how the client sends its key, per operation.

Part of the model stage. Every scheme the client can use becomes an
``ir.Security`` (HTTP basic and bearer, an API key in a header, query or
cookie, OAuth2/OpenID Connect as a bearer token the caller supplies). A
requirement is a list of alternatives, each a set of schemes sent together;
an operation's own ``security`` (``[]`` included) replaces the document's.
"""

import re
from typing import Any

from generator import ir
from generator.context import Context, text_of
from generator.diagnostics import join

Requirement = tuple[tuple[str, ...], ...]


def schemes(ctx: Context, data: dict[str, Any]) -> tuple[ir.Security, ...]:
    """Every usable scheme of ``components/securitySchemes``, in spec order."""
    found = (data.get("components") or {}).get("securitySchemes") or {}
    out = []
    for key, raw in found.items():
        sptr = join("", "components", "securitySchemes", key)
        scheme, sptr = ctx.deref(raw, sptr)
        built = _scheme(ctx, str(key), scheme, sptr)
        if built is not None:
            out.append(built)
    return tuple(out)


def _scheme(
    ctx: Context, key: str, scheme: dict[str, Any], sptr: str
) -> ir.Security | None:
    kind = scheme.get("type")
    desc = text_of(scheme)
    http = str(scheme.get("scheme", "")).lower()
    if kind == "http" and http == "basic":
        return ir.Security(key, "basic", _basic_user(ctx, scheme, desc, sptr), desc)
    if kind == "http" and http == "bearer":
        return ir.Security(key, "bearer", "", desc)
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
        return ir.Security(key, scheme["in"], str(scheme.get("name", "")), desc)
    if kind in ("oauth2", "openIdConnect"):
        ctx.diags.info(
            sptr,
            f"{kind}: the client sends the access token you pass as a bearer token",
        )
        return ir.Security(key, "bearer", "", desc)
    ctx.diags.warning(
        sptr,
        f"security scheme type {kind!r}{f' ({http})' if http else ''} is not "
        "supported; operations that need only it are sent without credentials",
    )
    return None


def _basic_user(ctx: Context, scheme: dict[str, Any], desc: str, sptr: str) -> str:
    user = scheme.get("x-default-username")
    hint = re.search(r"\b([A-Za-z0-9_.-]+):(YOUR_|<)?[A-Za-z_]*KEY\b", desc)
    if not isinstance(user, str) and hint:
        user = hint.group(1)
        ctx.diags.info(sptr, f"basic auth user name {user!r} read from the description")
    if not isinstance(user, str):
        ctx.diags.info(
            sptr,
            "HTTP basic auth without x-default-username: the key is sent as the "
            "password with an empty user name",
        )
        user = ""
    return user


def requirement(
    ctx: Context, raw: Any, ptr: str, known: tuple[ir.Security, ...]
) -> Requirement:
    """A ``security`` list as alternatives of known scheme keys. An
    alternative naming a scheme the client cannot use is dropped, with a
    warning; ``{}`` (no credentials) stays an empty alternative."""
    names = {s.key for s in known}
    out: list[tuple[str, ...]] = []
    for i, alt in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(alt, dict):
            continue
        missing = [k for k in alt if k not in names]
        if missing:
            ctx.diags.warning(
                join(ptr, i),
                f"security scheme {missing[0]!r} is not defined or not supported; "
                "this alternative is left out",
            )
            continue
        out.append(tuple(str(k) for k in alt))
    return tuple(out)
