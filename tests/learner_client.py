"""A simulated learner for load tests and benchmarks: a tiny HTTP client on the standard library.

It signs in with the CSRF cookie, keeps its cookies, reads forms from the HTML, takes quizzes with
the form's signed token, completes modules and enrols in paths, exactly as a browser would post
them. Every response is timed and recorded in a shared `Recorder`; what the learner saw succeed
(attempt ids, completions, enrolments) is kept on the learner so a test can compare it with the
database afterwards. No redirects are followed silently: each one is a recorded request.
"""

import http.client
import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

ATTEMPT_URL = re.compile(r"quiz/(\d+)/$")


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Recorder:
    """Every request's kind, status and latency, from all threads; errors keep their detail."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (kind, status or None, seconds)
        self.errors = []  # (kind, method, path, status or exception text)

    def add(self, kind, status, seconds, detail=None):
        with self.lock:
            self.samples.append((kind, status, seconds))
            if detail is not None:
                self.errors.append((kind, *detail))

    def fail(self, kind, detail):
        """A response that came back but was wrong (say, a redirect to the sign-in page)."""
        with self.lock:
            self.errors.append((kind, *detail))

    def latencies(self, kind=None):
        return [s for k, status, s in self.samples if status is not None and (kind is None or k == kind)]

    def count(self, kind=None, ok=True):
        return sum(
            1
            for k, status, _ in self.samples
            if (kind is None or k == kind) and ((status is not None and status < 400) == ok)
        )

    def server_errors(self):
        return [e for e in self.errors if isinstance(e[3], int) and e[3] >= 500]

    def summary(self, seconds):
        latencies = self.latencies()
        return (
            f"{len(self.samples)} requests in {seconds:.0f} s ({len(self.samples) / seconds:.1f} req/s), "
            f"p50 {percentile(latencies, 0.5) * 1000:.0f} ms, p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
            f"errors {len(self.errors)} (5xx {len(self.server_errors())})"
        )


class FormParser(HTMLParser):
    """Forms on a page: action, class and fields ({name: (input type, [values])}); and the messages."""

    def __init__(self):
        super().__init__()
        self.forms, self.messages, self._in_message = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "class": attrs.get("class", ""), "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            kind, values = self.forms[-1]["fields"].setdefault(attrs["name"], (attrs.get("type", "text"), []))
            values.append(attrs.get("value", ""))
        elif tag == "li" and "message" in attrs.get("class", ""):
            self._in_message = True
            self.messages.append("")

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_message = False

    def handle_data(self, data):
        if self._in_message:
            self.messages[-1] += data


@dataclass
class Page:
    status: int
    location: str
    text: str
    forms: list = field(default_factory=list)
    messages: list = field(default_factory=list)

    def form(self, css_class=None, action_end=None):
        for form in self.forms:
            if css_class is not None and css_class not in form["class"].split():
                continue
            if action_end is None or form["action"].endswith(action_end):
                return form
        return None


class RequestFailed(Exception):
    """A 5xx, an unexpected status or a broken connection: recorded, and the learner's loop moves on."""


class Learner:
    """One signed-in browser. `answer_keys` maps a module URL to {question key: [right choice ids]}."""

    def __init__(self, base, username, password, *, recorder, answer_keys=None, timeout=30, seed=0):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.username, self.password = username, password
        self.recorder, self.answer_keys, self.timeout = recorder, answer_keys or {}, timeout
        self.rng = random.Random(seed)
        self.cookies = {}
        # What this learner saw succeed, to compare with the database afterwards.
        self.attempts = {}  # attempt id -> module URL
        self.forms_submitted = 0  # distinct quiz forms that were recorded (redirect to a result page)
        self.replays = []  # (first attempt id, attempt id the replay was shown)
        self.passed = set()  # module URLs with a passed attempt seen on the result page
        self.completed = set()  # module URLs whose completion was accepted
        self.enrolled = set()  # path URLs

    # --- HTTP ---------------------------------------------------------------------------------
    def request(self, kind, method, path, data=None, expect=(200,)):
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            detail = (method, path, f"{type(error).__name__}: {error}")
            self.recorder.add(kind, None, time.monotonic() - started, detail)
            raise RequestFailed(f"{method} {path}: {error}") from error
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value == "" or morsel["max-age"] == "0" or morsel["expires"].startswith("Thu, 01 Jan 1970"):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.status not in expect:
            self.recorder.add(kind, response.status, elapsed, (method, path, response.status))
            raise RequestFailed(f"{method} {path}: {response.status}")
        self.recorder.add(kind, response.status, elapsed)
        page = Page(response.status, response.headers.get("Location", ""), text)
        if kind != "login" and page.location.startswith("/accounts/login/"):
            self.recorder.fail(kind, (method, path, "signed out: redirected to the sign-in page"))
            raise RequestFailed(f"{method} {path}: {self.username} was signed out")
        if "html" in response.headers.get("Content-Type", ""):
            parser = FormParser()
            parser.feed(text)
            page.forms, page.messages = parser.forms, [m.strip() for m in parser.messages]
        return page

    def get(self, path, kind="read"):
        return self.request(kind, "GET", path)

    def post(self, path, data, kind="write", expect=(302,)):
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self.request(kind, "POST", path, data, expect)

    # --- What a learner does -------------------------------------------------------------------
    def login(self):
        page = self.get("/accounts/login/", kind="login")
        token = page.form(action_end="/accounts/login/")["fields"]["csrfmiddlewaretoken"][1][0]
        data = {"csrfmiddlewaretoken": token, "username": self.username, "password": self.password, "next": ""}
        response = self.request("login", "POST", "/accounts/login/", data, expect=(302,))
        if "sessionid" not in self.cookies:
            self.recorder.fail("login", ("POST", "/accounts/login/", f"no session ({response.location})"))
            raise RequestFailed(f"{self.username} was not signed in ({response.location})")

    def open_module(self, url):
        return self.get(url)

    def answers_for(self, url, form, mode):
        """Choices for each question on the form: all right, all wrong, or at random."""
        key = self.answer_keys.get(url, {})
        answers = {}
        for name, (kind, values) in form["fields"].items():
            if not name.startswith("q-"):
                continue
            right = [v for v in values if v in key.get(name[2:], [])]
            wrong = [v for v in values if v not in right]
            if mode == "right" and right:
                chosen = right if kind == "checkbox" else right[:1]
            elif mode == "wrong" and wrong:
                chosen = [self.rng.choice(wrong)]
            else:
                chosen = [self.rng.choice(values)]
            answers[name] = chosen
        return answers

    def take_quiz(self, url, page, mode, *, replay=False):
        """Submit the module page's quiz form; with `replay`, send the same form twice (a double
        click): both must land on the same attempt. Returns the attempt id."""
        form = page.form(css_class="quiz-form")
        data = {"token": form["fields"]["token"][1][0], **self.answers_for(url, form, mode)}
        location = self.post(url + "quiz/", data).location
        match = ATTEMPT_URL.search(location)
        if not match:
            self.recorder.fail("write", ("POST", url + "quiz/", f"went to {location!r}, not a result page"))
            raise RequestFailed(f"quiz submission went to {location!r}, not a result page")
        attempt = int(match.group(1))
        self.attempts[attempt] = url
        self.forms_submitted += 1
        if replay:
            again = ATTEMPT_URL.search(self.post(url + "quiz/", data).location)
            self.replays.append((attempt, int(again.group(1)) if again else None))
        result = self.get(location)
        if "Passed with" in result.text:
            self.passed.add(url)
        return attempt

    def complete(self, url):
        """Ask to complete the module; True when the module page then says it is complete
        (refused is normal before the quiz is passed)."""
        location = self.post(url + "complete/", {}).location
        page = self.get(location)
        if "You have completed this module." in page.text:
            self.completed.add(url)
            return True
        return False

    def enrol(self, path_url):
        self.post(path_url + "enrol/", {})
        self.enrolled.add(path_url)

    def start(self, paths):
        """Sign in and enrol in one of `paths` (sometimes twice: the second changes nothing)."""
        self.login()
        path = self.rng.choice(paths)
        for _ in range(2 if self.rng.random() < 0.2 else 1):
            self.enrol(path)

    def study(self, *, modules, deadline, replay_share=0.2):
        """The signed-in learner's loop until `deadline`: open a module, take its quiz (right, wrong
        or at random; sometimes the same form twice), ask to complete it, look at My learning.
        A failed request is recorded and the loop goes on."""
        while time.monotonic() < deadline:
            try:
                url = self.rng.choice(modules)
                page = self.open_module(url)
                if page.form(css_class="quiz-form"):
                    mode = self.rng.choice(["right", "wrong", "random"])
                    self.take_quiz(url, page, mode, replay=self.rng.random() < replay_share)
                self.complete(url)
                self.get("/learn/")
            except RequestFailed:
                continue


def run_all(tasks, concurrency):
    """Run callables with at most `concurrency` at a time; returns the exceptions they raised."""
    with ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(task) for task in tasks]
    return [future.exception() for future in futures if future.exception() is not None]


def run_for(seconds, workers):
    """Run each callable(deadline) in its own thread until `deadline`. Returns the elapsed time and
    the exceptions that escaped a worker (a learner that could not sign in, say)."""
    deadline = time.monotonic() + seconds
    failures = []

    def guarded(work):
        try:
            work(deadline)
        except Exception as error:
            failures.append(error)

    threads = [threading.Thread(target=guarded, args=(work,), daemon=True) for work in workers]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started, failures
