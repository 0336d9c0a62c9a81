"""The facilitator's workspace in real Chromium, with a realistic room (twelve people in three groups, their notes and
proposed actions): each stage fits two screens of a 1366x768 laptop, and the big screen shows the join code large
enough to read from the back of a hall. Screenshots of every stage at 1920x1080, 1366x768 and 390x844 are saved to
screenshots/."""

from __future__ import annotations

from nicegui.testing import Screen
from shots import keep_for_docs, save, viewport

from cardkit import db, library, sessions, workshop
from cardkit.models import CardSession

SIZES = {'projector': (1920, 1080), 'laptop': (1366, 768), 'phone': (390, 844)}
PEOPLE = [
    ('Ann', 'Curriculum manager'),
    ('Bob', 'Careers adviser'),
    ('Cy', 'Tutor'),
    ('Dee', 'Head of quality'),
    ('Eli', 'Learning support'),
    ('Fay', 'Data manager'),
    ('Gus', 'Employer partnerships'),
    ('Hal', 'Tutor'),
    ('Ivy', 'Student services'),
    ('Jo', 'Governor'),
    ('Kit', 'Apprenticeships lead'),
    ('Lee', 'Teacher educator'),
]
NOTES = [
    'Progression is more than moving up a level',
    'Destinations data is patchy after six months',
    'Learners need to see the routes open to them',
    'Tutors want time for one-to-one reviews',
    'Partners could host taster days',
]


def workshop_in_groups() -> CardSession:
    """A workshop with its room open, twelve people split into three groups that have each sent notes and actions."""
    deck = library.shipped().get('card-activity')
    session = db.run(
        sessions.start_session,
        deck=deck,
        title='Progression away day',
        theme_numbers=[1, 2, 3],
        way_of_working='in a mixed group with representation from different areas of your organisation',
    )
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    people = [db.run(workshop.join, code=code, name=name, role=role) for name, role in PEOPLE]
    db.run(workshop.split_room, session_id=session.id, max_size=4)
    for i, person in enumerate(people):
        db.run(workshop.participant_note, token=person.token, card_id='1.1', text=NOTES[i % len(NOTES)])
        if i % 3 == 0:
            db.run(workshop.participant_action, token=person.token, what=f'Action proposed by {person.name}')
    return db.run(sessions.get_session, session_id=session.id)


def height(screen: Screen) -> int:
    return screen.selenium.execute_script('return document.documentElement.scrollHeight')


def no_sideways_scroll(screen: Screen) -> bool:
    return screen.selenium.execute_script(
        'return document.documentElement.scrollWidth <= document.documentElement.clientWidth'
    )


def test_every_stage_fits_two_laptop_screens_and_is_shot_at_three_sizes(screen: Screen) -> None:
    session = workshop_in_groups()
    key = session.facilitator_key
    stages = {
        'prepare': f'/session/{session.id}/setup?key={key}',
        'cards': f'/session/{session.id}/console?key={key}',
        'room': f'/session/{session.id}/room?key={key}',
        'groups': f'/session/{session.id}/room/groups?key={key}',
        'plenary': f'/session/{session.id}/room/plenary?key={key}',
        'actions': f'/session/{session.id}/actions?key={key}',
        'report': f'/session/{session.id}/report?key={key}',
        'projector': f'/session/{session.id}/projector?key={sessions.projector_key(session)}',
    }
    shows = {
        'prepare': 'Who is involved',
        'report': 'Word report (.docx)',
        'projector': 'Join from your phone',
        'cards': 'Timer',
        'room': 'Who is here (12)',
        'groups': 'Group 3',
        'plenary': 'Proposed actions (4)',
        'actions': 'Short term',
    }
    heights: dict[str, int] = {}
    for stage, url in stages.items():
        for size, (width, tall) in SIZES.items():
            with viewport(screen, width, tall, mobile=size == 'phone'):
                screen.open(url)
                screen.should_contain(shows[stage])
                screen.wait(0.5)
                path = save(screen, f'stage-{stage}-{width}x{tall}')
                if size == 'laptop' and stage in ('room', 'plenary'):
                    keep_for_docs(path, f'screenshot-{stage}.png')
                if size == 'laptop' and stage == 'cards':
                    keep_for_docs(path, 'screenshot-console.png')
                assert no_sideways_scroll(screen), f'{stage} scrolls sideways at {width}x{tall}'
                if size == 'laptop':
                    heights[stage] = height(screen)
        with viewport(screen, 1366, heights[stage]):  # the whole page at once, to look at
            screen.wait(0.3)
            save(screen, f'stage-{stage}-1366-whole')
    print('stage heights at 1366x768:', heights)
    too_long = {stage: h for stage, h in heights.items() if h > 2 * 768}
    assert not too_long, f'longer than two laptop screens: {too_long}'


def test_the_projector_shows_the_join_code_large_beside_the_card(screen: Screen) -> None:
    session = workshop_in_groups()
    code = session.join_code
    with viewport(screen, 1920, 1080):
        screen.open(f'/session/{session.id}/projector?key={sessions.projector_key(session)}')
        screen.should_contain('Join from your phone')
        screen.should_contain(code)
        shown = screen.selenium.execute_script(
            """const code = document.querySelector('.ck-stage-join .ck-join-code');
               const qr = document.querySelector('.ck-stage-join .ck-join-qr');
               const lead = document.querySelector('.ck-stage .ck-lead');
               const box = (e) => e.getBoundingClientRect();
               return {code: parseFloat(getComputedStyle(code).fontSize), qr: box(qr).width,
                       qrBottom: box(qr).bottom, lead: parseFloat(getComputedStyle(lead).fontSize),
                       page: document.documentElement.scrollHeight};"""
        )
        path = save(screen, 'projector-joining-1920x1080')
        keep_for_docs(path, 'screenshot-projector-joining.png')
        # a 6-character code at 80 px or more is readable from about 15 m; the QR code scans from the middle rows
        assert shown['code'] >= 80, shown
        assert shown['qr'] >= 300, shown
        assert shown['lead'] >= 48, shown  # the card stays readable beside it
        assert shown['page'] <= 1080, shown  # all on one screen, nothing below the fold
        assert shown['qrBottom'] <= 1080, shown
    db.run(workshop.close_joining, session_id=session.id)  # (that the open screen follows is a story in tests/ui)
    with viewport(screen, 1920, 1080):
        screen.open(f'/session/{session.id}/projector?key={sessions.projector_key(session)}')
        screen.should_contain('1 / 9')
        screen.should_not_contain('Join from your phone')
        save(screen, 'projector-joining-closed-1920x1080')
