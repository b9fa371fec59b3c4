"""Retrieval practice and test-out records: a learner's review card per quiz question of a completed module,
and their tries at testing out of a module. Fields and constraints only; written by practice.py, scheduled
by reviews.py (FSRS). Kept on the default-language module, like every record (progress.canonical_page)."""

from django.conf import settings
from django.db import models


class ReviewCard(models.Model):
    """One quiz question coming back to one learner: its FSRS memory state and when it is next due."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="review_cards", on_delete=models.CASCADE)
    module = models.ForeignKey("learning.ModulePage", related_name="review_cards", on_delete=models.CASCADE)
    question_key = models.CharField(max_length=64)
    due = models.DateTimeField()
    stability = models.FloatField(null=True)
    difficulty = models.FloatField(null=True)
    fsrs_state = models.PositiveSmallIntegerField(default=1)  # fsrs.State: 1 learning, 2 review, 3 relearning
    step = models.PositiveSmallIntegerField(null=True)
    last_review = models.DateTimeField(null=True)
    # Answers given in reviews (the seeding answer at completion is not one); a stale form names the count
    # it was shown at, so a replayed review changes nothing.
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module", "question_key"], name="one_review_card_per_question")
        ]
        # The review page and My learning read a learner's due cards, oldest due first.
        indexes = [models.Index(fields=["user", "due"], name="review_card_due")]


class TestOutTry(models.Model):
    """A learner's try at a module's quiz before studying it. `number` comes from the signed form (the
    learner's tries so far + 1), so two tabs or a replayed form make one try."""

    __test__ = False  # a domain word, not a pytest class

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="test_out_tries", on_delete=models.CASCADE)
    module = models.ForeignKey("learning.ModulePage", related_name="test_out_tries", on_delete=models.CASCADE)
    number = models.PositiveIntegerField()
    score = models.PositiveSmallIntegerField()
    mark = models.PositiveSmallIntegerField()  # ACADEMY_TEST_OUT_MARK when the try was graded
    passed = models.BooleanField(default=False)
    answers = models.JSONField(default=dict)  # {question key: right or not}: seeds the review cards
    tried_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module", "number"], name="one_test_out_try_number")]
        ordering = ["-tried_at"]
