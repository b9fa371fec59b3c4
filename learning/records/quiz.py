"""The quiz form: choices shuffled per attempt, and the signed token naming the attempt it becomes.

Each rendered form carries a signed token naming the attempt it will become (the learner's next
attempt number). Two tabs, a double click or a replay all name the same attempt, and the unique
form_token on QuizAttempt lets only the first through.
"""

import random
import secrets

from django.core import signing

SALT = "learning.quiz"
TOKEN_MAX_AGE = 24 * 3600


def quiz_form(*, user, module, attempt_count):
    """The quiz as a form: a signed token and the questions with choices in a fresh order."""
    seed = secrets.token_hex(8)
    token = signing.dumps({"u": user.pk, "m": module.pk, "n": attempt_count + 1, "s": seed}, salt=SALT)
    shuffle = random.Random(seed).shuffle
    questions = []
    for question in module.questions:
        choices = list(question["choices"])
        shuffle(choices)
        questions.append({**question, "choices": choices})
    return {"token": token, "questions": questions}


def attempt_token(user, module, number):
    """What makes an attempt unique: the learner, the module in any language (attempts are kept on the
    default-language one, so a German and an English form naming attempt 3 are one attempt) and the number."""
    return f"{user.pk}:{module.translation_key}:{number}"


def read_token(value):
    """The token's payload, or None when it is unsigned, expired or of another shape."""
    try:
        token = signing.loads(value, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    # A well-signed token of another shape can only come from a leaked key; refuse it, never crash.
    if not isinstance(token, dict) or type(token.get("n")) is not int or not 0 < token["n"] < 10**9:
        return None
    return token
