"""`python -m bot validate`: a sound knowledge base passes; each kind of breakage is named at path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Paths

GOOD_TOPIC = """\
id: zz-test
related: [facebook]
sources:
  - file: 000_51ea660dd9d01ecc.txt
    section: "9 Loppuraportin tiivistelmä"
en:
  title: A test topic
  answer: |
    A test answer that is long enough to pass the minimum length of an answer.
  finding: |
    The project had 79 participants in its training.
  examples: [one a, two b, three c, four d, five e, six f, seven g, eight h]
fi:
  title: Testiaihe
  answer: |
    Testivastaus, joka on tarpeeksi pitkä läpäistäkseen vastauksen vähimmäispituuden.
  finding: |
    Hankkeen koulutuksiin osallistui 79 henkeä.
  examples: [yksi a, kaksi b, kolme c, neljä d, viisi e, kuusi f, seitsemän g, kahdeksan h]
"""


def run_validate(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["validate"])
    return code, capsys.readouterr().out.splitlines()


def write_topic(paths: Paths, text: str, name: str = "zz-test.yaml") -> Path:
    path = paths.knowledge / "topics" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_real_knowledge_base_is_sound(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_validate(capsys)
    assert code == 0, lines
    assert lines[-1].startswith("ok:")


def test_a_good_extra_topic_passes(kb_copy: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    write_topic(kb_copy, GOOD_TOPIC)
    assert run_validate(capsys)[0] == 0


def test_a_figure_the_report_does_not_state_is_refused_at_its_line(
    kb_copy: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Pick 3-5 people" under the Kymenlaakso report's name: the report says no such thing.
    write_topic(
        kb_copy,
        GOOD_TOPIC.replace(
            "    The project had 79 participants in its training.",
            "    The project had 79 participants.\n    And 87 % of them stayed.",
        ),
    )
    code, lines = run_validate(capsys)
    assert code == 1
    problem = "knowledge/topics/zz-test.yaml:{}: figure '{}' is not in the report it cites"
    assert any(x.startswith(problem.format(12, "87")) for x in lines), lines
    assert not any("'79'" in x for x in lines)  # the report does state that one


def test_a_finding_needs_a_report_and_a_report_needs_a_finding(
    kb_copy: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    general = GOOD_TOPIC.replace(
        '  - file: 000_51ea660dd9d01ecc.txt\n    section: "9 Loppuraportin tiivistelmä"',
        "  - general: general practice, not from the reports",
    )
    write_topic(kb_copy, general)
    code, lines = run_validate(capsys)
    assert code == 1
    assert "knowledge/topics/zz-test.yaml:9: a finding needs a report" in "\n".join(lines)
    silent = GOOD_TOPIC.replace(
        "  finding: |\n    The project had 79 participants in its training.\n", ""
    )
    write_topic(kb_copy, silent)
    code, lines = run_validate(capsys)
    assert code == 1
    assert any(
        x.startswith("knowledge/topics/zz-test.yaml:8: the topic cites a report but says nothing")
        for x in lines
    ), lines


def test_bad_yaml_is_reported_at_its_line(
    kb_copy: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    # An unclosed "[" on line 14: the parser notices on the next line.
    write_topic(kb_copy, GOOD_TOPIC.replace("  title: Testiaihe", "  title: [Testiaihe"))
    code, lines = run_validate(capsys)
    assert code == 1
    assert any(
        line.startswith("knowledge/topics/zz-test.yaml:15: not valid YAML") for line in lines
    )


def test_missing_language_names_the_file(
    kb_copy: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GOOD_TOPIC.split("fi:\n")[0]
    write_topic(kb_copy, text)
    code, lines = run_validate(capsys)
    assert code == 1
    assert "knowledge/topics/zz-test.yaml:1: missing key 'fi'" in lines


def test_dangling_related_id_is_reported_at_its_line(
    kb_copy: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topic(kb_copy, GOOD_TOPIC.replace("related: [facebook]", "related: [facebook, nope]"))
    code, lines = run_validate(capsys)
    assert code == 1
    assert "knowledge/topics/zz-test.yaml:2: related id 'nope' is not a topic" in lines


def test_unknown_key_and_overlong_answer(
    kb_copy: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GOOD_TOPIC.replace("  title: A test topic", "  title: A test topic\n  colour: red")
    text = text.replace("    A test answer", "    " + "x" * 800 + " A test answer")
    write_topic(kb_copy, text)
    code, lines = run_validate(capsys)
    assert code == 1
    assert "knowledge/topics/zz-test.yaml:8: unknown key 'colour' in en" in lines
    assert any(
        line.startswith("knowledge/topics/zz-test.yaml:9: en.answer: too long") for line in lines
    )


def test_source_not_in_seeds(kb_copy: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    write_topic(kb_copy, GOOD_TOPIC.replace("000_51ea660dd9d01ecc.txt", "999_missing.txt"))
    code, lines = run_validate(capsys)
    assert code == 1
    assert (
        "knowledge/topics/zz-test.yaml:4: source file '999_missing.txt' is not a report listed"
        " in seeds/index.yaml"
    ) in lines


def test_duplicate_id_and_every_problem_reported(
    kb_copy: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topic(kb_copy, GOOD_TOPIC)
    write_topic(
        kb_copy, GOOD_TOPIC.replace("related: [facebook]", "related: [gone]"), "zz-twin.yaml"
    )
    (kb_copy.knowledge / "topics" / "zz-broken.yaml").write_text("id: [", encoding="utf-8")
    code, lines = run_validate(capsys)
    assert code == 1
    assert any("zz-twin.yaml:1: duplicate id 'zz-test'" in line for line in lines)
    assert any(line.startswith("knowledge/topics/zz-broken.yaml:") for line in lines)


def test_loading_anywhere_else_gives_the_same_messages(kb_copy: Paths) -> None:
    from bot.content.loader import load_knowledge
    from bot.content.problems import KnowledgeError

    write_topic(kb_copy, GOOD_TOPIC.replace("related: [facebook]", "related: [nope]"))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_copy.knowledge, kb_copy.seeds)
    assert "knowledge/topics/zz-test.yaml:2: related id 'nope' is not a topic" in str(caught.value)


def test_scope_words_are_checked(kb_copy: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    scope = kb_copy.knowledge / "scope.yaml"
    scope.write_text(
        "en:\n  - facebook\n  - social media\n  - facebook\nfi:\n  - some\n", encoding="utf-8"
    )
    code, lines = run_validate(capsys)
    assert code == 1
    assert any(line.startswith("knowledge/scope.yaml:3: en.1:") for line in lines), lines
    scope.write_text(
        "en:\n  - facebook\n  - Facebook\nfi:\n  - some\nexact:\n  en: [teams, some]\n",
        encoding="utf-8",
    )
    code, lines = run_validate(capsys)
    assert "knowledge/scope.yaml:3: 'facebook' is listed twice" in lines
    assert not any("'some'" in line for line in lines)  # English and Finnish lists are apart
    scope.write_text("en: [facebook]\nfi: [some]\nexact:\n  de: [teams]\n", encoding="utf-8")
    code, lines = run_validate(capsys)
    assert "knowledge/scope.yaml:4: unknown key 'de' in exact" in lines
    scope.write_text("en:\n  - facebook\n", encoding="utf-8")
    code, lines = run_validate(capsys)
    assert "knowledge/scope.yaml:1: missing key 'fi'" in lines


def test_spoken_forms_are_checked(kb_copy: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    spoken = kb_copy.knowledge / "spoken.yaml"
    spoken.write_text(
        "en:\n  words:\n    u: you\nfi:\n  words:\n    mun: mun\n    mä minä: minä\n"
        "  endings:\n    is: [isi]\n",
        encoding="utf-8",
    )
    code, lines = run_validate(capsys)
    assert code == 1
    assert any(line.startswith("knowledge/spoken.yaml:7: fi.words.mä minä") for line in lines)
    assert any(line.startswith("knowledge/spoken.yaml:9: fi.endings.is") for line in lines)
    spoken.write_text("fi:\n  words:\n    mun: mun\n", encoding="utf-8")
    code, lines = run_validate(capsys)
    assert lines == ["knowledge/spoken.yaml:3: 'mun' is read as itself"], lines


def test_small_talk_phrases_are_checked(kb_copy: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    smalltalk = kb_copy.knowledge / "smalltalk.yaml"
    smalltalk.write_text(
        "greeting:\n  en: [hi]\n  fi: [moi]\nabout:\n  en: [what can you do]\n"
        "thanks:\n  en: [thanks]\n  fi:\n    - kiitos\n    - Moi\ngoodbye:\n  en: [bye]\n"
        "unsure:\n  en: [no idea]\nresume:\n  en: [continue]\n",
        encoding="utf-8",
    )
    code, lines = run_validate(capsys)
    assert code == 1
    assert "knowledge/smalltalk.yaml:10: 'moi' is listed twice (also greeting)" in lines, lines
    smalltalk.write_text("greeting:\n  en: [hi]\n", encoding="utf-8")
    code, lines = run_validate(capsys)
    assert "knowledge/smalltalk.yaml:1: missing key 'about'" in lines, lines


@pytest.mark.parametrize("name", ["assessment.yaml", "plan.yaml", "scope.yaml", "smalltalk.yaml"])
def test_an_empty_file_is_reported_not_a_traceback(
    kb_copy: Paths, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (kb_copy.knowledge / name).write_text("# nothing here yet\n", encoding="utf-8")
    code, lines = run_validate(capsys)
    assert code == 1
    assert f"knowledge/{name}:1: the file is empty (or only comments)" in lines


def test_an_empty_topic_file_is_reported(
    kb_copy: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    write_topic(kb_copy, "")
    code, lines = run_validate(capsys)
    assert code == 1
    assert "knowledge/topics/zz-test.yaml:1: the file is empty (or only comments)" in lines


def test_bad_bytes_are_reported_at_their_own_line(
    kb_copy: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_topic(kb_copy, GOOD_TOPIC)
    raw = GOOD_TOPIC.encode().replace(b"Testiaihe", "Testiaihe \xe4".encode("latin-1"))
    path.write_bytes(raw)
    line = GOOD_TOPIC[: GOOD_TOPIC.index("Testiaihe")].count("\n") + 1
    code, lines = run_validate(capsys)
    assert code == 1
    assert any(
        x.startswith(f"knowledge/topics/zz-test.yaml:{line}: not valid YAML: not UTF-8")
        for x in lines
    ), lines
    path.write_bytes(GOOD_TOPIC.encode().replace(b"A test topic", b"A test\x00topic"))
    line = GOOD_TOPIC[: GOOD_TOPIC.index("A test topic")].count("\n") + 1
    code, lines = run_validate(capsys)
    nul = f"knowledge/topics/zz-test.yaml:{line}: not valid YAML: a NUL byte"
    assert any(x.startswith(nul) for x in lines), lines


def test_a_public_source_named_for_a_report_is_refused_at_its_line(
    kb_copy: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    """A report is named by seeds/index.yaml; `cite` is only for a general source's public one."""
    cited = GOOD_TOPIC.replace(
        '    section: "9 Loppuraportin tiivistelmä"\n',
        '    section: "9 Loppuraportin tiivistelmä"\n    cite: {en: "a guide", fi: "opas"}\n',
    )
    write_topic(kb_copy, cited)
    code, lines = run_validate(capsys)
    assert code == 1
    assert any(
        line.startswith("knowledge/topics/zz-test.yaml:4: ") and "cite" in line for line in lines
    ), lines
