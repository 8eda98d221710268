"""Test-suite wide setup. Real-data helpers live in ``realdata.py`` (``from realdata import …``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # makes `realdata` importable from every test folder
