#!/usr/bin/python3
"""Run the benchmark commands and print the figures (called by run.sh).

usage: measure.py NERGRAPH WORK_DIR CORPUS_DIR [LARGE_CORPUS_DIR]

WORK_DIR holds dict-2k/ and dict-200k/ (gen_dicts.py). Settings come from the
environment (see README.md): BENCH_RUNS, BENCH_TIMEOUT, BENCH_LARGE_RUNS.

Every command runs under GNU time -v (peak memory: "Maximum resident set
size"); wall time is taken around it. The commands of one dictionary run in
turn, round after round (alternating), and the medians are printed. A command
that fails or runs past BENCH_TIMEOUT is not run again: its figure is the
failure, or a bound (> timeout).
"""
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

MB = 1000 * 1000


def env_int(name, default):
    v = os.environ.get(name, "")
    return int(v) if v.strip() else default


RUNS = env_int("BENCH_RUNS", 5)
# "threads": only the 1- and 2-thread builds (2k), for work on the thread speed-up
ONLY = os.environ.get("BENCH_ONLY", "")
TIMEOUT = env_int("BENCH_TIMEOUT", 300)
LARGE_RUNS = env_int("BENCH_LARGE_RUNS", 1)
GNU_TIME = "/usr/bin/time"


def say(*a):
    print(*a, flush=True)


def corpus_bytes(d):
    n, files = 0, 0
    for root, _, names in os.walk(d):
        for x in names:
            if not x.startswith("."):
                n += os.path.getsize(os.path.join(root, x))
                files += 1
    return n, files


# rg refuses the 200k list with its default limits ("Compiled regex exceeds
# size limit"); raised, it runs (slowly, in GBs of memory) and the ratio is
# measured, or bounded by the timeout, instead of left out.
RG_LIMITS = ["--regex-size-limit", "16G", "--dfa-size-limit", "16G"]


class Cmd:
    """One benchmarked command and its runs."""

    def __init__(self, key, label, argv, env=None, stdout="null", ok_codes=(0,), before=None,
                 count=None):
        self.key, self.label, self.argv = key, label, argv
        self.env, self.stdout, self.ok_codes = env, stdout, ok_codes
        self.before = before    # called before each run (untimed)
        self.count = count      # parse stdout into a count, or None
        self.times, self.rss, self.cpu = [], [], []
        self.failed = None      # message
        self.timed_out = False
        self.counted = None

    @property
    def done(self):
        return self.failed is not None or self.timed_out

    def run(self, tmp):
        if self.before:
            self.before()
        tf = os.path.join(tmp, "time.txt")
        ef = os.path.join(tmp, "stderr.txt")
        of = os.path.join(tmp, "stdout.txt")
        env = dict(os.environ)
        env.update(self.env or {})
        out = open(os.devnull, "wb") if self.stdout == "null" else open(of, "wb")
        with out, open(ef, "wb") as err:
            t0 = time.perf_counter()
            p = subprocess.Popen([GNU_TIME, "-v", "-o", tf] + self.argv, stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL, env=env, start_new_session=True)
            try:
                p.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)  # time and the command it runs
                p.wait()
                self.timed_out = True
                return f"> {TIMEOUT} s (timed out, stopped)"
            wall = time.perf_counter() - t0
        tv = open(tf, encoding="utf-8", errors="replace").read()
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", tv)
        rss = int(m.group(1)) if m else None
        m = re.search(r"Exit status: (\d+)", tv)
        code = int(m.group(1)) if m else p.returncode
        if "Command terminated by signal" in tv:
            code = -1
        errtext = open(ef, encoding="utf-8", errors="replace").read()
        if code not in self.ok_codes:
            lines = [x for x in errtext.splitlines() if x.strip() and "warning:" not in x]
            self.failed = (lines[-1] if lines else f"exit status {code}").strip()
            self.fail_wall, self.fail_rss, self.fail_code = wall, rss, code
            return f"FAILED (exit {code}) after {wall:.2f} s, peak {fmt_mb(rss)}: {self.failed}"
        self.times.append(wall)
        u = re.search(r"User time \(seconds\): ([\d.]+)", tv)
        sy = re.search(r"System time \(seconds\): ([\d.]+)", tv)
        if u and sy:
            self.cpu.append(float(u.group(1)) + float(sy.group(1)))
        if rss is not None:
            self.rss.append(rss)
        if self.count and self.counted is None:
            self.counted = self.count(of)
        return f"{wall:8.2f} s  peak {fmt_mb(rss)}"

    def median(self):
        return statistics.median(self.times) if self.times else None

    def peak(self):
        return max(self.rss) if self.rss else None


def fmt_mb(kb):
    return "?" if kb is None else f"{kb / 1024:.1f} MiB"


def sum_counts(path):
    """Total of `rg -c` / `grep -c` lines (path:count or count)."""
    total = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            tail = line.rstrip("\n").rsplit(":", 1)[-1]
            if tail.isdigit():
                total += int(tail)
    return total


def count_lines(argv):
    """Run argv once (untimed) and count the lines it prints."""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL)
    n = 0
    for chunk in iter(lambda: p.stdout.read(1 << 20), b""):
        n += chunk.count(b"\n")
    err = p.stderr.read().decode("utf-8", "replace")
    p.wait()
    return n, p.returncode, err


def run_rounds(title, cmds, runs, tmp):
    say(f"\n== {title}: {runs} round(s); each round runs every command once, in turn")
    for r in range(1, runs + 1):
        for c in cmds:
            if c.done:
                continue
            res = c.run(tmp)
            say(f"  round {r}  {c.label:<34} {res}")
        if all(c.done for c in cmds):
            break


def describe(c, nbytes):
    """(time text, cpu text, MB/s text, peak text, note) for the summary."""
    if c.failed is not None:
        return ("FAILED", "-", "-", fmt_mb(c.fail_rss),
                f"after {c.fail_wall:.2f} s: {c.failed}")
    if c.timed_out and not c.times:
        return (f"> {TIMEOUT}", "-", f"< {nbytes / MB / TIMEOUT:.2f}" if nbytes else "-", "?",
                "timed out, stopped")
    med = c.median()
    cpu = f"{statistics.median(c.cpu):.2f}" if c.cpu else "?"
    note = f"{len(c.times)} run(s)"
    if c.timed_out:
        note += f", then a run past {TIMEOUT} s"
    if c.counted is not None:
        note += f"; {c.counted:,} {'mentions' if c.key == 'tag' else 'matching lines'}"
    return (f"{med:.2f}", cpu, f"{nbytes / MB / med:.1f}" if nbytes else "-", fmt_mb(c.peak()), note)


def bound(c):
    """(seconds, kind): kind '=' a median, '>' a lower bound, None no figure."""
    if c.times:
        return c.median(), "="
    if c.timed_out:
        return float(TIMEOUT), ">"
    return None, None


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    ng, work, corpus = sys.argv[1:4]
    large = sys.argv[4] if len(sys.argv) == 5 else None
    nbytes, nfiles = corpus_bytes(corpus)
    tmp = tempfile.mkdtemp(prefix="run-", dir=work)
    empty = os.path.join(tmp, "empty.txt")
    open(empty, "w").close()
    outdir = os.path.join(work, "build-out")
    cutf8 = {"LC_ALL": "C.UTF-8"}  # grep -i folds Cyrillic only in a UTF-8 locale
    # nergraph's compiled-matcher cache (used from 20,000 patterns on): its own
    # directory, filled by the untimed warm-up; start-up is also timed without it
    os.environ["NERGRAPH_CACHE_DIR"] = os.path.join(work, "cache")
    nocache = {"NERGRAPH_CACHE_DIR": ""}

    def clean_out():
        shutil.rmtree(outdir, ignore_errors=True)

    say(f"corpus: {corpus}: {nbytes:,} bytes = {nbytes / MB:.1f} MB in {nfiles} files")
    say(f"runs: {RUNS} per command (median), timeout {TIMEOUT} s per run; 1 MB = 1,000,000 bytes")

    if ONLY not in ("", "threads"):
        sys.exit(f"BENCH_ONLY={ONLY}: the only choice is threads")
    results = {}
    for dname in ("2k",) if ONLY else ("2k", "200k"):
        d = os.path.join(work, "dict-" + dname)
        al = os.path.join(d, "aliases.txt")
        naliases = sum(1 for _ in open(al, encoding="utf-8"))
        say(f"\n== dictionary {dname}: {d} ({naliases:,} aliases)")
        n, code, err = count_lines([ng, "tag", "--dict", d, corpus])
        if code == 0:
            say(f"  warm-up: nergraph tag printed {n:,} mentions")
        else:
            say(f"  warm-up: nergraph tag exited {code}: {err.strip().splitlines()[-1] if err.strip() else ''}")
        cmds = [
            Cmd("tag", "nergraph tag > /dev/null", [ng, "tag", "--dict", d, corpus]),
            Cmd("rg_i", "rg -F -i -c -f aliases.txt", ["rg", "--no-ignore"] + RG_LIMITS + ["-F", "-i", "-c", "-f", al, corpus],
                stdout="file", ok_codes=(0, 1), count=sum_counts),
            Cmd("rg", "rg -F -c -f aliases.txt", ["rg", "--no-ignore"] + RG_LIMITS + ["-F", "-c", "-f", al, corpus],
                stdout="file", ok_codes=(0, 1), count=sum_counts),
            Cmd("grep_i", "grep -F -i -c -r -f aliases.txt", ["grep", "-F", "-i", "-c", "-r", "-f", al, corpus],
                env=cutf8, stdout="file", ok_codes=(0, 1), count=sum_counts),
            Cmd("build", "nergraph build --out DIR", [ng, "build", "--dict", d, "--out", outdir, corpus],
                before=clean_out),
            Cmd("startup", "nergraph tag (empty file)", [ng, "tag", "--dict", d, empty]),
            Cmd("startup_nocache", "nergraph tag (empty file), no cache", [ng, "tag", "--dict", d, empty],
                env=nocache),
        ]
        if dname == "2k":
            # rg searches files on every core; one of its threads is the
            # like-for-like peer of one-threaded tag
            cmds.append(Cmd("rg_i_j1", "rg -j1 -F -i -c -f aliases.txt",
                            ["rg", "-j1", "--no-ignore", "-F", "-i", "-c", "-f", al, corpus],
                            stdout="file", ok_codes=(0, 1), count=sum_counts))
            cmds += [Cmd(f"build{t}", f"nergraph build --threads {t}",
                         [ng, "build", "--threads", str(t), "--dict", d, "--out", outdir, corpus],
                         before=clean_out) for t in (1, 2)]
        cmds[0].counted = n if code == 0 else None
        if ONLY:
            cmds = [c for c in cmds if c.key in ("build1", "build2")]
        run_rounds(f"dictionary {dname}", cmds, RUNS, tmp)
        clean_out()
        results[dname] = {c.key: c for c in cmds}
        results[dname]["_aliases"] = naliases

    large_res = None
    if large:
        lbytes, lfiles = corpus_bytes(large)
        d = os.path.join(work, "dict-2k")
        say(f"\n== large corpus: {large}: {lbytes:,} bytes = {lbytes / MB:.1f} MB in {lfiles} files, dictionary 2k")
        cmds = [
            Cmd("tag", "nergraph tag > /dev/null (large)", [ng, "tag", "--dict", d, large]),
            Cmd("build", "nergraph build --out DIR (large)", [ng, "build", "--dict", d, "--out", outdir, large],
                before=clean_out),
        ]
        run_rounds("large corpus", cmds, LARGE_RUNS, tmp)
        clean_out()
        large_res = ({c.key: c for c in cmds}, lbytes)
    shutil.rmtree(tmp, ignore_errors=True)

    # ---- figures ----------------------------------------------------------
    say("\n== figures (time: median wall seconds; cpu: median user+sys seconds; MB/s from the wall time;")
    say("   peak: largest maximum resident set size of the runs, GNU time -v)")
    say(f"{'dict':<5} {'command':<34} {'time s':>9} {'cpu s':>8} {'MB/s':>8} {'peak':>12}  note")
    if ONLY:
        res = results["2k"]
        for key in ("build1", "build2"):
            t, cpu, rate, peak, note = describe(res[key], nbytes)
            say(f"{'2k':<5} {res[key].label:<34} {t:>9} {cpu:>8} {rate:>8} {peak:>12}  {note}")
        say("\n== target\n" + "  ".join(thread_ratio(res["build1"], res["build2"])))
        return
    for dname, res in results.items():
        for key in ("tag", "rg_i", "rg", "grep_i", "build"):
            c = res[key]
            t, cpu, rate, peak, note = describe(c, nbytes)
            say(f"{dname:<5} {c.label:<34} {t:>9} {cpu:>8} {rate:>8} {peak:>12}  {note}")
        for key in ("rg_i_j1", "build1", "build2"):
            if key in res:
                t, cpu, rate, peak, note = describe(res[key], nbytes)
                say(f"{dname:<5} {res[key].label:<34} {t:>9} {cpu:>8} {rate:>8} {peak:>12}  {note}")
        for key in ("startup", "startup_nocache"):
            c = res[key]
            t, cpu, _, peak, note = describe(c, 0)
            say(f"{dname:<5} {'start-up: ' + c.label:<34} {t:>9} {cpu:>8} {'-':>8} {peak:>12}  {note.split(';')[0]}")
    if large_res:
        lres, lbytes = large_res
        for key in ("tag", "build"):
            c = lres[key]
            t, cpu, rate, peak, note = describe(c, lbytes)
            say(f"{'2k':<5} {c.label:<34} {t:>9} {cpu:>8} {rate:>8} {peak:>12}  {note}")

    # ---- ratios and targets -------------------------------------------------
    rows = []  # (figure, value text, target text, status)

    def speed_ratio(dname, target):
        res = results[dname]
        tag, rg = res["tag"], res["rg_i"]
        name = f"tag speed / rg -F -i speed, {dname} aliases"
        if not tag.times:
            why = "nergraph tag failed: " + short(tag.failed) if tag.failed else "nergraph tag timed out"
            if rg.failed:
                why += "; rg failed too: " + short(rg.failed)
            return (name, f"n/a ({why})", f">= {target}", "NOT met")
        t = tag.median()
        rt, kind = bound(rg)
        if kind is None:
            return (name, f"n/a (rg failed: {rg.failed})", f">= {target}", "not measured")
        ratio = rt / t
        if kind == "=" and len(rg.times) == len(tag.times):
            ratio, spread = paired(rg.times, tag.times)
            val = f"{ratio:.2f} ({spread})"
        else:
            val = f"{ratio:.2f}" if kind == "=" else f"> {ratio:.2f} (rg timed out)"
        return (name, val, f">= {target}", "met" if ratio >= target else ("NOT met" if kind == "=" else "unknown"))

    def build_ratio(dname, target=1.3):
        res = results[dname]
        tag, build = res["tag"], res["build"]
        name = f"build time / tag time, {dname} aliases"
        if not tag.times or not build.times:
            bad = tag if not tag.times else build
            why = short(bad.failed) if bad.failed else "timed out"
            return (name, f"n/a (nergraph {bad.key} failed: {why})", f"<= {target}", "NOT met")
        ratio = build.median() / tag.median()
        return (name, f"{ratio:.2f}", f"<= {target}", "met" if ratio <= target else "NOT met")

    rows.append(speed_ratio("2k", 1.0))
    if "rg_i_j1" in results["2k"] and results["2k"]["tag"].times and results["2k"]["rg_i_j1"].times:
        res = results["2k"]
        rows.append(("tag speed / rg -j1 -F -i speed (rg on one thread), 2k aliases",
                     f"{res['rg_i_j1'].median() / res['tag'].median():.2f}", "-", "-"))
    rows.append(speed_ratio("200k", 3.0))
    rows.append(build_ratio("2k"))
    rows.append(build_ratio("200k"))
    for dname in results:
        for key, what in (("tag", "tag"), ("build", "build")):
            c = results[dname][key]
            if c.times:
                rows.append((f"nergraph {what} throughput, {dname}", f"{nbytes / MB / c.median():.1f} MB/s", "-", "-"))
    for dname in results:
        for key in ("tag", "build"):
            c = results[dname][key]
            val = fmt_mb(c.peak()) if c.rss else (f"{fmt_mb(c.fail_rss)} until it failed" if c.failed else "?")
            rows.append((f"peak memory nergraph {key}, {dname}", val, "-", "-"))
    for key, what in (("startup", "cached matcher"), ("startup_nocache", "no cache")):
        c = results["200k"][key]
        name = f"start-up, 200k aliases (tag, empty file), {what}"
        if c.times:
            rows.append((name, f"{c.median():.2f} s", "< 0.3" if key == "startup" else "-",
                         ("met" if c.median() < 0.3 else "NOT met") if key == "startup" else "-"))
        else:
            why = short(c.failed) if c.failed else "timed out"
            rows.append((name, f"failed after {getattr(c, 'fail_wall', TIMEOUT):.2f} s: {why}", "-", "failed"))
    if large_res:
        lres, lbytes = large_res
        for key in ("tag", "build"):
            small, big = results["2k"][key], lres[key]
            name = f"peak memory {lbytes / MB:.0f} MB / {nbytes / MB:.0f} MB corpus, {key} 2k"
            if small.rss and big.rss:
                r = big.peak() / small.peak()
                rows.append((name, f"{r:.2f} ({fmt_mb(big.peak())} / {fmt_mb(small.peak())})", "<= 1.2",
                             "met" if r <= 1.2 else "NOT met"))
            else:
                rows.append((name, "n/a (a run failed)", "<= 1.2", "NOT met"))
    else:
        for key in ("tag", "build"):
            rows.append((f"peak memory 1 GB / {nbytes / MB:.0f} MB corpus, {key} 2k", "not run (set BENCH_LARGE=1)", "<= 1.2",
                         "not measured"))
    rows.append(thread_ratio(results["2k"]["build1"], results["2k"]["build2"]))

    say("\n== targets")
    w0 = max(len(r[0]) for r in rows)
    w1 = min(max(len(r[1]) for r in rows), 60)
    say(f"{'figure':<{w0}}  {'value':<{w1}}  {'target':<7}  status")
    for r in rows:
        say(f"{r[0]:<{w0}}  {r[1]:<{w1}}  {r[2]:<7}  {r[3]}")


def paired(slow, fast):
    """The median of each round's ratio slow / fast, and its spread. Two
    commands of a round run one after the other, so a machine that slows
    down for a while (a shared host) slows both, where a ratio of medians
    would compare runs from different minutes."""
    ratios = sorted(a / b for a, b in zip(slow, fast))
    r = statistics.median(ratios)
    return r, (f"rounds {ratios[0]:.2f}-{ratios[-1]:.2f}; "
               f"medians {statistics.median(slow) / statistics.median(fast):.2f}")


def thread_ratio(b1, b2, target=1.8):
    """The 2-thread speed-up, paired by round."""
    name = "build speed, 2 threads / 1 thread, 2k"
    if not b1.times or len(b1.times) != len(b2.times):
        return (name, "n/a (a build failed)", f">= {target}", "NOT met")
    r, spread = paired(b1.times, b2.times)
    if len(b2.cpu) == len(b2.times) and b1.cpu:
        # less sensitive to a host whose speed drifts than wall times are:
        # how many of the two cores the 2-thread build kept busy, and what
        # the second thread costs in CPU time
        busy = statistics.median(c / t for c, t in zip(b2.cpu, b2.times))
        spread += (f"; cores busy {busy:.2f} of 2; cpu 2 threads / 1 thread "
                   f"{statistics.median(b2.cpu) / statistics.median(b1.cpu):.2f}")
    return (name, f"{r:.2f} ({spread})", f">= {target}", "met" if r >= target else "NOT met")


def short(msg):
    """An error message without the program name and the parenthesised details."""
    msg = re.sub(r"^[\w.-]+: ", "", msg or "")
    return msg.split(" (")[0]


if __name__ == "__main__":
    main()
