"""The web face in a real browser: Debian's headless chromium driven by Selenium through
Debian's chromedriver (no browser is downloaded at run time).

Skipped, with the reason, where ``chromium`` or ``chromedriver`` is missing (``apt-get install
-y chromium chromium-driver``; ``.ci/run`` installs them). Screenshots are kept in
``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bot.admin.web import admin_tools
from bot.app.compose import build_engine
from bot.app.core import Core
from bot.config import Settings
from bot.conversation.flow import EngineConfig
from bot.jobs.skm_results import skm_report
from bot.storage import Store
from bot.web.app import create_app
from bot.web.site_routes import web_routes
from kinerja.numbers import format_index
from kinerja.periods import parse_period
from tests.bot.staff_fixtures import KABID, STAF_A, linked, load_staff
from tests.bot.web.conftest import rated, web_config  # noqa: F401 (rated: a fixture)
from tests.bot.web.test_dashboard import add_report, png_bytes
from tests.conftest import SECRET, Chat, Clock

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="browser tests need Debian's chromium and chromedriver: "
           "apt-get install -y chromium chromium-driver",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """One headless chromium (a fresh profile, downloads into ``downloads``)."""

    def __init__(self, downloads: Path) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="kinerja-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,1000",
                     f"--user-data-dir={self.profile}"):
            options.add_argument(flag)
        options.add_experimental_option("prefs", {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
        })
        self.driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                                       options=options)

    def close(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)


async def in_browser(browser: Browser, step: Callable[[Any], Any]) -> Any:
    """Run a blocking Selenium step off the event loop (the server runs on it)."""
    return await asyncio.to_thread(step, browser.driver)


def find(driver: Any, how: str, what: str) -> Any:
    """The element once the page shows it (a click's navigation ends on its own time)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 20).until(
        expected_conditions.presence_of_element_located((how, what)))


def shot(driver: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


@pytest.fixture
async def site(rated: Store, clock: Clock, tmp_path: Path  # noqa: F811
               ) -> AsyncIterator[dict[str, Any]]:
    """The web app on a real port over the test store, a linked atasan with a report whose
    photo is stored, and a browser."""
    ids = await load_staff(rated)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    engine = build_engine(rated, EngineConfig(secret_key=SECRET, public_ikm_min_responses=3),
                          clock=clock, web_url=base)
    chats = {KABID: Chat(engine, "200"), STAF_A: Chat(engine, "300")}
    await linked(chats[KABID], rated, KABID, "ABCD2345", clock())
    await linked(chats[STAF_A], rated, STAF_A, "EFGH2345", clock())
    folder = tmp_path / "evidence"
    folder.mkdir()
    content = png_bytes()
    sha = hashlib.sha256(content).hexdigest()
    (folder / f"{sha}.png").write_bytes(content)
    report_id = await add_report(rated, ids[STAF_A], clock, evidence_path=str(folder /
                                 f"{sha}.png"), sha=sha)
    config = web_config(evidence_dir=str(folder), public_url=base)
    core = Core(Settings(_env_file=None, db=":memory:"), rated, SECRET)  # type: ignore[call-arg]
    app = create_app(web_routes(rated, config, clock=clock, tools=admin_tools(core)))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off", access_log=False))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn's Server has no 'started' event)
        await asyncio.sleep(0.01)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser = await asyncio.to_thread(Browser, downloads)
    try:
        yield {"base": base, "browser": browser, "chats": chats, "store": rated,
               "report_id": report_id, "downloads": downloads}
    finally:
        await asyncio.to_thread(browser.close)
        server.should_exit = True
        await serving


async def test_public_and_tv_pages_show_the_reports_numbers(site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    store: Store = site["store"]
    period = parse_period("2026")
    async with store.reading() as r:
        units = await r.units()
        start, end = period.bounds(web_config().tz)
        sums = await r.answer_sums_by_unit(start, end, [str(u["code"]) for u in units])
    report = skm_report(sums, [], units, period)
    entry = next(u for u in report["units"] if u["unit"] == "DISDUKCAPIL")
    expected = format_index(entry["ikm"])

    def home(driver: Any) -> tuple[str, str]:
        driver.get(site["base"] + "/?periode=2026")
        cell = driver.find_element(By.CSS_SELECTOR,
                                   'tr[data-unit="DISDUKCAPIL"]:not([data-scope]) '
                                   'td[data-field="ikm"] .ikm')
        shot(driver, "public-home")
        driver.set_window_size(390, 844)  # a phone
        shot(driver, "public-home-phone")
        driver.set_window_size(1280, 1000)
        return cell.text, driver.find_element(By.TAG_NAME, "h1").text

    shown, title = await in_browser(site["browser"], home)
    assert shown == expected and "Tahun 2026" in title

    def tv(driver: Any) -> tuple[str, bool]:
        driver.get(site["base"] + "/tv/DISDUKCAPIL?periode=2026")
        big = driver.find_element(By.CSS_SELECTOR, ".tv-ikm").text
        qr = driver.find_element(By.CSS_SELECTOR, "svg.qr").is_displayed()
        shot(driver, "tv")
        return big, qr

    big, qr = await in_browser(site["browser"], tv)
    assert big == expected and qr

    def english(driver: Any) -> str:
        driver.get(site["base"] + "/unit/DISDUKCAPIL?periode=2026")
        driver.find_element(By.LINK_TEXT, "English").click()
        find(driver, By.CSS_SELECTOR, 'html[lang="en"]')
        shot(driver, "unit-english")
        return driver.find_element(By.TAG_NAME, "h2").text

    assert await in_browser(site["browser"], english) == "Score per service element (unsur)"


async def test_log_in_by_dasbor_link_and_approve_a_report_showing_its_photo(
        site: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By

    chat: Chat = site["chats"][KABID]
    await chat.send("/dasbor")
    link = re.search(r"http://127\.0\.0\.1:\d+/masuk/\S+", chat.text)
    assert link, chat.text

    def approve(driver: Any) -> tuple[int, str]:
        driver.get(link[0])
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        find(driver, By.LINK_TEXT, "Laporan menunggu tinjauan").click()
        image = find(driver, By.CSS_SELECTOR, f'img[src="/dasbor/bukti/{site["report_id"]}"]')
        driver.execute_script("return arguments[0].decode()", image)
        width = int(driver.execute_script("return arguments[0].naturalWidth", image))
        shot(driver, "review-with-photo")
        driver.find_element(By.CSS_SELECTOR, 'button[value="approve"]').click()
        notice = find(driver, By.CSS_SELECTOR, ".notice").text
        shot(driver, "review-approved")
        return width, notice

    width, notice = await in_browser(site["browser"], approve)
    assert width == 240  # the photo loaded (a 240 × 160 PNG)
    assert notice == "Laporan Andi Pratama disetujui."
    async with site["store"].reading() as r:
        assert (await r.report_by_id(site["report_id"])).status == "approved"


async def test_admin_uploads_a_broken_staff_file_and_downloads_a_poster(
        site: dict[str, Any], tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from bot.conversation.weblogin import make_login_link

    async with site["store"].unit() as uow:
        link = await make_login_link(uow, site["base"], employee_id=None, is_admin=True,
                                     now=Clock()())
    broken = tmp_path / "pegawai.csv"
    broken.write_text("nip,nama,jabatan,unit,atasan\n12345,Budi,Staf,DISDUKCAPIL,\n",
                      encoding="utf-8")

    def upload(driver: Any) -> list[str]:
        driver.get(link)
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        find(driver, By.LINK_TEXT, "Impor data").click()
        Select(find(driver, By.ID, "kind")).select_by_value("employees")
        driver.find_element(By.ID, "file").send_keys(str(broken))
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        find(driver, By.CSS_SELECTOR, "table.problems")
        rows = [row.text for row in driver.find_elements(By.CSS_SELECTOR,
                                                         "table.problems tbody tr")]
        shot(driver, "import-errors")
        driver.get(site["base"] + "/dasbor/titik")
        find(driver, By.CSS_SELECTOR, 'a[href="/dasbor/poster/DUK-KTP-L1.pdf"]').click()
        return rows

    rows = await in_browser(site["browser"], upload)
    assert rows and rows[0].startswith("pegawai.csv 2 nip")
    target = site["downloads"] / "DUK-KTP-L1-a4.pdf"
    for _ in range(600):  # the browser writes the download on its own: wait for the file
        if target.exists() and target.read_bytes().startswith(b"%PDF"):
            break
        await asyncio.sleep(0.05)
    assert target.read_bytes().startswith(b"%PDF")
