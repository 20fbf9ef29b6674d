# NAME
#	test_master.py - master, the postern command and the daemon skeleton
# DESCRIPTION
#	Each test starts a real instance whose master.cf runs the test
#	daemon (t/testd) in its different modes, and checks what master
#	does from the outside: sockets, processes (/proc), the log, and the
#	postern command's output and exit status.
import os
import signal
import socket
import threading
import time

import pytest

from conftest import (BIN, IS_ROOT, MAIL_OWNER, TESTD, alive, free_port,
                      pids_of, talk, wait_for, wait_for_port)


def echo_service(port, maxproc="-", mode="echo", extra="", chroot="n"):
    return f"127.0.0.1:{port} inet n - {chroot} - {maxproc} {TESTD} -o testd_mode={mode} {extra}\n"


def pid_of_answer(answer):
    return int(answer.split(":")[0])


def test_start_status_stop(instance_factory):
    port = free_port()
    inst = instance_factory(master_cf=echo_service(port))
    start = inst.start()
    assert "starting the Postern mail system" in start.stderr
    status = inst.cmd("status")
    assert status.returncode == 0
    pid = inst.master_pid()
    assert f"the Postern mail system is running: PID: {pid}" in status.stderr
    assert talk(port, ["hello"])[0].endswith(": hello")
    assert inst.wait_for_log(r"postern/master\[\d+\]: daemon started -- version \S+, configuration " + inst.etc)
    children = inst.children()
    assert children
    stop = inst.cmd("stop")
    assert stop.returncode == 0
    assert not alive(pid)
    assert not os.path.exists(os.path.join(inst.queue, "pid", "master.pid"))
    assert not any(alive(c) for c in children)
    assert "terminating on signal 15" in inst.log()
    status = inst.cmd("status")
    assert status.returncode == 1
    assert "the Postern mail system is not running" in status.stderr


def test_unix_socket_service(instance_factory):
    inst = instance_factory(master_cf=f"echo unix n - n - - {TESTD}\n"
                                      f"pecho unix y - n - - {TESTD}\n")
    inst.start()
    for cls, name, mode in (("public", "echo", 0o666), ("private", "pecho", 0o600)):
        path = os.path.join(inst.queue, cls, name)
        assert os.stat(path).st_mode & 0o777 == mode
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(path)
            s.sendall(b"hi\n")
            assert s.recv(100).decode().endswith(": hi\n")


def test_second_start_fails(instance_factory):
    inst = instance_factory(master_cf=echo_service(free_port()))
    inst.start()
    pid = inst.master_pid()
    again = inst.cmd("start")
    assert again.returncode == 1
    assert f"the Postern mail system is already running (pid {pid})" in again.stderr
    assert inst.master_pid() == pid


def test_killed_child_is_replaced(instance_factory):
    port = free_port()
    inst = instance_factory(master_cf=echo_service(port))
    inst.start()
    first = pid_of_answer(talk(port, ["a"])[0])
    os.kill(first, signal.SIGKILL)
    inst.wait_for_log(rf"warning: process {TESTD} pid {first} killed by signal 9")
    second = pid_of_answer(talk(port, ["b"])[0])
    assert second != first


def test_maxproc_queues_connections(instance_factory):
    port = free_port()
    inst = instance_factory(master_cf=echo_service(port, maxproc=2))
    inst.start()
    socks = []
    for _ in range(2):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"x\n")
        assert s.recv(100)
        socks.append(s)
    # A third connection is accepted by the kernel but waits for a process.
    third = socket.create_connection(("127.0.0.1", port), timeout=10)
    third.sendall(b"third\n")
    third.settimeout(1.0)
    with pytest.raises(socket.timeout):
        third.recv(100)
    assert len([p for p in inst.children()]) == 2
    socks[0].close()
    third.settimeout(10)
    assert third.recv(100).decode().endswith(": third\n")
    third.close()
    socks[1].close()


def test_reload_adds_and_removes_services(instance_factory):
    p1, p2 = free_port(), free_port()
    inst = instance_factory(master_cf=echo_service(p1))
    inst.start()
    talk(p1, ["x"])
    inst.write_master_cf(echo_service(p2))
    assert inst.cmd("reload").returncode == 0
    wait_for_port(p2)
    assert talk(p2, ["y"])[0].endswith(": y")

    def refused():
        try:
            socket.create_connection(("127.0.0.1", p1), timeout=1).close()
            return False
        except ConnectionRefusedError:
            return True
    wait_for(refused, what="old service closed")
    assert "reload -- version" in inst.log()


def test_reload_keeps_unchanged_sockets(instance_factory):
    port = free_port()
    inst = instance_factory(master_cf=echo_service(port))
    inst.start()
    first = pid_of_answer(talk(port, ["a"])[0])
    # A connection open across the reload is served to the end.
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    inst.cmd("reload", check=True)
    s.sendall(b"during\n")
    assert s.recv(100).decode().endswith(": during\n")
    s.close()
    inst.wait_for_log("reload -- version")
    # New connections get a new process: the old one finished and left.
    wait_for(lambda: not alive(first), what="old child exit")
    assert pid_of_answer(talk(port, ["b"])[0]) != first


def test_two_instances_side_by_side(instance_factory):
    p1, p2 = free_port(), free_port()
    a = instance_factory(master_cf=echo_service(p1))
    b = instance_factory(master_cf=echo_service(p2))
    a.start()
    b.start()
    assert a.master_pid() != b.master_pid()
    assert talk(p1, ["a"])[0] and talk(p2, ["b"])[0]
    a.stop()
    assert a.cmd("status").returncode == 1
    assert b.cmd("status").returncode == 0
    assert talk(p2, ["still"])[0].endswith(": still")


def test_bad_startup_is_throttled(instance_factory):
    port = free_port()
    inst = instance_factory(master_cf=echo_service(port, mode="crash"))
    inst.start()
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        pass
    inst.wait_for_log(r"warning: " + TESTD + r": bad command startup -- throttling")
    time.sleep(1.5)
    # One failed start, then nothing until service_throttle_time passes.
    assert inst.log().count("crashing at start-up as asked") == 1


def test_wakeup_reaches_trigger_service(instance_factory):
    inst = instance_factory()
    log = os.path.join(inst.root, "trigger.log")
    open(log, "w").close()
    os.chmod(log, 0o666)
    inst.write_master_cf(f"trig unix n - n 1 1 {TESTD} -o testd_mode=trigger -o testd_log={log}\n")
    inst.start()
    wait_for(lambda: open(log).read().count(" W") >= 2, timeout=10, what="two wakeups")
    pids = {line.split()[0] for line in open(log).read().splitlines()}
    assert len(pids) == 1        # one long-lived trigger server


def test_max_idle_and_max_use(instance_factory):
    p1, p2 = free_port(), free_port()
    inst = instance_factory(main_extra="max_idle = 1s\n",
                            master_cf=echo_service(p1) +
                            echo_service(p2, extra="-o max_use=2 -o max_idle=100s"))
    inst.start()
    idle = pid_of_answer(talk(p1, ["x"])[0])
    wait_for(lambda: idle not in pids_of("testd"), timeout=5, what="idle child exit")
    a = pid_of_answer(talk(p2, ["1"])[0])
    b = pid_of_answer(talk(p2, ["2"])[0])
    c = pid_of_answer(talk(p2, ["3"])[0])
    assert a == b and c != a


def test_event_mode_serves_many_sessions_in_one_process(instance_factory):
    port = free_port()
    inst = instance_factory(master_cf=echo_service(port, mode="event", maxproc=1))
    inst.start()
    socks = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(50)]
    pids = set()
    for i, s in enumerate(socks):
        s.sendall(f"n{i}\n".encode())
    for i, s in enumerate(socks):
        answer = s.makefile("rb").readline().decode()
        assert answer.endswith(f": n{i}\n")
        pids.add(pid_of_answer(answer))
        s.close()
    assert len(pids) == 1


def test_master_gone_children_exit(instance_factory):
    port = free_port()
    inst = instance_factory(master_cf=echo_service(port))
    inst.start()
    child = pid_of_answer(talk(port, ["x"])[0])
    os.kill(inst.master_pid(), signal.SIGKILL)
    wait_for(lambda: child not in pids_of("testd"), timeout=10, what="orphan exit")
    # The lock died with master: a new start works.
    inst.start()
    assert talk(port, ["again"])[0].endswith(": again")


def test_start_fg(instance_factory):
    import subprocess
    port = free_port()
    inst = instance_factory(master_cf=echo_service(port))
    inst.fg = subprocess.Popen([os.path.join(BIN, "postern"), "-c", inst.etc, "start-fg"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_port(port)
    assert inst.master_pid() == inst.fg.pid   # exec'd, not forked
    assert talk(port, ["fg"])[0].endswith(": fg")
    inst.fg.send_signal(signal.SIGTERM)
    assert inst.fg.wait(30) == 0
    inst.fg = None
    assert not os.path.exists(os.path.join(inst.queue, "pid", "master.pid"))


def test_check_reports_every_error(instance_factory):
    inst = instance_factory(main_extra="message_size_limit = lots\nsmtpd_timeout = 3x\n",
                            master_cf="smtp inet n - n - - smtpd\n"
                                      "bad unix n - n\n"
                                      "odd bogus n - n - - x\n")
    check = inst.cmd("check")
    assert check.returncode == 1
    main_cf = os.path.join(inst.etc, "main.cf")
    master_cf = os.path.join(inst.etc, "master.cf")
    assert f"{main_cf}, line 10: bad size configuration: message_size_limit = lots" in check.stderr
    assert f"{main_cf}, line 11: bad time configuration: smtpd_timeout = 3x" in check.stderr
    assert f"file {master_cf}: line 2: bad field count" in check.stderr
    assert f"file {master_cf}: line 3: bad transport type: bogus" in check.stderr
    start = inst.cmd("start")
    assert start.returncode == 1 and inst.master_pid() is None


def test_check_creates_queue_tree(instance_factory):
    inst = instance_factory()
    assert inst.cmd("check").returncode == 0
    modes = {"incoming": 0o700, "active": 0o700, "deferred": 0o700, "hold": 0o700,
             "corrupt": 0o700, "maildrop": 0o730, "bounce": 0o700, "defer": 0o700,
             "trace": 0o700, "pid": 0o755, "public": 0o710, "private": 0o700}
    for name, mode in modes.items():
        st = os.stat(os.path.join(inst.queue, name))
        assert st.st_mode & 0o7777 == mode, name
    os.chmod(os.path.join(inst.queue, "incoming"), 0o777)
    check = inst.cmd("check")
    assert check.returncode == 1
    assert "incoming: mode 0777, should be 0700" in check.stderr


@pytest.mark.skipif(not IS_ROOT, reason="privilege drop needs root")
def test_privilege_drop_and_chroot(instance_factory):
    import pwd
    p1, p2 = free_port(), free_port()
    owner = pwd.getpwnam(MAIL_OWNER)
    inst = instance_factory(master_cf=echo_service(p1) +
                            echo_service(p2, chroot="y") +
                            f"127.0.0.1:{free_port()} inet n n n - - {TESTD}\n")
    inst.start()
    for port, chrooted in ((p1, False), (p2, True)):
        pid, uid, gid, cwd = talk(port, ["id"])[0].split()
        with open(f"/proc/{pid}/status") as f:
            status = f.read()
        uids = [line.split()[1:] for line in status.splitlines() if line.startswith("Uid:")][0]
        gids = [line.split()[1:] for line in status.splitlines() if line.startswith("Gid:")][0]
        groups = [line.split()[1:] for line in status.splitlines() if line.startswith("Groups:")][0]
        assert uids == [str(owner.pw_uid)] * 4
        assert gids == [str(owner.pw_gid)] * 4
        assert groups == [str(owner.pw_gid)]
        root = os.readlink(f"/proc/{pid}/root")
        assert root == (inst.queue if chrooted else "/")
    assert os.stat(os.path.join(inst.queue, "pid", "master.pid")).st_uid == 0


@pytest.mark.skipif(not IS_ROOT, reason="needs root")
def test_root_refuses_bad_mail_owner(instance_factory):
    inst = instance_factory(main_extra="mail_owner = root\n")
    check = inst.cmd("check")
    assert check.returncode == 1 and "mail_owner root must not be root" in check.stderr
    inst.write_main_cf("mail_owner = no-such-user-here\n")
    check = inst.cmd("check")
    assert check.returncode == 1
    assert "mail_owner account no-such-user-here does not exist" in check.stderr


def test_killed_wakeup_service_is_woken_at_once(instance_factory):
    inst = instance_factory()
    log = os.path.join(inst.root, "trigger.log")
    open(log, "w").close()
    os.chmod(log, 0o666)
    inst.write_master_cf(f"trig unix n - n 300 1 {TESTD} -o testd_mode=trigger -o testd_log={log}\n")
    inst.start()
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(os.path.join(inst.queue, "public", "trig"))
        s.sendall(b"A")
    wait_for(lambda: " A" in open(log).read(), what="first trigger")
    first = int(open(log).read().split()[0])
    os.kill(first, signal.SIGKILL)
    # Not 300 seconds later: master wakes the service again at once.
    wait_for(lambda: " W" in open(log).read(), timeout=5, what="wakeup after kill")
    assert int(open(log).read().splitlines()[-1].split()[0]) != first
