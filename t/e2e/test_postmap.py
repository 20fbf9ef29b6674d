# NAME
#	test_postmap.py - postmap, postalias, newaliases and sendmail -bi
# DESCRIPTION
#	Tables are built in a scratch directory with a private main.cf
#	(default_database_type, alias_database). Behaviour is compared with
#	Debian's Postfix where it is installed (/usr/sbin/postmap and
#	postalias with its default configuration, only ever pointed at
#	files of this scratch directory): both must build the same entries
#	from the same source, and each must read the tables the other built,
#	for hash and btree, with Postfix's trailing-NUL key convention.
import os
import shutil
import subprocess
import tempfile
import threading

import pytest

from conftest import BIN

POSTMAP = os.path.join(BIN, "postmap")
POSTALIAS = os.path.join(BIN, "postalias")
NEWALIASES = os.path.join(BIN, "newaliases")
SENDMAIL = os.path.join(BIN, "sendmail")
PF_POSTMAP = "/usr/sbin/postmap"
PF_POSTALIAS = "/usr/sbin/postalias"

needs_postfix = pytest.mark.skipif(not os.access(PF_POSTMAP, os.X_OK),
                                   reason="Debian's postfix is not installed")

SOURCE = """# access table
Example.COM     OK
user@example.com   REJECT no  thanks
   continued here
192.0.2         REJECT net
dup first
dup second
"""

ALIASES = """# aliases
postmaster: root
Root: admin, "some one"  ,
  other
list: a,b
"quoted name": x
bad line
"""


@pytest.fixture
def tdir():
    d = tempfile.mkdtemp(prefix="postern-map-")
    os.chmod(d, 0o755)
    etc = os.path.join(d, "etc")
    os.makedirs(etc)
    with open(os.path.join(etc, "main.cf"), "w") as f:
        f.write(f"default_database_type = hash\n"
                f"alias_database = hash:{d}/aliases, btree:{d}/aliases2\n"
                f"command_directory = {BIN}\n")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def run(prog, d, *args, stdin=None, config=True):
    cmd = [prog] + (["-c", os.path.join(d, "etc")] if config else []) + list(args)
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=60)


def dump(prog, d, table, config=True):
    proc = run(prog, d, "-s", table, config=config)
    assert proc.returncode == 0, proc.stderr
    return sorted(proc.stdout.splitlines())


def test_build_query_and_exit_codes(tdir):
    src = os.path.join(tdir, "access")
    write(src, SOURCE)
    proc = run(POSTMAP, tdir, src)
    assert proc.returncode == 0
    assert proc.stderr == f'postmap: warning: {src}, line 7: duplicate entry: "dup"\n'
    assert os.path.exists(src + ".db")
    for key, want in [("example.com", "OK\n"), ("EXAMPLE.com", "OK\n"),
                      ("user@example.com", "REJECT no  thanks   continued here\n"),
                      ("dup", "first\n")]:
        proc = run(POSTMAP, tdir, "-q", key, src)
        assert (proc.returncode, proc.stdout) == (0, want), key
        proc = run(POSTMAP, tdir, "-q", key, "hash:" + src)
        assert (proc.returncode, proc.stdout) == (0, want), key
    proc = run(POSTMAP, tdir, "-q", "nope", src)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", "")
    # -f: no folding when querying.
    assert run(POSTMAP, tdir, "-f", "-q", "EXAMPLE.COM", src).returncode == 1
    # -q -: key<TAB>value for each key found; 0 when any was found.
    proc = run(POSTMAP, tdir, "-q", "-", src, stdin="Example.com\nnope\ndup\n")
    assert (proc.returncode, proc.stdout) == (0, "Example.com\tOK\ndup\tfirst\n")
    assert run(POSTMAP, tdir, "-q", "-", src, stdin="nope\n").returncode == 1
    # The first table that has the key answers.
    other = os.path.join(tdir, "other")
    write(other, "dup other\nonly here\n")
    assert run(POSTMAP, tdir, other).returncode == 0
    assert run(POSTMAP, tdir, "-q", "dup", other, src).stdout == "other\n"
    assert run(POSTMAP, tdir, "-q", "only", src, other).stdout == "here\n"
    # -s dumps everything.
    assert dump(POSTMAP, tdir, src) == sorted([
        "example.com\tOK", "user@example.com\tREJECT no  thanks   continued here",
        "192.0.2\tREJECT net", "dup\tfirst"])


def test_errors(tdir):
    missing = os.path.join(tdir, "missing")
    proc = run(POSTMAP, tdir, "-q", "x", missing)
    assert proc.returncode == 1
    assert proc.stderr == (f"postmap: fatal: open database {missing}.db: "
                           "No such file or directory\n")
    proc = run(POSTMAP, tdir, missing)
    assert (proc.returncode, proc.stderr) == (
        1, f"postmap: fatal: open {missing}: No such file or directory\n")
    proc = run(POSTMAP, tdir)
    assert proc.returncode == 1 and "fatal: usage: postmap" in proc.stderr
    proc = run(POSTMAP, tdir, "-s", "-q", "x", missing)
    assert proc.returncode == 1 and "specify only one of -s -q or -d" in proc.stderr
    write(missing, "/a/ b\n")
    proc = run(POSTMAP, tdir, "regexp:" + missing)
    assert proc.returncode == 1
    assert ("unsupported dictionary type: regexp does not support bulk-mode creation"
            in proc.stderr)
    # Any table type can be queried.
    proc = run(POSTMAP, tdir, "-q", "xay", "regexp:" + missing)
    assert (proc.returncode, proc.stdout) == (0, "b\n")
    src = os.path.join(tdir, "bad")
    write(src, "  leading\nlonely\nk v\n")
    proc = run(POSTMAP, tdir, src)
    assert proc.returncode == 0
    assert proc.stderr == (
        f'postmap: warning: {src}, line 1: logical line must not start with '
        f'whitespace: "  leading"\n'
        f"postmap: warning: {src}, line 2: expected format: key whitespace value\n")
    assert run(POSTMAP, tdir, "-q", "k", src).stdout == "v\n"
    # Missing main.cf is fatal, as in Postfix.
    proc = subprocess.run([POSTMAP, "-c", os.path.join(tdir, "nodir"), src],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "main.cf" in proc.stderr


def test_delete_incremental_and_duplicates(tdir):
    src = os.path.join(tdir, "t")
    write(src, "a 1\nb 2\nc 3\n")
    assert run(POSTMAP, tdir, src).returncode == 0
    assert run(POSTMAP, tdir, "-d", "B", src).returncode == 0
    assert run(POSTMAP, tdir, "-q", "b", src).returncode == 1
    assert run(POSTMAP, tdir, "-d", "b", src).returncode == 1
    assert run(POSTMAP, tdir, "-d", "-", src, stdin="zz\nc\n").returncode == 0
    assert dump(POSTMAP, tdir, src) == ["a\t1"]
    # -i adds entries from stdin to the existing table.
    proc = run(POSTMAP, tdir, "-i", src, stdin="d 4\na 9\n")
    assert proc.returncode == 0
    assert 'line 2: duplicate entry: "a"' in proc.stderr
    assert dump(POSTMAP, tdir, src) == ["a\t1", "d\t4"]
    # -r replaces, -w ignores, both silently.
    write(src, "k first\nk second\n")
    proc = run(POSTMAP, tdir, "-r", src)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert run(POSTMAP, tdir, "-q", "k", src).stdout == "second\n"
    proc = run(POSTMAP, tdir, "-w", src)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert run(POSTMAP, tdir, "-q", "k", src).stdout == "first\n"


def test_permissions_follow_source(tdir):
    src = os.path.join(tdir, "secret")
    write(src, "k v\n", mode=0o600)
    assert run(POSTMAP, tdir, src).returncode == 0
    assert os.stat(src + ".db").st_mode & 0o777 == 0o600
    os.unlink(src + ".db")
    assert run(POSTMAP, tdir, "-p", src).returncode == 0
    assert os.stat(src + ".db").st_mode & 0o777 == 0o644 & ~current_umask()


def test_updates_keep_mode_and_do_not_lose_entries(tdir):
    src = os.path.join(tdir, "secret")
    write(src, "k v\n", mode=0o600)
    assert run(POSTMAP, tdir, src).returncode == 0
    assert run(POSTMAP, tdir, "-d", "k", src).returncode == 0
    assert os.stat(src + ".db").st_mode & 0o777 == 0o600
    assert run(POSTMAP, tdir, "-i", src, stdin="n v\n").returncode == 0
    assert os.stat(src + ".db").st_mode & 0o777 == 0o600
    # Concurrent incremental writers take turns: every entry arrives.
    procs = [subprocess.Popen([POSTMAP, "-c", os.path.join(tdir, "etc"), "-i", src],
                              stdin=subprocess.PIPE, text=True) for _ in range(8)]
    for i, p in enumerate(procs):
        p.stdin.write(f"key{i} value{i}\n")
        p.stdin.close()
    for p in procs:
        assert p.wait(60) == 0
    assert dump(POSTMAP, tdir, src) == sorted(["n\tv"] + [f"key{i}\tvalue{i}"
                                                          for i in range(8)])
    # -i creates a missing table; -d on a missing table is an error.
    fresh = os.path.join(tdir, "fresh")
    assert run(POSTMAP, tdir, "-i", fresh, stdin="a b\n").returncode == 0
    assert run(POSTMAP, tdir, "-q", "a", fresh).stdout == "b\n"
    proc = run(POSTMAP, tdir, "-d", "a", os.path.join(tdir, "nothere"))
    assert proc.returncode == 1 and "nothere.db: No such file or directory" in proc.stderr


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_atomic_rebuild_while_reading(tdir):
    """A reader never sees a missing or half-built table during rebuilds."""
    src = os.path.join(tdir, "live")
    filler = "".join(f"key{i} value{i}\n" for i in range(3000))
    write(src, "probe old\n" + filler)
    assert run(POSTMAP, tdir, src).returncode == 0
    bad = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            proc = run(POSTMAP, tdir, "-q", "-", src, stdin="probe\nkey2999\n")
            if proc.returncode != 0 or proc.stdout not in (
                    "probe\told\nkey2999\tvalue2999\n", "probe\tnew\nkey2999\tvalue2999\n"):
                bad.append((proc.returncode, proc.stdout, proc.stderr))
    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for i in range(15):
            write(src, ("probe new\n" if i % 2 == 0 else "probe old\n") + filler)
            assert run(POSTMAP, tdir, src).returncode == 0
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert bad == []
    assert not [n for n in os.listdir(tdir) if ".tmp." in n]


@needs_postfix
@pytest.mark.parametrize("dbtype", ["hash", "btree"])
def test_interop_with_postfix_postmap(tdir, dbtype):
    src = os.path.join(tdir, "access")
    write(src, SOURCE)
    table = f"{dbtype}:{src}"
    # Same entries and same warnings' count from both builders.
    pf = subprocess.run([PF_POSTMAP, table], capture_output=True, text=True)
    assert pf.returncode == 0, pf.stderr
    theirs = dump(PF_POSTMAP, tdir, table, config=False)
    assert dump(POSTMAP, tdir, table) == theirs       # we read Postfix's table
    assert run(POSTMAP, tdir, "-q", "USER@example.com", table).stdout == \
        "REJECT no  thanks   continued here\n"
    os.unlink(src + ".db")
    assert run(POSTMAP, tdir, table).returncode == 0
    assert dump(PF_POSTMAP, tdir, table, config=False) == theirs   # Postfix reads ours
    for key, want in [("example.com", "OK"), ("Example.Com", "OK"), ("dup", "first")]:
        pf = subprocess.run([PF_POSTMAP, "-q", key, table], capture_output=True, text=True)
        assert (pf.returncode, pf.stdout) == (0, want + "\n")
    # Keys carry the trailing NUL by default, like Debian's; -n leaves it off.
    assert subprocess.run([PF_POSTMAP, "-N", "-q", "dup", table]).returncode == 0
    assert subprocess.run([PF_POSTMAP, "-n", "-q", "dup", table],
                          capture_output=True).returncode == 1
    assert run(POSTMAP, tdir, "-n", table).returncode == 0
    assert subprocess.run([PF_POSTMAP, "-n", "-q", "dup", table],
                          capture_output=True).returncode == 0
    assert subprocess.run([PF_POSTMAP, "-N", "-q", "dup", table],
                          capture_output=True).returncode == 1
    assert run(POSTMAP, tdir, "-q", "dup", table).stdout == "first\n"
    # An update keeps the table's key form.
    assert run(POSTMAP, tdir, "-i", table, stdin="added yes\n").returncode == 0
    assert subprocess.run([PF_POSTMAP, "-n", "-q", "added", table],
                          capture_output=True).returncode == 0
    # Postfix built without NUL: we still read it.
    pf = subprocess.run([PF_POSTMAP, "-n", table], capture_output=True, text=True)
    assert pf.returncode == 0
    assert run(POSTMAP, tdir, "-q", "dup", table).stdout == "first\n"


@needs_postfix
@pytest.mark.parametrize("dbtype", ["hash", "btree"])
def test_interop_with_postfix_postalias(tdir, dbtype):
    src = os.path.join(tdir, "al")
    write(src, ALIASES)
    table = f"{dbtype}:{src}"
    pf = subprocess.run([PF_POSTALIAS, table], capture_output=True, text=True)
    assert pf.returncode == 0 and "line 7: need name:value pair" in pf.stderr

    def without_time(lines):
        return [x for x in lines if not x.startswith("YP_LAST_MODIFIED:")]
    theirs = without_time(dump(PF_POSTALIAS, tdir, table, config=False))
    assert "@:\t@" in theirs and "root:\tadmin, \"some one\", other" in theirs
    assert without_time(dump(POSTALIAS, tdir, table)) == theirs
    os.unlink(src + ".db")
    proc = run(POSTALIAS, tdir, table)
    assert proc.returncode == 0
    assert proc.stderr == f"postalias: warning: {src}, line 7: need name:value pair\n"
    assert without_time(dump(PF_POSTALIAS, tdir, table, config=False)) == theirs
    assert without_time(dump(POSTALIAS, tdir, table)) == theirs
    pf = subprocess.run([PF_POSTALIAS, "-q", "ROOT", table], capture_output=True, text=True)
    assert pf.stdout == 'admin, "some one", other\n'
    proc = run(POSTALIAS, tdir, "-q", "-", table, stdin="list\nnope\nquoted name\n")
    assert (proc.returncode, proc.stdout) == (0, "list:\ta, b\nquoted name:\tx\n")
    assert run(POSTALIAS, tdir, "-q", "nope", table).returncode == 1


def test_newaliases_and_sendmail_bi(tdir):
    write(os.path.join(tdir, "aliases"), "postmaster: root\n")
    write(os.path.join(tdir, "aliases2"), "abuse: root\n")
    for cmd in ([NEWALIASES, "-c", os.path.join(tdir, "etc")],
                [SENDMAIL, "-C", os.path.join(tdir, "etc"), "-bi"],
                [SENDMAIL, "-C", os.path.join(tdir, "etc"), "-I"]):
        for name in ("aliases.db", "aliases2.db"):
            if os.path.exists(os.path.join(tdir, name)):
                os.unlink(os.path.join(tdir, name))
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert (proc.returncode, proc.stderr) == (0, ""), cmd
        assert run(POSTALIAS, tdir, "-q", "postmaster", "hash:" + tdir + "/aliases").stdout \
            == "root\n"
        assert run(POSTALIAS, tdir, "-q", "abuse", "btree:" + tdir + "/aliases2").stdout \
            == "root\n"
    # sendmail invoked as newaliases does the same.
    link = os.path.join(tdir, "newaliases")
    os.symlink(SENDMAIL, link)
    os.unlink(os.path.join(tdir, "aliases.db"))
    proc = subprocess.run([link, "-C", os.path.join(tdir, "etc")], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert os.path.exists(os.path.join(tdir, "aliases.db"))
    # A missing alias file is an error, naming it.
    os.unlink(os.path.join(tdir, "aliases2"))
    proc = subprocess.run([NEWALIASES, "-c", os.path.join(tdir, "etc")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and f"open {tdir}/aliases2:" in proc.stderr
