import pytest

from tests import factories


@pytest.fixture
def areas(db):
    return factories.district()
