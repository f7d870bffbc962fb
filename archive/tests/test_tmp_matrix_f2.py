import pytest

import tests.security.test_permission_matrix as m
from tests.security.matrix import PERSONAS
from tests.security.test_permission_matrix import _no_weasyprint, matrix_world  # noqa: F401


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_archive_rows(persona, monkeypatch, matrix_world, settings, _no_weasyprint):  # noqa: F811
    monkeypatch.setattr(m, "ROWS", [r for r in m.ROWS if "archive" in r.url])
    m._plan.cache_clear()
    m.test_matrix.__wrapped__(persona, matrix_world, settings, None) if hasattr(
        m.test_matrix, "__wrapped__"
    ) else m.test_matrix(persona, matrix_world, settings, None)
