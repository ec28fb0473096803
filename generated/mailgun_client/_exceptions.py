"""The exceptions this package raises. Catch ``MailgunError`` for all of them."""

from collections.abc import Mapping
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MailgunError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "make_status_error",
]


class MailgunError(Exception):
    """The base of every exception raised by this package."""


class APIError(MailgunError):
    """A request failed: the API answered with an error, or did not answer."""

    message: str
    request: httpx.Request

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The API could not be reached."""

    def __init__(
        self, *, request: httpx.Request, message: str = "Connection error."
    ) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, *, request: httpx.Request) -> None:
        super().__init__(request=request, message="Request timed out.")


class APIStatusError(APIError):
    """The API answered with a 4xx or 5xx status."""

    status_code: int
    headers: httpx.Headers
    body: Any
    """The parsed JSON body, or the text when it is not JSON."""
    # ``message`` (from APIError) holds the body's ``message`` field when the
    # API sent one, else the start of the body or the reason phrase.
    response: httpx.Response

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        super().__init__(message, request=response.request)
        self.args = (f"Error code: {response.status_code} - {message}",)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body

    @property
    def text(self) -> str:
        """The raw body of the error response."""
        return self.response.text


class BadRequestError(APIStatusError):
    """400: the request was malformed or a parameter was invalid."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or wrong."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this."""


class NotFoundError(APIStatusError):
    """404: the resource does not exist."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's current state."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well-formed but could not be processed."""


class RateLimitError(APIStatusError):
    """429: too many requests."""


class InternalServerError(APIStatusError):
    """5xx: the API failed."""


_BY_STATUS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def make_status_error(response: httpx.Response, body: Any) -> APIStatusError:
    """The exception for an error response: one class per status family."""
    status = response.status_code
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    detail = body.get("message") if isinstance(body, Mapping) else None
    if not isinstance(detail, str) or not detail:
        detail = response.text.strip()[:200] or response.reason_phrase
    return cls(detail, response=response, body=body)
