# NAME
#	conftest.py - shared helpers for end-to-end tests
# DESCRIPTION
#	An Instance is a real Postern instance in a scratch directory: its
#	own main.cf and master.cf (daemon_directory pointing at the build),
#	queue and data directories, maillog_file, and free loopback ports.
#	Run as root, daemons drop to the mail_owner account "postern"
#	(created here, with group "postdrop", if missing); run as anyone
#	else, everything runs as that user.
import os
import pwd
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("POSTERN_BUILD", os.path.join(TOP, "build"))
if not os.path.isabs(BUILD):
    BUILD = os.path.join(TOP, BUILD)
BIN = os.path.join(BUILD, "bin")
LIBEXEC = os.path.join(BUILD, "libexec")
TESTD = os.path.join(BUILD, "t", "testd")
FIXTURES = os.path.join(TOP, "t", "fixtures")
IS_ROOT = os.geteuid() == 0
MAIL_OWNER = "postern" if IS_ROOT else pwd.getpwuid(os.geteuid()).pw_name


def ensure_accounts():
    """As root: make the mail_owner and setgid_group accounts exist."""
    if not IS_ROOT:
        return
    if subprocess.run(["getent", "group", "postdrop"], capture_output=True).returncode:
        subprocess.run(["groupadd", "--system", "postdrop"], check=True)
    if subprocess.run(["getent", "passwd", "postern"], capture_output=True).returncode:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir",
                        "/nonexistent", "--shell", "/usr/sbin/nologin", "postern"],
                       check=True)


_PORTS_GIVEN = set()


def free_port():
    """A free loopback port, never the same one twice in a test run (the
    kernel may hand out a port again as soon as its socket is closed)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _PORTS_GIVEN:
            _PORTS_GIVEN.add(port)
            return port


def wait_for(predicate, timeout=10.0, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def wait_for_port(port, host="127.0.0.1", timeout=10.0):
    def up():
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return True
        except OSError:
            return False
    return wait_for(up, timeout, what=f"port {host}:{port}")


def wait_for_file(path, timeout=10.0):
    return wait_for(lambda: os.path.exists(path), timeout, what=f"file {path}")


def alive(pid):
    """True for a running process; a zombie (exited, not yet reaped) is dead."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def pids_of(pattern):
    """Pids of processes whose command line contains pattern."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{d}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if pattern in cmd and state != "Z":
            out.append(int(d))
    return out


class Instance:
    """resolv_conf: a file that the instance sees as /etc/resolv.conf. Its
    master (and so every daemon) then starts in a private mount namespace
    (unshare --mount, as root) with that file bind-mounted over
    /etc/resolv.conf, so its DNS lookups go to a test name server only."""

    def __init__(self, root, main_extra="", master_cf=None, resolv_conf=None):
        self.root = root
        self.resolv_conf = resolv_conf
        self.etc = os.path.join(root, "etc")
        self.queue = os.path.join(root, "queue")
        self.data = os.path.join(root, "data")
        self.maillog = os.path.join(root, "maillog")
        os.makedirs(self.etc)
        os.chmod(root, 0o755)
        self.write_main_cf(main_extra)
        self.write_master_cf(master_cf or "")
        self.fg = None

    def write_main_cf(self, extra=""):
        with open(os.path.join(self.etc, "main.cf"), "w") as f:
            f.write(f"""queue_directory = {self.queue}
data_directory = {self.data}
daemon_directory = {LIBEXEC}
command_directory = {BIN}
mail_owner = {MAIL_OWNER}
maillog_file = {self.maillog}
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = postern.test
""" + extra)

    def write_master_cf(self, text):
        with open(os.path.join(self.etc, "master.cf"), "w") as f:
            f.write(text)

    def cmd(self, *args, check=False, timeout=60):
        proc = subprocess.run([os.path.join(BIN, "postern"), "-c", self.etc] + list(args),
                              capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError(f"postern {args}: {proc.returncode}\n{proc.stderr}")
        return proc

    def start(self):
        if self.resolv_conf is None:
            return self.cmd("start", check=True)
        postern = os.path.join(BIN, "postern")
        proc = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c",
             'mount --bind "$1" /etc/resolv.conf && exec "$2" -c "$3" start',
             "sh", self.resolv_conf, postern, self.etc],
            capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise AssertionError(f"postern start (unshare): {proc.returncode}\n{proc.stderr}")
        return proc

    def stop(self):
        if self.fg is not None:
            self.fg.send_signal(signal.SIGTERM)
            self.fg.wait(30)
            self.fg = None
            return
        if self.cmd("status").returncode == 0:
            self.cmd("stop", check=True)

    def master_pid(self):
        try:
            with open(os.path.join(self.queue, "pid", "master.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def log(self):
        try:
            with open(self.maillog, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_for_log(self, pattern, timeout=10.0):
        rx = re.compile(pattern)
        return wait_for(lambda: rx.search(self.log()), timeout, what=f"log /{pattern}/")

    def children(self):
        return [p for p in pids_of(f"-c {self.etc} ") if p != self.master_pid()]


@pytest.fixture
def instance_factory():
    """Make instances; stop every one and check the logs at the end."""
    ensure_accounts()
    made = []

    def make(main_extra="", master_cf=None, resolv_conf=None):
        root = tempfile.mkdtemp(prefix="postern-t-")
        inst = Instance(root, main_extra, master_cf, resolv_conf)
        made.append(inst)
        return inst

    yield make
    for inst in made:
        try:
            inst.stop()
        finally:
            log = inst.log()
            if not os.environ.get("POSTERN_KEEP"):
                shutil.rmtree(inst.root, ignore_errors=True)
        # Sanitizer reports from any daemon end up in the log or stderr.
        assert "runtime error" not in log and "AddressSanitizer" not in log


def talk(port, lines, host="127.0.0.1", timeout=10):
    """Send lines to an echo service, return the answers."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        f = s.makefile("rwb")
        answers = []
        for line in lines:
            f.write((line + "\n").encode())
            f.flush()
            answers.append(f.readline().decode().rstrip("\n"))
        return answers


# local_recipient_maps is emptied so that tests may send to any local
# name (and see local's bounces); test_access.py tests the default. No
# alias_maps: the system's /etc/aliases is not the tests' business
# (test_aliases.py sets its own).
SMTPD_MAIN_CF = """compatibility_level = 3.6
mydestination = $myhostname, localhost, postern.test
mynetworks = 127.0.0.2/32
local_recipient_maps =
alias_maps =
"""


@pytest.fixture
def smtpd_instance(instance_factory):
    """An instance with smtpd on a free loopback port: (instance, port)."""
    def make(main_extra="", master_extra=""):
        port = free_port()
        inst = instance_factory(main_extra=SMTPD_MAIN_CF + main_extra,
                                master_cf=f"127.0.0.1:{port} inet n - n - - smtpd\n" + master_extra)
        inst.start()
        inst.port = port
        return inst
    return make


class Dialog:
    """A raw SMTP conversation: send bytes, read whole replies."""

    def __init__(self, port, host="127.0.0.1", source=None, timeout=20):
        self.sock = socket.create_connection((host, port), timeout=timeout,
                                             source_address=(source, 0) if source else None)
        self.f = self.sock.makefile("rb")

    def reply(self):
        lines = []
        while True:
            line = self.f.readline()
            if not line:
                raise EOFError("connection closed; got %r" % lines)
            lines.append(line.decode(errors="replace").rstrip("\r\n"))
            if len(line) < 4 or line[3:4] != b"-":
                return lines

    def code(self):
        return int(self.reply()[-1][:3])

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def cmd(self, line):
        self.send(line + "\r\n")
        return self.reply()

    def close(self):
        self.f.close()          # the file holds the descriptor open too
        self.sock.close()


def queue_files(inst, queue="incoming"):
    try:
        return sorted(os.listdir(os.path.join(inst.queue, queue)))
    except OSError:
        return []


def postcat(inst, *args):
    return subprocess.run([os.path.join(BIN, "postcat"), "-c", inst.etc] + list(args),
                          capture_output=True, text=True, errors="replace")


# POSTERN_TEST_USERS names another set of accounts (and homes), so two
# checkouts can run their suites side by side without sharing mailboxes.
TEST_USER_PREFIX = os.environ.get("POSTERN_TEST_USERS", "posterntest")
TEST_USERS = tuple(TEST_USER_PREFIX + n for n in ("1", "2", "3"))
HOMES = "/tmp/postern-test-homes" + (
    "" if TEST_USER_PREFIX == "posterntest" else "-" + TEST_USER_PREFIX)


@pytest.fixture
def mail_users():
    """Local accounts to deliver to: as root, test users with homes under
    HOMES (created once, mailboxes emptied per test); as anyone else,
    only the invoking user (tests that need more skip)."""
    if not IS_ROOT:
        return [pwd.getpwuid(os.geteuid()).pw_name]
    os.makedirs(HOMES, exist_ok=True)
    os.chmod(HOMES, 0o755)
    for name in TEST_USERS:
        home = os.path.join(HOMES, name)
        if subprocess.run(["getent", "passwd", name], capture_output=True).returncode:
            subprocess.run(["useradd", "--home-dir", home, "--no-create-home",
                            "--shell", "/bin/sh", name], check=True)
        shutil.rmtree(home, ignore_errors=True)
        os.makedirs(home, exist_ok=True)
        pw = pwd.getpwnam(name)
        os.chown(home, pw.pw_uid, pw.pw_gid)
        os.chmod(home, 0o755)
    return list(TEST_USERS)


def maildir_messages(user, folder="new"):
    """The messages in a user's ~/Maildir/new (bytes), oldest first."""
    path = os.path.join(pwd.getpwnam(user).pw_dir, "Maildir", folder)
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return []
    out = []
    for n in names:
        with open(os.path.join(path, n), "rb") as f:
            out.append(f.read())
    return out


DELIVERY_MAIN_CF = """minimal_backoff_time = 2s
maximal_backoff_time = 4s
queue_run_delay = 1s
"""


# The delivery agents for mail that leaves the machine, as in etc/master.cf.
SMTP_MASTER_CF = """smtp unix - - n - - smtp
relay unix - - n - - smtp
error unix - - n - - error
"""


@pytest.fixture
def mta_instance(instance_factory):
    """An instance with smtpd, qmgr and local: (instance) with .port.
    smtp=True adds the smtp, relay and error agents; resolv_conf makes the
    instance resolve through another name server (see Instance)."""
    def make(main_extra="", master_extra="", smtp=False, resolv_conf=None):
        port = free_port()
        inst = instance_factory(
            main_extra=SMTPD_MAIN_CF + DELIVERY_MAIN_CF + main_extra,
            master_cf=f"127.0.0.1:{port} inet n - n - - smtpd\n"
                      "qmgr unix n - n 300 1 qmgr\n"
                      "local unix - n n - - local\n"
                      + (SMTP_MASTER_CF if smtp else "") + master_extra,
            resolv_conf=resolv_conf)
        inst.start()
        inst.port = port
        return inst
    return make


def dns_query(name, server, qtype=1, timeout=0.5):
    """One UDP query; the reply's rcode, or None without a reply."""
    qname = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    packet = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + qname + struct.pack(">HH", qtype, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(packet, (server, 53))
        try:
            reply = s.recv(4096)
        except OSError:
            return None
    return reply[3] & 0x0f


class Dnsmasq:
    """A dnsmasq on addr:53 (root) answering for .test from conf (dnsmasq
    configuration lines) and NXDOMAIN for the rest of .test; .resolv_conf
    is a resolv.conf that points at it, for Instance(resolv_conf=...).
    probe is a name in conf that must resolve before it counts as up."""

    def __init__(self, addr, conf, probe):
        self.tmp = tempfile.mkdtemp(prefix="postern-dns-")
        conf_file = os.path.join(self.tmp, "dnsmasq.conf")
        with open(conf_file, "w") as f:
            f.write(conf)
        self.proc = subprocess.Popen(
            ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts",
             f"--listen-address={addr}", "--bind-interfaces", "--port=53",
             "--local=/test/", f"--conf-file={conf_file}", "--user=root",
             f"--pid-file={self.tmp}/pid", f"--log-facility={self.tmp}/log"])
        try:
            wait_for(lambda: dns_query(probe, addr) == 0, 10, what="dnsmasq")
        except Exception:
            self.stop()
            raise
        self.resolv_conf = os.path.join(self.tmp, "resolv.conf")
        with open(self.resolv_conf, "w") as f:
            f.write(f"nameserver {addr}\noptions timeout:2 attempts:1\n")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.tmp, ignore_errors=True)
