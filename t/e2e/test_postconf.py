# NAME
#	test_postconf.py - postconf against the golden output of Postfix 3.7
# DESCRIPTION
#	One test per scenario directory in t/fixtures/postconf (see its
#	README): copy main.cf and master.cf to a scratch directory, run
#	"postconf -c DIR <cmd>" there with LANG=C and no MAIL_CONFIG, and
#	compare standard output, standard error (sorted when the scenario has
#	stderr-unordered), the exit status and, for edits, the files
#	afterwards, with @DIR@, @HOSTNAME@ and @DOMAIN@ filled in.
#
#	Where Postern differs from Postfix on purpose (its own names and
#	directories, a Postfix bug it does not copy), the scenario keeps its
#	Postfix files and adds NAME.postern beside the one that differs,
#	plus a one-line postern-differs file that says why; the test then
#	compares against NAME.postern. No scenario is skipped.
#
#	Then "postconf -d" against defaults-3.7.txt for every parameter in
#	lib/global/param_list.h, and a few checks the fixtures cannot make:
#	-e keeps the file mode and replaces main.cf atomically, -e on a
#	missing main.cf, MAIL_CONFIG, and -n with -c.
import os
import re
import shlex
import shutil
import socket
import stat
import subprocess

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("POSTERN_BUILD", os.path.join(TOP, "build"))
if not os.path.isabs(BUILD):
    BUILD = os.path.join(TOP, BUILD)
POSTCONF = os.path.join(BUILD, "bin", "postconf")
FIXTURES = os.path.join(TOP, "t", "fixtures", "postconf")
PARAM_LIST = os.path.join(TOP, "lib", "global", "param_list.h")
SCENARIOS = sorted(d for d in os.listdir(FIXTURES)
                   if re.match(r"\d\d-", d) and os.path.isdir(os.path.join(FIXTURES, d)))
COMPARED = ("stdout", "stderr", "exit", "main.cf.after", "master.cf.after")

# Defaults that are Postern's own by design (README: names of this suite,
# directories under the install prefix), and defaults that depend on the
# machine or the process.
POSTERN_DEFAULTS = {
    "mail_name", "mail_owner", "mail_version", "syslog_name",
    "command_directory", "config_directory", "daemon_directory",
    "data_directory", "meta_directory", "queue_directory",
}
MACHINE_DEFAULTS = {"myhostname", "mydomain", "mynetworks", "process_id",
                    "process_name"}


def machine_names():
    """The default myhostname and mydomain: gethostname(), made a FQDN."""
    host = socket.gethostname()
    if "." not in host:
        host += ".localdomain"
    return host, host.split(".", 1)[1]


def run_postconf(args, cwd, env_extra=None, config_dir=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAIL_CONFIG", "LC_ALL", "LANGUAGE")}
    env["LANG"] = "C"
    env.update(env_extra or {})
    argv = ["postconf"] + (["-c", config_dir] if config_dir else []) + list(args)
    return subprocess.run(argv, executable=POSTCONF, cwd=cwd, env=env,
                          capture_output=True, timeout=60)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def expected(scenario, name):
    """The Postern-specific file when there is one, else Postfix's."""
    for candidate in (name + ".postern", name):
        path = os.path.join(FIXTURES, scenario, candidate)
        if os.path.exists(path):
            return read_bytes(path)
    return None


def fill_in(data, scratch):
    host, domain = machine_names()
    return (data.replace(b"@DIR@", scratch.encode())
            .replace(b"@HOSTNAME@", host.encode())
            .replace(b"@DOMAIN@", domain.encode()))


def sorted_lines(data):
    return b"".join(sorted(data.splitlines(keepends=True)))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario(scenario, tmp_path):
    src = os.path.join(FIXTURES, scenario)
    overrides = [f for f in os.listdir(src) if f.endswith(".postern")]
    differs = os.path.join(src, "postern-differs")
    # A divergence is always explained, and an explanation always used.
    assert bool(overrides) == os.path.exists(differs), \
        f"{scenario}: *.postern files and postern-differs go together"
    for f in overrides:
        assert f[:-len(".postern")] in COMPARED, f"{scenario}: stray {f}"
    if overrides:
        with open(differs) as f:
            why = f.read().splitlines()
        assert len(why) == 1 and why[0].strip(), f"{scenario}: postern-differs: one line"

    scratch = tmp_path / "cf"
    scratch.mkdir()
    inputs = [f for f in ("main.cf", "master.cf") if os.path.exists(os.path.join(src, f))]
    for f in inputs:
        shutil.copyfile(os.path.join(src, f), scratch / f)
        os.utime(scratch / f, (946684800, 946684800))
    with open(os.path.join(src, "cmd")) as f:
        words = shlex.split(f.readline())

    proc = run_postconf(words, cwd=str(tmp_path), config_dir=str(scratch))

    want_err = fill_in(expected(scenario, "stderr"), str(scratch))
    got_err = proc.stderr
    if os.path.exists(os.path.join(src, "stderr-unordered")):
        want_err, got_err = sorted_lines(want_err), sorted_lines(got_err)
    assert got_err.decode(errors="replace") == want_err.decode(errors="replace")
    want_out = fill_in(expected(scenario, "stdout"), str(scratch))
    assert proc.stdout.decode(errors="replace") == want_out.decode(errors="replace")
    assert proc.returncode == int(expected(scenario, "exit"))
    for f in inputs:
        after = expected(scenario, f + ".after")
        want = fill_in(after, str(scratch)) if after is not None \
            else read_bytes(os.path.join(src, f))
        assert read_bytes(scratch / f) == want, f"{f} afterwards"
    # Edits replace files by rename: no temporary file stays behind.
    assert sorted(os.listdir(scratch)) == sorted(inputs)


def table_names():
    """Every parameter in lib/global/param_list.h: (name, flags, doc)."""
    with open(PARAM_LIST) as f:
        text = f.read()
    rows = re.findall(r'^PARAM\(\s*\w+,\s*\w+,\s*([^,]+),\s*"([^"]+)",\s*'
                      r'(?:"(?:[^"\\]|\\.)*"|\w+),\s*"((?:[^"\\]|\\.)*)"\)',
                      text, re.M)
    rows = [(name, flags, doc) for flags, name, doc in rows]
    assert len(rows) == len(re.findall(r"^PARAM\(", text, re.M))
    return rows


def postfix_defaults():
    values = {}
    with open(os.path.join(FIXTURES, "defaults-3.7.txt")) as f:
        for line in f:
            name, _, value = line.rstrip("\n").partition(" =")
            values[name] = value[1:] if value.startswith(" ") else value
    return values


def test_defaults_match_postfix(tmp_path):
    """postconf -d NAME prints Postfix 3.7's default, except where Postern
    has its own by design (POSTERN_DEFAULTS), where it depends on the
    machine, and for Postern's own parameters (documented "Postern: ...").
    Legacy parameters are not listed by "postconf -d", as with Postfix,
    but known by name, with an empty default."""
    defaults = postfix_defaults()
    rows = table_names()
    own = [name for name, _, doc in rows if doc.startswith("Postern:")]
    for name in own:
        assert name not in defaults, f"{name} is a Postfix parameter"
    legacy = [name for name, flags, _ in rows if "PARAM_LEGACY" in flags]
    for name in legacy:
        assert name not in defaults, f"{name} is listed by Postfix"
        defaults[name] = ""
    names = [name for name, _, doc in rows if not doc.startswith("Postern:")]
    for name in names:
        assert name in defaults, f"{name}: not a Postfix 3.7 parameter"
    (tmp_path / "main.cf").write_text("")
    (tmp_path / "master.cf").write_text("")
    proc = run_postconf(["-d"] + names, cwd=str(tmp_path), config_dir=str(tmp_path))
    assert proc.returncode == 0 and proc.stderr == b""
    got = {}
    for line in proc.stdout.decode().splitlines():
        name, _, value = line.partition(" =")
        got[name] = value[1:] if value.startswith(" ") else value
    assert sorted(got) == sorted(names)
    differ = {name: (got[name], defaults[name]) for name in names
              if got[name] != defaults[name]
              and name not in POSTERN_DEFAULTS | MACHINE_DEFAULTS}
    assert differ == {}


def test_postern_defaults(tmp_path):
    """The defaults that are Postern's own say so."""
    (tmp_path / "main.cf").write_text("")
    (tmp_path / "master.cf").write_text("")
    proc = run_postconf(["-dh", "mail_name", "mail_owner", "syslog_name"],
                        cwd=str(tmp_path), config_dir=str(tmp_path))
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout.decode().splitlines() == [
        "Postern", "postern", "${multi_instance_name?{$multi_instance_name}:{postern}}"]


def test_edit_keeps_mode_and_replaces_atomically(tmp_path):
    main_cf = tmp_path / "main.cf"
    main_cf.write_text("# comment\nmyhostname = a.example\n")
    os.chmod(main_cf, 0o640)
    before = os.stat(main_cf)
    proc = run_postconf(["-e", "myhostname=b.example", "relayhost=[r.example]"],
                        cwd=str(tmp_path), config_dir=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    after = os.stat(main_cf)
    assert stat.S_IMODE(after.st_mode) == 0o640
    # A new file renamed into place, not the old one rewritten.
    assert after.st_ino != before.st_ino
    assert main_cf.read_text() == ("# comment\nmyhostname = b.example\n"
                                   "relayhost = [r.example]\n")
    assert sorted(os.listdir(tmp_path)) == ["main.cf"]


def test_edit_missing_main_cf_fails(tmp_path):
    for args in (["-e", "relayhost=x"], ["-X", "relayhost"], ["-#", "relayhost"]):
        proc = run_postconf(args, cwd=str(tmp_path), config_dir=str(tmp_path))
        assert proc.returncode == 1
        assert proc.stdout == b""
        assert proc.stderr.decode() == (
            f"postconf: fatal: open {tmp_path}/main.cf for reading: "
            "No such file or directory\n")
        assert os.listdir(tmp_path) == []


def test_mail_config_honoured(tmp_path):
    (tmp_path / "main.cf").write_text("myhostname = env.example\nfoo = bar\n")
    (tmp_path / "master.cf").write_text("")
    proc = run_postconf(["-n"], cwd="/", env_extra={"MAIL_CONFIG": str(tmp_path)})
    assert proc.returncode == 0
    assert proc.stdout.decode() == (f"config_directory = {tmp_path}\n"
                                    "myhostname = env.example\n")
    assert proc.stderr.decode() == (
        f"postconf: warning: {tmp_path}/main.cf: unused parameter: foo=bar\n")
    # -c wins over MAIL_CONFIG.
    other = tmp_path / "other"
    other.mkdir()
    (other / "main.cf").write_text("myhostname = c.example\n")
    (other / "master.cf").write_text("")
    proc = run_postconf(["-h", "myhostname"], cwd="/", config_dir=str(other),
                        env_extra={"MAIL_CONFIG": str(tmp_path)})
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"c.example\n", b"")


def test_n_prints_config_directory_with_c(tmp_path):
    (tmp_path / "main.cf").write_text("relayhost = [r.example]\n")
    (tmp_path / "master.cf").write_text("")
    proc = run_postconf(["-n"], cwd="/", config_dir=str(tmp_path))
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout.decode() == (f"config_directory = {tmp_path}\n"
                                    "relayhost = [r.example]\n")
