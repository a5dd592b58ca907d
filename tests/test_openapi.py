"""/api/openapi.json: a valid OpenAPI 3.1 document that real responses conform to."""
import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from web import create_app

ARTICLE_ID = "002_c2e6582fa8d69c59"


@pytest.fixture
def spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.json


def check(spec, path, method, response):
    """Validate a real response's JSON body against the schema the document gives for its status."""
    responses = spec["paths"][path][method]["responses"]
    assert str(response.status_code) in responses, f"{path}: status {response.status_code} is not documented"
    schema = responses[str(response.status_code)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": spec["components"]},
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(response.json), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate_spec(spec)


def test_every_api_route_of_the_app_is_documented(app, spec):
    documented = set(spec["paths"])
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "api.api_not_found", "stories.story_page") or rule.endpoint.startswith("pages."):
            continue
        served.add(rule.rule.replace("<path:article_id>", "{id}").replace("<path:story_id>", "{id}"))
    assert served == documented


@pytest.mark.parametrize("query", [
    "q=embassy", "q=teargas", "q=embassy+siege", "q=embassy&per_page=2&page=3", "q=nothingmatchesthis",
    "q=", "q=embassy&outlet=CNBC&outlet=BBC+News&sort=newest", "q=Khamenei&match=any&published=2020-01",
    "q=embassy&from=2019-12-01&to=2019-12-31", "q=embassy&collapse=false",
])
def test_search_responses_match_the_schema(client, spec, query):
    response = client.get("/api/search?" + query)
    assert response.status_code == 200
    check(spec, "/api/search", "get", response)


@pytest.mark.parametrize("query", ["page=0", "per_page=1000", "sort=bogus", "from=2020-13-01", "q=*",
                                   "outlet=Nobody"])
def test_search_errors_match_the_error_schema(client, spec, query):
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    check(spec, "/api/search", "get", response)


def test_article_responses_match_the_schema(client, spec):
    check(spec, "/api/articles/{id}", "get", client.get(f"/api/articles/{ARTICLE_ID}"))
    missing = client.get("/api/articles/no-such-id")
    assert missing.status_code == 404
    check(spec, "/api/articles/{id}", "get", missing)
    wrong_method = client.delete(f"/api/articles/{ARTICLE_ID}")
    assert wrong_method.status_code == 405
    check(spec, "/api/articles/{id}", "get", wrong_method)


def test_health_and_unavailable_responses_match_the_schema(client, spec, tmp_path):
    check(spec, "/healthz", "get", client.get("/healthz"))
    empty = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    unavailable = empty.get("/healthz")
    assert unavailable.status_code == 503
    check(spec, "/healthz", "get", unavailable)
    search_unavailable = empty.get("/api/search?q=embassy")
    assert search_unavailable.status_code == 503
    check(spec, "/api/search", "get", search_unavailable)


def test_the_document_describes_itself(client, spec):
    check(spec, "/api/openapi.json", "get", client.get("/api/openapi.json"))


def search_params(spec):
    return {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}


def test_documented_parameters_are_exactly_the_ones_the_api_reads(spec):
    assert set(search_params(spec)) == {"q", "outlet", "section", "published", "from", "to", "sort", "match",
                                        "page", "per_page", "collapse"}


def non_empty(schema: dict) -> dict:
    """A parameter's rule for non-empty values (an empty value is documented as absent: ``anyOf[1]``)."""
    return schema["anyOf"][0] if "anyOf" in schema else schema


def out_of_range_values(spec):
    """A value just outside each documented rule, read from the document itself."""
    for name, p in search_params(spec).items():
        schema = non_empty(p["schema"])
        if "enum" in schema:
            yield name, "not-" + schema["enum"][0]
        if "maximum" in schema:
            yield name, str(schema["maximum"] + 1)
        if "minimum" in schema:
            yield name, str(schema["minimum"] - 1)
        if "maxLength" in schema:
            yield name, "x" * (schema["maxLength"] + 1)
        if schema.get("format") == "date":
            yield name, "2020-02-30"
        if schema.get("type") == "integer":
            yield name, "seven"


def test_every_documented_rule_is_enforced(client, spec):
    cases = list(out_of_range_values(spec))
    assert len(cases) >= 10
    for name, value in cases:
        response = client.get("/api/search", query_string={name: value})
        assert response.status_code == 400, (name, value)
        assert response.json["error"]["param"] == name
        check(spec, "/api/search", "get", response)


def test_documented_defaults_are_the_ones_applied(client, spec):
    params = search_params(spec)
    data = client.get("/api/search?q=embassy").json
    assert data["page"] == non_empty(params["page"]["schema"])["default"]
    assert data["per_page"] == non_empty(params["per_page"]["schema"])["default"]



def test_post_search_responses_match_the_schema(client, spec):
    body = spec["paths"]["/api/search"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/x-www-form-urlencoded", "application/json"}
    sent = {"q": "embassy", "outlet": ["CNBC", "BBC News"], "per_page": 2, "collapse": False}
    errors = Draft202012Validator(body["application/json"]["schema"]).iter_errors(sent)
    assert not list(errors)
    for response in (client.post("/api/search", json=sent), client.post("/api/search", data=sent),
                     client.post("/api/search", json={"page": 0}), client.post("/api/search", data="x",
                                                                                content_type="text/plain")):
        check(spec, "/api/search", "post", response)
