"""`maitre-ao-server`: serve (127.0.0.1:8000 by default), migrate, purge."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from server.config import Settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = Settings.from_env()
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=settings.trust_proxy_headers,
        forwarded_allow_ips="*" if settings.trust_proxy_headers else None,
        server_header=False,
        log_level="info",
    )
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    from server.migrate import upgrade

    upgrade(Settings.from_env().database_url)
    print("Base de données à jour.")
    return 0


def _purge(_args: argparse.Namespace) -> int:
    from server.context import AppContext
    from server.retention import purge

    ctx = AppContext(Settings.from_env())
    with ctx.tx() as s:
        report = purge(s, ctx.settings)
    ctx.engine.dispose()
    print("Purge effectuée (règles de conservation) :")
    for line in report.lines():
        print("  " + line)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="maitre-ao-server", description="API de compte de Maître AO.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="servir l'API")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    serve.set_defaults(func=_serve)
    sub.add_parser("migrate", help="appliquer les migrations de la base").set_defaults(func=_migrate)
    sub.add_parser("purge", help="appliquer les durées de conservation").set_defaults(func=_purge)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
