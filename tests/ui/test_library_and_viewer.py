"""The first screens as a facilitator uses them: the deck library, a deck's overview and the card viewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from nicegui.testing import User

from cardkit import library
from cardkit.deck import Card, Deck, Point
from cardkit.text import blocks

DECK = 'card-activity'


def shipped_deck(deck_id: str = DECK) -> Deck:
    return library.shipped().get(deck_id)


def nested_point(deck: Deck) -> tuple[Card, Point]:
    """The first card with a prompt holding lettered points ('For the individual, progression can: a) …')."""
    for card in deck.cards:
        for point in card.prompts:
            if len(point.points) > 1 and point.numbering == 'letters':
                return card, point
    raise AssertionError(f'no card of {deck.id} has lettered prompts')


async def test_library_shows_every_shipped_deck(user: User) -> None:
    await user.open('/')
    await user.should_see('Deck library')
    for deck in library.shipped().decks.values():
        await user.should_see(deck.title)
    await user.should_see('6 strategic issues · 18 cards')


async def test_library_lists_the_card_activity_first(user: User) -> None:
    await user.open('/')
    tiles = list(user.find(marker='deck-tile').elements)
    first = min(tiles, key=lambda tile: tile.id)
    assert first.props['href'] == f'/deck/{DECK}'


async def test_a_deck_tile_opens_the_deck_with_its_themes(user: User) -> None:
    deck = shipped_deck()
    await user.open('/')
    user.find(marker='deck-tile').click()  # the first tile is the card activity
    await user.should_see(marker='deck-title')
    await user.should_see(blocks(deck.introduction)[0][1])
    for deck_theme in deck.themes:
        await user.should_see(f'{deck.theme_label} {deck_theme.number}: {deck_theme.title}')
    await user.should_see(deck.cards[0].lead)
    await user.should_see('Ways of working')
    await user.should_see(deck.ways_of_working[0])


async def test_viewer_flips_and_moves_to_the_next_card(user: User) -> None:
    deck = shipped_deck()
    first, second = deck.cards[0], deck.cards[1]
    await user.open(f'/deck/{DECK}/card/{first.id}')
    await user.should_see(first.lead)
    await user.should_see(f'Card 1 of {len(deck.cards)}')
    await user.should_see('SEE OVER')
    prompt = first.prompts[0].text
    await user.should_not_see(prompt)

    user.find(marker='flip').click()
    await user.should_see(prompt)
    await user.should_see(f'Discussion prompts {first.id}')
    await user.should_not_see(first.lead)

    user.find(marker='next').click()
    await user.should_see(second.lead)
    await user.should_see(f'Card 2 of {len(deck.cards)}')
    await user.should_not_see(prompt)

    user.find(marker='prev').click()
    await user.should_see(first.lead)


async def test_clicking_the_card_turns_it_over_and_back(user: User) -> None:
    deck = shipped_deck()
    card = [c for c in deck.cards if c.prompts][-1]
    await user.open(f'/deck/{DECK}/card/{card.id}')
    user.find(marker='card').click()
    await user.should_see(card.prompts[0].text or card.prompts[0].points[0].text)
    await user.should_not_see(card.lead)
    user.find(marker='card').click()
    await user.should_see(card.lead)


async def test_nested_points_are_labelled_by_their_numbering(user: User) -> None:
    card, point = nested_point(shipped_deck())
    await user.open(f'/deck/{DECK}/card/{card.id}')
    user.find(marker='flip').click()
    await user.should_see(point.text)
    await user.should_see(point.points[1].text)
    await user.should_see('b)')


async def test_jump_list_goes_straight_to_a_card(user: User) -> None:
    deck = shipped_deck()
    last = deck.cards[-1]
    await user.open(f'/deck/{DECK}/card/{deck.cards[0].id}')
    user.find(marker='jump', content=last.id).click()
    await user.should_see(last.lead)
    await user.should_see(f'Card {len(deck.cards)} of {len(deck.cards)}')


async def test_checklist_card_shows_its_task_headings_and_numbered_items(user: User) -> None:
    deck = shipped_deck('personal-learning-planning')
    card = deck.cards[0]
    group = card.groups[0]
    await user.open(f'/deck/{deck.id}/card/{card.id}')
    await user.should_see(card.lead)
    await user.should_not_see(group.items[0].text)
    user.find(marker='flip').click()
    await user.should_see(card.context)
    await user.should_see(group.heading)
    await user.should_see(group.items[0].text)
    await user.should_see('1.')
    await user.should_see(card.footnotes[0].text)


async def test_a_card_without_a_back_cannot_be_turned(user: User) -> None:
    deck = shipped_deck('progress-and-progression')
    card = deck.cards[0]
    await user.open(f'/deck/{deck.id}/card/{card.id}')
    await user.should_see(card.lead)
    await user.should_not_see('SEE OVER')
    assert not user.find(marker='flip').elements.pop().enabled
    user.find(marker='card').click()
    await user.should_see(card.lead)


async def test_unknown_deck_says_so_and_links_home(user: User) -> None:
    await user.open('/deck/no-such-deck')
    await user.should_see('No deck called “no-such-deck”')
    user.find('Back to the deck library').click()
    await user.should_see('Deck library')


async def test_unknown_card_says_so(user: User) -> None:
    await user.open(f'/deck/{DECK}/card/99.9')
    await user.should_see('No card called “99.9”')
    await user.should_see('Back to the deck')
    await user.open('/deck/no-such-deck/card/1.1')
    await user.should_see('No deck called “no-such-deck”')


HOSTILE = '<script>alert(1)</script>'


@pytest.fixture
def hostile_deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A deck folder whose only deck carries markup in every kind of text, plus a broken file."""
    folder = tmp_path / 'decks'
    folder.mkdir()
    (folder / 'hostile.yaml').write_text(
        f"""cardkit: 1
id: hostile
title: "Deck {HOSTILE}"
theme_label: Theme
introduction: "Intro {HOSTILE}"
themes:
  - number: 1
    title: "Theme <b>bold</b>"
    cards:
      - id: "1"
        lead: "Lead {HOSTILE}"
        prompts:
          - text: "Prompt <img src=x onerror=alert(2)>"
            points: ["Nested {HOSTILE}"]
        links:
          - label: "Link <i>label</i>"
            url: https://example.org/
""",
        encoding='utf-8',
    )
    (folder / 'broken.yaml').write_text('cardkit: 1\nid: broken\ntitle: "<em>Broken</em>"\n', encoding='utf-8')
    monkeypatch.setenv('CARDKIT_DECKS_DIR', str(folder))
    monkeypatch.setattr(library, '_shipped', None)
    return folder


async def test_deck_text_is_shown_literally_never_as_markup(user: User, hostile_deck: Path) -> None:
    await user.open('/')
    await user.should_see(f'Deck {HOSTILE}')
    await user.should_see('broken.yaml')  # the file that failed to load is reported as text

    await user.open('/deck/hostile')
    await user.should_see(f'Intro {HOSTILE}')
    await user.should_see('Theme 1: Theme <b>bold</b>')

    await user.open('/deck/hostile/card/1')
    await user.should_see(f'Lead {HOSTILE}')
    user.find(marker='flip').click()
    await user.should_see('Prompt <img src=x onerror=alert(2)>')
    await user.should_see(f'Nested {HOSTILE}')
    await user.should_see('Link <i>label</i>')


def accessible_name(element) -> str:
    """What a screen reader or voice control calls a button: its aria-label, else the text it shows."""
    return element.props.get('aria-label') or element.props.get('label') or getattr(element, 'text', '')


async def test_the_viewers_buttons_are_named_by_what_they_show(user: User) -> None:
    """A voice-control user says what they see (WCAG 2.5.3): "Turn over" is the button's name, and the longer
    description is its tooltip; a card's jump button is named by its number first, then its lead question."""
    deck = shipped_deck()
    await user.open(f'/deck/{DECK}/card/{deck.cards[0].id}')
    turn = user.find(marker='flip').elements.pop()
    assert accessible_name(turn) == 'Turn over'
    assert turn.props.get('title') == 'Turn the card over'
    assert 'aria-label' not in turn.props
    assert accessible_name(user.find(marker='next').elements.pop()) == 'Next card'
    last = deck.cards[-1]
    jump = user.find(marker='jump', content=last.id).elements.pop()
    assert accessible_name(jump).startswith(f'{last.id}: ')
    assert last.lead[:20] in accessible_name(jump)


async def test_the_accessibility_statement_says_what_was_tested_and_how(user: User) -> None:
    from cardkit.ui import accessibility_page

    await user.open('/')
    user.find(marker='accessibility-link').click()
    await user.should_see('Accessibility statement for Cardkit')
    await user.should_see(marker='compliance')
    await user.should_see(f'axe-core {accessibility_page.AXE_CORE_VERSION}')
    await user.should_see('label-content-name-mismatch')
    for size in ('1366 × 768', '390 × 844', '1920 × 1080'):
        await user.should_see(size)
    await user.should_see('Keyboard only')
    await user.should_see('polite live region')
    await user.should_see('Reporting accessibility problems')
    await user.should_see(marker='known-issues')
    for where, _, criterion in accessibility_page.KNOWN_ISSUES:
        await user.should_see(where)
        await user.should_see(criterion)
    await user.should_see(f'prepared on {accessibility_page.PREPARED:%-d %B %Y}')


async def test_the_participants_join_page_links_to_the_statement_too(user: User) -> None:
    await user.open('/join')
    await user.should_see('Join a session')
    await user.should_not_see('Sessions')  # still no way into the facilitator's pages
    link = user.find(marker='accessibility-link').elements.pop()
    assert link.props['href'] == '/accessibility'
    assert link.text == 'Accessibility'
