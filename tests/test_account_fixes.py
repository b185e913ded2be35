"""Users, groups and logins (cmdai.account_fixes; the thirty-fifth by-hand round). The fixed
commands change or read the machine's accounts, so they are checked as text and by bash's
syntax check here, and the ones that only read are run where their programs are."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import sure_fixed as fixed

from cmdai.intent import writes_shell_words


def syntax_ok(command: str) -> bool:
    return subprocess.run(["bash", "-n", "-c", command], capture_output=True).returncode == 0


def test_a_user_deleted_with_the_home_the_account_goes_too() -> None:
    draft = "sudo rm -rf /home/bob"
    request = "delete the user bob together with his home directory"
    assert fixed(draft, request) == "sudo userdel -r bob"
    assert fixed("rm -rf /home/bob", "remove the account bob") == "userdel bob"
    assert fixed("sudo userdel bob", request) is None
    assert fixed("sudo rm -rf /home/bob/tmp", "delete the user bob's tmp folder") is None
    assert fixed("ls /home", request) is None  # only the draft that removed the home


def test_when_a_password_changed_and_the_last_logins() -> None:
    aged = fixed(
        "grep -i 'bob changed password' /var/log/auth.log",
        "show when bob last changed his password",
    )
    assert aged == "sudo chage -l bob"
    assert syntax_ok(aged)
    assert fixed("sudo passwd -S bob", "show when bob last changed his password") is None
    logins = fixed("tail -n 10 /var/log/auth.log", "show the last 10 logins")
    assert logins == "last -n 10"
    assert fixed("cat /var/log/wtmp", "show the most recent logins") == "last"
    assert fixed("tail /var/log/auth.log", "show the last ten logins") == "last -n 10"
    assert fixed("last -n 5", "show the last 5 logins") is None
    assert fixed("tail -n 10 auth.log", "show the last 10 lines of auth.log") is None


@pytest.mark.skipif(shutil.which("last") is None, reason="needs last (util-linux)")
def test_last_runs_here() -> None:
    done = subprocess.run(["bash", "-c", "last -n 10"], capture_output=True, text=True)
    assert done.returncode == 0  # an empty login record is still an answer


def test_a_request_that_says_sudo_is_a_shell_task() -> None:
    assert writes_shell_words("what am I allowed to run with sudo")
    assert not writes_shell_words("who wrote Pride and Prejudice")
