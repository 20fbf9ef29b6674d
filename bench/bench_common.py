# NAME
#	bench_common.py - what the benchmarks share
# SYNOPSIS
#	import bench_common
# DESCRIPTION
#	Used by smtpd_bench.py and delivery_bench.py: where the programs
#	are, the machine description, process-tree helpers (every process
#	of one instance, its memory and CPU time), one instance of Postern
#	or of Debian's Postfix in its own directory (start, stop, queue
#	files, maillog), smtp-source's command line, and the run directory
#	with its lock. Each benchmark subclasses Postern and Postfix to
#	write its own main.cf and master.cf.
#
#	Both benchmarks use the same run directory and lock, so they never
#	run at the same time (they would measure each other), and Postfix's
#	alternate_config_directories needs one entry for both.
import fcntl
import os
import pty
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("POSTERN_BUILD", "build")
if not os.path.isabs(BUILD):
    BUILD = os.path.join(TOP, BUILD)
POSTERN = os.path.join(BUILD, "bin", "postern")
POSTERN_POSTCONF = os.path.join(BUILD, "bin", "postconf")
POSTERN_LIBEXEC = os.path.join(BUILD, "libexec")
JSON_DIR = os.path.join(BUILD, "bench")

POSTFIX = "/usr/sbin/postfix"
POSTFIX_POSTCONF = "/usr/sbin/postconf"
SMTP_SOURCE = "/usr/sbin/smtp-source"
SYSTEM_POSTFIX_CONFIG = "/etc/postfix"

# /var/tmp, not /tmp: /tmp may be a tmpfs, where fsync costs nothing and
# the durability both servers pay for would not be measured.
DEFAULT_ROOT = "/var/tmp/postern-bench"

SENDER = "from@example.org"
KIB = 1024
MIB = 1024 * 1024
GIB = 1024 * MIB
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# What both servers are given in every benchmark.
COMMON_MAIN_CF = """\
compatibility_level = 3.6
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.bench.test
mydestination = $myhostname, localhost, bench.test
# Any recipient in bench.test is taken, with no user table behind it
# (Postern has none yet; Postfix would need proxymap otherwise).
local_recipient_maps =
"""


class BenchError(Exception):
    """A measurement could not be made or a server lost messages."""


def progress(text):
    print(text, file=sys.stderr, flush=True)


def size_label(size):
    return f"{size // KIB}KiB"


def session_label(n):
    return f"{n} session" if n == 1 else f"{n} sessions"


# ---------------------------------------------------------------- machine

def read_first(path, prefix):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def filesystem_of(path):
    """Type and device of the mount holding path (longest mount prefix)."""
    path = os.path.realpath(path)
    best = ("", "unknown", "unknown")
    with open("/proc/mounts") as f:
        for line in f:
            dev, mnt, fstype = line.split()[:3]
            if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best[0]):
                best = (mnt, fstype, dev)
    return f"{best[1]} ({best[2]} on {best[0]})"


def command_output(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine_info(root):
    return {
        "nproc": os.cpu_count(),
        "kernel": os.uname().release,
        "cpu": read_first("/proc/cpuinfo", "model name"),
        "memory": read_first("/proc/meminfo", "MemTotal"),
        "run_directory_filesystem": filesystem_of(os.path.dirname(root)),
        "postfix_version": command_output([POSTFIX_POSTCONF, "-d", "-h", "mail_version"]),
        "postern_version": command_output([POSTERN_POSTCONF, "-d", "-h", "mail_version"]) or "unknown",
        "postern_commit": command_output(["git", "-C", TOP, "rev-parse", "--short", "HEAD"])
        + " (plus any uncommitted changes in the work tree)",
    }


def machine_lines(info):
    """The machine, as the reports print it."""
    return [f"machine: nproc={info['nproc']} kernel={info['kernel']} cpu={info['cpu']} "
            f"memory={info['memory']}",
            f"run directory on: {info['run_directory_filesystem']}",
            f"Postfix {info['postfix_version']}; Postern {info['postern_version']} "
            f"commit {info['postern_commit']}"]


# ---------------------------------------------------------------- processes

def process_table():
    """pid -> parent pid, for every live (non-zombie) process."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            table[int(name)] = int(fields[1])
    return table


def process_tree(root_pid):
    """root_pid and every live process whose parent chain leads to it."""
    if root_pid is None:
        return []
    table = process_table()
    if root_pid not in table:
        return []
    children = {}
    for pid, ppid in table.items():
        children.setdefault(ppid, []).append(pid)
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def process_memory(pid):
    """(VmRSS, Pss) of one process in bytes; None when it is gone."""
    rss = pss = None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * KIB
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * KIB
    except OSError:
        return None
    return (rss or 0, pss or 0)


def tree_memory(root_pid):
    """Summed VmRSS and Pss over the instance's processes, and how many."""
    rss = pss = count = 0
    for pid in process_tree(root_pid):
        mem = process_memory(pid)
        if mem:
            rss += mem[0]
            pss += mem[1]
            count += 1
    return {"rss": rss, "pss": pss, "processes": count}


def tree_cpu(root_pid):
    """CPU seconds (user + system) used so far by the instance: every live
    process of it, plus what the reaped ones left in their parents'
    cutime/cstime (master reaps its children)."""
    ticks = 0
    for pid in process_tree(root_pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[0] is the state (field 3): utime..cstime are fields 14..17.
        ticks += sum(int(x) for x in fields[11:15])
    return ticks / CLOCK_TICKS


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pids, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return not any(alive(p) for p in pids)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise BenchError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def run_with_tty(cmd, timeout=120):
    """Run cmd with a terminal on stdout/stderr and return (rc, output).
    Postfix commands print their errors only to a terminal (otherwise
    to syslog, which may not exist here)."""
    master_fd, slave_fd = pty.openpty()
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=slave_fd,
                              stderr=slave_fd, timeout=timeout)
    finally:
        os.close(slave_fd)
    # A daemon started by cmd may keep the terminal open: read only
    # what is already there, never wait for end of file.
    out = b""
    try:
        while select.select([master_fd], [], [], 0.2)[0]:
            chunk = os.read(master_fd, 65536)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    finally:
        os.close(master_fd)
    return proc.returncode, out.decode(errors="replace").replace("\r\n", "\n").strip()


# ---------------------------------------------------------------- servers

class Server:
    """One instance in its own directory: config, queue, data. A
    benchmark's subclass supplies main_cf() and master_cf()."""

    name = "server"
    # Queue directories that hold messages (not logs), and the log.
    message_queues = ()
    maillog = None

    def __init__(self, root):
        self.root = root
        self.etc = os.path.join(root, "etc")
        self.queue = os.path.join(root, "queue")
        self.data = os.path.join(root, "data")
        self.port = None
        self.started = False
        self.known_pids = set()
        os.makedirs(self.etc)
        os.chmod(root, 0o755)   # mail_owner must reach the queue below it

    def main_cf(self, extra):
        raise NotImplementedError

    def master_cf(self, maxproc):
        raise NotImplementedError

    def configure(self, main_extra="", maxproc="-"):
        """Write main.cf and master.cf for the next start, on a new port."""
        self.port = free_port()
        self.main_text = self.main_cf(main_extra)
        self.master_text = self.master_cf(maxproc)
        with open(os.path.join(self.etc, "main.cf"), "w") as f:
            f.write(self.main_text)
        with open(os.path.join(self.etc, "master.cf"), "w") as f:
            f.write(self.master_text)

    def master_pid(self):
        try:
            with open(os.path.join(self.queue, "pid", "master.pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def processes(self):
        pids = process_tree(self.master_pid())
        self.known_pids.update(pids)
        return pids

    def memory(self):
        mem = tree_memory(self.master_pid())
        self.processes()
        return mem

    def cpu(self):
        return tree_cpu(self.master_pid())

    def start(self):
        rc, out = self.start_command()
        self.started = True
        if rc != 0:
            raise BenchError(f"{self.name} did not start (exit {rc}):\n{out}\n{self.log_tail()}")
        wait_for_port(self.port)
        self.processes()

    def stop(self):
        """Stop the instance and make sure every process of it is gone."""
        if not self.started:
            return
        self.processes()
        self.started = False
        try:
            rc, out = self.stop_command()
            if rc != 0:
                progress(f"{self.name}: stop exited {rc}: {out}")
        except subprocess.TimeoutExpired:
            progress(f"{self.name}: stop timed out")
        # Only processes of this instance, seen while it ran, are killed.
        if not wait_gone(self.known_pids, 30):
            for pid in self.known_pids:
                if alive(pid):
                    progress(f"{self.name}: killing leftover process {pid}")
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
            wait_gone(self.known_pids, 10)
        self.known_pids.clear()

    def queue_files(self, include_partial=False):
        """Paths of the queue files of accepted messages, in any queue."""
        raise NotImplementedError

    def queued(self):
        return len(self.queue_files())

    def empty_queue(self):
        for path in self.queue_files(include_partial=True):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass

    def log(self):
        if not self.maillog:
            return ""
        try:
            with open(self.maillog, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def log_size(self):
        try:
            return os.path.getsize(self.maillog) if self.maillog else 0
        except OSError:
            return 0

    def log_since(self, offset):
        """The log from byte offset on (what one run wrote)."""
        if not self.maillog:
            return ""
        try:
            with open(self.maillog, "rb") as f:
                f.seek(offset)
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def log_problems(self):
        """Lines of the maillog that say something went wrong."""
        words = ("warning:", "error:", "fatal:", "panic:", "lost connection",
                 "timeout after", "reject:", "status=deferred", "status=bounced")
        return [line for line in self.log().splitlines() if any(w in line for w in words)]

    def log_tail(self, lines=20):
        text = self.log().splitlines()[-lines:]
        return "\n".join([f"-- {self.name} maillog (last lines) --"] + text) if text else ""


class Postern(Server):
    name = "Postern"
    message_queues = ("incoming", "active", "deferred", "hold", "corrupt")

    def __init__(self, root):
        super().__init__(root)
        self.maillog = os.path.join(root, "maillog")

    def instance_main_cf(self):
        """Where this instance lives: the first lines of its main.cf."""
        return (f"queue_directory = {self.queue}\n"
                f"data_directory = {self.data}\n"
                f"daemon_directory = {POSTERN_LIBEXEC}\n"
                f"command_directory = {os.path.dirname(POSTERN)}\n"
                f"mail_owner = postern\n"
                f"setgid_group = postdrop\n"
                f"maillog_file = {self.maillog}\n")

    def start_command(self):
        proc = subprocess.run([POSTERN, "-c", self.etc, "start"], capture_output=True,
                              text=True, timeout=120)
        return proc.returncode, (proc.stdout + proc.stderr).strip()

    def stop_command(self):
        proc = subprocess.run([POSTERN, "-c", self.etc, "stop"], capture_output=True,
                              text=True, timeout=120)
        return proc.returncode, (proc.stdout + proc.stderr).strip()

    def queue_files(self, include_partial=False):
        files = []
        for sub in self.message_queues:
            d = os.path.join(self.queue, sub)
            try:
                names = os.listdir(d)
            except OSError:
                continue
            # .tmp.ID is a message being written, not yet accepted.
            files += [os.path.join(d, n) for n in names
                      if include_partial or not n.startswith(".")]
        return files


class Postfix(Server):
    name = "Postfix"
    message_queues = ("incoming", "active", "maildrop", "deferred", "hold", "corrupt")

    def instance_main_cf(self):
        """Where this instance lives: the first lines of its main.cf."""
        return (f"queue_directory = {self.queue}\n"
                f"data_directory = {self.data}\n"
                f"mail_owner = postfix\n"
                f"setgid_group = postdrop\n")

    def start_command(self):
        # postfix wants the queue directory to exist (it makes the rest).
        os.makedirs(self.queue, mode=0o755, exist_ok=True)
        return run_with_tty([POSTFIX, "-c", self.etc, "start"])

    def stop_command(self):
        return run_with_tty([POSTFIX, "-c", self.etc, "stop"])

    def queue_files(self, include_partial=False):
        files = []
        for sub in self.message_queues:
            for dirpath, _, names in os.walk(os.path.join(self.queue, sub)):
                for n in names:
                    path = os.path.join(dirpath, n)
                    try:
                        mode = os.lstat(path).st_mode
                    except OSError:
                        continue
                    # cleanup sets the owner x bit once the file is complete.
                    if include_partial or mode & 0o100:
                        files.append(path)
        return files


def allow_postfix_config_dir(etc):
    """Add etc to alternate_config_directories of the system Postfix,
    keeping whatever is there; the only change made outside the run
    directory."""
    current = command_output([POSTFIX_POSTCONF, "-c", SYSTEM_POSTFIX_CONFIG, "-h",
                              "alternate_config_directories"])
    entries = current.replace(",", " ").split()
    if etc in entries:
        return None
    value = " ".join(entries + [etc])
    cmd = [POSTFIX_POSTCONF, "-c", SYSTEM_POSTFIX_CONFIG, "-e",
           f"alternate_config_directories = {value}"]
    subprocess.run(cmd, check=True, capture_output=True)
    return " ".join(cmd)


def smtp_source_command(port, sessions, count, size, recipient):
    return [SMTP_SOURCE, "-s", str(sessions), "-m", str(count), "-l", str(size),
            "-f", SENDER, "-t", recipient, f"127.0.0.1:{port}"]


# ---------------------------------------------------------------- run set-up

def lock_run_root(root):
    """Own root for this run: one benchmark at a time (two would measure
    each other). A crashed earlier run's leftovers are stopped and removed."""
    os.makedirs(root, exist_ok=True)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise BenchError(f"{root} is in use by another benchmark run")
    leftovers = [(POSTERN, "postern"), (POSTFIX, "postfix")]
    for program, sub in leftovers:
        etc = os.path.join(root, sub, "etc")
        pidfile = os.path.join(root, sub, "queue", "pid", "master.pid")
        if os.path.exists(pidfile):
            progress(f"stopping a {sub} instance left by an earlier run")
            run_with_tty([program, "-c", etc, "stop"])
    for name in os.listdir(root):
        shutil.rmtree(os.path.join(root, name), ignore_errors=True)
    return fd


def raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < need:
        hard = need             # root may raise the hard limit
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, need, min(hard, 65536)), hard))


def ensure_accounts():
    """Postern's mail_owner and the shared setgid group, as the tests make them."""
    if subprocess.run(["getent", "group", "postdrop"], capture_output=True).returncode:
        subprocess.run(["groupadd", "--system", "postdrop"], check=True)
    if subprocess.run(["getent", "passwd", "postern"], capture_output=True).returncode:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", "postern"], check=True)
    if subprocess.run(["getent", "passwd", "postfix"], capture_output=True).returncode:
        raise BenchError("no 'postfix' account: is Debian's postfix package installed?")


def terminate(signum, frame):
    # SIGTERM (make interrupted, a CI timeout) must still run the finally
    # blocks that stop both instances.
    raise KeyboardInterrupt(f"signal {signum}")


def catch_signals():
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)


def run_script(main, name):
    """Run a benchmark's main() as a script: its exit status, or the error."""
    try:
        sys.exit(main())
    except BenchError as e:
        sys.exit(f"{name}: {e}")
    except KeyboardInterrupt as e:
        sys.exit(f"{name}: interrupted ({e})")
