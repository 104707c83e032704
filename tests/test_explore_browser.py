"""The explorer in a real browser: Debian's chromium, headless, driven by selenium.

Skips (with the reason) where chromium, its driver or selenium is missing; `.ci/run` installs the
Debian packages when it runs as root, selenium comes with the dev extras.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import T, TRAEFIK
from goanalyzer.cli.main import main

CHROMIUM = os.environ.get("GOANALYZER_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = os.environ.get("GOANALYZER_CHROMEDRIVER") or shutil.which("chromedriver")
WAIT = 10.0


def _skip_reason() -> str | None:
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (pip install -e '.[dev]')"
    if not CHROMIUM:
        return "chromium is not installed (apt-get install chromium chromium-driver)"
    if not DRIVER:
        return "chromedriver is not installed (apt-get install chromium-driver)"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "traefik.html"
    assert main(["explore", str(TRAEFIK), "--goroot", "none", "--no-cache", "-q", "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def data(page) -> dict:
    text = page.read_text()
    start = text.index('<script id="data" type="application/json">') + len('<script id="data" type="application/json">')
    return json.loads(text[start:text.index("</script>", start)])


def chromium(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,900",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


@pytest.fixture()
def browser(page, tmp_path):
    driver = chromium(tmp_path)
    try:
        driver.get(page.as_uri())
        wait_for(lambda: driver.execute_script("return document.body.dataset.ready") == "1")
        yield driver
    finally:
        driver.quit()


def requests_sent(driver) -> list[dict]:
    """Network.requestWillBeSent of the performance log (read once: reading empties it)."""
    sent = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
    return [m["params"] for m in sent if m["method"] == "Network.requestWillBeSent"]


def console_problems(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def wait_for(condition, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the page")
        time.sleep(0.05)


def search(driver, text: str) -> list[str]:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "search")
    box.clear()
    box.send_keys(text)
    wait_for(lambda: driver.find_element(By.ID, "results").is_displayed())
    return [li.find_element(By.CLASS_NAME, "name").text
            for li in driver.find_elements(By.CSS_SELECTOR, "#results li") if li.find_elements(By.CLASS_NAME, "name")]


def graph_nodes(driver) -> set[str]:
    """x/tools names of the functions drawn in the graph (each node's tooltip starts with it)."""
    return set(driver.execute_script(
        "return Array.from(document.querySelectorAll('#graph .node[data-func] > title'))"
        ".map(t => t.textContent.split('\\n')[0]);"))


def expected_neighbourhood(data: dict, focus: str, up: int = 1, down: int = 2, std: bool = False) -> set[str]:
    """What the page should draw around `focus` by default: callers `up` and callees `down` levels,
    the standard library hidden unless `std`."""
    funcs = data["funcs"]
    index = {f["n"]: i for i, f in enumerate(funcs)}
    out_edges: dict[int, list[int]] = {}
    in_edges: dict[int, list[int]] = {}
    for a, b, _ in data["edges"]:
        out_edges.setdefault(a, []).append(b)
        in_edges.setdefault(b, []).append(a)
    seen = {index[focus]}
    for depth, edges in ((down, out_edges), (up, in_edges)):
        frontier = [index[focus]]
        for _ in range(depth):
            frontier = [m for n in frontier for m in edges.get(n, []) if std or not funcs[m].get("x")]
            frontier = [m for m in dict.fromkeys(frontier) if m not in seen]
            seen.update(frontier)
    return {funcs[i]["n"] for i in seen}


def test_search_finds_runcmd(browser):
    assert search(browser, "runCmd")[:4] == ["traefik.runCmd", "healthcheck.runCmd", "traefik.runCmd$1",
                                             "healthcheck.runCmd$1"]
    assert search(browser, "Command")[0] == "cli.Command"  # types are found too
    assert "healthcheck" in search(browser, "healthcheck")  # and commands


def test_click_node_shows_its_excerpt(browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    search(browser, "runCmd")
    browser.find_element(By.ID, "search").send_keys(Keys.ENTER)
    wait_for(lambda: browser.find_element(By.ID, "focus-name").text == "traefik.runCmd")
    node = browser.find_element(By.XPATH, f"//*[@id='graph']//*[name()='g'][*[name()='title' and "
                                          f"starts-with(text(), '{T}/cmd/traefik.configureLogging')]]")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", node)
    wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#details h2").text == "traefik.configureLogging")
    rows = browser.find_elements(By.CSS_SELECTOR, "#details pre.src .row")
    source = (TRAEFIK / "cmd/traefik/traefik.go").read_text().splitlines()
    assert rows[0].text == "296" + source[295]  # the number, then the line as written
    assert rows[1].text == "297" + source[296].replace("\t", "    ")
    assert browser.find_element(By.CSS_SELECTOR, "#details p code").text == "cmd/traefik/traefik.go:296"


def test_focus_changes_the_graph(browser, data):
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, "#tabs button[data-view=graph]").click()
    main_name = f"{T}/cmd/traefik.main"
    wait_for(lambda: graph_nodes(browser))
    assert graph_nodes(browser) == expected_neighbourhood(data, main_name)
    search(browser, "configureLogging")
    browser.find_element(By.CSS_SELECTOR, "#results li").click()
    focus = f"{T}/cmd/traefik.configureLogging"
    wait_for(lambda: browser.find_element(By.ID, "focus-name").text == "traefik.configureLogging")
    drawn = graph_nodes(browser)
    assert drawn == expected_neighbourhood(data, focus)
    assert f"{T}/pkg/log.OpenFile" in drawn and main_name not in drawn
    # showing the standard library changes it again
    browser.find_element(By.ID, "hide-std").click()
    wait_for(lambda: "os.MkdirAll" in graph_nodes(browser))
    # collapsing the other packages leaves the focus's own functions and one node per package
    browser.find_element(By.ID, "collapse-all").click()
    wait_for(lambda: graph_nodes(browser) == {focus, f"{T}/cmd/traefik.runCmd"})
    groups = browser.execute_script("return Array.from(document.querySelectorAll('#graph .node.group > text'))"
                                    ".map(t => t.textContent)")
    funcs = {f["n"]: f for f in data["funcs"]}
    members: dict[str, int] = {}
    for name in expected_neighbourhood(data, focus, std=True):
        package = data["pkgs"][funcs[name]["p"]]
        if package != f"{T}/cmd/traefik":
            members[package] = members.get(package, 0) + 1
    assert sorted(groups) == sorted(f"{p.rsplit('/', 1)[-1]} ({n})" for p, n in members.items())
    assert "logrus (5)" in groups


def test_flow_folds_side_paths(browser):
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, "#tabs button[data-view=flow]").click()
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#flow .fold"))
    assert not browser.find_elements(By.CSS_SELECTOR, "#flow li.step.side")
    browser.find_element(By.ID, "show-side").click()
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#flow li.step.side"))
    assert not browser.find_elements(By.CSS_SELECTOR, "#flow .fold")


def test_no_console_errors_and_no_request_leaves(browser):
    from selenium.webdriver.common.by import By

    for view in ("graph", "flow", "overview"):
        browser.find_element(By.CSS_SELECTOR, f"#tabs button[data-view={view}]").click()
    search(browser, "Execute")
    browser.find_element(By.CSS_SELECTOR, "#results li").click()
    assert console_problems(browser) == []
    sent = requests_sent(browser)
    ours = [p["request"]["url"] for p in sent if p.get("documentURL", "").startswith("file://")]
    assert ours and all(url.startswith(("file://", "data:")) for url in ours), ours
    # nor does the browser itself (its start page asks chrome:// for its own resources, locally)
    assert not [p["request"]["url"] for p in sent if not p["request"]["url"].startswith(("file:", "data:", "chrome:"))]
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(url.startswith(("file://", "data:")) for url in resources), resources


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """The fixture's MkDocs site, built and served on 127.0.0.1 (MkDocs' search needs http)."""
    import subprocess
    import sys
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    mkdocs = Path(sys.executable).parent / "mkdocs"
    if not mkdocs.exists():
        pytest.skip("mkdocs is a dev dependency: install it in the venv")
    out = tmp_path_factory.mktemp("site")
    assert main(["site", str(TRAEFIK), "--goroot", "none", "--no-cache", "-q", "-o", str(out)]) == 0
    subprocess.run([str(mkdocs), "build", "-q", "-f", str(out / "mkdocs.yml")], check=True, timeout=300)
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(out / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_site_diagrams_are_live(served_site, tmp_path):
    from selenium.webdriver.common.by import By

    driver = chromium(tmp_path)
    try:
        driver.get(f"{served_site}/startup.html")
        box = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".ga-diagram .ga-diagram-bar"))[0]
        svg = driver.find_element(By.CSS_SELECTOR, ".ga-diagram svg")
        view_box = lambda: [round(float(v), 1) for v in  # noqa: E731
                            driver.execute_script("return arguments[0].getAttribute('viewBox')", svg).split()]
        home = view_box()
        box.find_element(By.XPATH, "./button[@title='zoom in']").click()
        assert view_box() != home
        box.find_element(By.XPATH, "./button[@title='whole picture']").click()
        assert view_box() == home
        # a node's tooltip and link are the SVG's own, and the link works in the page
        link = driver.find_element(By.CSS_SELECTOR, '.ga-diagram svg a[*|href="startup-cli-run.html"]')
        assert link.get_attribute("xlink:title") or link.find_elements(By.XPATH, "..//*[name()='title']")
        driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}))",
                              link)
        wait_for(lambda: driver.current_url.endswith("/startup-cli-run.html"))
        # the explorer is reachable from the navigation
        driver.find_element(By.LINK_TEXT, "Explorer").click()
        wait_for(lambda: driver.current_url.endswith("/explore.html")
                 and driver.execute_script("return document.body.dataset.ready") == "1")
        assert console_problems(driver) == []
        urls = [p["request"]["url"] for p in requests_sent(driver)]
        assert any(url.startswith(served_site) for url in urls)
        assert not [u for u in urls if not u.startswith((served_site + "/", "data:", "chrome:"))], urls
    finally:
        driver.quit()


def test_code_text_stays_text(tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    from conftest import write_module
    from test_explore import HOSTILE

    root = write_module(tmp_path / "m", {"main.go": HOSTILE})
    out = tmp_path / "evil.html"
    assert main(["explore", str(root), "--goroot", "none", "--no-cache", "-q", "-o", str(out)]) == 0
    driver = chromium(tmp_path)
    try:
        driver.get(out.as_uri())
        wait_for(lambda: driver.execute_script("return document.body.dataset.ready") == "1")
        search(driver, "Evil")
        driver.find_element(By.CSS_SELECTOR, "#results li").click()
        wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#details .doc"))
        assert driver.find_element(By.CSS_SELECTOR, "#details .doc").text == \
            'Evil says </script><script>alert("doc")</script> & <!-- and more.'
        rows = driver.find_elements(By.CSS_SELECTOR, "#details pre.src .row")
        assert rows[0].text == '4func Evil() string { return "</script><img src=x onerror=alert(1)>" }'
        assert driver.find_elements(By.TAG_NAME, "img") == []
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text
        assert console_problems(driver) == []
    finally:
        driver.quit()
