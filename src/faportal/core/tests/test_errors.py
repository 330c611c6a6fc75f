"""An unexpected error shows a friendly page with an error id, never a stack trace (SPEC S9)."""

import re

import pytest
from django.urls import path

from faportal.testing import sign_in
from faportal.urls import urlpatterns as portal_urls


def boom(request):
    raise RuntimeError("kaboom 198112189876")


urlpatterns = [*portal_urls, path("boom/", boom)]
handler500 = "faportal.core.views.server_error"


@pytest.mark.urls("faportal.core.tests.test_errors")
def test_the_error_page_has_an_id_that_the_log_has_too(client, world, caplog):
    sign_in(client, world.admin_a.person)
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Något gick fel" in content
    assert "kaboom" not in content
    assert "Traceback" not in content
    error_id = content.split("felkoden <strong>")[1].split("</strong>")[0]
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", error_id)
    assert error_id in caplog.text


def test_an_unknown_page_is_not_found_in_swedish(client, db):
    response = client.get("/logga-in/finns-inte/")
    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()
