"""The story page in real headless Chromium against real gunicorn: from a search to the story,
through its links to an article and back to the story, without JavaScript too."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import DESKTOP, screenshots
pytestmark = pytest.mark.browser



def click_and_wait(driver, element):
    element.click()
    WebDriverWait(driver, 10).until(EC.staleness_of(element))


def open_story_from_search(server, driver):
    driver.get(server.url + "/?q=embassy")
    link = WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".hit__story a")))
    assert link.text == "Covered by 5 outlets"
    click_and_wait(driver, link)
    assert "/stories/s" in driver.current_url


@pytest.mark.parametrize("javascript", [True, False])
def test_a_story_opened_from_a_search_and_its_links(server, browser, browser_without_js, javascript):
    driver = browser if javascript else browser_without_js
    driver.set_window_size(*DESKTOP)
    open_story_from_search(server, driver)
    story_url = driver.current_url
    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "h2")]
    assert headings[:2] == ["Who published when", "The outlets side by side"]
    days = [t.get_attribute("datetime") for t in driver.find_elements(By.CSS_SELECTOR, ".story__day time")]
    assert days == sorted(days) and days[0] == "2019-12-31"
    assert "Only in CNBC" in driver.page_source and driver.find_elements(By.CSS_SELECTOR, ".story__variants ins")
    # Follow the timeline's link to an article, then the article's link back to the story.
    first = driver.find_element(By.CSS_SELECTOR, ".story__timeline a")
    title = first.text
    click_and_wait(driver, first)
    assert driver.find_element(By.CSS_SELECTOR, "h1").text == title
    others = driver.find_elements(By.CSS_SELECTOR, ".story__others li")
    assert len(others) == 4
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".story__others p a"))
    assert driver.current_url == story_url
    if javascript:
        screenshots(driver, "story")
