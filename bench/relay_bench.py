#!/usr/bin/python3
# NAME
#	relay_bench.py - Postern's relaying through the smtp client against Postfix
# SYNOPSIS
#	/usr/bin/python3 bench/relay_bench.py [--reps N] [--count N] [--root DIR]
#	make bench	(after delivery_bench.py)
# DESCRIPTION
#	Relay throughput: messages per second from the moment smtp-source
#	starts sending 1 KiB messages for relay.test over 10 sessions until
#	the server has logged "status=sent" for every one of them, having
#	passed each to Postfix's smtp-sink on another loopback port
#	(relayhost = [127.0.0.1]:PORT, no DNS). One Postern instance
#	(smtpd, qmgr, smtp) and one Debian Postfix instance (smtpd, cleanup,
#	trivial-rewrite, qmgr, smtp, bounce, postlogd), configured alike,
#	take turns (ABBA); each figure is the median of --reps runs after
#	a warm-up run each. The queue must drain after every run, and the
#	log must show exactly one status=sent line per message.
#
#	Postfix's smtp client keeps connections to a busy destination open
#	(smtp_connection_cache_on_demand); Postern's does not yet, so this
#	measures that difference too.
#
#	Prints a table on stdout and writes JSON to
#	$POSTERN_BUILD/bench/relay.json. Must run as root; needs the same
#	alternate_config_directories entry as the other benchmarks.
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

import bench_common
from bench_common import (BenchError, COMMON_MAIN_CF, DEFAULT_ROOT, JSON_DIR, KIB, POSTERN,
                          POSTFIX, POSTFIX_POSTCONF, SMTP_SOURCE, SYSTEM_POSTFIX_CONFIG,
                          allow_postfix_config_dir, catch_signals, ensure_accounts, free_port,
                          lock_run_root, machine_info, machine_lines, progress,
                          smtp_source_command, wait_for_port)

JSON_OUT = os.path.join(JSON_DIR, "relay.json")
SMTP_SINK = "/usr/sbin/smtp-sink"
SIZE = 1 * KIB
SESSIONS = 10
RUN_TIMEOUT = 180
RATE_TARGET = 1.5               # Postern/Postfix; reported, never a failure
SENT = re.compile(r" to=<[^>]*@relay\.test>, relay=\S+, .*status=sent ")


def relay_main_cf(sink_port):
    return (f"relayhost = [127.0.0.1]:{sink_port}\n"
            "mynetworks = 127.0.0.0/8\n"
            "smtp_helo_name = client.bench.test\n")


class Postern(bench_common.Postern):
    def __init__(self, root, sink_port):
        super().__init__(root)
        self.sink_port = sink_port

    def main_cf(self, extra):
        return (self.instance_main_cf() + COMMON_MAIN_CF + relay_main_cf(self.sink_port)
                + "alias_maps =\n" + extra)

    def master_cf(self, maxproc):
        return (f"127.0.0.1:{self.port} inet n - n - {maxproc} smtpd\n"
                "qmgr unix n - n 300 1 qmgr\n"
                "smtp unix - - n - - smtp\n"
                "relay unix - - n - - smtp\n")


class Postfix(bench_common.Postfix):
    def __init__(self, root, sink_port):
        super().__init__(root)
        self.sink_port = sink_port
        self.maillog = os.path.join(root, "maillog")

    def main_cf(self, extra):
        return (self.instance_main_cf() + f"maillog_file = {self.maillog}\n"
                + COMMON_MAIN_CF + relay_main_cf(self.sink_port)
                + "alias_maps =\nalias_database =\n" + extra)

    def master_cf(self, maxproc):
        return (f"127.0.0.1:{self.port} inet n - n - {maxproc} smtpd\n"
                "cleanup unix n - n - 0 cleanup\n"
                "qmgr unix n - n 300 1 qmgr\n"
                "rewrite unix - - n - - trivial-rewrite\n"
                "bounce unix - - n - 0 bounce\n"
                "defer unix - - n - 0 bounce\n"
                "trace unix - - n - 0 bounce\n"
                "smtp unix - - n - - smtp\n"
                "relay unix - - n - - smtp\n"
                "postlog unix-dgram n - n - 1 postlogd\n")


def relay_run(server, count):
    """One run; its rate. Fails on a message not sent or sent twice."""
    if server.queue_files(include_partial=True):
        raise BenchError(f"{server.name}: queue not empty before a run")
    offset = server.log_size()
    cmd = smtp_source_command(server.port, SESSIONS, count, SIZE, "rcpt@relay.test")
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        while True:
            sent = len(SENT.findall(server.log_since(offset)))
            if sent >= count:
                done = time.monotonic()
                break
            if time.monotonic() - start > RUN_TIMEOUT:
                raise BenchError(f"{server.name}: {sent} of {count} sent after {RUN_TIMEOUT}s "
                                 f"({server.queued()} queued)\n{server.log_tail()}")
            time.sleep(0.02)
        if proc.wait(30) != 0:
            raise BenchError(f"{server.name}: smtp-source exited {proc.returncode}: "
                             f"{proc.stderr.read().decode(errors='replace')[-1000:]}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    deadline = time.monotonic() + 30
    while server.queue_files(include_partial=True) and time.monotonic() < deadline:
        time.sleep(0.05)
    if server.queue_files(include_partial=True):
        raise BenchError(f"{server.name}: queue did not drain\n{server.log_tail()}")
    time.sleep(0.2)
    sent = len(SENT.findall(server.log_since(offset)))
    if sent != count:
        raise BenchError(f"{server.name}: {count} messages, {sent} status=sent lines")
    return count / (done - start)


def parse_args():
    p = argparse.ArgumentParser(description="relay throughput, Postern against Postfix")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--root", default=DEFAULT_ROOT)
    return p.parse_args()


def main():
    args = parse_args()
    catch_signals()
    if os.geteuid() != 0:
        print("relay_bench: SKIPPED: must run as root", flush=True)
        return 0
    for path in (POSTERN, SMTP_SOURCE, SMTP_SINK, POSTFIX):
        if not os.access(path, os.X_OK):
            sys.exit(f"relay_bench: {path} is missing (make; apt-get install postfix)")
    ensure_accounts()
    root = os.path.abspath(args.root)
    lock_fd = lock_run_root(root)
    sink_port = free_port()
    sink = None
    servers = []
    runs = {"Postern": [], "Postfix": []}
    try:
        info = machine_info(root)
        sink = subprocess.Popen([SMTP_SINK, "-u", "nobody", f"127.0.0.1:{sink_port}", "256"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        wait_for_port(sink_port)
        postern = Postern(os.path.join(root, "postern"), sink_port)
        postfix = Postfix(os.path.join(root, "postfix"), sink_port)
        allow_postfix_config_dir(postfix.etc)
        servers = [postern, postfix]
        for server in servers:
            server.configure()
            server.start()
        for server in servers:
            progress(f"  {server.name} warm-up {relay_run(server, max(args.count // 10, 10)):.1f} msg/s")
        for rep in range(args.reps):
            for server in (servers if rep % 2 == 0 else servers[::-1]):
                rate = relay_run(server, args.count)
                runs[server.name].append(rate)
                progress(f"  x{args.count}: {server.name} {rate:.1f} msg/s")
    finally:
        for server in servers:
            try:
                server.stop()
            except BenchError as e:
                progress(f"stopping {server.name}: {e}")
        if sink:
            sink.terminate()
            sink.wait(10)
        os.close(lock_fd)
    med = {name: statistics.median(r) for name, r in runs.items()}
    ratio = med["Postern"] / med["Postfix"]
    lines = ["Postern vs Postfix -- relay rate through the smtp client to smtp-sink, "
             "same machine, same run", ""] + machine_lines(info) + [
        "",
        f"{SESSIONS} sessions, {args.count} x 1 KiB messages, relayhost [127.0.0.1]:{sink_port}; "
        f"median of {args.reps} runs (ABBA) after a warm-up",
        f"  Postern {med['Postern']:8.1f} msg/s   runs {' '.join(f'{r:.0f}' for r in runs['Postern'])}",
        f"  Postfix {med['Postfix']:8.1f} msg/s   runs {' '.join(f'{r:.0f}' for r in runs['Postfix'])}",
        f"  Postern/Postfix {ratio:.2f} (target {RATE_TARGET})",
    ]
    print("\n".join(lines), flush=True)
    os.makedirs(JSON_DIR, exist_ok=True)
    with open(JSON_OUT, "w") as f:
        json.dump({"machine": info, "runs": runs, "median": med, "ratio": ratio,
                   "sessions": SESSIONS, "messages": args.count, "size": SIZE,
                   "commands": [f"{POSTFIX_POSTCONF} -c {SYSTEM_POSTFIX_CONFIG} -e "
                                f"alternate_config_directories=...",
                                " ".join(smtp_source_command(0, SESSIONS, args.count, SIZE,
                                                             "rcpt@relay.test"))]},
                  f, indent=1)
    return 0


if __name__ == "__main__":
    bench_common.run_script(main, "relay_bench")
