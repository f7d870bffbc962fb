# TEMPORARY runner of the news/showcase rows only (not committed).
import os
from pathlib import Path

import tests.security.test_permission_matrix as m
from tests.security.matrix import all_endpoints, load_matrix
from tests.security.test_permission_matrix import _no_weasyprint, matrix_world, test_matrix  # noqa: F401

ROWS = load_matrix(Path(os.environ.get("NEWS_ROWS", "/tmp/news_matrix.csv")))
_endpoints = all_endpoints()
_PLAN = tuple((row, e) for row in ROWS for e in m._concrete(row, _endpoints))
m._plan = lambda: _PLAN
