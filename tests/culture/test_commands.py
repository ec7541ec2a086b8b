"""`minsheng culture check-project` and `import-zones` on files."""

import json

from typer.testing import CliRunner

from minsheng.culture.commands import app
from minsheng.culture.models import ConsentCase, ConstructionCheck, ProtectionZone
from tests.culture.conftest import A, east, square


def test_check_project_file_records_every_feature(world, tmp_path):
    path = tmp_path / "projects.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "学校", "applicant": "教育局"},
         "geometry": {"type": "Point", "coordinates": [east(*A, 250), A[1]]}},
        {"type": "Feature", "properties": {"name": "公园"},
         "geometry": {"type": "Point", "coordinates": [east(*A, 5000), A[1]]}}]}))
    result = CliRunner().invoke(app, ["check-project", str(path), "--area", "120199001001",
                                      "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["result"] for r in rows] == ["control", "clear"]
    assert rows[0]["consent"] and ConsentCase.objects.count() == 1
    assert ConstructionCheck.objects.count() == 2


def test_check_project_refuses_a_file_outside_the_district(world, tmp_path):
    path = tmp_path / "p.geojson"
    path.write_text(json.dumps(square(116.4, 39.9, 50)))
    result = CliRunner().invoke(app, ["check-project", str(path), "--area", "120199001001"])
    assert result.exit_code == 1 and not ConstructionCheck.objects.exists()


def test_import_zones_all_or_nothing(world, tmp_path):
    path = tmp_path / "zones.geojson"
    features = [{"type": "Feature", "properties": {"site": "WB0001", "kind": "protection"},
                 "geometry": square(*A, 110)},
                {"type": "Feature", "properties": {"site": "NOPE", "kind": "protection"},
                 "geometry": square(*A, 110)}]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    before = ProtectionZone.objects.count()
    result = CliRunner().invoke(app, ["import-zones", str(path)])
    assert result.exit_code == 1 and ProtectionZone.objects.count() == before
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features[:1]}))
    result = CliRunner().invoke(app, ["import-zones", str(path)])
    assert result.exit_code == 0 and "1 zones imported" in result.output
