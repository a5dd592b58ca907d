"""The search page in real headless Chromium, against real gunicorn."""
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import OUTPUT

pytestmark = pytest.mark.browser


def test_typing_a_query_shows_highlighted_results(server, browser):
    browser.get(server.url + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("tear gas", Keys.ENTER)
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".hit")))
    assert urllib.parse.urlparse(browser.current_url).query == "q=tear+gas"
    marks = browser.find_elements(By.CSS_SELECTOR, ".hit .snippet mark")
    assert marks and {m.text.lower() for m in marks} >= {"tear", "gas"}
    OUTPUT.mkdir(exist_ok=True)
    browser.save_screenshot(str(OUTPUT / "search-results.png"))
