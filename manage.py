#!/usr/bin/env python
import os
import sys
from pathlib import Path

#: Commands that read the code only (is a migration missing, the translation catalogues): they
#: run without the servers' settings, on the development defaults (DEBUG), and touch no data.
CODE_ONLY = {"makemigrations", "makemessages", "compilemessages"}

if __name__ == "__main__":
    try:
        import django  # noqa: F401
    except ImportError:  # a plain python3 after `make setup`: go on with the project's own
        venv = Path(__file__).resolve().with_name(".venv") / "bin" / "python"
        if venv.exists() and Path(sys.executable).resolve() != venv.resolve():
            os.execv(venv, [str(venv), *sys.argv])
        raise
    if sys.argv[1:2] and sys.argv[1] in CODE_ONLY and not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
