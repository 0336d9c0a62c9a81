"""Real Chromium for the reliability figures: started headless and offline, and a participant joining in it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

CHROME_FLAGS = (
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--window-size=1280,1000',
)


@contextmanager
def chromium() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = '/usr/bin/chromium'
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path='/usr/bin/chromedriver'), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def wait_until(check: Callable[[], Any], timeout: float, step: float = 0.1) -> Any:
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except WebDriverException:
            pass
        time.sleep(step)
    return None


def button_xpath(text: str) -> str:
    return f"//button[.//span[normalize-space(text())='{text}']]"


def browser_join(driver: Any, base_url: str, code: str, name: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f'{base_url}/join/{code}')
    field = wait_until(lambda: driver.find_element(By.XPATH, "//input[@aria-label='Your name']"), 30)
    field.send_keys(name)
    driver.find_element(By.XPATH, button_xpath('Join')).click()
    if not wait_until(lambda: '/take-part' in driver.current_url and compose_box(driver), 30):
        raise RuntimeError(f'joining in Chromium failed: {driver.find_element(By.TAG_NAME, "body").text[:300]}')


def compose_box(driver: Any) -> Any:
    from selenium.webdriver.common.by import By

    areas = driver.find_elements(By.XPATH, "//textarea[@aria-label='Your note']")
    return areas[0] if areas else None
