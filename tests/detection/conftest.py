import sys
from pathlib import Path

# The detection tests need no Django; make src importable when the package is not installed.
_SRC = Path(__file__).resolve().parents[2] / "src"
if str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))
