"""The words a card sends to the browser: one side of one card, made once and shared by every screen."""

from __future__ import annotations

import json

from cardkit.deck import Deck
from cardkit.ui.components.card_view import face_of, marker


def deck() -> Deck:
    return Deck.model_validate(
        {
            'id': 'faces',
            'title': 'Faces',
            'theme_label': 'Strategic issue',
            'themes': [
                {
                    'number': 1,
                    'title': 'Exploring the idea of progression.',
                    'colour': '#1F5F8B',
                    'cards': [
                        {
                            'id': '1.2',
                            'lead': 'Why is progression important:',
                            'lead_points': ['to individual learners?', 'to your organisation?'],
                            'intro': 'Think about:',
                            'prompts': [
                                {
                                    'text': 'For the individual, progression can:',
                                    'numbering': 'letters',
                                    'points': ['raise aspirations', 'build confidence'],
                                },
                                'Progression is not time-limited.',
                            ],
                            'footnotes': ['* Placements include supported internships.'],
                            'links': [{'label': 'Framework', 'url': 'www.example.org/framework'}],
                        },
                        {'id': '1.3', 'lead': '<script>alert(1)</script> & "quotes"'},
                    ],
                },
                {
                    'number': 2,
                    'title': 'Evidence',
                    'colour': '#FFFF00',
                    'cards': [
                        {
                            'id': '2.1',
                            'kind': 'checklist',
                            'lead': 'Partnerships',
                            'task': 'Rate each item.',
                            'groups': [
                                {
                                    'heading': 'With employers',
                                    'numbering': 'numbers',
                                    'items': ['Placements are offered', 'Employers visit'],
                                }
                            ],
                        }
                    ],
                },
            ],
        }
    )


def test_the_front_carries_the_band_the_lead_question_its_points_and_see_over() -> None:
    d = deck()
    face = face_of(d, d.card('1.2'), False)
    data = json.loads(face.json)
    assert (data['number'], data['title'], data['colour'], data['ink']) == (
        'Strategic issue 1',
        'Exploring the idea of progression.',
        '#1F5F8B',
        '#FFFFFF',
    )
    assert (data['side'], data['heading'], data['lead']) == (
        'front',
        '1.2 Lead question',
        'Why is progression important:',
    )
    assert [p['text'] for p in data['lead_points']] == ['to individual learners?', 'to your organisation?']
    assert {p['marker'] for p in data['lead_points']} == {'•'}
    assert data['see_over'] is True
    assert 'prompts' not in data  # the back's words are not sent with the front
    assert 'SEE OVER ↻' in face.words and 'Why is progression important:' in face.words


def test_the_back_numbers_nested_prompts_and_keeps_footnotes_and_safe_links() -> None:
    d = deck()
    data = json.loads(face_of(d, d.card('1.2'), True).json)
    assert (data['side'], data['heading']) == ('back', 'Discussion prompts 1.2')
    assert data['paragraphs'] == [{'kind': 'ck-intro', 'text': 'Think about:'}]
    first, second = data['prompts']
    assert first['text'] == 'For the individual, progression can:'
    assert [(p['marker'], p['text']) for p in first['points']] == [
        ('a)', 'raise aspirations'),
        ('b)', 'build confidence'),
    ]
    assert second['text'] == 'Progression is not time-limited.'
    assert data['footnotes'] == [{'text': '* Placements include supported internships.', 'points': []}]
    assert data['links'] == [{'label': 'Framework', 'href': 'https://www.example.org/framework'}]
    assert 'lead' not in data


def test_a_checklist_back_shows_its_task_and_numbered_groups_with_dark_ink_on_a_light_band() -> None:
    d = deck()
    data = json.loads(face_of(d, d.card('2.1'), True).json)
    assert data['heading'] == '2.1 Checklist: Partnerships'
    assert data['paragraphs'] == [{'kind': 'ck-intro', 'text': 'Rate each item.'}]
    assert data['groups'][0]['heading'] == 'With employers'
    assert [(p['marker'], p['text']) for p in data['groups'][0]['items']] == [
        ('1.', 'Placements are offered'),
        ('2.', 'Employers visit'),
    ]
    assert data['ink'] == '#111111'  # near-black on a yellow band


def test_deck_text_travels_as_data_not_markup() -> None:
    d = deck()
    face = face_of(d, d.card('1.3'), False)
    assert json.loads(face.json)['lead'] == '<script>alert(1)</script> & "quotes"'
    assert face.json.count('<script>') == 1  # the text as it is: the template shows it with {{ }}, never as HTML


def test_a_face_is_made_once_per_card_and_side() -> None:
    d = deck()
    assert face_of(d, d.card('1.2'), False) is face_of(d, d.card('1.2'), False)
    assert face_of(d, d.card('1.2'), True) is not face_of(d, d.card('1.2'), False)
    other = deck()  # the same words in another deck object (another version) get their own face
    assert face_of(other, other.card('1.2'), False) is not face_of(d, d.card('1.2'), False)


def test_markers() -> None:
    assert [marker('letters', i) for i in (0, 1, 25, 26, 27)] == ['a)', 'b)', 'z)', 'aa)', 'ab)']
    assert [marker('numbers', i) for i in (0, 9)] == ['1.', '10.']
    assert marker('bullets', 3) == '•'
