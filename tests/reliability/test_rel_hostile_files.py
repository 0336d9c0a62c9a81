"""Hostile files: the deck loader (cardkit.deckfile.parse_deck) fuzzed by hypothesis with random bytes and with text
built from YAML syntax fragments (anchors, aliases, tags such as !!python/object, BOMs, NULs, RTL marks): the only
exception allowed out is DeckError. An alias bomb ("billion laughs") and a 10 MB file are refused within a second.
Names that come from files cannot write outside their folder: deck ids with ../ or ..\\ are refused, and the default
export paths of sessions titled like paths stay in the exports folder, and deck uploads through cardkit.authoring
named like paths (../../evil.yaml, ..\\..\\evil.yaml, /etc/passwd.yaml, C:\\…) write no file anywhere and are shown
without their path. An atheris run is in `python -m reliability --only files` when atheris is installed.
"""

from __future__ import annotations

from reliability.files import measure_big_files, measure_deck_fuzz, measure_file_names


def test_fuzzed_decks_only_ever_raise_deck_error() -> None:
    figures = measure_deck_fuzz(examples=300)
    print(figures)
    assert figures['files_fuzz_inputs'] >= 300
    assert figures['files_fuzz_unhandled_exceptions'] == 0, figures['files_fuzz_unhandled_examples']


def test_bombs_and_huge_files_are_refused_within_a_second() -> None:
    figures = measure_big_files()
    print(figures)
    for name in ('alias_bomb', '10mb_file', '10mb_bytes'):
        assert figures[f'files_{name}_refused'] == 1
        assert figures[f'files_{name}_seconds'] < 1.0


def test_names_from_files_never_lead_outside_their_folder() -> None:
    figures = measure_file_names()
    assert figures['files_hostile_deck_ids_refused'] == figures['files_hostile_deck_ids']
    assert figures['files_export_paths_outside_folder'] == 0
    assert figures['files_upload_names_tried'] == 7
    assert figures['files_upload_names_shown_with_path'] == 0
    assert figures['files_upload_files_written_outside'] == 0
