"""Every page sends a strict Content-Security-Policy (issue 13 item 25) and works under it: the
web client, the API docs and the admin load and run with no inline script or style refused."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.conftest import wait_live

# Collected before any page script runs (Playwright's init scripts are not subject to the CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def open_page(browsing, context, path: str):
    context.add_init_script(RECORD_VIOLATIONS)
    page = browsing.page(context, path)
    return page


def assert_strict_policy(response) -> None:
    policy = response.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_the_web_client_runs_under_the_policy(browsing, server, trip):
    context = browsing.person(trip.alice)
    page = open_page(browsing, context, "/")
    expect(page.get_by_role("heading", name="Your trips")).to_be_visible()
    wait_live(page)  # the WebSocket is allowed by connect-src 'self'
    page.get_by_text("Dalat weekend").first.click()
    expect(page.get_by_role("heading", name="Dalat weekend")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []
    assert_strict_policy(context.request.get(f"{server.url}/"))


def test_the_api_docs_and_the_admin_run_under_the_policy(browsing, server, trip):
    trip.alice.is_staff = trip.alice.is_superuser = True
    trip.alice.save(update_fields=["is_staff", "is_superuser"])
    context = browsing.person()
    docs = open_page(browsing, context, "/api/docs/")
    expect(docs.locator(".swagger-ui .info .title")).to_contain_text("PlanPal API")
    expect(docs.locator(".opblock-tag").first).to_be_visible()  # the schema was fetched
    # The stylesheet that replaced the template's inline style applies.
    assert docs.evaluate("getComputedStyle(document.body).margin") == "0px"
    assert docs.evaluate("window.__cspViolations") == []
    assert_strict_policy(context.request.get(f"{server.url}/api/docs/"))

    # The admin has no icon: the browser's own /favicon.ico request is the one 404 (checked).
    browsing.allow(r"status of 404")
    missing = []
    context.on("response", lambda r: r.status == 404 and missing.append(r.url))
    admin = open_page(browsing, context, "/admin/login/")
    admin.get_by_label("Username").fill("alice")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    expect(admin.get_by_role("heading", name="Site administration")).to_be_visible()
    admin.get_by_role("link", name="Users").first.click()
    expect(admin.get_by_role("heading", name="Select user to change")).to_be_visible()
    assert admin.evaluate("window.__cspViolations") == []
    assert {url.removeprefix(server.url) for url in missing} <= {"/favicon.ico"}, missing
    assert_strict_policy(context.request.get(f"{server.url}/admin/login/"))
