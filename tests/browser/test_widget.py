"""The /widget page in a real headless Chromium against a live server on a seeded database (both backends)."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import make_app
from tests.keys import Keys
from tests.live import LiveServer
from tests.reference import expected_houses, gemeenten, veiligheidshuizen

pytestmark = pytest.mark.slow
playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

LOCAL = "127.0.0.1"


@pytest.fixture(scope="module")
def server(seeded_url: str) -> Iterator[LiveServer]:
    """The app over real HTTP on the seeded database, with the default settings."""
    with LiveServer(seeded_url) as live:
        yield live


class Visit:
    """A browser tab that records every request it makes and the console errors it logs."""

    def __init__(self, browser: Any) -> None:
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.console: list[str] = []
        self.context = browser.new_context(viewport={"width": 960, "height": 900}, locale="nl-NL")
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.route("**/*", self._only_local)
        self.page = self.context.new_page()
        self.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    def _only_local(self, route: Any) -> None:
        if urlsplit(route.request.url).hostname == LOCAL:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def assert_stayed_local(self) -> None:
        hosts = {urlsplit(url).hostname for url in self.requests if not url.startswith(("data:", "about:"))}
        assert hosts == {LOCAL}, f"requests left {LOCAL}: {self.requests}"
        assert not self.blocked

    def errors(self) -> list[str]:
        return [line for line in self.console if line.startswith(("error", "pageerror"))]


@pytest.fixture
def visit(browser: Any) -> Iterator[Visit]:
    tab = Visit(browser)
    yield tab
    tab.context.close()


def house_names(code: str) -> list[str]:
    names = {row["id"]: row["name"] for row in veiligheidshuizen()}
    return [names[house] for house, _coverage in expected_houses(code)]


def pick_with_keyboard(page: Any, typed: str, wanted: str) -> None:
    """Type into the combobox, arrow down to the suggestion `wanted`, press Enter."""
    combobox = page.get_by_role("combobox", name="Gemeente")
    combobox.click()
    combobox.press_sequentially(typed, delay=40)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(combobox).to_have_attribute("aria-expanded", "true")
    options = page.get_by_role("option")
    expect(options.filter(has_text=wanted).first).to_be_visible()
    labels = options.all_inner_texts()
    index = next(i for i, label in enumerate(labels) if label.split(" (")[0] == wanted)
    for _ in range(index + 1):
        combobox.press("ArrowDown")
    expect(options.nth(index)).to_have_attribute("aria-selected", "true")
    expect(combobox).to_have_attribute("aria-activedescendant", f"kb-optie-{index}")
    expect(combobox).to_be_focused()
    combobox.press("Enter")
    expect(listbox).to_be_hidden()
    expect(combobox).to_have_value(wanted)


def test_pick_a_municipality_with_the_keyboard(server: LiveServer, visit: Visit, tmp_path: Path) -> None:
    page = visit.page
    page.goto(f"{server.url}/widget")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie kan ons helpen?")
    pick_with_keyboard(page, "Maas", "Maastricht")

    row = gemeenten()["GM0935"]
    expect(page.locator("#kb-title")).to_have_text("Hulp voor Maastricht")
    expect(page.locator("#kb-veiligheidshuis h4")).to_have_text(house_names("GM0935"))
    expect(page.locator("#kb-veiligheidshuis")).to_contain_text("Zelfde veiligheidsregio, niet bevestigd")
    expect(page.locator("#kb-veiligheidshuis")).to_contain_text("Vraag het Veiligheidshuis of het ook voor Maastricht")
    expect(page.locator("#kb-politie")).to_have_text(row["politie_eenheid_name"])
    expect(page.locator("#kb-regio")).to_have_text(row["veiligheidsregio_name"])
    expect(page.locator("#kb-experts")).to_contain_text("Landelijk")
    expect(page.locator("#kb-organisaties")).to_contain_text("Expertise-unit Sociale Stabiliteit")
    expect(page.locator("#kb-gaps")).to_contain_text("openbare stukken over hun aanpak")
    expect(page.get_by_role("status")).to_have_text("Hulp voor Maastricht wordt getoond.")
    assert page.evaluate("location.search") == "?municipality=GM0935"
    page.screenshot(path=str(tmp_path / "widget.png"), full_page=True)
    assert (tmp_path / "widget.png").stat().st_size > 10_000
    visit.assert_stayed_local()
    assert not visit.errors(), visit.errors()


def test_named_house_and_a_gap_are_explained(server: LiveServer, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{server.url}/widget")
    pick_with_keyboard(page, "Venlo", "Venlo")
    expect(page.locator("#kb-veiligheidshuis h4")).to_have_text(house_names("GM0983"))
    expect(page.locator("#kb-veiligheidshuis")).to_contain_text("Genoemd in de bron")
    page.get_by_role("combobox", name="Gemeente").fill("")
    pick_with_keyboard(page, "Roermond", "Roermond")
    expect(page.locator("#kb-title")).to_have_text("Hulp voor Roermond")
    expect(page.locator("#kb-veiligheidshuis")).to_contain_text("Geen Veiligheidshuis bekend")
    expect(page.locator("#kb-gaps")).to_contain_text("Vraag veiligheidsregio Limburg-Noord")
    visit.assert_stayed_local()


def test_escape_closes_the_suggestions_and_the_mouse_works_too(server: LiveServer, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{server.url}/widget")
    combobox = page.get_by_role("combobox", name="Gemeente")
    combobox.press_sequentially("Utrecht", delay=30)
    expect(page.get_by_role("listbox")).to_be_visible()
    combobox.press("ArrowDown")
    combobox.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(combobox).not_to_have_attribute("aria-activedescendant", "kb-optie-0")
    expect(combobox).to_have_value("Utrecht")
    combobox.press("Escape")
    expect(combobox).to_have_value("")
    combobox.press_sequentially("Utrecht", delay=30)
    page.get_by_role("option").filter(has_text="Utrecht").first.click()
    expect(page.locator("#kb-title")).to_have_text("Hulp voor Utrecht")


def test_den_bosch_suggests_s_hertogenbosch_by_its_alias(server: LiveServer, visit: Visit) -> None:
    with urllib.request.urlopen(f"{server.url}/api/v1/municipalities?q=den%20bosch&pageSize=8") as response:
        names = [item["name"] for item in json.load(response)["items"]]
    assert "'s-Hertogenbosch" in names, "`q` finds a municipality by its alias"
    page = visit.page
    page.goto(f"{server.url}/widget")
    pick_with_keyboard(page, "den bosch", "'s-Hertogenbosch")
    expect(page.locator("#kb-title")).to_have_text("Hulp voor 's-Hertogenbosch")
    expect(page.locator("#kb-veiligheidshuis h4")).to_have_text(house_names("GM0796"))


def test_municipality_parameter_preselects(server: LiveServer, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{server.url}/widget?municipality=GM0363")
    expect(page.locator("#kb-title")).to_have_text("Hulp voor Amsterdam")
    expect(page.get_by_role("combobox", name="Gemeente")).to_have_value("Amsterdam")
    expect(page.locator("#kb-veiligheidshuis h4")).to_have_text(house_names("GM0363"))
    expect(page.locator("#kb-politie")).to_have_text("Amsterdam")
    expect(page.locator("#kb-experts")).to_contain_text("Werkt voor Amsterdam")
    expect(page.locator("#kb-experts")).to_contain_text("Via veiligheidsregio Amsterdam-Amstelland")
    approaches = page.locator("#kb-aanpakken-lijst > li")
    expect(approaches.locator("visible=true")).to_have_count(5)
    more = page.locator("#kb-aanpakken").get_by_role("button")
    expect(more).to_have_attribute("aria-expanded", "false")
    more.focus()
    more.press("Enter")
    expect(more).to_have_attribute("aria-expanded", "true")
    expect(approaches.locator("visible=true")).to_have_count(approaches.count())
    assert approaches.count() > 5
    page.goto(f"{server.url}/widget?municipality=GM9999")
    expect(page.get_by_role("status")).to_have_text("Geen gemeente gevonden met code GM9999.")
    visit.assert_stayed_local()
    assert not [e for e in visit.errors() if "404" not in e], visit.errors()


CONTRAST_SCRIPT = """() => {
  function rgba(value) {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(',').map(s => parseFloat(s));
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function background(node) {
    for (let el = node; el; el = el.parentElement) {
      const c = rgba(getComputedStyle(el).backgroundColor);
      if (c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  }
  const seen = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode;
    const el = text.parentElement;
    if (!text.textContent.trim() || !el || el.closest('[hidden], noscript, script, style')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || el.getClientRects().length === 0) continue;
    seen.push({text: text.textContent.trim().slice(0, 40), color: rgba(style.color), bg: background(el)});
  }
  return seen;
}"""


def _luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[float], b: list[float]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_all_visible_text_has_contrast_of_at_least_4_5(server: LiveServer, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{server.url}/widget?municipality=GM0935")
    expect(page.locator("#kb-title")).to_have_text("Hulp voor Maastricht")
    combobox = page.get_by_role("combobox", name="Gemeente")
    combobox.fill("")
    combobox.press_sequentially("Maas", delay=30)
    expect(page.get_by_role("listbox")).to_be_visible()
    combobox.press("ArrowDown")  # a highlighted option is checked too
    texts = page.evaluate(CONTRAST_SCRIPT)
    assert len(texts) > 50
    low = [(t["text"], round(contrast(t["color"], t["bg"]), 2)) for t in texts if contrast(t["color"], t["bg"]) < 4.5]
    assert not low, low


class _Intranet(BaseHTTPRequestHandler):
    """A stand-in intranet page that embeds the widget (origin: another port on 127.0.0.1)."""

    widget_url = ""

    def do_GET(self) -> None:
        body = (f'<!doctype html><html lang="nl"><title>Intranet</title><h1>Intranet</h1>'
                f'<iframe title="Kennisbank" src="{self.widget_url}" width="900" height="700"></iframe></html>')
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def intranet() -> Iterator[tuple[str, type[_Intranet]]]:
    handler = type("Intranet", (_Intranet,), {})
    httpd = ThreadingHTTPServer((LOCAL, 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://{LOCAL}:{httpd.server_port}", handler
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_frame_ancestors_follow_the_setting(seeded_url: str, server: LiveServer, visit: Visit,
                                            intranet: tuple[str, type[_Intranet]]) -> None:
    origin, handler = intranet
    with LiveServer(seeded_url, settings={"FRAME_ANCESTORS": origin}) as allowed:
        response = visit.page.request.get(f"{allowed.url}/widget")
        assert f"frame-ancestors {origin}" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] != "DENY"
        handler.widget_url = f"{allowed.url}/widget?municipality=GM0363"
        visit.page.goto(origin)
        frame = visit.page.frame_locator("iframe")
        expect(frame.locator("#kb-title")).to_have_text("Hulp voor Amsterdam")

    # The default (no intranet configured) refuses to be framed.
    default = visit.page.request.get(f"{server.url}/widget")
    assert "frame-ancestors 'none'" in default.headers["content-security-policy"]
    handler.widget_url = f"{server.url}/widget?municipality=GM0363"
    with visit.page.expect_event("console", predicate=lambda m: "frame-ancestors" in m.text, timeout=10_000):
        visit.page.goto(origin)
    expect(visit.page.frame_locator("iframe").locator("#kb-title")).to_have_count(0)
    visit.assert_stayed_local()


def test_a_long_list_shows_the_best_fifty_and_says_how_many_there_are(fresh_url: str, fresh_keys: Keys,
                                                                       visit: Visit) -> None:
    client = make_app(fresh_url).test_client()
    for n in range(55):
        created = client.post("/api/v1/approaches", headers=fresh_keys.headers("curator"), json={
            "id": f"widget-extra-{n:02d}", "name": f"Extra aanpak {n:02d} (demo)", "kind": "training",
            "provider": "ror", "topics": ["polarisation"], "sizeClasses": ["large"], "status": "published",
            "demo": True})
        assert created.status_code == 201, created.text
    total = client.get("/api/v1/approaches", query_string={"sizeClass": "large", "pageSize": 1}).json["total"]
    assert total > 50
    with LiveServer(fresh_url) as live:
        page = visit.page
        page.goto(f"{live.url}/widget?municipality=GM0363")
        expect(page.locator("#kb-aanpakken")).to_contain_text(f"De 50 best passende van {total} aanpakken.")
        expect(page.locator("#kb-aanpakken-lijst > li")).to_have_count(50)
        expect(page.locator("#kb-experts")).not_to_contain_text("best passende van")
        visit.assert_stayed_local()


def test_house_certainty_contact_and_checked_date(server: LiveServer, visit: Visit) -> None:
    """A named house shows its organisation's phone and website and when it was checked; a house whose source
    states another working area is never shown (Breda)."""
    page = visit.page
    page.goto(f"{server.url}/widget?municipality=GM1883")
    house = page.locator("#kb-veiligheidshuis li").first
    expect(house.locator(".badge")).to_have_text("Genoemd in de bron")
    expect(house.get_by_role("link", name="046-4778700")).to_have_attribute("href", "tel:0464778700")
    expect(house.get_by_role("link", name="Website van Zorg- en Veiligheidshuis Westelijke Mijnstreek")
           ).to_have_attribute("href", "https://www.zorgenveiligheidshuizen.nl/locaties/westelijke-mijnstreek/")
    expect(house).to_contain_text("Laatst gecontroleerd: 6 december 2026")
    page.goto(f"{server.url}/widget?municipality=GM0758")
    expect(page.locator("#kb-title")).to_have_text("Hulp voor Breda")
    expect(page.locator("#kb-veiligheidshuis")).to_contain_text("Geen Veiligheidshuis bekend")
    expect(page.locator("#kb-gaps")).to_contain_text("noemen Breda niet in het werkgebied")
    page.goto(f"{server.url}/widget?municipality=GM0281")  # Tiel: Gelderland-Zuid, from a source not re-read
    expect(page.locator("#kb-veiligheidshuis .badge")).to_have_text("Hele regio volgens de bron")
    expect(page.locator("#kb-veiligheidshuis")).to_contain_text("Zorg- en Veiligheidshuis Gelderland-Zuid")
    expect(page.locator("#kb-veiligheidshuis")).to_contain_text("Nog niet gecontroleerd door de redactie")
    visit.assert_stayed_local()


def test_peers_show_their_evidence_with_sources(server: LiveServer, visit: Visit) -> None:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{server.url}/api/v1/municipalities/GM0344/support?limit=50") as response:
        peers = json.load(response)["peers"]
    first = peers[0]["policyEvidence"][0]
    page = visit.page
    page.goto(f"{server.url}/widget?municipality=GM0344")
    card = page.locator("#kb-gemeenten-lijst > li").first
    expect(card.locator("h4")).to_have_text(peers[0]["name"])
    expect(card).to_contain_text(f"({first['year']}): {first['title']}")
    expect(card.get_by_role("link", name=f"Bron bij {peers[0]['name']}").first).to_have_attribute("href", first["url"])
    expect(page.locator("#kb-gaps")).to_contain_text("openbare stukken over hun aanpak")
    visit.assert_stayed_local()


def test_topic_filter_narrows_and_is_kept_in_the_url(server: LiveServer, visit: Visit) -> None:
    import json
    import urllib.request

    def total(query: str) -> int:
        with urllib.request.urlopen(f"{server.url}/api/v1/municipalities/GM0363/support?limit=50{query}") as response:
            return json.load(response)["totals"]["approaches"]

    page = visit.page
    page.goto(f"{server.url}/widget?municipality=GM0363")
    expect(page.locator("#kb-title")).to_have_text("Hulp voor Amsterdam")
    select = page.get_by_label("Onderwerp (optioneel)")
    expect(select.locator("option")).not_to_have_count(1)
    select.select_option("polarisation")
    expect(page.get_by_role("status")).to_have_text("Hulp voor Amsterdam wordt getoond.")
    narrowed = total("&topic=polarisation")
    assert narrowed < total("")
    expect(page.locator("#kb-aanpakken-lijst > li")).to_have_count(narrowed)
    assert "topic=polarisation" in page.evaluate("location.search")
    page.goto(f"{server.url}/widget?municipality=GM0363&topic=polarisation")
    expect(page.get_by_label("Onderwerp (optioneel)")).to_have_value("polarisation")
    expect(page.locator("#kb-aanpakken-lijst > li")).to_have_count(narrowed)
    visit.assert_stayed_local()
    assert not visit.errors(), visit.errors()


def test_demo_records_are_marked_and_the_wording_is_fixed(server: LiveServer, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{server.url}/widget?municipality=GM0363")
    demo = page.locator("#kb-experts li.card.demo").first
    expect(demo).to_contain_text("Demo (fictief)")
    assert page.evaluate("(el) => getComputedStyle(el).borderTopStyle", demo.element_handle()) == "dashed"
    expect(page.locator("footer")).to_contain_text("Kennisbank radicalisering")
    expect(page.locator("#kb-hint")).to_have_text(
        "Typ minstens twee letters. Kies met de pijltjestoetsen en bevestig met Enter. Met Escape sluit u de lijst.")
    expect(page.get_by_role("heading", name="Gemeenten in de buurt met een aanpak")).to_be_visible()
    text = page.locator("body").inner_text()
    for wrong in ("beleid die", "bedienen", "De meest nabije", "Kennisbank Veiligheidshuizen", "Bewezen effectief"):
        assert wrong not in text, wrong
    links = page.get_by_role("link", name="Website (opent in een nieuw venster)")
    expect(links).to_have_count(0)
    visit.assert_stayed_local()
