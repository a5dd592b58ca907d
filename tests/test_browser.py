"""The search page in real headless Chromium, against real gunicorn started from the Procfile.

A few journeys, as a person would take them: type a query, narrow by a facet,
page through, open an article; the same with JavaScript switched off; and the
keyboard. Screenshots of a results page (desktop and phone width) are saved
under test-output/ for a person to look at.
"""
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import DESKTOP, OUTPUT, PHONE, screenshots

pytestmark = pytest.mark.browser



def query(driver):
    return urllib.parse.parse_qsl(urllib.parse.urlparse(driver.current_url).query, keep_blank_values=True)


def wait_for(driver, css):
    return WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def click_and_wait(driver, element):
    """Click a link or button and wait for the next page to replace this one."""
    element.click()
    WebDriverWait(driver, 10).until(EC.staleness_of(element))


def outlets_shown(driver):
    return sorted(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".hit .hit__outlet"))


def test_typing_a_query_shows_highlighted_results(server, browser):
    browser.set_window_size(*DESKTOP)
    browser.get(server.url + "/")
    box = browser.switch_to.active_element  # the box is autofocused: type straight away
    assert box.get_attribute("name") == "q"
    box.send_keys("tear gas", Keys.ENTER)
    wait_for(browser, ".hit")
    assert query(browser) == [("q", "tear gas")]
    marks = browser.find_elements(By.CSS_SELECTOR, ".hit .snippet mark")
    assert marks and {m.text.lower() for m in marks} >= {"tear", "gas"}
    screenshots(browser, "search-results")


def test_facet_pagination_and_article(server, browser):
    browser.get(server.url + "/?q=embassy&per_page=2")
    facet = browser.find_element(By.XPATH, "//section[@aria-labelledby='facet-section']//a[.//*[text()='World']]")
    click_and_wait(browser, facet)
    assert query(browser) == [("q", "embassy"), ("section", "World"), ("per_page", "2")]
    assert outlets_shown(browser) == ["BBC News", "The Washington Post"]
    chip = browser.find_element(By.CSS_SELECTOR, ".chips a")
    click_and_wait(browser, chip)
    assert ("section", "World") not in query(browser)

    assert [e.text.split()[-1] for e in browser.find_elements(By.CSS_SELECTOR, ".pagination a:not([rel])")] == [
        "1", "2", "3"]
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".pagination a[rel=next]"))
    assert dict(query(browser))["page"] == "2"
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".pagination a[href$='page=3']"))
    assert dict(query(browser))["page"] == "3"
    hits = browser.find_elements(By.CSS_SELECTOR, ".hit .hit__title a")
    assert len(hits) == 1
    title = hits[0].text
    click_and_wait(browser, hits[0])
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    removed = browser.find_element(By.CSS_SELECTOR, "details.removed")
    assert removed.get_attribute("open") is None
    removed.find_element(By.TAG_NAME, "summary").click()
    assert removed.get_attribute("open") is not None


def test_sort_submits_on_change_with_javascript(server, browser):
    browser.get(server.url + "/?q=embassy")
    apply_button = browser.find_element(By.CSS_SELECTOR, ".sort-form button")
    assert not apply_button.is_displayed()  # JavaScript submits the form itself
    select = browser.find_element(By.ID, "sort")
    Select(select).select_by_value("oldest")
    WebDriverWait(browser, 10).until(EC.staleness_of(select))
    assert dict(query(browser))["sort"] == "oldest"
    dates = [t.get_attribute("datetime") for t in browser.find_elements(By.CSS_SELECTOR, ".hit time")]
    assert dates == sorted(dates)


def test_keyboard_reaches_controls_with_a_visible_focus(server, browser):
    browser.get(server.url + "/?q=embassy")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("/")  # the shortcut to the search box
    assert browser.switch_to.active_element.get_attribute("id") == "q"
    browser.switch_to.active_element.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "Search"
    outline = browser.execute_script(
        "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth];")
    assert outline[0] != "none" and outline[1] != "0px"


def test_everything_works_without_javascript(server, browser_without_js):
    driver = browser_without_js
    driver.get(server.url + "/")
    assert "js" not in (driver.find_element(By.TAG_NAME, "html").get_attribute("class") or "")
    driver.find_element(By.NAME, "q").send_keys("embassy", Keys.ENTER)
    wait_for(driver, ".hit")
    assert len(driver.find_elements(By.CSS_SELECTOR, ".hit")) == 5
    apply_button = driver.find_element(By.CSS_SELECTOR, ".sort-form button")
    assert apply_button.is_displayed()  # without JavaScript the sort needs its button
    Select(driver.find_element(By.ID, "sort")).select_by_value("newest")
    click_and_wait(driver, apply_button)
    assert query(driver) == [("q", "embassy"), ("match", "all"), ("sort", "newest")]
    bar = driver.find_element(By.CSS_SELECTOR, "#facet-date ~ ul .facet__link")
    click_and_wait(driver, bar)
    assert dict(query(driver))["published"] == "2019-12"
    assert outlets_shown(driver) == ["CNBC", "The Washington Post"]
    first = driver.find_element(By.CSS_SELECTOR, ".hit__title a")
    title = first.text
    click_and_wait(driver, first)
    assert driver.find_element(By.TAG_NAME, "h1").text == title


def test_outlet_view_draws_a_row_per_outlet_and_switches_to_share(server, browser):
    browser.set_window_size(*DESKTOP)
    browser.get(server.url + "/?q=embassy")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Outlets over time"))
    rows = browser.find_elements(By.CSS_SELECTOR, ".outlets__row")
    facet = {e.find_element(By.CSS_SELECTOR, ".facet__value").text: e.find_element(By.CSS_SELECTOR, ".facet__count").text
             for e in browser.find_elements(By.CSS_SELECTOR, "#filters .facet__link")
             if e.get_attribute("href") and "outlet=" in e.get_attribute("href")}
    assert {r.find_element(By.CSS_SELECTOR, ".outlets__name").text: r.find_element(
        By.CSS_SELECTOR, ".outlets__count").text for r in rows} == facet
    for row in rows:  # each row is drawn: a visible SVG with bars of some height
        svg = row.find_element(By.CSS_SELECTOR, "svg")
        assert svg.size["width"] > 100 and svg.size["height"] > 10
        assert row.find_element(By.CSS_SELECTOR, "path.outlets__bars").get_attribute("d").startswith("M")
    OUTPUT.mkdir(exist_ok=True)
    browser.save_screenshot(str(OUTPUT / "outlets-over-time.png"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Share of output"))
    assert ("attention", "share") in query(browser)
    assert "Share of the outlet" in browser.find_element(By.CSS_SELECTOR, ".outlets__note").text
    browser.set_window_size(*PHONE)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    browser.set_window_size(*DESKTOP)


def test_article_page_marks_the_search_and_goes_back_to_the_same_results(server, browser):
    browser.set_window_size(*DESKTOP)
    browser.get(server.url + "/?q=embassy+militia&sort=newest&outlet=BBC+News")
    searched = sorted(query(browser))
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".hit__title a"))
    marks = {m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, ".article mark")}
    assert {"embassy", "militia"} <= marks
    assert browser.find_elements(By.CSS_SELECTOR, ".article__title mark")
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Back to results"))
    assert sorted(query(browser)) == searched
    assert browser.find_element(By.CSS_SELECTOR, ".hit")
