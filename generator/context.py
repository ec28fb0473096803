"""Parse state for one document, shared by the model builders."""

from dataclasses import dataclass, field
from typing import Any

from generator import ir
from generator.diagnostics import Diagnostics
from generator.load import LoadedSpec
from generator.naming import Namespace

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# Names the generated modules import or define next to spec-derived classes.
RESERVED_CLASSES = frozenset(
    {
        "Any",
        "BaseModel",
        "Literal",
        "NotGiven",
        "FileTypes",
        "OpenStrEnum",
        "OpenIntEnum",
        "Region",
        "RequestOptions",
        "Timeout",
        "Headers",
        "Query",
        "SyncAPIClient",
        "AsyncAPIClient",
        "Auth",
        "T",
    }
)
# Fields may not shadow pydantic's own attributes (``json``, ``copy``, ...),
# nor the names that annotations in the same class body use (``int``,
# ``list``, the ``datetime`` module): a field named ``int`` would shadow the
# type for every later field. Pydantic's names are listed rather than read
# from pydantic.BaseModel so the generator does not import pydantic.
RESERVED_FIELDS = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
        "to_dict",
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "list",
        "datetime",
    }
)
# Arguments every generated method has besides the spec's own.
RESERVED_ARGS = frozenset(
    {"self", "extra_headers", "extra_query", "timeout", "max_retries"}
)
RESERVED_METHODS = frozenset({"with_raw_response", "with_streaming_response"})

JSON_TYPES = {"string", "integer", "number", "boolean", "array", "object", "null"}


@dataclass
class Context:
    """Parse state for one document, threaded through every builder."""

    spec: LoadedSpec
    diags: Diagnostics
    classes: Namespace = field(default_factory=lambda: Namespace(RESERVED_CLASSES))
    component_names: dict[str, str] = field(default_factory=dict)  # ref -> class
    wanted_names: dict[str, str] = field(default_factory=dict)  # ref -> clean name
    # (path, wire name) -> the spelling used for that path parameter's
    # Python name, when the spec spells one parameter several ways.
    path_names: dict[tuple[str, str], str] = field(default_factory=dict)
    named: dict[str, ir.TypeRef] = field(default_factory=dict)  # ref -> type
    in_progress: set[str] = field(default_factory=set)
    models: dict[str, ir.Model] = field(default_factory=dict)
    enums: dict[str, ir.Enum] = field(default_factory=dict)
    # Inline enums and models by the pointer of their schema: a schema
    # reached twice (say a form body that is also a component) is one class.
    inline: dict[str, ir.TypeRef] = field(default_factory=dict)

    def deref(self, node: Any, ptr: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains; returns the target and its pointer."""
        seen = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                self.diags.error(ptr, f"$ref cycle through {ref!r}")
                return {}, ptr
            seen.add(ref)
            node, ptr = self.spec.resolve(ref), ref[1:]
        return node, ptr

    def claim_class(self, wanted: str, ptr: str) -> str:
        name, clashed = self.classes.claim(wanted)
        if clashed:
            self.diags.info(
                ptr, f"class name {wanted!r} is already taken; using {name!r}"
            )
        return name


def text_of(node: dict[str, Any], key: str = "description") -> str:
    value = node.get(key)
    return value.strip() if isinstance(value, str) else ""
