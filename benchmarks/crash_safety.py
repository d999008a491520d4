"""Crash safety of the chat: kill -9 a real `icpchat --session crash` at random moments and
check that nothing the founder sent or typed is lost.

For each kill point, in a fresh ICPCHAT_HOME (and HOME) under a temporary folder, the chat
runs in tmux at 80x24. The script types 1-8 realistic answers (``send-keys -l`` then Enter,
lists one item per line with Ctrl+J), in one of five endings, spread evenly:

  sent      the last answer is sent and the process is killed 0-1000 ms later
  unsent    text is typed but not sent; killed 0-2500 ms after the last key
  nav       /back, /skip or /edit FIELD, then (clear the prefilled input and) an answer,
            unsent text or nothing; killed 0-1000 ms (unsent: 0-2500 ms) later
  aside     /why or /ask ...; killed while it is answered, or an answer follows 0-600 ms
            later and the kill 0-1000 ms after that
  random    the answers are typed at a human-ish pace and a timer kills the process at a
            random moment (mid-typing, mid-save, between messages)

Then it checks, before anything reopens the session:
  - every JSON file under ICPCHAT_HOME parses; the session file validates as a session
    (icpchat's own loader) and `icpchat sessions show crash` exits 0;
  - every message whose Enter was pressed >= 300 ms before the kill is in the session's
    ``state.typed`` (in order); messages sent < 300 ms before the kill are "in flight": they
    may be missing, and whether they survived is counted apart;
  - unsent text whose last key was > 1 s before the kill is in the draft sidecar
    ``crash.draft``; with an empty input for > 1 s there must be no draft (else "stale");
and then reopens the chat in tmux: the first screen must show a question ("question N of M")
or "Welcome back", the input must show the draft, Ctrl+Q (twice with a draft) must exit 0,
and the saved messages must be the same after that sitting.

Run: python benchmarks/crash_safety.py [--points 40] [--seed N] [--head]
Writes benchmarks/crash_safety.txt; kill points that failed a check keep their folder (with
a timeline.json) and the path is printed. --head runs a frozen copy of HEAD (git archive), so
files others edit in the working tree meanwhile cannot break the run. Needs tmux; 10-15 s per
kill point on 2 cores (Ctrl+Q right after reopening waits for the first guidance search).
Every figure depends on the machine's load: it is printed with the results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SESSION = "crash"
WIDTH, HEIGHT = 80, 24
IN_FLIGHT = 0.300
"""A message sent less than this before the kill may legitimately be missing."""
DRAFT_SETTLED = 1.0
"""Unsent text whose last key is older than this must be in the draft (the chat saves after 0.5 s)."""
READY = re.compile(r"question \d+ of \d+|Welcome back|here is where you stopped|interview is complete")
SCENARIOS = ("sent", "unsent", "nav", "aside", "random")
QUIT_LIMIT = 20.0
"""Seconds Ctrl+Q may take to end the reopened chat (it waits for a guidance lookup in progress)."""

# Realistic answers in the order of the standard interview (business, then the first ICP);
# a list is typed one item per line (Ctrl+J). Two or three variants per question.
ANSWERS: list[list[str | list[str]]] = [
    ["Ledgerly", "Harbor Health (product: CareLoop)", "Kaffeerösterei Nord"],
    [
        "Accounts-payable automation for mid-sized companies: we read supplier invoices, match them to purchase "
        "orders and schedule the payments.",
        "A booking and payments tool that independent physiotherapy clinics use to run their front desk.",
        "Software that reconciles Stripe payouts with the general ledger every night",
    ],
    ["b2b", "companies", "B2B SaaS"],
    [
        "Finance teams at companies with 200+ suppliers spend 3-4 days every month keying invoices by hand.",
        "Small physio clinics lose about 15% of appointments to no-shows because nobody sends reminders.",
        "Controllers at e-commerce brands spend two days a month matching payouts to orders",
    ],
    ["10-99", "1-9", "100+"],
    ["Mid-market SaaS finance teams", "Independent physio clinics in the UK", "DACH e-commerce brands on Shopify"],
    [["B2B SaaS", "Fintech"], ["Dental clinics", "Physiotherapy practices"], "E-commerce; Direct-to-consumer brands"],
    ["50-250", "10-50 Mitarbeiter", "100 to 500 employees"],
    ["€5M-€50M", "$1M-$10M", "5 to 20 Mio. €"],
    [["Germany", "Austria", "Switzerland (Zürich)"], "United States; Canada", ["Greater London", "Manchester"]],
    [
        "Excel plus a part-time bookkeeper; a few use Bill.com but find it too rigid",
        "Paper appointment book and a lot of phone calls",
        "A shared spreadsheet that the controller updates on Fridays",
    ],
    [
        ["Month-end close takes 10+ days", "Invoices keyed in by hand", "Missed early-payment discounts"],
        ["No-shows leave 15% of slots empty", "Front desk spends hours on the phone"],
    ],
    [["Close the books in 5 days", "Grow without adding finance headcount"], "Fill every cancelled slot"],
    ["Raised a Series B; Hired a new CFO", "Receptionist quit; Opened a second location"],
    ["About $18k a year, range $8k-$40k, paid from the finance operations budget", "$120 a month per clinic"],
]
UNSENT: list[str | list[str]] = [
    "We also resell through accounting firms that",
    "Mostly Germany, but a few customers in",
    "Honestly it depends on the quarter, some",
    "CFO (signs off); AP manager",
    ["Head of Finance", "AP clerk"],
    "Rough guess: 40 of our 60 accounts are SaaS",
]
ASKS = [
    "/ask how is an ICP different from a buyer persona?",
    "/ask how narrow should the company size range be?",
    "/ask what makes a good disqualifier?",
]
EDITS = ["/edit business.name", "/edit business.offering", "/edit business.model"]


def now() -> float:
    return time.monotonic()


def as_text(answer: str | list[str]) -> str:
    return answer if isinstance(answer, str) else "\n".join(answer)


def is_command(text: str) -> bool:
    return text.startswith("/")


# -- tmux -------------------------------------------------------------------------------------


class Tmux:
    """One private tmux server (its own socket), so nobody else's sessions are touched."""

    def __init__(self) -> None:
        self.socket = f"icpchat-crash-{uuid.uuid4().hex[:8]}"

    def __call__(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def start(self, name: str, command: str) -> None:
        if not self.alive("keepalive"):  # a server with no session exits, racing the next start
            self("new-session", "-d", "-s", "keepalive", "sleep 86400", check=True)
        self("new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT), command, check=True)

    def screen(self, name: str) -> str:
        return self("capture-pane", "-p", "-t", name).stdout

    def alive(self, name: str) -> bool:
        return self("has-session", "-t", name).returncode == 0

    def pane_pid(self, name: str) -> int | None:
        out = self("list-panes", "-t", name, "-F", "#{pane_pid}").stdout.split()
        return int(out[0]) if out else None

    def close(self) -> None:
        self("kill-server")


def literal(text: str) -> list[str]:
    """send-keys arguments that type ``text`` as is: '--' so a leading '-' is not an option,
    and a trailing ';' escaped, which tmux would otherwise take as a command separator."""
    return ["-l", "--", text[:-1] + "\\;" if text.endswith(";") else text]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def icpchat_pid(tmux: Tmux, name: str) -> int | None:
    """The python process running icpchat: the pane's process itself or one of its children."""
    pane = tmux.pane_pid(name)
    if pane is None:
        return None
    if "icpchat" in cmdline(pane) and "sh -c" not in cmdline(pane):
        return pane
    children = subprocess.run(["pgrep", "-P", str(pane)], capture_output=True, text=True).stdout.split()
    for child in children:
        if "icpchat" in cmdline(int(child)):
            return int(child)
    return None


def pid_gone(pid: int, timeout: float) -> bool:
    end = now() + timeout
    while now() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.02)
    return False


def compact(text: str) -> str:
    """Text without white space or the transcript's bars, so wrapped lines compare equal."""
    return re.sub(r"[\s▎▌▊]", "", text)


def question_texts(session_file: Path) -> list[str]:
    """Pieces of the question the saved session stands at (prompt, help, example, probe), as
    the reopened chat should show them; [] when it is not a plain question (a gate, the end)."""
    from icpchat.engine.interview import Interview
    from icpchat.questions.loader import load_catalog
    from icpchat.store.sessions import load_session_file

    interview = Interview(load_catalog(), load_session_file(session_file).state)
    slot = interview.current()
    question = interview.question_of(slot) if slot is not None else None
    if question is None:
        return []
    pieces = [question.prompt, question.help[:60], *(e[:40] for e in question.examples[:1])]
    if question.followup:
        pieces.append(question.followup[:60])
    return [compact(p) for p in pieces if p]


def wait_ready(
    tmux: Tmux, name: str, rc_file: Path, timeout: float = 25.0, expect: list[str] | None = None
) -> tuple[float | None, str]:
    """Seconds until the chat shows a question (or "Welcome back") and its footer; None and
    the screen (an error's traceback, say) when it does not."""
    start = now()
    screen = ""
    while now() - start < timeout:
        screen = tmux.screen(name)
        flat = compact(screen)
        known = READY.search(screen) or any(piece in flat for piece in expect or [])
        if known and "Quit" in screen:
            return now() - start, screen
        if rc_file.exists():
            time.sleep(0.3)
            rc = rc_file.read_text().strip()
            return None, f"the chat exited with {rc} before showing a question:\n" + tmux.screen(name)
        if not tmux.alive(name):
            break
        time.sleep(0.05)
    return None, screen


def input_box(screen: str) -> list[str]:
    """The lines inside the chat input's box (between its ▔ and ▁ borders)."""
    lines = screen.splitlines()
    top = next((i for i, line in enumerate(lines) if line.startswith("▊▔")), None)
    if top is None:
        return []
    out = []
    for line in lines[top + 1 :]:
        if line.startswith("▊▁"):
            break
        out.append(line.removeprefix("▊").rstrip().removesuffix("▎").strip())
    return out


# -- one kill point ---------------------------------------------------------------------------


@dataclass
class Sent:
    text: str
    t_enter: float
    wall: float
    """time.time() right after Enter was delivered (for the Enter -> recorded latency)."""
    before_kill: float = 0.0
    present: bool = False
    exact: bool = True
    recorded_after_ms: float | None = None

    @property
    def command(self) -> bool:
        return is_command(self.text)


@dataclass
class Point:
    index: int
    scenario: str
    seed: int
    detail: str = ""
    answers_planned: int = 0
    sent: list[Sent] = field(default_factory=list)
    log: list[tuple[float, str]] = field(default_factory=list)
    start_s: float | None = None
    kill_t: float | None = None
    kill_note: str = ""
    input_text: str = ""
    input_known: bool = True
    t_input: float = 0.0
    draft_expect: str = ""  # typed | typed_in_flight | empty | empty_in_flight | unknown
    draft_file: str | None = None
    draft_restored_file: bool | None = None
    draft_on_screen: bool | None = None
    stale_draft: bool = False
    json_files: int = 0
    corrupt: list[str] = field(default_factory=list)
    temp_files: list[str] = field(default_factory=list)
    temp_typed: list[str] = field(default_factory=list)
    """Messages in leftover temp files of the session: written, fsync or rename not reached."""
    damaged_index: int = 0
    session_loads: bool = False
    show_exit: int | None = None
    typed_saved: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    reopen_s: float | None = None
    reopen_exit: int | None = None
    reopen_ok: bool = False
    next_question_shown: bool | None = None
    quit_s: float | None = None
    load: float = 0.0
    """The 1-minute load average at the kill (other work on the machine slows every save)."""
    reopen_note: str = ""
    reopen_changed: bool = False
    replayed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


class Driver:
    """Types into the chat like a founder; a kill (from a timer or the script) stops it."""

    def __init__(self, tmux: Tmux, target: str, pid: int, point: Point, rng: random.Random) -> None:
        self.tmux, self.target, self.pid, self.point, self.rng = tmux, target, pid, point, rng
        self.lock = threading.Lock()
        self.t0 = now()

    @property
    def killed(self) -> bool:
        return self.point.kill_t is not None

    def note(self, what: str) -> None:
        self.point.log.append((round(now() - self.t0, 3), what))

    def _keys(self, *args: str) -> bool:
        with self.lock:
            if self.killed:
                return False
            self.tmux("send-keys", "-t", self.target, *args)
            return True

    def type(self, text: str, *, chunked: bool = True) -> bool:
        """Type text (new lines with Ctrl+J), a few characters at a time like a fast typist."""
        for n, line in enumerate(text.split("\n")):
            if n and not self._press_newline():
                return False
            pieces = [line]
            if chunked and len(line) > 12:
                cuts = sorted(self.rng.sample(range(1, len(line)), k=min(3, len(line) // 12)))
                pieces = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
            for piece in pieces:
                with self.lock:
                    if self.killed:
                        return False
                    self.tmux("send-keys", "-t", self.target, *literal(piece))
                    self.point.input_text += piece
                    self.point.t_input = now()
                if chunked:
                    time.sleep(self.rng.uniform(0.02, 0.09))
        self.note(f"typed {text!r}")
        return True

    def _press_newline(self) -> bool:
        with self.lock:
            if self.killed:
                return False
            self.tmux("send-keys", "-t", self.target, "C-j")
            self.point.input_text += "\n"
            self.point.t_input = now()
            return True

    def clear(self) -> bool:
        """Select all (F7) and delete: the input may hold an answer put back by /back or /edit."""
        with self.lock:
            if self.killed:
                return False
            self.tmux("send-keys", "-t", self.target, "F7")
        time.sleep(0.04)
        with self.lock:
            if self.killed:
                return False
            self.tmux("send-keys", "-t", self.target, "BSpace")
            self.point.input_text, self.point.input_known, self.point.t_input = "", True, now()
        time.sleep(0.03)
        self.note("cleared the input (F7, Backspace)")
        return True

    def enter(self) -> bool:
        with self.lock:
            if self.killed:
                return False
            self.tmux("send-keys", "-t", self.target, "Enter")
            t, wall = now(), time.time()
            text = self.point.input_text
            self.point.sent.append(Sent(text, t, wall))
            self.point.input_text, self.point.t_input = "", t
            if text.strip() in ("/back",) or text.startswith("/edit"):
                self.point.input_known = False  # the chat may put the answer back in the input
            self.note(f"Enter -> {text!r}")
            return True

    def send(self, text: str) -> bool:
        return self.type(text) and self.enter()

    def kill(self, why: str) -> None:
        with self.lock:
            if self.killed:
                return
            os.kill(self.pid, signal.SIGKILL)
            self.point.kill_t = now()
            self.point.load = os.getloadavg()[0]
            self.point.kill_note = why
            self.point.log.append((round(self.point.kill_t - self.t0, 3), f"kill -9 ({why})"))

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))


class Founder:
    """Where the interview probably is, to pick a fitting answer (approximate: probes may shift it)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pos = 0
        self.return_to: int | None = None

    def answer(self) -> str:
        options = ANSWERS[min(self.pos, len(ANSWERS) - 1)]
        text = as_text(self.rng.choice(options))
        if self.return_to is not None:
            self.pos, self.return_to = self.return_to, None
        else:
            self.pos += 1
        return text

    def back(self) -> None:
        self.pos = max(0, self.pos - 1)

    def skip(self) -> None:
        self.pos += 1

    def edit(self, command: str) -> None:
        self.return_to = self.pos
        self.pos = EDITS.index(command) if command in EDITS else 0


def gap(rng: random.Random) -> float:
    """Pause between a reply and the founder's next message: mostly human, sometimes rapid fire."""
    return rng.uniform(0.0, 0.12) if rng.random() < 0.25 else rng.uniform(0.25, 1.3)


def play(point: Point, driver: Driver, rng: random.Random) -> None:
    founder = Founder(rng)
    n = point.answers_planned
    scenario = point.scenario
    lead = n - 1 if scenario in ("sent", "nav", "aside") else n
    if scenario == "random":
        planned = sum(0.8 + len(ANSWERS[min(i, len(ANSWERS) - 1)][0]) * 0.01 for i in range(n)) + 0.8
        delay = rng.uniform(0.15, planned)
        point.detail = f"timer {delay * 1000:.0f} ms after the first key"
        threading.Timer(delay, driver.kill, args=("random moment",)).start()
    for _ in range(lead):
        if not driver.send(founder.answer()):
            return
        driver.sleep(gap(rng))
    if scenario == "random":
        if rng.random() < 0.5:  # sometimes leaves unsent text in the input too
            driver.type(as_text(rng.choice(UNSENT)))
        end = now() + 3.0
        while not driver.killed and now() < end:  # the timer fires meanwhile
            time.sleep(0.02)
        driver.kill("random moment (late)")
        return
    if scenario == "sent":
        driver.send(founder.answer())
        wait = rng.uniform(0.0, 1.0)
        point.detail = f"kill {wait * 1000:.0f} ms after the last Enter"
        driver.sleep(wait)
        driver.kill("after sending")
    elif scenario == "unsent":
        driver.type(as_text(rng.choice(UNSENT)))
        wait = rng.uniform(0.0, 2.5)
        point.detail = f"kill {wait * 1000:.0f} ms after the last key"
        driver.sleep(wait)
        driver.kill("with unsent text")
    elif scenario == "nav":
        nav = rng.choice(["/back", "/skip", rng.choice(EDITS)])
        driver.send(nav)
        if nav == "/back":
            founder.back()
        elif nav == "/skip":
            founder.skip()
        else:
            founder.edit(nav)
        then = rng.choice(["answer", "unsent", "nothing"])
        pause = rng.uniform(0.0, 1.2)
        driver.sleep(pause)
        if then == "answer":
            driver.clear() and driver.send(founder.answer())
            wait = rng.uniform(0.0, 1.0)
        elif then == "unsent":
            driver.clear() and driver.type(as_text(rng.choice(UNSENT)))
            wait = rng.uniform(0.0, 2.5)
        else:
            wait = rng.uniform(0.0, 1.0)
        point.detail = f"{nav}, {pause * 1000:.0f} ms, then {then}; kill {wait * 1000:.0f} ms later"
        driver.sleep(wait)
        driver.kill(f"after {nav} + {then}")
    elif scenario == "aside":
        aside = rng.choice(["/why", rng.choice(ASKS)])
        driver.send(aside)
        if rng.random() < 0.5:
            wait = rng.uniform(0.0, 1.0)
            point.detail = f"{aside.split()[0]}; kill {wait * 1000:.0f} ms later"
        else:
            pause = rng.uniform(0.0, 0.6)
            driver.sleep(pause)
            driver.send(founder.answer())
            wait = rng.uniform(0.0, 1.0)
            point.detail = f"{aside.split()[0]}, answer {pause * 1000:.0f} ms later; kill {wait * 1000:.0f} ms after it"
        driver.sleep(wait)
        driver.kill(f"during {aside.split()[0]}")


PASSED = ("HOME", "ICPCHAT_HOME", "LANG", "LC_ALL", "PYTHONPATH")
PYTHONPATH = ""
"""Set by --head: the frozen copy of the code the chat runs from."""


def child_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICPCHAT_", "OPENAI_", "TMUX"))}
    env.update(HOME=str(root / "home"), ICPCHAT_HOME=str(root / "icpchat"), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env["PYTHONPATH"] = PYTHONPATH
    return env


def chat_command(exe: list[str], env: dict[str, str], rc_file: Path) -> str:
    assigns = " ".join(f"{k}={shlex.quote(env[k])}" for k in PASSED if env.get(k))
    chat = " ".join(shlex.quote(part) for part in [*exe, "--session", SESSION])
    rc = shlex.quote(str(rc_file))
    # sh stays as the pane's process and icpchat is its child (the pid we kill). When the chat
    # ends with an error, the pane stays a while so its traceback can be read off the screen.
    script = f"env -u OPENAI_API_KEY {assigns} {chat}; rc=$?; echo $rc > {rc}; [ $rc = 0 ] || [ $rc = 137 ] || sleep 60"
    return f"sh -c {shlex.quote(script)}"


def check_files(point: Point, home: Path) -> None:
    """Every JSON file parses; the session validates; leftover temp files and damaged indexes noted."""
    for path in sorted(home.rglob("*")):
        if path.is_file() and path.suffix == ".json":
            point.json_files += 1
            try:
                json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                point.corrupt.append(f"{path.relative_to(home)}: {exc}")
        if path.is_file() and path.name.startswith(".") and path.name.endswith(".tmp"):
            point.temp_files.append(str(path.relative_to(home)))
            try:  # a save the kill cut between writing the temp file and renaming it
                state = json.loads(path.read_text(encoding="utf-8")).get("state", {})
                point.temp_typed += [m.get("text") for m in state.get("typed", [])]
            except (OSError, UnicodeDecodeError, ValueError, AttributeError):
                pass
    point.damaged_index = sum(1 for p in home.rglob("chroma.damaged-*"))


NOT_REPLAYED = ("/why", "/ask", "/help", "/review", "/export", "/quit", "/exit")


def load_journal(session_file: Path, typed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages of the sent-but-not-handled journal (``<session>.pending``, written at
    Enter) that the session does not hold yet: on disk, so not lost; the next sitting handles
    them (asides and /quit excepted)."""
    path = session_file.with_suffix(".pending")
    if not path.exists():
        return []
    seen = {t.get("at") and datetime.fromisoformat(t["at"].replace("Z", "+00:00")) for t in typed}
    out = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        if datetime.fromisoformat(item["at"]) not in seen:
            out.append({"text": item["text"], "at": item["at"], "journal": True})
    return out


def load_typed(session_file: Path) -> list[dict[str, Any]]:
    from icpchat.store.sessions import load_session_file

    session = load_session_file(session_file)
    return [m.model_dump(mode="json") for m in session.state.typed]


def match_sent(point: Point, typed: list[dict[str, Any]]) -> None:
    """Each sent message, in order, against the saved ones (a later one cannot pass an earlier one)."""
    j = 0
    used = set()
    for sent in point.sent:
        for k in range(j, len(typed)):
            text = typed[k]["text"]
            if text == sent.text or (sent.text and text.endswith(sent.text)):
                sent.present, sent.exact = True, text == sent.text
                if typed[k].get("at"):
                    at = datetime.fromisoformat(typed[k]["at"].replace("Z", "+00:00")).timestamp()
                    sent.recorded_after_ms = (at - sent.wall) * 1000
                used.add(k)
                j = k + 1
                break
    point.unexpected = [t["text"] for k, t in enumerate(typed) if k not in used]


def classify_draft(point: Point) -> None:
    assert point.kill_t is not None
    age = point.kill_t - point.t_input
    if not point.input_known:
        point.draft_expect = "unknown"
    elif point.input_text.strip():
        point.draft_expect = "typed" if age > DRAFT_SETTLED else "typed_in_flight"
    else:
        point.draft_expect = "empty" if age > DRAFT_SETTLED else "empty_in_flight"


def reopen(point: Point, tmux: Tmux, exe: list[str], env: dict[str, str], root: Path, session_file: Path) -> None:
    rc_file = root / "rc-reopen"
    name = f"r{point.index}"
    try:
        expect = question_texts(session_file)
    except Exception as exc:
        expect = []
        point.reopen_note += f"cannot tell the next question: {exc}; "
    tmux.start(name, chat_command(exe, env, rc_file))
    point.reopen_s, screen = wait_ready(tmux, name, rc_file, expect=expect)
    if point.reopen_s is None:
        point.reopen_note += "no question or 'Welcome back' within 25 s; screen:\n" + screen
        tmux("kill-session", "-t", name)
        return
    time.sleep(0.3)  # the draft is loaded on mount; let the opening settle
    screen = tmux.screen(name)
    flat = compact(screen)
    point.next_question_shown = not expect or any(piece in flat for piece in expect)
    if not point.next_question_shown:
        point.reopen_note += "the first screen does not show the question the session stands at:\n" + screen
    box = input_box(screen)
    if point.draft_file is not None:
        placeholder = bool(box) and box[0].startswith("Type here.")
        # soft wrap may split a long line: compare without white space
        point.draft_on_screen = not placeholder and compact("".join(box)) == compact(point.draft_file)
        if not point.draft_on_screen:
            point.reopen_note += f"input box shows {box!r}, draft file holds {point.draft_file!r}; "
    pressed = now()
    tmux("send-keys", "-t", name, "C-q")
    if point.draft_file is not None and point.draft_file.strip():
        time.sleep(0.5)  # with unsent text the first Ctrl+Q only warns (and keeps it as the draft)
        tmux("send-keys", "-t", name, "C-q")
    while now() - pressed < QUIT_LIMIT and not rc_file.exists():
        time.sleep(0.05)
    if rc_file.exists():
        point.quit_s = now() - pressed
        time.sleep(0.05)
        text = rc_file.read_text().strip()
        point.reopen_exit = int(text) if text.lstrip("-").isdigit() else None
        if point.reopen_exit != 0:
            time.sleep(0.3)
            point.reopen_note += "Ctrl+Q ended the chat with an error:\n" + tmux.screen(name)
    else:
        point.reopen_note += f"Ctrl+Q did not end the chat within {QUIT_LIMIT:.0f} s; screen:\n" + tmux.screen(name)
        pid = icpchat_pid(tmux, name)
        if pid:
            os.kill(pid, signal.SIGKILL)
    tmux("kill-session", "-t", name)
    try:
        # The reopening adds exactly the journal's messages (handled now), nothing else.
        point.reopen_changed = [t["text"] for t in load_typed(session_file)] != point.typed_saved + point.replayed
    except Exception as exc:
        point.reopen_changed = True
        point.reopen_note += f"session unreadable after the reopening: {exc}; "
    point.reopen_ok = point.reopen_exit == 0 and not point.reopen_changed and bool(point.next_question_shown)


def run_point(point: Point, tmux: Tmux, exe: list[str], base: Path) -> Path:
    rng = random.Random(point.seed)
    root = base / f"point-{point.index:03d}-{point.scenario}"
    (root / "home").mkdir(parents=True)
    env = child_env(root)
    home = Path(env["ICPCHAT_HOME"])
    session_file = home / "data" / "sessions" / f"{SESSION}.json"
    name = f"p{point.index}"
    tmux.start(name, chat_command(exe, env, root / "rc-first"))
    point.start_s, screen = wait_ready(tmux, name, root / "rc-first")
    pid = icpchat_pid(tmux, name)
    if point.start_s is None or pid is None:
        point.failures.append("the chat did not start: " + screen.strip())
        tmux("kill-session", "-t", name)
        return root
    driver = Driver(tmux, name, pid, point, rng)
    play(point, driver, rng)
    if not pid_gone(pid, 5.0):
        point.failures.append(f"pid {pid} still alive 5 s after kill -9")
    tmux("kill-session", "-t", name)
    assert point.kill_t is not None
    for sent in point.sent:
        sent.before_kill = point.kill_t - sent.t_enter
    classify_draft(point)

    # -- what is on disk, before anything reopens it --
    draft_path = session_file.with_suffix(".draft")
    point.draft_file = draft_path.read_text(encoding="utf-8") if draft_path.exists() else None
    check_files(point, home)
    try:
        typed = load_typed(session_file)
        point.session_loads = True
    except Exception as exc:
        typed = []
        point.failures.append(f"the session does not load: {exc}")
    journal = load_journal(session_file, typed) if point.session_loads else []
    point.typed_saved = [t["text"] for t in typed]
    point.replayed = [t["text"] for t in journal if not t["text"].lower().startswith(NOT_REPLAYED)]
    typed = typed + journal
    # `sessions show` takes no lock: it runs while the chat reopens, to save a second per point
    shown = subprocess.Popen(
        [*exe, "sessions", "show", SESSION], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    match_sent(point, typed)
    if point.draft_expect.startswith("typed"):
        point.draft_restored_file = point.draft_file == point.input_text
    elif point.draft_expect.startswith("empty"):
        point.stale_draft = bool(point.draft_file and point.draft_file.strip())

    reopen(point, tmux, exe, env, root, session_file)
    _, stderr = shown.communicate(timeout=120)
    point.show_exit = shown.returncode
    if shown.returncode != 0:
        point.failures.append(f"icpchat sessions show exit {shown.returncode}: {stderr.strip()[-600:]}")
    judge(point)
    return root


def judge(point: Point) -> None:
    f = point.failures
    for n, sent in enumerate(point.sent):
        if not sent.present and sent.before_kill >= IN_FLIGHT:
            behind = ""
            if n:
                prev = point.sent[n - 1]
                behind = f" (queued behind {prev.text!r}, sent {(sent.t_enter - prev.t_enter) * 1000:.0f} ms before it)"
            where = (
                "written to a temp file, the kill came before its rename (inside the save)"
                if sent.text in point.temp_typed
                else "not written anywhere yet (still waiting its turn)"
            )
            f.append(
                f"LOST: {sent.text!r} sent {sent.before_kill * 1000:.0f} ms before the kill{behind}; {where}; "
                f"load average {point.load:.1f}"
            )
        if sent.present and not sent.exact:
            f.append(f"saved with extra text in front: {sent.text!r}")
    if point.unexpected:
        f.append(f"saved messages nobody sent: {point.unexpected!r}")
    if point.corrupt:
        f.append(f"corrupt JSON: {point.corrupt}")
    if not point.session_loads:
        f.append("the session file does not load")
    if point.draft_expect == "typed" and not point.draft_restored_file:
        f.append(f"draft not kept: typed {point.input_text!r}, file holds {point.draft_file!r}")
    if point.draft_expect == "typed" and point.draft_restored_file and not point.draft_on_screen:
        f.append("draft file right but not shown in the input on reopening")
    if point.draft_expect == "empty" and point.stale_draft:
        f.append(f"stale draft: the input was empty but the draft file holds {point.draft_file!r}")
    if not point.reopen_ok:
        f.append(f"reopening failed: exit {point.reopen_exit}, changed={point.reopen_changed}; {point.reopen_note}")


# -- the report -------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def tally(points: list[Point]) -> dict[str, Any]:
    t: dict[str, Any] = {"points": len(points)}
    for kind, want in (("answers", False), ("commands", True)):
        sent = [s for p in points for s in p.sent if s.command == want]
        settled = [s for s in sent if s.before_kill >= IN_FLIGHT]
        flight = [s for s in sent if s.before_kill < IN_FLIGHT]
        t[kind] = {
            "sent": len(sent),
            "present": sum(s.present for s in sent),
            "settled": len(settled),
            "lost": sum(not s.present for s in settled),
            "flight": len(flight),
            "flight_saved": sum(s.present for s in flight),
        }
    t["corrupt"] = sum(len(p.corrupt) for p in points)
    t["json_files"] = sum(p.json_files for p in points)
    t["temp_files"] = sum(len(p.temp_files) for p in points)
    t["damaged_index"] = sum(p.damaged_index for p in points)
    t["load_fail"] = sum(not p.session_loads or p.show_exit != 0 for p in points)
    t["draft_typed"] = sum(p.draft_expect == "typed" for p in points)
    t["draft_restored"] = sum(p.draft_expect == "typed" and bool(p.draft_restored_file) for p in points)
    t["draft_shown"] = sum(p.draft_expect == "typed" and bool(p.draft_on_screen) for p in points)
    t["draft_flight"] = sum(p.draft_expect == "typed_in_flight" for p in points)
    t["draft_flight_kept"] = sum(p.draft_expect == "typed_in_flight" and bool(p.draft_restored_file) for p in points)
    t["draft_empty"] = sum(p.draft_expect == "empty" for p in points)
    t["stale"] = sum(p.draft_expect == "empty" and p.stale_draft for p in points)
    t["draft_unknown"] = sum(p.draft_expect == "unknown" for p in points)
    t["reopen_fail"] = sum(not p.reopen_ok for p in points)
    t["failed_points"] = sum(bool(p.failures) for p in points)
    lost = [(p, s) for p in points for s in p.sent if not s.present and s.before_kill >= IN_FLIGHT]
    t["lost_mid_save"] = sum(s.text in p.temp_typed for p, s in lost)
    t["lost_unwritten"] = len(lost) - t["lost_mid_save"]
    return t


def report(points: list[Point], args: argparse.Namespace, elapsed: float, kept: list[Path]) -> str:
    t = tally(points)
    a, c = t["answers"], t["commands"]
    lines = [
        f"# icpchat crash safety (kill -9 of the real chat in tmux {WIDTH}x{HEIGHT}), {date.today().isoformat()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, seed {args.seed}, {elapsed:.0f} s",
        f"# code under test: {args.code}; load average at the end {os.getloadavg()[0]:.1f}",
        f"# 'settled' = Enter pressed >= {IN_FLIGHT * 1000:.0f} ms before the kill (must be saved); "
        f"'in flight' = < {IN_FLIGHT * 1000:.0f} ms (may be missing).",
        f"# A draft is checked when the last key was > {DRAFT_SETTLED:.0f} s before the kill.",
        "",
        f"kill points                                  {t['points']}",
        f"answers sent                                 {a['sent']}",
        f"answers present after the kill               {a['present']}",
        f"answers lost (settled but missing)           {a['lost']}   of {a['settled']} settled",
        f"  lost messages: inside their save (temp file written, not renamed) {t['lost_mid_save']}, "
        f"not written yet (queued) {t['lost_unwritten']}",
        f"answers in flight (< 300 ms) / survived      {a['flight']} / {a['flight_saved']}",
        f"commands sent / present / lost / in flight   {c['sent']} / {c['present']} / {c['lost']} / "
        f"{c['flight']} (survived {c['flight_saved']})",
        f"corrupt or truncated JSON files              {t['corrupt']}   of {t['json_files']} checked",
        f"session load failures (loader, sessions show) {t['load_fail']}",
        f"drafts typed (> 1 s) / restored / shown      {t['draft_typed']} / {t['draft_restored']} / {t['draft_shown']}",
        f"drafts in flight (< 1 s) / kept anyway       {t['draft_flight']} / {t['draft_flight_kept']}",
        f"empty input (> 1 s) / stale draft came back  {t['draft_empty']} / {t['stale']}",
        f"input unknown (after /back, /edit) points    {t['draft_unknown']}",
        f"reopen failures                              {t['reopen_fail']}",
        f"leftover temp files (.*.tmp)                 {t['temp_files']}",
        f"knowledge index moved aside as damaged       {t['damaged_index']}",
        f"kill points with any failed check            {t['failed_points']}",
        "",
        "by ending       points  answers sent  present  lost  in flight/survived  drafts typed/restored  failed",
    ]
    for scenario in SCENARIOS:
        ps = [p for p in points if p.scenario == scenario]
        if not ps:
            continue
        s = tally(ps)
        sa = s["answers"]
        lines.append(
            f"{scenario:<15} {len(ps):>6}  {sa['sent']:>12}  {sa['present']:>7}  {sa['lost']:>4}  "
            f"{sa['flight']:>9}/{sa['flight_saved']:<8}  {s['draft_typed']:>12}/{s['draft_restored']:<8}  "
            f"{s['failed_points']:>6}"
        )
    gaps = [s.before_kill * 1000 for p in points for s in p.sent]
    rec = [s.recorded_after_ms for p in points for s in p.sent if s.recorded_after_ms is not None]
    starts = [p.start_s for p in points if p.start_s is not None]
    reopens = [p.reopen_s for p in points if p.reopen_s is not None]
    lines.append("")
    if gaps:
        lines.append(
            f"Enter -> kill, ms: min {min(gaps):.0f}, median {statistics.median(gaps):.0f}, max {max(gaps):.0f}; "
            f"< 300: {sum(g < 300 for g in gaps)}, 300-1000: {sum(300 <= g < 1000 for g in gaps)}, "
            f">= 1000: {sum(g >= 1000 for g in gaps)}"
        )
    if rec:
        lines.append(
            f"Enter -> message in the session's record ('at'), ms: median {statistics.median(rec):.0f}, "
            f"p95 {pct(rec, 0.95):.0f}, max {max(rec):.0f} (n={len(rec)})"
        )
    slow = sorted(
        (
            (s.recorded_after_ms, p.index, s.text, p.sent[n - 1].text if n else None)
            for p in points
            for n, s in enumerate(p.sent)
            if s.recorded_after_ms is not None
        ),
        reverse=True,
    )[:5]
    for ms, index, text, prev in slow:
        lines.append(
            f"  slow to be recorded: {ms:.0f} ms, #{index} {text[:40]!r}"
            + (f" (sent after {prev[:40]!r})" if prev else " (the sitting's first message)")
        )
    loads = [p.load for p in points]
    lines.append(
        f"load average (1 min) at the kills: median {statistics.median(loads):.1f}, max {max(loads):.1f} "
        f"on {os.cpu_count()} cores"
    )
    if starts and reopens:
        lines.append(
            f"first screen, s: new session median {statistics.median(starts):.2f} (max {max(starts):.2f}); "
            f"reopened after the kill median {statistics.median(reopens):.2f} (max {max(reopens):.2f})"
        )
    quits = [p.quit_s for p in points if p.quit_s is not None]
    if quits:
        lines.append(
            f"Ctrl+Q ~0.3 s after the reopened first screen -> exit, s: median {statistics.median(quits):.2f}, "
            f"max {max(quits):.2f}, over 3 s: {sum(q > 3 for q in quits)} of {len(quits)}"
        )
    failed = [p for p in points if p.failures]
    lines.append("")
    lines.append("failed kill points: " + ("none" if not failed else str(len(failed))))
    for p in failed:
        lines.append(f"  #{p.index} {p.scenario} ({p.detail}; seed {p.seed}):")
        lines.extend(f"    - {msg.strip()[:400]}" for msg in p.failures)
    if kept:
        lines.append("kept for inspection: " + ", ".join(str(k) for k in kept))
    return "\n".join(lines) + "\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=40, help="kill points (at least 40 for the record)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, default=HERE / "crash_safety.txt")
    parser.add_argument("--keep", action="store_true", help="keep every kill point's folder, not only failed ones")
    parser.add_argument(
        "--head",
        action="store_true",
        help="run a frozen copy of the repository's HEAD (git archive) instead of the installed icpchat, "
        "so files edited in the working tree meanwhile do not change the code under test",
    )
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("this benchmark needs tmux")
    base = Path(tempfile.mkdtemp(prefix="icpchat-crash-"))
    repo = HERE.parent
    commit = git(repo, "rev-parse", "--short", "HEAD")
    if args.head:
        global PYTHONPATH
        frozen = base / "code"
        frozen.mkdir()
        archive = subprocess.run(["git", "-C", str(repo), "archive", "HEAD"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(frozen)], input=archive, check=True)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(frozen / "src")], check=False)
        PYTHONPATH = str(frozen / "src")
        sys.path.insert(0, PYTHONPATH)
        exe = [sys.executable, "-m", "icpchat"]
        args.code = f"HEAD {commit} (frozen copy, python -m icpchat)"
    else:
        found = shutil.which("icpchat")
        exe = [found] if found else [sys.executable, "-m", "icpchat"]
        dirty = [line for line in git(repo, "status", "--porcelain", "--", "src", "prompts", "knowledge").splitlines()]
        args.code = f"installed icpchat, working tree at {commit}" + (
            f" with {len(dirty)} changed files under src/prompts/knowledge" if dirty else ""
        )
    master = random.Random(args.seed)
    tmux = Tmux()
    points: list[Point] = []
    kept: list[Path] = []
    start = time.perf_counter()
    try:
        for i in range(args.points):
            point = Point(
                index=i,
                scenario=SCENARIOS[i % len(SCENARIOS)],
                seed=master.randrange(1 << 30),
                answers_planned=master.randint(1, 8),
            )
            root = run_point(point, tmux, exe, base)
            points.append(point)
            status = "ok" if not point.failures else "FAIL: " + "; ".join(point.failures)[:300]
            a = [s for s in point.sent if not s.command]
            print(
                f"#{i:<3} {point.scenario:<7} sent {len(a)} answers + {len(point.sent) - len(a)} commands, "
                f"saved {sum(s.present for s in point.sent)}/{len(point.sent)}, draft {point.draft_expect}: "
                f"{point.detail} -> {status}",
                flush=True,
            )
            record = asdict(point)
            (root / "timeline.json").write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str))
            if point.failures or args.keep:
                kept.append(root)
            else:
                shutil.rmtree(root, ignore_errors=True)
    finally:
        tmux.close()
    text = report(points, args, time.perf_counter() - start, kept)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    if not kept:
        shutil.rmtree(base, ignore_errors=True)
    print(f"wrote {args.out}" + (f"; folders kept under {base}" if kept else ""))


if __name__ == "__main__":
    main()
