"""Try the bad or unusual inputs of issue 18 as a careless user would; print what each gets.

    .venv/bin/python scripts/probe_bad_inputs.py [--only WORD]

Every case runs in a fresh subprocess (the command lines as typed, the library through
`python -c`), in a temporary folder, with damaged data sets and a faulty HTTP server on
127.0.0.1 made here. A row gives the case, the exit status, a verdict and the last line of
what it printed (stderr first). Verdicts: `refused` (exit != 0, no traceback), `ok` (it
did the right thing), `TRACEBACK`, `TIMEOUT` (killed after 300 s), `WRONG` (ran, but the
result or the folder is not right: the note says why), `LEFT` (files or processes left
behind), `RAW` (a library call failed with another library's exception). Developer-only;
takes a few minutes.
"""

import argparse
import gzip
import hashlib
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
TINY = ["--archs", "mlp", "--rounds", "1", "--epochs", "1", "--source", "mnist-5k"]
IMAGES, LABELS = 0x803, 0x801


def idx(shape, payload, magic):
    header = magic.to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in shape)
    return header + payload


def digits(n, size=28, black=False, label=None):
    """IDX bytes of `n` made-up images and their labels (0..9 unless `label` forces one)."""
    count = n * size * size
    pixels = bytes(count) if black else bytes((i * 7) % 256 for i in range(count))
    labels = bytes((label if label is not None else i % 10) for i in range(n))
    return idx((n, size, size), pixels, IMAGES), idx((n,), labels, LABELS)


def write_set(folder, train=(None, None), test=(None, None), gz=True, n=40):
    """The four MNIST files in `folder`; `train`/`test` give (images, labels) bytes to use."""
    folder.mkdir(parents=True, exist_ok=True)
    good = digits(n)
    for prefix, given in (("train", train), ("t10k", test)):
        for kind, content, default in zip(("images-idx3", "labels-idx1"), given, good):
            name = f"{prefix}-{kind}-ubyte" + (".gz" if gz else "")
            content = default if content is None else content
            if gz and not (isinstance(content, tuple) and content[0] == "raw"):
                content = gzip.compress(content)
            elif isinstance(content, tuple):
                content = content[1]
            (folder / name).write_bytes(content)
    return folder


def run(argv, cwd, env=None, timeout=300):
    """(status, stdout, stderr, peak resident memory in MB) of a subprocess."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        p = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, env=env, text=True,
                             start_new_session=True)  # fmt: skip
        timer = threading.Timer(timeout, os.killpg, (p.pid, signal.SIGKILL))  # workers too
        timer.start()
        _, status, usage = os.wait4(p.pid, 0)
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return p.returncode, out.read(), err.read(), usage.ru_maxrss / 1024


def last_line(out, err):
    for text in (err, out):
        lines = [ln for ln in text.strip().splitlines() if ln.strip() and "it/s]" not in ln]
        lines = [ln for ln in lines if not re.search(r"\d+/\d+ \[", ln)]  # progress bars
        if lines:
            return lines[-1].strip()[:200]
    return ""


def verdict(rc, out, err, expect_error=True):
    if "Traceback" in err:
        return "TRACEBACK"
    if rc < 0:
        return "TIMEOUT"
    if rc == 0:
        return "ok" if not expect_error else "WRONG"
    return "refused" if expect_error else "WRONG"


ROWS = []


def row(case, rc, verdict_, message):
    ROWS.append((case, rc, verdict_, message))
    print(f"{case:<52} {rc!s:>4}  {verdict_:<9} {message}", flush=True)


def cli(case, args, tmp, expect_error=True, module="proj1", check=None, env=None):
    rc, out, err, _ = run([PY, "-m", module, *args], tmp, env=env)
    v = verdict(rc, out, err, expect_error)
    message = last_line(out, err)
    if check is not None and v not in ("TRACEBACK",):
        note = check(rc, out, err)
        if note:
            v, message = note
    row(case, rc, v, message)


# A library call's exception is printed as "Type: message"; it counts as `refused` when it
# was raised by proj1 itself (its innermost frame is in proj1/; for a failed job, its
# cause's), `RAW` when it comes from inside another library (torch, the standard library).
API = """
import sys, traceback
from pathlib import Path
try:
    exec(sys.argv[1])
except Exception as exc:
    cause = exc.__cause__ if type(exc).__name__ == "JobError" else exc  # a job's own error
    frames = traceback.extract_tb(cause.__traceback__)
    ours = bool(frames) and Path(frames[-1].filename).parent.name == "proj1"
    print(("" if ours else "RAW ") + type(exc).__name__ + ": " + str(exc), file=sys.stderr)
    sys.exit(1)
"""


def api(case, code, tmp, expect_error=True, check=None):
    rc, out, err, _ = run([PY, "-c", API, code], tmp)
    v = verdict(rc, out, err, expect_error)
    message = last_line(out, err)
    if message.startswith("RAW "):
        v, message = "RAW", message[4:]
    if check is not None and v not in ("TRACEBACK", "RAW"):
        note = check(rc, out, err)
        if note:
            v, message = note
    row(case, rc, v, message)


# ---------------------------------------------------------------- the command line


def overridden(base, args):
    """`base` (options of one value each) without the options that `args` gives."""
    kept = []
    for option, value in zip(base[::2], base[1::2]):
        if option not in args:
            kept += [option, value]
    return kept


def cli_cases(tmp):
    cases = [
        ("--device tpu", ["--device", "tpu"]),
        ("--device ''", ["--device", ""]),
        ("--device CUDA", ["--device", "CUDA"]),
        ("--device cuda (no GPU here)", ["--device", "cuda"]),
        ("--device cuda:7", ["--device", "cuda:7"]),
        ("--rounds 10**19", ["--rounds", str(10**19)]),
        ("--rounds 10**12", ["--rounds", str(10**12)]),
        ("--rounds 0", ["--rounds", "0"]),
        ("--rounds 2.5", ["--rounds", "2.5"]),
        ("--epochs -1", ["--epochs", "-1"]),
        ("--epochs 10**9", ["--epochs", str(10**9)]),
        ("--seed -1", ["--seed", "-1"]),
        ("--seed 2**64", ["--seed", str(2**64)]),
        ("--seed 2**63 - 1 with 2 rounds", ["--seed", str(2**63 - 1), "--rounds", "2"]),
        ("--archs mlp mlp", ["--archs", "mlp", "mlp"]),
        ("--archs foo", ["--archs", "foo"]),
        ("--jobs 0", ["--jobs", "0"]),
        ("--jobs -1", ["--jobs", "-1"]),
        ("--jobs 64 (more than the cores)", ["--jobs", "64"]),
        ("--threads 0", ["--threads", "0"]),
        ("--threads 999", ["--threads", "999"]),
        ("--source imagenet", ["--source", "imagenet"]),
        ("--source MNIST", ["--source", "MNIST"]),
        ("--data-dir missing (auto)", ["--data-dir", str(tmp / "no-such-folder")]),
        ("--data-dir a file", ["--data-dir", str(Path(__file__))]),
        ("--data-dir ''", ["--data-dir", ""]),
        ("--source mnist, empty --data-dir", ["--source", "mnist", "--data-dir", str(tmp)]),
        ("--out ''", ["--out", ""]),
        ("--resume --force", ["--resume", "--force"]),
        ("--resume --no-save", ["--resume", "--no-save"]),
    ]
    for case, args in cases:
        save = [] if any(a in args for a in ("--out", "--resume")) else ["--no-save"]
        cli(case, [*overridden(TINY, args), *args, *save], tmp)
    cli("--device cpu:0", [*TINY, "--device", "cpu:0", "--no-save"], tmp, expect_error=False)


# ---------------------------------------------------------------- --out


def out_cases(tmp):
    a_file = tmp / "a_file"
    a_file.write_text("not a folder")
    cli("--out an existing file", [*TINY, "--out", str(a_file)], tmp)
    cli("--out /proc/proj1 (cannot be created)", [*TINY, "--out", "/proc/proj1"], tmp)
    cli("--out /proc (not writable)", [*TINY, "--out", "/proc"], tmp)
    folder = tmp / "with_dir"
    (folder / "errors_best.png").mkdir(parents=True)
    cli("--out holding a folder named errors_best.png", [*TINY, "--out", str(folder)], tmp)

    # a symlink named report.md: its target must not be overwritten
    linked = tmp / "linked"
    linked.mkdir()
    target = tmp / "precious.txt"
    target.write_text("precious")
    (linked / "report.md").symlink_to(target)

    def target_kept(rc, out, err):
        if target.read_text() != "precious":
            return "WRONG", "the symlink's target was overwritten"
        return None

    cli("--out with a symlink report.md", [*TINY, "--out", str(linked)], tmp, check=target_kept)
    cli(
        "--out with a symlink report.md, --force",
        [*TINY, "--out", str(linked), "--force"],
        tmp,
        expect_error=False,
        check=target_kept,
    )

    # a second run into the same folder
    same = tmp / "same"
    cli("first run into a folder", [*TINY, "--out", str(same)], tmp, expect_error=False)
    cli("second run into the same --out", [*TINY, "--out", str(same)], tmp)

    def curves_gone(rc, out, err):
        if (same / "curves.png").exists():
            return "WRONG", "curves.png of the first run is still there"
        return None

    cli(
        "--no-curves --force rerun",
        [*TINY, "--no-curves", "--out", str(same), "--force"],
        tmp,
        expect_error=False,
        check=curves_gone,
    )
    cli("--resume with other --epochs", [*TINY[:-4], "--epochs", "2", "--source", "mnist-5k",
        "--no-curves", "--out", str(same), "--resume"], tmp)  # fmt: skip

    def no_cwd_files(rc, out, err):
        stray = sorted(p.name for p in tmp.iterdir() if p.suffix in (".png", ".json", ".md"))
        return ("WRONG", f"wrote into the current folder: {stray}") if stray else None

    cli("--out '' (nothing in the current folder)", [*TINY, "--out", ""], tmp, check=no_cwd_files)


# ---------------------------------------------------------------- interrupts


def session_processes(sid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # zombies are dead already
            found.append(stat.parent.name)
    return found


def records_of(path):
    if not path.exists():
        return []
    lines = path.read_text().splitlines()[1:]
    return [json.loads(line) for line in lines if line.strip()]


def interrupt_case(tmp, signum, group):
    name = signal.Signals(signum).name + (" to the process group" if group else "")
    out = tmp / f"interrupted-{signum}-{group}"
    argv = [PY, "-m", "proj1", "--tables", "best", "--archs", "cnn", "siamese", "--rounds", "3"]
    argv += ["--epochs", "6"]
    argv += ["--source", "mnist-5k", "--jobs", "2", "--no-curves", "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen(argv, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True, env=env)  # fmt: skip
    log = out / "rounds.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline and p.poll() is None:
        if len(records_of(log)) >= 1:
            break
        time.sleep(0.02)
    (os.killpg if group else os.kill)(p.pid, signum)
    sent = time.time()
    try:
        _, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # its workers hold the pipes open
        left = session_processes(p.pid)
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        row(f"{name} mid-run", p.returncode, "LEFT", f"{len(left)} processes alive 60 s later")
        return
    left = []
    for _ in range(100):
        left = session_processes(p.pid)
        if not left:
            break
        time.sleep(0.1)
    kept = records_of(log)
    message = last_line("", err)
    v = verdict(p.returncode, "", err)
    if left:
        v, message = "LEFT", f"{len(left)} processes alive 10 s after the exit; " + message
    elif not kept:
        v, message = "WRONG", "no finished round kept; " + message
    row(f"{name} mid-run ({time.time() - sent:.1f} s to exit)", p.returncode, v, message)
    if kept:
        rc, o, e, _ = run([*argv, "--resume"], tmp)
        done = records_of(log)
        ref_out = tmp / "reference"
        if not ref_out.exists():
            run([*argv[:-1], str(ref_out)], tmp)
        ref = records_of(ref_out / "rounds.jsonl")

        def strip(records):
            key = {(r["arch"], r["seed"]): r for r in records}
            return {k: {x: y for x, y in r.items() if x != "seconds"} for k, r in key.items()}

        same = strip(done) == strip(ref) and len(done) == len(ref) == 6
        v = verdict(rc, o, e, expect_error=False)
        if v == "ok" and not same:
            v = "WRONG"
        note = f"{len(kept)} kept, {len(done)} after --resume, same as uninterrupted: {same}"
        row(f"  --resume after {name}", rc, v, note)


# ---------------------------------------------------------------- tuning


def tuning_cases(tmp):
    for case, args in [
        ("tuning --jobs 0", ["--jobs", "0"]),
        ("tuning --jobs -1", ["--jobs", "-1"]),
        ("tuning --archs foo", ["--archs", "foo"]),
        ("tuning --archs mlp mlp", ["--archs", "mlp", "mlp"]),
        ("tuning --out ''", ["--out", ""]),
    ]:
        cli(case, args, tmp, module="proj1.tuning")


# ---------------------------------------------------------------- data


def damaged_sets(tmp):
    n = 40
    img, lab = digits(n)
    big = 4294967295
    sets = {
        "10-byte image file": dict(train=(img[:10], None)),
        "truncated gz": dict(train=(("raw", gzip.compress(img)[:-30]), None)),
        "labels above 9": dict(train=(None, digits(n, label=12)[1])),
        "27x27 images": dict(train=digits(n, size=27)),
        "counts disagree": dict(test=(None, digits(n - 1)[1])),
        "header claims 4294967295 images": dict(train=(idx((big, 28, 28), img[16:], IMAGES), None)),
        "labels with the images magic": dict(test=(None, IMAGES.to_bytes(4, "big") + lab[4:])),
        "labels file too long": dict(train=(None, lab + b"\0")),
        "image file too long": dict(train=(img + b"\0" * 5, None)),
        "empty labels file": dict(test=(None, b"")),
        "not gzip at all": dict(train=(("raw", b"hello, not gzip"), None)),
        "all-black digits": dict(train=digits(2000, black=True), test=digits(2000, black=True)),
        "one split's labels shorter header": dict(test=(None, lab[:6])),
        "images 28x28x3 header (4-d)": dict(train=((0x804).to_bytes(4, "big") + img[4:], None)),
        "zero images": dict(train=digits(0), test=digits(0)),
        "labels as int16 magic": dict(train=(None, (0x0B01).to_bytes(4, "big") + lab[4:])),
        "test images of the train count": dict(test=(digits(n + 10)[0], None)),
    }
    for case, spec in sets.items():
        folder = write_set(tmp / "damaged" / re.sub(r"\W+", "_", case), **spec)

        def healthy(rc, out, err, case=case):
            line = " | ".join(ln for ln in out.splitlines() if ln.startswith("mnist:"))
            if rc == 0 and "DAMAGED" not in out and case not in ("zero images",):
                return "WRONG", "called healthy: " + line
            return ("ok", line.replace(str(tmp), "")) if line else None

        cli(f"info: {case}", ["info", "--data-dir", str(folder)], tmp, module="proj1.data",
            expect_error=False, check=healthy)  # fmt: skip
    # the gzip bomb: 3 images announced, 2.3 GB of zeros after them, 2.3 MB compressed
    bomb = tmp / "bomb"
    bomb.mkdir()
    with gzip.open(bomb / "train-images-idx3-ubyte.gz", "wb", compresslevel=9) as f:
        f.write(idx((3, 28, 28), img[16 : 16 + 3 * 784], IMAGES))
        zeros = bytes(1 << 24)
        for _ in range(140):
            f.write(zeros)
    write_set(bomb, train=(("raw", (bomb / "train-images-idx3-ubyte.gz").read_bytes()), None), n=3)
    rc, out, err, rss = run([PY, "-m", "proj1.data", "info", "--data-dir", str(bomb)], tmp)
    size = (bomb / "train-images-idx3-ubyte.gz").stat().st_size >> 20
    v = "WRONG" if rss > 1500 else ("ok" if "DAMAGED" in out else "WRONG")
    mnist = [ln for ln in out.splitlines() if ln.startswith("mnist:")] or [last_line(out, err)]
    row(f"info: gzip bomb ({size} MB -> 2.3 GB)", rc, v, f"peak {rss:.0f} MB; {mnist[0][:150]}")
    argv = [PY, "-m", "proj1", *TINY[:6], "--data-dir", str(bomb), "--no-save"]
    rc, out, err, rss = run(argv, tmp)
    v = "WRONG" if rss > 1500 else verdict(rc, out, err)
    row("train on the gzip bomb", rc, v, f"peak {rss:.0f} MB; {last_line(out, err)[:150]}")
    black = tmp / "damaged" / "all_black_digits"
    cli("train on all-black digits", ["--archs", "mlp", "--rounds", "1", "--epochs", "1",
        "--data-dir", str(black), "--out", str(tmp / "black_out")], tmp)  # fmt: skip

    def valid_json(rc, out, err):
        for path in (tmp / "black_out").glob("*.json*"):
            for line in path.read_text().splitlines():
                if "NaN" in line:
                    return "WRONG", f"{path.name} holds a bare NaN"
        return None

    api("results.json after all-black digits", "pass", tmp, expect_error=False, check=valid_json)


# ---------------------------------------------------------------- the library


def api_cases(tmp):
    pre = "import torch; from proj1 import data; from proj1.experiment import run_experiment; "
    for case, code in [
        ("generate_pair_sets(2.0)", "data.generate_pair_sets(2.0)"),
        ("generate_pair_sets(True)", "data.generate_pair_sets(True)"),
        ("generate_pair_sets(0)", "data.generate_pair_sets(0)"),
        ("generate_pair_sets('10')", "data.generate_pair_sets('10')"),
        ("generate_pair_sets(10, source='x')", "data.generate_pair_sets(10, source='x')"),
        ("mnist_to_pairs on 27x27 images",
         "data.mnist_to_pairs(5, torch.zeros(20, 1, 27, 27), torch.zeros(20).long())"),
        ("mnist_to_pairs on 3-channel images",
         "data.mnist_to_pairs(5, torch.zeros(20, 3, 28, 28), torch.zeros(20).long())"),
        ("mnist_to_pairs(2.0, ...)",
         "data.mnist_to_pairs(2.0, torch.zeros(20, 1, 28, 28), torch.zeros(20).long())"),
        ("run_experiment(['mlp', 'mlp'])", "run_experiment(['mlp', 'mlp'], 1, 1, jobs=1)"),
        ("run_experiment(seed=-1)", "run_experiment(['mlp'], 1, 1, seed=-1, jobs=1)"),
        ("run_experiment(seed=2**64)", "run_experiment(['mlp'], 1, 1, seed=2**64, jobs=1)"),
        ("run_experiment(jobs=0)", "run_experiment(['mlp'], 1, 1, jobs=0)"),
        ("run_experiment(device='tpu')", "run_experiment(['mlp'], 1, 1, device='tpu')"),
        ("run_experiment(rounds=2.5)", "run_experiment(['mlp'], 2.5, 1, jobs=1)"),
        ("run_experiment(nb=0)", "run_experiment(['mlp'], 1, 1, nb=0, jobs=1)"),
        ("run_experiment(validation=1000)",
         "run_experiment(['mlp'], 1, 1, validation=1000, jobs=1)"),
        ("run_experiment(archs='mlp')", "run_experiment('mlp', 1, 1, jobs=1)"),
        ("train on zero-variance pairs",
         "from proj1.training import train; from proj1.study import build; "
         "train(build('mlp'), torch.zeros(10, 2, 14, 14), torch.zeros(10).long(), epochs=1)"),
        ("train with lr=1e12 (the loss turns NaN)",
         "from proj1.training import train; from proj1.study import build; "
         "torch.manual_seed(0); x, t, c = data.generate_pair_sets(100)[:3]; "
         "h = train(build('cnn'), x, t, c, epochs=20, lr=1e12); print(h.loss)"),
    ]:  # fmt: skip
        api(case, pre + code, tmp)


# ---------------------------------------------------------------- the downloader


class Faulty(http.server.BaseHTTPRequestHandler):
    """/badlength/: a Content-Length that is no number; /good/: the file; else 404."""

    BODY = b"x" * 5000

    def do_GET(self):
        folder = self.path.strip("/").split("/")[0]
        if folder not in ("badlength", "good", "slow"):
            self.send_error(404)
            return
        self.send_response(200)
        length = "12abc" if folder == "badlength" else str(len(self.BODY))
        self.send_header("Content-Length", length)
        self.end_headers()
        if folder == "slow":
            self.wfile.write(self.BODY[:100])
            self.wfile.flush()
            time.sleep(30)
        self.wfile.write(self.BODY)

    def log_message(self, *args):
        pass


def download_cases(tmp):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Faulty)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    md5 = hashlib.md5(Faulty.BODY).hexdigest()
    pre = f"import sys; from proj1.download import download; r = {{'x.gz': '{md5}'}}; "

    def call(folder, mirrors):
        return pre + f"download({str(folder)!r}, mirrors={mirrors!r}, resources=r, progress=False)"

    api("download: bad Content-Length", call(tmp / "dl1", [url + "badlength/"]), tmp)

    def no_empty_dirs(rc, out, err):
        if (tmp / "dl2").exists():
            return "LEFT", "empty folders left: " + str(sorted(p.name for p in tmp.glob("dl2/**")))
        return None

    api("download: a failure leaves no empty folders", call(tmp / "dl2" / "a" / "b",
        [url + "missing/"]), tmp, check=no_empty_dirs)  # fmt: skip

    def once(rc, out, err):
        mentions = err.count("/proc/")
        if "every mirror failed" in err or err.count(url) > 0 and mentions > 1:
            return "WRONG", "a local write failure tried on every mirror: " + last_line(out, err)
        return None

    api("download: into a folder that cannot be written", call("/proc/proj1-dl",
        [url + "good/", url + "good/"]), tmp, check=once)  # fmt: skip

    # a download killed mid-file, then a new start
    folder = tmp / "dl3"
    p = subprocess.Popen([PY, "-c", call(folder, [url + "slow/"])], cwd=tmp,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    for _ in range(200):
        if list(folder.glob(".x.gz.*")):
            break
        time.sleep(0.05)
    p.kill()
    p.wait()
    hidden = list(folder.glob(".x.gz.*"))

    def temp_removed(rc, out, err):
        left = list(folder.glob(".x.gz.*"))
        if left:
            return "LEFT", f"{len(left)} temporary file(s) of the killed download left"
        return None

    api(f"download: next start after a kill ({len(hidden)} temp file)", call(folder,
        [url + "good/"]), tmp, expect_error=False, check=temp_removed)  # fmt: skip
    cli("data download --mirror URL", ["download", "--data-dir", str(tmp / "dl4"), "--mirror",
        url + "missing/"], tmp, module="proj1.data")  # fmt: skip
    cli("data download --mirror not-a-url", ["download", "--data-dir", str(tmp / "dl5"),
        "--mirror", "not a url"], tmp, module="proj1.data")  # fmt: skip
    cli("data info --data-dir missing", ["info", "--data-dir", str(tmp / "nothing")], tmp,
        module="proj1.data")  # fmt: skip
    httpd.shutdown()


GROUPS = {
    "cli": cli_cases,
    "out": out_cases,
    "interrupt": lambda tmp: [
        interrupt_case(tmp, s, g)
        for s, g in ((signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True))
    ],
    "tuning": tuning_cases,
    "data": damaged_sets,
    "api": api_cases,
    "download": download_cases,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=GROUPS, default=list(GROUPS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only:
            folder = Path(tmp) / name
            folder.mkdir()
            GROUPS[name](folder)
    counts = {}
    for _, _, v, _ in ROWS:
        counts[v] = counts.get(v, 0) + 1
    print("\n" + ", ".join(f"{v}: {n}" for v, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
