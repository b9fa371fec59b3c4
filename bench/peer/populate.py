"""Fill the peer's fresh database: a course of 10 lessons, an enrolled learner, a bare page; print URLs and a session.

Runs with the peer's own Python (its venv), in its project folder, with PEER_DATABASE and PEER_SECRET_KEY
set (bench/peer.py does this). Prints one JSON object: {"urls": {...}, "session": "<sessionid>"}.
"""

import json
import os
import sys

sys.path.insert(0, os.getcwd())  # the project folder: run as a script, Python would only add this file's own
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings.production")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail.rich_text import RichText  # noqa: E402
from wagtail_lms.models import CourseEnrollment, CoursePage, H5PLessonCompletion, H5PLessonPage  # noqa: E402

LESSONS = 10
DONE = 3  # like our learner: three steps done, the fourth is next
SECTIONS = 4
# About 1,300 words per lesson, near the text of our module pages (about 1,100 words besides the quiz), so
# both sides render similar amounts of rich text.
SENTENCE = "A shop that answers questions before they are asked sells more and returns less. "
PARAGRAPH = "<p>" + SENTENCE * 10 + "</p>"


def lesson_body(number):
    """Rich text only: an H5P activity needs an uploaded package with its player libraries, and its
    block renders a placeholder that the browser fills in, so the server's work is the text."""
    return [
        ("paragraph", RichText(f"<h2>Part {section + 1} of lesson {number}</h2>{PARAGRAPH}{PARAGRAPH}"))
        for section in range(SECTIONS)
    ]


def build_course(home):
    course = home.add_child(
        instance=CoursePage(title="Running an online shop", slug="course", description=RichText(PARAGRAPH))
    )
    lessons = [
        course.add_child(
            instance=H5PLessonPage(
                title=f"Lesson {number}: selling online",
                slug=f"lesson-{number}",
                intro=RichText(PARAGRAPH),
                body=lesson_body(number),
            )
        )
        for number in range(1, LESSONS + 1)
    ]
    # Among the lessons, so Wagtail routes it through the same depth of tree; the course lists
    # only lesson pages, so it does not show there.
    bare = course.add_child(instance=Page(title="A bare page", slug="bare-page"))
    return course, lessons, bare


def enrolled_learner(course, lessons):
    learner = get_user_model().objects.create_user("learner", password="peer-bench-2026")
    CourseEnrollment.objects.create(user=learner, course=course)
    for lesson in lessons[:DONE]:
        H5PLessonCompletion.objects.create(user=learner, lesson=lesson)
    client = Client()
    client.force_login(learner)
    return client.cookies["sessionid"].value


def main():
    call_command("migrate", verbosity=0)
    home = Page.objects.get(depth=2)  # wagtail start's home page, the site's root
    course, lessons, bare = build_course(home)
    session = enrolled_learner(course, lessons)
    urls = {"baseline": bare.url, "course": course.url, "lesson": lessons[DONE].url}
    print(json.dumps({"urls": urls, "session": session}))


if __name__ == "__main__":
    main()
