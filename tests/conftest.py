import sys
from pathlib import Path

# the test helpers (fixture_harness, keygen) live beside the tests
sys.path.insert(0, str(Path(__file__).resolve().parent))
