"""One error format for every answer: {"error": {"code": …, "message": …}} with a French message."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("maitre_ao.server")

_STATUS_MESSAGES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Requête invalide."),
    401: ("unauthorized", "Authentification requise."),
    403: ("forbidden", "Accès refusé."),
    404: ("not_found", "Ressource introuvable."),
    405: ("method_not_allowed", "Méthode non autorisée pour cette adresse."),
    409: ("conflict", "Conflit avec l'état actuel."),
    413: ("payload_too_large", "Requête trop volumineuse."),
    415: ("unsupported_media_type", "Type de contenu non pris en charge."),
    422: ("invalid_input", "Données invalides."),
    429: ("too_many_requests", "Trop de requêtes. Réessayez plus tard."),
}


class ApiError(Exception):
    """An error answered to the client with its status, code and French message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}, **extra}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse(error_body(code, message, **extra), status_code=status, headers=headers)


def unauthorized(message: str = "Session invalide ou expirée. Reconnectez-vous.") -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "requête"


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.headers or None, **exc.extra)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message = _STATUS_MESSAGES.get(exc.status_code, ("error", "Erreur."))
    return error_response(exc.status_code, code, message, dict(exc.headers or {}) or None)


def _french(error: dict[str, Any]) -> str:
    """Pydantic speaks English: say the same in French (our own validators already do)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    if kind == "missing":
        return "champ obligatoire"
    if kind == "extra_forbidden":
        return "champ inconnu"
    if kind == "string_too_short":
        return f"au moins {ctx.get('min_length', '?')} caractère(s)"
    if kind == "string_too_long":
        return f"au plus {ctx.get('max_length', '?')} caractère(s)"
    if kind == "string_pattern_mismatch":
        return "format invalide"
    if kind in {"too_short", "too_long"}:
        return "nombre d'éléments hors limites"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return "valeur hors limites"
    if kind == "json_invalid":
        return "JSON illisible"
    if kind.endswith(("_type", "_parsing")) or kind in {"model_attributes_type", "dict_type"}:
        return "type de valeur incorrect"
    return "valeur refusée"


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first: dict[str, Any] = dict(errors[0]) if errors else {}
    where = _field_path(first.get("loc", ()))
    return error_response(422, "invalid_input", f"Données invalides ({where}) : {_french(first)}.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    # Unexpected exceptions: server.middleware.SecurityHeaders (a handler here would still let Starlette
    # re-raise them to uvicorn, whose log would print their message and traceback).
