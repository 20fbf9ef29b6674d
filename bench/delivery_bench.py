#!/usr/bin/python3
# NAME
#	delivery_bench.py - Postern's SMTP-to-Maildir delivery against Postfix
# SYNOPSIS
#	/usr/bin/python3 bench/delivery_bench.py [--reps N] [--count-10 N]
#		[--count-1 N] [--root DIR]
#	make bench	(after smtpd_bench.py)
# DESCRIPTION
#	End to end: messages per second from the moment smtp-source starts
#	until the last message is a file in the recipient's ~/Maildir/new,
#	for one Postern instance (build/bin/postern: smtpd, qmgr, local)
#	and one instance of Debian's Postfix (/usr/sbin/postfix: smtpd,
#	cleanup, trivial-rewrite, qmgr, local, bounce/defer/trace, postlogd),
#	each with its own config directory, queue, loopback port and
#	recipient account, configured alike: loopback only, bench.test in
#	mydestination, empty local_recipient_maps, home_mailbox = Maildir/,
#	no aliases, local delivery only. Both fsync the queue file before
#	250 and the Maildir file before the delivery counts as done.
#
#	smtp-source sends 1 KiB messages over 10 sessions and over 1
#	session; the Maildir is polled every 10 ms. The machines this runs
#	on are shared and noisy, so the servers take turns (ABBA) and each
#	figure is the median of --reps runs after one unmeasured warm-up
#	run each. After every run the queue must drain, and the Maildir
#	must hold exactly as many messages as were sent, each with its own
#	queue ID (from the Received: header): a lost or a duplicated
#	message fails the benchmark. Maildirs and queues are emptied between
#	runs. Each server's maillog gives where a message's time went
#	(delay= and delays=before-queue/in-queue/connect/transmit), and
#	/proc the CPU time its processes used.
#
#	Prints a table on stdout (progress goes to stderr) and writes the
#	same as JSON to $POSTERN_BUILD/bench/delivery.json (build/bench by
#	default). Exits 1 when a measurement failed.
#
#	Must run as root (Postfix's daemons run as mail_owner "postfix";
#	local delivers as the recipient); otherwise it says so and exits 0.
#	Outside the run directory it creates the accounts posternbench1
#	and posternbench2 with homes under /var/tmp/postern-bench-homes,
#	and removes both (userdel) and the homes at the end; and it needs
#	the same entry in Postfix's alternate_config_directories as
#	smtpd_bench.py (same run directory). Everything started is stopped
#	on any exit.
import argparse
import json
import os
import pwd
import re
import shutil
import statistics
import subprocess
import sys
import time

import bench_common
from bench_common import (BenchError, COMMON_MAIN_CF, DEFAULT_ROOT, JSON_DIR, KIB, POSTERN,
                          POSTFIX, POSTFIX_POSTCONF, SMTP_SOURCE, SYSTEM_POSTFIX_CONFIG,
                          allow_postfix_config_dir, catch_signals, ensure_accounts,
                          lock_run_root, machine_info, machine_lines, progress,
                          session_label, size_label, smtp_source_command)

JSON_OUT = os.path.join(JSON_DIR, "delivery.json")
HOMES = "/var/tmp/postern-bench-homes"
DOMAIN = "bench.test"
# One recipient account per server: a late delivery of one can never
# be counted for the other.
USERS = {"Postern": "posternbench1", "Postfix": "posternbench2"}
SIZE = 1 * KIB
SESSIONS = (10, 1)
POLL = 0.010                    # Maildir poll interval, seconds
RUN_TIMEOUT = 120               # a run that takes longer has failed
DRAIN_TIMEOUT = 30              # queue empty after the last delivery
RATE_TARGET = 2.0               # Postern/Postfix; reported, never a failure
# What a server logs for the start-up check that its port is open
# (wait_for_port connects and closes); not a problem.
PROBE_LINE = "lost connection after CONNECT from localhost[127.0.0.1]"

# Both servers: what is delivered where.
DELIVERY_MAIN_CF = """\
home_mailbox = Maildir/
# No alias table (Postern has no lookup tables yet).
alias_maps =
"""


class Postern(bench_common.Postern):
    def main_cf(self, extra):
        return self.instance_main_cf() + COMMON_MAIN_CF + DELIVERY_MAIN_CF + extra

    def master_cf(self, maxproc):
        return (f"127.0.0.1:{self.port} inet n - n - {maxproc} smtpd\n"
                "qmgr unix n - n 300 1 qmgr\n"
                "local unix - n n - - local\n")


class Postfix(bench_common.Postfix):
    def __init__(self, root):
        super().__init__(root)
        self.maillog = os.path.join(root, "maillog")

    def main_cf(self, extra):
        return (self.instance_main_cf()
                # A log like Postern's, for delay= (written by postlogd).
                + f"maillog_file = {self.maillog}\n"
                + COMMON_MAIN_CF + DELIVERY_MAIN_CF
                + "alias_database =\n"
                # What Postern's local does not do (yet): ~/.forward
                # lookups, biff notifications.
                + "forward_path =\n"
                + "biff = no\n"
                + extra)

    def master_cf(self, maxproc):
        # Postfix's stock master.cf lines for these services, with chroot
        # off (the queue is not set up as a chroot jail).
        return (f"127.0.0.1:{self.port} inet n - n - {maxproc} smtpd\n"
                "cleanup unix n - n - 0 cleanup\n"
                "qmgr unix n - n 300 1 qmgr\n"
                "rewrite unix - - n - - trivial-rewrite\n"
                "bounce unix - - n - 0 bounce\n"
                "defer unix - - n - 0 bounce\n"
                "trace unix - - n - 0 bounce\n"
                "local unix - n n - - local\n"
                "postlog unix-dgram n - n - 1 postlogd\n")


# ---------------------------------------------------------------- accounts

def user_home(user):
    return os.path.join(HOMES, user)


def create_users(made, commands):
    """The recipient accounts, with fresh homes, each added to made as
    soon as it exists. An account of that name that is not ours (home
    elsewhere) is never touched."""
    os.makedirs(HOMES, exist_ok=True)
    os.chmod(HOMES, 0o755)
    for user in USERS.values():
        home = user_home(user)
        try:
            pw = pwd.getpwnam(user)
            if pw.pw_dir != home:
                raise BenchError(f"account {user} exists with home {pw.pw_dir}, not {home}: "
                                 f"not ours, not touched")
            progress(f"reusing account {user} left by an earlier run")
        except KeyError:
            cmd = ["useradd", "--home-dir", home, "--no-create-home",
                   "--shell", "/usr/sbin/nologin", user]
            subprocess.run(cmd, check=True, capture_output=True)
            commands.append(" ".join(cmd))
        made.append(user)
        shutil.rmtree(home, ignore_errors=True)
        os.makedirs(home)
        pw = pwd.getpwnam(user)
        os.chown(home, pw.pw_uid, pw.pw_gid)
        os.chmod(home, 0o755)


def remove_users(users):
    for user in users:
        proc = subprocess.run(["userdel", user], capture_output=True, text=True)
        if proc.returncode != 0:
            progress(f"userdel {user}: exit {proc.returncode}: {proc.stderr.strip()}")
    shutil.rmtree(HOMES, ignore_errors=True)


def maildir(user, folder="new"):
    return os.path.join(user_home(user), "Maildir", folder)


def maildir_count(user, folder="new"):
    try:
        return len(os.listdir(maildir(user, folder)))
    except FileNotFoundError:
        return 0


def empty_maildir(user):
    for folder in ("new", "cur", "tmp"):
        d = maildir(user, folder)
        try:
            names = os.listdir(d)
        except FileNotFoundError:
            continue
        for n in names:
            os.unlink(os.path.join(d, n))


RECEIVED_ID = re.compile(rb"^Received: from [^\n]*\n(?:[ \t][^\n]*\n)*?[ \t]+by \S+ \(\S+\) "
                         rb"with \S+ id ([0-9A-Za-z]+)", re.M)


def delivered_queue_ids(user):
    """Queue ID (from our Received: header) of every message in new/."""
    ids = []
    d = maildir(user)
    for n in os.listdir(d):
        with open(os.path.join(d, n), "rb") as f:
            head = f.read(4096)
        m = RECEIVED_ID.search(head)
        ids.append(m.group(1).decode() if m else f"(no Received: id in {n})")
    return ids


# ---------------------------------------------------------------- the log

DELIVERY_LINE = re.compile(r" ([0-9A-Za-z]+): to=<([^>]*)>.*?, relay=([^,]+), delay=([\d.]+), "
                           r"delays=([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+), dsn=[\d.]+, status=(\w+)")


def log_delays(text):
    """What one run's log says about its deliveries."""
    sent, other = [], []
    for line in text.splitlines():
        m = DELIVERY_LINE.search(line)
        if not m:
            continue
        if m.group(9) == "sent":
            sent.append([float(x) for x in m.group(4, 5, 6, 7, 8)])
        else:
            other.append(line)
    out = {"sent": len(sent), "not_sent": len(other), "not_sent_lines": other[:10]}
    if sent:
        cols = list(zip(*sent))
        out["delay_median"] = statistics.median(cols[0])
        out["delay_max"] = max(cols[0])
        # Summed over all messages: which stage the time went to.
        out["delays_mean"] = [round(statistics.mean(c), 4) for c in cols[1:]]
    return out


# ---------------------------------------------------------------- one run

def wait_queue_empty(server, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.queue_files(include_partial=True):
            return True
        time.sleep(0.05)
    return False


def delivery_run(server, sessions, count, scratch):
    """One smtp-source run into an empty Maildir; the figures of it.
    Fails when a message is missing, duplicated or left in the queue."""
    user = USERS[server.name]
    empty_maildir(user)
    if server.queue_files(include_partial=True):
        raise BenchError(f"{server.name}: queue not empty before a run: "
                         f"{server.queue_files(include_partial=True)[:5]}")
    cmd = smtp_source_command(server.port, sessions, count, SIZE, f"{user}@{DOMAIN}")
    log_offset = server.log_size()
    cpu_before = server.cpu()
    err_path = os.path.join(scratch, "smtp-source.err")
    with open(err_path, "w+") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err)
        accepted = delivered = None
        try:
            while True:
                n = maildir_count(user)
                now = time.monotonic()
                if accepted is None and proc.poll() is not None:
                    accepted = now
                    if proc.returncode != 0:
                        err.seek(0)
                        raise BenchError(f"{server.name}: smtp-source exited {proc.returncode}: "
                                         f"{err.read().strip()[-2000:]}\n{server.log_tail()}")
                if n >= count:
                    delivered = now
                    break
                if now - start > RUN_TIMEOUT:
                    raise BenchError(
                        f"{server.name}: {n} of {count} messages in {maildir(user)} after "
                        f"{RUN_TIMEOUT}s (smtp-source {'done' if accepted else 'still running'}, "
                        f"{server.queued()} in the queue)\n{server.log_tail()}")
                time.sleep(POLL)
            if accepted is None:
                # Everything is delivered; smtp-source is only saying QUIT.
                proc.wait(30)
                accepted = time.monotonic()
                if proc.returncode != 0:
                    raise BenchError(f"{server.name}: smtp-source exited {proc.returncode}")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    if not wait_queue_empty(server, DRAIN_TIMEOUT):
        left = server.queue_files(include_partial=True)
        raise BenchError(f"{server.name}: {len(left)} queue files still there {DRAIN_TIMEOUT}s "
                         f"after the last delivery: {left[:5]}\n{server.log_tail()}")
    cpu = server.cpu() - cpu_before
    # Exactly once: as many files as messages sent, each its own message.
    final = maildir_count(user)
    ids = delivered_queue_ids(user)
    unique = len(set(ids))
    stray = maildir_count(user, "tmp") + maildir_count(user, "cur")
    # Postfix's postlogd writes what it is sent a moment later.
    deadline = time.monotonic() + 5
    while True:
        log = log_delays(server.log_since(log_offset))
        if log["sent"] + log["not_sent"] >= count or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    empty_maildir(user)
    if final != count or unique != count or stray:
        dups = sorted({i for i in ids if ids.count(i) > 1})[:5]
        raise BenchError(f"{server.name}: {count} sent, {final} in Maildir/new with {unique} "
                         f"distinct queue IDs (duplicated: {dups}), {stray} in tmp/ or cur/\n"
                         f"{server.log_tail()}")
    if server.maillog and log["sent"] != count:
        raise BenchError(f"{server.name}: {count} messages delivered but the log has "
                         f"{log['sent']} status=sent lines and {log['not_sent']} others: "
                         f"{log['not_sent_lines'][:3]}")
    elapsed = delivered - start
    return {"rate": count / elapsed, "seconds": elapsed,
            "accept_seconds": min(accepted, delivered) - start,
            "cpu_seconds": cpu, "log": log}


def measure(servers, counts, reps, scratch):
    results = []
    for sessions in SESSIONS:
        count = counts[sessions]
        label = f"{session_label(sessions)} {size_label(SIZE)}"
        entry = {"sessions": sessions, "size": SIZE, "messages": count, "label": label,
                 "runs": {s.name: [] for s in servers},
                 "commands": {s.name: " ".join(smtp_source_command(
                     s.port, sessions, count, SIZE, f"{USERS[s.name]}@{DOMAIN}"))
                     for s in servers}}
        results.append(entry)
        try:
            # Warm-up: processes forked, caches filled, for both alike.
            for server in servers:
                r = delivery_run(server, sessions, max(count // 10, sessions), scratch)
                progress(f"  {label}: {server.name} warm-up {r['rate']:8.1f} msg/s")
            for rep in range(reps):
                # ABBA: neither server always runs first.
                order = servers if rep % 2 == 0 else servers[::-1]
                for server in order:
                    r = delivery_run(server, sessions, count, scratch)
                    entry["runs"][server.name].append(r)
                    progress(f"  {label} x{count}: {server.name} {r['rate']:8.1f} msg/s "
                             f"(all in Maildir after {r['seconds']:.2f}s, smtp-source done "
                             f"after {r['accept_seconds']:.2f}s, CPU {r['cpu_seconds']:.2f}s)")
        except BenchError as e:
            entry["error"] = str(e)
            progress(f"  {label}: FAILED: {e}")
            # The next case starts from empty queues and Maildirs.
            for server in servers:
                server.stop()
                server.empty_queue()
                empty_maildir(USERS[server.name])
                server.start()
            continue
        for server in servers:
            runs = entry["runs"][server.name]
            entry[server.name] = {
                "rate": statistics.median(r["rate"] for r in runs),
                "seconds": statistics.median(r["seconds"] for r in runs),
                "accept_seconds": statistics.median(r["accept_seconds"] for r in runs),
                "cpu_ms_per_message": 1000 * statistics.median(r["cpu_seconds"] for r in runs)
                / count,
            }
            logs = [r["log"] for r in runs if r["log"].get("sent")]
            if logs:
                entry[server.name]["delay_median"] = statistics.median(
                    x["delay_median"] for x in logs)
                entry[server.name]["delay_max"] = statistics.median(x["delay_max"] for x in logs)
                entry[server.name]["delays_mean"] = [
                    round(statistics.median(x["delays_mean"][i] for x in logs), 3)
                    for i in range(4)]
        entry["ratio"] = entry["Postern"]["rate"] / entry["Postfix"]["rate"]
    return results


# ---------------------------------------------------------------- report

def format_report(info, results, commands, configs, log_problems, errors):
    out = ["Postern vs Postfix -- SMTP to Maildir delivery rate, same machine, same run", ""]
    out.extend(machine_lines(info))
    out.append("")
    out.append(f"Delivery rate: messages/s from smtp-source's start until the last message is "
               f"in ~/Maildir/new (polled every {POLL * 1000:.0f} ms); median of {info['reps']} "
               f"runs each, ABBA order, after one warm-up run each")
    out.append(f"{'sessions':>8} {'size':>6} {'msgs':>6} {'Postern':>10} {'Postfix':>10} "
               f"{'Postern/Postfix':>16}   runs Postern | Postfix")
    for e in results:
        head = f"{e['sessions']:>8} {size_label(e['size']):>6} {e['messages']:>6}"
        if "error" in e:
            out.append(f"{head}   FAILED: {e['error'].splitlines()[0]}")
            continue
        runs = (" ".join(f"{r['rate']:.0f}" for r in e["runs"]["Postern"]) + " | "
                + " ".join(f"{r['rate']:.0f}" for r in e["runs"]["Postfix"]))
        out.append(f"{head} {e['Postern']['rate']:>10.1f} {e['Postfix']['rate']:>10.1f} "
                   f"{e['ratio']:>16.2f}   {runs}")
    out.append("")
    out.append("Where the time goes (medians over the runs): smtp-source done = when the last "
               "message was accepted; delivered = when the last one was in the Maildir; CPU = "
               "user+system time of all the instance's processes per message; delay = "
               "the maillog's delay= (arrival to delivered), delays = mean of delays=a/b/c/d "
               "(a before the queue manager, b in it, c connection set-up, d delivery)")
    out.append(f"{'case':>18} {'server':>8} {'smtp-src':>9} {'delivered':>10} {'CPU ms/msg':>11} "
               f"{'delay med':>10} {'delay max':>10}   delays a/b/c/d (s)")
    for e in results:
        if "error" in e:
            continue
        for name in ("Postern", "Postfix"):
            s = e[name]
            delay = (f"{s['delay_median']:>10.3f} {s['delay_max']:>10.3f}   "
                     + "/".join(f"{x:.3f}" for x in s["delays_mean"])
                     if "delay_median" in s else f"{'-':>10} {'-':>10}   -")
            out.append(f"{e['label']:>18} {name:>8} {s['accept_seconds']:>8.2f}s "
                       f"{s['seconds']:>9.2f}s {s['cpu_ms_per_message']:>11.3f} {delay}")
    out.append("")
    out.append("Configuration")
    out.append("  Both: loopback only, mydestination includes bench.test, empty "
               "local_recipient_maps, home_mailbox = Maildir/, no aliases; one recipient "
               f"account each ({USERS['Postern']} for Postern, {USERS['Postfix']} for Postfix, "
               f"homes under {HOMES}); local_destination_concurrency_limit and "
               "local_destination_recipient_limit at their defaults (2 and 1) in both. Both "
               "fsync the queue file before 250 and the Maildir file before success.")
    out.append("  Postern: master.cf runs smtpd, qmgr and local; log in maillog_file.")
    out.append("  Postfix: master.cf runs smtpd, cleanup, qmgr, trivial-rewrite, local, "
               "bounce/defer/trace and postlogd (for maillog_file, so it logs as Postern "
               "does); forward_path and biff off, as Postern's local does neither; "
               "in_flow_delay left at its default (1s: qmgr paces smtpd).")
    for name, text in configs.items():
        out.append(f"  {name}:")
        out.extend("    " + line for line in text.rstrip("\n").splitlines())
    out.append("")
    out.append("Commands")
    out.extend("  " + c for c in commands)
    out.append("")
    out.append(f"(not shown: '{PROBE_LINE}', from the start-up check that the port is open)")
    for name, lines in log_problems.items():
        if lines:
            out.append(f"{name} maillog: {len(lines)} warning/error/deferred/lost-connection "
                       f"lines; first ones:")
            out.extend("  " + line for line in lines[:15])
        else:
            out.append(f"{name} maillog: no warnings, errors, deferrals or lost connections")
    if errors:
        out.append("")
        out.append("FAILURES")
        out.extend("  " + line for e in errors for line in e.splitlines())
    out.append("")
    for e in results:
        if "ratio" in e:
            verdict = "met" if e["ratio"] >= RATE_TARGET else "NOT met"
            out.append(f"delivery rate {e['label']}: ratio {e['ratio']:.2f} "
                       f"(target >= {RATE_TARGET:g}) [{verdict}]")
        else:
            out.append(f"delivery rate {e['label']}: ratio FAILED (target >= {RATE_TARGET:g})")
    return "\n".join(out)


# ---------------------------------------------------------------- main

def parse_args():
    ap = argparse.ArgumentParser(description="Postern vs Postfix SMTP-to-Maildir benchmark")
    ap.add_argument("--reps", type=int, default=5, help="measured runs per server and case")
    ap.add_argument("--count-10", type=int, default=2000, help="messages per 10-session run")
    ap.add_argument("--count-1", type=int, default=2000, help="messages per 1-session run")
    ap.add_argument("--root", default=DEFAULT_ROOT, help="run directory (removed at the end)")
    return ap.parse_args()


def main():
    args = parse_args()
    catch_signals()
    if os.geteuid() != 0:
        print("delivery_bench: SKIPPED: must run as root (Postfix's daemons run as mail_owner "
              "postfix, local delivers as the recipient, and the recipient accounts are "
              "created with useradd)", flush=True)
        return 0
    for path in (POSTERN, SMTP_SOURCE, POSTFIX):
        if not os.access(path, os.X_OK):
            sys.exit(f"delivery_bench: {path} is missing (make; apt-get install postfix)")
    ensure_accounts()

    root = os.path.abspath(args.root)
    lock_fd = lock_run_root(root)
    postern = postfix = None
    users = []
    errors, commands, results, configs = [], [], [], {}
    log_problems = {}
    began = time.monotonic()
    try:
        info = machine_info(root)
        info["reps"] = args.reps
        create_users(users, commands)
        postern = Postern(os.path.join(root, "postern"))
        postfix = Postfix(os.path.join(root, "postfix"))
        changed = allow_postfix_config_dir(postfix.etc)
        commands.append(f"{POSTFIX_POSTCONF} -c {SYSTEM_POSTFIX_CONFIG} -e "
                        f"'alternate_config_directories = ... {postfix.etc}'"
                        + ("" if changed else "   (already there)"))
        commands.append(f"{POSTERN} -c {postern.etc} start | stop")
        commands.append(f"{POSTFIX} -c {postfix.etc} start | stop")
        servers = [postern, postfix]
        for server in servers:
            server.configure()
            configs[f"{server.name} main.cf"] = server.main_text
            configs[f"{server.name} master.cf"] = server.master_text
        for sessions, count in ((10, args.count_10), (1, args.count_1)):
            for server in servers:
                commands.append(" ".join(smtp_source_command(
                    server.port, sessions, count, SIZE, f"{USERS[server.name]}@{DOMAIN}")))
        commands.append("  warm-up runs send a tenth; after each run: wait for the queue to "
                        "drain, count and read ~/Maildir/new, empty the Maildir")
        commands.append(f"userdel {' '.join(USERS.values())}; rm -rf {HOMES} {root}")
        scratch = os.path.join(root, "scratch")
        os.makedirs(scratch)
        try:
            for server in servers:
                server.start()
            progress("delivery rate")
            results = measure(servers, {10: args.count_10, 1: args.count_1}, args.reps, scratch)
        finally:
            for server in servers:
                log_problems[server.name] = [
                    line for line in server.log_problems() if PROBE_LINE not in line]
            postern.stop()
            postfix.stop()
        errors += [e["error"] for e in results if "error" in e]
    finally:
        for server in (postern, postfix):
            if server is not None:
                try:
                    server.stop()
                except Exception as e:          # keep cleaning up the rest
                    progress(f"stopping {server.name}: {e}")
        remove_users(users)
        shutil.rmtree(root, ignore_errors=True)
        os.close(lock_fd)
    info["seconds"] = round(time.monotonic() - began, 1)

    report = format_report(info, results, commands, configs, log_problems, errors)
    report += f"\n(benchmark took {info['seconds']:.0f}s)"
    print(report, flush=True)
    os.makedirs(JSON_DIR, exist_ok=True)
    with open(JSON_OUT, "w") as f:
        json.dump({"machine": info, "delivery_rate": results, "commands": commands,
                   "configs": configs,
                   "log_problems": {k: v[:100] for k, v in log_problems.items()},
                   "errors": errors, "report": report}, f, indent=2)
        f.write("\n")
    progress(f"wrote {JSON_OUT}")
    return 1 if errors else 0


if __name__ == "__main__":
    bench_common.run_script(main, "delivery_bench")
