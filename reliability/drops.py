"""Network drops in real Chromium on a participant's page."""

from __future__ import annotations

import time
from typing import Any

from reliability.chromium import browser_join, button_xpath, chromium, compose_box, wait_until
from reliability.server import running_server, server_data, start_workshop

SENT_ITEMS = "//section[.//h2[normalize-space()='What you sent about this card']]//li"


def _sent(driver: Any) -> list[str]:
    """The texts listed under "What you sent about this card": each note's text as shown, or in its edit box."""
    from selenium.webdriver.common.by import By

    texts = []
    for item in driver.find_elements(By.XPATH, SENT_ITEMS):
        shown = item.find_elements(By.CSS_SELECTOR, '.ck-note-text') or item.find_elements(By.TAG_NAME, 'textarea')
        if shown:
            texts.append(shown[0].text if shown[0].tag_name != 'textarea' else shown[0].get_attribute('value'))
    return texts


def _box_text(driver: Any) -> str | None:
    """What the note box shows; None if the page has no note box."""
    box = compose_box(driver)
    return None if box is None else (box.get_attribute('value') or '')


def _popup_shown(driver: Any) -> bool:
    return bool(
        driver.execute_script(
            "const p = document.getElementById('popup'); return p && p.getAttribute('aria-hidden') === 'false';"
        )
    )


def _send_in_browser(driver: Any, text: str) -> None:
    from selenium.webdriver.common.keys import Keys

    box = compose_box(driver)
    box.click()
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def _offline(driver: Any, offline: bool) -> None:
    driver.execute_cdp_cmd('Network.enable', {})
    driver.execute_cdp_cmd(
        'Network.emulateNetworkConditions',
        {'offline': offline, 'latency': 0, 'downloadThroughput': -1, 'uploadThroughput': -1},
    )


def drop_once(driver: Any, base_url: str, seconds: float, tag: str) -> dict[str, Any]:
    """Send a note, cut the network, type (and press Enter on) a second note, restore, and look at the page.

    A note whose Enter was lost with the network is still in the box afterwards; the participant presses Enter again,
    as anyone would, and the figures say whether that sent it (and once only)."""
    before = f'{tag} sent before the drop'
    during = f'{tag} typed during the drop'
    leftover = _box_text(driver) or ''
    _send_in_browser(driver, before)
    before_listed = bool(wait_until(lambda: before in _sent(driver), 20))
    _offline(driver, True)
    started = time.monotonic()
    _send_in_browser(driver, during)
    told_during = bool(wait_until(lambda: _popup_shown(driver) or None, min(seconds, 8)))
    time.sleep(max(0.0, seconds - (time.monotonic() - started)))
    _offline(driver, False)
    back = wait_until(
        lambda: compose_box(driver) is not None and not _popup_shown(driver) and (before in _sent(driver)), 60
    )
    time.sleep(2.0)  # anything queued while offline arrives now
    sent = _sent(driver)
    kept_in_box = during in (_box_text(driver) or '')
    reloaded = driver.execute_script('return performance.getEntriesByType("navigation")[0].type') == 'reload'
    sent_on_retry = False
    if kept_in_box:
        from selenium.webdriver.common.keys import Keys

        compose_box(driver).send_keys(Keys.ENTER)
        sent_on_retry = bool(wait_until(lambda: during in _sent(driver), 20))
    time.sleep(1.0)  # a late copy of the note sent while offline would show by now
    finally_sent = _sent(driver)
    result = {
        'seconds': seconds,
        'box_empty_at_start': int(not leftover),
        'before_listed_at_once': int(before_listed),
        'reconnected': int(bool(back)),
        'before_present': int(before in sent),
        'during_sent': int(during in sent),
        'during_kept_in_box': int(kept_in_box),
        'during_sent_on_retry': int(sent_on_retry),
        'during_stored': int(during in finally_sent),
        'during_copies': finally_sent.count(during),
        'box_empty_at_end': int(_box_text(driver) == ''),
        'told_during_drop': int(told_during),
        'page_reloaded': int(reloaded),
    }
    result['during_kept_or_told'] = int(result['during_sent'] or kept_in_box or told_during)
    return result


# Outgoing packets vanish (the socket has not noticed the network is gone), then flow again.
LOSE_OUTGOING_JS = 'const e = window.socket.io.engine; e.write = e.send = () => e;'
RESTORE_OUTGOING_JS = 'const e = window.socket.io.engine; delete e.write; delete e.send;'


def unnoticed_drop(driver: Any) -> dict[str, Any]:
    """A drop the page has not noticed: what is typed and the Enter never reach the server. Afterwards the text is
    still in the box; Enter, and in a second round the Send button, send what the box shows (not the server's stale
    copy of it). In a third round the page reloads before anything got through, as it does when the network comes
    back after the server gave the page up: the browser's own copy of the text is back in the box."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    results: dict[str, Any] = {}
    for how in ('enter', 'button', 'reload'):
        text = f'typed while the network silently dropped it, then sent with {how}'
        driver.execute_script(LOSE_OUTGOING_JS)
        _send_in_browser(driver, text)
        time.sleep(1.0)
        if how == 'reload':
            driver.refresh()
            wait_until(lambda: compose_box(driver), 30)
        else:
            driver.execute_script(RESTORE_OUTGOING_JS)
        time.sleep(1.0)
        kept = text in (_box_text(driver) or '')
        if kept and how in ('enter', 'reload'):
            compose_box(driver).send_keys(Keys.ENTER)
        elif kept:
            driver.find_element(By.XPATH, button_xpath('Send')).click()
        sent_on_retry = bool(wait_until(lambda t=text: t in _sent(driver), 20))
        time.sleep(1.0)
        results.update(
            {
                f'{how}_kept_in_box': int(kept),
                f'{how}_sent_on_retry': int(sent_on_retry),
                f'{how}_copies': _sent(driver).count(text),
                f'{how}_box_empty_at_end': int(_box_text(driver) == ''),
            }
        )
    return results


# Incoming socket messages vanish: what the server answers never arrives.
LOSE_INCOMING_JS = 'window.socket.io.engine.transport.onPacket = () => {};'

# A busy phone: what a text box holds reaches the server a second after the page changed it, later than whatever else
# the page sends at that moment (run before the page's own scripts, on every page load, until removed). Only the
# listener's type is read to pick those messages; nothing typed is formatted into this script.
SLOW_BOX_UPDATES_JS = """(() => {
  let socket;
  Object.defineProperty(window, 'socket', {
    configurable: true,
    get: () => socket,
    set: (value) => {
      socket = value;
      const emit = value.emit.bind(value);
      value.emit = (name, data, ...rest) => {
        const app = typeof mounted_app === 'undefined' ? null : mounted_app;
        const element = name === 'event' && app ? app.elements[data.id] : null;
        const type = element ? (element.events || []).find((e) => e.listener_id === data.listener_id)?.type : '';
        if (type !== 'update:value') return emit(name, data, ...rest);
        setTimeout(() => emit(name, data, ...rest), 1000);
        return value;
      };
    },
  });
})();"""


def lost_answer(driver: Any, base_url: str, session: Any) -> dict[str, Any]:
    """A note reaches the server, but its "Sent" (and the emptied box) never comes back; the facilitator moves on to
    the next card meanwhile; the page reloads, as after a long drop, and the browser has its own copy of the text.
    If the text is in the box then, the participant, who never saw "Sent", presses Enter. Is the note stored twice?

    The phone is a busy one from the reload on (SLOW_BOX_UPDATES_JS): what its box holds reaches the server a second
    late, so the server has looked the note up before it hears of the text the browser put back. With a quick phone
    the same happens now and then, when the look-up is quicker than the phone's next message."""
    import asyncio

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from reliability.simbrowser import SimBrowser

    async def next_card() -> None:
        facilitator = SimBrowser(base_url)
        console = await facilitator.open(f'/session/{session.id}/console?key={session.facilitator_key}')
        await console.click(console.button('Next'))
        await asyncio.sleep(1.0)
        await console.close()
        await facilitator.close()

    text = 'sent while the answers were lost, then the card moved on'
    driver.execute_script(LOSE_INCOMING_JS)
    _send_in_browser(driver, text)
    time.sleep(1.5)
    asyncio.run(next_card())
    slow = driver.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': SLOW_BOX_UPDATES_JS})
    try:
        driver.refresh()
        wait_until(lambda: compose_box(driver), 30)
        time.sleep(1.5)
        restored = text in (_box_text(driver) or '')
        told = 'had been sent already' in driver.find_element(By.TAG_NAME, 'body').text
        if restored:
            compose_box(driver).send_keys(Keys.ENTER)
        time.sleep(2.0)
    finally:
        driver.execute_cdp_cmd('Page.removeScriptToEvaluateOnNewDocument', {'identifier': slow['identifier']})
    return {
        'text_back_in_box_after_reload': int(restored),
        'told_sent_already': int(told),
        'box_empty_at_end': int(_box_text(driver) == ''),
        'text': text,
    }


def measure_drops(durations: tuple[float, ...] = (2, 10, 60)) -> dict[str, Any]:
    """Network drops in real Chromium on a participant's page (Chrome DevTools offline emulation)."""
    from selenium.webdriver.common.by import By

    from cardkit import db

    results: dict[str, Any] = {}
    with server_data() as data:
        session = start_workshop('Drop test')
        with running_server(data) as server, chromium() as driver:
            browser_join(driver, server.url, session.join_code, 'Dee Dropout')
            for seconds in durations:
                tag = f'drop{int(seconds)}s'
                outcome = drop_once(driver, server.url, seconds, tag)
                for key, value in outcome.items():
                    results[f'drop_{int(seconds)}s_{key}'] = value
            for key, value in unnoticed_drop(driver).items():
                results[f'drop_unnoticed_{key}'] = value
            # a reload brings the participant back to the same place (their token is in the browser's storage)
            driver.refresh()
            wait_until(lambda: compose_box(driver), 30)
            body = driver.find_element(By.TAG_NAME, 'body').text
            results['drop_reload_same_place'] = int('You: Dee Dropout' in body)
            results['drop_notes_lost'] = sum(
                1 for seconds in durations if f'drop{int(seconds)}s sent before the drop' not in _sent(driver)
            )
            lost = lost_answer(driver, server.url, session)  # last: it moves the session on to its next card
        from cardkit import sessions

        stored = [n.text for n in db.run(sessions.notes, session_id=session.id)]
        results['drop_lost_answer_back_in_box'] = lost['text_back_in_box_after_reload']
        results['drop_lost_answer_box_empty_at_end'] = lost['box_empty_at_end']
        results['drop_lost_answer_told_sent_already'] = lost['told_sent_already']
        results['drop_lost_answer_copies'] = stored.count(lost['text'])
    return results
