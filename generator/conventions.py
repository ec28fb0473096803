"""What the generated package fixes, in one place for model and templates.

The model stage keeps names from the spec clear of these; the templates and
``render`` print them. A name a template imports or defines next to
spec-derived classes belongs here, so the two can never disagree (a test
parses every generated module to hold this true).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorClass:
    status: int  # 0: the class for every 5xx
    name: str
    doc: str


# One exception class per documented error status; ``_exceptions.py`` defines
# them and maps statuses to them, method docstrings name them.
ERROR_CLASSES = (
    ErrorClass(
        400, "BadRequestError", "the request was malformed or a parameter was invalid."
    ),
    ErrorClass(401, "AuthenticationError", "the API key is missing or wrong."),
    ErrorClass(403, "PermissionDeniedError", "the key may not do this."),
    ErrorClass(404, "NotFoundError", "the resource does not exist."),
    ErrorClass(
        409, "ConflictError", "the request conflicts with the resource's current state."
    ),
    ErrorClass(
        422,
        "UnprocessableEntityError",
        "the request was well-formed but could not be processed.",
    ),
    ErrorClass(429, "RateLimitError", "too many requests."),
)
SERVER_ERROR = ErrorClass(0, "InternalServerError", "the API failed.")
_BY_STATUS = {str(e.status): e.name for e in ERROR_CLASSES}
# Every class _exceptions.py defines besides ``<Client>Error``.
EXCEPTION_CLASSES = frozenset(
    {
        "APIError",
        "APIConnectionError",
        "APITimeoutError",
        "APIStatusError",
        "APIResponseValidationError",
        SERVER_ERROR.name,
        *(e.name for e in ERROR_CLASSES),
    }
)


def error_class(status: str) -> str:
    """The exception the runtime raises for a documented error status."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return SERVER_ERROR.name if status.startswith("5") else "APIStatusError"


@dataclass(frozen=True)
class MethodOption:
    name: str
    annotation: str
    default: str


# Keyword arguments every generated method takes after the spec's own.
METHOD_OPTIONS = (
    MethodOption("extra_headers", "Headers | None", "None"),
    MethodOption("extra_query", "Query | None", "None"),
    MethodOption("extra_body", "Query | None", "None"),
    MethodOption("timeout", "Timeout | NotGiven", "NOT_GIVEN"),
    MethodOption("max_retries", "int | NotGiven", "NOT_GIVEN"),
)
# Lower-case names a resource module uses at module level: an argument or a
# method of that name would hide them, so specs may not take them (the
# runtime's own lower-case helpers are imported under ``_`` names instead,
# which spec names never start with). Builtins are spelled ``builtins.x``
# where a name hides them (see ``render.shadowed``).
MODULE_NAMES = frozenset({"builtins", "datetime"})
# A paginated method's extra argument: start at a page URL kept from earlier.
PAGE_URL = MethodOption("page_url", "str | None", "None")
RESERVED_ARGS = frozenset(
    {"self", *MODULE_NAMES, PAGE_URL.name, *(o.name for o in METHOD_OPTIONS)}
)
# Attributes of every resource class besides its methods.
RESERVED_METHODS = frozenset(
    {"with_raw_response", "with_streaming_response", *MODULE_NAMES}
)
# Members of the client classes: a resource may not take their names.
CLIENT_MEMBERS = frozenset(
    {
        "os",
        "httpx",
        "types",
        "resources",
        "request",
        "request_page",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "paginate",
        "close",
        "base_url",
        "timeout",
        "max_retries",
        "with_options",
        "copy",
        "cached_property",
    }
)

# Every name a generated module may import from the runtime or a library,
# with where it comes from (paths relative to the package root).
IMPORTABLE = {
    "AsyncAPIClient": "._base_client",
    "RequestOptions": "._base_client",
    "SyncAPIClient": "._base_client",
    "RawResponse": "._response",
    "async_to_raw_response_wrapper": "._response",
    "to_raw_response_wrapper": "._response",
    "async_to_streamed_response_wrapper": "._response",
    "to_streamed_response_wrapper": "._response",
    "Headers": "._types",
    "NOT_GIVEN": "._types",
    "NotGiven": "._types",
    "Query": "._types",
    "Timeout": "._types",
    "FileTypes": "._types",
    "RawContent": "._types",
    "Param": "._params",
    "FieldEncoding": "._utils",
    "_merge_fields": "._utils",
    "BinaryResponse": "._streaming",
    "AsyncBinaryResponse": "._streaming",
    "EventStream": "._streaming",
    "AsyncEventStream": "._streaming",
    "NoneType": "types",
    "AsyncPage": "._pagination",
    "AsyncPaginator": "._pagination",
    "SyncPage": "._pagination",
    "BaseModel": "._models",
    "ItemsModel": "._models",
    "OpenIntEnum": "._enums",
    "OpenStrEnum": "._enums",
    "Field": "pydantic",
    "Any": "typing",
    "Literal": "typing",
    "TypeAlias": "typing",
    "_cast": "typing",
    "_deprecated": "typing_extensions",
    "_cached_property": "functools",
    "_overload": "typing",
    "Mapping": "collections.abc",
}
# What every resource module imports, whatever its operations need.
RESOURCE_IMPORTS = (
    "AsyncAPIClient",
    "RequestOptions",
    "SyncAPIClient",
    "_cached_property",
    "async_to_raw_response_wrapper",
    "to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "to_streamed_response_wrapper",
    "Headers",
    "NOT_GIVEN",
    "NotGiven",
    "Query",
    "Timeout",
)
# Names _client.py imports or defines beside the resource classes.
CLIENT_NAMES = (
    "TYPE_CHECKING",
    "Final",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "Auth",
    "Security",
    "Region",
    "REGION_URLS",
    "AUTH",
    "ENV_VAR",
    "ENV_PREFIX",
    "setup_logging",
    "SERVER_VARIABLES",
    "SERVER_VARIABLE_CHOICES",
    "check_base_url",
    "server_url",
    "DISTRIBUTION",
    "USER_AGENT",
)

# Names webhook_events.py defines beside the payload classes it imports.
WEBHOOK_NAMES = ("WEBHOOK_NAMES", "WebhookPayload", "WebhookPayloadError")

# Class names the spec may not take: everything imported or defined in a
# module that also holds spec-derived classes.
RESERVED_CLASSES = frozenset(
    {
        *IMPORTABLE,
        *CLIENT_NAMES,
        *WEBHOOK_NAMES,
        "T",  # the type variable of the runtime's generic helpers
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
        "raw_json",  # the runtime BaseModel's own property
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "list",
        "datetime",
    }
)
