"""One JSON error shape for every service, close to Bitwarden's so the official clients print our messages."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mspvault.shared.errors import ConflictError, DomainError, ForbiddenError, NotFoundError


def error_body(message: str, validation_errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {
        "message": message,
        "validationErrors": validation_errors or None,
        "errorModel": {"message": message, "object": "error"},
        "exceptionMessage": None,
        "exceptionStackTrace": None,
        "innerExceptionMessage": None,
        "object": "error",
    }


def error_response(status: int, message: str, validation_errors: dict[str, list[str]] | None = None) -> JSONResponse:
    return JSONResponse(error_body(message, validation_errors), status_code=status)


def _status_of(error: DomainError) -> int:
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, ForbiddenError):
        return 403
    if isinstance(error, ConflictError):
        return getattr(error, "status", 409)
    return 400


# PostgreSQL refuses some text whatever the column: a NUL character in a string (22021, character_not_in_repertoire)
# and a \u0000 inside JSON stored as jsonb (22P05, untranslatable_character). Both come from the request.
UNSTORABLE_TEXT_SQLSTATES = frozenset({"22021", "22P05"})
UNSTORABLE_TEXT = "The request contains text that cannot be stored (a NUL character, \\u0000)."


def is_unstorable_text(error: DBAPIError) -> bool:
    return getattr(error.orig, "sqlstate", None) in UNSTORABLE_TEXT_SQLSTATES


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, error: DomainError) -> JSONResponse:
        fields = {error.field: [error.message]} if error.field else None
        return error_response(_status_of(error), error.message, fields)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        fields: dict[str, list[str]] = {}
        for problem in error.errors():
            fields.setdefault(_field_name(tuple(problem.get("loc", ()))), []).append(str(problem.get("msg")))
        first = next(iter(fields))
        return error_response(400, f"The model state is invalid: {first}: {fields[first][0]}", fields)

    @app.exception_handler(DBAPIError)
    async def database_error(_: Request, error: DBAPIError) -> JSONResponse:
        if is_unstorable_text(error):
            return error_response(400, UNSTORABLE_TEXT)
        raise error  # the server's fault: a 500, logged as before

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        message = error.detail if isinstance(error.detail, str) else "Request failed"
        response = error_response(error.status_code, message)
        if error.headers:
            response.headers.update(error.headers)
        return response
