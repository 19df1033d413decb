"""Start Django for commands that use the EDC (the pure commands never import it)."""

from __future__ import annotations

import os


def setup(settings_module: str = "ramunet.edc.settings") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
