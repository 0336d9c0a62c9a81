"""Organisations author their own decks in the app, as a facilitator does it in a (simulated) browser.

The issue's "done when": a copy of the card activity gets a seventh strategic issue with two cards, previewed,
saved as a version, run in a session and downloaded as YAML that `cardkit validate` accepts. Also: a two-issue deck
with a checklist card written from scratch, upload problems shown on the page with line numbers, and a draft that
survives a reload.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from nicegui import ui
from nicegui.testing import User

from cardkit import authoring, db, sessions
from cardkit.cli import main
from cardkit.deckfile import parse_deck

SLOW = 30  # retries of 0.1 s: the editor checks the draft and redraws the preview 0.5 s after the last change


async def landed_on(user: User, path: str) -> None:
    for _ in range(100):
        if user.back_history and user.back_history[-1] == path:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f'expected to land on {path}, history: {user.back_history}')


async def eventually(check, message: str) -> None:
    for _ in range(150):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f'expected {message}')


async def choose(user: User, marker: str, heading: str) -> None:
    """Pick a card in the outline and wait for its form."""
    user.find(marker=marker).click()
    await user.should_see(heading)


def retype(user: User, marker: str, text: str) -> None:
    user.find(marker=marker).clear().type(text)


async def test_an_organisation_adds_a_seventh_issue_to_the_card_activity_and_runs_a_session_with_it(
    user: User, tmp_path: Path
) -> None:
    await user.open('/decks/yours')
    await user.should_see("Your organisation's decks")
    await user.should_see('None yet: start one above.')
    user.find(marker='copy-select').elements.pop().value = 'card-activity'
    user.find(marker='copy').click()
    row = await the_new_deck()
    await landed_on(user, f'/decks/yours/{row.id}')
    await user.should_see('Edit deck: Supporting learner progression (our copy)')
    await user.should_see('Strategic issues and cards')
    await user.should_see('Strategic issue 6: Strategic actions required to support learner progression?')

    user.find(marker='add-issue').click()
    await user.should_see(marker='select-issue-7')
    await user.should_see('Strategic issue 7')
    retype(user, 'issue-title', 'Working with employers to support progression.')
    retype(user, 'card-lead', 'How do employers help our learners progress?')
    retype(
        user,
        'card-prompts',
        'Employers can:\n  offer work placements\n  mentor learners\nWho leads our employer links?',
    )
    user.find(marker='add-card-7').click()
    await user.should_see(marker='select-card-7-2')
    retype(user, 'card-lead', 'What do employers need from us?')
    retype(user, 'card-prompts', 'Clear information about our courses.\nA single contact.')

    with user.scope(marker='preview-front'):
        await user.should_see('What do employers need from us?', retries=SLOW)
        await user.should_see('Strategic issue 7')
        await user.should_see('Working with employers to support progression.')
        await user.should_see('SEE OVER ↻')
    with user.scope(marker='preview-back'):
        await user.should_see('A single contact.')
    await choose(user, 'select-card-7-1', 'Card 7.1')
    with user.scope(marker='preview-front'):
        await user.should_see('How do employers help our learners progress?', retries=SLOW)
    with user.scope(marker='preview-back'):
        await user.should_see('Discussion prompts 7.1')
        await user.should_see('offer work placements')
        await user.should_see('b)')
    await user.should_see(marker='no-problems', retries=SLOW)

    user.find(marker='version-note').type('Added employer engagement')
    user.find(marker='save-version').click()
    await user.should_see('Saved as version 1.', retries=SLOW)
    await user.should_see(marker='versions', content='Version 1 saved')
    await user.should_see(marker='versions', content='sessions can use it')
    deck = db.run(authoring.deck_for_session, deck_ref=f'org:{row.id}')
    assert [t.number for t in deck.themes] == [1, 2, 3, 4, 5, 6, 7]
    seventh = deck.theme(7)
    assert [c.id for c in seventh.cards] == ['7.1', '7.2']
    assert seventh.cards[0].prompts[0].text == 'Employers can:'
    assert [p.text for p in seventh.cards[0].prompts[0].points] == ['offer work placements', 'mentor learners']
    assert db.run(authoring.versions, org_deck_id=row.id)[0].note == 'Added employer engagement'

    await user.open('/')
    await user.should_see('Supporting learner progression (our copy)')
    await user.should_see('Your organisation')

    await user.open(f'/sessions/new?deck=org:{row.id}')
    await user.should_see('Start a session')
    await user.should_see('Supporting learner progression (our copy) (your organisation, version 1)')
    await user.should_see(marker='theme-7')
    user.find(marker='title').type('Employer links day')
    user.find(marker='start').click()
    [summary] = await eventually_sessions()
    session = summary.session
    assert db.run(sessions.deck_of, session=session) == deck
    assert session.card_ids[-2:] == ['7.1', '7.2']
    await eventually(lambda: user.back_history[-1].startswith(f'/session/{session.id}/'), 'the session to open')

    # a later edit does not change the session's cards
    await user.open(f'/decks/yours/{row.id}')
    await choose(user, 'select-card-7-2', 'Card 7.2')
    retype(user, 'card-lead', 'What do local employers need from us?')
    await eventually(
        lambda: (
            db.run(authoring.get, org_deck_id=row.id).draft['themes'][6]['cards'][1]['lead'].startswith('What do local')
        ),
        'the edit saved',
    )
    assert (
        db.run(sessions.deck_of, session=db.run(sessions.get_session, session_id=session.id)).card('7.2').lead
        == 'What do employers need from us?'
    )

    user.find(marker='download-yaml').click()
    response = await user.download.next()
    path = tmp_path / 'card-activity-ours.yaml'
    path.write_bytes(response.content)
    assert main(['validate', str(path)]) == 0
    assert parse_deck(path.read_bytes()).card('7.2').lead == 'What do local employers need from us?'


async def the_new_deck():
    """The organisation's one deck, once the click that makes it has landed (clicks run off the event loop)."""
    for _ in range(100):
        if found := db.run(authoring.org_decks):
            [row] = found
            return row
        await asyncio.sleep(0.02)
    raise AssertionError('expected a deck to be made')


async def eventually_sessions() -> list:
    for _ in range(100):
        if found := db.run(sessions.list_sessions):
            return found
        await asyncio.sleep(0.02)
    raise AssertionError('expected a session to start')


async def test_a_two_issue_deck_with_a_checklist_card_from_scratch_runs_a_session(user: User) -> None:
    await user.open('/decks/yours')
    user.find(marker='new-scratch').click()
    row = await the_new_deck()
    await landed_on(user, f'/decks/yours/{row.id}')
    retype(user, 'deck-title', 'Progress reviews audit')
    retype(user, 'issue-title', 'Reviews with learners')
    retype(user, 'card-lead', 'How do reviews help learners progress?')
    user.find(marker='add-issue').click()
    await user.should_see(marker='select-card-2-1')
    user.find(marker='card-kind').elements.pop().value = 'checklist'
    await user.should_see(marker='group-items-1')
    retype(user, 'issue-title', 'Evidence from reviews')
    retype(user, 'card-lead', 'Learners')
    retype(user, 'card-task', 'Discuss each item: how do we know it is in place?')
    retype(user, 'group-items-1', 'Monitors own learning and progress.\nSets own targets.')
    with user.scope(marker='preview-front'):
        await user.should_see('Learners', retries=SLOW)
        await user.should_see('2.1 Checklist')
    with user.scope(marker='preview-back'):
        await user.should_see('Sets own targets.')
        await user.should_see('Discuss each item: how do we know it is in place?')

    # a second card in issue 2, moved above the first and then removed again (after confirming)
    user.find(marker='add-card-2').click()
    await user.should_see(marker='select-card-2-2')
    user.find(marker='card-2-2-up').click()
    await user.should_see('2.2  A new lead question?')
    user.find(marker='card-2-1-remove').click()
    await user.should_see(marker='confirm-dialog')
    await user.should_see('Remove card 2.2?')
    user.find(marker='confirm-cancel').click()
    await user.should_see(marker='select-card-2-2')
    user.find(marker='card-2-1-remove').click()
    await user.should_see('Remove card 2.2?')
    user.find(marker='confirm-ok').click()
    await user.should_not_see(marker='select-card-2-2', retries=SLOW)

    await user.should_see(marker='no-problems', retries=SLOW)
    user.find(marker='save-version').click()
    await user.should_see('Saved as version 1.', retries=SLOW)
    deck = db.run(authoring.deck_for_session, deck_ref=f'org:{row.id}')
    assert deck.title == 'Progress reviews audit'
    assert [(c.id, c.kind) for c in deck.cards] == [('1.1', 'question'), ('2.1', 'checklist')]
    assert [i.text for i in deck.card('2.1').groups[0].items] == [
        'Monitors own learning and progress.',
        'Sets own targets.',
    ]
    session = db.run(
        sessions.start_session, deck=db.run(authoring.deck_for_session, deck_ref=f'org:{row.id}'), title='Review audit'
    )
    assert session.card_ids == ['1.1', '2.1']
    db.run(sessions.rate_item, session_id=session.id, card_id='2.1', item_key='1.2', rating=2, evidence='Target sheets')
    await user.open(f'/session/{session.id}/console?key={session.facilitator_key}')
    await user.should_see('How do reviews help learners progress?')


async def test_upload_problems_are_shown_on_the_page_with_line_numbers(user: User) -> None:
    await user.open('/decks/yours')
    upload = user.find(marker='upload-yaml').elements.pop()
    bad = b'id: ours\ntitle: Ours\nthemes:\n  - number: one\n    title: A\n    cards:\n      - id: "1.1"\n'
    await upload.handle_uploads([ui.upload.SmallFileUpload('../../etc/bad deck.yaml', 'application/yaml', bad)])
    await user.should_see('“bad deck.yaml” could not be used')
    await user.should_see('bad deck.yaml:4:13: theme one > number: must be a whole number')
    await user.should_see('bad deck.yaml:7:9: theme one > card 1.1 > lead: is required but missing')
    await user.should_not_see('../')

    hostile = b'id: !!python/object/apply:os.system ["echo pwned"]\n'
    await upload.handle_uploads([ui.upload.SmallFileUpload('..\\evil.yaml', 'application/yaml', hostile)])
    await user.should_see(
        "evil.yaml:1:5: yaml: tag '!!python/object/apply:os.system' is not allowed; "
        'a deck holds only text, numbers and lists'
    )
    big = b'id: x\n' + b'# padding\n' * 200_000
    await upload.handle_uploads([ui.upload.SmallFileUpload('big.yaml', 'application/yaml', big)])
    await user.should_see('big.yaml: file: is larger than 1,000,000 bytes; a deck must be smaller')
    assert db.run(authoring.org_decks) == []

    word = user.find(marker='upload-docx').elements.pop()
    await word.handle_uploads([ui.upload.SmallFileUpload('cards.docx', 'application/octet-stream', b'not a zip')])
    await user.should_see('“cards.docx” could not be used')

    good = (Path(__file__).resolve().parents[2] / 'decks' / 'card-activity.yaml').read_bytes()
    await upload.handle_uploads([ui.upload.SmallFileUpload('card-activity.yaml', 'application/yaml', good)])
    await eventually(lambda: db.run(authoring.org_decks), 'the uploaded deck')
    row = await the_new_deck()
    await landed_on(user, f'/decks/yours/{row.id}')
    assert row.deck_id == 'card-activity-2'
    assert [v.note for v in db.run(authoring.versions, org_deck_id=row.id)] == ['From card-activity.yaml']


async def test_a_draft_with_problems_is_kept_over_a_reload_and_cannot_be_saved_as_a_version(user: User) -> None:
    row = db.run(authoring.create_from_scratch)
    await user.open(f'/decks/yours/{row.id}')
    await user.should_see(marker='no-problems')
    user.find(marker='card-lead').clear()
    retype(user, 'card-prompts', 'Half a thought:\n  a) first part')
    retype(user, 'card-id-field', '1 1')
    await user.should_see(
        'our-card-activity.yaml:9:9: theme 1 > card 1 1 > id: must be letters, digits, dots, '
        'dashes or underscores (e.g. 1.1)',
        retries=SLOW,
    )
    await user.should_see('our-card-activity.yaml:10:11: theme 1 > card 1 1 > lead: must not be empty')
    await user.should_see('Save version is off until the 2 problems listed under the editor are fixed.')
    assert not user.find(marker='save-version').elements.pop().enabled
    with user.scope(marker='preview-front'):
        await user.should_see('The preview appears when this card has no problems (see the list).')
    await eventually(
        lambda: db.run(authoring.get, org_deck_id=row.id).draft['themes'][0]['cards'][0].get('id') == '1 1', 'saved'
    )

    await user.open(f'/decks/yours/{row.id}')  # reload
    assert user.find(marker='card-id-field').elements.pop().value == '1 1'
    assert user.find(marker='card-prompts').elements.pop().value == 'Half a thought:\n    a) first part'
    await user.should_see('our-card-activity.yaml:10:11: theme 1 > card 1 1 > lead: must not be empty')
    assert db.run(authoring.versions, org_deck_id=row.id) == []

    retype(user, 'card-id-field', '1.1')
    user.find(marker='card-lead').type('Whole again?')
    await user.should_see(marker='no-problems', retries=SLOW)
    assert user.find(marker='save-version').elements.pop().enabled
