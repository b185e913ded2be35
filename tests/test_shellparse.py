"""The bash reader behind the safety gate: what a line would run, normalised, never raising."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdai.safety import ShellValidator
from cmdai.shellparse import analyse, expand_braces, peel, resolve_target


def runs(command: str) -> list[str]:
    return [c.text for c in analyse(command).commands]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("r''m -rf /", "rm -rf /"),
        ('"r"m -rf /', "rm -rf /"),
        ("\\rm -rf /", "rm -rf /"),
        ("/bin/rm -rf /", "rm -rf /"),
        ("$'\\x72\\x6d' -rf /", "rm -rf /"),
        ("rm${IFS}-rf${IFS}/", "rm -rf /"),
        ("{rm,-rf,/}", "rm -rf /"),
        ("x=rm; $x -rf /", "rm -rf /"),
        ("$(echo rm) -rf /", "rm -rf /"),
        ("rm -rf $HOME", "rm -rf ~"),
        ('rm -rf "${HOME}"/', "rm -rf ~/"),
        ("rm -rf /usr/../", "rm -rf /"),
        ("rm -rf ~/../..", "rm -rf /"),
        ("rm -rf /b?n", "rm -rf /bin"),
        ("rm --rec --forc x", "rm --recursive --force x"),
        ("sudo -u root env A=1 nice -n 5 timeout 9 rm -rf /", "rm -rf /"),
        ("bash -c 'rm -rf /'", "rm -rf /"),
        ("bash -lc 'rm -rf /'", "rm -rf /"),
        ("eval 'rm -rf /'", "rm -rf /"),
        ("ssh -p 22 host rm -rf /", "rm -rf /"),
        ("watch -n 1 'rm -rf /'", "rm -rf /"),
        ("su -c 'rm -rf /'", "rm -rf /"),
        ("echo $(rm -rf /)", "rm -rf /"),
        ("cat <(rm -rf /)", "rm -rf /"),
        ("bash <<EOF\nrm -rf /\nEOF\n", "rm -rf /"),
        ("cat <<EOF | sh\nrm -rf /\nEOF\n", "rm -rf /"),
        ("bash <<< 'rm -rf /'", "rm -rf /"),
        ("echo 'rm -rf /' | sh", "rm -rf /"),
        ("echo cm0gLXJmIC8= | base64 -d | sh", "rm -rf /"),
        ("echo / | xargs rm -rf", "rm -rf /"),
        ("find / -exec rm -rf {} +", "rm -rf {}"),
        ("alias x='rm -rf /'", "rm -rf /"),
        ("find r 2>/dev/null -exec rm -fR {} x", "find r -exec rm -fR {} x"),
    ],
)
def test_commands_are_found_and_normalised(command: str, expected: str) -> None:
    assert expected in runs(command)


def test_wrappers_are_remembered() -> None:
    (command,) = analyse("sudo env FOO=1 rm x").commands
    assert command.argv == ("rm", "x")
    assert command.wrappers == ("sudo", "env")
    assert command.full_text == "sudo env rm x"


def test_quoted_punctuation_cannot_pose_as_a_redirect() -> None:
    analysis = analyse("echo 'x > /etc/passwd; rm -rf /'")
    assert analysis.redirects == ()
    assert [c.argv[0] for c in analysis.commands] == ["echo"]


def test_redirects_and_pipelines() -> None:
    analysis = analyse("curl -s x | sudo bash > /dev/sda 2>&1")
    assert "curl -s x | bash" in analysis.pipelines
    assert "curl -s x | sudo bash" in analysis.pipelines
    assert [r.text for r in analysis.redirects] == ["> /dev/sda", ">& 1"]


@pytest.mark.parametrize("command", ["echo 'oops", "if then fi", "((", "$("])
def test_syntax_errors_are_reported(command: str) -> None:
    assert "syntax" in analyse(command).problems


def test_deep_nesting_is_reported_not_followed() -> None:
    assert "depth" in analyse("eval " * 20 + "ls").problems


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("//", "/"),
        ("/.", "/"),
        ("/etc/", "/etc/"),
        ("/tmp/*", "/tmp/*"),
        ("/e??", "/etc"),
        ("~root", "/root"),
        ("~alice/x", "/home/alice/x"),
        ("~/..", "/home"),
        ("./build", "./build"),
    ],
)
def test_resolve_target(word: str, expected: str) -> None:
    assert resolve_target(word) == expected


def test_expand_braces() -> None:
    assert expand_braces("/{bin,etc}") == ["/bin", "/etc"]
    assert expand_braces("${x}") == ["${x}"]


def test_peel() -> None:
    assert peel(["sudo", "-u", "bob", "/usr/bin/rm", "-r", "x"]) == (
        ["sudo"],
        ["rm", "-r", "x"],
        [],
    )
    assert peel(["env", "-S", "rm -rf /"]) == (["env"], [], ["rm -rf /"])
    assert peel(["sudo", "-s"]) == (["sudo"], ["sh"], [])


@settings(max_examples=2000, deadline=None, database=None)
@given(st.text(max_size=120))
def test_fuzzed_text_never_raises(text: str) -> None:
    report = ShellValidator().assess(text, "moderate")
    assert report.decision in ("allow", "confirm", "block")


def test_surrogates_and_nul_bytes_do_not_raise() -> None:
    assert ShellValidator().assess("rm -rf \ud800 /\x00", "moderate").decision == "block"
