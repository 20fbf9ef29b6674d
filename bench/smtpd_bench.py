#!/usr/bin/python3
# NAME
#	smtpd_bench.py - Postern's smtpd against Postfix, on this machine, now
# SYNOPSIS
#	/usr/bin/python3 bench/smtpd_bench.py [--reps N] [--count-1k N]
#		[--count-100k N] [--sessions-memory N,N] [--root DIR]
#	make bench
# DESCRIPTION
#	Starts one Postern instance (build/bin/postern) and one instance of
#	Debian's Postfix (/usr/sbin/postfix), each with its own config
#	directory, queue and loopback port, configured alike: loopback
#	only, bench.test in mydestination, nothing delivered (Postern runs
#	only smtpd; Postfix runs smtpd, cleanup and trivial-rewrite, and no
#	qmgr). Both fsync a message before they answer 250 to it.
#
#	Accept rate: smtp-source with 1, 10 and 50 sessions and 1 KiB and
#	100 KiB messages; messages per second of wall clock until
#	smtp-source exits. The machines this runs on are shared and noisy,
#	so the two servers take turns (ABBA order: Postern, Postfix, then
#	Postfix, Postern, ...) and each figure is the median of --reps
#	runs, after one unmeasured warm-up run each. After every run the
#	messages really queued are counted; fewer than were sent fails the
#	benchmark.
#
#	Memory: the peak of the summed VmRSS of all the instance's processes
#	(master and everything descending from it) while 1,000 and 10,000
#	idle SMTP sessions are open, every one of them past its 220 banner.
#	Postfix holds one process per session; its 10,000 case is measured
#	only when the 1,000 figure projects to less than 8 GiB, otherwise
#	the projection is reported and labelled as such.
#
#	Prints a table on stdout (progress goes to stderr) and writes the
#	same as JSON to $POSTERN_BUILD/bench/smtpd.json (build/bench by
#	default). Exits 1 when a measurement failed (a lost message, a
#	server that did not start or did not take every session).
#
#	Must run as root: Postfix's daemons run as mail_owner "postfix".
#	The only change outside the run directory is one entry in
#	alternate_config_directories of /etc/postfix/main.cf (without it
#	"postfix -c DIR" refuses DIR); it names a fixed path, so it is
#	added once. Everything started is stopped, and the run directory
#	removed, on any exit. What this shares with delivery_bench.py
#	(instances, process trees, machine, run directory) is in
#	bench_common.py.
import argparse
import errno
import json
import os
import selectors
import shutil
import socket
import statistics
import subprocess
import sys
import time

import bench_common
from bench_common import (BenchError, DEFAULT_ROOT, GIB, JSON_DIR, KIB, MIB, POSTERN,
                          POSTFIX, POSTFIX_POSTCONF, SMTP_SOURCE, SYSTEM_POSTFIX_CONFIG,
                          COMMON_MAIN_CF, allow_postfix_config_dir, catch_signals,
                          ensure_accounts, lock_run_root, machine_info, machine_lines,
                          progress, raise_fd_limit, session_label, size_label)

JSON_OUT = os.path.join(JSON_DIR, "smtpd.json")
RECIPIENT = "u@bench.test"

RATE_SESSIONS = (1, 10, 50)
RATE_SIZES = (1 * KIB, 100 * KIB)
MEMORY_SESSIONS = (1000, 10000)
POSTFIX_MEMORY_BUDGET = 8 * GIB         # fork one process per session only below this
SESSION_OPEN_WINDOW = 200               # connects awaiting their banner at once
RSS_SAMPLES = 5

# Ratios Postern is meant to reach: Postern/Postfix for rates,
# Postfix/Postern for memory. Reported, never a reason to fail.
RATE_TARGET = 2.0
MEMORY_TARGET = 10.0



# ---------------------------------------------------------------- servers

class Postern(bench_common.Postern):
    # Only incoming/: nothing here ever moves a message on.
    message_queues = ("incoming",)

    def main_cf(self, extra):
        return self.instance_main_cf() + COMMON_MAIN_CF + extra

    def master_cf(self, maxproc):
        # Only smtpd: there is nothing else to run for accepting mail.
        return f"127.0.0.1:{self.port} inet n - n - {maxproc} smtpd\n"


class Postfix(bench_common.Postfix):
    def main_cf(self, extra):
        return (self.instance_main_cf()
                + COMMON_MAIN_CF
                # Without qmgr nobody refills the in_flow_delay token pipe,
                # so every message would wait 1s; turn that pacing off.
                + "in_flow_delay = 0\n"
                + extra)

    def master_cf(self, maxproc):
        # smtpd, and what it needs to accept a message: cleanup writes the
        # queue file, trivial-rewrite resolves addresses for it. No qmgr:
        # nothing is delivered, the messages stay in incoming/.
        return (f"127.0.0.1:{self.port} inet n - n - {maxproc} smtpd\n"
                "cleanup unix n - n - 0 cleanup\n"
                "rewrite unix - - n - - trivial-rewrite\n")


# ---------------------------------------------------------------- accept rate

def smtp_source_command(port, sessions, count, size):
    return bench_common.smtp_source_command(port, sessions, count, size, RECIPIENT)


def accept_run(server, sessions, size, count):
    """One smtp-source run; messages/s. Fails when a message is missing."""
    server.empty_queue()
    cmd = smtp_source_command(server.port, sessions, count, size)
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{server.name}: smtp-source still running after 600s: {' '.join(cmd)}")
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        raise BenchError(f"{server.name}: smtp-source exited {proc.returncode}: "
                         f"{proc.stderr.strip()[-2000:]}\n{server.log_tail()}")
    # Every message was answered 250, so every one must be on disk now.
    queued = server.queued()
    server.empty_queue()
    if queued != count:
        raise BenchError(f"{server.name} lost messages: {count} sent and answered 250, "
                         f"{queued} queued\n{server.log_tail()}")
    return count / elapsed, elapsed


def measure_accept_rates(servers, counts, reps):
    results = []
    for size in RATE_SIZES:
        for sessions in RATE_SESSIONS:
            count = counts[size]
            label = f"{session_label(sessions)} {size_label(size)}"
            entry = {"sessions": sessions, "size": size, "messages": count,
                     "label": label, "runs": {s.name: [] for s in servers},
                     "seconds": {s.name: [] for s in servers},
                     "commands": {s.name: " ".join(smtp_source_command(s.port, sessions, count, size))
                                  for s in servers}}
            results.append(entry)
            try:
                # Warm-up: processes forked, caches filled, for both alike.
                for server in servers:
                    accept_run(server, sessions, size, max(count // 10, sessions))
                for rep in range(reps):
                    # ABBA: neither server always runs first.
                    order = servers if rep % 2 == 0 else servers[::-1]
                    for server in order:
                        rate, secs = accept_run(server, sessions, size, count)
                        entry["runs"][server.name].append(round(rate, 1))
                        entry["seconds"][server.name].append(round(secs, 3))
                        progress(f"  accept {label} x{count}: {server.name} "
                                 f"{rate:8.1f} msg/s ({secs:.2f}s)")
            except BenchError as e:
                entry["error"] = str(e)
                progress(f"  accept {label}: FAILED: {e}")
                continue
            for server in servers:
                entry[server.name] = statistics.median(entry["runs"][server.name])
            entry["ratio"] = entry["Postern"] / entry["Postfix"]
    return results


# ---------------------------------------------------------------- memory

def open_idle_sessions(port, count, timeout, socks):
    """Open count sessions, appending each socket to socks (the caller
    closes them), and return once every one has read its 220 banner.
    Only SESSION_OPEN_WINDOW connects are in flight at a time, so the
    listen queue never overflows into SYN retries."""
    sel = selectors.DefaultSelector()
    pending = {}
    opened = ready = 0
    deadline = time.monotonic() + timeout
    try:
        while ready < count:
            while opened < count and len(pending) < SESSION_OPEN_WINDOW:
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                socks.append(s)
                s.setblocking(False)
                err = s.connect_ex(("127.0.0.1", port))
                if err not in (0, errno.EINPROGRESS):
                    raise BenchError(f"connect {opened + 1}: {os.strerror(err)} "
                                     f"({ready} sessions had their banner)")
                pending[s] = b""
                sel.register(s, selectors.EVENT_READ)
                opened += 1
            if time.monotonic() > deadline:
                raise BenchError(f"only {ready} of {count} sessions had their 220 banner "
                                 f"after {timeout}s ({len(pending)} waiting)")
            for key, _ in sel.select(timeout=1.0):
                s = key.fileobj
                try:
                    data = s.recv(1024)
                except BlockingIOError:
                    continue
                except OSError as e:
                    raise BenchError(f"session read: {e} ({ready} sessions had their banner)")
                if not data:
                    raise BenchError(f"server closed a session before its banner "
                                     f"({ready} sessions had theirs)")
                pending[s] += data
                if b"\n" in pending[s]:
                    if not pending[s].startswith(b"220"):
                        raise BenchError(f"banner {pending[s]!r} after {ready} sessions")
                    sel.unregister(s)
                    del pending[s]
                    ready += 1
    finally:
        sel.close()


def measure_memory_once(server, sessions, main_extra="", maxproc="-"):
    """Start server afresh, hold sessions idle sessions, sample memory."""
    server.configure(main_extra, maxproc)
    socks = []
    try:
        server.start()
        time.sleep(0.5)
        baseline = server.memory()
        start = time.monotonic()
        open_idle_sessions(server.port, sessions, timeout=300, socks=socks)
        opened_in = time.monotonic() - start
        samples = []
        for _ in range(RSS_SAMPLES):
            time.sleep(0.5)
            samples.append(server.memory())
        peak = max(samples, key=lambda m: m["rss"])
        result = {"sessions": sessions, "rss": peak["rss"],
                  "pss": max(m["pss"] for m in samples),
                  "processes": peak["processes"], "baseline_rss": baseline["rss"],
                  "open_seconds": round(opened_in, 2), "samples_rss": [m["rss"] for m in samples]}
        progress(f"  memory {sessions} sessions: {server.name} {peak['rss'] / MIB:.1f} MiB RSS "
                 f"in {peak['processes']} processes (opened in {opened_in:.1f}s)")
        return result
    finally:
        for s in socks:
            s.close()
        server.stop()


def measure_memory(postern, postfix):
    results = []
    postfix_per_session = postfix_base = postfix_pss_per_session = None
    for sessions in MEMORY_SESSIONS:
        entry = {"sessions": sessions, "label": f"{sessions} idle sessions"}
        results.append(entry)
        try:
            # max_use: one process must be able to take every session it
            # holds and more; the default (100) would retire it early.
            entry["Postern"] = measure_memory_once(postern, sessions, "max_use = 100000\n")
            procs = entry["Postern"]["processes"] - 1      # minus master
            entry["Postern"]["smtpd_processes"] = procs
        except BenchError as e:
            entry["error"] = f"Postern: {e}"
            progress(f"  memory {sessions}: Postern FAILED: {e}")
        projected = None
        if postfix_per_session is not None:
            projected = postfix_base + postfix_per_session * sessions
        if projected is not None and projected >= POSTFIX_MEMORY_BUDGET:
            entry["Postfix"] = {"sessions": sessions, "measured": False,
                                "projected_rss": int(projected),
                                "projected_pss": int(postfix_pss_per_session * sessions)}
            progress(f"  memory {sessions}: Postfix not measured, projected "
                     f"{projected / GIB:.1f} GiB from the {MEMORY_SESSIONS[0]} figure")
        else:
            try:
                # One smtpd process per session: maxproc must allow them all.
                m = measure_memory_once(postfix, sessions, "", maxproc=str(sessions))
                m["measured"] = True
                entry["Postfix"] = m
                if postfix_per_session is None:
                    postfix_per_session = (m["rss"] - m["baseline_rss"]) / sessions
                    postfix_base = m["baseline_rss"]
                    postfix_pss_per_session = m["pss"] / sessions
            except BenchError as e:
                entry["error"] = (entry.get("error", "") + f" Postfix: {e}").strip()
                progress(f"  memory {sessions}: Postfix FAILED: {e}")
        p, f = entry.get("Postern"), entry.get("Postfix")
        if p and f:
            postfix_rss = f["rss"] if f.get("measured") else f["projected_rss"]
            entry["ratio"] = postfix_rss / p["rss"]
            entry["ratio_projected"] = not f.get("measured")
    return results


# ---------------------------------------------------------------- report

def mib(n):
    return f"{n / MIB:.1f}"


def format_report(info, accept, memory, commands, configs, targets, log_problems, errors):
    out = []
    out.append("Postern smtpd vs Postfix -- accept rate and memory, same machine, same run")
    out.append("")
    out.extend(machine_lines(info))
    out.append("")
    reps = info["reps"]
    out.append(f"Accept rate: messages/s, wall clock until smtp-source exits; median of {reps} "
               f"runs each, ABBA order, after one warm-up run each")
    out.append(f"{'sessions':>8} {'size':>6} {'msgs':>6} {'Postern':>10} {'Postfix':>10} "
               f"{'Postern/Postfix':>16}   runs Postern | Postfix")
    for e in accept:
        head = f"{e['sessions']:>8} {size_label(e['size']):>6} {e['messages']:>6}"
        if "error" in e:
            out.append(f"{head}   FAILED: {e['error'].splitlines()[0]}")
            continue
        runs = (" ".join(f"{r:.0f}" for r in e["runs"]["Postern"]) + " | "
                + " ".join(f"{r:.0f}" for r in e["runs"]["Postfix"]))
        out.append(f"{head} {e['Postern']:>10.1f} {e['Postfix']:>10.1f} {e['ratio']:>16.2f}   {runs}")
    out.append("")
    out.append("Memory: peak of summed VmRSS over master and all its descendants while N idle "
               "sessions are open (MiB); Pss sum beside it (shared pages split)")
    out.append(f"{'sessions':>8} {'Postern':>10} {'procs':>6} {'Postfix':>12} {'procs':>6} "
               f"{'Postfix/Postern':>16}   Pss Postern | Postfix")
    for e in memory:
        p, f = e.get("Postern"), e.get("Postfix")
        cols = [f"{e['sessions']:>8}"]
        cols.append(f"{mib(p['rss']):>10} {p['processes']:>6}" if p else f"{'FAILED':>10} {'':>6}")
        if f and f.get("measured"):
            cols.append(f"{mib(f['rss']):>12} {f['processes']:>6}")
        elif f:
            cols.append(f"{'~' + mib(f['projected_rss']):>12} {'':>6}")
        else:
            cols.append(f"{'FAILED':>12} {'':>6}")
        if "ratio" in e:
            cols.append(f"{e['ratio']:>16.1f}" + (" (projected)" if e["ratio_projected"] else ""))
        else:
            cols.append(f"{'-':>16}")
        pss = (mib(p["pss"]) if p else "-") + " | " + (
            mib(f["pss"]) if f and f.get("measured") else "-")
        cols.append(f"  {pss}")
        out.append(" ".join(cols))
    for e in memory:
        f = e.get("Postfix")
        if f and not f.get("measured"):
            out.append(f"  Postfix {e['sessions']}: not measured; ~{mib(f['projected_rss'])} MiB is a "
                       f"PROJECTION (idle instance + {e['sessions']} x per-session RSS of the "
                       f"{MEMORY_SESSIONS[0]}-session run), over the "
                       f"{POSTFIX_MEMORY_BUDGET // GIB} GiB budget for forking that many processes "
                       f"(projected Pss: ~{mib(f['projected_pss'])} MiB)")
    for e in memory:
        p = e.get("Postern")
        if p:
            out.append(f"  Postern {e['sessions']}: every session had its 220 banner, held by "
                       f"{p['smtpd_processes']} smtpd process(es) "
                       f"(smtpd_sessions_per_process = 1000, max_use = 100000)")
    out.append("")
    out.append("Configuration")
    out.append("  Both: loopback only, mydestination includes bench.test, empty "
               "local_recipient_maps, nothing delivered; both fsync each message before 250.")
    out.append("  Postern: master.cf runs only smtpd; memory runs set max_use = 100000 "
               "(smtpd_sessions_per_process left at its default, 1000).")
    out.append("  Postfix: master.cf runs smtpd, cleanup, trivial-rewrite (rewrite), no qmgr: "
               "Postfix answers 250 without it, the message stays in incoming/. in_flow_delay = 0, "
               "because without qmgr its flow-control pipe stays empty and each message would "
               "wait 1s. Memory runs set the smtpd maxproc to the session count.")
    out.append("  Postfix logs nowhere (no maillog_file, no syslog socket); Postern writes "
               "its maillog_file.")
    for name, text in configs.items():
        out.append(f"  {name}:")
        out.extend("    " + line for line in text.rstrip("\n").splitlines())
    out.append("")
    out.append("Commands")
    out.extend("  " + c for c in commands)
    out.append("")
    if log_problems:
        out.append(f"Postern maillog: {len(log_problems)} warning/error/lost-connection lines; first ones:")
        out.extend("  " + line for line in log_problems[:15])
    else:
        out.append("Postern maillog: no warnings, errors, rejects or lost connections")
    if errors:
        out.append("")
        out.append("FAILURES")
        out.extend("  " + line for e in errors for line in e.splitlines())
    out.append("")
    for t in targets:
        if t["ratio"] is None:
            out.append(f"{t['name']}: ratio FAILED (target >= {t['target']:g})")
        else:
            note = " (against the projected Postfix figure)" if t.get("projected") else ""
            verdict = "met" if t["ratio"] >= t["target"] else "NOT met"
            out.append(f"{t['name']}: ratio {t['ratio']:.2f}{note} (target >= {t['target']:g}) [{verdict}]")
    return "\n".join(out)


def build_targets(accept, memory):
    targets = []
    for e in accept:
        targets.append({"name": f"accept rate {e['label']}", "ratio": e.get("ratio"),
                        "target": RATE_TARGET})
    for e in memory:
        targets.append({"name": f"memory {e['sessions']} idle sessions", "ratio": e.get("ratio"),
                        "target": MEMORY_TARGET, "projected": e.get("ratio_projected", False)})
    return targets


# ---------------------------------------------------------------- main

def parse_args():
    ap = argparse.ArgumentParser(description="Postern smtpd vs Postfix benchmark")
    ap.add_argument("--reps", type=int, default=5, help="measured runs per server and case")
    # Long enough that a run lasts seconds, not the start-up of smtp-source.
    ap.add_argument("--count-1k", type=int, default=5000, help="messages per 1 KiB run")
    ap.add_argument("--count-100k", type=int, default=1000, help="messages per 100 KiB run")
    ap.add_argument("--sessions-memory", default=",".join(map(str, MEMORY_SESSIONS)),
                    help="idle session counts for the memory runs")
    ap.add_argument("--root", default=DEFAULT_ROOT, help="run directory (removed at the end)")
    ap.add_argument("--skip-accept", action="store_true")
    ap.add_argument("--skip-memory", action="store_true")
    return ap.parse_args()



def main():
    global MEMORY_SESSIONS
    args = parse_args()
    MEMORY_SESSIONS = tuple(int(n) for n in args.sessions_memory.split(","))
    catch_signals()
    if os.geteuid() != 0:
        sys.exit("smtpd_bench: run as root (Postfix's daemons run as mail_owner postfix)")
    for path in (POSTERN, SMTP_SOURCE, POSTFIX):
        if not os.access(path, os.X_OK):
            sys.exit(f"smtpd_bench: {path} is missing (make; apt-get install postfix)")
    ensure_accounts()
    raise_fd_limit(max(MEMORY_SESSIONS) + 256)

    root = os.path.abspath(args.root)
    lock_fd = lock_run_root(root)
    postern = postfix = None
    errors, commands = [], []
    accept, memory, configs = [], [], {}
    try:
        info = machine_info(root)
        info["reps"] = args.reps
        postern = Postern(os.path.join(root, "postern"))
        postfix = Postfix(os.path.join(root, "postfix"))
        changed = allow_postfix_config_dir(postfix.etc)
        commands.append(f"{POSTFIX_POSTCONF} -c {SYSTEM_POSTFIX_CONFIG} -e "
                        f"'alternate_config_directories = ... {postfix.etc}'"
                        + ("" if changed else "   (already there)"))
        commands.append(f"{POSTERN} -c {postern.etc} start | stop")
        commands.append(f"{POSTFIX} -c {postfix.etc} start | stop")
        commands.append(" ".join(smtp_source_command("PORT", "SESSIONS", "MESSAGES", "SIZE")))
        commands.append(f"  SESSIONS in {RATE_SESSIONS}, SIZE in {RATE_SIZES}, MESSAGES "
                        f"{args.count_1k} (1 KiB) / {args.count_100k} (100 KiB); "
                        f"warm-up runs send a tenth")
        commands.append("  idle sessions: Python sockets (connect, read the 220 banner, hold)")
        counts = {1 * KIB: args.count_1k, 100 * KIB: args.count_100k}

        if not args.skip_accept:
            progress("accept rate")
            for server in (postern, postfix):
                server.configure()
                configs[f"{server.name} main.cf (accept runs)"] = server.main_text
                configs[f"{server.name} master.cf (accept runs)"] = server.master_text
                server.start()
            try:
                accept = measure_accept_rates([postern, postfix], counts, args.reps)
            finally:
                postern.stop()
                postfix.stop()
            errors += [e["error"] for e in accept if "error" in e]

        if not args.skip_memory:
            progress("memory")
            memory = measure_memory(postern, postfix)
            configs["Postern main.cf additions (memory runs)"] = "max_use = 100000\n"
            configs["Postfix master.cf (memory runs, N sessions)"] = (
                postfix.master_cf("N").replace(f"127.0.0.1:{postfix.port}", "127.0.0.1:PORT"))
            errors += [e["error"] for e in memory if "error" in e]

        log_problems = postern.log_problems()
    finally:
        for server in (postern, postfix):
            if server is not None:
                try:
                    server.stop()
                except Exception as e:          # keep cleaning up the rest
                    progress(f"stopping {server.name}: {e}")
        shutil.rmtree(root, ignore_errors=True)
        os.close(lock_fd)

    targets = build_targets(accept, memory)
    report = format_report(info, accept, memory, commands, configs, targets, log_problems, errors)
    print(report, flush=True)
    os.makedirs(os.path.dirname(JSON_OUT), exist_ok=True)
    with open(JSON_OUT, "w") as f:
        json.dump({"machine": info, "accept_rate": accept, "memory": memory,
                   "targets": targets, "commands": commands, "configs": configs,
                   "postern_log_problems": log_problems[:100], "errors": errors,
                   "report": report}, f, indent=2)
        f.write("\n")
    progress(f"wrote {JSON_OUT}")
    return 1 if errors else 0


if __name__ == "__main__":
    bench_common.run_script(main, "smtpd_bench")
