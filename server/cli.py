"""`maitre-ao-server`: serve (127.0.0.1:8000 by default), migrate, purge."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from server import workers
from server.config import FRENCH_REGIONS, Settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = Settings.from_env()
    if settings.production and settings.hosting_region not in FRENCH_REGIONS:
        # The privacy policy promises hosting in France: refuse to serve from anywhere else.
        print(
            "Démarrage refusé : en production, MAITRE_AO_HOSTING_REGION doit valoir "
            + " ou ".join(sorted(FRENCH_REGIONS))
            + " (hébergement en France).",
            file=sys.stderr,
        )
        return 1
    options: dict[str, Any] = {
        # The app reads X-Forwarded-For / -Proto itself (only when MAITRE_AO_TRUST_PROXY, i.e. behind the
        # router), taking the hop the router added rather than whatever the client wrote.
        "proxy_headers": False,
        "server_header": False,
        "log_level": "info",
        # No line per request: the PaaS router already logs requests, connection events go to the
        # connection log (12 months), and formatting a line per request costs CPU on the sync path.
        "access_log": False,
    }
    if args.workers > 1 and workers.supported():
        try:
            return workers.run(args.host, args.port, args.workers, options)
        except OSError as exc:
            print(f"Démarrage impossible sur {args.host}:{args.port} : {exc.strerror}.", file=sys.stderr)
            return 1
    uvicorn.run(
        "server.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers, **options
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
