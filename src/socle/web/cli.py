"""``socle serve``: the web platform, as a command of the ``socle`` CLI (added through the
``socle.commands`` entry point, so that the core never imports Django)."""

from __future__ import annotations

import argparse
import os
import sys


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = sub.add_parser("serve", help="démarrer la plateforme web (http://127.0.0.1:8000)")
    serve.add_argument(
        "--demo", action="store_true", help="créer les données de démonstration si la base est vide"
    )
    serve.add_argument("--port", type=int, default=8000, help="port d'écoute (8000 par défaut)")
    serve.add_argument("--hote", "--host", dest="host", default="127.0.0.1", help="adresse d'écoute")
    serve.add_argument(
        "--processus",
        "--workers",
        dest="workers",
        type=int,
        default=default_workers(),
        help=f"processus du serveur (un de plus que de cœurs par défaut : {default_workers()} ici)",
    )
    serve.set_defaults(handler=_cmd_serve)


def default_workers() -> int:
    """One server process more than cores: Python runs one thread at a time in a process, so with
    as many processes as cores a busy process leaves its threads' requests waiting while a core idles
    (measured with bench/web.py on 2 cores: p95 of 50 people 82 ms with 3 processes, 98-198 ms with 2)."""
    return (os.cpu_count() or 1) + 1


def setup() -> None:
    """Configure Django for Socle (settings from the environment, state in ``SOCLE_HOME``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socle.web.settings")
    import django

    django.setup()


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        import django  # noqa: F401
        import gunicorn  # noqa: F401
    except ImportError:
        print(
            "Erreur : la plateforme web demande les paquets de l'option « web » de Socle "
            "(pip install 'socle[web]', ou ./run qui les installe).",
            file=sys.stderr,
        )
        return 2
    setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if args.demo:
        from socle.web.demo import load_demo

        logins = load_demo()
        if logins:
            print("Données de démonstration créées. Comptes (mot de passe entre parenthèses) :")
            for line in logins:
                print(f"  {line}")
    print(f"Socle : http://{args.host}:{args.port}/  (état dans {settings.STATE}, Ctrl+C pour arrêter)")
    sys.stdout.flush()
    from socle.web.server import run

    return run(args.host, args.port, args.workers)
