#!/usr/bin/env python
"""Django's command-line entry point. Puts site/ on the import path so settings import as config.settings.*;
without DJANGO_SETTINGS_MODULE, DEBUG=1 selects the development settings and anything else production's."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))
    from config.settings import default_module

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_module())
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
